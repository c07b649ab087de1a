import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy import ndimage

import convviz
from convviz import KERNELS, filter_image
from convviz.filters.boundary import MODES
from convviz.filters.display import display_legend, to_display, to_grey
from convviz.filters.filtering import filter_signed

RNG = np.random.default_rng(0)


def reference(image, kernel, mode, cval=0.0, flip=False):
    """scipy in float64, rounded and clipped: the semantics filter_image promises."""
    k = np.asarray(kernel, float)
    f = ndimage.convolve if flip else ndimage.correlate
    img = image.astype(float)
    if img.ndim == 2:
        out = f(img, k, mode=mode, cval=cval)
    else:
        out = np.stack([f(img[..., c], k, mode=mode, cval=cval) for c in range(3)], axis=-1)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("flip", [False, True])
@pytest.mark.parametrize("shape", [(23, 31), (17, 12, 3)])
def test_matches_scipy_for_every_mode_and_flip(mode, flip, shape):
    image = RNG.integers(0, 256, shape, dtype=np.uint8)
    kernel = RNG.normal(size=(5, 3))  # asymmetric, so a missing flip would show
    got = filter_image(image, kernel, mode=mode, cval=37.0, flip=flip)
    want = reference(image, kernel, mode, 37.0, flip)
    assert got.shape == image.shape and got.dtype == np.uint8
    assert np.abs(got.astype(int) - want).max() <= 1
    assert (got == want).mean() > 0.99


def test_flip_means_true_convolution_of_the_notes():
    # (I*K)(i,j) = sum_m sum_n I(i-m, j-n) K(m, n): an impulse reproduces K itself.
    image = np.zeros((5, 5), np.uint8)
    image[2, 2] = 1
    kernel = np.arange(1, 10).reshape(3, 3)
    np.testing.assert_array_equal(filter_image(image, kernel, mode="constant", flip=True)[1:4, 1:4], kernel)
    np.testing.assert_array_equal(filter_image(image, kernel, mode="constant")[1:4, 1:4], kernel[::-1, ::-1])


def test_identity_and_colour_channels_independent():
    image = RNG.integers(0, 256, (9, 8, 3), dtype=np.uint8)
    np.testing.assert_array_equal(filter_image(image, KERNELS["identity"]), image)
    image[..., 1] = 0
    assert filter_image(image, KERNELS["box_blur"])[..., 1].max() == 0


def test_rounding_and_clipping():
    image = np.full((3, 3), 100, np.uint8)
    assert filter_image(image, [[2.0]]).max() == 200
    assert filter_image(image, [[3.0]]).max() == 255
    assert filter_image(image, [[-1.0]]).max() == 0
    assert filter_image(image, [[0.507]]).max() == 51  # 50.7 rounds to nearest, not down
    assert filter_image(image, [[0.493]]).max() == 49
    assert filter_signed(image, [[-1.0]]).min() == -100


def test_cval_only_matters_for_constant():
    image = np.zeros((4, 4), np.uint8)
    k = np.ones((3, 3)) / 9
    assert filter_image(image, k, mode="constant", cval=90)[0, 0] == 50
    assert filter_image(image, k, mode="reflect", cval=90)[0, 0] == 0


@pytest.mark.parametrize("kwargs, match", [
    (dict(mode="zeros"), "mode must be one of reflect, constant, nearest, mirror, wrap; got 'zeros'"),
    (dict(cval=float("nan")), "cval must be a finite number"),
])
def test_option_errors(kwargs, match):
    with pytest.raises(convviz.ConvVizError, match=match):
        filter_image(np.zeros((3, 3), np.uint8), KERNELS["identity"], **kwargs)


@pytest.mark.parametrize("image, match", [
    (np.zeros((3, 3), np.float32), "dtype uint8"),
    (np.zeros((3, 3, 4), np.uint8), r"shape \(H, W\) or \(H, W, 3\)"),
    (np.zeros((0, 3), np.uint8), "at least one pixel"),
    ([[1, 2]], "numpy array"),
])
def test_image_errors(image, match):
    with pytest.raises(convviz.ImageError, match=match):
        filter_image(image, KERNELS["identity"])


@settings(max_examples=40, deadline=None)
@given(h=st.integers(1, 12), w=st.integers(1, 12), kh=st.sampled_from([1, 3, 5]), kw=st.sampled_from([1, 3, 7]),
       mode=st.sampled_from(MODES), flip=st.booleans(), seed=st.integers(0, 2**16))
def test_property_matches_scipy_on_tiny_images(h, w, kh, kw, mode, flip, seed):
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (h, w), dtype=np.uint8)
    kernel = rng.integers(-3, 4, (kh, kw)).astype(float)  # integer kernels: exact, no ties
    np.testing.assert_array_equal(filter_image(image, kernel, mode=mode, flip=flip),
                                  reference(image, kernel, mode, 0.0, flip))


def test_signed_display_modes():
    raw = np.array([[-300.0, -100.0, 0.0, 100.0, 300.0]])
    assert to_display(raw, how="clip").tolist() == [[0, 0, 0, 100, 255]]
    assert to_display(raw, how="abs").tolist() == [[255, 100, 0, 100, 255]]
    mid = to_display(raw, how="midgrey")
    assert mid[0, 2] == 128 and mid[0, 0] == 0 and mid[0, 4] == 255 and mid[0, 1] < 128 < mid[0, 3]
    assert display_legend("midgrey") == (-255.0, 255.0)
    with pytest.raises(convviz.ConvVizError, match="how must be one of"):
        to_display(raw, how="log")


def test_to_grey_uses_bt601_luma():
    px = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255]]], np.uint8)
    assert to_grey(px).tolist() == [[76, 150, 29]]
