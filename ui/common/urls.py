"""Links as text: building the URL of a view and judging the values a link brings in.

Pure functions, no Streamlit import (so they are unit-tested directly and usable anywhere);
:mod:`ui.common.share` applies them to the running session. What a link holds: the page, the widgets
bound to query parameters, ``lang`` (always, so a link opens in the sender's language) and the
parameters pages read themselves through :func:`ui.common.share.query_param`.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode, urlsplit, urlunsplit

from ui.common import keys

__all__ = ["LANG_KEY", "PRESENTATION_KEY", "APP_KEYS", "GUESSES", "NOT_SHARED", "SHOWN_CHARS", "Params", "Problem",
           "build_url", "public_url", "same_value", "clean_for_display", "describe_problems", "overflows"]

LANG_KEY = keys.LANG
PRESENTATION_KEY = keys.PRESENT
#: App-level parameters that are not page widgets.
APP_KEYS = frozenset({LANG_KEY, PRESENTATION_KEY})
#: A student's guesses (``ui.common.predict``): whoever opens a link guesses afresh. Never shared, and
#: dropped without a notice from old links that still carry one (``?stride_guess_h=5``).
GUESSES = frozenset(keys.GUESSES)
#: Parameters that describe how *this* screen shows things, or what *this* student typed, not
#: what the view is: not shared.
NOT_SHARED = frozenset({PRESENTATION_KEY}) | GUESSES
#: Longest value shown back to the user in a notice.
SHOWN_CHARS = 40

#: Query parameters as Streamlit holds them: name -> every value given.
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


def overflows(text: str) -> bool:
    """Whether ``text`` reads as an infinite number (``inf``, ``-Infinity``, ``1e999``, 400 nines).

    Streamlit 1.67 crashes the page (``OverflowError`` in ``int(float(value))``, not caught by
    its URL seeding) when such a value reaches a bound integer ``number_input``, so
    :func:`ui.common.share.begin_run` removes them before any widget sees them.

    >>> overflows("inf"), overflows("9" * 400), overflows("1e308"), overflows("nan"), overflows("abc")
    (True, True, False, False, False)
    """
    try:
        return math.isinf(float(text))
    except (TypeError, ValueError):
        return False
