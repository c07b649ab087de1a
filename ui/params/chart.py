"""The per-layer chart of the Parameter Counts page: parameters of each layer, log scale, coloured by type."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from convviz.nets import CATEGORIES, Summary
from convviz.numbers import format_count, format_percent
from convviz.pictures import CATEGORY_COLOURS
from ui.common import presentation
from ui.common.i18n import current_language, t


def params_chart(summary: Summary) -> dict | None:
    """Horizontal log-scale bars of params per layer, coloured by layer type, as a Vega-Lite spec.

    ``None`` when there is nothing to plot. Built with Altair once per table and language
    (cached): building and validating an Altair chart costs more than the rest of a rerun.
    """
    rows = tuple((f"{r.position}. {r.type_name}", float(r.params), format_count(r.params), format_percent(r.share),
                  r.category)
                 for r in summary.rows if r.params > 0)  # log scale: a parameter-free layer has no bar
    return _chart_spec(rows, current_language(), presentation.scale()) if rows else None


@st.cache_data(max_entries=256, show_spinner=False)
def _chart_spec(rows: tuple[tuple[str, float, str, str, str], ...], lang: str, zoom: float) -> dict:
    category_names = {c: t(f"params.cat.{c}") for c in CATEGORIES}
    used = [c for c in CATEGORIES if any(r[4] == c for r in rows)]
    data = pd.DataFrame({
        "layer": [r[0] for r in rows],
        "params": [r[1] for r in rows],
        "params_text": [r[2] for r in rows],
        "share_text": [r[3] for r in rows],
        "type": [category_names[r[4]] for r in rows],
        "base": 1.0,  # a log axis has no 0: bars grow from 1 parameter
    })
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("params:Q", scale=alt.Scale(type="log"), title=t("params.chart.x"), axis=alt.Axis(format="~s")),
        x2="base:Q",
        y=alt.Y("layer:N", sort=list(data["layer"]), title=None),
        color=alt.Color("type:N", title=t("params.chart.color"),
                        scale=alt.Scale(domain=[category_names[c] for c in used],
                                        range=[CATEGORY_COLOURS[c] for c in used]),
                        legend=alt.Legend(orient="bottom", columns=2)),
        tooltip=[alt.Tooltip("layer:N", title=t("params.table.layer")),
                 alt.Tooltip("params_text:N", title=t("params.table.params")),
                 alt.Tooltip("share_text:N", title=t("params.table.share"))],
    ).properties(height=alt.Step(round(28 * zoom)))  # one band per bar, whatever the count
    if zoom != 1:  # presentation mode: labels readable from the back of the room
        chart = chart.configure_axis(labelFontSize=11 * zoom, titleFontSize=12 * zoom) \
            .configure_legend(labelFontSize=11 * zoom, titleFontSize=12 * zoom, symbolSize=100 * zoom)
    return chart.to_dict()
