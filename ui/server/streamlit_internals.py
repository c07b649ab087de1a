"""Every private Streamlit API the app relies on, in one place.

Checked against Streamlit **1.67.0** (:data:`CHECKED_VERSION`; ``requirements.txt`` allows
``>=1.67,<2``). None of these names is public, so any release may move them. Each wrapper
degrades instead of crashing (returns ``None`` / ``False`` and the caller falls back to the
public API), and ``tests/ui/server/test_streamlit_internals.py`` fails with the list of what moved
(:func:`missing`), so an upgrade is a test failure, not a quiet loss of a feature.

What is used, and why:

* ``get_script_run_ctx`` (``streamlit.runtime.scriptrunner_utils.script_run_context``): whether
  code runs inside a script run (:func:`in_script_run`, for ``ui.common.i18n``), and the session's
  query-parameter state for the three below.
* ``QueryParams._bindings_by_param`` and ``_initial_query_params``,
  ``QueryParams.remove_param``: which widgets are bound to which ``?key=``
  (:func:`bound_query_keys`), and removing a value before a bound widget is seeded from it
  (:func:`remove_query_param`; ``st.query_params`` refuses to delete a bound parameter).
* ``SessionState.get_widget_metadata`` (its serializers), ``ScriptRunContext.shared.widget_ids_this_run``
  and ``_coerce_value_for_query_url`` (``streamlit.runtime.state.query_params``): the value a
  bound widget writes into the URL, and whether it is the default (:func:`bound_widgets`).
* ``SafeSessionState.is_new_state_value``: whether a widget's value was set through the Session
  State API in this run (a callback wrote it), :func:`set_by_api`: such a widget is drawn without
  its default, or Streamlit logs "created with a default value but also had its value set via
  the Session State API" (``ui.common.bounded``, ``ui.stride.typed_grid``).
* ``DeletedFile`` (``streamlit.runtime.uploaded_file_manager``): the placeholder an uploader
  holds when the server that had the file went away (:func:`is_deleted_file`, for
  ``ui.server.lost_upload``).
* ``Runtime.instance()``, its event loop (``_get_async_objs().eventloop``) and its session
  manager's ``MemorySessionStorage`` (a ``TTLCache``: ``_expirations``, ``expire()``): to close
  the sessions of closed tabs when their reconnect window is over (:func:`start_session_reaper`;
  Streamlit only drops them at the storage's next write, without shutting them down).
* What the runtime holds (active sessions, ``MemoryUploadedFileManager.file_storage``, the media
  file manager's per-session references, deferred downloads and ``MemoryMediaFileStorage``, the
  ``st.cache_data`` / ``st.cache_resource`` function caches): only read, for the opt-in memory
  report of ``ui.memory_probe`` (:func:`server_stores`).
"""
from __future__ import annotations

import gc
import importlib
import logging
import threading
from collections.abc import Callable
from typing import Any

import streamlit as st

try:  # on every t() call (ui.common.i18n): imported once, not per call
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx as _get_ctx
except ImportError:  # internals moved: missing() names it, the app runs as outside a script run
    _get_ctx = None

__all__ = ["CHECKED_VERSION", "REQUIRED", "missing", "in_script_run", "remove_query_param", "bound_query_keys",
           "bound_widgets", "set_by_api", "is_deleted_file", "server_stores", "start_session_reaper",
           "reap_sessions"]

#: The Streamlit release these wrappers were read against.
CHECKED_VERSION = "1.67.0"

_CTX_MODULE = "streamlit.runtime.scriptrunner_utils.script_run_context"
_QP_MODULE = "streamlit.runtime.state.query_params"
_UPLOAD_MODULE = "streamlit.runtime.uploaded_file_manager"
_STATE_MODULE = "streamlit.runtime.state.session_state"
_SAFE_STATE_MODULE = "streamlit.runtime.state.safe_session_state"
_RUNTIME_MODULE = "streamlit.runtime.runtime"
_DATA_CACHE_MODULE = "streamlit.runtime.caching.cache_data_api"
_RESOURCE_CACHE_MODULE = "streamlit.runtime.caching.cache_resource_api"

