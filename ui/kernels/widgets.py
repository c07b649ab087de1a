"""Kernel editor and kernel display for the Image Kernels page."""
from __future__ import annotations

import html

import numpy as np
import pandas as pd
import streamlit as st

import convviz
from convviz.numbers import format_shape, format_significant
from convviz.pictures import GREYS
from ui.common import keys
from ui.common.choice import choice
from ui.common.i18n import t
from ui.common.messages import show_error
from ui.common.number_cells import signed_colour
from ui.common.share import query_param

CUSTOM_SIZES = (3, 5, 7)
URL_KEY = keys.KERNELS_CUSTOM
#: Editor column width per kernel size, in px: a 7 x 7 kernel is 7 x 32 = 224 px wide, inside the
#: controls column at 1400 px (~235 px) and on a phone.
EDITOR_COLUMN_PX = {3: 72, 5: 46, 7: 32}


def format_kernel(kernel: np.ndarray) -> str:
    """Compact text of a kernel for the URL: rows split by ``;``, cells by ``,``.

    >>> format_kernel(np.array([[0, -1.5], [2, 0.25]]))
    '0,-1.5;2,0.25'
    """
    return ";".join(",".join(f"{v:.6g}" for v in row) for row in np.asarray(kernel, float))


def parse_kernel(text: str) -> np.ndarray:
    """Inverse of :func:`format_kernel`; only square kernels of the editor's sizes are accepted."""
    if len(text) > 1000:
        raise ValueError("kernel text too long")
    k = convviz.validate_kernel([[float(v) for v in row.split(",")] for row in text.split(";")])
    if k.shape[0] != k.shape[1] or k.shape[0] not in CUSTOM_SIZES:
        raise ValueError(f"custom kernel must be 3x3, 5x5 or 7x7, got {k.shape}")
    return k


def empty_cells(values: np.ndarray) -> list[tuple[int, int]]:
    """Row and column (from 1) of every emptied cell of the editor, in reading order.

    >>> empty_cells(np.array([[1.0, np.nan], [np.nan, 0.0]]))
    [(1, 2), (2, 1)]
    """
    return [(int(r) + 1, int(c) + 1) for r, c in np.argwhere(np.isnan(values))]


def _start_kernel(size: int) -> np.ndarray:
    """A sensible starting point for editing: the outline (edge) kernel, grown to ``size``."""
    k = -np.ones((size, size))
    k[size // 2, size // 2] = size * size - 1
    return k


def custom_kernel_editor() -> np.ndarray | None:
    """Edit a kernel of up to 7 x 7 in a grid; return it, or ``None`` (with a message) if invalid.

    The weights travel in the URL (``?kernels_custom=-1,-1,-1;...``) so a shared link opens the
    same custom kernel. The link is read once per session and size: after that the grid's own
    edits are the truth (the editor applies them on top of a fixed starting table).
    """
    linked = query_param(URL_KEY, parse_kernel, None)
    size = choice("segmented_control", t("kernels.custom_size"), CUSTOM_SIZES, default=3, required=True,
                  format_func=lambda n: format_shape((n, n)), key=keys.KERNELS_CUSTOM_SIZE)
    starts = st.session_state.setdefault(keys.KERNELS_CUSTOM_START, {})
    if size not in starts:
        starts[size] = linked if linked is not None and linked.shape[0] == size else _start_kernel(size)
    columns = [str(c + 1) for c in range(size)]
    start = pd.DataFrame(starts[size], columns=columns)
    # Narrow fixed-width columns: all 7 of a 7 x 7 kernel fit the controls column (and a phone).
    width = EDITOR_COLUMN_PX[size]
    edited = st.data_editor(
        start, key=keys.kernels_custom_editor(size), hide_index=True, num_rows="fixed",
        column_config={c: st.column_config.NumberColumn(c, format="%.4g", width=width) for c in columns})
    st.caption(t("kernels.custom_help"))
    values = edited.to_numpy(dtype=float, na_value=np.nan)
    empty = empty_cells(values)
    if empty:
        st.error(t("kernels.custom_empty", cells=", ".join(t("kernels.cell", r=r, c=c) for r, c in empty[:5])),
                 icon=":material/error:")
        return None
    try:
        kernel = convviz.validate_kernel(values)
    except convviz.KernelError as err:
        show_error(err)
        return None
    st.query_params[URL_KEY] = format_kernel(kernel)
    return kernel


def scale_html(scale: str) -> str:
    """``"1/256"`` -> ``1/256 ×``; ``"10^-4"`` -> ``10⁻⁴ ×`` (as HTML); ``""`` -> ``""``.

    >>> scale_html("10^-4")
    '10<sup>-4</sup> ×'
    """
    if not scale:
        return ""
    if scale.startswith("10^"):
        return f"10<sup>{html.escape(scale[3:])}</sup> ×"
    return f"{html.escape(scale)} ×"


def kernel_table_html(kernel: np.ndarray, title: str) -> str:
    """The kernel as an HTML table that stays inside its column (see :func:`convviz.kernel_text`)."""
    k = np.asarray(kernel, dtype=float)
    text = convviz.kernel_text(k)
    big = max(k.shape) > 7
    pad, size = ("1px 3px", "11px") if big else ("2px 8px", "0.95rem")
    # Colour-blind-safe sign cue: blue for positive, orange for negative weights. The exact
    # weight is in each cell's tooltip when the shown one is rounded.
    rows = "".join(
        "<tr>" + "".join(
            f'<td style="padding:{pad};text-align:right;font-family:monospace;font-size:{size};'
            f'color:{signed_colour(v, zero=GREYS["caption"])}"'
            + ("" if text.exact else f' title="{format_significant(v, 6)}"') + f">{html.escape(cell)}</td>"
            for v, cell in zip(row, cells)) + "</tr>"
        for row, cells in zip(k, text.cells))
    return (
        f'<div class="cv-kernel" style="max-width:100%;overflow-x:auto">'
        f'<div style="display:flex;align-items:center;gap:8px;flex-wrap:wrap"><b>{html.escape(title)}</b>'
        f'<span style="font-family:monospace">{scale_html(text.scale)}</span>'
        f'<table style="border-collapse:collapse;border-left:2px solid #444;border-right:2px solid #444">'
        f"{rows}</table></div></div>")


def kernel_table(kernel: np.ndarray, *, flipped: bool) -> None:
    """Show the kernel's numbers (as applied: rotated 180° for true convolution)."""
    k = np.asarray(kernel, dtype=float)
    if flipped:
        k = k[::-1, ::-1]
    st.html(kernel_table_html(k, t("kernels.applied_flipped" if flipped else "kernels.applied")))
