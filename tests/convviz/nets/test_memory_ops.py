"""convviz.nets.memory and convviz.nets.operations: hand-worked rows, rows that sum to the totals, AlexNet's figures."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings, strategies as st

from convviz import ARCHITECTURES, LayerError, summarize
from convviz.nets.layers import BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU
from convviz.nets.memory import layer_memory
from convviz.nets.operations import op_counts, row_macs
from convviz.numbers import format_bytes
from tests.convviz.nets.test_summary import stacks


def _alexnet():
    arch = ARCHITECTURES["alexnet"]
    return summarize(arch.layers, arch.input_shape)


def test_alexnet_macs_under_both_conventions():
    s = _alexnet()
    assert op_counts(s).total == 714_188_480  # torch.utils.flop_counter / 2
    assert op_counts(s, extras=True).total == 714_682_664 == s.total_macs_with_extras  # torchinfo (no BatchNorm)
    assert s.total_macs == 714_188_480
    assert op_counts(s, unit="flops").total == 2 * 714_188_480
    assert op_counts(s, unit="flops", extras=True).total == 2 * 714_682_664


def test_batchnorm_counts_only_as_an_extra():
    # issue 22: Summary.total_macs counted BatchNorm (14,336 for the first stack) beside op_counts' 13,824
    s = summarize([Conv2d(3, 8, 3, bias=False), BatchNorm2d(8)], (3, 10, 10))
    assert s.total_macs == op_counts(s).total == 13_824 and s.total_macs_with_extras == 13_824 + 512
    assert [r.macs for r in s.rows] == [13_824, 0] and s.to_records()[-1]["macs"] == 13_824
    s = summarize([Conv2d(3, 4, 3, bias=False), BatchNorm2d(4), ReLU(), MaxPool2d(2)], (3, 6, 6))
    plain, extra = op_counts(s), op_counts(s, extras=True)
    assert [r.ops for r in plain.rows] == [4 * 4 * 4 * 27, 0, 0, 0]
    assert [r.ops for r in extra.rows] == [4 * 4 * 4 * 27, 4 * 4 * 4, 0, 0]  # one multiply-add per BN value
    assert row_macs(s.rows[0], extras=True) == (4 * 4 * 4 * 27, 0)  # no bias: nothing extra


def test_bad_unit_and_batch():
    s = _alexnet()
    with pytest.raises(LayerError) as err:
        op_counts(s, unit="gflops")
    assert err.value.code == "bad_choice"
    with pytest.raises(LayerError) as err:
        layer_memory(s, batch_size=0)
    assert err.value.code == "out_of_range"


def test_alexnet_memory_matches_torchinfo():
    m = layer_memory(_alexnet(), batch_size=1)
    # torchinfo's summary of torchvision's AlexNet: "Params size (MB): 244.40"
    assert format_bytes(m.total_param_bytes) == "244.40 MB"
    assert m.rows[0].activation_bytes == 64 * 55 * 55 * 4


def test_memory_by_hand():
    s = summarize([Conv2d(1, 2, 3), Flatten(), Linear(8, 5)], (1, 4, 4))
    m = layer_memory(s, batch_size=3, bytes_per_value=2)
    assert [r.activation_bytes for r in m.rows] == [2 * 2 * 2 * 2, 8 * 2, 5 * 2]
    assert [r.batch_activation_bytes for r in m.rows] == [48, 48, 30]
    assert [r.param_bytes for r in m.rows] == [20 * 2, 0, 45 * 2]


@settings(max_examples=40, deadline=None)
@given(stacks(), st.integers(1, 512), st.sampled_from(["macs", "flops"]), st.booleans())
def test_rows_sum_to_the_totals(stack, batch, unit, extras):
    layers, shape = stack
    s = summarize(layers, shape)
    m = layer_memory(s, batch_size=batch)
    assert sum(r.activation_bytes for r in m.rows) == m.total_activation_bytes
    assert m.total_batch_activation_bytes == batch * m.total_activation_bytes
    assert m.total_param_bytes == 4 * s.total_params
    assert sum(r.activation_bytes for r in m.rows) == 4 * sum(math.prod(r.output_shape) for r in s.rows)
    ops = op_counts(s, unit=unit, extras=extras)
    assert sum(r.ops for r in ops.rows) == ops.total == ops.total_products + ops.total_extras
    factor = 2 if unit == "flops" else 1
    # one definition, read everywhere: the rows, the totals, the CSV
    assert ops.total_products == factor * sum(r.macs for r in s.rows) == factor * s.total_macs
    assert all(r.macs == 0 for r in s.rows if r.category not in ("conv", "dense"))
    bias_adds = sum(math.prod(r.output_shape) for r in s.rows if r.category in ("conv", "dense") and r.biases)
    bn = sum(math.prod(r.output_shape) for r in s.rows if r.category == "norm")
    assert ops.total_extras == (factor * (bias_adds + bn) if extras else 0)
    assert ops.total == factor * (s.total_macs_with_extras if extras else s.total_macs)
    assert s.to_records()[-1]["macs"] == s.total_macs


@pytest.mark.parametrize("n, text", [(0, "0 B"), (1, "1 B"), (999, "999 B"), (1_000, "1.00 kB"),
                                     (999_994, "999.99 kB"), (999_995, "1.00 MB"), (1_500_000, "1.50 MB"),
                                     (10**9, "1.00 GB"), (10**18, "1,000.00 PB")])
def test_format_bytes(n, text):
    assert format_bytes(n) == text


@pytest.mark.parametrize("name", [n for n, a in ARCHITECTURES.items() if a.branching])
@pytest.mark.parametrize("extras", [False, True])
def test_a_block_row_holds_the_operations_of_the_layers_under_it(name, extras):
    arch = ARCHITECTURES[name]
    summary = summarize(arch.layers, arch.input_shape)
    ops = op_counts(summary, unit="flops", extras=extras)
    by_path = {r.path: o for r, o in zip(summary.rows, ops.rows)}
    blocks = [r for r in summary.rows if not r.is_leaf]
    assert blocks
    for block in blocks:
        inside = [by_path[r.path].ops for r in summary.leaves if r.path.startswith(block.path + ".")]
        assert inside and by_path[block.path].ops == sum(inside)
        assert not by_path[block.path].leaf
    # the total is over the layers only, and the top level alone gives it again
    assert ops.total == sum(by_path[r.path].ops for r in summary.rows if r.depth == 0)
    assert op_counts(summary).total == sum(row_macs(r)[0] for r in summary.leaves)
