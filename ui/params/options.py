"""The counting options of the Parameter Counts page: batch size, multiply-adds or FLOPs, bias & BatchNorm, predict.

:func:`count_options` draws them (all in the URL), :func:`conventions` states the counting
conventions once, in words, and :func:`counts` applies them to a counted stack (memory from
:mod:`convviz.nets.memory`, operations from :mod:`convviz.nets.operations`).
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from convviz.nets import MAX_BATCH, UNITS, MemoryReport, OpCounts, Summary, layer_memory, op_counts
from convviz.numbers import format_percent
from convviz.predict import CLOSE
from ui.common import keys
from ui.common.bounded import bounded_int
from ui.common.choice import choice
from ui.common.i18n import t

#: The batch size the activation memory starts with (a common training batch).
DEFAULT_BATCH = 32
#: The largest input size (C, H or W) the shape fields take.
MAX_INPUT = 4096


@dataclass(frozen=True)
class Options:
    """The counting options chosen on the page."""

    batch: int
    unit: str
    extras: bool
    predict: bool


def count_options() -> Options:
    """One row of controls: batch size, MACs/FLOPs, bias & BatchNorm, predict-then-reveal (all in the URL)."""
    batch_col, unit_col, extras_col, predict_col = st.columns([1.1, 1.4, 1.7, 1.7], vertical_alignment="bottom")
    batch = bounded_int(t("params.more.batch"), 1, MAX_BATCH, DEFAULT_BATCH, key=keys.PARAMS_BATCH,
                        where=batch_col, bind="query-params", help=t("params.more.batch_help"))
    unit = choice("segmented_control", t("params.more.unit"), UNITS, default="macs", required=True,
                  format_func=lambda u: t(f"params.more.unit_{u}"), key=keys.PARAMS_UNIT, where=unit_col,
                  help=t("params.more.unit_help"))
    extras = extras_col.toggle(t("params.more.extras"), key=keys.PARAMS_EXTRAS, bind="query-params",
                               help=t("params.more.extras_help"))
    predict = predict_col.toggle(t("params.more.predict"), key=keys.PARAMS_PREDICT, bind="query-params",
                                 help=t("params.more.predict_help", close=format_percent(CLOSE)))
    return Options(batch=int(batch), unit=unit, extras=bool(extras), predict=bool(predict))


def conventions(opts: Options) -> None:
    """The counting conventions, stated once under the controls."""
    st.caption(t("params.more.conventions", counted=t(f"params.more.counted_{'extras' if opts.extras else 'plain'}")))


def counts(summary: Summary, opts: Options) -> tuple[MemoryReport, OpCounts]:
    """Memory and operations of every row under the chosen options."""
    return layer_memory(summary, batch_size=opts.batch), op_counts(summary, unit=opts.unit, extras=opts.extras)
