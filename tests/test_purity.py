"""The layers cannot be slipped past: convviz is pure compute, pages are thin, and no number is worked out in ui/.

Every page is found by itself (``views/*.py``, checked against ``app.py``'s navigation), so a new
page is held to the same rules the day it lands. The arithmetic scan covers the pages and the ``ui``
modules whose job is a number a student reads (:data:`COMPUTING_UI`); the rest of ``ui`` draws
(pixel sizes, column positions, zoom factors).
"""
import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "views").glob("*.py"))
#: What no page imports: computing is convviz's job, data frames and arrays are built in ui/.
MATHS_LIBRARIES = {"numpy", "scipy", "math", "pandas", "statistics", "decimal", "fractions", "cmath"}
#: The ui modules that put numbers on screen rather than draw: each passes what convviz computed on.
COMPUTING_UI = {
    "ui/common/predict.py": "a guess is read and judged by convviz.predict; this keeps state and shows it",
    "ui/home/lesson.py": "the lesson's numbers are convviz's (summaries, dense totals, fields, the trend)",
    "ui/params/words.py": "a count in words is convviz.numbers.format_scaled; this adds the locale's words",
    "ui/params/options.py": "memory and operations under the options are convviz.nets's layer_memory, op_counts",
    "ui/params/metrics.py": "the headline numbers are the summary's, memory report's and op counts'",
    "ui/params/guess.py": "the worked sum quotes each row's count; the total is Summary.total_params",
    "ui/params/dense.py": "'dense instead' is convviz.nets.compare_dense",
    "ui/params/paste.py": "the table is read by convviz.from_pytorch and convviz.nets.links",
    "ui/stride/downloads.py": "the pictures are convviz.sliding's (Slide, animation_gif, frame_png)",
    "ui/kernels/captions.py": "sizes and their notes come from convviz.pictures.size_notes",
    "ui/learn/try_it.py": "the digit, each network's answer, probabilities and layer pictures are convviz.learn's",
}
#: Calls that compute.
COMPUTING_CALLS = {"sum", "min", "max", "round", "divmod", "abs", "pow"}


def _imported_roots(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            roots.add(node.module.split(".")[0])
    return roots


def test_every_page_is_found_by_the_glob_and_navigated():
    # app.py's navigation lists exactly the scripts of views/: the glob above finds every page.
    listed = set(re.findall(r'st\.Page\("(views/\w+\.py)"', (ROOT / "app.py").read_text()))
    assert listed == {f"views/{page.name}" for page in PAGES}
    assert {"home.py", "image_kernels.py", "stride_padding.py", "parameter_counts.py"} <= {p.name for p in PAGES}


def test_convviz_does_not_import_streamlit():
    # Every module of every subpackage, imported in a fresh interpreter (a new subpackage included).
    code = ("import sys, pkgutil, importlib, convviz; "
            "names = [m.name for m in pkgutil.walk_packages(convviz.__path__, 'convviz.')]; "
            "[importlib.import_module(n) for n in names]; "
            "assert len(names) > 30, names; "
            "assert 'streamlit' not in sys.modules, 'a convviz module imported streamlit'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


@pytest.mark.parametrize("path", sorted((ROOT / "convviz").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_convviz_imports_nothing_of_the_app(path):
    assert not _imported_roots(ast.parse(path.read_text())) & {"streamlit", "ui", "views", "altair", "pandas"}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_import_no_maths_libraries(page):
    assert not _imported_roots(ast.parse(page.read_text())) & MATHS_LIBRARIES


def _text(node: ast.AST) -> bool:
    """An expression that is text, a list or a path: ``+`` joins it, ``%`` formats it, ``/`` makes a path."""
    return (isinstance(node, (ast.JoinedStr, ast.List, ast.ListComp, ast.Tuple))
            or (isinstance(node, ast.Constant) and isinstance(node.value, str))
            or (isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("t", "str"))
            or (isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("join", "format"))
            or (isinstance(node, ast.IfExp) and _text(node.body))
            or (isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Div)) and _text(node.left)))


def _annotations(tree: ast.AST) -> set[int]:
    """ids of the nodes inside type annotations (``int | None`` is no arithmetic)."""
    inside = set()
    for node in ast.walk(tree):
        hints = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            hints = [a.annotation for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg)
                     if a is not None and a.annotation is not None] + [node.returns]
        elif isinstance(node, ast.AnnAssign):
            hints = [node.annotation]
        for hint in hints:
            if hint is not None:
                inside |= {id(n) for n in ast.walk(hint)}
    return inside


def _arithmetic(tree: ast.AST) -> list[str]:
    """Every place that works a number out: ``a - b``, ``-x``, ``n += 1``, ``sum(...)``, ``math.x``, ``np.x``.

    Not arithmetic: joining text or lists (``+``), formatting (``"%d" % n``), paths (``ROOT / "x"``),
    type unions and set operations (``|``, ``&``), a negative literal (``-1``).
    """
    skip = _annotations(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.BinOp):
            op = node.op
            if isinstance(op, (ast.BitOr, ast.BitAnd)):
                continue
            if isinstance(op, ast.Add) and (_text(node.left) or _text(node.right)):
                continue
            if isinstance(op, ast.Mod) and _text(node.left):
                continue
            if isinstance(op, ast.Div) and (_text(node.right) or _text(node.left)):
                continue
            found.append(node)
        elif isinstance(node, ast.AugAssign) and not (isinstance(node.op, ast.Add) and _text(node.value)):
            found.append(node)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)) \
                and not isinstance(node.operand, ast.Constant):
            found.append(node)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in COMPUTING_CALLS:
            found.append(node)
        elif isinstance(node, ast.Attribute) and getattr(node.value, "id", "") in ("math", "np", "numpy"):
            found.append(node)
    return [f"line {n.lineno}: {ast.unparse(n)[:80]}" for n in found]


