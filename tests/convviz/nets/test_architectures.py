"""Preset stacks: published totals, shapes, translations and table round trips."""
from __future__ import annotations

import pytest

from convviz import ARCHITECTURES, summarize
from convviz.nets.compare import bottleneck_comparison
from convviz.nets.layers import Conv2d
from convviz.nets.records import layer_to_record
from convviz.nets.summary import stack_from_records
from ui.common.i18n import catalog

REQUIRED = {"course_example", "lenet5", "alexnet", "vgg16", "resnet_bottleneck", "resnet_plain"}


def test_required_presets_exist():
    assert REQUIRED <= set(ARCHITECTURES)
    for name, arch in ARCHITECTURES.items():
        assert arch.name == name and len(arch.input_shape) == 3 and isinstance(arch.layers, tuple)


@pytest.mark.parametrize("name, total, output", [
    ("alexnet", 61_100_840, (1000,)),      # torchvision.models.alexnet
    ("vgg16", 138_357_544, (1000,)),       # torchvision.models.vgg16
    ("lenet5", 61_706, (10,)),
    ("course_example", 73_792, (64, 40, 50)),
])
def test_published_totals(name, total, output):
    arch = ARCHITECTURES[name]
    s = summarize(arch.layers, arch.input_shape)
    assert s.total_params == total and s.output_shape == output


def test_course_example_is_the_notes_example():
    arch = ARCHITECTURES["course_example"]
    assert arch.input_shape == (128, 40, 50)
    assert summarize(arch.layers, arch.input_shape).total_weights == 3 * 3 * 128 * 64 == 73_728


def test_vgg16_is_thirteen_3x3_convs_and_three_linears():
    s = summarize(ARCHITECTURES["vgg16"].layers, ARCHITECTURES["vgg16"].input_shape)
    convs = [r.layer for r in s.rows if r.category == "conv"]
    assert len(convs) == 13 and all(c.kernel_size == (3, 3) for c in convs)
    assert s.count_by_category()["dense"] == 3


def test_bottleneck_against_plain_block():
    blocks = {k: summarize(ARCHITECTURES[k].layers, ARCHITECTURES[k].input_shape)
              for k in ("resnet_bottleneck", "resnet_plain")}
    conv = {k: s.params_by_category()["conv"] for k, s in blocks.items()}
    assert conv["resnet_bottleneck"] == 256 * 64 + 3 * 3 * 64 * 64 + 64 * 256 == 69_632
    assert conv["resnet_plain"] == 3 * 3 * 256 * 256 == 589_824
    path = [(layer.in_channels, layer.kernel_size[0], layer.out_channels)
            for layer in ARCHITECTURES["resnet_bottleneck"].layers if isinstance(layer, Conv2d)]
    assert path == [(256, 1, 64), (64, 3, 64), (64, 1, 256)]
    for s in blocks.values():
        assert s.output_shape == s.input_shape == (256, 56, 56)
    cmp = bottleneck_comparison()
    assert cmp.conv_weights == (589_824, 69_632) and cmp.factor == pytest.approx(589_824 / 69_632)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_titles_and_descriptions_are_translated(lang):
    strings = catalog(lang)
    for arch in ARCHITECTURES.values():
        assert arch.title_key in strings and arch.description_key in strings


@pytest.mark.parametrize("name", sorted(n for n, a in ARCHITECTURES.items() if not a.branching))
def test_presets_survive_the_layer_table(name):
    # The page edits presets as table rows with an empty "In" column: the rebuilt stack must be the same.
    arch = ARCHITECTURES[name]
    records = [{**layer_to_record(layer), "in": None} for layer in arch.layers]
    rebuilt = summarize(stack_from_records(records, arch.input_shape), arch.input_shape)
    original = summarize(arch.layers, arch.input_shape)
    assert [r.params for r in rebuilt.rows] == [r.params for r in original.rows]
    assert [r.output_shape for r in rebuilt.rows] == [r.output_shape for r in original.rows]
