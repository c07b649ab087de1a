"""The Image Kernels page's picture helpers: sample results shared, uploads never cached."""
from __future__ import annotations

import numpy as np

import convviz
from ui.common import photo as src
from ui.kernels import results


def test_a_sample_is_told_apart_from_an_upload_with_its_name():
    cat = src.sample_picture("cat")
    assert src.is_sample(cat)
    impostor = src.Picture(cat.image, cat.label, b"other bytes", "0" * 64)  # an upload called cat.jpg
    assert not src.is_sample(impostor)


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


def _photo_bytes(seed: int = 3) -> bytes:
    import io

    from PIL import Image

    rng = np.random.default_rng(seed)
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (60, 80, 3), dtype=np.uint8)).save(buf, "PNG")
    return buf.getvalue()


def test_a_closed_tab_lets_its_uploads_working_copy_go_and_a_return_decodes_it_again():
    import gc
    import weakref

    picture = src.decode_upload(_photo_bytes(), "mine.png")
    first = picture.image.copy()
    alive = weakref.ref(picture.image)
    src._let_go(weakref.WeakSet([picture]))  # what Streamlit calls when the tab's session disconnects
    gc.collect()
    assert alive() is None, "something still holds the working copy of a closed tab"
    assert np.array_equal(picture.image, first)  # the tab came back: the same picture, decoded again
    assert picture.data and picture.label == "mine.png"


def test_a_samples_shared_working_copy_is_never_let_go():
    cat = src.sample_picture("cat")
    assert not cat.release()
    assert cat.image is src.sample_picture("cat").image  # still the one shared array


def _session_script():  # AppTest.from_function: a real script run, as the upload callback has
    import io

    import numpy as np
    import streamlit as st
    from PIL import Image

    from ui.common import photo as src

    buf = io.BytesIO()
    Image.fromarray(np.full((20, 30, 3), 90, np.uint8)).save(buf, "PNG")
    picture = src.decode_upload(buf.getvalue(), "mine.png")
    st.session_state["held"] = [picture in src._session_pictures(), len(src._session_pictures())]
    st.session_state["sample_held"] = src.sample_picture("cat") in src._session_pictures()


def test_a_session_remembers_the_uploads_it_would_let_go():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_session_script).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["held"] == [True, 1]
    assert at.session_state["sample_held"] is False


def test_the_full_resolution_download_is_the_whole_image_result():
    import io

    from PIL import Image

    data = _photo_bytes(5)
    kernel = convviz.make_kernel("sobel_x")
    k = np.ascontiguousarray(kernel, dtype=np.float64)
    png = results._full_result.__wrapped__("d", data, k.tobytes(), k.shape, "wrap", True, False, "abs")
    expected = convviz.to_display(convviz.filters.filtering.filter_signed(convviz.load_image(data), kernel, mode="wrap",
                                                                  flip=True), how="abs")
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(png))), expected)
