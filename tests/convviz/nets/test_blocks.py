"""Branching blocks: shapes where branches meet, nested summary rows, presets, trend, round trips."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from convviz import ARCHITECTURES, from_pytorch, receptive_field, summarize, to_pytorch
from convviz.errors import LayerError
from convviz.nets.architectures import TREND, trend
from convviz.nets.blocks import Concat, Residual, has_blocks, weight_depth
from convviz.nets.compare import compare_dense, dense_equivalent
from convviz.nets.layers import BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, ReLU6

BRANCHING = [n for n, a in ARCHITECTURES.items() if a.branching]


# ---------------------------------------------------------------- the presets' figures

@pytest.mark.parametrize("name, params", [
    ("resnet18", 11_689_512), ("resnet50", 25_557_032), ("googlenet", 6_624_904), ("mobilenet_v2", 3_504_872),
])
def test_presets_match_torchvision_parameter_counts(name, params):
    arch = ARCHITECTURES[name]
    summary = summarize(arch.layers, arch.input_shape)
    assert summary.total_params == params
    assert summary.output_shape == (1000,)
    assert arch.branching


@pytest.mark.parametrize("name, depth, year", [
    ("lenet5", 5, 1998), ("alexnet", 8, 2012), ("vgg16", 16, 2014), ("googlenet", 22, 2014),
    ("resnet18", 18, 2015), ("resnet50", 50, 2015), ("mobilenet_v2", 53, 2018),
])
def test_depth_counts_weight_layers_on_the_longest_path(name, depth, year):
    assert ARCHITECTURES[name].depth == depth
    assert ARCHITECTURES[name].year == year


def test_trend_dense_shares_come_out_of_the_counting():
    rows = {r.name: r for r in trend()}
    assert [r.name for r in trend()] == list(TREND)
    assert [r.year for r in trend()] == sorted(r.year for r in trend())
    shares = {name: round(100 * rows[name].dense_share, 1) for name in ("alexnet", "vgg16", "googlenet", "resnet50")}
    assert shares == {"alexnet": 96.0, "vgg16": 89.4, "googlenet": 15.5, "resnet50": 8.0}
    # the notes' trend: from VGG16 on, deeper networks with fewer parameters
    assert rows["resnet50"].depth > rows["googlenet"].depth > rows["vgg16"].depth
    assert rows["resnet50"].params < rows["vgg16"].params
    for r in trend():
        s = summarize(ARCHITECTURES[r.name].layers, ARCHITECTURES[r.name].input_shape)
        assert (r.params, r.macs) == (s.total_params, s.total_macs)


# ---------------------------------------------------------------- nested rows

def test_nested_rows_have_paths_depths_and_parents():
    block = Residual((Conv2d(4, 4, 3, padding=1), BatchNorm2d(4)), (Conv2d(4, 4, 1),))
    s = summarize([Conv2d(3, 4, 1), block, ReLU()], (3, 8, 8))
    assert [(r.path, r.depth, r.parent, r.is_leaf) for r in s.rows] == [
        ("1", 0, None, True), ("2", 0, None, False), ("2.body.1", 1, "2", True), ("2.body.2", 1, "2", True),
        ("2.shortcut.1", 1, "2", True), ("3", 0, None, True)]
    assert s.rows[1].params == s.rows[2].params + s.rows[3].params + s.rows[4].params
    assert s.rows[2].name == "Conv2d-2.body.1" and s.rows[2].position == 2
    assert s.total_params == sum(r.params for r in s.leaves)
    assert s.top_level().total_params == s.total_params and len(s.top_level().rows) == 3
    assert s.output_shape == (4, 8, 8)


def test_plain_stack_rows_are_unchanged():
    s = summarize([Conv2d(3, 4, 3), ReLU()], (3, 8, 8))
    assert [(r.path, r.depth, r.parent, r.is_leaf, r.name) for r in s.rows] == [
        ("1", 0, None, True, "Conv2d-1"), ("2", 0, None, True, "ReLU-2")]
    assert "path" not in s.to_records()[0]


def test_concat_adds_channels_and_nests():
    inner = Concat(((Conv2d(8, 2, 1),), (Residual((Conv2d(8, 8, 3, padding=1),)),)))
    s = summarize([inner, Concat(((Conv2d(10, 3, 1),), (MaxPool2d(3, stride=1, padding=1),)))], (8, 5, 5))
    assert s.output_shape == (13, 5, 5)
    assert max(r.depth for r in s.rows) == 2
    assert "1.branch2.1.body.1" in [r.path for r in s.rows]


def test_errors_name_the_path_where_shapes_meet():
    with pytest.raises(LayerError) as err:
        summarize([ReLU(), Residual((Conv2d(3, 8, 1),))], (3, 4, 4))
    assert err.value.code == "residual_shape" and err.value.position == 2
    with pytest.raises(LayerError) as err:
        summarize([Concat(((Conv2d(3, 4, 1),), (Residual((Conv2d(5, 3, 1),)),)))], (3, 4, 4))
    assert err.value.code == "channels" and err.value.params["path"] == "1.branch2.1.body.1"
    assert "1.branch2.1.body.1 (Conv2d)" in str(err.value)
    with pytest.raises(LayerError) as err:
        summarize([Concat(((Conv2d(3, 4, 1),), (MaxPool2d(2),)))], (3, 4, 4))
    assert err.value.code == "concat_shape" and err.value.params["index"] == 2


def test_receptive_field_refuses_blocks():
    with pytest.raises(LayerError) as err:
        receptive_field(ARCHITECTURES["resnet18"].layers, (3, 224, 224))
    assert err.value.code == "rf_block" and err.value.params["position"] == 5


def test_dense_equivalent_keeps_the_tree():
    layers = [Conv2d(2, 2, 1), Residual((Conv2d(2, 2, 3, padding=1),))]
    dense = dense_equivalent(layers, (2, 3, 3))
    assert has_blocks(dense)
    assert summarize(dense, (2, 3, 3)).output_shape == (2, 3, 3)
    assert len(compare_dense(layers, (2, 3, 3)).swaps) == 2


# ---------------------------------------------------------------- code round trip

@pytest.mark.parametrize("name", list(ARCHITECTURES))
def test_from_pytorch_reads_to_pytorch_back(name):
    arch = ARCHITECTURES[name]
    assert tuple(from_pytorch(to_pytorch(arch.layers, input_shape=arch.input_shape))) == arch.layers


def test_only_the_exact_block_class_is_read():
    source = to_pytorch([Residual((ReLU6(),))])
    assert from_pytorch(source) == [Residual((ReLU6(),))]
    hostile = source.replace("return self.body(x) + self.shortcut(x)", "return __import__('os').system('x')")
    with pytest.raises(LayerError) as err:
        from_pytorch(hostile)
    assert err.value.code == "source_not_supported" and err.value.params["line"] == 5
    with pytest.raises(LayerError) as err:  # a block call without its class is an unknown name
        from_pytorch("model = nn.Sequential(Residual(nn.Sequential(nn.ReLU())))")
    assert err.value.code == "source_not_layer"


# ---------------------------------------------------------------- properties

def _stacks(depth: int):
    leaf = st.sampled_from([Conv2d(4, 4, 1), Conv2d(4, 4, 3, padding=1, bias=False), BatchNorm2d(4), ReLU6()])
    if depth == 0:
        return st.lists(leaf, min_size=1, max_size=3)
    inner = _stacks(depth - 1)
    block = st.one_of(
        st.builds(lambda b, s: Residual(tuple(b), None if s is None else tuple(s)), inner, st.none() | inner),
        st.lists(inner, min_size=1, max_size=3).map(
            lambda branches: Concat(tuple(tuple(b) for b in branches[:1])) if len(branches) == 1 else
            Concat((tuple(branches[0]) + (Conv2d(4, 2, 1),), tuple(branches[1]) + (Conv2d(4, 2, 1),)))))
    return st.lists(st.one_of(leaf, block), min_size=1, max_size=3)


@settings(max_examples=60, deadline=None)
@given(layers=_stacks(2))
def test_leaf_rows_sum_to_the_totals_and_blocks_to_their_leaves(layers):
    s = summarize(layers, (4, 6, 6))
    assert s.total_params == sum(r.params for r in s.rows if r.is_leaf)
    assert s.total_macs == sum(r.macs for r in s.rows if r.is_leaf)
    assert s.total_params == sum(r.params for r in s.rows if r.depth == 0)
    for row in s.rows:
        if not row.is_leaf:
            kids = [r for r in s.rows if r.is_leaf and r.path.startswith(row.path + ".")]
            assert row.params == sum(r.params for r in kids)
            assert row.macs == sum(r.macs for r in kids)
    assert sum(r.share for r in s.leaves) == pytest.approx(1.0 if s.total_params else 0.0)
    assert from_pytorch(to_pytorch(layers)) == list(layers)
    assert weight_depth(layers) <= sum(1 for r in s.leaves if r.category in ("conv", "dense"))


def test_blocks_check_their_arguments():
    with pytest.raises(LayerError, match="body must hold at least one layer"):
        Residual(())
    with pytest.raises(LayerError) as err:
        Residual(("Conv2d",))
    assert err.value.code == "not_layer"
    assert Residual(ReLU()).body == (ReLU(),)
    assert summarize([Flatten(), Linear(4, 2)], (1, 2, 2)).total_params == 10
