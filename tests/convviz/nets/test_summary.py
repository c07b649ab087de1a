"""summarize(): hand-worked counts, the sum invariant, stack errors, CSV, and the dense version."""
from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from convviz import ARCHITECTURES, LayerError, compare_dense, dense_equivalent, summarize
from convviz.nets.layers import AvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, Linear, MaxPool2d, ReLU, Tanh
from convviz.nets.summary import stack_from_records, summarize_records


def test_lenet5_layer_by_layer():
    arch = ARCHITECTURES["lenet5"]
    s = summarize(arch.layers, arch.input_shape)
    # C1: 5*5*1*6 + 6; C3: 5*5*6*16 + 16; F5: 400*120 + 120; F6: 120*84 + 84; out: 84*10 + 10
    assert [r.params for r in s.rows] == [156, 0, 0, 2_416, 0, 0, 0, 48_120, 0, 10_164, 0, 850]
    assert [r.output_shape for r in s.rows] == [
        (6, 28, 28), (6, 28, 28), (6, 14, 14), (16, 10, 10), (16, 10, 10), (16, 5, 5), (400,),
        (120,), (120,), (84,), (84,), (10,)]
    assert s.total_params == 61_706
    assert s.total_biases == 6 + 16 + 120 + 84 + 10
    assert s.total_params_without_biases == s.total_weights == 61_706 - 236
    assert [r.name for r in s.rows[:3]] == ["Conv2d-1", "Tanh-2", "AvgPool2d-3"]
    assert s.rows[0].macs == 6 * 28 * 28 * 25 and s.rows[7].macs == 400 * 120


def test_course_example_and_bn_block():
    s = summarize([Conv2d(128, 64, 3, padding=1)], (128, 40, 50))
    assert (s.total_weights, s.total_biases, s.total_params) == (73_728, 64, 73_792)
    assert s.rows[0].share == 1.0
    bn = summarize([Conv2d(3, 8, 3, bias=False), BatchNorm2d(8), ReLU()], (3, 8, 8))
    assert [r.params for r in bn.rows] == [216, 16, 0]
    assert bn.params_by_category()["norm"] == 16


# A random valid stack: conv / pool / activation blocks that never shrink below 1, then a classifier.
@st.composite
def stacks(draw):
    c, h, w = draw(st.integers(1, 8)), draw(st.integers(4, 24)), draw(st.integers(4, 24))
    layers, shape = [], (c, h, w)
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["conv", "pool", "bn", "act"]))
        if kind == "conv":
            k = draw(st.integers(1, 3))
            p = draw(st.integers(0, 1)) if k > 1 else 0
            if k > min(shape[1:]) + 2 * p:  # the kernel would not fit the (padded) map: a 1x1 instead
                k, p = 1, 0
            layer = Conv2d(shape[0], draw(st.integers(1, 8)), k, padding=p, bias=draw(st.booleans()))
        elif kind == "pool" and min(shape[1:]) >= 2:
            layer = draw(st.sampled_from([MaxPool2d(2), AvgPool2d(2)]))
        elif kind == "bn":
            layer = BatchNorm2d(shape[0])
        else:
            layer = draw(st.sampled_from([ReLU(), Tanh(), Dropout(0.1)]))
        layers.append(layer)
        shape = layer.output_shape(shape)
    flat = shape[0] * shape[1] * shape[2]
    layers += [Flatten(), Linear(flat, draw(st.integers(1, 10)), bias=draw(st.booleans()))]
    return layers, (c, h, w)


@settings(max_examples=40, deadline=None)
@given(stacks())
def test_rows_sum_to_the_totals(stack):
    layers, shape = stack
    s = summarize(layers, shape)
    assert sum(r.params for r in s.rows) == s.total_params
    assert sum(r.weights + r.biases for r in s.rows) == s.total_params
    assert sum(r.macs for r in s.rows) == s.total_macs
    assert sum(s.params_by_category().values()) == s.total_params
    assert s.total_params == 0 or abs(sum(r.share for r in s.rows) - 1) < 1e-9
    for prev, row in zip(s.rows, s.rows[1:]):
        assert row.input_shape == prev.output_shape
    # the dense version keeps every tensor shape and never has fewer parameters
    dense = summarize(dense_equivalent(layers, shape), shape)
    assert dense.output_shape == s.output_shape and dense.total_params >= s.total_params


