"""Two students, two sessions: neither ever sees the other's photo or settings.

Why the shared caches cannot leak a photo from one student to another
---------------------------------------------------------------------
Streamlit runs every browser tab as its own session with its own ``st.session_state``; the
picture (``cv_picture``), the upload bookkeeping (``_cv_upload``, ...; all in ``ui/common/keys.py``) and every
widget value live there, so nothing a student does is visible in another session.

The only state shared between sessions is ``st.cache_data`` (the decoded working copy in
``ui.common.photo._working_copy``, the full-resolution download in ``_full_result``, the
Inside-a-conv-layer results keyed by ``ui.common.photo.digest``). Each of them is keyed on
the SHA-256 of the image's *bytes*, computed on the server from the bytes the session itself
holds; the client never supplies a key. To be handed an entry, a session must therefore
present exactly the same bytes, i.e. already have that very photo: the cache can save it the
decode, never show it something new. A different photo has a different digest (a SHA-256
collision is not a practical concern), and nothing is keyed on file names, file ids, session
ids or counters. Nothing is written to disk either (``tests/test_security_settings.py``).

The tests below run two or three AppTest sessions in one process, which is exactly the
server's situation: one process, shared caches, separate session states.
"""
from __future__ import annotations

import hashlib
import io

import numpy as np
from PIL import Image

from tests.conftest import texts
from tests.corpus import encode, quadrant_image
from tests.views.test_ui_hostile import KERNELS, exceptions, fresh
from ui.common import keys

ALICE_NAME = "alice_private_photo.png"
BOB_NAME = "bob_holiday.png"


def _photo(seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    return encode(Image.fromarray(rng.integers(0, 256, (60, 80, 3), dtype=np.uint8)), "PNG")


ALICE, BOB = _photo(1), _photo(2)


def _upload(at, name: str, data: bytes) -> None:
    at.segmented_control(key="kernels_source").set_value("upload")
    at.run()
    at.file_uploader(key="kernels_upload").set_value((name, data, "image/png"))
    at.run()
    assert not exceptions(at), exceptions(at)


def _everything_shown(at) -> str:
    captions = [c for img in at.image for c in img.captions]
    return texts(at) + "\n" + "\n".join(captions)


def test_two_sessions_never_see_each_others_photo_or_settings():
    alice, bob = fresh(KERNELS), fresh(KERNELS)
    _upload(alice, ALICE_NAME, ALICE)
    alice.selectbox(key="kernels_preset").set_value("sobel_x")
    alice.toggle(key="kernels_flip").set_value(True)
    alice.selectbox(key="kernels_mode").set_value("wrap")
    alice.run()
    _upload(bob, BOB_NAME, BOB)
    # Interleave: each rerun after the other's upload, as on a busy server.
    alice.run()
    bob.run()

    a_pic, b_pic = alice.session_state["cv_picture"], bob.session_state["cv_picture"]
    assert (a_pic.label, b_pic.label) == (ALICE_NAME, BOB_NAME)
    assert a_pic.data == ALICE and b_pic.data == BOB
    assert a_pic.digest == hashlib.sha256(ALICE).hexdigest() != b_pic.digest == hashlib.sha256(BOB).hexdigest()
    a_img, b_img = alice.session_state["cv_picture"].image, bob.session_state["cv_picture"].image
    assert a_img.shape == b_img.shape == (60, 80, 3) and not np.array_equal(a_img, b_img)
    np.testing.assert_array_equal(a_img, np.asarray(Image.open(io.BytesIO(ALICE)).convert("RGB")))

    assert ALICE_NAME not in _everything_shown(bob) and BOB_NAME not in _everything_shown(alice)
    assert ALICE_NAME in _everything_shown(alice)
    # Bob's settings are his own defaults, not Alice's choices.
    assert bob.selectbox(key="kernels_preset").value == "emboss"
    assert bob.toggle(key="kernels_flip").value is False
    assert bob.selectbox(key="kernels_mode").value == "reflect"
    assert alice.selectbox(key="kernels_preset").value == "sobel_x"
    # Nothing of Alice's is anywhere in Bob's session state.
    for key, value in bob.session_state.items():
        assert value is not a_pic and value is not a_img, key
        assert ALICE_NAME not in repr(value)[:10_000], key


def test_a_new_session_falls_back_to_the_sample_not_to_someone_elses_upload():
    alice = fresh(KERNELS)
    _upload(alice, ALICE_NAME, ALICE)
    # A third student opens the page and switches to "upload" without choosing a file yet:
    # "the previous picture" must be *their* previous picture (here: the sample), not Alice's.
    carol = fresh(KERNELS)
    carol.segmented_control(key="kernels_source").set_value("upload")
    carol.run()
    assert not exceptions(carol)
    assert carol.session_state["cv_picture"].label == "cat.jpg"
    assert ALICE_NAME not in _everything_shown(carol)
    assert keys.LAST_UPLOAD not in carol.session_state  # no upload of anyone's is kept for her


def test_the_same_photo_in_two_sessions_shares_only_the_decode():
    # Both students upload the same bytes (a class handout): the cache serves the same decode,
    # but each session keeps its own file name, settings and picture object.
    a, b = fresh(KERNELS), fresh(KERNELS)
    _upload(a, "handout.png", ALICE)
    _upload(b, "my_copy.png", ALICE)
    pa, pb = a.session_state["cv_picture"], b.session_state["cv_picture"]
    assert pa.digest == pb.digest
    np.testing.assert_array_equal(pa.image, pb.image)
    assert (pa.label, pb.label) == ("handout.png", "my_copy.png")
    assert "my_copy.png" not in _everything_shown(a) and "handout.png" not in _everything_shown(b)


def test_cache_keys_are_content_digests():
    # The image cache of the Inside-a-conv-layer page is keyed by the pixels' SHA-256, so two
    # different pictures of the same shape never share an entry.
    from ui.common.photo import digest

    a = quadrant_image(32, 48)
    b = a.copy()
    b[0, 0, 0] ^= 1  # one bit of one pixel
    assert digest(a) != digest(b)
    assert digest(a) == digest(a.copy())
