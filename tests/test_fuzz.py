"""Property-based fuzzing: whatever goes in, convviz answers with a result or a ConvVizError.

A page catches :class:`convviz.ConvVizError` and shows ``st.error``; any other exception
(TypeError, OverflowError, MemoryError, IndexError...) would crash the lesson. So every
fuzzer here asserts: a valid result, or a ``ConvVizError`` (a ``ValueError`` subclass) with
a non-empty message, within a bounded time.

Set ``CONVVIZ_FUZZ_EXAMPLES`` for a longer run than the suite's 200 examples per fuzzer.

Image fuzzing passes ``max_pixels=1_000_000``: a mutated header may declare any size up to
the limit, and the limit logic is the same at 1 MP as at 60 MP, only cheaper.

Every fuzzed function is imported plainly: a renamed one fails the import, never turns a fuzzer into a skip.
"""
from __future__ import annotations

import io
import math
import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from PIL import Image

import convviz
from convviz import (
    animation_frames,
    conv2d,
    conv_transpose2d,
    output_shape,
    output_size,
    pool2d,
    summarize,
    transposed_output_shape,
    transposed_output_size,
)
from convviz.nets import layers
from convviz.nets.records import layer_from_record
from convviz.nets.summary import summarize_records
from tests.corpus import (
    STORED_FOR_ORIENTATION,
    corpus,
    encode,
    flat_grey_jpeg,
    noise,
    png_rgb16,
    quadrant_image,
)

