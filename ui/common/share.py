"""Shareable links in the running app: the URL of the current view, and checking what a link brought in.

What is on screen is defined by the page plus the widgets bound to query parameters
(``bind="query-params"``), the language (``?lang=ko``) and any parameter a page reads itself
through :func:`query_param`. This module

* builds the link to the current view (:func:`share_url`), always with ``lang`` so the link
  opens in the sender's language: Streamlit writes a bound select widget's *label* into the URL
  (``?kernels_preset=윤곽선``), and labels only match in the same language;
* checks what a link brought in (:func:`check_link`): unknown keys, and values Streamlit
  silently dropped or clamped (``stride_stride=999``, ``kernels_mode=<script>``), so ``app.py``
  can tell the user which settings were reset instead of failing silently.

The text side (:func:`~ui.common.urls.build_url`, :func:`~ui.common.urls.same_value`, ...) is
:mod:`ui.common.urls`, without Streamlit; the "copy link" button is :mod:`ui.common.copy_button`; what this
module needs of Streamlit's private state goes through :mod:`ui.server.streamlit_internals`. The names
of :mod:`ui.common.urls` are importable from here as well.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from ui.common import keys
from ui.common.i18n import LANGUAGES
from ui.common.urls import (
    APP_KEYS,
    GUESSES,
    LANG_KEY,
    NOT_SHARED,
    PRESENTATION_KEY,
    SHOWN_CHARS,
    Params,
    Problem,
    build_url,
    clean_for_display,
    describe_problems,
    overflows,
    public_url,
    same_value,
)
from ui.server import streamlit_internals as internals

__all__ = ["APP_KEYS", "GUESSES", "LANG_KEY", "NOT_SHARED", "PRESENTATION_KEY", "SHOWN_CHARS", "Params", "Problem",
           "build_url", "clean_for_display", "describe_problems", "overflows", "public_url", "same_value",
           "MANAGED", "managed", "live", "live_keys", "current_params", "begin_run", "reject", "language_from_url",
           "query_param", "view_params", "share_url", "is_entry_run", "check_link"]

T = TypeVar("T")


def _bookkeeping() -> dict[str, Any]:
    return st.session_state.setdefault(keys.SHARE_STATE,
                                       {"page": None, "known": set(), "problems": [], "managed": set(),
                                        "live": set()})


#: Every URL key a page keeps in step by hand (:func:`managed`), over all pages and sessions.
MANAGED: set[str] = set()


def managed(key: str) -> None:
    """Declare that a control on screen in this run keeps ``?key=`` in step itself (``ui.common.choice``).

    At the end of the run (:func:`check_link`) such keys whose control is *not* on screen are
    removed from the URL, as Streamlit removes the parameters of bound widgets that are gone.
    """
    MANAGED.add(key)
    _bookkeeping().setdefault("managed", set()).add(key)


def live(*keys_: str) -> None:
    """Declare query parameters that a fragment on screen keeps in step between full runs.

    A fragment (the pixel inspector) reruns alone, so the link written at the end of the last
    full run (:func:`share_url`) would miss what changed in it since. The link offered in the
    sidebar (:mod:`ui.common.copy_button`) therefore takes these parameters from the browser's address
    when it is copied or shown. Call it from the fragment, on every run of it.
    """
    _bookkeeping().setdefault("live", set()).update(keys_)


def live_keys() -> list[str]:
    """The parameters declared with :func:`live` in this run, sorted."""
    return sorted(_bookkeeping().get("live", ()))


def _drop_stale_managed() -> None:
    """Remove ``?key=`` of hand-synced controls that this run did not draw (see :func:`managed`)."""
    book = _bookkeeping()
    shown = book.get("managed", set())
    for key in MANAGED - shown:
        if key in st.query_params:
            del st.query_params[key]
    book["managed"] = set()


def current_params() -> Params:
    """The query parameters of the URL as it is now (embed parameters excluded)."""
    return {key: list(st.query_params.get_all(key)) for key in st.query_params}


def _remove_param(key: str) -> None:
    """Drop ``key`` from the URL *and* from the values widgets are seeded from."""
    if not internals.remove_query_param(key) and key in st.query_params and key not in APP_KEYS:
        del st.query_params[key]  # internals moved: the public way still cleans the URL


def begin_run() -> Params:
    """Call first in ``app.py``: remember the URL this run started from.

    Values no control could accept and that break Streamlit itself (infinite numbers, see
    :func:`overflows`, and empty values) are removed here, before any widget is created, and
    reported. A guess (:data:`GUESSES`, from links made before guesses left the URL) is removed
    without a word: whoever opens a link guesses afresh. Returns the parameters (also
    kept for :func:`check_link`).
    """
    book = _bookkeeping()
    book["known"] = set()
    book["problems"] = []
    book["managed"] = set()
    book["live"] = set()
    for key in list(st.query_params):
        if key in GUESSES:  # an old link with a guess in it: open with an empty guess, no notice
            _remove_param(key)
            continue
        values = st.query_params.get_all(key)
        # ``?key=`` means "cleared", which Streamlit 1.67 applies even to a required
        # segmented control (its value becomes None); no control here has a meaningful empty value.
        if any(overflows(v) for v in values) or all(not v.strip() for v in values):
            _report(Problem(key, values[-1] if values else "", "invalid"))
            _remove_param(key)
    book["incoming"] = current_params()
    return book["incoming"]


def reject(key: str, value: str) -> None:
    """Refuse a link's value for a bound control before the control exists: reported, then removed."""
    _report(Problem(key, value, "invalid"))
    _remove_param(key)


