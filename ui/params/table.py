"""The summary table of the Parameter Counts page.

* :func:`summary_frame` and :func:`summary_column_config` (counts, operations, memory, the formula
  of each row), :func:`formula_legend`.

The editable layer table (and a row's error) is :mod:`ui.common.layer_table`, shared with the Learn page.

No counting happens here: numbers come from :mod:`convviz.nets`, digits from :mod:`convviz.numbers`.
"""
from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from convviz.nets import MemoryReport, OpCounts, Summary
from convviz.numbers import format_bytes, format_count, format_shape
from ui.common.i18n import t
from ui.params.options import Options
from ui.params.words import formula_numbers, formula_words

_INT64_SAFE = 2**53  # beyond this a float column would round; such absurd stacks become text


# ---------------------------------------------------------------- summary table

def _safe_ints(values: list[int]) -> list[int] | list[str]:
    """Counts as numbers when a dataframe can hold them exactly, as formatted text otherwise."""
    return values if max(values, default=0) < _INT64_SAFE else [format_count(v) for v in values]


#: Indent per depth in a branching network's table: em spaces survive the table's trimming of spaces.
INDENT = "\u2003\u2003"
#: Columns that give the parameter counts away: hidden in predict mode until a guess is in.
COUNT_COLUMNS = ("weights", "biases", "params", "share", "formula", "param_mem", "macs")  # a Linear's MACs = weights


def layer_label(type_name: str, depth: int, *, is_leaf: bool) -> str:
    """The layer cell: indented by ``depth``; a block's row is marked ``▼``.

    >>> layer_label("Conv2d", 2, is_leaf=True)
    '\\u2003\\u2003\\u2003\\u2003Conv2d'
    >>> layer_label("Residual", 0, is_leaf=False)
    '▼ Residual'
    """
    return INDENT * depth + ("" if is_leaf else "▼ ") + type_name


def summary_frame(summary: Summary, memory: MemoryReport, ops: OpCounts, *, shown: bool = True) -> pd.DataFrame:
    """One line per row: shape, counts, operations under the chosen convention, memory, formula.

    A branching network (nested rows) is listed as torch lists its modules: a ``path`` column
    (``3.body.1``) instead of the position, layers indented under their block. ``shown=False``
    (predict mode before a guess) leaves out :data:`COUNT_COLUMNS`.
    """
    rows = summary.rows
    where = ({"path": [r.path for r in rows]} if summary.is_nested
             else {"pos": [r.position for r in rows]})
    frame = pd.DataFrame({
        **where,
        "layer": [layer_label(r.type_name, r.depth, is_leaf=r.is_leaf) for r in rows],
        "output": [format_shape(r.output_shape) for r in rows],
        "weights": _safe_ints([r.weights for r in rows]),
        "biases": _safe_ints([r.biases for r in rows]),
        "params": _safe_ints([r.params for r in rows]),
        "share": [r.share for r in rows],
        "macs": _safe_ints([r.ops for r in ops.rows]),
        # biases have their own column; a block's row sums its layers and has no formula of its own
        "formula": [formula_numbers(r.formula, with_biases=False) if r.is_leaf else "" for r in rows],
    })
    at = list(frame.columns).index("macs") + 1
    frame.insert(at, "act", [format_bytes(r.activation_bytes) for r in memory.rows])
    frame.insert(at + 1, "act_batch", [format_bytes(r.batch_activation_bytes) for r in memory.rows])
    frame.insert(at + 2, "param_mem", [format_bytes(r.param_bytes) for r in memory.rows])
    return frame if shown else frame.drop(columns=list(COUNT_COLUMNS))


def summary_column_config(opts: Options, *, nested: bool = False) -> dict[str, Any]:
    """Column titles, widths and help of :func:`summary_frame` (operations as ``opts`` counts them)."""
    cc = st.column_config
    counted = t(f"params.more.counted_{'extras' if opts.extras else 'plain'}")
    return {
        "pos": cc.NumberColumn(t("common.table.col.order"), format="%d", width=40),
        "path": cc.TextColumn(t("params.tree.path"), help=t("params.tree.path_help"), width=110),
        "layer": cc.TextColumn(t("params.table.layer"), width=190 if nested else 120),
        "output": cc.TextColumn(t("params.table.output"), width=135),  # "Output (C × H × W)" whole
        "weights": cc.NumberColumn(t("params.table.weights"), format="localized", width=90),
        "biases": cc.NumberColumn(t("params.table.biases"), format="localized", width=65),
        "params": cc.NumberColumn(t("params.table.params"), format="localized", width=90),
        "share": cc.ProgressColumn(t("params.table.share"), format="percent", min_value=0.0, max_value=1.0,
                                   width=85),
        "macs": cc.NumberColumn(t(f"params.more.col_{opts.unit}"), format="localized", width=110, help=counted),
        "formula": cc.TextColumn(t("params.table.formula"), width="large"),
        "act": cc.TextColumn(t("params.more.col_act"), help=t("params.more.act_memory_help"), width=120),
        "act_batch": cc.TextColumn(t("params.more.col_act_batch", n=format_count(opts.batch)), width=120),
        "param_mem": cc.TextColumn(t("params.more.col_param_mem"), help=t("params.more.param_memory_help"),
                                   width=120),
    }


def formula_legend(summary: Summary) -> list[str]:
    """One line per distinct formula in words: ``"**Conv2d**: kernel height × ... + one bias per ..."``."""
    seen: dict[str, list[str]] = {}
    for r in summary.leaves:  # a block's row has no formula of its own
        names = seen.setdefault(formula_words(r.formula), [])
        if r.type_name not in names:
            names.append(r.type_name)
    return [t("params.table.legend_line", types=", ".join(names), words=words) for words, names in seen.items()]
