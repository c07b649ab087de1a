"""The filtering engine: every method gives scipy's float64 answer (within float32 rounding)."""
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy import ndimage

from convviz import KernelError, make_kernel
from convviz.filters import engine
from convviz.filters.boundary import MODES
from convviz.filters.filtering import filter_image, filter_signed, to_uint8

RNG = np.random.default_rng(7)


def reference(image, kernel, mode, cval=0.0):
    """scipy.ndimage.correlate in float64, per channel (the semantics the engine promises)."""
    img = image.astype(np.float64)
    k = np.asarray(kernel, np.float64)
    if img.ndim == 2:
        return ndimage.correlate(img, k, mode=mode, cval=cval)
    return np.stack([ndimage.correlate(img[..., c], k, mode=mode, cval=cval) for c in range(img.shape[2])], -1)


def rounded(values):
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


def assert_matches(image, kernel, mode, cval=0.0, **kwargs):
    want = reference(image, kernel, mode, cval)
    raw = engine.correlate(image, kernel, mode=mode, cval=cval, **kwargs)
    assert raw.dtype == np.float32 and raw.shape == image.shape
    # float32 accumulation: relative error ~1e-6 of the magnitudes summed
    scale = 255.0 * max(np.abs(kernel).sum(), 1.0) + abs(cval) * np.abs(kernel).sum()
    np.testing.assert_allclose(raw, want, rtol=0, atol=2e-5 * scale)
    got = engine.correlate(image, kernel, mode=mode, cval=cval, output=np.uint8, **kwargs)
    assert got.dtype == np.uint8 and got.shape == image.shape
    assert np.abs(got.astype(int) - rounded(want)).max() <= 1


SEPARABLE_5 = np.outer(RNG.normal(size=5), RNG.normal(size=3))
DENSE_5 = RNG.normal(size=(5, 3))
INTEGER_5 = RNG.integers(-4, 5, size=(5, 3)).astype(float)  # int16 path, scale 1
SCALED_5 = INTEGER_5 / 7.0  # int16 path with a common scale


