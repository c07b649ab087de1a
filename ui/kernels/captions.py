"""Captions that say what the screen shows of a picture (reduced working copy, thin strips)."""
from __future__ import annotations

import streamlit as st

from convviz.pictures import original_size, size_notes
from ui.common.i18n import t


@st.cache_data(max_entries=64, show_spinner=False)
def _original(digest: str, _data: bytes) -> tuple[int, int] | None:
    try:
        return original_size(_data)
    except Exception:  # noqa: BLE001 - the picture decoded already; a header we cannot read changes nothing
        return None


def before_caption(picture, h: int, w: int) -> str:
    """``Before: photo.jpg (1000 × 750)`` plus what was changed for the screen, in the current language."""
    text = t("kernels.before", name=picture.label, h=h, w=w)
    original = _original(picture.digest, picture.data) or (h, w)
    for note in size_notes((h, w), original):
        text += " " + t(f"kernels.size_notes.{note}", oh=original[0], ow=original[1])
    return text
