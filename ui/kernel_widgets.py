"""Kernel editor and kernel display for the Image Kernels page."""
from __future__ import annotations

import html

import numpy as np
import pandas as pd
import streamlit as st

import convviz
from ui.i18n import t
from ui.messages import show_error

CUSTOM_SIZES = (3, 5, 7)


def _start_kernel(size: int) -> np.ndarray:
    """A sensible starting point for editing: the outline (edge) kernel, grown to ``size``."""
    k = -np.ones((size, size))
    k[size // 2, size // 2] = size * size - 1
    return k


def custom_kernel_editor() -> np.ndarray | None:
    """Edit a kernel of up to 7 x 7 in a grid; return it, or ``None`` (with a message) if invalid."""
    size = st.segmented_control(t("kernels.custom_size"), CUSTOM_SIZES, default=3, required=True,
                                format_func=lambda n: f"{n} × {n}", key="kernels_custom_size",
                                bind="query-params")
    columns = [str(c + 1) for c in range(size)]
    start = pd.DataFrame(_start_kernel(size), columns=columns)
    edited = st.data_editor(
        start, key=f"kernels_custom_{size}", hide_index=True, num_rows="fixed",
        column_config={c: st.column_config.NumberColumn(c, format="%.4g", width="small") for c in columns})
    st.caption(t("kernels.custom_help"))
    try:
        return convviz.validate_kernel(edited.to_numpy(dtype=float, na_value=np.nan))
    except convviz.KernelError as err:
        show_error(err)
        return None


def _fmt(v: float) -> str:
    return f"{v:.4g}" if v != int(v) else str(int(v))


def kernel_table(kernel: np.ndarray, *, flipped: bool) -> None:
    """Show the kernel's numbers (as applied: rotated 180° for true convolution)."""
    k = np.asarray(kernel, dtype=float)
    if flipped:
        k = k[::-1, ::-1]
    frac = convviz.as_fraction(k, max_denominator=1024)
    scale, cells = (f"1/{frac[0]} ×", frac[1]) if frac and frac[0] > 1 else ("", k)
    # Colour-blind-safe sign cue: blue for positive, orange for negative weights.
    rows = "".join(
        "<tr>" + "".join(
            f'<td style="padding:2px 8px;text-align:right;font-family:monospace;'
            f'color:{"#1f5fbf" if v > 0 else "#b35900" if v < 0 else "#555"}">{html.escape(_fmt(v))}</td>'
            for v in row) + "</tr>"
        for row in np.asarray(cells, dtype=float))
    title = t("kernels.applied_flipped" if flipped else "kernels.applied")
    st.html(
        f'<div style="display:flex;align-items:center;gap:8px"><b>{html.escape(title)}</b>'
        f'<span style="font-family:monospace">{html.escape(scale)}</span>'
        f'<table style="border-collapse:collapse;border-left:2px solid #444;border-right:2px solid #444">'
        f"{rows}</table></div>")
