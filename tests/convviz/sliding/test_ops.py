"""conv2d, conv_transpose2d, pool2d: hand-worked numbers, naive references, properties."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import convviz
from convviz import conv2d, conv_transpose2d, output_size, pool2d, transposed_output_size

# --- naive references: loops written straight from the definitions ------------------------------

def naive_conv2d(x, w, b, s, p, d):
    c_in, h, wd = x.shape
    c_out, _, kh, kw = w.shape
    xp = np.zeros((c_in, h + 2 * p, wd + 2 * p))
    xp[:, p:p + h, p:p + wd] = x
    oh = (h + 2 * p - d * (kh - 1) - 1) // s + 1
    ow = (wd + 2 * p - d * (kw - 1) - 1) // s + 1
    out = np.zeros((c_out, oh, ow))
    for o in range(c_out):
        for i in range(oh):
            for j in range(ow):
                total = b[o]
                for c in range(c_in):
                    for u in range(kh):
                        for v in range(kw):
                            total += xp[c, i * s + u * d, j * s + v * d] * w[o, c, u, v]
                out[o, i, j] = total
    return out


def naive_conv_transpose2d(x, w, s, p, op, d):
    """Every input cell stamps value * kernel into the output (then crop the padding)."""
    c_in, h, wd = x.shape
    _, c_out, kh, kw = w.shape
    full = np.zeros((c_out, (h - 1) * s + d * (kh - 1) + 1 + op, (wd - 1) * s + d * (kw - 1) + 1 + op))
    for c in range(c_in):
        for i in range(h):
            for j in range(wd):
                for o in range(c_out):
                    for u in range(kh):
                        for v in range(kw):
                            full[o, i * s + u * d, j * s + v * d] += x[c, i, j] * w[c, o, u, v]
    oh = transposed_output_size(h, kh, stride=s, padding=p, output_padding=op, dilation=d)
    ow = transposed_output_size(wd, kw, stride=s, padding=p, output_padding=op, dilation=d)
    return full[:, p:p + oh, p:p + ow]


# --- hand-worked -------------------------------------------------------------------------------

X3 = np.array([[[1, 2, 3], [4, 5, 6], [7, 8, 9]]])


def test_conv2d_by_hand():
    w = np.array([[[[1, 0], [0, -1]]]])
    # top-left: 1*1 + 2*0 + 4*0 + 5*(-1) = -4, and the same everywhere on this ramp
    assert conv2d(X3, w).tolist() == [[[-4, -4], [-4, -4]]]
    ones = np.ones((1, 1, 3, 3), int)
    # padding 1: the corner sees 1+2+4+5 = 12; the edge middle 1+2+3+4+5+6 = 21
    assert conv2d(X3, ones, padding=1)[0].tolist() == [[12, 21, 16], [27, 45, 33], [24, 39, 28]]
    assert conv2d(X3, ones, padding=1, stride=2)[0].tolist() == [[12, 16], [24, 28]]
    # dilation 2 spans 5 cells = the padded input: taps at -1, 1, 3 hit only the centre 5
    assert conv2d(X3, ones, padding=1, dilation=2)[0].tolist() == [[5]]
    # padding 2: corner taps land on rows/cols -2, 0, 2 (1+3+7+9), the centre's on -1, 1, 3 (5)
    assert conv2d(X3, ones, padding=2, dilation=2)[0].tolist() == [[20, 10, 20], [10, 5, 10], [20, 10, 20]]
    assert conv2d(X3, ones, bias=[100])[0].tolist() == [[145]]


def test_conv2d_is_cross_correlation_not_flipped():
    x = np.zeros((1, 3, 3))
    x[0, 1, 1] = 1
    w = np.arange(9.0).reshape(1, 1, 3, 3)
    # an impulse through a cross-correlation gives the kernel rotated by 180 degrees
    assert np.array_equal(conv2d(x, w, padding=1)[0], w[0, 0, ::-1, ::-1])


def test_conv2d_channels_sum_and_integers_stay_integers():
    x = np.stack([X3[0], 10 * X3[0]])                  # 2 channels
    w = np.ones((3, 2, 1, 1), int) * np.array([1, 2, 3])[:, None, None, None]
    y = conv2d(x, w)
    assert y.shape == (3, 3, 3) and y.dtype.kind == "i"
    assert y[2, 0, 0] == 3 * (1 + 10)


def test_conv2d_same_padding_even_kernel_pads_bottom_right():
    x = np.arange(25.0).reshape(1, 5, 5)
    w = np.ones((1, 1, 4, 4))
    explicit = conv2d(np.pad(x, ((0, 0), (1, 2), (1, 2))), w)
    assert np.array_equal(conv2d(x, w, padding="same"), explicit)
    assert conv2d(x, w, padding="valid").shape == (1, 2, 2)


def test_conv_transpose2d_by_hand():
    x = np.array([[[1, 2]]])
    w = np.array([[[[1, 10]]]])
    assert conv_transpose2d(x, w, stride=2).tolist() == [[[1, 10, 2, 20]]]
    assert conv_transpose2d(x, w, stride=1).tolist() == [[[1, 12, 20]]]       # overlap adds
    assert conv_transpose2d(x, w, stride=2, padding=(0, 1)).tolist() == [[[10, 2]]]
    assert conv_transpose2d(x, w, stride=2, output_padding=1).shape == (1, 2, 5)
    assert conv_transpose2d(x, w, bias=[5], stride=3).tolist() == [[[6, 15, 5, 7, 25]]]


def test_pool2d_by_hand():
    x = np.arange(16).reshape(1, 4, 4)
    assert pool2d(x, 2).tolist() == [[[5, 7], [13, 15]]]
    assert pool2d(x, 2, op="avg").tolist() == [[[2.5, 4.5], [10.5, 12.5]]]
    assert pool2d(x, 3, stride=1).tolist() == [[[10, 11], [14, 15]]]
    # padding: max never picks the padding, even for all-negative input
    neg = -np.ones((1, 2, 2), int)
    assert pool2d(neg, 2, stride=1, padding=1).tolist() == [[[-1, -1, -1]] * 3]
    # avg counts the padding zeros (PyTorch's count_include_pad=True)
    assert pool2d(np.ones((1, 2, 2)), 2, stride=1, padding=1, op="avg")[0, 0, 0] == 0.25


@pytest.mark.parametrize("call, code", [
    (lambda: conv2d(np.ones((3, 3)), np.ones((1, 1, 3, 3))), "bad_shape"),
    (lambda: conv2d(np.ones((1, 3, 3)), np.ones((3, 3))), "bad_shape"),
    (lambda: conv2d(np.ones((2, 3, 3)), np.ones((1, 1, 3, 3))), "bad_shape"),
    (lambda: conv2d(np.ones((1, 3, 3)), np.ones((1, 1, 3, 3)), bias=[1, 2]), "bad_shape"),
    (lambda: conv2d(np.ones((1, 3, 3)), np.ones((1, 1, 5, 5))), "kernel_too_large"),
    (lambda: conv2d(np.ones((1, 3, 3)), np.ones((1, 1, 3, 3)), stride=2, padding="same"), "same_needs_stride_1"),
    (lambda: conv_transpose2d(np.ones((2, 3, 3)), np.ones((1, 2, 3, 3))), "bad_shape"),
    (lambda: conv_transpose2d(np.ones((1, 3, 3)), np.ones((1, 1, 3, 3)), stride=2, output_padding=2),
     "output_padding_too_large"),
    (lambda: pool2d(np.ones((1, 4, 4)), 2, op="median"), "bad_choice"),
    (lambda: conv2d(np.ones((3, 3, 3)), np.ones((2, 1, 1, 1)), groups=2), "groups_divide"),
    (lambda: conv2d(np.ones((2, 3, 3)), np.ones((3, 1, 1, 1)), groups=2), "groups_divide"),
    (lambda: conv2d(np.ones((2, 3, 3)), np.ones((2, 2, 1, 1)), groups=2), "bad_shape"),
    (lambda: conv2d(np.ones((2, 3, 3)), np.ones((2, 1, 1)), groups=2), "bad_shape"),
    (lambda: conv2d(np.ones((2, 3, 3)), np.ones((2, 2, 1, 1)), groups=0), "too_small"),
    (lambda: conv2d(np.ones((2, 3, 3)), np.ones((2, 2, 1, 1)), groups=1.5), "not_int"),
    (lambda: pool2d(np.ones((1, 4, 4)), 3, padding=2), "pool_padding_too_large"),
    (lambda: pool2d(np.ones((1, 2, 2)), 3), "kernel_too_large"),
])
def test_bad_input_raises_geometry_error(call, code):
    with pytest.raises(convviz.GeometryError) as info:
        call()
    assert info.value.code == code


def test_spread_input():
    assert convviz.spread_input(np.array([[1, 2], [3, 4]]), (1, 3)).tolist() == [[1, 0, 0, 2], [3, 0, 0, 4]]


# --- properties ---------------------------------------------------------------------------------

def small_ints(seed: int, x_shape: tuple, w_shape: tuple):
    """An input of ``x_shape`` (-3..3), weights of ``w_shape`` (-2..2) and a bias per output channel (-2..2)."""
    rng = np.random.default_rng(seed)
    return rng.integers(-3, 4, x_shape), rng.integers(-2, 3, w_shape), rng.integers(-2, 3, w_shape[0])


geometry = st.fixed_dictionaries({
    "c_in": st.integers(1, 2), "c_out": st.integers(1, 2), "h": st.integers(1, 8), "w": st.integers(1, 8),
    "kh": st.integers(1, 4), "kw": st.integers(1, 4), "s": st.integers(1, 3), "p": st.integers(0, 2),
    "d": st.integers(1, 2), "seed": st.integers(0, 2**16),
})


@settings(max_examples=60, deadline=None)
@given(g=geometry)
def test_conv2d_shape_is_output_size_and_matches_naive(g):
    x, w, b = small_ints(g["seed"], (g["c_in"], g["h"], g["w"]), (g["c_out"], g["c_in"], g["kh"], g["kw"]))
    try:
        oh = output_size(g["h"], g["kh"], stride=g["s"], padding=g["p"], dilation=g["d"])
        ow = output_size(g["w"], g["kw"], stride=g["s"], padding=g["p"], dilation=g["d"])
    except convviz.GeometryError:
        with pytest.raises(convviz.GeometryError):
            conv2d(x, w, b, stride=g["s"], padding=g["p"], dilation=g["d"])
        return
    y = conv2d(x, w, b, stride=g["s"], padding=g["p"], dilation=g["d"])
    assert y.shape == (g["c_out"], oh, ow)
    assert np.array_equal(y, naive_conv2d(x, w, b, g["s"], g["p"], g["d"]))


@settings(max_examples=60, deadline=None)
@given(g=geometry, op=st.integers(0, 2))
def test_conv_transpose2d_matches_naive(g, op):
    rng = np.random.default_rng(g["seed"])
    x = rng.integers(-3, 4, (g["c_in"], g["h"], g["w"]))
    w = rng.integers(-2, 3, (g["c_in"], g["c_out"], g["kh"], g["kw"]))
    kwargs = dict(stride=g["s"], padding=g["p"], output_padding=op, dilation=g["d"])
    try:
        transposed_output_size(g["h"], g["kh"], **kwargs)
        transposed_output_size(g["w"], g["kw"], **kwargs)
    except convviz.GeometryError:
        with pytest.raises(convviz.GeometryError):
            conv_transpose2d(x, w, **kwargs)
        return
    assert np.array_equal(conv_transpose2d(x, w, **kwargs),
                          naive_conv_transpose2d(x, w, g["s"], g["p"], op, g["d"]))


@settings(max_examples=60, deadline=None)
@given(g=geometry)
def test_transposed_conv_is_the_adjoint_of_conv(g):
    # <conv2d(x, w), y> == <x, conv_transpose2d(y, w)>: why it is called "transposed".
    rng = np.random.default_rng(g["seed"])
    kw = dict(stride=g["s"], padding=g["p"], dilation=g["d"])
    try:
        extra = [convviz.unused_input(n, k, **kw) for n, k in ((g["h"], g["kh"]), (g["w"], g["kw"]))]
    except convviz.GeometryError:
        return
    x = rng.normal(size=(g["c_in"], g["h"], g["w"]))
    w = rng.normal(size=(g["c_out"], g["c_in"], g["kh"], g["kw"]))
    y = conv2d(x, w, **kw)
    r = rng.normal(size=y.shape)
    back = conv_transpose2d(r, w, output_padding=tuple(extra), **kw)
    assert back.shape == x.shape
    assert np.isclose(np.sum(y * r), np.sum(x * back))


@settings(max_examples=60, deadline=None)
@given(g=geometry, op=st.sampled_from(["max", "avg"]))
def test_pool2d_matches_a_loop(g, op):
    rng = np.random.default_rng(g["seed"])
    x = rng.integers(-5, 6, (g["c_in"], g["h"], g["w"]))
    k, s, p = (g["kh"], g["kw"]), g["s"], min(g["p"], g["kh"] // 2, g["kw"] // 2)
    try:
        y = pool2d(x, k, stride=s, padding=p, op=op)
    except convviz.GeometryError:
        assert g["h"] + 2 * p < k[0] or g["w"] + 2 * p < k[1]
        return
    fill = -np.inf if op == "max" else 0.0
    xp = np.pad(x.astype(float), ((0, 0), (p, p), (p, p)), constant_values=fill)
    for c in range(y.shape[0]):
        for i in range(y.shape[1]):
            for j in range(y.shape[2]):
                win = xp[c, i * s:i * s + k[0], j * s:j * s + k[1]]
                want = win.max() if op == "max" else win.sum() / win.size
                assert np.isclose(y[c, i, j], want)


grouped = st.fixed_dictionaries({
    "groups": st.integers(1, 3), "in_per": st.integers(1, 2), "out_per": st.integers(1, 2),
    "h": st.integers(1, 6), "w": st.integers(1, 6), "k": st.integers(1, 3), "s": st.integers(1, 2),
    "p": st.integers(0, 1), "seed": st.integers(0, 2**16),
})


@settings(max_examples=60, deadline=None)
@given(g=grouped)
def test_grouped_conv2d_is_one_conv2d_per_group(g):
    # groups=G is G independent convolutions: each block of output channels sees only its input block.
    c_in, c_out = g["groups"] * g["in_per"], g["groups"] * g["out_per"]
    x, w, b = small_ints(g["seed"], (c_in, g["h"], g["w"]), (c_out, g["in_per"], g["k"], g["k"]))
    kw = dict(stride=g["s"], padding=g["p"])
    try:
        y = conv2d(x, w, b, groups=g["groups"], **kw)
    except convviz.GeometryError as err:
        assert err.code == "kernel_too_large"
        return
    for i in range(g["groups"]):
        ins, outs = slice(i * g["in_per"], (i + 1) * g["in_per"]), slice(i * g["out_per"], (i + 1) * g["out_per"])
        assert np.array_equal(y[outs], naive_conv2d(x[ins], w[outs], b[outs], g["s"], g["p"], 1))


@settings(max_examples=30, deadline=None)
@given(g=grouped)
def test_grouped_conv2d_equals_a_full_conv2d_with_zero_blocks(g):
    # The same numbers as a standard convolution whose weights are zero outside each group's block.
    rng = np.random.default_rng(g["seed"])
    c_in, c_out = g["groups"] * g["in_per"], g["groups"] * g["out_per"]
    x = rng.integers(-3, 4, (c_in, g["h"] + 2, g["w"] + 2))
    w = rng.integers(-2, 3, (c_out, g["in_per"], g["k"], g["k"]))
    full = np.zeros((c_out, c_in, g["k"], g["k"]), w.dtype)
    for o in range(c_out):
        grp = o // g["out_per"]
        full[o, grp * g["in_per"]: (grp + 1) * g["in_per"]] = w[o]
    assert np.array_equal(conv2d(x, w, groups=g["groups"]), conv2d(x, full))
