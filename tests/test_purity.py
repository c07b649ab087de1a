"""convviz is a pure compute package: importing it must not import streamlit."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_convviz_does_not_import_streamlit():
    code = ("import sys, convviz, convviz.nets.layers; "
            "assert 'streamlit' not in sys.modules, 'convviz imported streamlit'; "
            "import pkgutil, importlib; "
            "[importlib.import_module('convviz.' + m.name) for m in pkgutil.iter_modules(convviz.__path__)]; "
            "assert 'streamlit' not in sys.modules, 'a convviz submodule imported streamlit'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_pages_contain_no_streamlit_free_math_imports():
    # Pages are thin: they may not import scipy or do array math themselves.
    for page in (ROOT / "views").glob("*.py"):
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


@pytest.mark.parametrize("page", ["inside_conv.py", "image_kernels.py", "parameter_counts.py", "receptive_field.py",
                                  "stride_padding.py"])
def test_pages_hold_no_arithmetic(page):
    # The Inside page's numbers (the demo layer, the 1x1 worked example) come from convviz.features.worked,
    # its picture sizes from ui.inside.panels; every page writes numbers through convviz.numbers.
    import ast

    assert _arithmetic(ast.parse((ROOT / "views" / page).read_text())) == []


def _literal_keys(tree) -> list[str]:
    """Session-state keys and widget ``key=`` written as a string literal or an f-string.

    Catches ``key="x"`` / ``key=f"x_{i}"`` in any call, ``st.session_state["x"]``,
    ``st.session_state.get/setdefault/pop("x")``, ``st.session_state.update(x=...)`` (a keyword
    is a literal key too) and ``"x" in st.session_state``.
    """
    import ast

    def literal(node) -> bool:
        return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))

    def is_state(node) -> bool:
        return ast.unparse(node) in ("st.session_state", "session_state")

    found = []
    for node in ast.walk(tree):
        bad = False
        if isinstance(node, ast.Call):
            bad = any(kw.arg == "key" and literal(kw.value) for kw in node.keywords)
            f = node.func
            if isinstance(f, ast.Attribute) and is_state(f.value):
                if f.attr in ("get", "setdefault", "pop", "__getitem__", "__setitem__", "__delitem__"):
                    bad = bad or bool(node.args) and literal(node.args[0])
                if f.attr == "update":
                    bad = bad or any(kw.arg is not None for kw in node.keywords) or any(
                        isinstance(a, ast.Dict) and any(k is not None and literal(k) for k in a.keys)
                        for a in node.args)
        elif isinstance(node, ast.Subscript):
            bad = is_state(node.value) and literal(node.slice)
        elif isinstance(node, ast.Compare):
            bad = (literal(node.left) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops)
                   and any(is_state(c) for c in node.comparators))
        elif isinstance(node, ast.Delete):
            bad = any(isinstance(t, ast.Subscript) and is_state(t.value) and literal(t.slice) for t in node.targets)
        if bad:
            found.append(f"line {node.lineno}: {ast.unparse(node)[:100]}")
    return found


KEYED_SOURCES = sorted([ROOT / "app.py", *(ROOT / "views").glob("*.py"), *(ROOT / "ui").rglob("*.py")])


@pytest.mark.parametrize("path", [p for p in KEYED_SOURCES if p.name != "keys.py"], ids=lambda p: p.name)
def test_session_and_widget_keys_are_named_constants(path):
    # Widget keys are URL parameter names (shared links depend on their spelling) and session
    # keys are read by several modules: every one is a constant (or a helper for a key with a
    # number or id in it, e.g. keys.kernels_custom_editor(5)) in ui/common/keys.py, never a literal.
    import ast

    assert _literal_keys(ast.parse(path.read_text())) == [], f"use a constant from ui/common/keys.py in {path.name}"


def test_the_key_scan_finds_literals():
    import ast

    src = ('st.button("x", key="a")\nst.text_input("x", key=f"b_{i}")\nst.session_state["c"] = 1\n'
           'st.session_state.get("d")\nst.session_state.setdefault("e", 0)\nst.session_state.pop("f", None)\n'
           'st.session_state.update(g=1)\nif "h" in st.session_state: pass\n'
           'st.button("x", key=keys.A)\nst.session_state[keys.B]\nst.session_state.get(keys.c(3))\n')
    assert len(_literal_keys(ast.parse(src))) == 8
