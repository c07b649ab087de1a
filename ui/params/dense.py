""""Dense instead": each conv layer next to the fully-connected layer between the same tensors."""
from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from convviz.nets import DenseComparison
from convviz.numbers import format_count, format_shape
from ui.common.i18n import t
from ui.params.words import formula_numbers, in_words


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
        "pos": cc.NumberColumn(t("common.table.col.order"), format="%d", width=40),
        "tensors": cc.TextColumn(t("params.dense.tensors"), width=180),
        "conv": cc.TextColumn(t("params.dense.conv_weights"), width=190),
        "dense": cc.TextColumn(t("params.dense.dense_weights"), width=300),
        "words": cc.TextColumn(t("params.dense.in_words"), width=95),
        "factor": cc.TextColumn(t("params.dense.factor_col"), width=125),  # "× more weights", in full
    }
