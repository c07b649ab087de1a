"""Tables and chart of the Parameter Counts page (no counting happens here; numbers are written by convviz.numbers)."""
from __future__ import annotations

import math
from typing import Any, Sequence

import altair as alt
import pandas as pd
import streamlit as st

from convviz.errors import LayerError
from convviz.nets.records import MAX_COUNT, RECORD_COLUMNS, layer_to_record
from convviz.nets.layers import CATEGORIES, LAYER_TYPES, Formula, Layer
from convviz.numbers import format_count, format_percent, format_shape, format_significant
from convviz.pictures.palette import CATEGORY_COLOURS
from convviz.nets.compare import DenseComparison
from convviz.nets.summary import Summary
from ui import presentation
from ui.i18n import current_language, t
from ui.messages import describe

#: Layer types offered in the editor (Unflatten only appears in the dense version).
EDITOR_TYPES = [name for name in LAYER_TYPES if name != "Unflatten"]
ORDER = "order"
NEW_ROW = "new"  # the label of a row without a number in the ``#`` column (a row just added)
_INT64_SAFE = 2**53  # beyond this a float column would round; such absurd stacks become text


# ---------------------------------------------------------------- numbers

def in_words(n: int) -> str:
    """A big count the way people say it: ``"32.8 billion"`` / ``"328억"``; small ones stay digits.

    The unit names and the group size (3 digits in English, 4 in Korean) come from the locale.
    """
    units = t("params.words.units").split(",")
    base = 10 ** int(t("params.words.step"))
    if n < base:
        return format_count(n)
    level = min(len(units), int(math.log(n, base) + 1e-9))
    while True:
        value = n / base**level
        shown = round(value) if value >= 100 else float(f"{value:.3g}")
        if shown >= base and level < len(units):
            level += 1  # 999,950 is "1 million", not "1,000 thousand"
            continue
        break
    text = format_count(int(shown)) if float(shown).is_integer() else format_significant(shown, 3)
    return t("params.words.number", value=text, unit=units[level - 1].strip())


def formula_numbers(formula: Formula, *, with_biases: bool = True) -> str:
    """``"3 × 3 × 128 × 64 = 73,728 + 64 biases"``; ``"—"`` for a layer without parameters."""
    if not formula.weight_terms:
        return "—"
    text = format_count(formula.weights)
    if len(formula.weight_terms) > 1:
        text = " × ".join(format_count(term.value) for term in formula.weight_terms) + f" = {text}"
    if formula.bias_terms and with_biases:
        text += t("params.formula.plus_bias", n=format_count(formula.biases))
    return text


def formula_words(formula: Formula) -> str:
    """``"kernel height × kernel width × input channels × output channels + one bias per output channel"``."""
    if not formula.weight_terms:
        return t(f"params.note.{formula.note}")
    text = " × ".join(t(f"params.term.{term.name}") for term in formula.weight_terms)
    if formula.bias_terms:
        text += t("params.formula.plus_bias_words", what=t(f"params.bias_per.{formula.bias_terms[0].name}"))
    return text


#: The table column (its ``params.col.*`` label) behind each layer argument an error can name.
PARAM_COLUMNS = {"in_channels": "in", "in_features": "in", "num_features": "in", "out_channels": "out",
                 "out_features": "out", "kernel_size": "kernel", "stride": "stride", "padding": "padding",
                 "groups": "groups", "bias": "bias", "p": "p", "type": "type", "output_size": "out"}


def column_words() -> dict[str, str]:
    """Words for the names a layer error quotes: a student sees the table column's title, never ``kernel_size``."""
    words = {name: t(f"params.col.{column}") for name, column in PARAM_COLUMNS.items()}
    return {**{column: t(f"params.col.{column}") for column in RECORD_COLUMNS}, **words}


def error_text(err: LayerError, labels: Sequence[str] | None = None) -> str:
    """A stack error in the current language (:func:`ui.messages.describe`), after the table row (its ``#``) when known."""
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


# ---------------------------------------------------------------- summary table and chart

def _safe_ints(values: list[int]) -> list[int] | list[str]:
    """Counts as numbers when a dataframe can hold them exactly, as formatted text otherwise."""
    return values if max(values, default=0) < _INT64_SAFE else [format_count(v) for v in values]


