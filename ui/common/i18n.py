"""Translation: one catalog per language under ``locales/<lang>/``, one TOML file per page.

A key is ``<file stem>.<name>`` (``kernels.title`` is ``title`` in ``locales/en/kernels.toml``).
Strings are ``str.format`` templates: ``t("kernels.size", n=3)``.

The language of a session is ``st.session_state[keys.LANG]`` (set by the switch in ``app.py`` from
``?lang=`` or the browser's locale). ``tests/ui/common/test_i18n.py`` checks that both catalogs have the
same keys and placeholders and that no page renders a missing key.
"""
from __future__ import annotations

import contextlib
import functools
import string
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path

import streamlit as st

from ui.common import keys
from ui.server.streamlit_internals import in_script_run

LANGUAGES: dict[str, str] = {"en": "English", "ko": "한국어"}
DEFAULT_LANGUAGE = "en"
LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"

#: Keys asked for but missing in the active language, or whose template could not be filled
#: (tests assert this stays empty).
MISSING: set[tuple[str, str]] = set()

# Language of the most recent script run. Used only when Streamlit calls a widget's format_func
# outside any script run (AppTest does, when collecting widget states between runs); inside a
# run the session's own language always wins, so sessions never see each other's language.
_last_language = DEFAULT_LANGUAGE
# A language forced for a moment in this thread (see :func:`speaking`); each session's script
# runs in its own thread, so this never leaks into another session.
_forced = threading.local()


def _flatten(prefix: str, data: dict, out: dict[str, str]) -> None:
    for name, value in data.items():
        key = f"{prefix}.{name}"
        if isinstance(value, dict):
            _flatten(key, value, out)
        else:
            out[key] = str(value)


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """All strings of one language, flattened to ``{"page.key": "text"}``.

    >>> catalog("ko")["common.nav.stride"]
    '스트라이드와 패딩'
    """
    out: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.toml")):
        with path.open("rb") as fh:
            _flatten(path.stem, tomllib.load(fh), out)
    return out


def placeholders(text: str) -> set[str]:
    """The ``str.format`` field names used in ``text``.

    >>> sorted(placeholders("{w} × {h} ({name})"))
    ['h', 'name', 'w']
    """
    return {field.split(".")[0].split("[")[0]
            for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def browser_language() -> str:
    """The app language that matches the browser's locale (``ko-KR`` -> ``ko``)."""
    try:
        locale = st.context.locale or ""
    except Exception:  # no browser context (bare script run)
        locale = ""
    code = locale.split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    """The session's language code (``"en"`` or ``"ko"``)."""
    global _last_language
    forced = getattr(_forced, "lang", None)
    if forced is not None:
        return forced
    if not in_script_run():
        return _last_language
    lang = st.session_state.get(keys.LANG)
    lang = lang if lang in LANGUAGES else browser_language()
    _last_language = lang
    return lang


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Make :func:`t` use ``lang`` inside the ``with`` block (to read a label in another language).

    >>> with speaking("ko"):
    ...     t("common.nav.stride")
    '스트라이드와 패딩'
    """
    before = getattr(_forced, "lang", None)
    _forced.lang = lang
    try:
        yield
    finally:
        _forced.lang = before


def t(key: str, **values: object) -> str:
    """The text for ``key`` in the current language, formatted with ``values``.

    A key missing in the active language falls back to English (then to the key itself)
    and is recorded in :data:`MISSING`, so a test can fail on it without a user ever
    seeing a crash. A template whose placeholders do not match ``values`` is shown unfilled
    and recorded the same way.
    """
    lang = current_language()
    if values.get("n") == 1 and f"{key}_one" in catalog(lang):  # "1 layer", not "1 layers"
        key = f"{key}_one"
    text = catalog(lang).get(key)
    if text is None:
        MISSING.add((lang, key))
        text = catalog(DEFAULT_LANGUAGE).get(key, key)
    if not values:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        MISSING.add((lang, f"{key} (placeholders)"))
        return text
