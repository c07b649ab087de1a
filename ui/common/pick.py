"""The one click-to-pick chart: a picture on which a click picks a pixel (pixel inspector, receptive fields).

A Vega-Lite chart: the picture (an image mark) under a grid of invisible cells that carry a
point selection ``px`` (fields ``row``, ``col``). A page builds its spec once per picture size
from :func:`pick_layers` plus its own overlays and :func:`pick_spec` (building an Altair chart
costs ~150 ms, so pages cache the spec, without data); each run :func:`pick_chart` fills in the
named datasets (``picture`` and the page's own) and draws it. A click writes the picked row and
column into the page's two number boxes before the rerun (:func:`picked` reads it back).
"""
from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

import altair as alt
import numpy as np
import streamlit as st
from PIL import Image

from convviz.pictures import resize
from ui.common.i18n import t

__all__ = ["CHART_SIZE", "GRID_CELLS", "picked", "data_url", "pick_layers", "pick_spec", "pick_chart"]

#: Longest side of the clickable picture, in screen pixels.
CHART_SIZE = 460
#: Clickable cells along the longest side (each picks the pixel at its centre).
GRID_CELLS = 96


def picked(key: str) -> tuple[int, int] | None:
    """The ``(row, col)`` the click-to-pick chart drawn with ``key`` last picked."""
    event = st.session_state.get(key) or {}
    points = (event.get("selection") or {}).get("px") or []
    if points and "row" in points[0] and "col" in points[0]:
        return int(points[0]["row"]), int(points[0]["col"])
    return None


def data_url(image: np.ndarray) -> str:
    """A JPEG ``data:`` URL of an uint8 picture, for a Vega-Lite image mark."""
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, "JPEG", quality=85)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def pick_layers(h: int, w: int, *, size: int = CHART_SIZE) -> tuple[alt.Scale, alt.Scale, list, int, int]:
    """The click-to-pick base of a chart over an ``h x w`` picture: ``(xs, ys, layers, width, height)``.

    ``layers`` are the picture (the named dataset ``picture``: one row with ``url``, ``x = y = 0``,
    see :func:`data_url`) and a grid of invisible cells with the point selection ``px`` (fields
    ``row``, ``col``; read it back with :func:`picked`). ``xs`` / ``ys`` map picture pixels
    (``0..w``, ``0..h``, y down) to the plot; draw more layers with them. ``width`` x ``height``
    is the plot's size in screen pixels (``size`` on the longer side).
    """
    f = size / max(h, w)
    cw, ch = max(1, round(w * f)), max(1, round(h * f))
    step = max(1, -(-max(h, w) // GRID_CELLS))
    gh, gw = -(-h // step), -(-w // step)
    xs = alt.Scale(domain=[0, w], nice=False, zero=False, padding=0)
    ys = alt.Scale(domain=[0, h], nice=False, zero=False, padding=0, reverse=True)
    # Streamlit fits the chart to its box; the picture takes the plot's width / height signals so it
    # stays aligned with the cells and the cross whatever size the chart is finally drawn at.
    picture = alt.Chart(alt.NamedData(name="picture")) \
        .mark_image(width=alt.ExprRef("width"), height=alt.ExprRef("height"), align="left", baseline="top",
                    aspect=False, aria=False) \
        .encode(x=alt.X("x:Q", scale=xs, axis=None), y=alt.Y("y:Q", scale=ys, axis=None), url="url:N")
    pick = alt.selection_point(name="px", fields=["row", "col"], on="click", clear=False, toggle=False)
    # The cells are generated in the browser (alt.sequence), so the chart spec stays small.
    cells = alt.Chart(alt.sequence(0, gh * gw, as_="i")).transform_calculate(
        gr=f"floor(datum.i / {gw})", gc=f"datum.i % {gw}").transform_calculate(
        x0=f"datum.gc * {step}", x1=f"min(datum.gc * {step} + {step}, {w})",
        y0=f"datum.gr * {step}", y1=f"min(datum.gr * {step} + {step}, {h})").transform_calculate(
        row=f"min(datum.gr * {step} + floor({step} / 2), {h - 1})",
        col=f"min(datum.gc * {step} + floor({step} / 2), {w - 1})") \
        .mark_rect(opacity=0, cursor="crosshair", aria=False) \
        .encode(x=alt.X("x0:Q", scale=xs, axis=None), x2="x1:Q", y=alt.Y("y0:Q", scale=ys, axis=None), y2="y1:Q",
                tooltip=[alt.Tooltip("row:Q", title=t("inside.inspector.axis_row")),
                         alt.Tooltip("col:Q", title=t("inside.inspector.axis_col"))]) \
        .add_params(pick)
    return xs, ys, [picture, cells], cw, ch


def pick_spec(layers: Sequence[Any], width: int, height: int) -> dict:
    """The chart's Vega-Lite spec, ``width`` x ``height`` screen pixels, for :func:`pick_chart`.

    "pad": the plot is exactly that size (Streamlit's default "fit" squeezes it), so pixels stay
    square. No chart ``description``: :func:`pick_chart`'s ``alt`` names the chart (both at once
    log a warning).
    """
    chart = alt.layer(*layers).properties(width=width, height=height, padding=0,
                                          autosize=alt.AutoSizeParams(type="pad")).configure_view(stroke=None)
    spec = chart.to_dict()
    spec["_size"] = (height, width)  # read back (and removed) by pick_chart
    return spec


def _on_pick(key: str, row_key: str, col_key: str) -> None:
    """Chart click -> row / column inputs (runs before the rerun, so the inputs may still change)."""
    point = picked(key)
    if point is not None:
        st.session_state[row_key], st.session_state[col_key] = point


def pick_chart(spec: dict, picture: np.ndarray, datasets: Mapping[str, list], *, key: str,
               targets: tuple[str, str], alt: str) -> None:
    """Draw a :func:`pick_spec` chart over ``picture`` (uint8) with the page's ``datasets``.

    ``spec`` is a fresh copy (``st.cache_data`` unpickles one per call); a click sets the
    session state of ``targets`` (the row and column boxes' keys) to the picked pixel.
    """
    ch, cw = spec.pop("_size")
    spec["datasets"] = {"picture": [{"url": data_url(resize(picture, (ch, cw))), "x": 0, "y": 0}], **datasets}
    st.vega_lite_chart(spec, key=key, on_select=partial(_on_pick, key, *targets), selection_mode="px",
                       width="content", theme=None, alt=alt)
