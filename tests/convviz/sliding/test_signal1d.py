"""The 1-D convolution, step by step, and the signal text a student types."""
import numpy as np
import pytest

import convviz
from convviz.sliding.signal1d import conv1d_frames, parse_signal


def test_conv1d_frames_flip_and_slide():
    f, g = [1, 2, 3, 2, 1], [1, 0, -1]
    frames = conv1d_frames(f, g)
    assert [fr.total for fr in frames] == np.convolve(f, g).tolist()
    third = frames[2]
    assert third.taus == (0, 1, 2)
    assert third.g_values == (-1, 0, 1)               # g flipped under f(0), f(1), f(2)
    assert third.g_positions == (2, 1, 0)             # g[0] sits under tau = t
    assert third.equation == "(f∗g)(2) = f(0)g(2) + f(1)g(1) + f(2)g(0) = 1·(−1) + 2·0 + 3·1 = 2"
    assert frames[0].taus == (0,) and frames[-1].taus == (4,)
    with pytest.raises(convviz.GeometryError):
        conv1d_frames([], [1])


def test_parse_signal():
    assert parse_signal(" 1, 2 ,3 ").tolist() == [1, 2, 3]
    assert parse_signal("0.5;−1").tolist() == [0.5, -1.0]
    for bad in ("", "1, a", "nan", "inf", ",".join("1" * 11)):
        with pytest.raises(convviz.GeometryError) as info:
            parse_signal(bad, name="g")
        assert info.value.code == "bad_signal" and info.value.params["param"] == "g"


@pytest.mark.parametrize("text", ["1e20", "-1e20", "1001", "1, 2, 1e308", "9" * 400, "1e-400, 2000"])
def test_values_past_the_typed_limit_are_refused(text):
    # ?stride_g=1e20 made an object array and conv1d_frames crashed on .item() (issue 22)
    with pytest.raises(convviz.GeometryError) as info:
        parse_signal(text, name="g")
    assert info.value.code == "bad_signal" and info.value.params["limit"] == 1000
    assert len(info.value.params["value"]) <= 40  # a long URL value is not echoed in full


def test_the_limit_itself_is_accepted_and_convolved():
    f, g = parse_signal("1000, −1000"), parse_signal("-1000 1000")
    assert [fr.total for fr in conv1d_frames(f, g)] == [-10**6, 2 * 10**6, -10**6]


@pytest.mark.parametrize("f", [[10**20], [1, float("nan")], ["1"], [True]])
def test_conv1d_frames_refuses_what_is_not_a_finite_64_bit_number(f):
    with pytest.raises(convviz.GeometryError) as info:
        conv1d_frames(f, [1])
    assert info.value.code == "bad_signal" and info.value.params["param"] == "f"
