"""Where the picture comes from: a sample, an upload or the camera.

The chosen image lives in the session as a small working copy (``st.session_state["cv_image"]``,
shared with the other pages) plus the original bytes for the full-resolution download. A bad
upload shows an error and leaves the previous image (or the sample) in place.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
import streamlit as st

import convviz
from ui.choice import choice
from ui.i18n import t
from ui.messages import show_error
from ui.throttle import FULL_SIZE_WORK

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "assets" / "samples"
SAMPLES = {"cat": "cat.jpg", "astronaut": "astronaut.jpg", "rocket": "rocket.jpg",
           "bricks": "bricks.jpg", "text": "text.png"}
#: Pixels of the working copy every interaction runs on (full resolution only for downloads).
#: 750 000 is 1000 x 750: a 12 MP 4:3 phone JPEG decodes straight to it at DCT scale 1/4 (no
#: resampling), which makes the first render ~5x faster than a full decode (bench/upload.py), and
#: a kernel change on it costs a few ms of filtering (docs/BENCHMARKS.md). It still fills the
#: page's two image columns on a 1920-px screen.
WORKING_PIXELS = 750_000
UPLOAD_TYPES = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff"]
#: ``st.image`` shrinks a picture wider than this to this width (its MAXIMUM_CONTENT_WIDTH).
ST_IMAGE_MAX_WIDTH = 1460


@dataclass(frozen=True)
class Picture:
    """The current picture: working copy, a label for captions/file names, and the original bytes."""

    image: np.ndarray
    label: str
    data: bytes | memoryview
    digest: str

    @property
    def stem(self) -> str:
        stem = Path(self.label).stem or "image"
        return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in stem)[:60]


# Bounded by count and by pickled size: a working copy is ~2.3 MB, so 80 MB holds ~35 of them
# (every sample plus recent uploads) and the whole server stays within a 690 MB box with 40
# sessions (bench/capacity.py). Each session also keeps its own copy in session_state.
@st.cache_data(max_entries=32, max_size="80MB", show_spinner=False)
def _working_copy(digest: str, _data: bytes) -> np.ndarray:
    # Keyed on the SHA-256 of the bytes (computed once per upload), not on the bytes themselves,
    # so a 12 MB photo is not re-hashed on every rerun.
    return convviz.load_image(_data, target_pixels=WORKING_PIXELS)


# Full-resolution PNGs are 10-30 MB each: keep the last two downloads only.
@st.cache_data(max_entries=2, max_size="64MB", show_spinner=False)
def _full_result(digest: str, _data: bytes, kernel: bytes, shape: tuple[int, int], mode: str,
                 flip: bool, grey: bool, how: str) -> bytes:
    image = convviz.load_image(_data)
    if grey:
        image = convviz.to_grey(image)
    k = np.frombuffer(kernel, dtype=np.float64).reshape(shape)
    raw = convviz.filtering.filter_signed(image, k, mode=mode, flip=flip)
    return convviz.images.encode_png(convviz.to_display(raw, how=how))


def full_resolution_png(picture: Picture, kernel: np.ndarray, *, mode: str, flip: bool, grey: bool,
                        how: str) -> bytes:
    """PNG of the result at the original resolution (computed on demand for the download)."""
    k = np.ascontiguousarray(kernel, dtype=np.float64)
    with FULL_SIZE_WORK:  # a full-size photo needs hundreds of MB for a moment: one at a time
        return _full_result(picture.digest, picture.data, k.tobytes(), k.shape, mode, flip, grey, how)


def jpeg_bytes(image: np.ndarray, *, quality: int = 88) -> bytes:
    """``image`` (made showable by :func:`for_display`) as JPEG bytes for ``st.image``.

    ``st.image`` encodes an array as a quality-100 JPEG on every rerun; handing it bytes skips
    that, and quality 88 is indistinguishable on screen at a fraction of the size and time.
    """
    buf = io.BytesIO()
    Image.fromarray(for_display(image)).save(buf, "JPEG", quality=quality)
    return buf.getvalue()


@st.cache_data(max_entries=64, max_size="32MB", show_spinner=False)
def before_jpeg(digest: str, grey: bool, _image: np.ndarray) -> bytes:
    """The unchanged "before" picture, encoded once per picture (keyed on its digest), not per rerun."""
    return jpeg_bytes(_image)


def for_display(image: np.ndarray) -> np.ndarray:
    """``image`` in a form ``st.image`` can always show: very wide strips get their rows repeated.

    ``st.image`` shrinks a picture wider than 1460 px to 1460 px, rounding the new height
    down: a 20000 x 1 strip would become 0 rows high and Pillow raises "height and width must
    be > 0", crashing the page. Repeating the rows keeps the look of the strip (a one-pixel
    line is invisible anyway) and changes nothing that is computed.

    >>> for_display(np.zeros((1, 20000, 3), np.uint8)).shape
    (14, 20000, 3)
    >>> for_display(np.zeros((300, 400), np.uint8)).shape
    (300, 400)
    """
    h, w = image.shape[:2]
    if w <= ST_IMAGE_MAX_WIDTH * h:
        return image
    return np.repeat(image, -(-w // (ST_IMAGE_MAX_WIDTH * h)), axis=0)


def _current(digest: str, label: str) -> Picture | None:
    """The session's picture if it is already this one: reruns then reuse its working copy.

    (``st.cache_data`` returns a fresh unpickled copy on every call; keeping one per session
    saves a copy per rerun and per live session, see docs/BENCHMARKS.md.)
    """
    current = st.session_state.get("cv_picture")
    return current if current is not None and current.digest == digest and current.label == label else None


@st.cache_data(max_entries=len(SAMPLES), show_spinner=False)
def _sample_bytes(name: str) -> tuple[bytes, str]:
    data = (SAMPLES_DIR / SAMPLES[name]).read_bytes()
    return data, hashlib.sha256(data).hexdigest()


def sample_picture(name: str) -> Picture:
    """Sample ``name`` as a :class:`Picture` (decoded once for all sessions, keyed on its digest)."""
    data, digest = _sample_bytes(name)
    return _current(digest, SAMPLES[name]) or Picture(_working_copy(digest, data), SAMPLES[name], data, digest)


def _from_upload(file) -> Picture | None:
    """Decode an uploaded file once per upload; on failure show why and return ``None``."""
    # getbuffer(): a view of the upload Streamlit already holds, not a copy per rerun.
    data = file.getbuffer()
    cache = st.session_state.setdefault("_cv_uploads", {})
    if file.file_id not in cache:
        cache.clear()  # only the newest upload's digest is worth keeping
        cache[file.file_id] = hashlib.sha256(data).hexdigest()
    digest = cache[file.file_id]
    label = file.name or "upload"
    if (picture := _current(digest, label)) is not None:
        return picture
    try:
        image = _working_copy(digest, data)
    except convviz.ImageError as err:
        show_error(err, prefix_key="kernels.upload_failed")
        return None
    return Picture(image, label, data, digest)


def pick_picture() -> Picture:
    """Render the image-source controls and return the picture to work on."""
    source = choice("segmented_control",
        t("kernels.source"), ["sample", "upload", "camera"], default="sample", required=True,
        format_func=lambda s: t(f"kernels.sources.{s}"), key="kernels_source")
    picture: Picture | None = None
    if source == "sample":
        name = choice("selectbox", t("kernels.sample"), list(SAMPLES), format_func=lambda s: t(f"kernels.samples.{s}"),
                      key="kernels_sample")
        picture = sample_picture(name)
    elif source == "upload":
        file = st.file_uploader(t("kernels.upload"), type=UPLOAD_TYPES, key="kernels_upload",
                                help=t("kernels.upload_help"))
        if file is not None:
            picture = _from_upload(file)
    else:
        shot = st.camera_input(t("kernels.camera"), key="kernels_camera")
        if shot is not None:
            picture = _from_upload(shot)
    if picture is None:
        # Nothing (valid) chosen: keep the previous picture, else the first sample.
        picture = st.session_state.get("cv_picture") or sample_picture(next(iter(SAMPLES)))
        if source != "sample":
            st.caption(t("kernels.using_previous", name=picture.label))
    st.session_state["cv_picture"] = picture
    st.session_state["cv_image"] = picture.image
    return picture
