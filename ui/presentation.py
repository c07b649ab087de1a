"""Presentation mode: larger text and wider content for a projector at the front of a classroom.

Streamlit sizes text, spacing and KaTeX formulas in ``rem``/``em``, so raising the root font
size scales the whole page consistently, and browser zoom, keyboard focus and screen readers
keep working (unlike a CSS ``zoom``/``transform``, which shifts click positions in canvases
such as the data editor).
"""
from __future__ import annotations

import streamlit as st

#: Root font size in presentation mode (Streamlit's default is 16 px).
PRESENTATION_FONT_PX = 22

_CSS = f"""
<style>
html {{ font-size: {PRESENTATION_FONT_PX}px; }}
/* Use the projector's full width; keep a margin so nothing touches the screen edge. */
[data-testid="stMainBlockContainer"] {{ max-width: 100%; padding-left: 2.5rem; padding-right: 2.5rem; }}
/* Thicker focus ring, visible from the back of the room when navigating by keyboard. */
*:focus-visible {{ outline: 3px solid #1f5fbf !important; outline-offset: 2px; }}
/* Captions and help text are small by design; on a projector they must stay legible. */
[data-testid="stCaptionContainer"] {{ font-size: 0.95rem; }}
</style>
"""


def css() -> str:
    """The ``<style>`` block presentation mode injects.

    >>> "font-size: 22px" in css()
    True
    """
    return _CSS


def apply(enabled: bool) -> None:
    """Inject the presentation styles when ``enabled`` (a style-only ``st.html`` takes no space)."""
    if enabled:
        st.html(_CSS)