#: ``(module, dotted attribute)`` for every private name used here.
REQUIRED: tuple[tuple[str, str], ...] = (
    (_CTX_MODULE, "get_script_run_ctx"),
    (_CTX_MODULE, "ScriptRunContext.session_state"),
    (_CTX_MODULE, "ScriptRunContext.shared"),
    (_QP_MODULE, "_coerce_value_for_query_url"),
    (_QP_MODULE, "QueryParams.remove_param"),
    (_QP_MODULE, "QueryParams._bindings_by_param"),
    (_QP_MODULE, "QueryParams._initial_query_params"),
    (_STATE_MODULE, "SessionState.get_widget_metadata"),
    (_SAFE_STATE_MODULE, "SafeSessionState.query_params"),
    (_SAFE_STATE_MODULE, "SafeSessionState.is_new_state_value"),
    (_UPLOAD_MODULE, "DeletedFile"),
    (_RUNTIME_MODULE, "Runtime.instance"),
    (_RUNTIME_MODULE, "Runtime.exists"),
    (_RUNTIME_MODULE, "Runtime.media_file_mgr"),
    (_RUNTIME_MODULE, "Runtime.uploaded_file_mgr"),
    (_RUNTIME_MODULE, "Runtime.close_session"),
    (_RUNTIME_MODULE, "Runtime._get_async_objs"),
    (_RUNTIME_MODULE, "AsyncObjects.eventloop"),
    ("streamlit.runtime.websocket_session_manager", "WebsocketSessionManager.close_session"),
    ("streamlit.runtime.caching.ttl_cache", "TTLCache.expire"),
    (_DATA_CACHE_MODULE, "_data_caches"),
    (_RESOURCE_CACHE_MODULE, "_resource_caches"),
)


def _has(module: str, dotted: str) -> bool:
    try:
        obj: Any = importlib.import_module(module)
    except ImportError:
        return False
    for part in dotted.split("."):
        fields = getattr(obj, "__dataclass_fields__", {})
        if part in fields:  # a dataclass field with a default factory is no class attribute
            obj = fields[part]
            continue
        if not hasattr(obj, part):
            return False
        obj = getattr(obj, part)
    return True


def missing() -> list[str]:
    """The private names of :data:`REQUIRED` that the installed Streamlit no longer has.

    >>> missing()
    []
    """
    return [f"{module}.{name}" for module, name in REQUIRED if not _has(module, name)]


def _ctx() -> Any:
    return _get_ctx(suppress_warning=True) if _get_ctx is not None else None


def in_script_run() -> bool:
    """Whether this thread runs a Streamlit script (``False`` in a notebook, a test, a callback
    Streamlit calls between runs).

    >>> in_script_run()
    False
    """
    try:
        return _ctx() is not None
    except Exception:  # noqa: BLE001 - internals moved: behave as outside a run
        return False


def remove_query_param(key: str) -> bool:
    """Drop ``?key=`` from the URL *and* from the values widgets are seeded from.

    Returns ``False`` when that was not possible (no script run, internals moved); the caller
    then uses ``st.query_params``.
    """
    try:
        with _ctx().session_state.query_params() as qp:
            qp.remove_param(key)
            qp._initial_query_params.pop(key, None)
        return True
    except Exception:  # noqa: BLE001 - internals moved or no run
        return False


def bound_query_keys() -> set[str]:
    """The ``?key=`` names bound to a widget (``bind="query-params"``) in this session; empty
    when unknown."""
    try:
        with _ctx().session_state.query_params() as qp:
            return set(qp._bindings_by_param)
    except Exception:  # noqa: BLE001
        return set()


def bound_widgets() -> dict[str, tuple[list[str], bool]] | None:
    """``{query key: (value as Streamlit writes it into the URL, is it the default)}``.

    One entry per widget bound to a query parameter that is on screen in this run. ``None``
    when that cannot be known (no script run, internals moved): callers then fall back to
    ``st.query_params``.
    """
    try:
        from streamlit.runtime.state.query_params import _coerce_value_for_query_url

        ctx = _ctx()
        if ctx is None:
            return None
        state = ctx.session_state
        with state.query_params() as qp:
            bindings = dict(qp._bindings_by_param)
        active = ctx.shared.widget_ids_this_run.snapshot()
        out: dict[str, tuple[list[str], bool]] = {}
        for key, binding in bindings.items():
            if binding.widget_id not in active:
                continue  # a control not shown in this run (conditional, or another page)
            meta = state._state.get_widget_metadata(binding.widget_id)
            if meta is None:
                continue
            value = st.session_state[key]
            wire = _coerce_value_for_query_url(meta.serializer(value), binding.value_type)
            out[key] = ([wire] if isinstance(wire, str) else list(wire), value == meta.deserializer(None))
        return out
    except Exception:  # noqa: BLE001 - internals moved: degrade to the plain URL, never crash
        return None