#: Examples per fuzzer; ``CONVVIZ_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py`` for a deep run.
EXAMPLES = int(os.environ.get("CONVVIZ_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
QUICK = settings(max_examples=max(1, EXAMPLES // 2), deadline=None, suppress_health_check=[HealthCheck.too_slow])
MAX_SECONDS = 5.0  # per example; a hang would blow through this (pytest-timeout backs it up)
FUZZ_MAX_PIXELS = 1_000_000


@contextmanager
def bounded(what: str):
    start = time.perf_counter()
    yield
    took = time.perf_counter() - start
    assert took < MAX_SECONDS, f"{what} took {took:.1f} s"


def outcome(fn: Callable[[], Any], what: str) -> tuple[Any, convviz.ConvVizError | None]:
    """Call ``fn``; return ``(result, None)`` or ``(None, error)`` for a ConvVizError with a message.

    Any other exception propagates and fails the test with the fuzzed input in the report.
    """
    with bounded(what):
        try:
            return fn(), None
        except convviz.ConvVizError as err:
            assert isinstance(err, ValueError)
            assert str(err).strip(), f"{what}: {type(err).__name__} without a message"
            return None, err


# ---------------------------------------------------------------- load_image


def _seed_files() -> list[bytes]:
    """Small valid files of every format and mode the decoder paths handle."""
    exif = Image.Exif()
    exif[0x0112] = 6
    frames = [Image.new("RGB", (6, 4), c) for c in ((255, 0, 0), (0, 255, 0))]
    small = noise(16, 12)
    pal = small.convert("P")
    files = [
        encode(small, "PNG"),
        encode(small, "JPEG", quality=80),
        encode(small, "JPEG", quality=80, progressive=True),
        encode(Image.fromarray(np.ascontiguousarray(STORED_FOR_ORIENTATION[6](quadrant_image(16, 24)))), "JPEG",
               exif=exif.tobytes()),
        encode(Image.new("CMYK", (16, 8), (0, 255, 0, 0)), "JPEG"),
        encode(small, "WEBP", quality=60),
        encode(small, "WEBP", lossless=True),
        encode(pal, "GIF"),
        encode(frames[0], "GIF", save_all=True, append_images=frames[1:]),
        encode(frames[0], "PNG", save_all=True, append_images=frames[1:]),
        encode(pal, "PNG", transparency=3),
        encode(small.convert("RGBA"), "PNG"),
        encode(Image.fromarray(np.arange(48, dtype=np.uint16).reshape(6, 8) * 1000), "PNG"),
        png_rgb16(np.full((3, 4, 3), 40_000, np.uint16)),
        encode(small.convert("1"), "PNG"),
        encode(small, "BMP"),
        encode(small, "TIFF"),
        encode(small, "TIFF", compression="tiff_deflate"),
        flat_grey_jpeg(64, 32),
    ]
    return files


SEEDS = _seed_files()
INTERESTING_INTS = (0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF)


@st.composite
def mutated_image(draw) -> bytes:
    """A real image with a few bytes flipped, fields overwritten, parts cut, inserted or repeated."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 5))):
        if len(data) < 2:
            break
        # Headers (sizes, colour types, chunk lengths) are where the interesting bugs live.
        pos = draw(st.one_of(st.integers(0, min(80, len(data) - 1)), st.integers(0, len(data) - 1)))
        op = draw(st.sampled_from(["flip", "byte", "int", "cut", "insert", "delete", "repeat"]))
        if op == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "byte":
            data[pos] = draw(st.sampled_from([0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF]))
        elif op == "int":
            width = draw(st.sampled_from([2, 4]))
            value = draw(st.sampled_from(INTERESTING_INTS)) & ((1 << (8 * width)) - 1)
            data[pos:pos + width] = value.to_bytes(width, draw(st.sampled_from(["big", "little"])))
        elif op == "cut":
            del data[max(1, pos):]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 16))]
        else:
            chunk = bytes(data[pos:pos + draw(st.integers(1, 64))])
            data[pos:pos] = chunk * draw(st.integers(1, 4))
    return bytes(data)


MAGICS = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", b"GIF89a", b"GIF87a",
          b"RIFF\x00\x00\x00\x00WEBPVP8 ", b"RIFF\xff\xff\xff\xffWEBPVP8L", b"BM", b"II*\x00", b"MM\x00*",
          b"%PDF", b"<svg", b"PK\x03\x04", b"\x00\x00\x00\x18ftypheic", b""]


def _check_image(img: Any, options: dict) -> None:
    assert isinstance(img, np.ndarray) and img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3
    assert img.shape[0] >= 1 and img.shape[1] >= 1
    assert img.shape[0] * img.shape[1] <= (options.get("target_pixels") or FUZZ_MAX_PIXELS)


@FUZZ
@given(data=mutated_image(), target=st.sampled_from([None, 2_000, 100_000]))
def test_fuzz_load_image_mutated(data: bytes, target: int | None):
    options = {"max_pixels": FUZZ_MAX_PIXELS, "target_pixels": target}
    img, err = outcome(lambda: convviz.load_image(data, **options), "load_image")
    if err is None:
        _check_image(img, options)
    else:
        assert isinstance(err, convviz.ImageError), repr(err)


@QUICK
@given(magic=st.sampled_from(MAGICS), tail=st.binary(max_size=2048))
def test_fuzz_load_image_random_bytes(magic: bytes, tail: bytes):
    data = magic + tail
    img, err = outcome(lambda: convviz.load_image(data, max_pixels=FUZZ_MAX_PIXELS), "load_image")
    if err is None:
        _check_image(img, {})
    else:
        assert isinstance(err, convviz.ImageError), repr(err)
        assert err.code, f"ImageError without a code cannot be translated: {err}"


@QUICK
@given(max_pixels=st.one_of(st.integers(-10, 10), st.integers(10, 10**7)),
       target=st.one_of(st.none(), st.integers(-10, 10**7)))
def test_fuzz_load_image_limits(max_pixels: int, target: int | None):
    sample = next(s for s in corpus() if s.name == "exif_orientation_6")
    img, err = outcome(lambda: convviz.load_image(sample.data, max_pixels=max_pixels, target_pixels=target),
                       "load_image")
    if err is None:
        assert img.shape[0] * img.shape[1] <= max_pixels
        if target is not None:
            assert img.shape[0] * img.shape[1] <= target
    else:
        assert isinstance(err, convviz.ImageError)


@FUZZ
@given(h=st.integers(1, 10**6), w=st.integers(1, 10**6), target=st.integers(1, 10**7))
def test_fuzz_working_size_stays_within_target(h, w, target):
    from convviz.pictures.images import working_size

    out_h, out_w = working_size((h, w, 3), target)
    assert 1 <= out_h <= h and 1 <= out_w <= w
    assert out_h * out_w <= max(target, 1) or (out_h, out_w) == (h, w) and h * w <= target


def test_load_image_rejects_non_bytes_cleanly():
    for bad in (None, 12, "cat.png", ["not", "bytes"], io.StringIO("text"), object()):
        img, err = outcome(lambda: convviz.load_image(bad), "load_image")
        assert isinstance(err, convviz.ImageError), (bad, img)


# ---------------------------------------------------------------- kernels

HOSTILE_FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e-320, 5e-324, 1e-45, 3.4e38, 3.5e38, 1e300, -1e300, 1.7976931348623157e308]),
    st.integers(-(10**400), 10**400),
)
CELL = st.one_of(HOSTILE_FLOATS, st.integers(-5, 5), st.sampled_from(["", "abc", "1", "nan", "1e999", None, True,
                                                                        complex(1, 2), b"\x00", [1], {}]))


@st.composite
def hostile_kernel(draw) -> Any:
    kind = draw(st.sampled_from(["grid", "ragged", "array", "odd", "other"]))
    h, w = draw(st.integers(0, 9)), draw(st.integers(0, 9))
    if kind == "grid":
        return [[draw(CELL) for _ in range(w)] for _ in range(h)]
    if kind == "ragged":
        return [[draw(HOSTILE_FLOATS) for _ in range(draw(st.integers(0, 5)))] for _ in range(h)]
    if kind == "array":
        dtype = draw(st.sampled_from([np.float64, np.float32, np.float16, np.int64, np.uint8, bool, object]))
        shape = draw(st.sampled_from([(h, w), (h,), (h, w, 2), (), (1, 1, 1)]))
        fill = draw(HOSTILE_FLOATS)
        try:
            return np.full(shape, fill, dtype=dtype)
        except (OverflowError, ValueError, TypeError):
            return np.zeros(shape, dtype=dtype)
    if kind == "odd":  # finite, odd-sized, with extreme magnitudes: these are *valid* kernels
        h, w = 2 * (h // 2) + 1, 2 * (w // 2) + 1
        values = st.floats(allow_nan=False, allow_infinity=False)
        return np.array([[draw(values) for _ in range(w)] for _ in range(h)])
    return draw(st.sampled_from([None, 3, "3x3", "[[1,2,1]]", {"a": 1}, b"\x01\x02", object(), [[[]]], [[]], []]))


@FUZZ
@given(kernel=hostile_kernel())
def test_fuzz_validate_kernel(kernel: Any):
    k, err = outcome(lambda: convviz.validate_kernel(kernel), "validate_kernel")
    if err is None:
        assert k.dtype == np.float64 and k.ndim == 2 and k.size >= 1
        assert k.shape[0] % 2 == 1 and k.shape[1] % 2 == 1
        assert np.isfinite(k).all()
    else:
        assert isinstance(err, convviz.KernelError), repr(err)


IMAGES = [np.zeros((1, 1), np.uint8), np.full((1, 7, 3), 200, np.uint8), np.arange(30, dtype=np.uint8).reshape(6, 5),
          np.random.default_rng(3).integers(0, 256, (5, 4, 3), dtype=np.uint8)]


@FUZZ
@given(kernel=hostile_kernel(), image=st.sampled_from(IMAGES),
       mode=st.sampled_from(["reflect", "constant", "nearest", "mirror", "wrap", "grid-wrap", "", "REFLECT", None]),
       cval=st.one_of(st.floats(), st.integers(-(2**63), 2**63 - 1)), flip=st.booleans())
def test_fuzz_filter_image(kernel: Any, image: np.ndarray, mode: Any, cval: Any, flip: bool):
    out, err = outcome(lambda: convviz.filter_image(image, kernel, mode=mode, cval=cval, flip=flip), "filter_image")
    if err is None:
        assert out.dtype == np.uint8 and out.shape == image.shape


# Regression: a cval beyond int64 made np.isfinite raise TypeError.
def test_huge_integer_cval_is_a_clean_error():
    # A Python int beyond any float is the coded error naming cval; one a float holds is that float.
    img, blur = np.zeros((2, 2), np.uint8), np.ones((3, 3)) / 9
    _, err = outcome(lambda: convviz.filter_image(img, blur, mode="constant", cval=10**400), "filter_image")
    assert err is not None and err.code == "not_float" and err.params["param"] == "cval", err
    out, err = outcome(lambda: convviz.filter_image(img, blur, mode="constant", cval=10**30), "filter_image")
    assert err is None and out.tolist() == [[255, 255], [255, 255]]  # five of nine taps are 1e30 / 9: clipped


@QUICK
@given(image=st.one_of(
    st.sampled_from([None, [], [[1, 2]], np.zeros((0, 3), np.uint8), np.zeros((3, 3, 4), np.uint8),
                     np.zeros((3, 3), np.float64), np.zeros((2, 2, 2, 3), np.uint8), np.zeros((3,), np.uint8),
                     np.zeros((3, 0, 3), np.uint8), "image"])))
def test_fuzz_filter_image_bad_images(image: Any):
    out, err = outcome(lambda: convviz.filter_image(image, convviz.KERNELS["box_blur"]), "filter_image")
    assert isinstance(err, convviz.ImageError), (out, err)


def test_huge_but_finite_kernel_values_are_refused_or_well_defined():
    # 1e39 is a finite float64 but inf in float32; 1e30 is finite in both but its rounding is
    # larger than a grey level. Both must be a KernelError; up to the limit, results saturate.
    import warnings

    img = np.arange(25, dtype=np.uint8).reshape(5, 5)
    limit = convviz.filters.kernels.MAX_KERNEL_VALUE
    for value in (limit, -limit, limit * 1.0001, 1e30, -1e30, 1e39, 1e300, -1e300):
        k = np.zeros((3, 3))
        k[1, 1] = value
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)  # "invalid value encountered in cast" = NaN
            out, err = outcome(lambda: convviz.filter_image(img, k, mode="constant"), "filter_image")
        if abs(value) > limit:
            assert isinstance(err, convviz.KernelError) and err.code == "weight_too_large", (value, err)
        else:
            assert err is None, err
            np.testing.assert_array_equal(out, np.where(img == 0, 0, 255 if value > 0 else 0))


@st.composite
def valid_kernel(draw) -> np.ndarray:
    """An odd-sized kernel of finite weights within the limit: sparse, repeated, tiny and huge values."""
    h, w = draw(st.sampled_from([1, 3, 5, 7])), draw(st.sampled_from([1, 3, 5, 7]))
    weight = st.one_of(st.sampled_from([0.0, 0.0, 1.0, -1.0, 0.5, 2.0, 1e-30, -1e-12, 1e3, 1e4, -1e4]),
                       st.floats(-1e4, 1e4))
    return np.array([[draw(weight) for _ in range(w)] for _ in range(h)])


@FUZZ
@given(kernel=st.one_of(hostile_kernel(), valid_kernel()), image=st.sampled_from(IMAGES), flip=st.booleans())
def test_fuzz_accepted_kernels_filter_like_float64(kernel, image, flip):
    # Whatever validate_kernel accepts filters without NaN / overflow warnings, to within
    # rounding of a float64 reference (filtering itself may run in float32).
    import warnings

    from scipy import ndimage

    try:
        k = convviz.validate_kernel(kernel)
    except convviz.KernelError:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        out = convviz.filter_image(image, k, mode="reflect", flip=flip)
    kk = k[::-1, ::-1] if flip else k
    src = image.astype(np.float64)
    ref = (ndimage.correlate(src, kk, mode="reflect") if image.ndim == 2 else
           np.stack([ndimage.correlate(src[..., c], kk, mode="reflect") for c in range(3)], axis=-1))
    ref = np.clip(np.rint(ref), 0, 255)
    # within 1/64 of a grey level of the exact sum (convviz.filters.engine.MAX_ERROR): the rounded result
    # differs from float64's by at most one step, where the sum lies that close to a .5
    assert np.all(np.abs(out.astype(np.float64) - ref) <= 1), (k, out, ref)


# Regression: separable kernels were rescaled so the row's most common weight is 1; a tiny weight
# (1e-320, 1e-30) made that division overflow and the picture black. A student can type 1e-300.
@pytest.mark.parametrize("kernel", [[[1.0, 1e-320, 1e-320]], [[1e-300, 1.0, 1e-300]], [[1e-30, 1e-30, 1e4]]])
def test_tiny_weights_filter_correctly(kernel):
    import warnings

    from scipy import ndimage

    img = np.full((3, 5), 100, np.uint8)
    img[0, 0] = 0
    expected = np.clip(np.rint(ndimage.correlate(img.astype(np.float64), np.array(kernel), mode="reflect")), 0, 255)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        out, err = outcome(lambda: convviz.filter_image(img, kernel), "filter_image")
    assert err is None
    np.testing.assert_array_equal(out, expected)


# ---------------------------------------------------------------- geometry

SIZE = st.one_of(st.integers(-3, 12), st.integers(-(10**12), 10**12), st.sampled_from([10**30, -(10**30)]))
HOSTILE = st.one_of(SIZE, st.sampled_from([0.0, 2.0, 2.5, float("nan"), float("inf"), -float("inf"), True, False,
                                           None, "3", "same", "valid", "full", "", (1,), (1, 2, 3), [2, 2],
                                           (2, "x"), np.int64(3), np.float64(2.0), np.float32("nan")]))


@FUZZ
@given(n=HOSTILE, k=HOSTILE, s=HOSTILE, p=HOSTILE, d=HOSTILE)
def test_fuzz_output_size(n, k, s, p, d):
    out, err = outcome(lambda: output_size(n, k, stride=s, padding=p, dilation=d), "output_size")
    if err is None:
        assert isinstance(out, int) and out >= 1
        if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in (n, k, s, p, d)):
            n, k, s, p, d = map(int, (n, k, s, p, d))  # exact Python ints, no int64 overflow
            assert out == (n + 2 * p - d * (k - 1) - 1) // s + 1  # torch.nn.Conv2d's formula
    else:
        assert isinstance(err, convviz.GeometryError), repr(err)


@FUZZ
@given(n=HOSTILE, k=HOSTILE, s=HOSTILE, p=HOSTILE, op=HOSTILE, d=HOSTILE)
def test_fuzz_transposed_output_size(n, k, s, p, op, d):
    out, err = outcome(lambda: transposed_output_size(n, k, stride=s, padding=p, output_padding=op, dilation=d),
                       "transposed_output_size")
    if err is None:
        assert isinstance(out, int) and out >= 1
        if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in (n, k, s, p, op, d)):
            n, k, s, p, op, d = map(int, (n, k, s, p, op, d))
            assert out == (n - 1) * s - 2 * p + d * (k - 1) + op + 1  # torch.nn.ConvTranspose2d's formula
    else:
        assert isinstance(err, convviz.GeometryError), repr(err)


@QUICK
@given(hw=HOSTILE, k=HOSTILE, s=HOSTILE, p=HOSTILE, d=HOSTILE, op=HOSTILE)
def test_fuzz_output_shapes(hw, k, s, p, d, op):
    out, err = outcome(lambda: output_shape(hw, k, stride=s, padding=p, dilation=d), "output_shape")
    assert err is not None or (len(out) == 2 and min(out) >= 1)
    out, err = outcome(lambda: transposed_output_shape(hw, k, stride=s, padding=p, output_padding=op, dilation=d),
                       "transposed_output_shape")
    assert err is not None or (len(out) == 2 and min(out) >= 1)


SMALL = st.one_of(st.integers(-2, 5), st.sampled_from([0.5, float("nan"), None, "same", "valid", "bogus", (1, 2),
                                                       (0, 1), (1, 2, 3), True]))


@st.composite
def small_tensor(draw, ndim: int) -> np.ndarray:
    shape = tuple(draw(st.integers(0, 6)) for _ in range(ndim))
    dtype = draw(st.sampled_from([np.int64, np.float64, np.uint8, bool]))
    arr = np.arange(math.prod(shape)).reshape(shape) % 7
    if draw(st.booleans()) and dtype is np.float64 and arr.size:
        arr = arr.astype(np.float64)
        arr.flat[0] = draw(st.sampled_from([np.nan, np.inf, -np.inf, 1e308]))
    return arr.astype(dtype)


@FUZZ
@given(x=st.one_of(small_tensor(3), small_tensor(2), small_tensor(4)), w=st.one_of(small_tensor(4), small_tensor(2)),
       s=SMALL, p=SMALL, d=SMALL, op=SMALL, kind=st.sampled_from(["conv", "transposed", "max", "avg", "median"]))
def test_fuzz_conv_and_pool(x, w, s, p, d, op, kind):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # inf - inf in a window is allowed to give NaN
        if kind == "conv":
            out, err = outcome(lambda: conv2d(x, w, stride=s, padding=p, dilation=d), "conv2d")
        elif kind == "transposed":
            out, err = outcome(lambda: conv_transpose2d(x, w, stride=s, padding=p, output_padding=op, dilation=d),
                               "conv_transpose2d")
        else:
            k = w.shape[-2:] if w.ndim >= 2 else 2
            out, err = outcome(lambda: pool2d(x, k, stride=s, padding=p, op=kind), "pool2d")
    if err is None:
        assert isinstance(out, np.ndarray) and out.ndim == 3 and min(out.shape[1:]) >= 1
    else:
        assert isinstance(err, convviz.GeometryError), repr(err)


@QUICK
@given(x=st.one_of(small_tensor(2), small_tensor(3)), w=st.one_of(small_tensor(2), small_tensor(1)),
       s=SMALL, p=SMALL, d=SMALL, op=SMALL, kind=st.sampled_from(["conv", "max", "avg", "transposed", "sum"]))
def test_fuzz_animation_frames(x, w, s, p, d, op, kind):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        fs, err = outcome(lambda: animation_frames(x, op=kind, weight=w, stride=s, padding=p, dilation=d,
                                                   output_padding=op), "animation_frames")
    if err is None:
        assert len(fs.frames) >= 1


# Known bug (reported for issue 3, convviz/sliding/ops.py): no size guard before np.pad / np.zeros, so a
# huge padding, stride or dilation asks numpy for terabytes. Here that is a MemoryError at
# once; 10**4 instead of 10**6 would really allocate gigabytes. strict=True: when ops.py
# gets its guard these XPASS and fail, so remove the marker then.
_ONE, _W1 = np.ones((1, 1, 1)), np.ones((1, 1, 1, 1))
HUGE_GEOMETRIES = {
    "conv2d_padding": ("conv2d", lambda f: f(_ONE, _W1, padding=10**6)),
    "conv2d_dilation": ("conv2d", lambda f: f(np.ones((1, 3, 3)), np.ones((1, 1, 2, 2)), dilation=10**6,
                                              padding=10**6)),
    "conv_transpose2d_stride": ("conv_transpose2d", lambda f: f(np.ones((1, 2, 2)), _W1, stride=10**6)),
    "conv_transpose2d_dilation": ("conv_transpose2d", lambda f: f(np.ones((1, 2, 2)), np.ones((1, 1, 2, 2)),
                                                                  dilation=10**6)),
    "pool2d_window": ("pool2d", lambda f: f(_ONE, 2 * 10**6 + 1, padding=10**6, stride=10**6)),
    "animation_conv_padding": ("animation_frames", lambda f: f(np.ones((1, 1)), op="conv", weight=np.ones((1, 1)),
                                                               padding=10**6)),
}


@pytest.mark.parametrize("case", list(HUGE_GEOMETRIES))
def test_huge_geometry_is_refused_without_allocating(case):
    name, call = HUGE_GEOMETRIES[case]
    fn = getattr(convviz, name)
    out, err = outcome(lambda: call(fn), name)
    assert isinstance(err, convviz.GeometryError), f"no size guard: got an output {getattr(out, 'shape', out)}"


# ---------------------------------------------------------------- layer stacks

LAYER_VALUE = st.one_of(st.integers(-3, 300), st.integers(-(10**15), 10**15),
                        st.sampled_from([0.0, 3.0, 2.5, float("nan"), float("inf"), None, True, False, "3", "3x5",
                                         "same", "valid", "", (3, 3), (1, 2, 3), [2], (None, 4), (0, 1)]))


@st.composite
def layer_or_error(draw):
    """A torch-style layer spec built from hostile arguments (construction may refuse: fine)."""
    name = draw(st.sampled_from(sorted(layers.LAYER_TYPES)))
    cls = layers.LAYER_TYPES[name]
    import dataclasses

    kwargs = {}
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if required or draw(st.booleans()):
            kwargs[f.name] = draw(LAYER_VALUE)
    try:
        with bounded(f"{name}(...)"):
            return cls(**kwargs)
    except convviz.ConvVizError as err:
        assert str(err).strip()
        return None


INPUT_SHAPE = st.one_of(
    st.tuples(st.integers(1, 64), st.integers(1, 64), st.integers(1, 64)),
    st.tuples(st.integers(1, 10**4)),
    st.sampled_from([(), (0, 3, 3), (-1, 5, 5), (3, 224, 224), (3, 10**6, 10**6), (1.5, 2, 2), ("3", 4, 4), None,
                     (True, 4, 4), (1, 2), [3, 32, 32]]),
)


@FUZZ
@given(stack=st.lists(layer_or_error(), max_size=8), shape=INPUT_SHAPE)
def test_fuzz_summarize(stack, shape):
    stack = [layer for layer in stack if layer is not None]
    s, err = outcome(lambda: summarize(stack, shape), "summarize")
    if err is None:
        assert len(s.rows) == len(stack)
        assert s.total_params == sum(r.params for r in s.rows) >= 0
        assert all(min(r.output_shape) >= 1 for r in s.rows)
    else:
        assert isinstance(err, convviz.LayerError), repr(err)


RECORD_VALUE = st.one_of(LAYER_VALUE, st.sampled_from(["9" * 4000, "9" * 5000, "-1x-1", " 3 x 3 ", "３", "(3, 3)", "x",
                                                       "1e3", "[]", float("-inf"), "<script>alert(1)</script>",
                                                       10**400]))


@FUZZ
@given(records=st.lists(st.fixed_dictionaries({}, optional={
    "type": st.one_of(st.sampled_from(["Conv2d", "Linear", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "Flatten",
                                       "ReLU", "Tanh", "BatchNorm2d", "Dropout", "Unflatten", "conv2d", "", None,
                                       float("nan"), 3, "Conv2d "])),
    "in": RECORD_VALUE, "out": RECORD_VALUE, "kernel": RECORD_VALUE, "stride": RECORD_VALUE,
    "padding": RECORD_VALUE, "groups": RECORD_VALUE, "bias": RECORD_VALUE, "p": RECORD_VALUE}), max_size=6),
    shape=INPUT_SHAPE)
def test_fuzz_layer_table_records(records, shape):
    # The Parameter Counts page builds its stack from an editable table: every cell is hostile.
    result, err = outcome(lambda: summarize_records(records, shape), "summarize_records")
    if err is None:
        summary, layers, row_error = result
        assert row_error is None or (isinstance(row_error, convviz.LayerError) and str(row_error).strip())
        assert len(summary.rows) == len(layers)
    else:
        assert isinstance(err, convviz.LayerError), repr(err)


# Regressions: an unhashable "type" cell used to raise TypeError (`kind not in _USES`), a size
# cell of more than 4300 digits int()'s plain ValueError.
@pytest.mark.parametrize("value", [[1], {"a": 1}])
def test_unhashable_layer_type_cell_is_a_layer_error(value):
    _, err = outcome(lambda: layer_from_record({"type": value, "out": 4, "kernel": "3"}, (3, 8, 8)),
                     "layer_from_record")
    assert isinstance(err, convviz.LayerError)


def test_absurdly_long_number_in_a_size_cell_is_a_layer_error():
    _, err = outcome(lambda: layer_from_record({"type": "Conv2d", "out": 4, "kernel": "9" * 5000}, (3, 8, 8)),
                     "layer_from_record")
    assert isinstance(err, convviz.LayerError)


# ---------------------------------------------------------------- pasted PyTorch source (issue 22)

def _pasted_outcome(source: str):
    """from_pytorch's answer: layers whose table rows the page's table holds, or a coded LayerError."""
    from convviz.errors import ERROR_CODES
    from convviz.nets.blocks import has_blocks
    from convviz.nets.records import cell_problem, layer_to_record

    layers, err = outcome(lambda: convviz.from_pytorch(source), "from_pytorch")
    if err is not None:
        assert isinstance(err, convviz.LayerError) and err.code in ERROR_CODES, repr(err)
        assert "line" in err.params or err.code in ("source_type", "source_too_long"), err.params
        return None
    if not has_blocks(layers):  # a plain stack goes into the editable table: every cell must fit it
        for layer in layers:
            try:
                record = layer_to_record(layer)
            except convviz.LayerError as row_err:
                assert row_err.code == "not_tabular"
                continue
            assert all(cell_problem(c, v) is None for c, v in record.items()), record
    return layers


def test_fuzz_generated_pasted_sources():
    import random

    from tests.hostile_text import random_source

    r = random.Random(2216)
    read = refused = 0
    for _ in range(max(100, EXAMPLES)):
        if _pasted_outcome(random_source(r)) is None:
            refused += 1
        else:
            read += 1
    assert read >= 15 and refused >= 50, (read, refused)


@FUZZ
@given(st.lists(st.sampled_from(list("nn.Sequential(Conv2d3, 8)[]1e7.0*+-_ \n\t\f\r#'\"\\")
                                + ["\u2028", "\ud800", "\0", "import torch as nn\n", "(1)*", "model = ", "nn.Linear(",
                                   "nn.Conv2d(3, ", "1e308", "2.5", "))", "if"]), max_size=120).map("".join))
def test_fuzz_from_pytorch_text(source):
    _pasted_outcome(source)


@FUZZ
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
                    lambda inner: st.lists(inner, max_size=10), max_leaves=30))
def test_fuzz_decode_table_json(rows):
    # whatever JSON a hand-made link carries: refused with a code, or cells the page's table holds
    from convviz.nets.links import decode_table
    from convviz.nets.records import cell_problem
    from tests.hostile_text import table_token

    try:
        token = table_token(rows)
    except ValueError:  # NaN / inf: JSON allows them only as Python's extension, which decode refuses too
        return
    records, err = outcome(lambda: decode_table(token), "decode_table")
    if err is None:
        assert all(cell_problem(c, v) is None for rec in records for c, v in rec.items())
    else:
        assert err.code in ("table_link_corrupt", "table_link_too_large"), err
