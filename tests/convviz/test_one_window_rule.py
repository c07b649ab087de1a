"""One window arithmetic and one argument rule: every entry point agrees with convviz.sliding.windows and
convviz.checks."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, strategies as st

import convviz
from convviz.checks import check_choice, check_float, check_int, check_pair, check_sizes
from convviz.errors import ConvVizError, GeometryError, LayerError
from convviz.features import maps, planes
from convviz.filters import inspector
from convviz.nets import layers
from convviz.sliding.animation import render_frame
from convviz.sliding.windows import (
    fit_window,
    same_padding,
    transposed_count,
    transposed_shape,
    window_count,
    window_shape,
)
from convviz.sliding.worked import worked_axes


def _reference(n, k, s, p, d, ceil_mode):
    """Window starts listed one by one (torch's rule, written as a loop)."""
    padded, span = n + 2 * p, d * (k - 1) + 1
    # floor: the window fits the padded input; ceil: a partial last window (it overhangs by < s) counts too
    room = padded + (s - 1 if ceil_mode else 0)
    starts = [start for start in range(0, room, s) if start + span <= room]
    if ceil_mode and starts and starts[-1] >= n + p:   # torch drops a last window starting in the right padding
        starts.pop()
    return len(starts)


@given(n=st.integers(1, 12), k=st.integers(1, 5), s=st.integers(1, 4), p=st.integers(0, 2), d=st.integers(1, 3),
       ceil_mode=st.booleans())
def test_window_count_is_the_loop(n, k, s, p, d, ceil_mode):
    expected = _reference(n, k, s, p, d, ceil_mode)
    got = window_count(n, k, stride=s, pads=(p, p), dilation=d, ceil_mode=ceil_mode)
    assert max(got, 0) == expected


@given(n=st.integers(1, 9), k=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 2), d=st.integers(1, 2))
def test_every_entry_point_gives_the_same_size(n, k, s, p, d):
    try:
        expected = fit_window(n, k, stride=s, pads=(p, p), dilation=d)
    except GeometryError as err:
        assert err.code == "kernel_too_large"
        for call in (lambda: convviz.output_size(n, k, stride=s, padding=p, dilation=d),
                     lambda: convviz.conv2d(np.ones((1, n, n)), np.ones((1, 1, k, k)), stride=s, padding=p,
                                            dilation=d)):
            with pytest.raises(GeometryError) as info:
                call()
            assert info.value.code == "kernel_too_large"
        with pytest.raises(LayerError) as info:
            layers.Conv2d(1, 1, k, stride=s, padding=p, dilation=d).output_shape((1, n, n))
        assert info.value.code == "kernel_too_large"
        return
    assert convviz.output_size(n, k, stride=s, padding=p, dilation=d) == expected
    assert layers.Conv2d(1, 1, k, stride=s, padding=p, dilation=d).output_shape((1, n, n)) == (1, expected, expected)
    assert convviz.conv2d(np.ones((1, n, n)), np.ones((1, 1, k, k)), stride=s, padding=p,
                          dilation=d).shape == (1, expected, expected)
    assert convviz.conv_frames(np.ones((n, n)), np.ones((k, k)), stride=s, padding=p,
                               dilation=d).output.shape == (expected, expected)
    if p <= k // 2:
        pooled = fit_window(n, k, stride=s, pads=(p, p)) if d == 1 else None
        if pooled is not None:
            assert layers.MaxPool2d(k, stride=s, padding=p).output_shape((1, n, n)) == (1, pooled, pooled)
            assert convviz.pool2d(np.ones((1, n, n)), k, stride=s, padding=p).shape == (1, pooled, pooled)


@given(n=st.integers(1, 6), k=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 2), d=st.integers(1, 2))
def test_transposed_entry_points_agree(n, k, s, p, d):
    out = transposed_count(n, k, stride=s, padding=p, dilation=d)
    if out < 1:
        return
    assert convviz.transposed_output_size(n, k, stride=s, padding=p, dilation=d) == out
    assert convviz.conv_transpose2d(np.ones((1, n, n)), np.ones((1, 1, k, k)), stride=s, padding=p,
                                    dilation=d).shape == (1, out, out)
    assert convviz.conv_transpose_frames(np.ones((n, n)), np.ones((k, k)), stride=s, padding=p,
                                         dilation=d).output.shape == (out, out)
    geo = transposed_shape(n, k, stride=s, padding=p, dilation=d)
    assert geo.full == ((n - 1) * s + d * (k - 1) + 1,) * 2


