"""The pixel inspector's numbers are exactly the filter's: every mode, both flips, borders included."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import convviz
from convviz.filters.boundary import MODES, NUMPY_PAD_MODES as PAD_MODES
from convviz.filters.display import SIGNED_DISPLAYS
from convviz.filters.filtering import filter_image, filter_signed
from convviz.filters.inspector import float32_tie, inspect_pixel, magnify, neighbourhood_patch, source_indices


@st.composite
def cases(draw):
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    colour = draw(st.booleans())
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (h, w, 3) if colour else (h, w), dtype=np.uint8)
    kind = draw(st.sampled_from(["preset", "random", "int"]))
    if kind == "preset":
        name = draw(st.sampled_from(list(convviz.KERNEL_INFO)))
        sizes = convviz.KERNEL_INFO[name].sizes
        kernel = convviz.make_kernel(name, draw(st.sampled_from(sizes[:4])))
    else:
        kh, kw = draw(st.sampled_from([1, 3, 5, 7])), draw(st.sampled_from([1, 3, 5]))
        kernel = rng.normal(0, 2, (kh, kw)) if kind == "random" else rng.integers(-4, 5, (kh, kw)) / 8
    mode = draw(st.sampled_from(MODES))
    cval = draw(st.sampled_from([0.0, 37.5, 255.0, -20.0]))
    flip = draw(st.booleans())
    row, col = draw(st.integers(0, h - 1)), draw(st.integers(0, w - 1))
    return image, kernel, mode, cval, flip, row, col


def _scale(kernel, cval=0.0) -> float:
    return (255.0 + abs(cval)) * float(np.abs(np.asarray(kernel, float)).sum()) + 1.0


@settings(max_examples=150, deadline=None)
@given(cases())
def test_inspector_equals_filter_at_any_pixel(case):
    image, kernel, mode, cval, flip, row, col = case
    px = inspect_pixel(image, kernel, row, col, mode=mode, cval=cval, flip=flip)
    raw = filter_signed(image, kernel, mode=mode, cval=cval, flip=flip)
    out = filter_image(image, kernel, mode=mode, cval=cval, flip=flip)
    expect_raw = np.atleast_1d(raw[row, col]).astype(np.float64)
    expect_out = np.atleast_1d(out[row, col]).astype(int)
    # The filter adds in float32; the inspector's sum is exact: equal to float32 precision.
    np.testing.assert_allclose(px.sums, expect_raw, rtol=0, atol=2e-6 * _scale(kernel, cval))
    # Rounded and clipped: the filter's pixel, except where the exact sum is (nearly) a tie,
    # where float32 may round the other way, by one grey level at most.
    ties = float32_tie(px)
    assert np.array_equal(px.values[~ties], expect_out[~ties].astype(np.uint8))
    assert np.all(np.abs(px.values.astype(int) - expect_out) <= 1)
    assert px.channels == (3 if image.ndim == 3 else 1)
    # The kernel as applied is rotated 180 degrees for true convolution.
    k = np.asarray(kernel, float)
    assert np.array_equal(px.kernel, k[::-1, ::-1] if flip else k)
    np.testing.assert_array_equal(px.products, px.neighbourhood * px.kernel)
    np.testing.assert_allclose(px.products.sum(axis=(1, 2)), px.sums, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("flip", [False, True])
@pytest.mark.parametrize("mode", MODES)
def test_every_pixel_of_every_preset_equals_filter_image(mode, flip):
    """Preset weights (integers, k/16, 1/n) never leave a float32-ambiguous tie: equal everywhere."""
    rng = np.random.default_rng(7)
    img = rng.integers(0, 256, (6, 7, 3), dtype=np.uint8)
    for name, info in convviz.KERNEL_INFO.items():
        for size in info.sizes[:3]:
            k = convviz.make_kernel(name, size)
            out = filter_image(img, k, mode=mode, flip=flip)
            got = np.array([[inspect_pixel(img, k, r, c, mode=mode, flip=flip).values for c in range(7)]
                            for r in range(6)])
            assert np.array_equal(got, out), (name, size)


def test_a_tie_is_rounded_half_to_even_and_flagged():
    img = np.full((3, 3), 125, np.uint8)
    px = inspect_pixel(img, np.full((3, 3), 0.1), 1, 1)            # 9 * 125 * 0.1 = 112.5 exactly
    assert px.sums[0] == 112.5 and px.rounded[0] == 112 and float32_tie(px).all()
    assert abs(int(filter_image(img, np.full((3, 3), 0.1))[1, 1]) - 112) <= 1


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 7), st.integers(1, 7), st.sampled_from(MODES), st.sampled_from([1, 2, 3, 5]),
       st.integers(0, 2**32 - 1))
def test_neighbourhood_is_the_padded_image(h, w, mode, half, seed):
    """Independent route: pad the WHOLE image with numpy's matching mode and cut the window."""
    rng = np.random.default_rng(seed)
    img = rng.integers(0, 256, (h, w), dtype=np.uint8)
    row, col = int(rng.integers(h)), int(rng.integers(w))
    if mode == "constant":
        padded = np.pad(img.astype(float), half, mode="constant", constant_values=7.0)
    else:
        padded = np.pad(img.astype(float), half, mode=PAD_MODES[mode])
    values, outside = neighbourhood_patch(img, row, col, half=(half, half), mode=mode, cval=7.0)
    np.testing.assert_array_equal(values[0], padded[row: row + 2 * half + 1, col: col + 2 * half + 1])
    rr, cc = np.mgrid[row - half: row + half + 1, col - half: col + half + 1]
    np.testing.assert_array_equal(outside, (rr < 0) | (rr >= h) | (cc < 0) | (cc >= w))


