"""Translation: one catalog per language under ``locales/<lang>/``, one TOML file per page.

A key is ``<file stem>.<name>`` (``kernels.title`` is ``title`` in ``locales/en/kernels.toml``).
Strings are ``str.format`` templates: ``t("kernels.size", n=3)``.
"""
from __future__ import annotations

import functools
import tomllib
from pathlib import Path

import streamlit as st

LANGUAGES: dict[str, str] = {"en": "English", "ko": "한국어"}
DEFAULT_LANGUAGE = "en"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"

#: Keys asked for but missing in the active language (tests assert this stays empty).
MISSING: set[tuple[str, str]] = set()


def _flatten(prefix: str, data: dict, out: dict[str, str]) -> None:
    for name, value in data.items():
        key = f"{prefix}.{name}"
        if isinstance(value, dict):
            _flatten(key, value, out)
        else:
            out[key] = str(value)


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """All strings of one language, flattened to ``{"page.key": "text"}``."""
    out: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.toml")):
        with path.open("rb") as fh:
            _flatten(path.stem, tomllib.load(fh), out)
    return out


def browser_language() -> str:
    """The app language that matches the browser's locale (``ko-KR`` -> ``ko``)."""
    try:
        locale = st.context.locale or ""
    except Exception:  # no browser context (bare script run)
        locale = ""
    code = locale.split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    lang = st.session_state.get("lang")
    return lang if lang in LANGUAGES else browser_language()


def t(key: str, **values: object) -> str:
    """The text for ``key`` in the current language, formatted with ``values``.

    A key missing in the active language falls back to English (then to the key itself)
    and is recorded in :data:`MISSING`, so a test can fail on it without a user ever
    seeing a crash.
    """
    lang = current_language()
    text = catalog(lang).get(key)
    if text is None:
        MISSING.add((lang, key))
        text = catalog(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**values) if values else text
