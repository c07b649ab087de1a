"""The read-only layer table of a branching network (ResNet, GoogLeNet, MobileNetV2) on Parameter Counts.

The data editor holds a flat list of rows, not a tree, so a network with Residual or Concat blocks
is not editable: the summary table lists it indented by depth (a block's row first, its layers under
it, :func:`ui.params.table.summary_frame`), as torch lists a model's modules. Numbers come from
:class:`convviz.Summary`; nothing is counted here.
"""
from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from convviz import ConvVizError
from convviz.errors import LayerError
from convviz.nets import Layer, Summary, summarize
from ui.common.i18n import t


def editor_note() -> None:
    """Say why the editor is not there (in the editor's place)."""
    st.info(t("params.tree.no_editor"), icon=":material/account_tree:")


def caption(summary: Summary) -> None:
    """A line under the table on how a block's row is counted."""
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