def set_by_api(key: str) -> bool:
    """Whether ``st.session_state[key]`` was assigned in this run (by a callback or the script)
    rather than by the widget itself; ``False`` when unknown (no script run, internals moved).

    >>> set_by_api("stride_in_h")
    False
    """
    try:
        return bool(_ctx().session_state.is_new_state_value(key))
    except Exception:  # noqa: BLE001 - internals moved or no run: draw the widget as usual
        return False


def is_deleted_file(value: object) -> bool:
    """Whether an uploader's value is Streamlit's placeholder for a file this server lost.

    >>> is_deleted_file(None)
    False
    """
    try:
        from streamlit.runtime.uploaded_file_manager import DeletedFile
    except ImportError:  # internals moved: no lost-upload notice, the page still works
        return False
    return isinstance(value, DeletedFile)


def _user_state(session: Any) -> dict[str, Any]:
    """A session's values by key: what the script set (``st.session_state[...]``) and widget values."""
    state = session.session_state  # AppSession's SessionState (a script run sees it wrapped: SafeSessionState)
    state = getattr(state, "_state", state)
    out: dict[str, Any] = {}
    for name in ("_old_state", "_new_session_state"):
        out.update(getattr(state, name, {}))
    return out


def server_stores(errors: list[str] | None = None) -> dict[str, Any] | None:
    """The stores of the running server that hold memory between script runs (read only).

    ``None`` when there is no server (a test, AppTest) or the internals moved. Keys:

    * ``active``: ``{session id: {key: value}}`` of connected sessions' state;
    * ``stored``: ``{session id: ({key: value}, seconds until its TTL runs out)}`` of disconnected
      sessions kept for a reconnect (negative: expired, but not yet dropped);
    * ``uploads``: ``{session id: [file contents]}`` in the uploaded-file store;
    * ``media``: ``{"bytes", "files", "sessions": {session id: files}, "deferred": {session id: [callable]}}``;
    * ``cache_data``: ``[(function, entries, pickled bytes)]``;
    * ``cache_resource``: ``[(function, scope, [value])]``;
    * ``zombies``: ``AppSession`` objects still in memory that the server no longer knows (dropped
      from the session storage, waiting for Python's cycle collector to run their ``__del__``).

    Threading: reads dicts other threads change; it copies them first and tolerates a torn read
    (it is a measuring aid, never on a student's path). ``errors`` receives why it returned ``None``.
    """
    try:
        from streamlit.runtime.caching.cache_data_api import _data_caches
        from streamlit.runtime.caching.cache_resource_api import _resource_caches
        from streamlit.runtime.runtime import Runtime

        if not Runtime.exists():
            return None
        rt = Runtime.instance()
        mgr = rt._session_mgr
        out: dict[str, Any] = {"active": {}, "stored": {}}
        for info in list(mgr.list_active_sessions()):
            out["active"][info.session.id] = _user_state(info.session)
        cache = mgr._session_storage._cache  # MemorySessionStorage's TTLCache: read it raw, no reaping
        now = cache.timer()
        expirations = dict(cache._expirations)
        for sid, info in list(cache._data.items()):
            out["stored"][sid] = (_user_state(info.session), expirations.get(sid, now) - now)
        uploads = rt.uploaded_file_mgr
        with uploads._lock:
            out["uploads"] = {sid: [f.data for f in files.values()] for sid, files in uploads.file_storage.items()}
        media = rt.media_file_mgr
        with media._lock:
            by_session = {sid: len(files) for sid, files in media._files_by_session_and_coord.items()}
            deferred = {sid: [media._deferred_callables[f]["callable"] for f in ids
                              if f in media._deferred_callables]
                        for sid, ids in media._deferred_ids_by_session.items()}
            files = list(media._storage._files_by_id.values())
        out["media"] = {"bytes": sum(len(f.content) for f in files), "files": len(files),
                        "sessions": by_session, "deferred": deferred}
        with _data_caches._caches_lock:
            data_caches = [c for by_key in _data_caches._function_caches.values() for c in by_key.values()]
        out["cache_data"] = []
        for c in data_caches:
            entries = [s for stats in c.get_stats().values() for s in stats]
            out["cache_data"].append((c.display_name, len(entries), sum(s.byte_length for s in entries)))
        resources = []
        with _resource_caches._caches_lock:
            caches = [(scope, c) for scope, by_key in _resource_caches._function_caches.items()
                      for c in by_key.values()]
        for scope, c in caches:
            with c._mem_cache_lock:
                values = [r.value for r in c._mem_cache.values()]
            resources.append((c.display_name, "global" if scope is None else "session", values))
        out["cache_resource"] = resources
        from streamlit.runtime.app_session import AppSession

        known = set(out["active"]) | set(out["stored"])
        out["zombies"] = {o.id: _user_state(o) for o in gc.get_objects()
                          if isinstance(o, AppSession) and o.id not in known}
        return out
    except Exception as exc:  # noqa: BLE001 - internals moved: no report, the app is unaffected
        if errors is not None:
            errors.append(f"{type(exc).__name__}: {exc}")
        return None


