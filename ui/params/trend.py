"""The notes' trend as a chart: LeNet-5 to MobileNetV2 by year, parameters (log), depth and dense share.

Every number comes from :func:`convviz.nets.architectures.trend` (counted from the presets). Clicking a
network picks that preset in the page's select box (``keys.PARAMS_ARCH``, kept in the URL as
``ui.common.choice`` does), so its table opens at the top of the page; a note under the chart says which
network it now shows, with a link up to it (the change happens out of sight of the chart).

The chart is two Vega-Lite charts, one above the other, each as wide as the page's column (a
``vconcat`` cannot stretch to its container, so a fixed-width one ran off a phone's screen): the
y axes take the same room in both, so the dots and the bars stay in line.
"""
from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from convviz.nets import ARCHITECTURES, trend
from convviz.numbers import format_count, format_percent
from convviz.pictures import CATEGORY_COLOURS, GREYS
from ui.common import keys, presentation
from ui.common.choice import write_url
from ui.common.i18n import current_language, t
from ui.params.words import in_words

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
        st.session_state[keys.PARAMS_TREND_PICKED] = name
        write_url(keys.PARAMS_ARCH, name, default)  # the URL names the preset, as a pick in the box does


#: Room for each y axis's ticks and labels, in px (times the presentation zoom): the same in both
#: charts, so their x positions match.
AXIS_PX = 46


@st.cache_data(max_entries=16, show_spinner=False)
def trend_specs(lang: str, zoom: float) -> tuple[dict, dict]:
    """The two vega-lite specs, parameters over the years and the dense share (cached per language
    and presentation zoom). Their width is the container's (``st.vega_lite_chart(width="stretch")``)."""
    rows = trend()
    data = pd.DataFrame({
        "name": [r.name for r in rows],
        "label": [f"{t(f'params.trend.short.{r.name}')}|{r.year}" for r in rows],
        "network": [t(f"params.trend.short.{r.name}") for r in rows],
        "year": [r.year for r in rows],
        "depth": [r.depth for r in rows],
        "params": [float(r.params) for r in rows],
        "dense_share": [r.dense_share for r in rows],
        "params_text": [in_words(r.params) for r in rows],
        "params_exact": [format_count(r.params) for r in rows],
        "share_text": [format_percent(r.dense_share) for r in rows],
        "depth_text": [t("params.trend.depth_label", n=r.depth) for r in rows],
        "macs_text": [in_words(r.macs) for r in rows],
    })
    order = list(data["label"])
    tooltip = [alt.Tooltip("network:N", title=t("params.trend.network")),
               alt.Tooltip("year:O", title=t("params.trend.year")),
               alt.Tooltip("depth:Q", title=t("params.trend.depth")),
               alt.Tooltip("params_exact:N", title=t("params.table.params")),
               alt.Tooltip("share_text:N", title=t("params.trend.dense_share")),
               alt.Tooltip("macs_text:N", title=t("params.table.macs"))]
    pick = alt.selection_point(name=PICK, fields=["name"], on="click", clear=False)
    font = 11 * zoom
    # Where the six names do not fit side by side (a phone), they slant instead of disappearing.
    slant = f"width < {round(460 * zoom)}"
    x = alt.X("label:N", sort=order, title=None,
              axis=alt.Axis(labelExpr="split(datum.label, '|')", labelFontSize=font, labelLimit=0, labelOverlap=False,
                            labelAngle=alt.ExprRef(f"{slant} ? -40 : 0"),
                            labelAlign=alt.ExprRef(f"{slant} ? 'right' : 'center'"),
                            labelBaseline=alt.ExprRef(f"{slant} ? 'middle' : 'top'")))
    extent = round(AXIS_PX * zoom)
    base = alt.Chart(data).encode(x=x)
    points = base.mark_circle(color=CATEGORY_COLOURS["conv"], stroke=GREYS["black"], cursor="pointer").encode(
        y=alt.Y("params:Q", scale=alt.Scale(type="log", domain=[1e4, 1e9]), title=t("params.trend.y_params"),
                axis=alt.Axis(format="~s", values=[10.0 ** e for e in range(4, 10)], minExtent=extent,
                              maxExtent=extent)),
        size=alt.Size("depth:Q", scale=alt.Scale(domain=[0, 55], range=[40, 1400]), legend=None),
        strokeWidth=alt.condition(pick, alt.value(2), alt.value(0)),
        tooltip=tooltip,
    ).add_params(pick)
    params_text = base.mark_text(dy=-22, fontSize=font).encode(y="params:Q", text="params_text:N")
    depth_text = base.mark_text(dy=24, fontSize=font, color=GREYS["caption"]).encode(y="params:Q", text="depth_text:N")
    # "fit-x": as wide as the column; the height is the plot's, the axis labels come on top of it.
    size = {"width": "container", "autosize": alt.AutoSizeParams(type="fit-x", contains="padding")}
    top = (points + params_text + depth_text).properties(height=round(230 * zoom), **size)
    bars = base.mark_bar(color=CATEGORY_COLOURS["dense"], size=28 * zoom).encode(
        y=alt.Y("dense_share:Q", scale=alt.Scale(domain=[0, 1]), title=t("params.trend.dense_share"),
                axis=alt.Axis(format="%", tickCount=3, minExtent=extent, maxExtent=extent)),
        tooltip=tooltip)
    bar_text = base.mark_text(dy=-7, fontSize=font).encode(y="dense_share:Q", text="share_text:N")
    bottom = (bars + bar_text).properties(height=round(110 * zoom), **size)
    return top.to_dict(), bottom.to_dict()


def show(default: str) -> None:
    """The chart and its caption; a click on a network picks that preset (``default``: the box's default).

    After a click, a note right under the dots (where the click was) says which network the page
    now shows at its top, with a link up there.
    """
    top, bottom = trend_specs(current_language(), presentation.scale())
    # The titles are text above the charts, so that they wrap on a narrow screen (a chart's does not).
    st.markdown(f"**{t('params.trend.top_title')}**")
    st.vega_lite_chart(top, key=keys.PARAMS_TREND, on_select=lambda: _on_pick(default), selection_mode=PICK,
                       width="stretch")
    picked = st.session_state.pop(keys.PARAMS_TREND_PICKED, None)
    # trend() summarizes every network of the chart (ResNet-50 included): only after a click
    row = next((r for r in trend() if r.name == picked), None) if picked is not None else None
    if row is not None and st.session_state.get(keys.PARAMS_ARCH) == picked:
        st.success(t("params.trend.picked", network=t(f"params.trend.short.{row.name}"), year=row.year,
                     params=format_count(row.params), depth=row.depth, top=f"#{keys.PARAMS_TOP}"),
                   icon=":material/arrow_upward:")
    st.markdown(f"**{t('params.trend.bottom_title')}**")
    st.vega_lite_chart(bottom, width="stretch")
    st.caption(t("params.trend.caption"))
