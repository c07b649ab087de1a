"""Where the picture comes from: a sample, an upload or the camera.

The chosen image lives in the session as a :class:`Picture` (``st.session_state[keys.PICTURE]``,
shared with the other pages): a small working copy plus the original bytes for the
full-resolution download. A bad upload shows an error and leaves the previous image (or the
sample) in place.
"""
from __future__ import annotations

import hashlib
import io
import weakref
from pathlib import Path

import numpy as np
from PIL import Image
import streamlit as st
from streamlit.errors import StreamlitAPIException

import convviz
from ui import keys
from ui.choice import choice
from ui.i18n import t
from ui.messages import show_error
from ui.lost_upload import missing_picture_notice  # after a replica was lost (docs/DEPLOY.md)
from ui.throttle import DECODE_WORK, FULL_SIZE_WORK, HEAVY_WORK

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "assets" / "samples"
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
UPLOAD_TYPES = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff"]
#: ``st.image`` shrinks a picture wider than this to this width (its MAXIMUM_CONTENT_WIDTH).
ST_IMAGE_MAX_WIDTH = 1460


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


# Full-resolution PNGs are 10-30 MB each: keep the last two downloads only.
@st.cache_data(max_entries=2, max_size="64MB", show_spinner=False)
def _full_result(digest: str, _data: bytes, kernel: bytes, shape: tuple[int, int], mode: str,
                 flip: bool, grey: bool, how: str) -> bytes:
    image = convviz.load_image(_data)
    if grey:
        image = convviz.to_grey(image)
    k = np.frombuffer(kernel, dtype=np.float64).reshape(shape)
    # Strip by strip: no 12 MP float32 response (144 MB, 288 MB with "abs") on a shared server.
    shown = convviz.filters.display.filter_display(image, k, mode=mode, flip=flip, how=how)
    image = None  # the decoded original (36 MB) goes before the PNG encoder makes its own copy
    return convviz.pictures.images.encode_png(shown)


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


def result_jpeg(source: np.ndarray, kernel: np.ndarray, *, mode: str, flip: bool, how: str) -> bytes:
    """The filtered picture, ready for ``st.image``: JPEG bytes of :func:`convviz.to_display`.

    The float32 response (9 MB for a working copy) and its display copy exist only inside
    this call, which queues on :data:`ui.throttle.HEAVY_WORK`: with a class clicking at once,
    at most that many of them are alive, not one per waiting session. Raises
    :class:`convviz.ConvVizError` for a kernel that cannot be applied.
    """
    with HEAVY_WORK:
        raw = convviz.filters.filtering.filter_signed(source, kernel, mode=mode, flip=flip)
        return jpeg_bytes(convviz.to_display(raw, how=how))


# A class starts on the same sample and clicks through the same presets: each result is filtered
# and encoded once for everybody (~100-200 kB of JPEG per entry). Uploads are not cached: each
# student's photo is their own, and a cache would only hold a second copy of their results.
@st.cache_data(max_entries=96, max_size="24MB", show_spinner=False)
def _sample_result(digest: str, grey: bool, kernel: bytes, shape: tuple[int, int], mode: str, flip: bool,
                   how: str, _source: np.ndarray) -> bytes:
    k = np.frombuffer(kernel, dtype=np.float64).reshape(shape)
    return result_jpeg(_source, k, mode=mode, flip=flip, how=how)


def shown_result(picture: Picture, source: np.ndarray, kernel: np.ndarray, *, grey: bool, mode: str, flip: bool,
                 how: str) -> bytes:
    """:func:`result_jpeg` of ``source`` (``picture``'s working copy, grey or not), shared between sessions for samples.

    Raises :class:`convviz.ConvVizError` for a kernel that cannot be applied.
    """
    if not is_sample(picture):
        return result_jpeg(source, kernel, mode=mode, flip=flip, how=how)
    k = np.ascontiguousarray(kernel, dtype=np.float64)
    return _sample_result(picture.digest, grey, k.tobytes(), k.shape, mode, flip, how, source)


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


