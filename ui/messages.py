"""Showing :class:`convviz.ConvVizError` to a student in their language."""
from __future__ import annotations

import streamlit as st

from convviz import ConvVizError
from ui.i18n import catalog, current_language, t


def describe(err: ConvVizError) -> str:
    """The error's message in the current language (from ``locales/*/errors.toml`` by its ``code``).

    Errors without a translated code fall back to convviz's own English message.
    """
    key = f"errors.{err.code}" if err.code else None
    if key and key in catalog(current_language()):
        try:
            return t(key, **err.params)
        except (KeyError, IndexError, ValueError):
            pass
    return str(err)


def show_error(err: ConvVizError, *, prefix_key: str | None = None) -> None:
    text = describe(err)
    st.error(f"{t(prefix_key)} {text}" if prefix_key else text, icon=":material/error:")
