"""Every file of the hostile upload corpus gives a correct image or a clear ImageError, fast and small.

Memory is measured two ways, because Pillow allocates pixel buffers with plain ``malloc``
(invisible to :mod:`tracemalloc`) while numpy reports to it:

* the growth of the process's peak resident set (``VmHWM``, reset through
  ``/proc/self/clear_refs``) around the call, when Linux allows it;
* the :mod:`tracemalloc` peak (numpy arrays, Python objects).

The bounds are generous (other tests and engineers share the machine) yet far below what
decoding any of the bombs would take (gigabytes).
"""
from __future__ import annotations

import ctypes
import gc
import time
import tomllib
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

import convviz
from tests.corpus import Sample, corpus

ROOT = Path(__file__).resolve().parent.parent
MAX_SECONDS = 10.0  # per file; every one takes well under 0.5 s on a quiet machine


def _catalog(lang: str) -> dict[str, str]:
    with (ROOT / "locales" / lang / "errors.toml").open("rb") as fh:
        return tomllib.load(fh)


def _rss_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS counter to the current RSS (Linux >= 4.0)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # give freed heap back so the baseline is honest
    except (OSError, AttributeError):
        pass
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


@dataclass
class Measured:
    result: np.ndarray | None
    error: BaseException | None
    seconds: float
    traced_mb: float
    rss_mb: float | None  # None when the peak RSS cannot be reset here

    @property
    def peak_mb(self) -> float:
        return max(self.traced_mb, self.rss_mb or 0.0)


def measure(sample: Sample) -> Measured:
    """Run ``load_image`` on ``sample`` and record time, traced peak and peak-RSS growth."""
    gc.collect()
    can_rss = _reset_peak_rss()
    base = _rss_kb("VmRSS") if can_rss else None
    ours = not tracemalloc.is_tracing()  # leave a tracer someone else started running
    if ours:
        tracemalloc.start()
    tracemalloc.reset_peak()
    traced_base = tracemalloc.get_traced_memory()[0]
    result = error = None
    start = time.perf_counter()
    try:
        result = convviz.load_image(sample.data, **sample.options)
    except BaseException as exc:  # noqa: BLE001 - the test reports whatever escapes
        error = exc
    seconds = time.perf_counter() - start
    traced = tracemalloc.get_traced_memory()[1] - traced_base  # growth during the call
    if ours:
        tracemalloc.stop()
    hwm = _rss_kb("VmHWM") if can_rss else None
    rss_mb = (hwm - base) / 1024 if hwm is not None and base is not None else None
    return Measured(result, error, seconds, traced / 2**20, rss_mb)


@pytest.mark.parametrize("sample", corpus(), ids=lambda s: s.name)
def test_corpus_file(sample: Sample):
    m = measure(sample)
    if sample.either and m.error is not None:
        assert isinstance(m.error, convviz.ImageError) and m.error.code in sample.errors, repr(m.error)
    elif sample.bad:
        assert m.result is None, f"{sample.name}: expected ImageError {set(sample.errors)}, got {m.result.shape}"
        assert isinstance(m.error, convviz.ImageError), f"{sample.name}: expected ImageError, got {m.error!r}"
        assert m.error.code in sample.errors, f"{sample.name}: {m.error.code!r} not in {set(sample.errors)}: {m.error}"
        text = str(m.error)
        assert text and "Traceback" not in text and len(text) < 300, text
    else:
        assert m.error is None, f"{sample.name}: expected an image, got {m.error!r}"
        img = m.result
        assert isinstance(img, np.ndarray) and img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3
        assert img.flags.c_contiguous
        if sample.shape is not None:
            assert img.shape == sample.shape, f"{sample.name}: shape {img.shape} != {sample.shape}"
        if sample.check is not None:
            sample.check(img)
    assert m.seconds < MAX_SECONDS, f"{sample.name}: took {m.seconds:.1f} s"
    assert m.peak_mb < sample.max_mb, (
        f"{sample.name}: used {m.peak_mb:.0f} MB (traced {m.traced_mb:.0f}, rss {m.rss_mb}) > {sample.max_mb}")


def test_bombs_are_refused_before_any_pixel_is_decoded():
    # The bombs declare 81 MP .. 10 GP; decoding even the smallest would need > 80 MB.
    # Refusing from the header keeps the whole call under a few MB.
    for sample in corpus():
        if "bomb" in sample.name:
            m = measure(sample)
            assert isinstance(m.error, convviz.ImageError), (sample.name, m.error)
            assert m.peak_mb < 40, f"{sample.name}: {m.peak_mb:.0f} MB used: it was decoded"


def test_every_error_code_has_a_message_in_both_languages():
    # The page shows an ImageError through locales/*/errors.toml by its code; a corpus error
    # with a code missing there, or whose params do not fill the template, would show English
    # or a raw key to a Korean class.
    catalogs = {lang: _catalog(lang) for lang in ("en", "ko")}
    seen = set()
    for sample in corpus():
        if not sample.bad:
            continue
        try:
            convviz.load_image(sample.data, **sample.options)
        except convviz.ImageError as err:
            seen.add(err.code)
            for lang, cat in catalogs.items():
                assert err.code in cat, f"{sample.name}: code {err.code!r} missing in locales/{lang}/errors.toml"
                text = cat[err.code].format(**err.params)
                assert text.strip() and "{" not in text, (lang, err.code, text)
    assert {"empty", "not_image", "pdf", "svg", "too_large", "truncated"} <= seen


def test_too_large_message_tells_the_numbers_apart():
    # With the numbers rounded alike ("60 megapixels; the limit is 60") the message would not
    # say what is wrong; it must show enough digits to differ.
    from PIL import Image

    from tests.corpus import encode

    for size, limit in (((439, 7), 3072), ((9504, 6336), 60_000_000)):
        data = encode(Image.new("1", size), "PNG")
        with pytest.raises(convviz.ImageError) as info:
            convviz.load_image(data, max_pixels=limit)
        err = info.value
        assert err.code == "too_large"
        assert err.params["megapixels"] != err.params["limit"], str(err)
        assert float(err.params["megapixels"]) > float(err.params["limit"]), str(err)


def test_file_object_and_bytearray_inputs_match_bytes():
    # UploadedFile is a BytesIO; a teacher's notebook may pass a bytearray or memoryview.
    import io

    sample = next(s for s in corpus() if s.name == "exif_orientation_6")
    expected = convviz.load_image(sample.data)
    for variant in (io.BytesIO(sample.data), bytearray(sample.data), memoryview(sample.data)):
        np.testing.assert_array_equal(convviz.load_image(variant), expected)
    bad = io.BytesIO(b"")
    with pytest.raises(convviz.ImageError):
        convviz.load_image(bad)