@pytest.mark.parametrize("method", engine.METHODS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("flip", [False, True])
def test_every_method_and_mode_matches_scipy(method, mode, flip):
    # every kernel through every method: a method that does not apply falls back to 'direct'
    for kernel in (DENSE_5, SEPARABLE_5, INTEGER_5, SCALED_5):
        k = kernel[::-1, ::-1] if flip else kernel
        for shape in ((23, 31), (19, 14, 3)):
            image = RNG.integers(0, 256, shape, dtype=np.uint8)
            for cval in (41.0, 41.5):  # a grey level keeps the int16 path, 41.5 cannot
                assert_matches(image, np.ascontiguousarray(k), mode, cval=cval, method=method)


@pytest.mark.parametrize("name", ["emboss", "sharpen", "outline", "sobel_x", "laplacian", "identity"])
@pytest.mark.parametrize("mode", MODES)
def test_integer_presets_take_the_int16_path_and_match(name, mode):
    kernel = make_kernel(name)
    assert engine.integer_form(kernel) is not None
    image = RNG.integers(0, 256, (33, 29, 3), dtype=np.uint8)
    assert_matches(image, kernel, mode, cval=255.0, method="integer")
    # the int16 sums are exact: uint8 results equal the float64 reference exactly
    got = engine.correlate(image, kernel, mode=mode, cval=255.0, method="integer", output=np.uint8)
    np.testing.assert_array_equal(got, rounded(reference(image, kernel, mode, 255.0)))


def test_integer_form_limits():
    assert engine.integer_form(np.array([[127.0, 1.0]])) is not None  # 255 * 128 fits int16
    assert engine.integer_form(np.array([[128.0, 1.0]])) is None  # 255 * 129 does not
    ints, scale = engine.integer_form(np.full((3, 3), 15.0))  # a common factor is taken out
    assert scale == 15.0 and (ints == 1).all()
    assert engine.integer_form(np.ones((3, 3)), cval=300.0) is None
    assert engine.integer_form(np.ones((3, 3)), cval=2.5) is None
    assert engine.integer_form(np.zeros((3, 3))) is None
    assert engine.choose_method(make_kernel("emboss"), cval=2.5) == "direct"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("flip", [False, True])
def test_filter_image_and_signed_follow_the_reference(mode, flip):
    image = RNG.integers(0, 256, (40, 37, 3), dtype=np.uint8)
    for kernel in (make_kernel("emboss"), make_kernel("gaussian_blur", 5), RNG.normal(size=(17, 15))):
        want = reference(image, kernel[::-1, ::-1] if flip else kernel, mode, 12.0)
        got = filter_image(image, kernel, mode=mode, cval=12.0, flip=flip)
        assert np.abs(got.astype(int) - rounded(want)).max() <= 1
        np.testing.assert_allclose(filter_signed(image, kernel, mode=mode, cval=12.0, flip=flip), want,
                                   atol=1e-3 * np.abs(kernel).sum() * 255)


@pytest.mark.parametrize("method", engine.METHODS)
@pytest.mark.parametrize("mode", MODES)
def test_tiny_images_smaller_than_the_kernel(method, mode):
    kernel = RNG.normal(size=(9, 7))
    for shape in ((1, 1), (2, 3), (3, 2, 3), (1, 5), (4, 1, 3)):
        image = RNG.integers(0, 256, shape, dtype=np.uint8)
        assert_matches(image, kernel, mode, cval=200.0, method=method)


@pytest.mark.parametrize("kshape", [(1, 1), (1, 5), (5, 1), (3, 7), (7, 3), (11, 1)])
@pytest.mark.parametrize("method", engine.METHODS)
def test_odd_kernel_shapes(kshape, method):
    image = RNG.integers(0, 256, (21, 26, 3), dtype=np.uint8)
    for kernel in (RNG.normal(size=kshape), np.full(kshape, 0.5)):
        for mode in ("reflect", "constant", "wrap"):
            assert_matches(image, kernel, mode, cval=3.0, method=method)


@pytest.mark.parametrize("method", engine.METHODS)
def test_zero_kernel_gives_zeros(method):
    image = RNG.integers(0, 256, (9, 8, 3), dtype=np.uint8)
    assert not engine.correlate(image, np.zeros((3, 5)), method=method).any()


@pytest.mark.parametrize("method", engine.METHODS)
@pytest.mark.parametrize("strip_rows", [1, 3, 7, 32])
def test_block_boundaries_and_threads_do_not_change_the_result(method, strip_rows):
    # 300 x 230 x 3 is above MIN_PARALLEL_SAMPLES, so threads=2 really uses the pool.
    image = RNG.integers(0, 256, (300, 230, 3), dtype=np.uint8)
    kernel = {"separable": np.outer(RNG.normal(size=7), RNG.normal(size=5)),
              "integer": RNG.integers(-3, 4, size=(7, 5)) / 3.0}.get(method, RNG.normal(size=(7, 5)))
    single = engine.correlate(image, kernel, mode="mirror", method=method, threads=1, strip_rows=10_000)
    one = engine.correlate(image, kernel, mode="mirror", method=method, threads=1, strip_rows=strip_rows)
    two = engine.correlate(image, kernel, mode="mirror", method=method, threads=2, strip_rows=strip_rows)
    np.testing.assert_array_equal(one, two)  # same blocks, other threads: bit for bit
    # other blocks: the same sums in another order (or FFT size), so float32 rounding differs
    np.testing.assert_allclose(one, single, rtol=0, atol=2e-5 * 255 * np.abs(kernel).sum())
    u8 = engine.correlate(image, kernel, mode="mirror", method=method, threads=2, strip_rows=strip_rows,
                          output=np.uint8)
    assert np.abs(u8.astype(int) - to_uint8(single)).max() <= 1


def test_default_thread_path_on_a_larger_image():
    image = RNG.integers(0, 256, (700, 500, 3), dtype=np.uint8)
    for kernel in (make_kernel("sharpen"), make_kernel("box_blur", 9), RNG.normal(size=(21, 21))):
        for mode in ("reflect", "constant"):
            want = rounded(reference(image, kernel, mode, 5.0))
            got = engine.correlate(image, kernel, mode=mode, cval=5.0, output=np.uint8)
            assert np.abs(got.astype(int) - want).max() <= 1
            assert (got == want).mean() > 0.999


def test_index_map_extends_lines_like_scipy():
    # A one-hot kernel far off-centre reads the extended line at a known offset.
    for n in (1, 2, 3, 5):
        line = np.arange(n, dtype=np.float64)
        for mode in MODES:
            for offset in range(-12, 13):
                k = np.zeros(2 * abs(offset) + 1)
                k[abs(offset) + offset] = 1.0
                want = ndimage.correlate1d(line, k, mode=mode, cval=-1.0)
                idx = engine.index_map(offset, offset + n, n, mode)
                got = np.where(idx >= 0, line[np.maximum(idx, 0)], -1.0)
                np.testing.assert_array_equal(got, want, err_msg=f"n={n} mode={mode} offset={offset}")


@pytest.mark.parametrize("name, size", [("box_blur", 3), ("box_blur", 15), ("gaussian_blur", 9),
                                        ("sobel_x", None), ("sobel_y", None), ("identity", None)])
def test_separable_presets_are_detected(name, size):
    kernel = make_kernel(name, size)
    col, row = engine.separable_factors(kernel)
    np.testing.assert_allclose(np.outer(col, row), kernel, atol=1e-15)
    if size and size > 3:  # small integer kernels go to the int16 path instead
        assert engine.choose_method(kernel) == "separable"


@pytest.mark.parametrize("name", ["emboss", "sharpen", "outline", "laplacian"])
def test_non_separable_presets_are_not(name):
    assert engine.separable_factors(make_kernel(name)) is None
    assert engine.choose_method(make_kernel(name)) == "integer"
    assert engine.choose_method(make_kernel(name) + 0.01) == "direct"


def test_separable_detection_edge_cases():
    assert engine.separable_factors(np.zeros((3, 3))) is None
    rank1 = np.outer([1.0, -2.0, 0.5], [3.0, 0.0, -1.0, 2.0, 1.0])
    col, row = engine.separable_factors(rank1)
    np.testing.assert_allclose(np.outer(col, row), rank1)
    almost = rank1.copy()
    almost[0, 0] += 1e-3  # rank 2: two passes would be wrong by more than rounding
    assert engine.separable_factors(almost) is None
    assert engine.choose_method(RNG.normal(size=(41, 41))) == "fft"
    assert engine.choose_method(RNG.normal(size=(41, 41)), (20, 30, 3)) != "fft"  # image smaller than kernel


def test_uint8_output_makes_no_image_sized_float_copy():
    image = RNG.integers(0, 256, (1500, 2000, 3), dtype=np.uint8)
    for kernel in (make_kernel("emboss"), make_kernel("gaussian_blur", 9), RNG.normal(size=(31, 31))):
        tracemalloc.start()
        try:
            filter_image(image, kernel)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        # the uint8 result (1x) plus block buffers; a float32 copy of the image alone would be 4x
        assert peak < 2.5 * image.nbytes, (kernel.shape, peak / image.nbytes)


def test_to_uint8_chunks_match_plain_numpy():
    values = RNG.normal(0, 200, size=(301, 257, 3))  # > one chunk, float64, odd sizes
    want = np.clip(np.rint(values), 0, 255).astype(np.uint8)
    np.testing.assert_array_equal(to_uint8(values), want)
    np.testing.assert_array_equal(to_uint8(values[:, ::2]), want[:, ::2])  # non-contiguous
    np.testing.assert_array_equal(to_uint8(np.float32(2.5)), np.uint8(2))
    assert to_uint8(np.zeros((0, 3))).shape == (0, 3)


def test_bad_arguments():
    image = np.zeros((4, 4), np.uint8)
    with pytest.raises(ValueError, match="method must be one of"):
        engine.correlate(image, np.ones((3, 3)), method="winograd")
    with pytest.raises(ValueError, match="odd sides"):
        engine.correlate(image, np.ones((2, 3)))
    with pytest.raises(ValueError, match="output must be"):
        engine.correlate(image, np.ones((3, 3)), output=np.int16)


@pytest.mark.parametrize("kernel", [[[1.0, 1e-320, 1e-320]], [[1e-300, 1.0, 1e-300]], [[1e-30, 1e-30, 1e10]],
                                    [[1e-30], [1e-30], [1e10]], [[0.0, 0.5, 2.2e-311]],
                                    [[1e-25, 1.0, 3.0], [2.0, 1e-25, 1.0], [1.0, 1.0, 1e-25]]])
@pytest.mark.parametrize("method", engine.METHODS)
def test_extreme_weights_neither_overflow_nor_warn(kernel, method):
    # a student can type 1e-300 into a custom kernel cell; rescaling separable factors by such
    # a weight used to overflow float32
    import warnings

    image = np.full((3, 5), 100, np.uint8)
    image[0, 0] = 0
    k = np.array(kernel)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        got = engine.correlate(image, k, method=method, output=np.uint8)
    np.testing.assert_array_equal(got, rounded(reference(image, k, "reflect")))


def test_cval_of_any_numeric_type():
    image = np.zeros((3, 3), np.uint8)
    assert filter_image(image, [[0.0, 0.0, 1.0]], mode="constant", cval=10**30)[0, 2] == 255  # beyond int64
    with pytest.raises(ValueError, match="cval must be a finite number"):
        filter_image(image, [[1.0]], mode="constant", cval=10**400)  # beyond float64
    with pytest.raises(ValueError, match="cval must be a finite number"):
        filter_image(image, [[1.0]], mode="constant", cval="grey")


# --- the promise: within MAX_ERROR of the exact sum (issue 14, defects 1 and 3) ---------------
def test_a_tiny_weight_is_not_rounded_to_zero():
    # integer_form once accepted [[1e-10]] as 0 * 1 through an absolute tolerance
    out = filter_signed(np.full((3, 3), 200, np.uint8), [[1e-10]])
    assert out[1, 1] == pytest.approx(2e-8, rel=1e-6)
    assert engine.integer_form(np.array([[1e-10, 1.0]])) is None  # 1e-10 next to 1: not ints x scale


def test_huge_weights_are_refused_and_large_ones_cancel_exactly():
    x = np.array([[42, 88, 130]], np.uint8)
    with pytest.raises(KernelError) as info:
        filter_image(x, [[1e30, 1e30, -1e30]], mode="wrap")
    assert info.value.code == "weight_too_large" and info.value.params["limit"] == "10,000"
    # the largest accepted weights: 42 + 88 - 130 cancels to exactly 0 in the middle, every method
    k = np.array([[1e4, 1e4, -1e4]])
    assert filter_image(x, k, mode="wrap")[0, 1] == 0
    for method in engine.METHODS:
        assert engine.correlate(x, k, mode="wrap", method=method)[0, 1] == 0.0, method


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_every_method_keeps_the_promise(data):
    kh = data.draw(st.sampled_from([1, 3, 5, 9]))
    kw = data.draw(st.sampled_from([1, 3, 5, 9]))
    magnitude = data.draw(st.sampled_from([1e-3, 1.0, 30.0, 1e3, 1e4]))
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    k = np.clip(rng.normal(size=(kh, kw)) * magnitude, -1e4, 1e4)
    if data.draw(st.booleans()):
        k = np.round(k)  # integer weights: the exact path
    img = rng.integers(0, 256, (11, 13, 3)).astype(np.uint8)
    mode = data.draw(st.sampled_from(["reflect", "constant", "nearest", "mirror", "wrap"]))
    exact = np.stack([ndimage.correlate(img[..., c].astype(np.float64), k, mode=mode) for c in range(3)], -1)
    for method in engine.METHODS:
        got = engine.correlate(img, k, mode=mode, method=method).astype(np.float64)
        # float32 output: its own storage rounding on top of the promise
        assert np.all(np.abs(got - exact) <= engine.MAX_ERROR + np.abs(exact) * 2.0 ** -23), method
        as_uint8 = engine.correlate(img, k, mode=mode, method=method, output=np.uint8).astype(np.float64)
        # rounding to grey levels may differ only where the exact value is within the promise of a .5
        near_half = np.abs(np.abs(exact - np.floor(exact)) - 0.5) <= engine.MAX_ERROR
        want = np.clip(np.rint(exact), 0, 255)
        assert np.all((as_uint8 == want) | near_half), method
