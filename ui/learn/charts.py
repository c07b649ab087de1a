"""The Learn page's charts (Vega-Lite specs built with Altair): accuracy per epoch, and size against accuracy.

Colours are the layer-type colours of :data:`convviz.pictures.CATEGORY_COLOURS` (the conv net in the
conv colour, the dense net in the dense colour, as on the Parameter counts page); the training
curve is dashed, the test curve solid.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from convviz.learn import EpochRecord
from convviz.numbers import format_count, format_percent, format_significant
from convviz.pictures import CATEGORY_COLOURS
from ui.common.i18n import t

__all__ = ["curve_frame", "curves_spec", "runs_frame", "runs_spec"]

#: A network key without a colour of its own (not "conv" or "dense") is drawn in this one.
OTHER = CATEGORY_COLOURS["reshape"]


def _colour(key: str) -> str:
    return CATEGORY_COLOURS.get(key, OTHER)


def curve_frame(progress: Mapping[str, Sequence[EpochRecord]], names: Mapping[str, str]) -> pd.DataFrame:
    """One row per network, epoch and set (training / test images): the accuracy, as a fraction and as text."""
    rows = []
    for key, records in progress.items():
        for r in records:
            for which, value in (("train", r.train_accuracy), ("test", r.test_accuracy)):
                rows.append({"key": key, "network": names.get(key, key), "set": t(f"learn.chart.{which}"),
                             "epoch": r.epoch, "accuracy": value, "accuracy_text": format_percent(value)})
    return pd.DataFrame(rows, columns=["key", "network", "set", "epoch", "accuracy", "accuracy_text"])


def curves_spec(progress: Mapping[str, Sequence[EpochRecord]], names: Mapping[str, str], *,
                epochs: int) -> dict | None:
    """Train (dashed) and test (solid) accuracy per epoch of each network; None before the first epoch."""
    data = curve_frame(progress, names)
    if data.empty:
        return None
    keys_ = list(progress)
    sets = [t("learn.chart.train"), t("learn.chart.test")]
    chart = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("epoch:Q", title=t("learn.chart.epoch"), scale=alt.Scale(domain=[1, max(epochs, 2)]),
                axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("accuracy:Q", title=t("learn.chart.accuracy"), scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        color=alt.Color("network:N", title=t("learn.chart.network"),
                        scale=alt.Scale(domain=[names.get(k, k) for k in keys_], range=[_colour(k) for k in keys_]),
                        legend=alt.Legend(orient="bottom")),
        # dashed = training images, solid = test images: said by the caption under the chart (a legend of
        # dash patterns draws no visible symbol with point marks)
        strokeDash=alt.StrokeDash("set:N", title=t("learn.chart.set"),
                                  scale=alt.Scale(domain=sets, range=[[6, 4], [1, 0]]), legend=None),
        detail="set:N",
        tooltip=[alt.Tooltip("network:N", title=t("learn.chart.network")),
                 alt.Tooltip("set:N", title=t("learn.chart.set")),
                 alt.Tooltip("epoch:Q", title=t("learn.chart.epoch")),
                 alt.Tooltip("accuracy_text:N", title=t("learn.chart.accuracy"))],
    ).properties(height=320)
    return chart.to_dict()


def runs_frame(points: Sequence) -> pd.DataFrame:
    """One row per run of the session (:class:`ui.learn.session.RunPoint`): parameters, test accuracy, labels."""
    rows = [{"key": p.key, "network": p.name, "params": float(p.params), "params_text": format_count(p.params),
             "accuracy": p.test_accuracy, "accuracy_text": format_percent(p.test_accuracy),
             "train_text": format_percent(p.train_accuracy), "experiment": t(f"learn.experiment_{p.experiment}"),
             "settings": t("learn.runs.settings", n=format_count(p.n_train), epochs=p.epochs,
                           lr=format_significant(p.lr), optimizer=t(f"learn.optimizers.{p.optimizer}"))}
            for p in points]
    return pd.DataFrame(rows, columns=["key", "network", "params", "params_text", "accuracy", "accuracy_text",
                                       "train_text", "experiment", "settings"])


def runs_spec(points: Sequence) -> dict | None:
    """Parameters (log scale) against test accuracy, one point per run of the session; None without runs."""
    data = runs_frame(points)
    if data.empty:
        return None
    names = list(dict.fromkeys(data["network"]))
    colours = [_colour(data.loc[data["network"] == n, "key"].iloc[0]) for n in names]
    chart = alt.Chart(data).mark_point(filled=True, size=90).encode(
        x=alt.X("params:Q", scale=alt.Scale(type="log"), title=t("learn.runs.x"), axis=alt.Axis(format="~s")),
        y=alt.Y("accuracy:Q", scale=alt.Scale(domain=[0, 1]), title=t("learn.runs.y"), axis=alt.Axis(format="%")),
        color=alt.Color("network:N", title=t("learn.chart.network"), scale=alt.Scale(domain=names, range=colours),
                        legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("network:N", legend=None),
        tooltip=[alt.Tooltip("network:N", title=t("learn.chart.network")),
                 alt.Tooltip("params_text:N", title=t("learn.table.params")),
                 alt.Tooltip("accuracy_text:N", title=t("learn.table.test")),
                 alt.Tooltip("train_text:N", title=t("learn.table.train")),
                 alt.Tooltip("experiment:N", title=t("learn.experiment")),
                 alt.Tooltip("settings:N", title=t("learn.runs.settings_title"))],
    ).properties(height=300)
    return chart.to_dict()
