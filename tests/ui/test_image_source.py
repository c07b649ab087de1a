"""The Image Kernels page's picture helpers: sample results shared, uploads never cached."""
from __future__ import annotations

import numpy as np

import convviz
from ui import image_source as src


def test_a_sample_is_told_apart_from_an_upload_with_its_name():
    cat = src.sample_picture("cat")
    assert src.is_sample(cat)
    impostor = src.Picture(cat.image, cat.label, b"other bytes", "0" * 64)  # an upload called cat.jpg
    assert not src.is_sample(impostor)


def counting_filter(monkeypatch) -> list[int]:
    """Replace ``result_jpeg`` with itself plus a call counter."""
    calls: list[int] = []
    original = src.result_jpeg
    monkeypatch.setattr(src, "result_jpeg", lambda *a, **k: calls.append(1) or original(*a, **k))
    return calls


def test_sample_results_are_the_same_bytes_as_a_fresh_filter_and_shared(monkeypatch):
    cat = src.sample_picture("cat")
    kernel = convviz.make_kernel("emboss")
    src._sample_result.clear()
    first = src.shown_result(cat, cat.image, kernel, grey=False, mode="reflect", flip=False, how="clip")
    assert first == src.result_jpeg(cat.image, kernel, mode="reflect", flip=False, how="clip")
    # A second session asking for the same result gets it from the shared cache, not a new filter.
    calls = counting_filter(monkeypatch)
    again = src.shown_result(cat, cat.image, kernel, grey=False, mode="reflect", flip=False, how="clip")
    other = src.shown_result(cat, cat.image, kernel, grey=False, mode="wrap", flip=False, how="clip")
    assert again == first
    assert len(calls) == 1 and other != first  # only the new mode was filtered


def test_uploads_are_filtered_every_time(monkeypatch):
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (40, 50, 3), dtype=np.uint8)
    upload = src.Picture(image, "cat.jpg", b"mine", "1" * 64)
    kernel = convviz.make_kernel("sharpen")
    calls = counting_filter(monkeypatch)
    for _ in range(2):
        src.shown_result(upload, image, kernel, grey=False, mode="reflect", flip=False, how="clip")
    assert len(calls) == 2
