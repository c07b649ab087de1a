"""Receptive fields page: the stack choice, the photo with nested field outlines, the table.

The numbers come from :func:`convviz.receptive_field` (sizes, jumps, starts) and
:func:`convviz.nets.fields_under` (the rectangles under a picked pixel); this module only draws
them. The photo is the app's one click-to-pick chart (:mod:`ui.common.pick`, as the pixel
inspector's), with the fields' outlines drawn over it.
"""
from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from convviz.nets import FIELD_STACKS, FieldRect, Layer, ReceptiveField, fit_input
from convviz.numbers import format_number, format_shape
from convviz.pictures import FIELD_COLOURS, PALETTE
from ui.common import keys
from ui.common.bounded import bounded_int
from ui.common.i18n import current_language, t
from ui.common.photo import digest
from ui.common.pick import CHART_SIZE, pick_chart, pick_layers, pick_spec

#: The option of the stack choice that traces the Parameter Counts page's table.
TABLE = "table"
#: Stack choice ids, presets first.
STACK_OPTIONS = (*FIELD_STACKS, TABLE)


def reset_position() -> None:
    """Another stack: start again at the centre of its input and at its last layer.

    The row and column are bound to the URL (they cannot be deleted from it), so they are set.
    """
    stack = stack_of(st.session_state.get(keys.RF_STACK))
    if stack is not None and len(stack[1]) == 3:
        st.session_state[keys.RF_ROW], st.session_state[keys.RF_COL] = stack[1][1] // 2, stack[1][2] // 2
    st.session_state.pop(keys.RF_LAYER, None)
    if keys.RF_LAYER in st.query_params:
        del st.query_params[keys.RF_LAYER]


