"""Where the picture comes from, on the Image Kernels page: a sample, an upload or the camera.

:func:`pick_picture` draws the controls and puts the chosen :class:`~ui.common.photo.Picture` in the
session (``st.session_state[keys.PICTURE]``), where the other pages find it. A bad upload shows an
error and leaves the previous image (or the sample) in place.
"""
from __future__ import annotations

import streamlit as st

import convviz
from ui.common import keys
from ui.common.choice import choice
from ui.common.i18n import t
from ui.common.messages import show_error
from ui.common.photo import SAMPLES, Picture, decode_upload, sample_picture
from ui.server.lost_upload import missing_picture_notice  # after a replica was lost (docs/DEPLOY.md)

UPLOAD_TYPES = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff"]


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
        picture = decode_upload(file.getvalue(), file.name or "upload")
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
        return decode_upload(shot.getvalue(), shot.name or "camera")
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
