"""Receptive fields (issue 15): hand-computed stacks, properties against a brute-force
dependency matrix, and an optional check against autograd."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from convviz import ARCHITECTURES, LayerError, to_pytorch

from convviz.nets.layers import (AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten,  # isort: skip
                                 Linear, MaxPool2d, ReLU, Tanh, Unflatten)
from convviz.nets.receptive import Rect, receptive_field


def numbers(layers, shape):
    return [(r.size, r.jump, r.start) for r in receptive_field(layers, shape).rows]


# ---------------------------------------------------------------- hand-computed

def test_three_3x3_convs_see_7x7():
    rows = numbers([Conv2d(1, 1, 3)] * 3, (1, 16, 16))
    assert rows == [((3, 3), (1, 1), (1.0, 1.0)), ((5, 5), (1, 1), (2.0, 2.0)), ((7, 7), (1, 1), (3.0, 3.0))]


def test_vgg_block_and_vgg16():
    block = [Conv2d(3, 8, 3, padding=1), ReLU(), Conv2d(8, 8, 3, padding=1), ReLU(), MaxPool2d(2)]
    assert numbers(block, (3, 32, 32))[-1] == ((6, 6), (2, 2), (0.5, 0.5))
    vgg = ARCHITECTURES["vgg16"]
    rf = receptive_field(vgg.layers, vgg.input_shape)
    sizes = {r.name: r.size[0] for r in rf.rows}
    # Araujo et al.'s table: VGG-16's last conv sees 196 pixels, pool5 212 (with jump 32)
    assert sizes["Conv2d-29"] == 196 and sizes["MaxPool2d-31"] == 212
    assert rf.row(31).jump == (32, 32)
    last = rf.last
    assert last.mixes_all and last.size == (224, 224) and last.jump == (0, 0) and last.positions == (1, 1)


def test_alexnet_pool5_sees_195():
    arch = ARCHITECTURES["alexnet"]
    rf = receptive_field(arch.layers, arch.input_shape)
    first = rf.row(1)
    assert (first.size, first.jump, first.start) == ((11, 11), (4, 4), (3.0, 3.0))
    assert rf.row(13).size == (195, 195) and rf.row(13).jump == (32, 32)
    assert rf.row(14).size == (195, 195)  # AdaptiveAvgPool2d((6, 6)) on 6x6: nothing moves


@pytest.mark.parametrize("layers, expected", [
    # a 1x1 conv with stride keeps the size but spreads the outputs out
    ([Conv2d(1, 1, 1, stride=2)], ((1, 1), (2, 2), (0.0, 0.0))),
    ([Conv2d(1, 1, 1, stride=2), Conv2d(1, 1, 3)], ((5, 5), (2, 2), (2.0, 2.0))),
    # dilation: 3 taps 2 apart span 5, then 3 taps 4 apart add 8
    ([Conv2d(1, 1, 3, dilation=2), Conv2d(1, 1, 3, dilation=4)], ((13, 13), (1, 1), (6.0, 6.0))),
    # padding moves the first field's centre out of the image
    ([Conv2d(1, 1, 5, padding=2)], ((5, 5), (1, 1), (0.0, 0.0))),
    ([Conv2d(1, 1, 3, stride=2, padding=1), Conv2d(1, 1, 3, stride=2, padding=1)],
     ((7, 7), (4, 4), (0.0, 0.0))),
    # even kernel, "same": torch pads 1 before and 2 after, so the centre is half a pixel on
    ([Conv2d(1, 1, 4, padding="same")], ((4, 4), (1, 1), (0.5, 0.5))),
    ([Conv2d(1, 1, 4, padding="same", dilation=3)], ((10, 10), (1, 1), (0.5, 0.5))),
    ([Conv2d(1, 1, 3, padding="valid")], ((3, 3), (1, 1), (1.0, 1.0))),
    # non-square kernel, stride and padding per axis
    ([Conv2d(1, 1, (1, 5), stride=(2, 1), padding=(0, 2))], ((1, 5), (2, 1), (0.0, 0.0))),
    # pools: stride defaults to the kernel; padding and ceil_mode
    ([MaxPool2d(3, stride=2, padding=1, ceil_mode=True)], ((3, 3), (2, 2), (0.0, 0.0))),
    ([AvgPool2d(2), AvgPool2d(2)], ((4, 4), (4, 4), (1.5, 1.5))),
    ([MaxPool2d(2, dilation=2)], ((3, 3), (2, 2), (1.0, 1.0))),
    # pointwise layers change nothing
    ([Conv2d(1, 4, 3), BatchNorm2d(4), ReLU(), Tanh(), Dropout(0.2), Conv2d(4, 4, 1)],
     ((3, 3), (1, 1), (1.0, 1.0))),
    # adaptive pooling with even windows is an ordinary pool
    ([AdaptiveAvgPool2d(4)], ((4, 4), (4, 4), (1.5, 1.5))),
    # adaptive pooling 16 -> (16, 8): height untouched, width pooled by 2
    ([AdaptiveAvgPool2d((None, 8))], ((1, 2), (1, 2), (0.0, 0.5))),
])
def test_hand_computed(layers, expected):
    assert numbers(layers, (1, 16, 16))[-1] == expected


def test_formula_numbers_per_row():
    rf = receptive_field([Conv2d(1, 1, (3, 5), stride=2, padding=(1, 0), dilation=(1, 2)), ReLU()], (1, 20, 20))
    first, second = rf.rows
    assert (first.kernel, first.stride, first.dilation, first.pad_before) == ((3, 5), (2, 2), (1, 2), (1, 0))
    assert (second.kernel, second.stride, second.dilation, second.pad_before) == ((1, 1), (1, 1), (1, 1), (0, 0))


def test_uneven_adaptive_windows_like_torch():
    # torch's windows for 5 -> 3: [0, 2), [1, 4), [3, 5)
    rf = receptive_field([AdaptiveAvgPool2d(3)], (1, 5, 5))
    row = rf.last
    assert row.size == (3, 3) and row.start == (0.5, 0.5) and row.jump == (1.5, 1.5) and not row.uniform
    assert [rf.rect(1, i, 0).clipped.top for i in range(3)] == [0, 1, 3]
    assert [rf.rect(1, i, 0).clipped.bottom for i in range(3)] == [2, 4, 5]
    # upsampling 3 -> 5: overlapping windows of 1 or 2 pixels
    up = receptive_field([AdaptiveAvgPool2d(5)], (1, 3, 3))
    assert [(up.rect(1, i, 0).clipped.top, up.rect(1, i, 0).clipped.bottom) for i in range(5)] == [
        (0, 1), (0, 2), (1, 2), (1, 3), (2, 3)]
    after = receptive_field([AdaptiveAvgPool2d(3), Conv2d(1, 1, 2)], (1, 5, 5)).last
    assert after.size == (4, 4) and not after.uniform


@pytest.mark.parametrize("layers", [
    [Conv2d(1, 4, 3), ReLU(), AdaptiveAvgPool2d(1)],
    [Conv2d(1, 4, 3), Flatten(), Linear(4 * 14 * 14, 10)],
    [Conv2d(1, 4, 3), Flatten(), Linear(4 * 14 * 14, 8), ReLU(), Unflatten(1, (2, 2, 2)), Conv2d(2, 2, 1)],
])
def test_layers_that_mix_every_position_report_the_whole_input(layers):
    rf = receptive_field(layers, (1, 16, 16))
    mixing = next(r for r in rf.rows if r.mixes_all)
    assert all(r.mixes_all for r in rf.rows[mixing.position - 1:])
    last = rf.last
    assert (last.size, last.jump, last.start) == ((16, 16), (0, 0), (7.5, 7.5))
    rect = rf.rect(last.position)
    assert rect.clipped == rect.unclipped == Rect(0, 0, 16, 16)


def test_global_pool_leaves_out_pixels_no_window_reads():
    # 10 pixels, 3x3 windows at stride 3: pixel 9 is never read, so the pool depends on 0..8
    rf = receptive_field([Conv2d(1, 1, 3, stride=3), AdaptiveAvgPool2d(1)], (1, 10, 10))
    assert rf.last.size == (9, 9) and rf.rect(2).clipped == Rect(0, 0, 9, 9)


def test_flatten_and_back_keeps_fields():
    layers = [Conv2d(1, 2, 3), Flatten(), ReLU(), Dropout(0.1), Unflatten(1, (2, 14, 14)), Conv2d(2, 2, 3)]
    rf = receptive_field(layers, (1, 16, 16))
    assert [r.size for r in rf.rows] == [(3, 3)] * 5 + [(5, 5)]
    assert rf.row(2).positions == (14, 14) and not rf.row(2).mixes_all
    assert rf.rect(2, 4, 5).clipped == Rect(4, 5, 7, 8)
    reshaped = receptive_field([Conv2d(1, 2, 3), Flatten(), Unflatten(1, (8, 7, 7))], (1, 16, 16))
    assert reshaped.last.mixes_all


def test_rect_of_a_padded_stack():
    rf = receptive_field([Conv2d(1, 1, 3, padding=1), Conv2d(1, 1, 3, padding=1, stride=2)], (1, 8, 8))
    corner = rf.rect(2, 0, 0)
    assert corner.unclipped == Rect(-2, -2, 3, 3) and corner.clipped == Rect(0, 0, 3, 3)
    last = rf.rect(2, 3, 3)   # outputs 0..3 at stride 2: the last one is centred on pixel 6
    assert last.unclipped == Rect(4, 4, 9, 9) and last.clipped == Rect(4, 4, 8, 8)
    assert Rect(4, 4, 8, 8).slices == (slice(4, 8), slice(4, 8))


def test_a_position_that_reads_only_padding_sees_nothing():
    rf = receptive_field([Conv2d(1, 1, 1, padding=2)], (1, 3, 3))
    assert rf.rect(1, 0, 0).clipped is None and rf.rect(1, 0, 0).unclipped == Rect(-2, -2, -1, -1)
    assert rf.rect(1, 2, 2).clipped == Rect(0, 0, 1, 1)


def test_records():
    rec = receptive_field([Conv2d(1, 1, 4, padding="same")], (1, 8, 8)).to_records()
    assert rec == [{"position": 1, "name": "Conv2d-1", "type": "Conv2d", "size": "4x4", "jump": "1x1",
                    "start": "0.5x0.5", "mixes_all": False}]


def test_empty_stack():
    rf = receptive_field([], (3, 8, 8))
    assert rf.rows == () and rf.last is None


# ---------------------------------------------------------------- errors

def test_impossible_stack_names_the_layer_like_summarize():
    with pytest.raises(LayerError, match=r"^layer 2 \(Conv2d\)") as err:
        receptive_field([Conv2d(3, 8, 3), Conv2d(4, 8, 3)], (3, 16, 16))
    assert err.value.code == "channels" and err.value.position == 2


@pytest.mark.parametrize("call, code, message", [
    (lambda: receptive_field([Linear(4, 2)], (4,)), "rf_needs_image",
     r"receptive_field needs an image input \(C, H, W\), got \(4,\)"),
    (lambda: receptive_field([Conv2d(1, 1, 3)], (1, 8, 8)).rect(2), "rf_position",
     "position must be a layer number from 1 to 1, got 2"),
    (lambda: receptive_field([Conv2d(1, 1, 3)], (1, 8, 8)).row(0), "rf_position",
     "position must be a layer number from 1 to 1, got 0"),
    (lambda: receptive_field([Conv2d(1, 1, 3)], (1, 8, 8)).rect(1, 6, 0), "rf_out_of_range",
     r"row must be from 0 to 5 at layer 1 \(Conv2d\), got 6"),
    (lambda: receptive_field([Conv2d(1, 1, 3)], (1, 8, 8)).rect(1, 0, -1), "rf_out_of_range",
     r"col must be from 0 to 5 at layer 1 \(Conv2d\), got -1"),
    (lambda: receptive_field([Flatten(), Linear(64, 2)], (1, 8, 8)).rect(2, 1, 0), "rf_out_of_range",
     r"row must be from 0 to 0 at layer 2 \(Linear\), got 1"),
])
def test_errors(call, code, message):
    with pytest.raises(LayerError, match=message) as err:
        call()
    assert err.value.code == code


# ---------------------------------------------------------------- properties

def _taps(layer, n_in, n_out):
    """Brute force: a boolean (n_out, n_in) matrix of which input each output reads, one axis."""
    m = np.zeros((n_out, n_in), bool)
    for i in range(n_out):
        if isinstance(layer, AdaptiveAvgPool2d):
            lo, hi = (i * n_in) // n_out, -((-(i + 1) * n_in) // n_out)
            m[i, lo:hi] = True
            continue
        k, s, d, p = layer
        for t in range(k):
            x = i * s - p + t * d
            if 0 <= x < n_in:
                m[i, x] = True
    return m


def _axis_params(layer, axis):
    if isinstance(layer, Conv2d):
        k, s, d = layer.kernel_size[axis], layer.stride[axis], layer.dilation[axis]
        p = {"same": d * (k - 1) // 2, "valid": 0}.get(layer.padding) if isinstance(layer.padding, str) \
            else layer.padding[axis]
        return k, s, d, p
    if isinstance(layer, (MaxPool2d, AvgPool2d)):
        d = layer.dilation[axis] if isinstance(layer, MaxPool2d) else 1
        return layer.kernel_size[axis], layer.stride[axis], d, layer.padding[axis]
    return 1, 1, 1, 0


def brute_force_bbox(rf, position, axis, i):
    """Bounding box of the inputs output ``i`` of layer ``position`` depends on, along one axis."""
    dep = None
    for r in rf.rows[:position]:
        n_in, n_out = r.input_shape[1 + axis], r.output_shape[1 + axis]
        layer = r.layer if isinstance(r.layer, AdaptiveAvgPool2d) else _axis_params(r.layer, axis)
        m = _taps(layer, n_in, n_out).astype(np.int64)
        dep = m if dep is None else (m @ dep > 0).astype(np.int64)
    hits = np.flatnonzero(dep[i])
    return (hits[0], hits[-1] + 1) if hits.size else None


@st.composite
def stacks(draw, **kwargs):
    """(layers, input_shape) of image layers that fit together."""
    c = draw(st.integers(1, 3)) if kwargs.get("channels", True) else 1
    input_shape = (c, draw(st.integers(6, 20)), draw(st.integers(6, 20)))
    shape = input_shape
    layers = []
    for _ in range(draw(st.integers(1, kwargs.get("max_layers", 5)))):
        kind = draw(st.sampled_from(["conv", "conv", "max", "avg", "adaptive", "point"]))
        if kind == "conv":
            k = draw(st.integers(1, 4))
            pad = draw(st.sampled_from([0, 1, 2, "same", "valid"]))
            s = 1 if pad == "same" else draw(st.integers(1, 3))
            cout = draw(st.integers(1, 3))
            groups = draw(st.sampled_from([g for g in (1, 2, 3) if shape[0] % g == 0 and cout % g == 0]))
            layer = Conv2d(shape[0], cout, k, stride=s, padding=pad, dilation=draw(st.integers(1, 2)),
                           groups=groups)
        elif kind in ("max", "avg"):
            k = draw(st.integers(1, 3))
            args = dict(stride=draw(st.integers(1, 3)), padding=draw(st.integers(0, k // 2)),
                        ceil_mode=draw(st.booleans()))
            layer = (MaxPool2d(k, dilation=draw(st.integers(1, 2)), **args) if kind == "max"
                     else AvgPool2d(k, **args))
        elif kind == "adaptive":
            layer = AdaptiveAvgPool2d((draw(st.integers(1, shape[1] + 2)), draw(st.integers(1, shape[2] + 2))))
        else:
            layer = draw(st.sampled_from([ReLU(), Tanh(), Dropout(0.2), BatchNorm2d(shape[0])]))
        try:
            out = layer.output_shape(shape)
        except LayerError:
            continue
        layers.append(layer)
        shape = out
    return layers, input_shape


@settings(max_examples=150, deadline=None)
@given(stacks(), st.data())
def test_rects_match_a_brute_force_dependency_matrix(stack, data):
    layers, shape = stack
    rf = receptive_field(layers, shape)
    for row in rf.rows:
        i = data.draw(st.integers(0, row.positions[0] - 1))
        j = data.draw(st.integers(0, row.positions[1] - 1))
        rect = rf.rect(row.position, i, j)
        hs, ws = brute_force_bbox(rf, row.position, 0, i), brute_force_bbox(rf, row.position, 1, j)
        expected = None if hs is None or ws is None else Rect(hs[0], ws[0], hs[1], ws[1])
        assert rect.clipped == expected, (row.name, i, j)
        if rect.clipped is not None and not row.mixes_all:
            u = rect.unclipped
            assert u.top <= rect.clipped.top and rect.clipped.bottom <= u.bottom
            assert u.left <= rect.clipped.left and rect.clipped.right <= u.right


@settings(max_examples=150, deadline=None)
@given(stacks())
def test_rows_agree_with_rects(stack):
    """size / start / jump are the unclipped field of output (0, 0) and its step to (1, 1)."""
    layers, shape = stack
    rf = receptive_field(layers, shape)
    previous = (1, 1)
    for row in rf.rows:
        if row.mixes_all:
            continue
        rect = rf.rect(row.position, 0, 0).unclipped
        assert (rect.top + rect.bottom - 1) / 2 == row.start[0]
        assert (rect.left + rect.right - 1) / 2 == row.start[1]
        if row.uniform:
            assert (rect.height, rect.width) == row.size
            assert row.size[0] >= previous[0] and row.size[1] >= previous[1]
            if row.positions[0] > 1 and row.positions[1] > 1:
                step = rf.rect(row.position, 1, 1).unclipped
                assert (step.top - rect.top, step.left - rect.left) == row.jump
        else:
            assert row.size[0] >= rect.height and row.size[1] >= rect.width
        previous = row.size


# ---------------------------------------------------------------- against autograd

def _build(torch, layers):
    namespace = {"__name__": "convviz_generated"}
    exec(compile(to_pytorch(layers), "<generated>", "exec"), namespace)
    model = namespace["model"].double().eval()
    with torch.no_grad():
        for module in model.modules():
            for name in ("weight", "bias"):
                param = getattr(module, name, None)
                if isinstance(param, torch.nn.Parameter):
                    # positive weights, no bias: a pixel's influence can never cancel out
                    param.fill_(1.0 if name == "weight" else 0.0)
    return model


def autograd_mask(torch, layers, shape, position, i, j):
    """Input pixels whose gradient is nonzero for output (i, j) of layer ``position``.

    One sample per pixel q, that pixel lit in every channel: with positive weights every value
    that depends on q is positive and the rest zero, so a max-pool passes q on exactly when its
    window holds a value that depends on q, and the gradient at q is nonzero exactly when the
    output depends on q.
    """
    c, h, w = shape
    model = _build(torch, layers[:position])
    q = torch.arange(h * w)
    x = torch.zeros(h * w, c, h, w, dtype=torch.float64)
    x[q, :, q // w, q % w] = 1e-3
    x.requires_grad_(True)
    y = model(x)
    out = y[:, :, i, j] if y.dim() == 4 else y
    out.sum().backward()
    return (x.grad[q, :, q // w, q % w] != 0).any(dim=1).reshape(h, w).numpy()


def _check_against_autograd(torch, layers, shape, points=None):
    rf = receptive_field(layers, shape)
    _, h, w = shape
    for row in rf.rows:
        if len(row.output_shape) != 3 and not row.mixes_all:
            continue  # a flat vector that still holds one feature per position: checked on either side
        ph, pw = row.positions
        for i, j in points or {(0, 0), (ph - 1, pw - 1), (ph // 2, pw // 2), (0, pw - 1)}:
            mask = autograd_mask(torch, layers, shape, row.position, i, j)
            clipped = rf.rect(row.position, i, j).clipped
            if clipped is None:
                assert not mask.any(), (row.name, i, j)
                continue
            ys, xs = np.nonzero(mask)
            assert Rect(ys.min(), xs.min(), ys.max() + 1, xs.max() + 1) == clipped, (row.name, i, j)
            # without gaps (no dilation, no stride past a kernel) the field fills its rectangle
            dense = all(getattr(r.layer, "dilation", (1, 1)) == (1, 1) and r.stride[0] <= r.kernel[0]
                        and r.stride[1] <= r.kernel[1] for r in rf.rows[:row.position])
            if dense:
                assert mask[clipped.slices].all() and mask.sum() == clipped.height * clipped.width, row.name


TORCH_STACKS = [
    ([Conv2d(1, 2, 3, padding=1), ReLU(), Conv2d(2, 2, 3, padding=1), ReLU(), MaxPool2d(2), Conv2d(2, 2, 3)],
     (1, 12, 12)),
    ([Conv2d(2, 4, 3, stride=2, padding=1, groups=2), BatchNorm2d(4), Tanh(), AvgPool2d(3, 2, 1, ceil_mode=True)],
     (2, 11, 9)),
    ([Conv2d(1, 1, 3, dilation=2), MaxPool2d(2, dilation=2, padding=1), Conv2d(1, 1, 2, dilation=3)], (1, 14, 13)),
    pytest.param([Conv2d(1, 2, 4, padding="same"), Conv2d(2, 1, (2, 3), padding="same", dilation=(3, 1))],
                 (1, 10, 9), marks=pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")),
    ([Conv2d(1, 1, 1, stride=3), Conv2d(1, 1, 3, padding=1), AdaptiveAvgPool2d((3, 2))], (1, 13, 11)),
    ([AdaptiveAvgPool2d(5), MaxPool2d(2, 1), Conv2d(1, 1, 2, padding=2)], (1, 7, 8)),
    ([Conv2d(1, 2, 3, stride=3), ReLU(), AdaptiveAvgPool2d(1), Flatten(), Linear(2, 3)], (1, 10, 10)),
    ([Conv2d(1, 2, 3), Flatten(), Linear(2 * 6 * 6, 8), Unflatten(1, (2, 2, 2)), Conv2d(2, 2, 1)], (1, 8, 8)),
    ([Conv2d(1, 1, 1, padding=2), Conv2d(1, 1, 3, stride=2)], (1, 3, 3)),
]


@pytest.mark.torch
@pytest.mark.parametrize("layers, shape", TORCH_STACKS)
def test_rects_match_autograd(layers, shape):
    torch = pytest.importorskip("torch")
    _check_against_autograd(torch, layers, shape)


@pytest.mark.torch
@pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")
@settings(max_examples=25, deadline=None)
@given(stacks(max_layers=4), st.data())
def test_random_stacks_match_autograd(stack, data):
    torch = pytest.importorskip("torch")
    layers, shape = stack
    rf = receptive_field(layers, shape)
    ph, pw = rf.last.positions
    point = (data.draw(st.integers(0, ph - 1)), data.draw(st.integers(0, pw - 1)))
    _check_against_autograd(torch, layers, shape, points=[point])
