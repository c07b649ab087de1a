"""The Try-it drawing canvas: a Streamlit custom component (``st.components.v2``), inline HTML, CSS and JS.

No iframe and no build step: ``ui/static/draw.html``, ``draw.css`` and ``draw.js`` are mounted
in the page (in a shadow root, so their styles stay theirs). The student draws with a mouse, a
pen or a finger on a 280 x 280 canvas (narrower on a phone); when a stroke ends the script sends
the whole drawing back as a PNG data URL (``setStateValue("png", ...)``), which starts a rerun;
"Clear" sends ``None``. The drawing is component *state*, not a trigger: it stays while the
student changes anything else, and Python hands it back in ``data`` so a canvas that the page
made anew shows it again.
"""
from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Callable

import streamlit as st

from convviz.pictures import PALETTE
from ui.common.static_files import static_text

#: Pixels of the canvas's drawing (what is sent; it is shown at most this wide).
SIDE = 280
#: Width of the pen, in canvas pixels: about a fourteenth of the canvas, so a digit drawn across
#: most of it has strokes about as thick, for its size, as the training digits'.
BRUSH = 20
#: Longest drawing accepted from the browser, in characters of its data URL (a 280 x 280 PNG of
#: strokes is 5 to 20 kB; anything far larger did not come from this canvas).
MAX_URL = 400_000
#: The data URL's prefix.
PNG_PREFIX = "data:image/png;base64,"


@functools.cache
def _component() -> Callable[..., object]:
    """The component, registered once per process (the same definition on every call)."""
    return st.components.v2.component(
        "convviz_draw", html=static_text("draw.html"), css=static_text("draw.css"),
        js=static_text("draw.js") + "\nexport default cvDraw;\n")


def _ignore() -> None:
    """A state's ``on_<name>_change`` callback: Streamlit returns only the states that have one."""


def drawing(key: str) -> str | None:
    """The drawing the canvas keyed ``key`` holds (a PNG data URL), or ``None``: read before or after it is drawn."""
    state = st.session_state.get(key)  # a dict-like view of the component's state (Streamlit's presenter)
    png = state.get("png") if hasattr(state, "get") else None
    return png if isinstance(png, str) else None


def draw_canvas(*, key: str, clear: str, hint: str, label: str) -> str | None:
    """Draw the canvas and return its drawing as a PNG data URL (``None`` while blank, after "Clear").

    Parameters
    ----------
    key : str
        The component's key (its state lives under it in ``st.session_state``).
    clear, hint, label : str
        The "Clear" button's text, a line beside it, and what a screen reader says of the canvas.
    """
    before = drawing(key)
    result = _component()(
        key=key, default={"png": None}, on_png_change=_ignore, width="stretch", height="content",
        data={"png": before, "clear": clear, "hint": hint, "label": label, "brush": BRUSH,
              "colours": {role: PALETTE[role] for role in ("background", "text", "line", "muted")}})
    png = result.get("png") if hasattr(result, "get") else None
    return png if isinstance(png, str) else None


def png_bytes(url: str | None) -> bytes | None:
    """The PNG inside a data URL from the canvas, or ``None`` when it is not one (or far too long).

    What a browser sends is not trusted: anything but ``data:image/png;base64,<base64>`` of at
    most :data:`MAX_URL` characters is ``None`` (the PNG itself is then read by
    :func:`convviz.load_image`, which refuses what is not an image).

    >>> png_bytes("data:image/png;base64,iVBORw0K")[:4], png_bytes("data:text/html;base64,PGI+"), png_bytes("x")
    (b'\\x89PNG', None, None)
    """
    if not isinstance(url, str) or not url.startswith(PNG_PREFIX) or len(url) > MAX_URL:
        return None
    try:
        return base64.b64decode(url.removeprefix(PNG_PREFIX), validate=True)
    except (binascii.Error, ValueError):
        return None
