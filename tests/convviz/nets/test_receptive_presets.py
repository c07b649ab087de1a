"""The receptive-field view's pure helpers: preset stacks, fit_input, fields_under, field_work."""
from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from convviz import ImageError, receptive_field
from convviz.nets.layers import AdaptiveAvgPool2d, Conv2d, MaxPool2d, ReLU
from convviz.nets.receptive import FIELD_STACKS, field_work, fields_under, fit_input


def traced(name):
    stack = FIELD_STACKS[name]
    return receptive_field(stack.layers, stack.input_shape)


# ---------------------------------------------------------------- presets

@pytest.mark.parametrize(("name", "size", "jump"), [
    ("three_3x3", 7, 1),          # the notes: three 3x3 convolutions see 7x7
    ("vgg_like", 36, 8),          # 3,5,6 | 10,14,16 | 24,32,36
    ("alexnet_features", 195, 32),  # Araujo et al.'s table: AlexNet pool5 sees 195
    ("dilated", 15, 1),           # 3 -> 3 + 2*2 = 7 -> 7 + 2*4 = 15
    ("strided", 15, 8),           # 3 -> 3 + 2*2 = 7 -> 7 + 2*4 = 15, jump 2, 4, 8
])
def test_presets_reach_their_textbook_fields(name, size, jump):
    last = traced(name).last
    assert last.size == (size, size) and last.jump == (jump, jump) and not last.mixes_all


def test_lenet5_ends_in_the_whole_input():
    rf = traced("lenet5")
    assert rf.last.mixes_all and rf.last.size == rf.input_shape[1:]
    assert not rf.row(1).mixes_all


def test_every_preset_is_an_image_stack():
    for name, stack in FIELD_STACKS.items():
        assert stack.name == name and len(stack.input_shape) == 3 and stack.layers


# ---------------------------------------------------------------- the worked formula

def _evaluate(latex: str) -> float:
    """The numbers piece of a formula, computed: checks that the page writes the right numbers."""
    text = latex.replace("\\cdot", "*").replace("\\left(", "(").replace("\\right)", ")")
    text = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"((\1)/(\2))", text)
    assert re.fullmatch(r"[\d\s+\-*/().]*", text), text
    return eval(text)  # noqa: S307 - digits and operators only (checked above)


@pytest.mark.parametrize("name", list(FIELD_STACKS))
def test_the_filled_in_formula_gives_the_row(name):
    rf = traced(name)
    for row in rf.rows:
        for work in field_work(rf, row.position):
            axes = (0, 1) if work.axis == "both" else ((0,) if work.axis == "height" else (1,))
            if work.kind != "window":
                continue
            for a in axes:
                assert _evaluate(work.size[1]) == row.size[a] == float(work.size[2])
                assert _evaluate(work.jump[1]) == row.jump[a] == float(work.jump[2])
                assert _evaluate(work.start[1]) == pytest.approx(row.start[a])
                assert float(work.start[2].strip("()")) == pytest.approx(row.start[a])


def test_kinds_pointwise_whole_uneven_and_two_axes():
    rf = receptive_field([Conv2d(1, 1, (3, 5)), ReLU(), AdaptiveAvgPool2d((3, 3)), MaxPool2d(2)], (1, 9, 12))
    h, w = field_work(rf, 1)
    assert (h.axis, h.size[-1], w.axis, w.size[-1]) == ("height", "3", "width", "5")
    assert {x.kind for x in field_work(rf, 2)} == {"pointwise"}
    assert {x.kind for x in field_work(rf, 3)} == {"uneven"}   # 7 -> 3 and 8 -> 3: uneven windows
    lenet = traced("lenet5")
    assert [x.kind for x in field_work(lenet, lenet.last.position)] == ["whole"]


def test_negative_starts_are_bracketed():
    rf = receptive_field([Conv2d(1, 1, 3, padding=2), Conv2d(1, 1, 3)], (1, 8, 8))
    (work,) = field_work(rf, 2)
    assert work.start[1].startswith("(-1) + ") and work.start[2] == "0"


# ---------------------------------------------------------------- fit_input