def _decode(data: bytes, label: str) -> Picture:
    """A :class:`Picture` of uploaded bytes. Raises :class:`convviz.ImageError`.

    Uploads are decoded outside ``st.cache_data``: each student's photo is their own, so a
    shared cache would only hold a second working copy of it. Decodes queue on
    :data:`ui.throttle.DECODE_WORK` so a class uploading at once does not decode 40 photos at once.
    """
    digest = hashlib.sha256(data).hexdigest()
    if (picture := _current(digest, label)) is not None:
        return picture
    with DECODE_WORK:
        image = _decode_working(data)
    picture = Picture(image, label, data, digest, releasable=True)
    _remember(picture)
    return picture


def _on_upload() -> None:
    """The uploader received a file: decode it before the run, keep its bytes once.

    ``st.session_state[key]`` is the uploader's own value (Streamlit's stored bytes, not a
    copy), so the :class:`Picture` shares them. The run that follows shows the picture and no
    longer renders the uploader: a rendered uploader makes Streamlit deep-copy the whole file
    on every rerun, ~3 MB per student per click (docs/BENCHMARKS.md).
    """
    file = st.session_state.get(keys.KERNELS_UPLOAD)
    st.session_state.pop(keys.UPLOAD_ERROR, None)
    if file is None:
        return
    try:
        picture = _decode(file.getvalue(), file.name or "upload")
    except convviz.ImageError as err:
        st.session_state[keys.UPLOAD_ERROR] = err
        return
    st.session_state[keys.LAST_UPLOAD] = picture
    st.session_state[keys.UPLOAD_REPLACING] = False


def _upload_another() -> None:
    st.session_state[keys.UPLOAD_REPLACING] = True


def _uploaded_picture() -> Picture | None:
    """The upload controls: a file uploader, or, once a photo is in, its name and "upload another"."""
    last = st.session_state.get(keys.LAST_UPLOAD)
    if last is not None and not st.session_state.get(keys.UPLOAD_REPLACING):
        st.caption(t("kernels.upload_current", name=last.label))
        st.button(t("kernels.upload_another"), icon=":material/upload:", key=keys.KERNELS_UPLOAD_ANOTHER,
                  on_click=_upload_another)
        return last
    st.file_uploader(t("kernels.upload"), type=UPLOAD_TYPES, key=keys.KERNELS_UPLOAD,
                     help=t("kernels.upload_help"), on_change=_on_upload)
    if (err := st.session_state.pop(keys.UPLOAD_ERROR, None)) is not None:
        show_error(err, prefix_key="kernels.upload_failed")
    return None


def _from_camera(shot) -> Picture | None:
    """Decode a camera shot (small: a webcam frame); on failure show why and return ``None``."""
    try:
        return _decode(shot.getvalue(), shot.name or "camera")
    except convviz.ImageError as err:
        show_error(err, prefix_key="kernels.upload_failed")
        return None


def pick_picture() -> Picture:
    """Render the image-source controls and return the picture to work on."""
    source = choice("segmented_control",
        t("kernels.source"), ["sample", "upload", "camera"], default="sample", required=True,
        format_func=lambda s: t(f"kernels.sources.{s}"), key=keys.KERNELS_SOURCE)
    picture: Picture | None = None
    if source == "sample":
        name = choice("selectbox", t("kernels.sample"), list(SAMPLES), format_func=lambda s: t(f"kernels.samples.{s}"),
                      key=keys.KERNELS_SAMPLE)
        picture = sample_picture(name)
    elif source == "upload":
        picture = _uploaded_picture()
    else:
        shot = st.camera_input(t("kernels.camera"), key=keys.KERNELS_CAMERA)
        if shot is not None:
            picture = _from_camera(shot)
    if picture is None:
        # Nothing (valid) chosen: keep the previous picture, else the first sample.
        previous = st.session_state.get(keys.PICTURE)
        picture = previous or sample_picture(next(iter(SAMPLES)))
        if source != "sample":
            widget = keys.KERNELS_UPLOAD if source == "upload" else keys.KERNELS_CAMERA
            missing_picture_notice(widget, picture.label, had_previous=previous is not None)
    st.session_state[keys.PICTURE] = picture
    return picture
