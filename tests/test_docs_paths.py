"""Every module, name and file the documentation points to exists: a move cannot leave a doc behind.

Checked in backticks: ``convviz.x.y`` and ``ui.x.y`` (imported, then looked up attribute by
attribute) and repository paths (``ui/common/keys.py``, ``convviz/sliding/``, ``tests/views/``,
``locales/*/errors.toml``: a glob must match something). A placeholder (``<lang>``) is not a path.
"""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ["docs/ARCHITECTURE.md", "DEVELOPERS.md", "README.md", "SECURITY.md", "docs/DEPLOY.md",
        "convviz/pictures/data/README.md", "ui/static/README.md", "assets/README.md", "THIRD_PARTY_NOTICES.md"]
ROOTS = ("convviz", "ui", "views", "tests", "docs", "bench", "deploy", "assets", "locales")
DOTTED = re.compile(r"^(?:convviz|ui)(?:\.[A-Za-z_]\w*)+")
PATH = re.compile(rf"^(?:{'|'.join(ROOTS)})/[\w./*-]*")


def _spans(text: str) -> list[str]:
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # code blocks: the README's examples are run, not read
    return re.findall(r"`([^`\n]+)`", text)


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def _exists(path: str) -> bool:
    path = path.rstrip(".")
    if "*" in path:
        return any(ROOT.glob(path))
    return (ROOT / path).exists()


def _references(doc: str) -> list[tuple[str, str]]:
    found = []
    for span in _spans((ROOT / doc).read_text(encoding="utf-8")):
        if "<" in span:
            continue
        for token in re.split(r"[\s,()=:\[\]]+", span):
            if DOTTED.match(token):
                found.append(("name", DOTTED.match(token).group(0)))
            elif PATH.match(token):
                found.append(("path", PATH.match(token).group(0)))
    return found


def test_the_scan_finds_references():
    refs = _references("docs/ARCHITECTURE.md")
    assert ("name", "convviz.sliding.windows") in refs or ("path", "convviz/sliding/windows.py") in refs
    assert len(refs) > 80


@pytest.mark.parametrize("doc", DOCS)
def test_every_reference_resolves(doc):
    missing = sorted({token for kind, token in _references(doc)
                      if not (_resolves(token) if kind == "name" else _exists(token))})
    assert missing == [], f"{doc} names what does not exist: {missing}"