def test_fit_input_takes_the_centre_and_scales():
    wide = np.zeros((100, 300, 3), np.uint8)
    wide[:, 100:200] = 255                       # only the centre third is white
    square = fit_input(wide, (50, 50))
    assert square.shape == (50, 50, 3) and square.min() > 240
    assert fit_input(wide, (20, 60)).mean() < 200  # the whole (3:1) picture, dark sides included
    assert fit_input(wide, (227, 454), max_side=100).shape == (50, 100, 3)
    assert fit_input(wide[:, :, 0], (8, 8)).shape == (8, 8)


@pytest.mark.parametrize(("image", "size", "code"), [
    (np.zeros((4, 4, 3), np.float64), (8, 8), "not_image"),
    (np.zeros((4, 4, 4), np.uint8), (8, 8), "not_image"),
    (np.zeros((0, 4, 3), np.uint8), (8, 8), "not_image"),
    (np.zeros((4, 4, 3), np.uint8), (0, 8), "too_small"),
    (np.zeros((4, 4, 3), np.uint8), (8, 2.5), "not_int"),
])
def test_fit_input_rejects(image, size, code):
    with pytest.raises(ImageError) as err:
        fit_input(image, size)
    assert err.value.code == code


# ---------------------------------------------------------------- fields_under

_CENTRES: dict[str, list] = {}


def centres(name):
    """Per layer, the field centres of every output row and column, from rect() alone (brute force)."""
    if name not in _CENTRES:
        rf = traced(name)
        per_layer = []
        for row in rf.rows:
            rows = [rf.rect(row.position, i, 0).unclipped for i in range(row.positions[0])]
            cols = [rf.rect(row.position, 0, j).unclipped for j in range(row.positions[1])]
            per_layer.append(([(r.top + r.bottom - 1) / 2 for r in rows], [(r.left + r.right - 1) / 2 for r in cols]))
        _CENTRES[name] = per_layer
    return _CENTRES[name]


@pytest.mark.parametrize("name", ["vgg_like", "strided", "alexnet_features", "lenet5"])
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_fields_under_picks_the_nearest_centre(name, data):
    rf = traced(name)
    h, w = rf.input_shape[1:]
    y, x = data.draw(st.integers(0, h - 1)), data.draw(st.integers(0, w - 1))
    fields = fields_under(rf, y, x)
    assert len(fields) == len(rf.rows)
    for (rows, cols), f in zip(centres(name), fields):
        assert abs(rows[f.row] - y) == min(abs(c - y) for c in rows)
        assert abs(cols[f.col] - x) == min(abs(c - x) for c in cols)
        assert f.clipped is not None


def test_fields_under_rejects_a_pixel_outside():
    rf = traced("three_3x3")
    with pytest.raises(ImageError) as err:
        fields_under(rf, 64, 0)
    assert err.value.code == "out_of_range"


@pytest.mark.torch
@pytest.mark.parametrize("name", ["three_3x3", "dilated", "strided"])
@pytest.mark.parametrize("pixel", [(0, 0), (40, 9), (63, 63)])
def test_the_drawn_fields_match_autograd(name, pixel):
    # No max pool in these stacks: with positive weights and a positive input every path carries
    # gradient, so one sample's gradient is nonzero exactly on the pixels the output depends on.
    torch = pytest.importorskip("torch")
    from tests.convviz.nets.test_receptive import _build
    stack = FIELD_STACKS[name]
    rf = receptive_field(stack.layers, stack.input_shape)
    for row, field in zip(rf.rows, fields_under(rf, *pixel)):
        model = _build(torch, list(stack.layers[:row.position]))
        x = torch.ones((1, *stack.input_shape), dtype=torch.float64, requires_grad=True)
        model(x)[0, :, field.row, field.col].sum().backward()
        ys, xs = np.nonzero((x.grad[0] != 0).any(dim=0).numpy())
        got = (int(ys.min()), int(xs.min()), int(ys.max()) + 1, int(xs.max()) + 1)
        c = field.clipped
        assert got == (c.top, c.left, c.bottom, c.right), (name, row.name, pixel)
