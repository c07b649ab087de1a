"""convviz.sliding.groups and the typed / multi-channel samples: steps equal conv2d, wiring, counts, parsing."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import convviz
from convviz.nets.compare import separable_counts
from convviz.sliding.grids import channel_values, channel_weights, format_grid, parse_grid
from convviz.sliding.groups import channel_steps, group_choices, group_reads
from tests.convviz.sliding.test_ops import small_ints

cases = st.fixed_dictionaries({
    "groups": st.integers(1, 3), "in_per": st.integers(1, 2), "out_per": st.integers(1, 2),
    "h": st.integers(2, 6), "w": st.integers(2, 6), "k": st.integers(1, 3), "s": st.integers(1, 2),
    "p": st.integers(0, 1), "d": st.integers(1, 2), "seed": st.integers(0, 2**16), "row": st.integers(0, 5),
    "col": st.integers(0, 5),
})


@settings(max_examples=60, deadline=None)
@given(c=cases)
def test_channel_steps_end_at_conv2d_and_sum_what_they_show(c):
    c_in, c_out = c["groups"] * c["in_per"], c["groups"] * c["out_per"]
    x, w, b = small_ints(c["seed"], (c_in, c["h"], c["w"]), (c_out, c["in_per"], c["k"], c["k"]))
    kw = dict(stride=c["s"], padding=c["p"], dilation=c["d"], groups=c["groups"])
    try:
        y = convviz.conv2d(x, w, b, **kw)
    except convviz.GeometryError:
        return
    pos = (min(c["row"], y.shape[1] - 1), min(c["col"], y.shape[2] - 1))
    cs = channel_steps(x, w, b, position=pos, **kw)
    assert np.array_equal(cs.output, y)
    reads = group_reads(c_in, c_out, groups=c["groups"])
    for o in range(c_out):
        mine = [s for s in cs.steps if s.out_channel == o]
        assert [s.phase for s in mine] == ["channel"] * c["in_per"] + ["sum", "bias"]
        assert [s.in_channel for s in mine[:-2]] == list(reads[o])
        for s in mine[:-2]:
            assert s.products == tuple(v * wt for v, wt in zip(s.values, s.weights))
            assert s.total == sum(s.products)
        assert mine[-2].total == sum(s.total for s in mine[:-2])
        assert mine[-1].total == mine[-2].total + b[o] == y[o, pos[0], pos[1]]
    # the window cells read the padded grid at the input values conv2d used
    first = cs.steps[0]
    assert first.values == tuple(cs.grid[first.in_channel][r, q] for r, q in cs.cells)


def test_group_reads_standard_grouped_depthwise():
    assert group_reads(3, 2) == ((0, 1, 2), (0, 1, 2))
    assert group_reads(2, 4, groups=2) == ((0,), (0,), (1,), (1,))
    assert group_reads(3, 3, groups=3) == ((0,), (1,), (2,))
    assert group_choices(2, 2) == (1, 2) and group_choices(3, 1) == (1,)


def test_separable_counts_of_the_notes_example():
    c = separable_counts(32, 64)
    assert (c.standard, c.depthwise, c.pointwise, c.separable) == (3 * 3 * 32 * 64, 3 * 3 * 32, 32 * 64, 288 + 2048)
    assert c.ratio == pytest.approx(18432 / 2336)


def test_position_outside_the_output_is_out_of_range():
    with pytest.raises(convviz.GeometryError) as info:
        channel_steps(np.ones((1, 3, 3)), np.ones((1, 1, 3, 3)), position=(1, 0))
    assert info.value.code == "out_of_range" and info.value.params["param"] == "row"


@settings(max_examples=40, deadline=None)
@given(arr=st.integers(1, 3).flatmap(lambda c: st.integers(1, 5).flatmap(lambda h: st.integers(1, 5).flatmap(
    lambda w: st.lists(st.integers(-999, 999), min_size=c * h * w, max_size=c * h * w).map(
        lambda v: np.array(v).reshape(c, h, w))))))
def test_parse_grid_reads_back_format_grid(arr):
    assert np.array_equal(parse_grid(format_grid(arr), max_channels=3), arr)


def test_parse_grid_accepts_spaces_minus_signs_and_decimals():
    assert parse_grid(" 1 , −2 ; 0.5, 3 ").tolist() == [[[1.0, -2.0], [0.5, 3.0]]]
    assert parse_grid("1,2;").tolist() == [[[1, 2]]]


@pytest.mark.parametrize("text, code", [("1,,2", "grid_cell"), ("", "grid_cell"), ("nan", "grid_cell"),
                                        ("1e9", "grid_cell"), ("1,2;3", "grid_ragged"), ("1|2", "grid_too_big")])
def test_parse_grid_errors(text, code):
    with pytest.raises(convviz.GeometryError) as info:
        parse_grid(text)
    assert info.value.code == code


def test_channel_values_use_the_photo_planes_and_cycle_typed():
    img = np.zeros((20, 20, 3), np.uint8)
    img[..., 1] = 255
    planes = channel_values("image", (2, 2), 3, image=img)
    assert planes[0].max() == 0 and planes[1].min() == 9 and planes[2].max() == 0
    assert channel_values("random", 3, 2, seed=4)[0].tolist() != channel_values("random", 3, 2, seed=4)[1].tolist()
    typed = np.arange(8).reshape(2, 2, 2)
    assert np.array_equal(channel_values("typed", 2, 3, typed=typed)[2], typed[0])
    w = channel_weights("typed", 2, 2, 2, typed=typed)
    assert w.shape == (2, 2, 2, 2) and np.array_equal(w[1, 1], typed[1])
    assert channel_weights("edge_v", 2, 3, 3).shape == (2, 3, 3, 3)