_LOG = logging.getLogger(__name__)
_reaper_lock = threading.Lock()
_reaper_started = False


def _session_ttl_cache(rt: Any) -> Any:
    """The TTLCache behind ``MemorySessionStorage`` (Streamlit's default session storage)."""
    return rt._session_mgr._session_storage._cache


def reap_sessions(rt: Any, within: float) -> int:
    """Close the disconnected sessions whose reconnect window ends within ``within`` s; how many.

    Must run on the server's event loop (``Runtime.close_session`` is not thread-safe). Sessions
    whose window already ended (dropped by nobody yet) are taken out of the storage and shut
    down, as ``close_session`` would have done a moment earlier.
    """
    cache = _session_ttl_cache(rt)
    now = cache.timer()
    due = [sid for sid, ends in list(cache._expirations.items()) if now < ends <= now + within]
    for sid in due:
        rt.close_session(sid)  # out of the storage, then AppSession.shutdown(): uploads, media, caches
    expired = cache.expire(now)
    for _sid, info in expired:
        info.session.shutdown()
    return len(due) + len(expired)


def start_session_reaper(period: float = 5.0, after: Callable[[int], None] | None = None) -> bool:
    """Close the sessions of closed tabs as soon as their reconnect window is over; once per process.

    A closed (or reloaded) tab's session stays in the server's memory for
    ``server.disconnectedSessionTTL`` s (120) so that a browser that lost its connection for a
    moment gets it back. When that time is up Streamlit's ``MemorySessionStorage`` only *reports*
    the session gone: the entry stays until the storage's next write (the next tab that closes)
    and is never shut down explicitly, so the session's uploads, media files, deferred downloads
    and session state stay in memory until then: a whole class's, well into the next class
    (docs/BENCHMARKS.md, section 6). Every ``period`` s, on the server's event loop, this closes
    the sessions whose window ends within the next ``period`` + 1 s (``Runtime.close_session``)
    and shuts down any whose window already ended; ``after(n)`` runs there when it closed ``n`` > 0.

    Returns ``False`` when there is no running server (a test, AppTest) or the internals moved;
    Streamlit then keeps its own behaviour.
    """
    global _reaper_started
    try:
        from streamlit.runtime.runtime import Runtime, RuntimeState

        if not Runtime.exists():
            return False
        rt = Runtime.instance()
        loop = rt._get_async_objs().eventloop
        _session_ttl_cache(rt)._expirations  # noqa: B018 - fail here, not on the loop, if it moved
    except Exception:  # noqa: BLE001 - internals moved: Streamlit's own behaviour
        return False
    with _reaper_lock:
        if _reaper_started:
            return True
        _reaper_started = True

    def tick() -> None:
        if rt.state in (RuntimeState.STOPPING, RuntimeState.STOPPED):
            return
        try:
            closed = reap_sessions(rt, period + 1.0)
            if closed and after is not None:
                after(closed)
        except Exception:  # noqa: BLE001 - never take the event loop down; stop reaping instead
            _LOG.exception("session reaper stopped")
            return
        loop.call_later(period, tick)

    loop.call_soon_threadsafe(tick)
    return True
