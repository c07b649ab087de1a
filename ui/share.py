"""Shareable links: the URL of the current view, and checking the values a link brings in.

What is on screen is defined by the page plus the widgets bound to query parameters
(``bind="query-params"``), the language (``?lang=ko``) and any parameter a page reads itself
through :func:`query_param`. This module

* builds the link to the current view (:func:`share_url`), always with ``lang`` so the link
  opens in the sender's language: Streamlit writes a bound select widget's *label* into the URL
  (``?kernels_preset=윤곽선``), and labels only match in the same language;
* checks what a link brought in (:func:`check_link`): unknown keys, and values Streamlit
  silently dropped or clamped (``stride_stride=999``, ``kernels_mode=<script>``), so ``app.py``
  can tell the user which settings were reset instead of failing silently.

The pure helpers (:func:`build_url`, :func:`same_value`, :func:`clean_for_display`) have no
Streamlit dependency and are unit-tested directly.
"""
from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from ui.i18n import LANGUAGES

T = TypeVar("T")

LANG_KEY = "lang"
PRESENTATION_KEY = "present"
#: App-level parameters that are not page widgets.
APP_KEYS = frozenset({LANG_KEY, PRESENTATION_KEY})
#: Parameters that describe how *this* screen shows things, not what the view is: not shared.
NOT_SHARED = frozenset({PRESENTATION_KEY})
#: Longest value shown back to the user in a notice.
SHOWN_CHARS = 40

_STATE = "_share"  # session-state slot for this module's bookkeeping

Params = dict[str, list[str]]


@dataclass(frozen=True)
class Problem:
    """One query parameter of a link that could not be used.

    ``kind`` is ``"unknown"`` (no control of this page has that name) or ``"invalid"`` (the
    control exists but the value was malformed or out of range, so a default is used).
    """

    key: str
    value: str
    kind: Literal["unknown", "invalid"]


# --------------------------------------------------------------------------- pure helpers

def build_url(base: str, params: Mapping[str, str | Iterable[str]]) -> str:
    """``base`` with its query string replaced by ``params`` (repeated keys for lists).

    Parameters
    ----------
    base : str
        Absolute (``https://host/app/stride``) or relative (``/stride``) URL; any query
        string or fragment it has is dropped.
    params : mapping
        Parameter name to a value or a list of values.

    Examples
    --------
    >>> build_url("https://demo.example/stride?x=1#top", {"lang": "ko", "stride_stride": ["2"]})
    'https://demo.example/stride?lang=ko&stride_stride=2'
    >>> build_url("/kernels", {"kernels_preset": "윤곽선"})
    '/kernels?kernels_preset=%EC%9C%A4%EA%B3%BD%EC%84%A0'
    >>> build_url("/home", {})
    '/home'
    """
    scheme, netloc, path, _, _ = urlsplit(base)
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        values = [value] if isinstance(value, str) else list(value)
        pairs.extend((key, str(v)) for v in values)
    return urlunsplit((scheme, netloc, path or "/", urlencode(pairs), ""))


def public_url(url: str) -> str:
    """The address to share for the browser's ``url``.

    Community Cloud serves the app inside an iframe under ``/~/+/``; a shared link should be the
    app's public address without that segment.

    >>> public_url("https://convviz.streamlit.app/~/+/stride")
    'https://convviz.streamlit.app/stride'
    >>> public_url("http://localhost:8501/kernels")
    'http://localhost:8501/kernels'
    """
    scheme, netloc, path, query, fragment = urlsplit(url)
    if path == "/~/+" or path.startswith("/~/+/"):
        path = "/" + path[len("/~/+/"):]
    return urlunsplit((scheme, netloc, path, query, fragment))


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def same_value(url_value: str | list[str], current: list[str]) -> bool:
    """Whether a value from a URL means the widget's current (serialized) value.

    Streamlit normalizes what it accepts (``TRUE`` -> ``true``, ``2.0`` -> ``2``), so this
    compares numbers as numbers and text case-insensitively.

    >>> same_value("2.0", ["2"]), same_value("TRUE", ["true"]), same_value(["a", "b"], ["a", "b"])
    (True, True, True)
    >>> same_value("999", ["4"]), same_value("<script>", ["Emboss"])
    (False, False)
    """
    given = [url_value] if isinstance(url_value, str) else list(url_value)
    if len(given) != len(current):
        return False
    for a, b in zip(given, current):
        na, nb = _number(a), _number(b)
        if na is not None and nb is not None:
            if na != nb:
                return False
        elif a.strip().casefold() != b.strip().casefold():
            return False
    return True


def clean_for_display(text: str, limit: int = SHOWN_CHARS) -> str:
    """A URL value made safe to show inside a Markdown code span: printable, no backticks, short.

    >>> clean_for_display("<script>alert(1)</script>", 12)
    '<script>ale…'
    >>> clean_for_display("a`b\\n")
    "a'b"
    """
    text = "".join(ch if ch.isprintable() else " " for ch in text).replace("`", "'").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_problems(problems: Iterable[Problem]) -> str:
    """``key=value`` items for a notice, each in a code span (so nothing in them is rendered).

    >>> describe_problems([Problem("stride_stride", "999", "invalid"), Problem("foo", "<b>", "unknown")])
    '`stride_stride=999`, `foo=<b>`'
    """
    return ", ".join(f"`{clean_for_display(p.key, 30)}={clean_for_display(p.value)}`" for p in problems)