@pytest.mark.parametrize("path", [*PAGES, *(ROOT / p for p in COMPUTING_UI)], ids=lambda p: str(p.relative_to(ROOT)))
def test_no_arithmetic_in_pages_and_computing_ui(path):
    # The stride page's sizes, cache key and channel rules are convviz.sliding's (Slide, group_kind,
    # channels_per_group); the Inside page's worked examples convviz.features'; the lesson's numbers
    # are counted in ui/home/lesson.py from convviz. Numbers are written by convviz.numbers.
    assert _arithmetic(ast.parse(path.read_text())) == []


def test_the_computing_ui_list_names_real_modules():
    assert all((ROOT / p).is_file() for p in COMPUTING_UI), [p for p in COMPUTING_UI if not (ROOT / p).is_file()]


def _literal_keys(tree) -> list[str]:
    """Session-state keys and widget ``key=`` written as a string literal or an f-string.

    Catches ``key="x"`` / ``key=f"x_{i}"`` in any call, ``st.session_state["x"]``,
    ``st.session_state.get/setdefault/pop("x")``, ``st.session_state.update(x=...)`` (a keyword
    is a literal key too) and ``"x" in st.session_state``.
    """
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


KEYED_SOURCES = sorted([ROOT / "app.py", *PAGES, *(ROOT / "ui").rglob("*.py")])


@pytest.mark.parametrize("path", [p for p in KEYED_SOURCES if p.name != "keys.py"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_session_and_widget_keys_are_named_constants(path):
    # Widget keys are URL parameter names (shared links depend on their spelling) and session
    # keys are read by several modules: every one is a constant (or a helper for a key with a
    # number or id in it, e.g. keys.kernels_custom_editor(5)) in ui/common/keys.py, never a literal.
    assert _literal_keys(ast.parse(path.read_text())) == [], f"use a constant from ui/common/keys.py in {path.name}"


#: Samples for the scans: the first lines must be found (``count``), the rest must not.
SCAN_SAMPLES = {
    "arithmetic": (9, "a = b - c\nd = -e\nf += 1\ng = sum(h)\ni = max(j, 2)\nk = math.ceil(l)\nm = np.mean(n)\n"
                      "o = p * 2\nq = r // s\n"
                      "u = 'x' + v\nw = [1] + x\ny = '%d' % z\nroot = ROOT / 'views'\naa = bb | cc\ndd = -1\n"
                      "text += t('k')\ndef f(x: int | None = None) -> str | None: ...\n"),
    "keys": (8, 'st.button("x", key="a")\nst.text_input("x", key=f"b_{i}")\nst.session_state["c"] = 1\n'
                'st.session_state.get("d")\nst.session_state.setdefault("e", 0)\nst.session_state.pop("f", None)\n'
                'st.session_state.update(g=1)\nif "h" in st.session_state: pass\n'
                'st.button("x", key=keys.A)\nst.session_state[keys.B]\nst.session_state.get(keys.c(3))\n'),
}


@pytest.mark.parametrize("name", SCAN_SAMPLES)
def test_the_scans_find_what_they_look_for(name):
    count, src = SCAN_SAMPLES[name]
    scan = {"arithmetic": _arithmetic, "keys": _literal_keys}[name]
    assert len(scan(ast.parse(src))) == count
