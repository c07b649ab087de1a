"""Telling a student that their upload is gone after the server that held it went away.

Uploaded files live in the memory of the one Streamlit process that received them. When that
process dies (a replica is killed, restarted or redeployed), the browser reconnects to another
one and reruns the page with the widget states it still has: the uploader still lists the file,
but the new process does not have its bytes. Streamlit then hands the widget a
``DeletedFile`` placeholder and ``st.file_uploader`` / ``st.camera_input`` return ``None``, so a
page would silently fall back to a sample. :func:`missing_picture_notice` says what happened instead.
"""
from __future__ import annotations

import streamlit as st

from ui.common.i18n import t
from ui.server.streamlit_internals import is_deleted_file


def upload_lost(key: str) -> bool:
    """Whether the uploader/camera widget ``key`` names a file this server does not have.

    Call it after the widget. ``st.session_state[key]`` keeps the widget's value before the
    widget function filters ``DeletedFile`` out of it.
    """
    try:
        value = st.session_state[key]
    except KeyError:  # widget not rendered in this run
        return False
    values = value if isinstance(value, list) else [value]
    return any(is_deleted_file(v) for v in values)


def missing_picture_notice(key: str, showing: str, *, had_previous: bool) -> None:
    """Say why the picture ``showing`` is shown although the source is widget ``key`` (upload/camera).

    - the widget names a file this server lost: a warning to upload it again;
    - else the session had a picture before: "showing the previous picture";
    - else (a fresh session, e.g. opened from a link with ``kernels_source=Upload``): "no photo
      chosen yet", never "previous".
    """
    if upload_lost(key):
        st.warning(t("kernels.upload_lost", name=showing), icon=":material/cloud_off:")
    elif had_previous:
        st.caption(t("kernels.using_previous", name=showing))
    else:
        st.caption(t("kernels.no_upload_yet", name=showing))
