"""ui.stride.typed_grid: an edit in the table writes the grid back as text; hostile cells become text it rejects."""
import math
from types import SimpleNamespace

import pytest

import convviz
from convviz.sliding.grids import parse_grid
from ui.stride import typed_grid


@pytest.fixture
def state(monkeypatch):
    fake = SimpleNamespace(session_state={})
    monkeypatch.setattr(typed_grid, "st", fake)
    return fake.session_state


def edit(state, text, rows, channels=3):
    state["ed"] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    typed_grid._write_back("txt", "ed", text, channels)
    return state["txt"]


def test_an_edit_changes_one_cell_of_the_first_channel(state):
    assert edit(state, "1,2;3,4|5,6;7,8", {0: {"1": 9}}) == "1,9;3,4|5,6;7,8"
    assert edit(state, "1,2;3,4", {1: {"0": -2.5}}) == "1,2;-2.5,4"


@pytest.mark.parametrize("cell, code", [(None, "grid_cell"), ("abc", "grid_cell"), (math.nan, "grid_cell"),
                                        (1e39, "grid_cell"), ("1;2", "grid_ragged"), ("1|2", "grid_ragged")])
def test_hostile_cells_become_text_with_a_coded_error(state, cell, code):
    text = edit(state, "1,2;3,4", {0: {"0": cell}})
    with pytest.raises(convviz.GeometryError) as info:
        parse_grid(text, max_channels=3)
    assert info.value.code == code


def test_edits_outside_the_grid_are_ignored(state):
    assert edit(state, "1,2;3,4", {5: {"0": 1}, 0: {"9": 1}}) == "1,2;3,4"
