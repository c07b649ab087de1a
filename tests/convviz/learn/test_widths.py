"""convviz.learn.parse_widths and Experiment.dense_with: a dense net typed by a student."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from convviz import TrainingError, summarize
from convviz.learn import EXPERIMENTS, MAX_HIDDEN_LAYERS, MAX_WIDTH, parse_widths


@pytest.mark.parametrize("text, widths", [("128, 64", (128, 64)), ("512 256", (512, 256)), (" 7,", (7,)),
                                          ("", ()), ("1,2,3,4", (1, 2, 3, 4))])
def test_widths_are_read(text, widths):
    assert parse_widths(text) == widths


@pytest.mark.parametrize("text, code", [("lots", "not_int"), ("2.5", "not_int"), ("-3", "not_int"), ("٣", "not_int"),
                                        ("0", "out_of_range"), (str(MAX_WIDTH + 1), "out_of_range"),
                                        ("9" * 5000, "out_of_range"), ("1 2 3 4 5", "out_of_range")])
def test_bad_widths_are_coded_errors_naming_the_param(text, code):
    with pytest.raises(TrainingError) as err:
        parse_widths(text, param="dense")
    assert err.value.code == code and err.value.params["param"] == "dense"


@given(st.text(max_size=40))
def test_any_text_is_widths_or_a_coded_error(text):
    try:
        widths = parse_widths(text)
    except TrainingError as err:
        assert err.code in ("not_int", "out_of_range")
    else:
        assert len(widths) <= MAX_HIDDEN_LAYERS and all(1 <= w <= MAX_WIDTH for w in widths)


def test_the_experiments_dense_nets_round_trip_through_their_widths():
    for exp in EXPERIMENTS.values():
        dense = next(net for net in exp.networks if net.key == "dense")
        assert exp.dense_with(exp.dense_hidden()) == dense.layers
    exp = EXPERIMENTS["shifted"]
    assert summarize(exp.dense_with((512, 256)), exp.input_shape).total_params == 265482
