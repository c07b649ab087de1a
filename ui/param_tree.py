"""The read-only layer table of a branching network (ResNet, GoogLeNet, MobileNetV2) on Parameter Counts.

The data editor holds a flat list of rows, not a tree, so a network with Residual or Concat blocks
is shown as a table indented by depth (a block's row first, its layers under it), as torch lists a
model's modules. Numbers come from :class:`convviz.Summary`; nothing is counted here.
"""
from __future__ import annotations

from typing import Any, Sequence

import pandas as pd
import streamlit as st

from convviz import ConvVizError
from convviz.errors import LayerError
from convviz.layers import Layer
from convviz.numbers import format_shape
from convviz.summary import Summary, summarize
from ui import param_charts as pc
from ui.i18n import t

#: Indent per depth: em spaces survive the table's trimming of ordinary spaces.
INDENT = "\u2003\u2003"


def layer_label(type_name: str, depth: int, *, is_leaf: bool) -> str:
    """The layer cell: indented by ``depth``; a block's row is marked ``▼``.

    >>> layer_label("Conv2d", 2, is_leaf=True)
    '\\u2003\\u2003\\u2003\\u2003Conv2d'
    >>> layer_label("Residual", 0, is_leaf=False)
    '▼ Residual'
    """
    return INDENT * depth + ("" if is_leaf else "▼ ") + type_name


def tree_frame(summary: Summary) -> pd.DataFrame:
    """One line per row of the tree: path, indented layer, output shape and the counts."""
    rows = summary.rows
    return pd.DataFrame({
        "path": [r.path for r in rows],
        "layer": [layer_label(r.type_name, r.depth, is_leaf=r.is_leaf) for r in rows],
        "output": [format_shape(r.output_shape) for r in rows],
        "params": pc._safe_ints([r.params for r in rows]),
        "share": [r.share for r in rows],
        "macs": pc._safe_ints([r.macs for r in rows]),
        "formula": [pc.formula_numbers(r.formula, with_biases=True) if r.is_leaf else "" for r in rows],
    })


def column_config() -> dict[str, Any]:
    cc = st.column_config
    base = pc.summary_column_config()
    return {"path": cc.TextColumn(t("params.tree.path"), help=t("params.tree.path_help"), width=110),
            "layer": cc.TextColumn(t("params.table.layer"), width=190),
            **{k: base[k] for k in ("output", "params", "share", "macs", "formula")}}


def editor_note() -> None:
    """Say why the editor is not there (in the editor's place)."""
    st.info(t("params.tree.no_editor"), icon=":material/account_tree:")


def show_table(summary: Summary) -> None:
    """The indented, read-only table and a line on how blocks are counted."""
    st.dataframe(tree_frame(summary), hide_index=True, column_config=column_config(), height=420)
    st.caption(t("params.tree.caption", rows=len(summary.rows), leaves=len(summary.leaves)))


def count(layers: Sequence[Layer], input_shape: tuple[int, ...]
          ) -> tuple[Summary, list[Layer], LayerError | None, list[str]]:
    """``(summary, layers, error, labels)`` as the editor path gives them; on a bad input shape an
    empty summary and the error, with the failing layer labelled by its path (``3.body.1``)."""
    try:
        return summarize(layers, input_shape), list(layers), None, []
    except ConvVizError as err:
        labels = [str(i) for i in range(1, len(layers) + 1)]
        if err.position and "path" in err.params:
            labels[err.position - 1] = err.params["path"]
        return summarize([], input_shape), [], err, labels
