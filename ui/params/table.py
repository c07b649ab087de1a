"""The tables of the Parameter Counts page: the editable layer table, the summary table, a row's error.

* the editor: :func:`editor_frame` / :func:`records_frame` (a stack or its records as the table a
  student edits), :func:`editor_column_config`, :func:`records_from_editor` (the edited table back
  as records, :mod:`convviz.nets.records`);
* the summary: :func:`summary_frame` and :func:`summary_column_config` (counts, operations, memory,
  the formula of each row), :func:`formula_legend`;
* :func:`error_text` -- a stack error in the current language, after the table row it is about.

No counting happens here: numbers come from :mod:`convviz.nets`, digits from :mod:`convviz.numbers`.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from convviz.errors import LayerError
from convviz.nets import LAYER_TYPES, MAX_COUNT, RECORD_COLUMNS, Layer, MemoryReport, OpCounts, Summary, layer_to_record
from convviz.numbers import format_bytes, format_count, format_shape
from ui.common.i18n import t
from ui.common.messages import describe
from ui.params.options import Options
from ui.params.words import formula_numbers, formula_words

#: Layer types offered in the editor (Unflatten only appears in the dense version).
EDITOR_TYPES = [name for name in LAYER_TYPES if name != "Unflatten"]
ORDER = "order"
NEW_ROW = "new"  # the label of a row without a number in the ``#`` column (a row just added)
_INT64_SAFE = 2**53  # beyond this a float column would round; such absurd stacks become text


# ---------------------------------------------------------------- a row's error

#: The table column (its ``params.col.*`` label) behind each layer argument an error can name.
PARAM_COLUMNS = {"in_channels": "in", "in_features": "in", "num_features": "in", "out_channels": "out",
                 "out_features": "out", "kernel_size": "kernel", "stride": "stride", "padding": "padding",
                 "groups": "groups", "bias": "bias", "p": "p", "type": "type", "output_size": "out"}


def column_words() -> dict[str, str]:
    """Words for the names a layer error quotes: a student sees the table column's title, never ``kernel_size``."""
    words = {name: t(f"params.col.{column}") for name, column in PARAM_COLUMNS.items()}
    return {**{column: t(f"params.col.{column}") for column in RECORD_COLUMNS}, **words}


def error_text(err: LayerError, labels: Sequence[str] | None = None) -> str:
    """A stack error in the current language (:func:`ui.common.messages.describe`), after the table row (its ``#``)
    when known."""
    body = describe(err, labels=column_words())
    position = err.position
    if position is None:
        return body
    label = labels[position - 1] if labels and position <= len(labels) else str(position)
    if label == NEW_ROW:
        label = t("params.err.new_row")
    else:
        label = t("params.err.row_number", n=label)
    kind = err.layer_type
    if not kind or kind == "?":  # no type chosen yet: the message itself says so
        return t("params.err.at_row_untyped", row=label, message=body)
    return t("params.err.at_row", row=label, type=kind, message=body)


# ---------------------------------------------------------------- editor

def editor_frame(layers: Sequence[Layer]) -> pd.DataFrame:
    """The editable table of a stack: an ``order`` column (1, 2, ...) then :data:`RECORD_COLUMNS`.

    ``in`` is left empty so it follows the layer before: changing one conv's ``out`` then just works.
    Typing a number there pins it (and a wrong one shows the shape-mismatch error).
    """
    return records_frame([{**layer_to_record(layer), "in": None} for layer in layers])


def records_frame(records: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """The editable table of table rows (:data:`RECORD_COLUMNS` records), numbered 1, 2, ... in ``order``."""
    rows = [{ORDER: float(i), **{col: record.get(col) for col in RECORD_COLUMNS}}
            for i, record in enumerate(records, start=1)]
    frame = pd.DataFrame(rows, columns=[ORDER, *RECORD_COLUMNS])
    for col in ("in", "out", "groups"):
        frame[col] = frame[col].astype("Int64")
    for col in ("kernel", "stride", "padding", "type"):
        frame[col] = frame[col].astype("string")
    frame["bias"] = frame["bias"].astype("boolean")
    frame["p"] = frame["p"].astype("Float64")
    return frame


def editor_column_config() -> dict[str, Any]:
    cc = st.column_config
    return {
        ORDER: cc.NumberColumn(t("params.col.order"), help=t("params.col.order_help"), format="%g", width=50),
        "type": cc.SelectboxColumn(t("params.col.type"), options=EDITOR_TYPES, help=t("params.col.type_help"),
                                   width=150),
        "in": cc.NumberColumn(t("params.col.in"), help=t("params.col.in_help"), min_value=1, max_value=MAX_COUNT,
                              step=1, format="%d", width=80),
        "out": cc.NumberColumn(t("params.col.out"), help=t("params.col.out_help"), min_value=1,
                               max_value=MAX_COUNT, step=1, format="%d", width=80),
        "kernel": cc.TextColumn(t("params.col.kernel"), help=t("params.col.kernel_help"), width=70),
        "stride": cc.TextColumn(t("params.col.stride"), help=t("params.col.stride_help"), width=95),  # 스트라이드
        "padding": cc.TextColumn(t("params.col.padding"), help=t("params.col.padding_help"), width=80),
        "groups": cc.NumberColumn(t("params.col.groups"), help=t("params.col.groups_help"), min_value=1,
                                  max_value=MAX_COUNT, step=1, format="%d", width=80),
        "bias": cc.CheckboxColumn(t("params.col.bias"), help=t("params.col.bias_help"), width=70),
        "p": cc.NumberColumn(t("params.col.p"), help=t("params.col.p_help"), min_value=0.0, max_value=1.0,
                             step=0.05, format="%.2f", width=100),
    }


def _cell(value: Any) -> Any:
    """A pandas cell as a plain Python value (``None`` for NA)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value.item() if hasattr(value, "item") else value


def records_from_editor(frame: pd.DataFrame) -> tuple[list[dict[str, Any]], list[str]]:
    """Table rows in stack order (by ``order``, then table position) and the ``#`` label of each.

    Rows left completely empty (a freshly added row) are skipped.
    """
    keyed = []
    for position, (_, row) in enumerate(frame.iterrows()):
        record = {col: _cell(row.get(col)) for col in RECORD_COLUMNS}
        if all(v is None for v in record.values()):
            continue
        order = _cell(row.get(ORDER))
        keyed.append(((math.inf if order is None else float(order), position), order, record))
    keyed.sort(key=lambda item: item[0])
    labels = [f"{order:g}" if order is not None else NEW_ROW for _, order, _ in keyed]
    return [record for *_, record in keyed], labels


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
        "pos": cc.NumberColumn(t("params.col.order"), format="%d", width=40),
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
