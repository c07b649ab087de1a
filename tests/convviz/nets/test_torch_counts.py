"""op_counts and memory against torch itself: ``torch.utils.flop_counter.FlopCounterMode`` and forward hooks.

Skipped without torch. The generated ``to_pytorch`` code is executed here only (never by the app).
The models run on the ``meta`` device: shapes flow and FLOPs are counted without any arithmetic,
so VGG-16 at 224 x 224 takes milliseconds.
"""
from __future__ import annotations

import math

import pytest

from convviz import ARCHITECTURES, summarize, to_pytorch
from convviz.nets.layers import BatchNorm2d, Conv2d, Flatten, Linear, ReLU
from convviz.nets.memory import layer_memory
from convviz.nets.operations import op_counts

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


# ---------------------------------------------------------------- every count against its reference (issue 22)

def _random_stack(r):
    """A valid stack (shapes fit by construction) of every layer kind, blocks included, and its input shape."""
    from convviz.nets.blocks import Concat, Residual
    from convviz.nets.layers import AdaptiveAvgPool2d, AvgPool2d, Dropout, MaxPool2d, ReLU6, Tanh

    start = (r.randint(1, 6), r.randint(4, 20), r.randint(4, 20))
    shape, layers = start, []
    for _ in range(r.randint(0, 6)):
        c, h, w = shape
        kind = r.choice(["conv", "conv", "bn", "pool", "act", "residual", "concat", "adaptive"])
        if kind == "conv":
            groups = r.choice([g for g in (1, 2, 3) if c % g == 0])
            k, d = r.choice([1, 2, 3]), r.choice([1, 1, 2])
            if d * (k - 1) + 1 > min(h, w):
                k, d = 1, 1
            padding = "same" if r.random() < 0.2 else r.randint(0, 1)
            layer = Conv2d(c, groups * r.randint(1, 4), k, stride=1 if padding == "same" else r.choice([1, 2]),
                           padding=padding, dilation=d, groups=groups, bias=r.random() < 0.5)
        elif kind == "bn":
            layer = BatchNorm2d(c, affine=r.random() < 0.8)
        elif kind == "pool" and min(h, w) >= 3:
            layer = r.choice([MaxPool2d(2), AvgPool2d(2), MaxPool2d(3, 2, 1, ceil_mode=True),
                              AvgPool2d(2, count_include_pad=False)])
        elif kind == "residual":
            if r.random() < 0.5:  # identity shortcut: the body keeps the shape
                layer = Residual((Conv2d(c, c, 3, padding=1, bias=False), BatchNorm2d(c), ReLU()))
            else:  # projection: both paths to c2 channels at stride s
                c2, s = r.randint(1, 6), r.choice([1, 2])
                layer = Residual((Conv2d(c, c2, 3, stride=s, padding=1), BatchNorm2d(c2)),
                                 (Conv2d(c, c2, 1, stride=s, bias=False),))
        elif kind == "concat":
            layer = Concat(((Conv2d(c, r.randint(1, 4), 1),),
                            (Conv2d(c, 2, 1, bias=False), BatchNorm2d(2), Conv2d(2, r.randint(1, 4), 3, padding=1)),
                            (MaxPool2d(3, 1, 1), Conv2d(c, r.randint(1, 4), 1))))
        elif kind == "adaptive":
            layer = AdaptiveAvgPool2d(r.choice([1, 2, (1, 2)]))
        else:
            layer = r.choice([ReLU(), ReLU6(), Tanh(), Dropout(0.2)])
        layers.append(layer)
        shape = tuple(layer.output_shape(shape))
    layers += [Flatten(), Linear(math.prod(shape), r.randint(1, 12), bias=r.random() < 0.7)]
    if r.random() < 0.5:
        layers += [ReLU(), Linear(layers[-1].out_features, r.randint(1, 5), bias=r.random() < 0.5)]
    return layers, start


def _norm_rows(summary):
    return [r for r in summary.leaves if isinstance(r.layer, BatchNorm2d)]


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths:UserWarning")
def test_every_count_against_flop_counter_and_torchinfo():
    """~250 seeded random stacks (and the presets): plain multiply-adds == FlopCounterMode / 2;
    "with bias & BatchNorm" == torchinfo's "Total mult-adds" exactly where there is no BatchNorm2d,
    and otherwise differs by exactly what convviz.nets.operations documents (C x H x W per BatchNorm2d
    value here, 2 x C for its parameters in torchinfo); parameter memory == torchinfo's "Params
    size"; torchinfo's "Forward/backward pass size" == 2 x the outputs of the layers with parameters
    (convviz.nets.memory's docstring)."""
    import random

    torchinfo = pytest.importorskip("torchinfo")
    r = random.Random(22)
    cases = [_random_stack(r) for _ in range(250)]
    cases += [(a.layers, a.input_shape) for n, a in ARCHITECTURES.items() if n in ("lenet5", "mixed", "resnet_plain")]
    compared = {"flop_counter": 0, "torchinfo_equal": 0, "torchinfo_batchnorm": 0}
    for layers, shape in cases:
        s = summarize(layers, shape)
        plain, extras = op_counts(s), op_counts(s, extras=True)
        assert s.total_macs == plain.total and s.total_macs_with_extras == extras.total
        assert s.to_records()[-1]["macs"] == plain.total  # the CSV's total
        model = _model(layers, shape)
        counter = FlopCounterMode(display=False)
        with counter, torch.no_grad():
            model(torch.empty(1, *shape, device="meta"))
        assert counter.get_total_flops() == 2 * plain.total == op_counts(s, unit="flops").total, layers
        compared["flop_counter"] += 1

        batch = r.choice([1, 2, 3])
        model = model.to_empty(device="cpu")  # values do not matter to the counts
        stats = torchinfo.summary(model, input_size=(batch, *shape), device="cpu", verbose=0)
        norm = _norm_rows(s)
        bn_here = sum(math.prod(row.output_shape) for row in norm)  # convviz: one multiply-add per value
        bn_there = sum(2 * row.layer.num_features for row in norm if row.layer.affine)  # torchinfo: its parameters
        assert stats.total_mult_adds == batch * (extras.total - bn_here + bn_there), layers
        compared["torchinfo_batchnorm" if norm else "torchinfo_equal"] += 1
        m = layer_memory(s, batch_size=batch)
        assert stats.total_param_bytes == m.total_param_bytes
        assert stats.total_output_bytes == 2 * sum(row.batch_activation_bytes for row, sr in zip(m.rows, s.rows)
                                                   if row.leaf and sr.params), layers
    # not vacuous: every case compared, both torchinfo relations exercised many times
    assert compared["flop_counter"] == len(cases) >= 250
    assert compared["torchinfo_equal"] >= 50 and compared["torchinfo_batchnorm"] >= 50, compared
