"""The Image Kernels page's pictures: the filtered result, the "before" picture and the full-size download.

Each is encoded once where it can be shared: a sample's results once for the whole class
(``st.cache_data``, keyed on digests and the kernel's bytes), an upload's per student. Heavy work
queues on :mod:`ui.server.throttle`'s semaphores.
"""
from __future__ import annotations

import io

import numpy as np
import streamlit as st
from PIL import Image

import convviz
from convviz.filters import filter_display
from convviz.pictures import encode_png
from ui.common.photo import Picture, is_sample
from ui.server.throttle import FULL_SIZE_WORK, HEAVY_WORK

#: ``st.image`` shrinks a picture wider than this to this width (its MAXIMUM_CONTENT_WIDTH).
ST_IMAGE_MAX_WIDTH = 1460


# Full-resolution PNGs are 10-30 MB each: keep the last two downloads only.
@st.cache_data(max_entries=2, max_size="64MB", show_spinner=False)
def _full_result(digest: str, _data: bytes, kernel: bytes, shape: tuple[int, int], mode: str,
                 flip: bool, grey: bool, how: str) -> bytes:
    image = convviz.load_image(_data)
    if grey:
        image = convviz.to_grey(image)
    k = np.frombuffer(kernel, dtype=np.float64).reshape(shape)
    # Strip by strip: no 12 MP float32 response (144 MB, 288 MB with "abs") on a shared server.
    shown = filter_display(image, k, mode=mode, flip=flip, how=how)
    image = None  # the decoded original (36 MB) goes before the PNG encoder makes its own copy
    return encode_png(shown)


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
    this call, which queues on :data:`ui.server.throttle.HEAVY_WORK`: with a class clicking at once,
    at most that many of them are alive, not one per waiting session. Raises
    :class:`convviz.ConvVizError` for a kernel that cannot be applied.
    """
    with HEAVY_WORK:
        raw = convviz.filter_signed(source, kernel, mode=mode, flip=flip)
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