#: Indent per depth in a branching network's table: em spaces survive the table's trimming of spaces.
INDENT = "\u2003\u2003"


def layer_label(type_name: str, depth: int, *, is_leaf: bool) -> str:
    """The layer cell: indented by ``depth``; a block's row is marked ``▼``.

    >>> layer_label("Conv2d", 2, is_leaf=True)
    '\\u2003\\u2003\\u2003\\u2003Conv2d'
    >>> layer_label("Residual", 0, is_leaf=False)
    '▼ Residual'
    """
    return INDENT * depth + ("" if is_leaf else "▼ ") + type_name


def summary_frame(summary: Summary) -> pd.DataFrame:
    """One line per row. A branching network (nested rows) is listed as torch lists its modules:
    a ``path`` column (``3.body.1``) instead of the position, layers indented under their block."""
    rows = summary.rows
    where = ({"path": [r.path for r in rows]} if summary.is_nested
             else {"pos": [r.position for r in rows]})
    return pd.DataFrame({
        **where,
        "layer": [layer_label(r.type_name, r.depth, is_leaf=r.is_leaf) for r in rows],
        "output": [format_shape(r.output_shape) for r in rows],
        "weights": _safe_ints([r.weights for r in rows]),
        "biases": _safe_ints([r.biases for r in rows]),
        "params": _safe_ints([r.params for r in rows]),
        "share": [r.share for r in rows],
        "macs": _safe_ints([r.macs for r in rows]),
        # biases have their own column; a block's row sums its layers and has no formula of its own
        "formula": [formula_numbers(r.formula, with_biases=False) if r.is_leaf else "" for r in rows],
    })


def summary_column_config(*, nested: bool = False) -> dict[str, Any]:
    cc = st.column_config
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
        "macs": cc.NumberColumn(t("params.table.macs"), help=t("params.table.macs_help"), format="localized",
                                width=110),
        "formula": cc.TextColumn(t("params.table.formula"), width="large"),
    }


def formula_legend(summary: Summary) -> list[str]:
    """One line per distinct formula in words: ``"**Conv2d**: kernel height × ... + one bias per ..."``."""
    seen: dict[str, list[str]] = {}
    for r in summary.leaves:  # a block's row has no formula of its own
        names = seen.setdefault(formula_words(r.formula), [])
        if r.type_name not in names:
            names.append(r.type_name)
    return [t("params.table.legend_line", types=", ".join(names), words=words) for words, names in seen.items()]


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


def dense_frame(comparison: DenseComparison) -> pd.DataFrame:
    """One row per conv layer: its count next to the dense layer's between the same tensors."""
    return pd.DataFrame({
        "pos": [s.position for s in comparison.swaps],
        "tensors": [f"{format_shape(s.input_shape)} → {format_shape(s.output_shape)}" for s in comparison.swaps],
        "conv": [formula_numbers(s.conv.formula(), with_biases=False) for s in comparison.swaps],
        # A product, not a shape: (C·H·W inputs) × (C·H·W outputs) weights.
        "dense": [f"({' · '.join(format_count(d) for d in s.input_shape)}) × "
                  f"({' · '.join(format_count(d) for d in s.output_shape)}) = {format_count(s.dense.weights)}"
                  for s in comparison.swaps],
        "words": [in_words(s.dense.weights) for s in comparison.swaps],
        "factor": [f"× {format_count(s.factor)}" for s in comparison.swaps],
    })


def dense_column_config() -> dict[str, Any]:
    cc = st.column_config
    return {
        "pos": cc.NumberColumn(t("params.col.order"), format="%d", width=40),
        "tensors": cc.TextColumn(t("params.dense.tensors"), width=180),
        "conv": cc.TextColumn(t("params.dense.conv_weights"), width=190),
        "dense": cc.TextColumn(t("params.dense.dense_weights"), width=300),
        "words": cc.TextColumn(t("params.dense.in_words"), width=95),
        "factor": cc.TextColumn(t("params.dense.factor_col"), width=125),  # "× more weights", in full
    }
