"""to_pytorch(): the source imports only torch, builds nn.Sequential, and leaves torch defaults out."""
from __future__ import annotations

import ast

import pytest

from convviz import ARCHITECTURES, LayerError, to_pytorch
from convviz.nets.blocks import is_block

from convviz.nets.layers import (AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten,  # isort: skip
                                 Linear, MaxPool2d, ReLU, Tanh, Unflatten)
from convviz.nets.to_torch import layer_source


def test_course_example_source():
    assert to_pytorch(ARCHITECTURES["course_example"].layers) == (
        "import torch\n"
        "from torch import nn\n"
        "\n"
        "model = nn.Sequential(\n"
        "    nn.Conv2d(128, 64, kernel_size=3, padding=1),\n"
        ")\n")


@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_source_parses_imports_only_torch_and_has_one_call_per_layer(name):
    arch = ARCHITECTURES[name]
    tree = ast.parse(to_pytorch(arch.layers, input_shape=arch.input_shape))
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert modules == {"torch"}
    assign = next(n for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "model")
    assert ast.unparse(assign.value.func) == "nn.Sequential"
    # a branching block is a class the file defines itself (Residual, Concat), the rest are nn.X
    assert [ast.unparse(a.func) for a in assign.value.args] == [
        layer.type_name if is_block(layer) else f"nn.{layer.type_name}" for layer in arch.layers]


@pytest.mark.parametrize("layer, source", [
    (Conv2d(3, 64, 11, stride=4, padding=2), "nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2)"),
    (Conv2d(6, 12, (1, 7), padding=(0, 3), dilation=2, groups=3, bias=False),
     "nn.Conv2d(6, 12, kernel_size=(1, 7), padding=(0, 3), dilation=2, groups=3, bias=False)"),
    (Conv2d(3, 8, 3, padding="same"), "nn.Conv2d(3, 8, kernel_size=3, padding='same')"),
    (Linear(9216, 4096), "nn.Linear(9216, 4096)"),
    (Linear(10, 2, bias=False), "nn.Linear(10, 2, bias=False)"),
    (MaxPool2d(3, stride=2), "nn.MaxPool2d(kernel_size=3, stride=2)"),
    (MaxPool2d(2), "nn.MaxPool2d(kernel_size=2)"),
    (MaxPool2d(3, stride=2, padding=1, ceil_mode=True),
     "nn.MaxPool2d(kernel_size=3, stride=2, padding=1, ceil_mode=True)"),
    (AvgPool2d(2, count_include_pad=False), "nn.AvgPool2d(kernel_size=2, count_include_pad=False)"),
    (AdaptiveAvgPool2d((6, 6)), "nn.AdaptiveAvgPool2d(6)"),
    (AdaptiveAvgPool2d((None, 7)), "nn.AdaptiveAvgPool2d((None, 7))"),
    (BatchNorm2d(64), "nn.BatchNorm2d(64)"),
    (Dropout(0.5), "nn.Dropout(p=0.5)"),
    (ReLU(inplace=True), "nn.ReLU(inplace=True)"),
    (ReLU(), "nn.ReLU()"),
    (Tanh(), "nn.Tanh()"),
    (Flatten(), "nn.Flatten()"),
    (Unflatten(1, (64, 40, 50)), "nn.Unflatten(1, (64, 40, 50))"),
])
def test_layer_source(layer, source):
    assert layer_source(layer) == source


def test_self_check_block_only_with_an_input_shape():
    layers = ARCHITECTURES["lenet5"].layers
    assert "__main__" not in to_pytorch(layers)
    src = to_pytorch(layers, input_shape=(1, 32, 32))
    assert "x = torch.zeros(1, 1, 32, 32)" in src and "sum(p.numel() for p in model.parameters())" in src


def test_not_a_layer():
    with pytest.raises(LayerError, match="layer must be a convviz.nets.layers spec, got 'conv'"):
        to_pytorch(["conv"])
