"""The photo every page works on: a shipped sample or the student's upload, as a :class:`Picture`.

The Image Kernels page picks it (:mod:`ui.kernels.source`: a sample, an upload or the camera) and
keeps it in the session (``st.session_state[keys.PICTURE]``): a small working copy plus the
original bytes for the full-resolution download. The other pages read it with
:func:`working_photo` (the first sample when the Image Kernels page has not run).
"""
from __future__ import annotations

import hashlib
import weakref
from pathlib import Path

import numpy as np
import streamlit as st
from streamlit.errors import StreamlitAPIException

import convviz
from ui.common import keys
from ui.server.throttle import DECODE_WORK

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "assets" / "samples"
SAMPLES = {"cat": "cat.jpg", "astronaut": "astronaut.jpg", "rocket": "rocket.jpg",
           "bricks": "bricks.jpg", "text": "text.png"}
#: Pixels of the working copy every interaction runs on (full resolution only for downloads).
#: 750 000 is 1000 x 750: a 12 MP 4:3 phone JPEG decodes straight to it at DCT scale 1/4 (no
#: resampling), which makes the first render ~5x faster than a full decode (bench/upload.py), and
#: a kernel change on it costs a few ms of filtering (docs/BENCHMARKS.md). It still fills the
#: page's two image columns on a 1920-px screen.
WORKING_PIXELS = 750_000
#: A JPEG that decodes (at a reduced DCT scale) to at most 2 % more is kept at that size: the
#: 4032 x 3024 of most phones lands on 1008 x 756 with no resample (bench/upload.py).
WORKING_SLACK = 0.02


class Picture:
    """The current picture: working copy, a label for captions/file names, and the original bytes.

    ``Picture(image, label, data, digest)``. An upload's (or camera shot's) working copy belongs
    to one student: when their tab closes it is let go (:meth:`release`, called from
    :func:`_let_go`), because Streamlit keeps a closed tab's session for
    ``server.disconnectedSessionTTL`` (120 s) in case the browser comes back, and a whole class
    leaving at once would otherwise hold 40 working copies for two more minutes
    (docs/BENCHMARKS.md, section 6). If the tab does come back, :attr:`image` decodes it again
    from ``data`` (the same decode, the same array). A sample's working copy is shared by every
    session (``st.cache_resource``) and is never let go.
    """

    __slots__ = ("_image", "label", "data", "digest", "releasable", "__weakref__")

    def __init__(self, image: np.ndarray, label: str, data: bytes, digest: str, *, releasable: bool = False) -> None:
        self._image: np.ndarray | None = image
        self.label, self.data, self.digest, self.releasable = label, data, digest, releasable

    @property
    def image(self) -> np.ndarray:
        """The working copy, an ``(H, W, 3)`` uint8 array (made again if it was let go)."""
        image = self._image
        if image is None:
            with DECODE_WORK:
                image = _decode_working(self.data)
            self._image = image
            _remember(self)
        return image

    def release(self) -> bool:
        """Let the working copy go if it can be made again (an upload); whether it did."""
        if not self.releasable or self._image is None:
            return False
        self._image = None
        return True

    @property
    def stem(self) -> str:
        stem = Path(self.label).stem or "image"
        return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in stem)[:60]


def _decode_working(data: bytes) -> np.ndarray:
    """The working copy of uploaded bytes (raises :class:`convviz.ImageError`)."""
    return convviz.load_image(data, target_pixels=WORKING_PIXELS, target_slack=WORKING_SLACK)


def _let_go(pictures: weakref.WeakSet) -> None:
    """The session's tab closed: let its uploads' working copies go (see :class:`Picture`)."""
    for picture in list(pictures):
        picture.release()


# A session-scoped resource is released when its session disconnects (Streamlit calls on_release
# then, and again if the session is shut down): the public hook for "this tab closed".
@st.cache_resource(scope="session", max_entries=1, on_release=_let_go, show_spinner=False)
def _session_pictures() -> weakref.WeakSet:
    """The uploads whose working copy this session holds (weakly: a replaced photo is freed at once)."""
    return weakref.WeakSet()


def _remember(picture: Picture) -> None:
    if not picture.releasable:
        return
    try:
        _session_pictures().add(picture)
    except StreamlitAPIException:  # outside a script run (a unit test): nothing closes, nothing to free
        pass


# Samples only (uploads are decoded per session, see _decode). One read-only array that every
# session shares (st.cache_resource), not a copy per session as st.cache_data would return: a
# class opening the app holds one working copy of the cat, not forty.
@st.cache_resource(max_entries=len(SAMPLES), show_spinner=False)
def _working_copy(digest: str, _data: bytes) -> np.ndarray:
    image = convviz.load_image(_data, target_pixels=WORKING_PIXELS)
    image.flags.writeable = False  # shared by every session: nobody may change it in place
    return image


def _current(digest: str, label: str) -> Picture | None:
    """The session's picture if it is already this one: reruns then reuse its working copy.

    (``st.cache_data`` returns a fresh unpickled copy on every call; keeping one per session
    saves a copy per rerun and per live session, see docs/BENCHMARKS.md.)
    """
    current = st.session_state.get(keys.PICTURE)
    return current if current is not None and current.digest == digest and current.label == label else None


# One shared copy (bytes are immutable): st.cache_data would unpickle a fresh one on every rerun.
@st.cache_resource(max_entries=len(SAMPLES), show_spinner=False)
def _sample_bytes(name: str) -> tuple[bytes, str]:
    data = (SAMPLES_DIR / SAMPLES[name]).read_bytes()
    return data, hashlib.sha256(data).hexdigest()


def is_sample(picture: Picture) -> bool:
    """Whether ``picture`` is one of the shipped samples (the same bytes, not only the same name)."""
    name = next((n for n, file in SAMPLES.items() if file == picture.label), None)
    return name is not None and _sample_bytes(name)[1] == picture.digest


def sample_picture(name: str) -> Picture:
    """Sample ``name`` as a :class:`Picture` (decoded once for all sessions, keyed on its digest)."""
    data, digest = _sample_bytes(name)
    return _current(digest, SAMPLES[name]) or Picture(_working_copy(digest, data), SAMPLES[name], data, digest)


def decode_upload(data: bytes, label: str) -> Picture:
    """A :class:`Picture` of uploaded bytes. Raises :class:`convviz.ImageError`.

    Uploads are decoded outside ``st.cache_data``: each student's photo is their own, so a
    shared cache would only hold a second working copy of it. Decodes queue on
    :data:`ui.server.throttle.DECODE_WORK` so a class uploading at once does not decode 40 photos at once.
    """
    digest = hashlib.sha256(data).hexdigest()
    if (picture := _current(digest, label)) is not None:
        return picture
    with DECODE_WORK:
        image = _decode_working(data)
    picture = Picture(image, label, data, digest, releasable=True)
    _remember(picture)
    return picture


def working_photo() -> tuple[np.ndarray, str, bool]:
    """The Image Kernels page's working image, or the first sample: ``(image, label, from_kernels_page)``."""
    picture = st.session_state.get(keys.PICTURE)
    image = getattr(picture, "image", None)
    if isinstance(image, np.ndarray) and image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3:
        return image, getattr(picture, "label", ""), True
    picture = sample_picture(next(iter(SAMPLES)))
    return picture.image, picture.label, False


def digest(image: np.ndarray) -> str:
    """A short key for caching results of one image (arrays are never cache keys)."""
    return hashlib.sha256(np.ascontiguousarray(image).tobytes()).hexdigest()[:24] + str(image.shape)