def test_same_padding_is_one_rule():
    for k in range(1, 8):
        for d in (1, 2, 3):
            before, after = same_padding(k, dilation=d)
            assert before + after == d * (k - 1) and after - before in (0, 1)   # the odd cell after, as torch
            w = window_shape(9, k, padding="same", dilation=d)
            assert w.out == (9, 9) and w.padding == (same_padding(k, dilation=d),) * 2
            assert layers.Conv2d(1, 1, k, padding="same", dilation=d).output_shape((1, 9, 9)) == (1, 9, 9)


def test_worked_axes_holds_the_page_numbers():
    h, w = worked_axes("conv", (8, 7), (3, 5), stride=2, padding="same")
    assert (h.axis, w.axis) == ("height", "width")
    assert w.same == (2, 2) and w.same_total == 4 and h.unused == 0   # no remainder warning with 'same'
    (both,) = worked_axes("max", (6, 6), (2, 2), stride=2, padding=0, dilation=3)
    assert both.parts[-1] == "3" and "1\\cdot(2-1)" in both.parts[1]   # pooling ignores the dilation
    (t,) = worked_axes("transposed", (4, 4), (3, 3), stride=2, padding="same")
    assert t.parts is None and t.steps is None


# ---------------------------------------------------------------- one argument rule everywhere

#: Every entry point that takes a whole-number argument ``v``, and a good value for it.
ENTRY_POINTS = {
    "geometry.output_size": (lambda v: convviz.output_size(7, v), 3),
    "geometry.as_pair": (lambda v: convviz.as_pair(v, "stride"), 3),
    "layers.Conv2d": (lambda v: layers.Conv2d(3, 8, v).kernel_size, 3),
    "layers.MaxPool2d": (lambda v: layers.MaxPool2d(v).kernel_size, 3),
    "ops.pool2d": (lambda v: convviz.pool2d(np.ones((1, 6, 6)), v).shape, 3),
    "channels.conv_params": (lambda v: planes.conv_params(v, 3, 4), 3),
    "channels.demo_weights": (lambda v: planes.demo_weights(2, v)[0].shape, 3),
    "channels.thumbnail": (lambda v: planes.thumbnail(np.zeros((20, 20, 3), np.uint8), v).shape, 12),
    "featuremaps.prepare_input": (lambda v: maps.prepare_input(np.zeros((8, 8), np.uint8), size=v).shape, 12),
    "inspector.inspect_pixel": (lambda v: inspector.inspect_pixel(np.zeros((5, 5), np.uint8), [[1]], v, 0).row, 3),
    "summary.check_input_shape": (lambda v: convviz.nets.summary.check_input_shape((v, 8, 8)), 3),
    "animation.render_frame": (lambda v: render_frame(convviz.conv_frames(np.ones((2, 2)), np.ones((1, 1))),
                                                      v).size, 3),
}


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_whole_numbers_of_every_type_are_accepted_everywhere(name):
    call, n = ENTRY_POINTS[name]
    results = [call(v) for v in (n, float(n), np.int64(n), np.int32(n), np.float64(n))]
    assert all(r == results[0] for r in results), (name, results)


@pytest.mark.parametrize("name", ENTRY_POINTS)
@pytest.mark.parametrize("bad", [True, np.bool_(True), 2.5, float("nan"), float("inf"), "3", None, [3]], ids=repr)
def test_bools_nan_fractions_and_strings_are_refused_everywhere(name, bad):
    with pytest.raises(ConvVizError) as info:
        ENTRY_POINTS[name][0](bad)
    assert info.value.code in ("not_int", "not_pair", "not_sizes", "bad_choice"), (name, info.value.code)


def test_checks_keep_the_callers_error_class():
    with pytest.raises(LayerError):
        check_int(0, "groups", minimum=1, error=LayerError)
    with pytest.raises(GeometryError):
        check_pair((1, 2, 3), "stride", error=GeometryError)
    assert check_float(np.float32(0.25), "p", minimum=0, maximum=1) == 0.25
    assert check_sizes((np.int64(2), 3.0), "shape") == (2, 3)
    assert check_choice(3, "size", (3, 5)) == 3
    with pytest.raises(ConvVizError) as info:
        check_choice(np.array([1, 2]), "size", (3, 5))
    assert info.value.code == "bad_choice"
