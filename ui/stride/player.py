"""Self-contained HTML + SVG + JavaScript players for :mod:`convviz.sliding.frames` data.

Every frame travels to the browser once, as JSON, and the player steps through them
client-side: play / pause / step / scrub / speed never cost a Streamlit rerun. Pages show
the result with ``st.iframe(html, height="content")`` (Streamlit measures the player).

The markup, styles and scripts are files in ``ui/static/`` (``bar.html``, ``player.css``,
``transport.js`` shared by both players, ``grid.js``, ``signal.js``); this module only fills in
the data and puts one document together. The colours are :data:`convviz.pictures.palette.PALETTE` (the
GIF export draws with the same), given to the styles and scripts as CSS custom properties
(``--cv-window``, ``--cv-window-edge`` ...).

Safety: nothing user-controlled is pasted into markup. Labels and data go into one
JSON blob (with ``<``, ``>`` and ``&`` escaped, so ``</script>`` cannot end the script
early) and are written into the page with ``textContent``; the only attribute
interpolated, ``lang``, goes through :func:`html.escape`.
"""
from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import Any

from convviz import Frame1D, FrameSet, format_number
from convviz.pictures import PALETTE
from ui.common.static_files import static_text

__all__ = ["GRID_LABELS", "SIGNAL_LABELS", "safe_json", "checked_labels", "palette_css", "player_document",
           "grid_player_html", "signal_player_html"]

#: Label keys :func:`grid_player_html` needs (the page passes translated strings).
GRID_LABELS = ("play", "pause", "prev", "next", "first", "last", "speed", "step", "scrubber", "input", "kernel",
               "kernel_rotated", "window", "output", "value", "weight", "product", "running",
               "running_max", "legend_pad", "legend_pad_max", "legend_inserted", "legend_window",
               "legend_current", "legend_done", "hint", "max", "avg")
#: Label keys :func:`signal_player_html` needs.
SIGNAL_LABELS = ("play", "pause", "prev", "next", "first", "last", "speed", "step", "scrubber", "f", "g_flipped",
                 "product", "result", "position")


def safe_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c`` etc., so no ``</script>`` or ``<!--`` can
    appear, and the text is still valid JSON / JavaScript.

    >>> safe_json({"a": "</script><b>"})
    '{"a": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=True, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def checked_labels(labels: Mapping[str, str], needed: Sequence[str]) -> dict[str, str]:
    """The ``needed`` labels as strings; ``KeyError`` naming those missing (a page forgot to translate one)."""
    missing = [k for k in needed if k not in labels]
    if missing:
        raise KeyError(f"labels missing: {missing}")
    return {k: str(labels[k]) for k in needed}