def pixel_inputs(h: int, w: int) -> tuple[int, int]:
    """Row and column of the input pixel, side by side (a click on the photo fills them in)."""
    rc, cc = st.columns(2)
    row = bounded_int(t("receptive.row", max=h - 1), 0, h - 1, h // 2, key=keys.RF_ROW, bind="query-params", where=rc)
    col = bounded_int(t("receptive.col", max=w - 1), 0, w - 1, w // 2, key=keys.RF_COL, bind="query-params", where=cc)
    return row, col


def stack_of(choice_id: str) -> tuple[Sequence[Layer], tuple[int, ...]] | None:
    """``(layers, input_shape)`` of a stack choice; ``None`` when the table was never counted this session."""
    if choice_id not in STACK_OPTIONS:
        return None
    if choice_id == TABLE:
        current = st.session_state.get(keys.PARAMS_STACK)
        return None if current is None else (current[0], tuple(current[1]))
    preset = FIELD_STACKS[choice_id]
    return preset.layers, preset.input_shape


@st.cache_data(max_entries=16, show_spinner=False)
def fitted_photo(key: str, size: tuple[int, int], _image: np.ndarray) -> np.ndarray:
    """The photo cut and scaled to the input (at most the chart's size), once per photo and size."""
    return fit_input(_image, size, max_side=CHART_SIZE)


def photo_key(image: np.ndarray) -> str:
    """Cache key of a photo (arrays are never cache keys)."""
    return digest(image)


def drawn_fields(rf: ReceptiveField, fields: Sequence[FieldRect]) -> list[tuple[str, FieldRect]]:
    """``(legend label, field)`` of the layers that change the field (a ReLU repeats its input's)."""
    out, previous = [], None
    for row, f in zip(rf.rows, fields):
        if f.clipped is None or f.clipped == previous:
            continue
        previous = f.clipped
        out.append((t("receptive.legend_item", name=row.name, size=format_shape(row.size)), f))
    return out


@st.cache_data(max_entries=64, show_spinner=False)
def _field_spec(h: int, w: int, labels: tuple[str, ...], lang: str) -> dict:
    """The photo chart's Vega-Lite spec without its data (datasets ``picture``, ``fields``, ``here``)."""
    xs, ys, layers, cw, ch = pick_layers(h, w, size=CHART_SIZE)
    colours = [FIELD_COLOURS[i % len(FIELD_COLOURS)] for i in range(len(labels))]
    fields = alt.Chart(alt.NamedData(name="fields"))
    where = dict(x=alt.X("x0:Q", scale=xs, axis=None), x2="x1:Q", y=alt.Y("y0:Q", scale=ys, axis=None), y2="y1:Q")
    # A white halo under each outline keeps it visible on any photo.
    layers.append(fields.mark_rect(filled=False, stroke=PALETTE["background"], strokeWidth=5, clip=True,
                                   aria=False).encode(**where))
    layers.append(fields.mark_rect(filled=False, strokeWidth=2.5, clip=True).encode(
        **where,
        stroke=alt.Stroke("label:N", sort=list(labels), scale=alt.Scale(domain=list(labels), range=colours),
                          # 14-px text: the chart is drawn smaller on a phone, and the legend with it.
                          legend=alt.Legend(title=t("receptive.legend_title"), orient="bottom", direction="horizontal",
                                            columns=3, symbolType="square", symbolFillColor="transparent",
                                            labelLimit=CHART_SIZE // 3, offset=8, labelFontSize=14, titleFontSize=14,
                                            symbolSize=140)),
        tooltip=[alt.Tooltip("label:N", title=t("receptive.legend_title")),
                 alt.Tooltip("rows:N", title=t("receptive.table.rows")),
                 alt.Tooltip("cols:N", title=t("receptive.table.cols"))]))
    layers.append(alt.Chart(alt.NamedData(name="here")).mark_point(
        shape="cross", size=260, filled=True, fill=PALETTE["text"], stroke=PALETTE["background"], strokeWidth=1.5,
        opacity=1, clip=True).encode(x=alt.X("c:Q", scale=xs, axis=None), y=alt.Y("r:Q", scale=ys, axis=None)))
    return pick_spec(layers, cw, ch)


def field_chart(photo: np.ndarray, in_hw: tuple[int, int], row: int, col: int,
                drawn: Sequence[tuple[str, FieldRect]]) -> None:
    """The photo (standing for the ``in_hw`` input) with the fields in ``drawn`` outlined; click to pick."""
    h, w = in_hw
    datasets = {
        # deepest first, so the small shallow outlines are drawn on top
        "fields": [{"label": label, "x0": f.clipped.left, "x1": f.clipped.right, "y0": f.clipped.top,
                    "y1": f.clipped.bottom, "rows": _span(f.clipped.top, f.clipped.bottom),
                    "cols": _span(f.clipped.left, f.clipped.right)} for label, f in reversed(drawn)],
        "here": [{"r": row + 0.5, "c": col + 0.5}],
    }
    pick_chart(_field_spec(h, w, tuple(label for label, _ in drawn), current_language()), photo, datasets,
               key=keys.RF_PICK, targets=(keys.RF_ROW, keys.RF_COL), alt=t("receptive.chart_alt"))


def _span(lo: int, hi: int) -> str:
    """Half-open ``lo..hi`` as the first and last pixel, ``"3–9"``."""
    return t("receptive.table.span", first=lo, last=hi - 1)


def field_table(rf: ReceptiveField, fields: Sequence[FieldRect]) -> None:
    """One row per layer: output shape, output position under the pixel, size, jump, start, rectangle."""
    def pair(values: Sequence[float]) -> str:  # a step in pixels per axis, "2 × 2"
        return " × ".join(format_number(v, places=3) for v in values)

    def point(values: Sequence[float]) -> str:  # a coordinate, written as the pixel position is: "(1, 1)"
        return t("receptive.table.position_value", row=format_number(values[0], places=3),
                 col=format_number(values[1], places=3))

    rows = []
    for r, f in zip(rf.rows, fields):
        clipped = f.clipped
        rows.append({
            t("receptive.table.layer"): r.name,
            t("receptive.table.output"): format_shape(r.output_shape),
            t("receptive.table.position"): t("receptive.table.position_value", row=f.row, col=f.col),
            t("receptive.table.size"): t("receptive.table.whole") if r.mixes_all else format_shape(r.size),
            t("receptive.table.jump"): pair(r.jump),
            t("receptive.table.start"): point(r.start),
            t("receptive.table.rows"): "" if clipped is None else _span(clipped.top, clipped.bottom),
            t("receptive.table.cols"): "" if clipped is None else _span(clipped.left, clipped.right),
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
