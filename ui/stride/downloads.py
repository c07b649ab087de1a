"""The Stride and Padding page's downloads: the animation as a GIF for a slide, one step as a PNG."""
from __future__ import annotations

import streamlit as st

from convviz.sliding import DEFAULT_LABELS, Slide, animation_gif, frame_png
from ui.common.i18n import t

__all__ = ["picture_labels", "picture_bytes"]


def picture_labels() -> tuple[tuple[str, str], ...]:
    """The words drawn into the pictures, in the current language (part of the cache key)."""
    return tuple((word, t(f"stride.player.{word}")) for word in DEFAULT_LABELS)


# One cache for both downloads (a GIF is up to a few MB, a PNG a few hundred KB): 16 entries.
@st.cache_data(max_entries=16, show_spinner=False)
def picture_bytes(key: tuple, labels: tuple, step: int | None = None) -> bytes:
    """The slide GIF (``step=None``) or one step's PNG of the setting whose :meth:`Slide.key` is ``key``."""
    fs = Slide.from_key(key).frames()
    if step is None:
        return animation_gif(fs, labels=dict(labels))
    return frame_png(fs, step, labels=dict(labels))
