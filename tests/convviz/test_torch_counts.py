"""op_counts and memory against torch itself: ``torch.utils.flop_counter.FlopCounterMode`` and forward hooks.

Skipped without torch. The generated ``to_pytorch`` code is executed here only (never by the app).
The models run on the ``meta`` device: shapes flow and FLOPs are counted without any arithmetic,
so VGG-16 at 224 x 224 takes milliseconds.
"""
from __future__ import annotations

import pytest

from convviz import ARCHITECTURES, summarize, to_pytorch
from convviz.layers import BatchNorm2d, Conv2d, Flatten, Linear, ReLU
from convviz.memory import layer_memory
from convviz.op_counts import op_counts

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402


def _model(layers, input_shape):
    namespace = {"__name__": "convviz_generated"}  # skip the file's __main__ self-check
    exec(compile(to_pytorch(layers, input_shape=input_shape), "<generated>", "exec"), namespace)
    return namespace["model"].to("meta").eval()


@pytest.mark.parametrize("name", ["alexnet", "vgg16", "lenet5", "resnet_bottleneck"])
def test_flops_match_torch_flop_counter(name):
    arch = ARCHITECTURES[name]
    model = _model(arch.layers, arch.input_shape)
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(torch.empty(1, *arch.input_shape, device="meta"))
    ours = op_counts(summarize(arch.layers, arch.input_shape), unit="flops")
    assert ours.total == counter.get_total_flops()
    if name == "alexnet":
        assert ours.total == 2 * 714_188_480


def test_activation_memory_matches_the_outputs_torch_makes():
    layers = [Conv2d(3, 8, 3, padding=1), BatchNorm2d(8), ReLU(), Flatten(), Linear(8 * 6 * 6, 4)]
    model = _model(layers, (3, 6, 6))
    sizes = []
    for module in model:
        module.register_forward_hook(lambda _m, _i, out: sizes.append(out.numel() * out.element_size()))
    batch = 5
    with torch.no_grad():
        model(torch.empty(batch, 3, 6, 6, device="meta"))
    m = layer_memory(summarize(layers, (3, 6, 6)), batch_size=batch)
    assert [r.batch_activation_bytes for r in m.rows] == sizes
    assert m.total_param_bytes == sum(p.numel() * p.element_size() for p in model.parameters())