@pytest.mark.parametrize("layers, shape, position, type_name, code, expected", [
    ([Conv2d(1, 6, 5), Flatten(), Linear(100, 10)], (1, 32, 32), 3, "Linear", "features",
     "expected in_features = 4704"),
    ([Conv2d(1, 6, 5), Conv2d(8, 16, 5)], (1, 32, 32), 2, "Conv2d", "channels",
     "expected in_channels = 8 but its input has 6 channels"),
    ([Conv2d(3, 8, 3), MaxPool2d(2), MaxPool2d(2), MaxPool2d(2)], (3, 8, 8), 4, "MaxPool2d", "kernel_too_large",
     "more than the padded input"),
    ([Conv2d(3, 8, 3), Linear(288, 10)], (3, 8, 8), 2, "Linear", "needs_flat", "add Flatten before it"),
    ([Flatten(), ReLU(), Conv2d(3, 8, 3)], (3, 8, 8), 3, "Conv2d", "needs_image", "move it before Flatten"),
    ([Conv2d(3, 8, 3), BatchNorm2d(3)], (3, 8, 8), 2, "BatchNorm2d", "channels", "expected num_features = 8"),
    ([ReLU(), "Conv2d(3, 8, 3)"], (3, 8, 8), 2, "str", "not_layer", "expected a layer"),
])
def test_stack_errors_name_position_type_and_expectation(layers, shape, position, type_name, code, expected):
    with pytest.raises(LayerError) as info:
        summarize(layers, shape)
    err = info.value
    assert str(err).startswith(f"layer {position} ({type_name}): ")
    assert expected in str(err)
    assert (err.position, err.layer_type, err.code) == (position, type_name, code)
    assert err.params["position"] == position


@pytest.mark.parametrize("shape", [(0, 4, 4), (3, 4), "abc", (3, 4.5, 4), (True, 4, 4), None, ()])
def test_bad_input_shape(shape):
    with pytest.raises(LayerError, match="input_shape must be") as err:
        summarize([ReLU()], shape)
    assert err.value.code == "not_sizes"


def test_input_shape_takes_whole_numbers_of_any_type():
    assert summarize([ReLU()], (3, 4.0, np.int64(4))).input_shape == (3, 4, 4)


def test_records_csv_and_totals():
    arch = ARCHITECTURES["lenet5"]
    s = summarize(arch.layers, arch.input_shape)
    records = s.to_records()
    assert len(records) == len(s.rows) + 1 and records[-1]["name"] == "total"
    rows = list(csv.DictReader(io.StringIO(s.to_csv())))
    assert [r["name"] for r in rows[:2]] == ["Conv2d-1", "Tanh-2"]
    assert sum(int(r["params"]) for r in rows[:-1]) == int(rows[-1]["params"]) == 61_706
    assert rows[0]["output_shape"] == "6x28x28" and rows[0]["formula"] == "5 x 5 x 1 x 6 = 150 + 6 biases"
    assert summarize([], (3, 4, 4)).to_records()[-1]["params"] == 0


def test_dense_equivalent_course_example():
    dense = dense_equivalent([Conv2d(128, 64, 3, padding=1)], (128, 40, 50))
    assert [layer.type_name for layer in dense] == ["Flatten", "Linear", "Unflatten"]
    linear = dense[1]
    assert (linear.in_features, linear.out_features) == (40 * 50 * 128, 40 * 50 * 64)
    assert linear.weights == 32_768_000_000 and linear.biases == 128_000
    cmp = compare_dense([Conv2d(128, 64, 3, padding=1)], (128, 40, 50))
    assert cmp.conv.total_weights == 73_728 and cmp.dense.total_weights == 32_768_000_000
    assert cmp.swaps[0].position == 1 and round(cmp.swaps[0].factor) == 444_444
    assert cmp.dense.output_shape == (64, 40, 50)


def test_dense_equivalent_keeps_other_layers():
    layers = [Flatten(), Linear(48, 4), ReLU()]
    assert dense_equivalent(layers, (3, 4, 4)) == layers
    cmp = compare_dense(layers, (3, 4, 4))
    assert cmp.swaps == () and cmp.factor == 1.0


def test_alexnet_dense_share():
    arch = ARCHITECTURES["alexnet"]
    s = summarize(arch.layers, arch.input_shape)
    assert s.count_by_category()["dense"] == 3 and s.count_by_category()["conv"] == 5
    assert 0.955 < s.share_of("dense") < 0.965  # "about 96%"
    assert s.share_of("dense") + s.share_of("conv") == pytest.approx(1.0)


def test_stack_from_records_and_partial_summaries():
    records = [{"type": "Conv2d", "out": 6, "kernel": "5"}, {"type": "Tanh"}, {"type": "Flatten"},
               {"type": "Linear", "in": 100, "out": 10}, {"type": "ReLU"}]
    s, layers, err = summarize_records(records, (1, 32, 32))
    assert err is not None and err.position == 4 and err.layer_type == "Linear" and err.code == "features"
    assert len(s.rows) == len(layers) == 3 and s.total_params == 156
    records[3]["in"] = None  # empty: taken from the flattened size
    s, layers, err = summarize_records(records, (1, 32, 32))
    assert err is None and layers[3].in_features == 6 * 28 * 28 and len(s.rows) == 5
    with pytest.raises(LayerError, match=r"^layer 2 \(Conv2d\): Conv2d needs a value in column 'kernel'"):
        stack_from_records([{"type": "ReLU"}, {"type": "Conv2d", "out": 3}], (1, 4, 4))


@pytest.mark.parametrize("module", ["nets.layers", "nets.summary", "nets.architectures", "nets.to_torch"])
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"convviz.{module}"))
    assert result.attempted > 0 and result.failed == 0
