"""The HTML, CSS and JavaScript the app sends to the browser, kept as real files in ``ui/static/``.

Editors, linters and ``node --check`` see them as what they are (``tests/ui/common/test_static_files.py``
parses every ``.js`` file), and each is read from disk once per process.

>>> "makeTransport" in static_text("transport.js")
True
"""
from __future__ import annotations

import functools
from pathlib import Path

__all__ = ["STATIC_DIR", "static_text"]

#: Where the files live (shipped with ``ui/``: the Dockerfile copies the whole folder).
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


@functools.cache
def static_text(name: str) -> str:
    """The text of ``ui/static/<name>``, read once per process.

    Parameters
    ----------
    name : str
        File name inside ``ui/static/`` (``"grid.js"``); no folders.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        When ``name`` is not a plain file name of that folder.
    """
    path = STATIC_DIR / name
    if path.parent != STATIC_DIR or not path.is_file():
        raise ValueError(f"name must be a file in {STATIC_DIR}, got {name!r}")
    return path.read_text(encoding="utf-8")
