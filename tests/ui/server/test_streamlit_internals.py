"""Streamlit's private APIs that ``ui.server.streamlit_internals`` wraps are still where it looks for them.

A failure here after a Streamlit upgrade names what moved; fix ``ui/server/streamlit_internals.py``
(and its ``CHECKED_VERSION``), nothing else reaches into Streamlit's internals.
"""
from __future__ import annotations

import ast
from pathlib import Path

import streamlit
from streamlit.testing.v1 import AppTest

from ui.server import streamlit_internals as internals

ROOT = Path(__file__).resolve().parents[3]


def test_every_private_name_is_still_there():
    moved = internals.missing()
    assert not moved, (f"Streamlit {streamlit.__version__} moved private APIs that ui/server/streamlit_internals.py "
                       f"uses (checked against {internals.CHECKED_VERSION}): {moved}")


def _script():  # runs as its own Streamlit script (AppTest.from_function)
    import streamlit as st

    from ui.server import streamlit_internals as internals

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
    allowed = {ROOT / "ui" / "server" / "streamlit_internals.py"}
    offenders = []
    for path in [ROOT / "app.py", *ROOT.glob("ui/**/*.py"), *ROOT.glob("views/*.py")]:
        if path in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names
                          if n.startswith(("streamlit.runtime", "streamlit.web"))]
    assert not offenders, offenders


class _Session:
    """What the reaper and Streamlit's session manager need of an AppSession."""

    def __init__(self, sid: str, log: list[str]) -> None:
        self.id, self.log = sid, log

    def shutdown(self) -> None:  # AppSession.shutdown: uploads, media files, session caches go
        self.log.append(self.id)


def test_the_reaper_shuts_down_closed_tabs_when_their_reconnect_window_ends():
    from streamlit.runtime.caching.ttl_cache import TTLCache
    from streamlit.runtime.memory_session_storage import MemorySessionStorage
    from streamlit.runtime.session_manager import SessionInfo
    from streamlit.runtime.websocket_session_manager import WebsocketSessionManager

    clock = [0.0]
    storage = MemorySessionStorage(ttl_seconds=120)
    storage._cache = TTLCache(maxsize=128, ttl=120, timer=lambda: clock[0])  # Streamlit's cache, our clock
    mgr = WebsocketSessionManager(storage, None, None, None)  # Streamlit's own close_session path

    class Runtime:  # what reap_sessions uses of streamlit.runtime.Runtime
        _session_mgr = mgr

        @staticmethod
        def close_session(sid: str) -> None:
            mgr.close_session(sid)

    shut: list[str] = []
    for sid, closed_at in (("early", 0.0), ("middle", 50.0), ("late", 100.0)):
        clock[0] = closed_at
        storage.save(SessionInfo(client=None, session=_Session(sid, shut)))
    clock[0] = 110.0
    assert internals.reap_sessions(Runtime, within=6.0) == 0 and shut == []  # nobody's window ends soon
    clock[0] = 116.0
    assert internals.reap_sessions(Runtime, within=6.0) == 1 and shut == ["early"]  # ends at 120
    assert storage.get("early") is None and storage.get("middle") is not None
    # A window that ended while nobody looked (Streamlit would keep the session until the next
    # tab closes): the session is still shut down, not only forgotten.
    clock[0] = 300.0
    assert internals.reap_sessions(Runtime, within=6.0) == 2 and sorted(shut) == ["early", "late", "middle"]
    assert storage.list() == []


def test_no_reaper_without_a_server():
    assert internals.start_session_reaper(5.0) is False  # AppTest, unit tests: Streamlit's own behaviour
    assert internals.server_stores() is None