def _report(problem: Problem) -> None:
    _bookkeeping()["problems"].append(problem)


def language_from_url() -> str | None:
    """The language a link asks for (``?lang=ko``), or ``None``.

    Also accepts the language names (``?lang=한국어``) and any case. A value that is no
    language is reported as a problem and removed from the URL.

    Examples
    --------
    ``?lang=KO`` -> ``"ko"``, ``?lang=klingon`` -> ``None`` plus a notice.
    """
    values = st.query_params.get_all(LANG_KEY)
    if not values:
        return None
    raw = values[-1]
    wanted = raw.strip().casefold()
    for code, name in LANGUAGES.items():
        if wanted in (code, name.casefold()) or wanted.split("-")[0] == code:
            return code
    _report(Problem(LANG_KEY, raw, "invalid"))
    del st.query_params[LANG_KEY]
    return None


def query_param(key: str, parse: Callable[[str], T], default: T) -> T:
    """Read a parameter a page manages itself (when no widget ``bind`` fits).

    The key is marked as known (so the link check does not call it unknown); a value that
    ``parse`` rejects (raises ``ValueError``/``TypeError``/``KeyError``) is reported, removed
    from the URL and ``default`` is returned. The page writes the value back with
    ``st.query_params[key] = ...`` when the user changes it.

    Parameters
    ----------
    key : str
        Parameter name, prefixed by the page (``params_arch``).
    parse : callable
        Turns the text into a value, raising on anything invalid.
    default : object
        Value when the parameter is absent or invalid.

    Examples
    --------
    In a page: ``arch = query_param("params_arch", ARCH_BY_NAME.__getitem__, default_arch)``.
    """
    _bookkeeping()["known"].add(key)
    values = st.query_params.get_all(key)
    if not values:
        return default
    try:
        return parse(values[-1])
    except (ValueError, TypeError, KeyError, IndexError):
        _report(Problem(key, values[-1], "invalid"))
        del st.query_params[key]
        return default


def view_params(lang: str) -> Params:
    """The parameters that reproduce the current view: bound controls, page-managed ones, ``lang``.

    Call after the page has run (its widgets must exist). Controls at their default are left
    out (as Streamlit does); ``lang`` is always first and always present.
    """
    params: Params = {LANG_KEY: [lang]}
    bound = internals.bound_widgets()
    url = current_params()
    if bound is None:
        bound = {}
    else:
        # Bound parameters of controls not on screen now are stale: leave them out.
        url = {k: v for k, v in url.items() if k not in internals.bound_query_keys()}
    for key, values in url.items():
        if key not in APP_KEYS:
            params[key] = values
    for key, (values, is_default) in sorted(bound.items()):
        if key in APP_KEYS:
            continue
        if is_default:
            params.pop(key, None)
        else:
            params[key] = values
    for key in NOT_SHARED:
        params.pop(key, None)
    return params


def share_url(url_path: str, lang: str) -> str:
    """Absolute link to the current page and settings (relative when the browser URL is unknown).

    Parameters
    ----------
    url_path : str
        The page's ``url_path`` (``"stride"``); ``""`` for the default page.
    lang : str
        Language code to put in the link.
    """
    try:
        base = st.context.url or ""
    except Exception:  # noqa: BLE001 - no browser context (bare run)
        base = ""
    if not base:
        base = "/" + url_path
    return build_url(public_url(base), view_params(lang))


def is_entry_run(page_id: str) -> bool:
    """Whether this run opens ``page_id`` (first run of the session, or a page change).

    Only such runs take widget values from the URL, so only they can bring in bad values.
    """
    book = _bookkeeping()
    entry = book.get("page") != page_id
    book["page"] = page_id
    return entry


def check_link(*, entry: bool) -> list[Problem]:
    """The problems with the parameters this run started from.

    Call at the end of ``app.py``, after the page ran. Reports

    * values :func:`language_from_url` / :func:`query_param` rejected (every run);
    * on an entry run (see :func:`is_entry_run`): parameters no control of this page uses
      (unknown keys, removed from the URL; a page that reads a parameter itself declares it with
      :func:`query_param`), and values Streamlit dropped or changed for a bound control.
    """
    book = _bookkeeping()
    problems: list[Problem] = list(book["problems"])
    _drop_stale_managed()
    if not entry:
        return problems
    bound = internals.bound_widgets()
    if bound is None:
        return problems  # cannot tell reliably: stay quiet rather than cry wolf
    reported = {p.key for p in problems}
    for key, values in book.get("incoming", {}).items():
        if key in reported or key in book["known"] or key == LANG_KEY or key in MANAGED:
            continue
        shown = values[-1] if values else ""
        if key in bound:
            current = bound[key][0]
            # A single-valued control uses the last of repeated values, as Streamlit does.
            given = values if len(current) > 1 else shown
            if not same_value(given, current):
                problems.append(Problem(key, shown, "invalid"))
        else:
            problems.append(Problem(key, shown, "unknown"))
            if key in st.query_params:
                del st.query_params[key]  # so it is not passed on in the link to this view
    return problems
