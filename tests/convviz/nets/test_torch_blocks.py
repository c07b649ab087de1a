"""The branching presets built in torch from ``to_pytorch``'s code: parameters, shapes and multiply-adds.

The convention checked: ``torch.utils.flop_counter.FlopCounterMode`` counts only matrix products and
convolutions (``2 x`` multiply-adds each); BatchNorm, bias additions, activations, pooling, the residual
addition and the concatenation are not counted. So its FLOPs / 2 equal the multiply-adds of our Conv2d
and Linear rows exactly, and ``Summary.total_macs`` (BatchNorm's per-value multiply-add is only in the count
"with bias & BatchNorm", ``convviz.nets.operations``).
"""
from __future__ import annotations

import pytest

from convviz import ARCHITECTURES, summarize, to_pytorch

torch = pytest.importorskip("torch")
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

pytestmark = pytest.mark.torch

NAMES = ["resnet18", "resnet50", "googlenet", "mobilenet_v2"]


def build(layers, input_shape):
    namespace = {"__name__": "convviz_generated"}  # the test runs the generated code; the app never does
    exec(compile(to_pytorch(layers, input_shape=input_shape), "<generated>", "exec"), namespace)
    return namespace["model"].eval()


@pytest.mark.parametrize("name", NAMES)
def test_torch_counts_the_same_parameters_shape_and_multiply_adds(name):
    arch = ARCHITECTURES[name]
    summary = summarize(arch.layers, arch.input_shape)
    model = build(arch.layers, arch.input_shape)
    assert sum(p.numel() for p in model.parameters()) == summary.total_params
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        out = model(torch.zeros(1, *arch.input_shape))
    assert tuple(out.shape[1:]) == summary.output_shape
    matmul_macs = sum(r.macs for r in summary.leaves if r.category in ("conv", "dense"))
    assert counter.get_total_flops() == 2 * matmul_macs == 2 * summary.total_macs  # nothing else is counted


@pytest.mark.parametrize("name", ["resnet50", "googlenet"])
def test_every_block_has_the_torch_module_counts(name):
    # per top-level module: a Residual / Concat row sums what torch's module holds
    arch = ARCHITECTURES[name]
    summary = summarize(arch.layers, arch.input_shape)
    model = build(arch.layers, arch.input_shape)
    top = summary.top_level().rows
    assert [type(m).__name__ for m in model.children()] == [r.type_name for r in top]
    assert [sum(p.numel() for p in m.parameters()) for m in model.children()] == [r.params for r in top]
