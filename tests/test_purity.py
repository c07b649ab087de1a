"""convviz is a pure compute package: importing it must not import streamlit."""
import subprocess
import sys
from pathlib import Path

import pytest

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


def _arithmetic(tree) -> list[str]:
    """``a - b``, ``a * b``, ``a // b``... and ``+`` between values (joining text or lists is fine)."""
    import ast

    def joins(node) -> bool:
        return (isinstance(node, (ast.JoinedStr, ast.List, ast.ListComp))
                or (isinstance(node, ast.Constant) and isinstance(node.value, str))
                or (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "t")
                or (isinstance(node, ast.IfExp) and joins(node.body))
                or (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and joins(node.left)))

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and not (isinstance(node.op, ast.Add) and (joins(node.left) or joins(node.right))):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.AugAssign):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


@pytest.mark.parametrize("page", ["inside_conv.py", "image_kernels.py", "parameter_counts.py"])
def test_pages_hold_no_arithmetic(page):
    # The Inside page's numbers (the demo layer, the 1x1 worked example) come from convviz.worked,
    # its picture sizes from ui.inside_view; every page writes numbers through convviz.numbers.
    import ast

    assert _arithmetic(ast.parse((ROOT / "pages" / page).read_text())) == []
