"""The layer table a student edits (``st.data_editor``): the Parameter counts page's, and the Learn page's networks.

One table, one set of words (``common.table`` in ``locales/<lang>/common.toml``), so a network
built on one page reads the same on the other:

* :func:`editor_frame` / :func:`records_frame` -- a stack, or its table rows, as the table to edit
  (an ``order`` column, then :data:`convviz.nets.RECORD_COLUMNS`);
* :func:`editor_column_config` -- the columns' titles, help, limits and widths;
* :func:`records_from_editor` -- the edited table back as table rows (:mod:`convviz.nets.records`),
  in stack order, with each row's ``#`` label;
* :func:`error_text` -- a stack error in the current language, after the table row it is about.

Rows become layers in :func:`convviz.nets.summarize_records`; a table travels in a link as
:func:`convviz.nets.encode_table`'s token. No counting happens here.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from convviz.errors import ConvVizError
from convviz.nets import LAYER_TYPES, MAX_COUNT, RECORD_COLUMNS, Layer, layer_to_record
from ui.common.i18n import t
from ui.common.messages import describe

__all__ = ["EDITOR_TYPES", "ORDER", "NEW_ROW", "PARAM_COLUMNS", "column_words", "error_text", "editor_frame",
           "records_frame", "editor_column_config", "records_from_editor"]

#: Layer types offered in the editor (Unflatten only appears in the dense version).
EDITOR_TYPES = [name for name in LAYER_TYPES if name != "Unflatten"]
ORDER = "order"
NEW_ROW = "new"  # the label of a row without a number in the ``#`` column (a row just added)


# ---------------------------------------------------------------- a row's error

#: The table column (its ``common.table.col.*`` title) behind each layer argument an error can name.
PARAM_COLUMNS = {"in_channels": "in", "in_features": "in", "num_features": "in", "out_channels": "out",
                 "out_features": "out", "kernel_size": "kernel", "stride": "stride", "padding": "padding",
                 "groups": "groups", "bias": "bias", "p": "p", "type": "type", "output_size": "out"}


def column_words() -> dict[str, str]:
    """Words for the names a layer error quotes: a student sees the table column's title, never ``kernel_size``."""
    words = {name: t(f"common.table.col.{column}") for name, column in PARAM_COLUMNS.items()}
    return {**{column: t(f"common.table.col.{column}") for column in RECORD_COLUMNS}, **words}


def error_text(err: ConvVizError, labels: Sequence[str] | None = None) -> str:
    """A stack error in the current language (:func:`ui.common.messages.describe`), after the table row (its ``#``)
    when known."""
    body = describe(err, labels=column_words())
    position = err.position
    if position is None:
        return body
    label = labels[position - 1] if labels and position <= len(labels) else str(position)
    if label == NEW_ROW:
        label = t("common.table.err.new_row")
    else:
        label = t("common.table.err.row_number", n=label)
    kind = err.layer_type
    if not kind or kind == "?":  # no type chosen yet: the message itself says so
        return t("common.table.err.at_row_untyped", row=label, message=body)
    return t("common.table.err.at_row", row=label, type=kind, message=body)


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


def _title(column: str) -> dict[str, str]:
    """A column's title and help (``common.table.col.<column>`` and ``..._help``)."""
    return {"label": t(f"common.table.col.{column}"), "help": t(f"common.table.col.{column}_help")}


def editor_column_config() -> dict[str, Any]:
    """Titles, help, limits and widths of the editor's columns (:func:`editor_frame`)."""
    cc = st.column_config
    count = {"min_value": 1, "max_value": MAX_COUNT, "step": 1, "format": "%d", "width": 80}
    return {
        ORDER: cc.NumberColumn(**_title("order"), format="%g", width=50),
        "type": cc.SelectboxColumn(**_title("type"), options=EDITOR_TYPES, width=150),
        "in": cc.NumberColumn(**_title("in"), **count),
        "out": cc.NumberColumn(**_title("out"), **count),
        "kernel": cc.TextColumn(**_title("kernel"), width=70),
        "stride": cc.TextColumn(**_title("stride"), width=95),  # 스트라이드
        "padding": cc.TextColumn(**_title("padding"), width=80),
        "groups": cc.NumberColumn(**_title("groups"), **count),
        "bias": cc.CheckboxColumn(**_title("bias"), width=70),
        "p": cc.NumberColumn(**_title("p"), min_value=0.0, max_value=1.0, step=0.05, format="%.2f", width=100),
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
