"""The headline numbers of the Parameter Counts page beside the totals: operations and memory.

``shown=False`` (a guess pending, :mod:`ui.common.predict`) writes ``?`` where a number would give it away.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from convviz.nets import MemoryReport, OpCounts, Summary, op_counts
from convviz.numbers import format_bytes, format_count
from ui.common.i18n import t
from ui.common.predict import masked
from ui.params.options import Options
from ui.params.words import in_words


def ops_metric(where: Any, summary: Summary, ops: OpCounts, opts: Options, *, shown: bool = True) -> None:
    """The operations total under the chosen convention; the other convention's total in the help.

    ``shown=False`` (a guess pending) writes ``?``: a dense stack's multiply-adds are its weights."""
    other = op_counts(summary, unit=opts.unit, extras=not opts.extras).total
    where.metric(t(f"params.more.metric_{opts.unit}"), masked(format_count(ops.total), shown),
                 masked(in_words(ops.total), shown), delta_color="gray", delta_arrow="off",
                 help=t(f"params.more.metric_help_{'extras' if opts.extras else 'plain'}",
                        other=masked(format_count(other), shown)))


def memory_metrics(memory: MemoryReport, *, shown: bool = True) -> None:
    """Parameter memory and the batch's activation memory, under the other headline numbers."""
    left, right = st.columns(2)
    left.metric(t("params.more.param_memory"), masked(format_bytes(memory.total_param_bytes), shown),
                t("params.more.float32"), delta_color="gray", delta_arrow="off",
                help=t("params.more.param_memory_help"))
    right.metric(t("params.more.act_memory", n=format_count(memory.batch_size)),
                 format_bytes(memory.total_batch_activation_bytes),
                 t("params.more.per_image", size=format_bytes(memory.total_activation_bytes)),
                 delta_color="gray", delta_arrow="off", help=t("params.more.act_memory_help"))