def test_corner_values_invented_by_each_mode():
    img = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]], np.uint8)
    k = np.ones((3, 3))
    expected_first_row = {            # the row above the image, at columns -1, 0, 1
        "reflect": [1, 1, 2],         # edge repeated:  d c b a | a b c d
        "mirror": [5, 4, 5],          # edge not repeated: d c b | a b c d
        "nearest": [1, 1, 2],
        "wrap": [9, 7, 8],
        "constant": [0, 0, 0],
    }
    for mode, first in expected_first_row.items():
        px = inspect_pixel(img, k, 0, 0, mode=mode)
        assert px.neighbourhood[0, 0].tolist() == first, mode
        assert px.outside.tolist() == [[True, True, True], [True, False, False], [True, False, False]]
        assert px.values[0] == filter_image(img, k, mode=mode)[0, 0]
    px = inspect_pixel(img, k, 0, 0, mode="constant", cval=100)
    assert px.neighbourhood[0, 0].tolist() == [100, 100, 100]
    assert px.source_rows.tolist() == [-1, 0, 1] and px.source_cols.tolist() == [-1, 0, 1]


def test_source_indices_match_scipy_names():
    # scipy 'reflect' is numpy 'symmetric'; scipy 'mirror' is numpy 'reflect'.
    assert source_indices(3, 0, 2, "reflect").tolist() == [1, 0, 0, 1, 2]
    assert source_indices(3, 0, 2, "mirror").tolist() == [2, 1, 0, 1, 2]
    assert source_indices(3, 2, 2, "nearest").tolist() == [0, 1, 2, 2, 2]
    assert source_indices(3, 2, 2, "wrap").tolist() == [0, 1, 2, 0, 1]


def test_rounding_and_clipping_are_reported():
    img = np.full((3, 3), 200, np.uint8)
    px = inspect_pixel(img, [[2.0]], 1, 1)
    assert float(px.sums[0]) == 400 and px.rounded[0] == 400 and px.values[0] == 255 and px.clipped[0]
    px = inspect_pixel(img, [[-0.5]], 1, 1)
    assert px.values[0] == 0 and px.clipped[0]
    px = inspect_pixel(np.full((1, 1), 5, np.uint8), [[0.5]], 0, 0)   # 2.5 rounds half to even
    assert float(px.sums[0]) == 2.5 and px.rounded[0] == 2 and not px.clipped[0]


@pytest.mark.parametrize("how", SIGNED_DISPLAYS)
def test_shown_value_equals_the_displayed_picture(how):
    rng = np.random.default_rng(3)
    img = rng.integers(0, 256, (6, 7, 3), dtype=np.uint8)
    for name in ("outline", "emboss", "sobel_x", "gaussian_blur"):
        k = convviz.make_kernel(name)
        shown = convviz.to_display(filter_signed(img, k), how=how)
        for r, c in [(0, 0), (5, 6), (2, 3), (0, 4)]:
            px = inspect_pixel(img, k, r, c)
            assert not float32_tie(px, how).any()
            assert np.array_equal(px.shown(how), shown[r, c]), (name, r, c)


def test_bad_input_raises_errors_naming_the_parameter():
    img = np.zeros((4, 5), np.uint8)
    with pytest.raises(convviz.GeometryError, match=r"row must be between 0 and 3, got 4"):
        inspect_pixel(img, [[1]], 4, 0)
    with pytest.raises(convviz.GeometryError, match=r"col .* got -1"):
        inspect_pixel(img, [[1]], 0, -1)
    with pytest.raises(convviz.GeometryError, match=r"row must be an integer, got 1.5"):
        inspect_pixel(img, [[1]], 1.5, 0)
    with pytest.raises(convviz.KernelError):
        inspect_pixel(img, [[1, 2]], 0, 0)
    with pytest.raises(convviz.ConvVizError, match="mode"):
        inspect_pixel(img, [[1]], 0, 0, mode="same")
    with pytest.raises(convviz.ImageError):
        inspect_pixel(img.astype(float), [[1]], 0, 0)


def test_magnify_draws_box_and_hatches_outside():
    patch = np.full((5, 5), 50, np.uint8)
    outside = np.zeros((5, 5), bool)
    outside[0] = True
    big = magnify(patch, scale=8, outside=outside, box=3, box_colour=(255, 0, 0))
    assert big.shape == (40, 40, 3)
    assert tuple(big[8, 12]) == (255, 0, 0)           # top edge of the 3 x 3 frame (cells 1..3)
    assert tuple(big[20, 20]) == (50, 50, 50)         # inside the frame, untouched
    assert len({tuple(p) for p in big[0:8].reshape(-1, 3)}) > 1      # hatched row
    assert len({tuple(p) for p in big[32:40, 0:8].reshape(-1, 3)}) == 1  # plain cell
    with pytest.raises(convviz.GeometryError):
        magnify(patch, scale=0)
