"""Presentation mode (a projector at the front of a classroom) and the layout rules for phones.

Streamlit sizes text, spacing and KaTeX formulas in ``rem``/``em``, so raising the root font
size scales the whole page consistently, and browser zoom, keyboard focus and screen readers
keep working (unlike a CSS ``zoom``/``transform`` on the page, which shifts click positions in
canvases such as the data editor). What is not sized in ``rem`` follows :func:`scale`: the
HTML players (``ui.stride.player``, their own documents) and chart labels (``ui.params.table``).
Turning the mode on also collapses the sidebar (its toggle stays one click away, behind the
sidebar button), so the projector's width goes to the page; a page change made from the sidebar
closes it again (``ui/static/sidebar.js``).

The style sheets are ``ui/static/base.css`` and ``ui/static/presentation.css``. The base rules
(:data:`BASE_CSS`) apply to everyone: no control label is cut (buttons, toggles and segmented
controls wrap; rows of controls wrap before a column gets narrower than its label), formulas are
a little larger, pictures drawn as charts shrink to the width there is, and on a phone (<= 640 px)
the Image kernels result and the kernel choice come straight after the title. The stride player
fits itself to the screen (``ui/static/grid.js``): input, kernel and output side by side within the
window's height, on a projector as on a laptop.
"""
from __future__ import annotations

import re

import streamlit as st

from ui.common import keys
from ui.common.static_files import static_text

#: Root font size in presentation mode (Streamlit's default is 16 px).
PRESENTATION_FONT_PX = 22
DEFAULT_FONT_PX = 16


def _strip_comments(css: str) -> str:
    """The comments in the style sheets are for developers; the page gets the rules only."""
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


#: Rules for everyone (``ui/static/base.css``).
BASE_CSS = f"<style>\n{_strip_comments(static_text('base.css'))}</style>\n"

# Presentation mode (``ui/static/presentation.css``), after the two rules that follow the font size:
# the root font size, and HTML tables drawn in px (kernel numbers, the inspector's sums) growing with it.
_CSS = (f"<style>\nhtml {{ font-size: {PRESENTATION_FONT_PX}px; }}\n"
        f".cv-kernel, [data-testid=\"stHtml\"] table {{ zoom: {PRESENTATION_FONT_PX / DEFAULT_FONT_PX:.3g}; }}\n"
        f"{_strip_comments(static_text('presentation.css'))}</style>\n")


def css() -> str:
    """The ``<style>`` block presentation mode injects.

    >>> "font-size: 22px" in css()
    True
    """
    return _CSS


def is_on() -> bool:
    """Whether this session is in presentation mode (the sidebar toggle, ``?present=true``)."""
    return bool(st.session_state.get(keys.PRESENT))


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
    takes no space). Turning presentation mode on (or opening a ``?present=true`` link) collapses the
    sidebar; turning it off opens it. Streamlit lets the state the user last chose by hand win over
    this, so ``ui/static/sidebar.js`` also closes the sidebar from the browser when the mode is turned
    on, and after a page change made from the sidebar in presentation mode or on a small screen."""
    st.html(BASE_CSS)
    if enabled:
        st.html(_CSS)
    was = st.session_state.get(keys.PRESENT_WAS, False)
    if was != enabled:
        st.set_page_config(initial_sidebar_state="collapsed" if enabled else "expanded")
    st.session_state[keys.PRESENT_WAS] = enabled