def _sizes(fs: FrameSet) -> dict[str, int]:
    """Cell sizes at full size, in CSS px: big on small grids (projector), shrinking for large ones.

    ``grid.js`` draws at these sizes and scales the drawing down to the room on screen (the frame's
    width, the window's height), so input, kernel and output stay side by side and in view.
    """
    gh, gw = fs.grid.shape
    oh, ow = fs.output.shape
    kh, kw = fs.kernel_size
    cell = max(18, min(56, 560 // max(gh, gw)))
    ocell = max(18, min(56, 420 // max(oh, ow)))
    kcell = max(18, min(48, 200 // max(kh, kw)))
    return {"cell": cell, "ocell": ocell, "kcell": kcell}


def palette_css() -> str:
    """The palette as CSS custom properties, one ``--cv-<role>`` per role of :data:`PALETTE`.

    >>> palette_css()[:40]
    ':root { --cv-background:#FFFFFF; --cv-te'
    """
    return ":root { " + " ".join(f"--cv-{role.replace('_', '-')}:{code};" for role, code in PALETTE.items()) + " }"


def _block(name: str) -> str:
    """A static file as a block of the document: each starts on a line of its own."""
    return "\n" + static_text(name)


def player_document(lang: str, body: str, data_json: str, script: str, scale: float = 1.0) -> str:
    """One player document: ``body`` after the shared transport bar, ``script`` (a file name) after
    the shared transport script."""
    # Presentation mode: the whole player (buttons, grid, numbers) grows with the page's text.
    zoom = f"body {{ zoom: {float(scale):.3g}; }}" if scale != 1 else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang, quote=True)}"><head><meta charset="utf-8">'
        f"<style>\n{palette_css()}{_block('player.css')}{zoom}</style></head><body>{_block('bar.html')}{body}"
        f'<script type="application/json" id="cv-data">{data_json}</script>'
        # One function scope: no player name can clash with a window global (``top``, ``name``...).
        f"<script>(function () {{\n{_block('transport.js')}{_block(script)}\n}})();</script></body></html>"
    )


def grid_player_html(fs: FrameSet, labels: Mapping[str, str], *, lang: str = "en", scale: float = 1.0) -> str:
    """The sliding-window player for ``fs`` as one HTML document.

    Parameters
    ----------
    fs : FrameSet
        From :func:`convviz.animation_frames`.
    labels : mapping
        Translated strings for every key in :data:`GRID_LABELS`; ``step`` is a template
        with ``{i}`` and ``{n}``.
    lang : str, keyword-only
        Document language (``"en"``, ``"ko"``).
    scale : float, keyword-only
        Size factor for presentation mode (``ui.common.presentation.scale()``).

    Returns
    -------
    str
        HTML for ``st.iframe``.

    Examples
    --------
    >>> import numpy as np
    >>> from convviz import conv_frames
    >>> fs = conv_frames(np.ones((3, 3), int), np.ones((2, 2), int))
    >>> page = grid_player_html(fs, {k: k for k in GRID_LABELS})
    >>> page.startswith("<!DOCTYPE html>") and "cv-play" in page
    True
    """
    data = fs.to_data()
    data["ksize"] = list(fs.kernel_size)
    data["sizes"] = _sizes(fs)
    data["labels"] = checked_labels(labels, GRID_LABELS)
    body = ('<svg id="cv-svg" data-testid="cv-svg" role="img"></svg>'
            '<div id="cv-eq" class="eq" data-testid="cv-eq"></div>'
            '<div id="cv-terms" class="terms" data-testid="cv-terms"></div>'
            '<div id="cv-legend" class="legend"></div><div id="cv-hint" class="hint"></div>')
    return player_document(lang, body, safe_json(data), "grid.js", scale)


# --- 1-D convolution player --------------------------------------------------------------------


def signal_player_html(frames: Sequence[Frame1D], f: Sequence[float], g: Sequence[float],
                       labels: Mapping[str, str], *, lang: str = "en", scale: float = 1.0) -> str:
    """A player for the 1-D convolution ``(f*g)(t)``: ``g`` flipped, slid along ``f``.

    Parameters
    ----------
    frames : sequence of Frame1D
        From :func:`convviz.conv1d_frames` of ``f`` and ``g``.
    f, g : sequence of float
        The two signals.
    labels : mapping
        Translated strings for every key in :data:`SIGNAL_LABELS`.
    lang, scale : keyword-only
        As for :func:`grid_player_html`.

    Returns
    -------
    str
        HTML for ``st.iframe``: the same document as the grid player's, with the 1-D view.

    Examples
    --------
    >>> from convviz import conv1d_frames
    >>> page = signal_player_html(conv1d_frames([1, 2], [1, 1]), [1, 2], [1, 1],
    ...                           {k: k for k in SIGNAL_LABELS})
    >>> "cv-data" in page
    True
    """
    data = {
        "f": [format_number(v) for v in f],
        "g": [format_number(v) for v in g],
        "frames": [{"t": fr.t, "taus": list(fr.taus), "gpos": list(fr.g_positions),
                    "products": [format_number(v) for v in fr.products],
                    "total": format_number(fr.total), "eq": fr.equation} for fr in frames],
        "labels": checked_labels(labels, SIGNAL_LABELS),
    }
    body = ('<svg id="cv-svg" data-testid="cv-svg1d" role="img"></svg>'
            '<div id="cv-eq" class="eq" data-testid="cv-eq"></div>')
    return player_document(lang, body, safe_json(data), "signal.js", scale)

