"""Every private Streamlit API the app relies on, in one place.

Checked against Streamlit **1.67.0** (:data:`CHECKED_VERSION`; ``requirements.txt`` allows
``>=1.67,<2``). None of these names is public, so any release may move them. Each wrapper
degrades instead of crashing (returns ``None`` / ``False`` and the caller falls back to the
public API), and ``tests/ui/test_streamlit_internals.py`` fails with the list of what moved
(:func:`missing`), so an upgrade is a test failure, not a quiet loss of a feature.

What is used, and why:

* ``get_script_run_ctx`` (``streamlit.runtime.scriptrunner_utils.script_run_context``): whether
  code runs inside a script run (:func:`in_script_run`, for ``ui.i18n``), and the session's
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
  the Session State API" (``ui.bounded``, ``ui.typed_grid``).
* ``DeletedFile`` (``streamlit.runtime.uploaded_file_manager``): the placeholder an uploader
  holds when the server that had the file went away (:func:`is_deleted_file`, for
  ``ui.lost_upload``).
"""
from __future__ import annotations

import importlib
from typing import Any

import streamlit as st

try:  # on every t() call (ui.i18n): imported once, not per call
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx as _get_ctx
except ImportError:  # internals moved: missing() names it, the app runs as outside a script run
    _get_ctx = None

__all__ = ["CHECKED_VERSION", "REQUIRED", "missing", "in_script_run", "remove_query_param", "bound_query_keys",
           "bound_widgets", "set_by_api", "is_deleted_file"]

#: The Streamlit release these wrappers were read against.
CHECKED_VERSION = "1.67.0"

_CTX_MODULE = "streamlit.runtime.scriptrunner_utils.script_run_context"
_QP_MODULE = "streamlit.runtime.state.query_params"
_UPLOAD_MODULE = "streamlit.runtime.uploaded_file_manager"
_STATE_MODULE = "streamlit.runtime.state.session_state"
_SAFE_STATE_MODULE = "streamlit.runtime.state.safe_session_state"

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
