"""Streamlit's private APIs that ``ui.streamlit_internals`` wraps are still where it looks for them.

A failure here after a Streamlit upgrade names what moved; fix ``ui/streamlit_internals.py``
(and its ``CHECKED_VERSION``), nothing else reaches into Streamlit's internals.
"""
from __future__ import annotations

import ast
from pathlib import Path

import streamlit
from streamlit.testing.v1 import AppTest

from ui import streamlit_internals as internals

ROOT = Path(__file__).resolve().parents[2]


def test_every_private_name_is_still_there():
    moved = internals.missing()
    assert not moved, (f"Streamlit {streamlit.__version__} moved private APIs that ui/streamlit_internals.py "
                       f"uses (checked against {internals.CHECKED_VERSION}): {moved}")


def _script():  # runs as its own Streamlit script (AppTest.from_function)
    import streamlit as st

    from ui import streamlit_internals as internals

    st.number_input("n", key="n", value=2, bind="query-params")
    st.session_state["seen"] = {
        "in_run": internals.in_script_run(),
        "keys": sorted(internals.bound_query_keys()),
        "bound": internals.bound_widgets(),
    }
    st.session_state["removed"] = internals.remove_query_param("junk")


def test_the_wrappers_work_inside_a_run():
    at = AppTest.from_function(_script)
    at.query_params["junk"] = "1"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    seen = at.session_state["seen"]
    assert seen["in_run"] is True
    assert seen["keys"] == ["n"]
    assert seen["bound"] == {"n": (["2"], True)}, "bound_widgets() could not read the bound widget"
    assert at.session_state["removed"] is True
    assert not internals.in_script_run()  # and outside a run


def test_nothing_else_imports_streamlit_internals():
    allowed = {ROOT / "ui" / "streamlit_internals.py"}
    offenders = []
    for path in [ROOT / "app.py", *ROOT.glob("ui/*.py"), *ROOT.glob("pages/*.py")]:
        if path in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names
                          if n.startswith(("streamlit.runtime", "streamlit.web"))]
    assert not offenders, offenders