def copy_button_html(url: str, *, label: str, done: str, failed: str, large: bool = False) -> str:
    """A self-contained page with one keyboard-focusable button that copies ``url``.

    For ``st.iframe`` (which runs scripts and allows ``clipboard-write``). Streamlit's own copy
    icon on ``st.code`` only appears on mouse hover and cannot be reached with the Tab key.
    The result is announced to screen readers through a polite live region.

    >>> page = copy_button_html("https://h/stride?lang=ko", label="Copy", done="Copied", failed="No")
    >>> '"https://h/stride?lang=ko"' in page and "<button" in page
    True
    >>> "</script><b>" in copy_button_html("</script><b>", label="x", done="y", failed="z")
    False
    """
    def js(text: str) -> str:  # a JS string literal that cannot close the <script> element
        return json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

    size = 20 if large else 15
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; font-family: "Source Sans Pro", "Source Sans 3", system-ui, sans-serif; }}
button {{ box-sizing: border-box; width: 100%; min-height: 2.6em; font: inherit; font-size: {size}px;
  color: #fff; background: #1f5fbf; border: 1px solid #1f5fbf; border-radius: 0.5rem; cursor: pointer; }}
button:hover {{ background: #174a94; }}
button:focus-visible {{ outline: 3px solid #b35900; outline-offset: 2px; }}
.sr {{ position: absolute; left: -9999px; }}
</style></head><body>
<button id="copy" type="button">{html.escape(label)}</button><span id="status" class="sr" role="status" aria-live="polite"></span>
<script>
const url = {js(url)}, label = {js(label)}, done = {js(done)}, failed = {js(failed)};
const button = document.getElementById("copy"), status = document.getElementById("status");
button.addEventListener("click", async () => {{
  let ok = false;
  try {{ await navigator.clipboard.writeText(url); ok = true; }} catch (err) {{
    const area = document.createElement("textarea");  // fallback where the Clipboard API is blocked
    area.value = url; document.body.appendChild(area); area.select();
    try {{ ok = document.execCommand("copy"); }} catch (err2) {{ ok = false; }}
    area.remove();
  }}
  button.textContent = status.textContent = ok ? done : failed;
  setTimeout(() => {{ button.textContent = label; }}, 2500);
}});
</script></body></html>"""


# --------------------------------------------------------------------------- Streamlit side

def _bookkeeping() -> dict[str, Any]:
    return st.session_state.setdefault(_STATE, {"page": None, "known": set(), "problems": [], "managed": set()})


#: Every URL key a page keeps in step by hand (:func:`managed`), over all pages and sessions.
MANAGED: set[str] = set()


def managed(key: str) -> None:
    """Declare that a control on screen in this run keeps ``?key=`` in step itself (``ui.choice``).

    At the end of the run (:func:`check_link`) such keys whose control is *not* on screen are
    removed from the URL, as Streamlit removes the parameters of bound widgets that are gone.
    """
    MANAGED.add(key)
    _bookkeeping().setdefault("managed", set()).add(key)


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


def overflows(text: str) -> bool:
    """Whether ``text`` reads as an infinite number (``inf``, ``-Infinity``, ``1e999``, 400 nines).

    Streamlit 1.67 crashes the page (``OverflowError`` in ``int(float(value))``, not caught by
    its URL seeding) when such a value reaches a bound integer ``number_input``, so
    :func:`begin_run` removes them before any widget sees them.

    >>> overflows("inf"), overflows("9" * 400), overflows("1e308"), overflows("nan"), overflows("abc")
    (True, True, False, False, False)
    """
    try:
        return math.isinf(float(text))
    except (TypeError, ValueError):
        return False


def _remove_param(key: str) -> None:
    """Drop ``key`` from the URL *and* from the values widgets are seeded from (Streamlit internals)."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        with get_script_run_ctx().session_state.query_params() as qp:
            qp.remove_param(key)
            qp._initial_query_params.pop(key, None)
    except Exception:  # noqa: BLE001 - internals moved: the public way still cleans the URL
        if key in st.query_params and key not in APP_KEYS:
            del st.query_params[key]


def begin_run() -> Params:
    """Call first in ``app.py``: remember the URL this run started from.

    Values no control could accept and that break Streamlit itself (infinite numbers, see
    :func:`overflows`, and empty values) are removed here, before any widget is created, and
    reported. Returns the parameters (also
    kept for :func:`check_link`).
    """
    book = _bookkeeping()
    book["known"] = set()
    book["problems"] = []
    book["managed"] = set()
    for key in list(st.query_params):
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


def _bound_widgets() -> dict[str, tuple[list[str], bool]] | None:
    """``{query key: (value as Streamlit writes it into the URL, is it the default)}``.

    One entry per widget bound to a query parameter that is on screen in this run. Uses
    Streamlit internals (the binding registry and widget serializers, 1.67), so it returns
    ``None`` instead of failing if they change; callers then fall back to ``st.query_params``.
    """
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
        from streamlit.runtime.state.query_params import _coerce_value_for_query_url

        ctx = get_script_run_ctx()
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


def view_params(lang: str) -> Params:
    """The parameters that reproduce the current view: bound controls, page-managed ones, ``lang``.

    Call after the page has run (its widgets must exist). Controls at their default are left
    out (as Streamlit does); ``lang`` is always first and always present.
    """
    params: Params = {LANG_KEY: [lang]}
    bound = _bound_widgets()
    url = current_params()
    if bound is None:
        bound = {}
    else:
        # Bound parameters of controls not on screen now are stale: leave them out.
        url = {k: v for k, v in url.items() if k not in _bound_keys()}
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


def _bound_keys() -> set[str]:
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        ctx = get_script_run_ctx()
        with ctx.session_state.query_params() as qp:
            return set(qp._bindings_by_param)
    except Exception:  # noqa: BLE001
        return set()


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
    bound = _bound_widgets()
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
