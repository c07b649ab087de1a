"""The Image Kernels page's pictures: sample results shared, uploads never cached, the full-size download."""
from __future__ import annotations

import numpy as np

import convviz
from tests.ui.common.test_photo import photo_bytes
from ui.common import photo as src
from ui.kernels import results


def counting_filter(monkeypatch) -> list[int]:
    """Replace ``result_jpeg`` with itself plus a call counter."""
    calls: list[int] = []
    original = results.result_jpeg
    monkeypatch.setattr(results, "result_jpeg", lambda *a, **k: calls.append(1) or original(*a, **k))
    return calls


def test_sample_results_are_the_same_bytes_as_a_fresh_filter_and_shared(monkeypatch):
    cat = src.sample_picture("cat")
    kernel = convviz.make_kernel("emboss")
    results._sample_result.clear()
    first = results.shown_result(cat, cat.image, kernel, grey=False, mode="reflect", flip=False, how="clip")
    assert first == results.result_jpeg(cat.image, kernel, mode="reflect", flip=False, how="clip")
    # A second session asking for the same result gets it from the shared cache, not a new filter.
    calls = counting_filter(monkeypatch)
    again = results.shown_result(cat, cat.image, kernel, grey=False, mode="reflect", flip=False, how="clip")
    other = results.shown_result(cat, cat.image, kernel, grey=False, mode="wrap", flip=False, how="clip")
    assert again == first
    assert len(calls) == 1 and other != first  # only the new mode was filtered


def test_uploads_are_filtered_every_time(monkeypatch):
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (40, 50, 3), dtype=np.uint8)
    upload = src.Picture(image, "cat.jpg", b"mine", "1" * 64)
    kernel = convviz.make_kernel("sharpen")
    calls = counting_filter(monkeypatch)
    for _ in range(2):
        results.shown_result(upload, image, kernel, grey=False, mode="reflect", flip=False, how="clip")
    assert len(calls) == 2


def test_the_full_resolution_download_is_the_whole_image_result():
    import io

    from PIL import Image

    data = photo_bytes(5)
    kernel = convviz.make_kernel("sobel_x")
    k = np.ascontiguousarray(kernel, dtype=np.float64)
    png = results._full_result.__wrapped__("d", data, k.tobytes(), k.shape, "wrap", True, False, "abs")
    raw = convviz.filter_signed(convviz.load_image(data), kernel, mode="wrap", flip=True)
    expected = convviz.to_display(raw, how="abs")
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(png))), expected)
