"""The files in ``ui/static/``: every script parses on its own, and the loader refuses other paths."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from ui.common.static_files import STATIC_DIR, static_text

SCRIPTS = sorted(p.name for p in STATIC_DIR.glob("*.js"))


def test_there_are_scripts_to_check():
    assert {"transport.js", "grid.js", "signal.js", "copy_button.js"} <= set(SCRIPTS)


@pytest.mark.parametrize("name", SCRIPTS)
def test_each_script_parses(name):
    node = shutil.which("node") or shutil.which("nodejs")
    if node:
        done = subprocess.run([node, "--check", str(STATIC_DIR / name)], capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr
        return
    esprima = pytest.importorskip("esprima", reason="no JavaScript parser (node or esprima); "
                                                    "tests/browser/test_players_browser.py loads them in Chromium")
    esprima.parseScript(static_text(name))


@pytest.mark.parametrize("name", ["../app.py", "static/grid.js", "missing.js"])
def test_only_files_of_the_folder_are_read(name):
    with pytest.raises(ValueError, match="name must be a file in"):
        static_text(name)
