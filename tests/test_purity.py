"""convviz is a pure compute package: importing it must not import streamlit."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_convviz_does_not_import_streamlit():
    code = ("import sys, convviz, convviz.layers; "
            "assert 'streamlit' not in sys.modules, 'convviz imported streamlit'; "
            "import pkgutil, importlib; "
            "[importlib.import_module('convviz.' + m.name) for m in pkgutil.iter_modules(convviz.__path__)]; "
            "assert 'streamlit' not in sys.modules, 'a convviz submodule imported streamlit'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_pages_contain_no_streamlit_free_math_imports():
    # Pages are thin: they may not import scipy or do array math themselves.
    for page in (ROOT / "pages").glob("*.py"):
        text = page.read_text()
        assert "import scipy" not in text and "from scipy" not in text, page.name
