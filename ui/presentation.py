"""Presentation mode (a projector at the front of a classroom) and the layout rules for phones.

Streamlit sizes text, spacing and KaTeX formulas in ``rem``/``em``, so raising the root font
size scales the whole page consistently, and browser zoom, keyboard focus and screen readers
keep working (unlike a CSS ``zoom``/``transform`` on the page, which shifts click positions in
canvases such as the data editor). What is not sized in ``rem`` follows :func:`scale`: the
HTML players (``ui.grid_player``, their own documents) and chart labels (``ui.param_charts``).
Turning the mode on also collapses the sidebar (its toggle stays one click away, behind the
sidebar button), so the projector's width goes to the page.

The base rules (:data:`BASE_CSS`) apply to everyone: buttons wrap their labels instead of
clipping them ("Rand…"), formulas are a little larger, and on a phone (<= 640 px) wide controls
wrap, the pixel inspector's picture scrolls inside the screen instead of running past it and
the Image kernels result comes straight after the controls' first rows.
"""
from __future__ import annotations

import re

import streamlit as st

#: Root font size in presentation mode (Streamlit's default is 16 px).
PRESENTATION_FONT_PX = 22
DEFAULT_FONT_PX = 16
_STATE = "_present_was"  # presentation mode in the previous run (to collapse the sidebar once)

BASE_CSS = """
<style>
/* Button labels wrap instead of being cut off ("Rand…", "Download full-…"). */
[data-testid^="stBaseButton"] { height: auto; min-height: 2.5rem; }
[data-testid^="stBaseButton"] p, [data-testid^="stBaseButton"] div { white-space: normal; overflow: visible;
  text-overflow: clip; }
/* Output-size formulas (ui.formula): inline maths that wraps, a little larger than the text. */
[class*="st-key-cv_formula"] .katex { font-size: 1.25em; }
[class*="st-key-cv_formula"] p { line-height: 2.3; }
@media (max-width: 640px) {
  /* Segmented controls (kernel weights, value sources ...): every option visible, on several lines. */
  [data-testid="stButtonGroup"] > div, [data-testid="stButtonGroup"] [role="radiogroup"],
  [data-testid="stButtonGroup"] [role="group"] { flex-wrap: wrap; }
  [data-testid="stButtonGroup"] button { max-width: 100%; }
  /* The pixel inspector's click-to-pick picture keeps its size (clicks must map to pixels):
     it scrolls inside the screen rather than running past it. */
  .st-key-kernels_px_pick, [data-testid="stVegaLiteChart"] { max-width: 100%; overflow-x: auto; }
  /* Image kernels: the result right under the page title, the controls straight after it. */
  [data-testid="stHorizontalBlock"]:has(.st-key-kernels_preset) > [data-testid="stColumn"]:nth-child(2) {
    order: -1; }
  /* Before / after stay side by side (half the width each) so the result is one screen high. */
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stImage"]):not(:has(
    [data-testid="stHorizontalBlock"], [data-testid="stVegaLiteChart"], .st-key-kernels_preset)) { flex-wrap: nowrap; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stImage"]):not(:has(
    [data-testid="stHorizontalBlock"], [data-testid="stVegaLiteChart"], .st-key-kernels_preset)) > [data-testid="stColumn"] { min-width: 0; width: 50%; flex: 1 1 50%; }
}
</style>
"""

_CSS = f"""
<style>
html {{ font-size: {PRESENTATION_FONT_PX}px; }}
/* Use the projector's full width; keep a margin so nothing touches the screen edge. */
[data-testid="stMainBlockContainer"] {{ max-width: 100%; padding-left: 2.5rem; padding-right: 2.5rem; }}
/* Thicker focus ring, visible from the back of the room when navigating by keyboard. */
*:focus-visible {{ outline: 3px solid #1f5fbf !important; outline-offset: 2px; }}
/* Captions and help text are small by design; on a projector they must stay legible. */
[data-testid="stCaptionContainer"] {{ font-size: 0.95rem; }}
/* HTML tables drawn in px (kernel numbers, the inspector's sums) grow with the text. */
.cv-kernel, [data-testid="stHtml"] table {{ zoom: {PRESENTATION_FONT_PX / DEFAULT_FONT_PX:.3g}; }}
</style>
"""


def _strip_comments(css: str) -> str:
    """The comments above are for developers; the page gets the rules only."""
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


BASE_CSS = _strip_comments(BASE_CSS)
_CSS = _strip_comments(_CSS)


def css() -> str:
    """The ``<style>`` block presentation mode injects.

    >>> "font-size: 22px" in css()
    True
    """
    return _CSS


def is_on() -> bool:
    """Whether this session is in presentation mode (the sidebar toggle, ``?present=true``)."""
    return bool(st.session_state.get("present"))


def scale() -> float:
    """Size factor for what is drawn in px (HTML players, chart labels): 1, or 1.375 when presenting.

    Outside a script run (a notebook) it is 1.
    """
    try:
        return PRESENTATION_FONT_PX / DEFAULT_FONT_PX if is_on() else 1.0
    except Exception:  # noqa: BLE001 - no session
        return 1.0


def apply(enabled: bool) -> None:
    """Inject the base styles, and the presentation styles when ``enabled`` (style-only ``st.html``
    takes no space). Turning presentation mode on collapses the sidebar; turning it off opens it."""
    st.html(BASE_CSS)
    if enabled:
        st.html(_CSS)
    was = st.session_state.get(_STATE)
    if was is not None and was != enabled:
        st.set_page_config(initial_sidebar_state="collapsed" if enabled else "expanded")
    st.session_state[_STATE] = enabled
