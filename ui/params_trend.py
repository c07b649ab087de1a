"""The notes' trend as a chart: LeNet-5 to MobileNetV2 by year, parameters (log), depth and dense share.

Every number comes from :func:`convviz.architectures.trend` (counted from the presets). Clicking a
network picks that preset in the page's select box (``keys.PARAMS_ARCH``, kept in the URL as
``ui.choice`` does), so its table opens.
"""
from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from convviz.architectures import ARCHITECTURES, trend
from convviz.numbers import format_count, format_percent
from ui import keys, param_charts as pc, presentation
from ui.choice import write_url
from ui.i18n import current_language, t

#: The vega-lite selection parameter a click fills (``selection_mode``).
PICK = "pick"


def picked_name(state: Any) -> str | None:
    """The preset id a chart selection names, or None (nothing picked, or an unknown name).

    >>> picked_name({"selection": {"pick": [{"name": "vgg16"}]}}), picked_name({"selection": {"pick": []}})
    ('vgg16', None)
    """
    try:
        points = state["selection"][PICK]
    except (KeyError, TypeError):
        return None
    name = points[0].get("name") if points else None
    return name if name in ARCHITECTURES else None


def _on_pick(default: str) -> None:
    name = picked_name(st.session_state.get(keys.PARAMS_TREND))
    if name is not None:
        st.session_state[keys.PARAMS_ARCH] = name  # before the select box is drawn again
        write_url(keys.PARAMS_ARCH, name, default)  # the URL names the preset, as a pick in the box does


@st.cache_data(max_entries=16, show_spinner=False)
def trend_spec(lang: str, zoom: float) -> dict:
    """The vega-lite spec (cached per language and presentation zoom)."""
    rows = trend()
    data = pd.DataFrame({
        "name": [r.name for r in rows],
        "label": [f"{t(f'params.trend.short.{r.name}')}|{r.year}" for r in rows],
        "network": [t(f"params.trend.short.{r.name}") for r in rows],
        "year": [r.year for r in rows],
        "depth": [r.depth for r in rows],
        "params": [float(r.params) for r in rows],
        "dense_share": [r.dense_share for r in rows],
        "params_text": [pc.in_words(r.params) for r in rows],
        "params_exact": [format_count(r.params) for r in rows],
        "share_text": [format_percent(r.dense_share) for r in rows],
        "depth_text": [t("params.trend.depth_label", n=r.depth) for r in rows],
        "macs_text": [pc.in_words(r.macs) for r in rows],
    })
    order = list(data["label"])
    tooltip = [alt.Tooltip("network:N", title=t("params.trend.network")),
               alt.Tooltip("year:O", title=t("params.trend.year")),
               alt.Tooltip("depth:Q", title=t("params.trend.depth")),
               alt.Tooltip("params_exact:N", title=t("params.table.params")),
               alt.Tooltip("share_text:N", title=t("params.trend.dense_share")),
               alt.Tooltip("macs_text:N", title=t("params.table.macs"))]
    pick = alt.selection_point(name=PICK, fields=["name"], on="click", clear=False)
    x = alt.X("label:N", sort=order, title=None,
              axis=alt.Axis(labelExpr="split(datum.label, '|')", labelAngle=0, labelFontSize=11 * zoom))
    base = alt.Chart(data).encode(x=x)
    points = base.mark_circle(color=pc.CATEGORY_COLORS["conv"], stroke="#000000", cursor="pointer").encode(
        y=alt.Y("params:Q", scale=alt.Scale(type="log", domain=[1e4, 1e9]), title=t("params.trend.y_params"),
                axis=alt.Axis(format="~s", values=[10.0 ** e for e in range(4, 10)])),
        size=alt.Size("depth:Q", scale=alt.Scale(domain=[0, 55], range=[40, 1400]), legend=None),
        strokeWidth=alt.condition(pick, alt.value(2), alt.value(0)),
        tooltip=tooltip,
    ).add_params(pick)
    params_text = base.mark_text(dy=-22, fontSize=11 * zoom).encode(y="params:Q", text="params_text:N")
    depth_text = base.mark_text(dy=24, fontSize=11 * zoom, color="#555555").encode(y="params:Q",
                                                                                    text="depth_text:N")
    width = round(720 * zoom)  # a fixed width: a vconcat cannot stretch to its container
    top = (points + params_text + depth_text).properties(width=width, height=round(230 * zoom),
                                                         title=t("params.trend.top_title"))
    bars = base.mark_bar(color=pc.CATEGORY_COLORS["dense"], size=28 * zoom).encode(
        y=alt.Y("dense_share:Q", scale=alt.Scale(domain=[0, 1]), title=t("params.trend.dense_share"),
                axis=alt.Axis(format="%", tickCount=3)),
        tooltip=tooltip)
    bar_text = base.mark_text(dy=-7, fontSize=11 * zoom).encode(y="dense_share:Q", text="share_text:N")
    bottom = (bars + bar_text).properties(width=width, height=round(110 * zoom),
                                          title=t("params.trend.bottom_title"))
    chart = alt.vconcat(top, bottom, spacing=12).resolve_scale(x="shared")
    return chart.to_dict()


def show(default: str) -> None:
    """The chart and its caption; a click on a network picks that preset (``default``: the box's default)."""
    st.vega_lite_chart(trend_spec(current_language(), presentation.scale()), key=keys.PARAMS_TREND,
                       on_select=lambda: _on_pick(default), selection_mode=PICK, width="content")
    st.caption(t("params.trend.caption"))
