"""The animation frame list: the classroom case by hand, every operation, properties."""
import json

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import convviz
from convviz.sliding.frames import (
    INPUT,
    INSERTED,
    MAX_FRAMES,
    PAD,
    animation_frames,
    conv_frames,
    conv_transpose_frames,
    pool_frames,
)
from convviz.sliding.grids import default_weights, sample_values

EDGE = np.array([[1, 0, -1]] * 3)


def test_done_when_case_7x7_k3_s2_p1():
    x = np.arange(49).reshape(7, 7) % 10
    fs = conv_frames(x, EDGE, stride=2, padding=1)
    assert fs.output.shape == (4, 4) and len(fs.frames) == 16
    assert fs.grid.shape == (9, 9)
    fourth = fs.frames[3]                           # "pause on the fourth step"
    assert fourth.out == (0, 3)
    # the window starts at padded column 2*3 = 6 and covers padded rows 0..2, cols 6..8
    assert fourth.cells == tuple((r, c) for r in range(3) for c in range(6, 9))
    assert len(fourth.cells) == 9
    assert fourth.weights == (1, 0, -1) * 3
    # padded row 0 and padded column 8 are padding; the rest are x[0:2, 5:7]
    kinds = [int(fs.kind[r, c]) for r, c in fourth.cells]
    assert kinds == [PAD, PAD, PAD, INPUT, INPUT, PAD, INPUT, INPUT, PAD]
    assert fourth.values == (0, 0, 0, x[0, 5], x[0, 6], 0, x[1, 5], x[1, 6], 0)
    want = x[0, 5] + x[1, 5]                         # only the +1 column meets real input
    assert fourth.result == want == fs.output[0, 3]
    assert fourth.running[-1] == want and len(fourth.running) == 9
    assert fourth.equation.endswith(f"= {want}") and "0·(−1)" in fourth.equation
    assert np.array_equal(fs.output, convviz.conv2d(x[None], EDGE[None, None], stride=2, padding=1)[0])


def test_padding_cells_are_part_of_the_frames():
    fs = conv_frames(np.ones((3, 3), int), np.ones((3, 3), int), padding=1)
    first = fs.frames[0]
    assert sum(fs.kind[r, c] == PAD for r, c in first.cells) == 5      # corner: 5 of 9 are padding
    assert first.result == 4
    assert tuple(fs.source[1, 1]) == (0, 0) and tuple(fs.source[0, 0]) == (-1, -1)


def test_dilation_spreads_the_taps():
    fs = conv_frames(np.arange(25).reshape(5, 5), np.ones((2, 2), int), dilation=3)
    assert fs.frames[0].cells == ((0, 0), (0, 3), (3, 0), (3, 3))
    assert fs.output.shape == (2, 2)


def test_same_padding_with_even_kernel():
    fs = conv_frames(np.ones((4, 4), int), np.ones((2, 2), int), padding="same")
    assert fs.padding == ((0, 1), (0, 1)) and fs.output.shape == (4, 4)
    assert fs.frames[-1].result == 1                  # bottom-right: 1 real cell, 3 padding


def test_pool_frames():
    x = np.arange(16).reshape(4, 4)
    fs = pool_frames(x, 2)
    assert fs.kernel is None and fs.stride == (2, 2)
    assert [f.result for f in fs.frames] == [5, 7, 13, 15]
    assert fs.frames[0].running == (0, 1, 4, 5) and fs.frames[0].products is None
    avg = pool_frames(x, 2, op="avg")
    assert avg.frames[0].result == 2.5 and avg.frames[0].equation == "(0 + 1 + 4 + 5) / 4 = 2.5"
    padded = pool_frames(-np.ones((2, 2), int), 2, stride=1, padding=1)
    assert padded.frames[0].values[0] == -np.inf
    assert padded.frames[0].equation == "max(−∞, −∞, −∞, −1) = −1"
    assert np.array_equal(padded.output, convviz.pool2d(-np.ones((1, 2, 2), int), 2, stride=1, padding=1)[0])


def test_transposed_frames_follow_conv_arithmetic():
    x = np.array([[1, 2], [3, 4]])
    w = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    fs = conv_transpose_frames(x, w, stride=2)
    # spread: 1 zero between cells (3x3), pad d(k-1)-p = 2 each side: 7x7
    assert fs.grid.shape == (7, 7) and fs.stride == (1, 1)
    assert fs.grid[2:5, 2:5].tolist() == [[1, 0, 2], [0, 0, 0], [3, 0, 4]]
    assert fs.kind[2, 3] == INSERTED and fs.kind[0, 0] == PAD and fs.kind[4, 4] == INPUT
    assert tuple(fs.source[4, 4]) == (1, 1) and tuple(fs.source[2, 3]) == (-1, -1)
    assert np.array_equal(fs.kernel, w[::-1, ::-1])   # the kernel is rotated by 180 degrees
    assert np.array_equal(fs.output, convviz.conv_transpose2d(x[None], w[None, None], stride=2)[0])
    assert fs.frames[0].result == 1 * 1               # only x[0,0] meets w[0,0]


