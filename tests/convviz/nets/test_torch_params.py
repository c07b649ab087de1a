"""Cross-check against PyTorch: the generated code builds a model with our counts and shapes.

Skipped without torch (``pip install -r requirements-torch.txt``). torchvision is not used: the presets
are compared with the published totals of torchvision's AlexNet and VGG-16.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from convviz import ARCHITECTURES, summarize, to_pytorch
from convviz.nets.compare import dense_equivalent
from convviz.nets.layers import AvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, Linear, MaxPool2d, ReLU

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

PUBLISHED = {"alexnet": 61_100_840, "vgg16": 138_357_544, "lenet5": 61_706, "resnet18": 11_689_512,
             "resnet50": 25_557_032, "googlenet": 6_624_904, "mobilenet_v2": 3_504_872}


def build(layers, input_shape=None):
    namespace = {"__name__": "convviz_generated"}  # skip the file's __main__ self-check
    exec(compile(to_pytorch(layers, input_shape=input_shape), "<generated>", "exec"), namespace)
    return namespace["model"]


def check_against_torch(layers, input_shape):
    """Per-layer params and output shapes of our summary == the generated torch model's.

    A Residual / Concat block is one top-level module, compared with its block row.
    """
    summary = summarize(layers, input_shape)
    model = build(layers, input_shape).eval()
    modules = list(model.children())
    top = summary.top_level().rows
    assert len(modules) == len(top)
    x = torch.zeros(1, *input_shape)
    with torch.no_grad():
        for module, row in zip(modules, top):
            x = module(x)
            assert type(module).__name__ == row.type_name
            assert sum(p.numel() for p in module.parameters()) == row.params, row.name
            assert tuple(x.shape[1:]) == row.output_shape, row.name
    assert sum(p.numel() for p in model.parameters()) == summary.total_params
    return summary


# VGG-16's forward pass at 224x224 is the slowest; it still takes well under a second on a CPU.
@pytest.mark.parametrize("name", list(ARCHITECTURES))
def test_presets_match_torch(name):
    arch = ARCHITECTURES[name]
    summary = check_against_torch(arch.layers, arch.input_shape)
    if name in PUBLISHED:
        assert summary.total_params == PUBLISHED[name]


@pytest.mark.parametrize("layers, shape", [
    ([Conv2d(8, 8, 3, groups=8), Conv2d(8, 16, 1), BatchNorm2d(16)], (8, 9, 9)),        # depthwise separable
    ([Conv2d(6, 12, (3, 5), stride=(2, 1), padding=(1, 2), dilation=2, groups=3)], (6, 17, 13)),
    pytest.param([Conv2d(3, 4, 4, padding="same"), Conv2d(4, 4, 3, padding="valid", bias=False)], (3, 10, 7),
                 marks=pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")),
    ([MaxPool2d(3, stride=2, padding=1, ceil_mode=True), AvgPool2d(3, stride=2, ceil_mode=True)], (2, 10, 11)),
    ([MaxPool2d(2, dilation=2), AvgPool2d((2, 3), padding=(1, 1), count_include_pad=False)], (1, 12, 12)),
    ([Flatten(), Linear(48, 5, bias=False), ReLU(), Dropout(0.1)], (3, 4, 4)),
])
def test_edge_layers_match_torch(layers, shape):
    check_against_torch(layers, shape)


def test_dense_equivalent_builds_in_torch():
    # Small enough to instantiate: 2 x 6 x 6 -> 3 x 4 x 4 needs a 72 x 48 dense layer.
    layers = [Conv2d(2, 3, 3), ReLU(), Conv2d(3, 2, 3, padding=1)]
    dense = dense_equivalent(layers, (2, 6, 6))
    summary = check_against_torch(dense, (2, 6, 6))
    assert summary.output_shape == summarize(layers, (2, 6, 6)).output_shape
    assert summary.total_params == (72 * 48 + 48) + (48 * 32 + 32)


@pytest.mark.parametrize("layers, shape, printed", [
    (ARCHITECTURES["lenet5"].layers, ARCHITECTURES["lenet5"].input_shape, "output shape: (1, 10)\nparameters: 61706"),
    # issue 14 defect 2: in training mode BatchNorm refuses one value per channel
    ((Conv2d(1, 4, 3), BatchNorm2d(4)), (1, 3, 3), "output shape: (1, 4, 1, 1)"),
])
def test_generated_file_runs_as_a_script(capsys, layers, shape, printed):
    exec(compile(to_pytorch(layers, input_shape=shape), "<generated>", "exec"), {"__name__": "__main__"})
    assert printed in capsys.readouterr().out




@settings(max_examples=40, deadline=None)
@given(size=st.integers(1, 12), k=st.integers(1, 5), s=st.integers(1, 3), p=st.integers(0, 2),
       d=st.integers(1, 2), ceil=st.booleans(), pool=st.sampled_from(["max", "avg", "conv"]))
def test_random_window_shapes_match_torch(size, k, s, p, d, ceil, pool):
    """Our output size (or our error) agrees with torch for random conv / pool windows."""
    from convviz.errors import LayerError

    try:
        if pool == "conv":
            layer = Conv2d(2, 3, k, stride=s, padding=p, dilation=d)
        elif pool == "max":
            layer = MaxPool2d(k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
        else:
            layer = AvgPool2d(k, stride=s, padding=p, ceil_mode=ceil)
        ours = summarize([layer], (2, size, size + 1)).output_shape
    except LayerError:
        ours = None
    try:
        with torch.no_grad():
            theirs = tuple(build([layer])(torch.zeros(1, 2, size, size + 1)).shape[1:]) if ours else None
    except RuntimeError:
        theirs = None
    if ours is None:
        # we refused: torch must refuse too (build with our checks skipped is not possible, so
        # rebuild the torch module directly from the same arguments)
        ctor = {"conv": lambda: torch.nn.Conv2d(2, 3, k, stride=s, padding=p, dilation=d),
                "max": lambda: torch.nn.MaxPool2d(k, stride=s, padding=p, dilation=d, ceil_mode=ceil),
                "avg": lambda: torch.nn.AvgPool2d(k, stride=s, padding=p, ceil_mode=ceil)}[pool]
        with pytest.raises((RuntimeError, ValueError)):
            ctor()(torch.zeros(1, 2, size, size + 1))
    else:
        assert ours == theirs
