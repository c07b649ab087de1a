"""Whole-number inputs whose limits are enforced visibly.

With ``min_value`` / ``max_value``, Streamlit's number input keeps a typed out-of-range value
(stride 9 when the maximum is 4) on screen with a red outline and never sends it: the page
silently goes on with the old value. :func:`bounded_int` leaves the limits to Python instead:
a typed value outside them is clamped in the widget's callback (the box then shows the value
used) and a note under the control says what happened; a value that arrives from a link is
clamped the same way and reported under the control.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from ui.common import keys, share
from ui.common.i18n import t
from ui.server import streamlit_internals as internals


def clamp(value: float | int | None, lo: int, hi: int) -> int | None:
    """``value`` as a whole number inside ``lo..hi`` (``None`` stays ``None``).

    >>> clamp(9, 1, 4), clamp(-3, 1, 4), clamp(2.6, 1, 4), clamp(None, 1, 4)
    (4, 1, 3, None)
    """
    if value is None:
        return None
    return int(min(max(round(float(value)), lo), hi))


def _number_text(value: Any) -> str:
    v = float(value)
    return str(int(v)) if v.is_integer() else f"{v:g}"


def _clamp_in_state(key: str, lo: int, hi: int) -> None:
    given = st.session_state.get(key)
    used = clamp(given, lo, hi)
    notes = st.session_state.setdefault(keys.BOUNDED_NOTES, {})
    if given is not None and used != given:
        st.session_state[key] = used
        notes[key] = (_number_text(given), used)
    else:
        notes.pop(key, None)


def in_range(text: str, lo: int, hi: int) -> bool:
    """Whether a URL value is a whole number inside ``lo..hi`` (what a link may set).

    >>> in_range("3", 1, 4), in_range("3.0", 1, 4), in_range("9", 1, 4), in_range("2.5", 1, 4), in_range("x", 1, 4)
    (True, True, False, False, False)
    """
    try:
        v = float(text)
    except (TypeError, ValueError):
        return False
    return v.is_integer() and lo <= v <= hi


def _check_link_value(key: str, lo: int, hi: int) -> None:
    """A link's out-of-range value is refused (notice + default), as Streamlit does with limits set."""
    values = st.query_params.get_all(key)
    if values and not in_range(values[-1], lo, hi):
        share.reject(key, values[-1])


def bounded_int(label: str, lo: int, hi: int, default: int, *, key: str, where: Any = None,
                **kwargs: Any) -> int:
    """A number input for a whole number in ``lo..hi`` that never ignores what was typed.

    The limits are in the help text (shown on hover) and in the note under the control
    whenever a value had to be changed. Returns the value the page must use.
    """
    where = st if where is None else where
    if kwargs.get("bind") == "query-params":
        _check_link_value(key, lo, hi)
    box = where.container()
    help_text = kwargs.pop("help", None)
    limits = t("common.limits", lo=lo, hi=hi)
    # Right after a callback set the value (a clamp, an example, a pasted model's channels) the box
    # takes it from its state and is drawn without its default: both at once make Streamlit log a
    # warning. Its identity is its key, so nothing else changes.
    value = box.number_input(label, value=None if internals.set_by_api(key) else default, step=1, key=key,
                             on_change=_clamp_in_state,
                             args=(key, lo, hi), help=f"{help_text}  \n{limits}" if help_text else limits,
                             **kwargs)
    used = clamp(value, lo, hi)
    if used is None:
        used = default
    note = st.session_state.get(keys.BOUNDED_NOTES, {}).get(key)
    if value is not None and used != value:
        note = (_number_text(value), used)  # from a link: the box shows it, the page uses `used`
    elif note is not None and note[1] != used:
        note = None  # changed again since
    if note is not None:
        box.caption(t("common.clamped", lo=lo, hi=hi, given=note[0], used=note[1]))
    return used