def test_transposed_padding_larger_than_kernel_crops():
    x = np.arange(16).reshape(4, 4)
    fs = conv_transpose_frames(x, np.ones((2, 2), int), stride=1, padding=2)
    assert fs.padding == ((-1, -1), (-1, -1)) and fs.grid.shape == (2, 2)
    assert np.array_equal(fs.grid, x[1:3, 1:3])
    assert np.array_equal(fs.output, convviz.conv_transpose2d(x[None], np.ones((1, 1, 2, 2), int), padding=2)[0])


def test_errors_that_the_page_translates():
    with pytest.raises(convviz.GeometryError) as info:
        pool_frames(np.ones((4, 4)), 3, padding="same")
    assert info.value.code == "same_only_conv"
    with pytest.raises(convviz.GeometryError) as info:
        conv_transpose_frames(np.ones((4, 4)), np.ones((3, 3)), padding="same")
    assert info.value.code == "same_only_conv"
    with pytest.raises(convviz.GeometryError) as info:
        conv_frames(np.ones((40, 40)), np.ones((1, 1)))
    assert info.value.code == "too_many_frames" and info.value.params["count"] == 1600
    assert len(conv_frames(np.ones((32, 32)), np.ones((1, 1))).frames) == MAX_FRAMES
    with pytest.raises(convviz.GeometryError) as info:
        animation_frames(np.ones((4, 4)), op="median", weight=np.ones((3, 3)))
    assert info.value.code == "bad_choice"
    with pytest.raises(convviz.GeometryError) as info:
        convviz.sample_values("noise", (3, 3))
    assert info.value.code == "bad_choice"
    with pytest.raises(convviz.GeometryError) as info:
        conv_frames(np.ones((3, 3)), np.ones((5, 5)))
    assert info.value.code == "kernel_too_large" and info.value.params["axis"] == "height"


def test_to_data_is_json_and_formatted():
    fs = pool_frames(np.array([[1, -2], [3, 4]]), 2, stride=1, padding=1)
    data = json.loads(json.dumps(fs.to_data(), allow_nan=False))
    assert data["grid"][0][0] == "−∞" and data["grid"][1][2] == "−2"
    assert len(data["frames"]) == 9 and data["frames"][4]["result"] == "4"


# --- properties -----------------------------------------------------------------------------------

cases = st.fixed_dictionaries({
    "op": st.sampled_from(["conv", "max", "avg", "transposed"]),
    "h": st.integers(1, 9), "w": st.integers(1, 9), "kh": st.integers(1, 4), "kw": st.integers(1, 4),
    "s": st.integers(1, 3), "p": st.integers(0, 3), "d": st.integers(1, 3), "op_pad": st.integers(0, 2),
    "seed": st.integers(0, 1000),
})


def _reference(c, x, w):
    if c["op"] == "conv":
        return convviz.conv2d(x[None], w[None, None], stride=c["s"], padding=c["p"], dilation=c["d"])[0]
    if c["op"] == "transposed":
        return convviz.conv_transpose2d(x[None], w[None, None], stride=c["s"], padding=c["p"],
                                        output_padding=c["op_pad"], dilation=c["d"])[0]
    return convviz.pool2d(x[None], w.shape, stride=c["s"], padding=c["p"], op=c["op"])[0]


@settings(max_examples=80, deadline=None)
@given(c=cases)
def test_frames_property(c):
    x = sample_values("random", (c["h"], c["w"]), seed=c["seed"])
    w = default_weights("random", (c["kh"], c["kw"]), seed=c["seed"])
    try:
        ref = _reference(c, x, w)
    except convviz.GeometryError:
        with pytest.raises(convviz.GeometryError):
            animation_frames(x, op=c["op"], weight=w, stride=c["s"], padding=c["p"], dilation=c["d"],
                             output_padding=c["op_pad"])
        return
    fs = animation_frames(x, op=c["op"], weight=w, stride=c["s"], padding=c["p"], dilation=c["d"],
                          output_padding=c["op_pad"])
    # one frame per output cell, row by row
    assert len(fs.frames) == ref.size
    assert [f.out for f in fs.frames] == [(i, j) for i in range(ref.shape[0]) for j in range(ref.shape[1])]
    assert np.allclose(fs.output, ref)
    gh, gw = fs.grid.shape
    for f in fs.frames:
        # every cell used lies inside the padded input, and the values are read from it
        assert all(0 <= r < gh and 0 <= col < gw for r, col in f.cells)
        assert len(f.cells) == len(set(f.cells)) == c["kh"] * c["kw"]
        assert np.array_equal(np.array(f.values), fs.grid[tuple(np.array(f.cells).T)])
        assert np.isclose(f.result, ref[f.out])
    # every input cell shown on the grid maps back to its own value
    shown = fs.kind == INPUT
    src = fs.source[shown]
    assert np.array_equal(fs.grid[shown], x[src[:, 0], src[:, 1]])
    json.dumps(fs.to_data(), allow_nan=False)


def test_docstring_examples():
    import doctest

    import convviz.sliding.frames
    assert doctest.testmod(convviz.sliding.frames).failed == 0
