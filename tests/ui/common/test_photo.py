"""The photo every page works on: samples told apart from uploads, uploads let go when their tab closes."""
from __future__ import annotations

import numpy as np

from ui.common import photo as src


def test_a_sample_is_told_apart_from_an_upload_with_its_name():
    cat = src.sample_picture("cat")
    assert src.is_sample(cat)
    impostor = src.Picture(cat.image, cat.label, b"other bytes", "0" * 64)  # an upload called cat.jpg
    assert not src.is_sample(impostor)


def photo_bytes(seed: int = 3) -> bytes:
    import io

    from PIL import Image

    rng = np.random.default_rng(seed)
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (60, 80, 3), dtype=np.uint8)).save(buf, "PNG")
    return buf.getvalue()


def test_a_closed_tab_lets_its_uploads_working_copy_go_and_a_return_decodes_it_again():
    import gc
    import weakref

    picture = src.decode_upload(photo_bytes(), "mine.png")
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
    # AppTest runs every session of the process under one session id: what earlier tests' sessions
    # left in the set (kept alive elsewhere) is there already. Held here, so none goes meanwhile.
    before = list(src._session_pictures())
    picture = src.decode_upload(buf.getvalue(), "mine.png")
    added = [p for p in src._session_pictures() if not any(p is q for q in before)]
    st.session_state["held"] = [picture in src._session_pictures(), len(added), added[0] is picture]
    st.session_state["sample_held"] = src.sample_picture("cat") in src._session_pictures()


def test_a_session_remembers_the_uploads_it_would_let_go():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_session_script).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["held"] == [True, 1, True]
    assert at.session_state["sample_held"] is False
