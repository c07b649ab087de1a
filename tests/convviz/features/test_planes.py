"""Channels: RGB planes, per-input-channel partial sums, parameter counts and 1x1 channel mixing."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import convviz
from convviz.features.planes import (
    DEMO_CHANNELS,
    DEMO_SIZES,
    MAX_DEMO_OUT,
    MIX_PRESETS,
    check_mix_matrix,
    contributions,
    conv_params,
    demo_weights,
    mix_channels,
    split_rgb,
    thumbnail,
)
from convviz.sliding.ops import conv2d


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 8), st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**32 - 1), st.booleans())
def test_1x1_convolution_is_the_matrix_product_over_channels(c_out, h, w, seed, with_bias):
    rng = np.random.default_rng(seed)
    img = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    m = rng.normal(size=(c_out, 3))
    b = rng.normal(size=c_out) if with_bias else None
    out = mix_channels(img, m, b)
    expected = np.einsum("oc,hwc->ohw", m, img.astype(float)) + (0 if b is None else b[:, None, None])
    assert out.shape == (c_out, h, w)                      # height and width unchanged
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-9)


def test_mix_presets():
    img = np.array([[[200, 100, 50], [0, 10, 255]]], np.uint8)
    np.testing.assert_allclose(mix_channels(img, MIX_PRESETS["grey"])[0], img @ np.array([0.299, 0.587, 0.114]))
    assert mix_channels(img, MIX_PRESETS["swap"]).tolist() == split_rgb(img[:, :, ::-1]).astype(float).tolist()
    sepia = mix_channels(img, MIX_PRESETS["sepia"])
    assert sepia.shape == (3, 1, 2) and sepia[0, 0, 0] == pytest.approx(0.393 * 200 + 0.769 * 100 + 0.189 * 50)
    with pytest.raises(ValueError):
        MIX_PRESETS["grey"][0, 0] = 1.0                     # presets are read-only


def test_check_mix_matrix_errors_name_the_parameter():
    with pytest.raises(convviz.LayerError, match=r"matrix must have shape \(C_out, 3\).*got \(2, 2\)"):
        check_mix_matrix([[1, 0], [0, 1]])
    with pytest.raises(convviz.LayerError, match="finite"):
        check_mix_matrix([[1, np.nan, 0]])
    with pytest.raises(convviz.LayerError, match=r"got \(9, 3\)"):
        check_mix_matrix(np.ones((MAX_DEMO_OUT + 1, 3)))
    with pytest.raises(convviz.LayerError):
        check_mix_matrix([["a", 1, 2]])


@settings(max_examples=30, deadline=None)
@given(st.integers(1, MAX_DEMO_OUT), st.sampled_from(DEMO_SIZES), st.integers(0, 2**32 - 1))
def test_partials_add_up_to_the_layer_output(c_out, k, seed):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, (3, 7, 9)).astype(float)
    w, names = demo_weights(c_out, k)
    assert w.shape == (c_out, 3, k, k) and len(names) == c_out == len(set(names))
    b = rng.normal(size=c_out)
    full = conv2d(x, w, b, padding=k // 2)
    for o in range(c_out):
        parts = contributions(x, w, b, out_channel=o, padding=k // 2)
        assert parts.partials.shape == (3, 7, 9)
        np.testing.assert_allclose(parts.output, full[o], atol=1e-9)
        # Each partial is one input channel with its own k x k slice.
        np.testing.assert_allclose(parts.partials[1], conv2d(x[1:2], w[o:o + 1, 1:2], padding=k // 2)[0])
        np.testing.assert_allclose(parts.partials.sum(axis=0) + b[o], full[o], atol=1e-9)


def test_demo_kernels_mean_what_they_say():
    w, names = demo_weights(len(DEMO_CHANNELS), 3)
    step = np.zeros((3, 5, 6))
    step[:, :, 3:] = 255.0                       # a vertical edge, grey: brighter on the right
    out = conv2d(step, w, padding=1)
    i = {n: n_ for n_, n in enumerate(names)}
    assert out[i["bright_dx"], 2, 3] > 200 and abs(out[i["bright_dy"], 2, 3]) < 1e-9
    assert abs(out[i["red_green"]]).max() < 1e-9  # grey has no colour difference
    red = np.zeros((3, 4, 4))
    red[0] = 255.0
    assert conv2d(red, w, padding=1)[i["red_green"], 1, 1] > 200


def test_conv_params():
    assert conv_params(3, 3, 4) == 3 * 3 * 3 * 4 + 4
    assert conv_params(5, 3, 8, bias=False) == 600
    assert conv_params(1, 3, 1) == 4
    with pytest.raises(convviz.LayerError, match="out_channels must be >= 1, got 0"):
        conv_params(3, 3, 0)
    # the same whole-number rule as everywhere: 3.0 and numpy integers are accepted, 2.5 is not
    assert conv_params(3.0, np.int64(3), 4) == conv_params(3, 3, 4)
    with pytest.raises(convviz.LayerError, match="kernel_size must be an integer, got 2.5"):
        conv_params(2.5, 3, 4)


@pytest.mark.torch
def test_conv_params_and_partials_match_torch():
    torch = pytest.importorskip("torch")
    for k, c_out, bias in [(3, 4, True), (5, 8, False), (1, 2, True)]:
        layer = torch.nn.Conv2d(3, c_out, k, bias=bias)
        assert conv_params(k, 3, c_out, bias=bias) == sum(p.numel() for p in layer.parameters())
    w, _ = demo_weights(5, 5)
    x = np.random.default_rng(1).integers(0, 256, (3, 8, 10)).astype(float)
    ref = torch.nn.functional.conv2d(torch.tensor(x)[None], torch.tensor(w), padding=2)[0].numpy()
    np.testing.assert_allclose(contributions(x, w, out_channel=3, padding=2).output, ref[3], atol=1e-9)


def test_split_and_thumbnail():
    img = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    planes = split_rgb(img)
    assert planes.shape == (3, 2, 3) and np.array_equal(np.moveaxis(planes, 0, -1), img)
    assert split_rgb(img[:, :, 0]).shape == (1, 2, 3)
    assert thumbnail(np.zeros((400, 100, 3), np.uint8), 192).shape == (192, 48, 3)
    assert thumbnail(img, 192).shape == img.shape              # never enlarged
    with pytest.raises(convviz.LayerError, match="size"):
        thumbnail(img, 2)
    with pytest.raises(convviz.LayerError, match="out_channel must be between 0 and 1, got 2"):
        contributions(np.zeros((3, 4, 4)), np.zeros((2, 3, 3, 3)), out_channel=2)
    with pytest.raises(convviz.LayerError, match=r"x must have shape \(3, H, W\)"):
        contributions(np.zeros((2, 4, 4)), np.zeros((2, 3, 3, 3)), out_channel=0)
