"""The typed grid of the Stride and Padding page: compact text in the URL, a small table editor on top.

The text ("1,2,3;4,5,6", channels split by "|") is the truth: it is a bound text box, so a link
carries it and a bad value keeps the student's own text beside a translated message. The table
editor shows the first channel; an edit writes the text back (in its callback, before the text box
is drawn), and a new text gets a fresh editor (its key holds the text's digest).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

import convviz
from convviz.sliding import format_grid, parse_grid
from ui.common import keys
from ui.common.messages import describe
from ui.server import streamlit_internals as internals


def _write_back(text_key: str, editor_key: str, text: str, channels: int) -> None:
    """Apply the editor's changes to the first channel and write the whole grid back as text."""
    grid = parse_grid(text, max_size=99, max_channels=channels).astype(object)
    for row, cols in st.session_state[editor_key].get("edited_rows", {}).items():
        for col, value in cols.items():
            r, c = int(row), int(col)
            if not (0 <= r < grid.shape[1] and 0 <= c < grid.shape[2]):
                continue  # the editor has fixed rows and columns: nothing else can be edited
            # An emptied cell stays empty in the text, so the page names it in a message.
            grid[0, r, c] = "" if value is None else value
    st.session_state[text_key] = "|".join(";".join(",".join(_cell(v) for v in row) for row in chan) for chan in grid)


def _cell(value: Any) -> str:
    """One cell as the text form writes it (numbers via :func:`format_grid`, anything else as is)."""
    if isinstance(value, (int, float, np.integer, np.floating)):
        return format_grid([[value]])
    return str(value)


def typed_grid(label: str, *, what: str, text_key: str, default: str, name: str, max_size: int,
               max_channels: int, help_text: str, labels: Callable[[], dict[str, str]], where: Any = None
               ) -> np.ndarray | None:
    """Draw the text box and the editor for a typed grid; return it as ``(C, H, W)``, or ``None`` after a message."""
    where = st if where is None else where
    # Right after an edit wrote the text (in _write_back), the box takes it from its state and is
    # drawn without its default: a widget given a default *and* a value set through the Session
    # State API in the same run makes Streamlit log a warning. Its key (so its state) is the same.
    text = where.text_input(label, None if internals.set_by_api(text_key) else default, key=text_key,
                            help=help_text, bind="query-params", max_chars=2000) or ""
    try:
        grid = parse_grid(text, name=name, max_size=max_size, max_channels=max_channels)
    except convviz.ConvVizError as err:
        where.error(describe(err, labels=labels()), icon=":material/error:")
        return None
    editor_key = keys.stride_typed_editor(what, text)
    frame = pd.DataFrame(grid[0], columns=[str(c) for c in range(grid.shape[2])])
    where.data_editor(frame, key=editor_key, hide_index=True, num_rows="fixed",
                      column_config={c: st.column_config.NumberColumn(c, format="%g", width=44)
                                     for c in frame.columns},
                      on_change=_write_back, args=(text_key, editor_key, text, max_channels))
    return grid
