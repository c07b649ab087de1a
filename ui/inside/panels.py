"""Views of the Inside a Conv Layer page: its cached layers, its picture grids, its weight tables.

All numbers come from :mod:`convviz.features.planes`, :mod:`convviz.features.worked` and :mod:`convviz.features.maps`;
this module writes and draws them.
"""
from __future__ import annotations

import hashlib
import html
import io

import numpy as np
import pandas as pd
import streamlit as st
from PIL import Image

from convviz import ConvVizError
from convviz.features import DemoLayer, Stage, check_mix_matrix, demo_layer, feature_maps, thumbnail
from convviz.filters import SIGNED_DISPLAYS
from convviz.numbers import format_significant
from convviz.pictures import GREYS, PLANE_COLOURS
from ui.common import keys
from ui.common.choice import choice
from ui.common.i18n import t
from ui.common.number_cells import PLANE_NAMES, cell_html, signed_colour, table_html


def signed_choice(key: str, default: str = "midgrey") -> str:
    """The same three choices as the Image Kernels page for showing negative values.

    Mid-grey is the default here: the partial sums and pre-ReLU maps are about the sign.
    """
    return choice("segmented_control", t("inside.signed"), SIGNED_DISPLAYS, default=default, required=True,
                  format_func=lambda h: t(f"kernels.signed_modes.{h}"), key=key, help=t("inside.signed_help"))


def legend(how: str, black: float, white: float) -> None:
    """What black and white mean in the pictures just shown."""
    st.caption(t(f"inside.legend.{how}", black=format_significant(black, 3), white=format_significant(white, 3)))


def scale_text(how: str, white: float) -> str:
    """What white stands for in one picture of a grid: ``white = 0.5`` or ``±0.5`` (zero = mid-grey)."""
    return t("inside.maps.range" if how == "midgrey" else "inside.maps.white", white=format_significant(white, 2))


def zoomed(width: int, zoom: float) -> int:
    """A picture width ``zoom`` times ``width`` (whole pixels, rounded down).

    >>> zoomed(64, 0.75), zoomed(63, 1.25), zoomed(48, 2)
    (48, 78, 96)
    """
    return int(width * zoom)


@st.cache_data(max_entries=1024, max_size="48MB", show_spinner=False)
def _png(key: bytes, width: int, _picture: np.ndarray) -> bytes:
    image = Image.fromarray(_picture)
    if image.width > width:  # what st.image would otherwise do on every run (same filter)
        image = image.resize((width, max(1, round(image.height * width / image.width))), Image.BILINEAR)
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def png_bytes(picture: np.ndarray, width: int) -> bytes:
    """``picture`` (uint8) as PNG bytes for ``st.image(..., width=width)``, encoded once for all sessions.

    The Inside page draws dozens of small maps per run, and a class mostly looks at the same
    sample with the same settings: keyed on a digest of the pixels, each map is encoded (and,
    if wider than ``width``, shrunk) once, and ``st.image`` passes the bytes through untouched.
    """
    picture = np.ascontiguousarray(picture)
    key = hashlib.blake2b(picture.data, digest_size=16).digest() + repr((picture.shape, picture.dtype.str)).encode()
    return _png(key, int(width), picture)


def map_grid(pictures: np.ndarray | list[np.ndarray], captions: list[str], *, width: int, zoom: float = 1) -> None:
    """A grid of small pictures with captions (flows onto several lines), each :func:`zoomed` from ``width``."""
    pictures = list(pictures)
    # Streamlit scales each picture to `width`; a 1-pixel-high strip needs width >= its aspect
    # ratio or it would be scaled to zero rows.
    aspect = max((-(-p.shape[1] // max(1, p.shape[0])) for p in pictures), default=1)
    width = max(24, zoomed(width, zoom), aspect)
    st.image([png_bytes(p, width) for p in pictures], caption=captions, alt=captions, width=width, output_format="PNG")


def kernel_slices_html(weight: np.ndarray, names: tuple[str, ...] = PLANE_NAMES) -> str:
    """One ``k x k`` table per input channel of one output channel's kernel ``(C_in, k, k)``."""
    parts = []
    for c, k in enumerate(weight):
        rows = [[cell_html(format_significant(v, 3), fg=signed_colour(v), small=k.shape[0] > 3) for v in row]
                for row in k]
        colour = PLANE_COLOURS[c] if len(weight) == 3 else GREYS["label"]
        parts.append(f'<div><b style="color:{colour}">{html.escape(names[c])}</b>'
                     + table_html("", rows) + "</div>")
    return '<div style="display:flex;gap:18px;flex-wrap:wrap;align-items:flex-start">' + "".join(parts) + "</div>"


def matrix_html(matrix: np.ndarray) -> str:
    """The 1x1 weights as a ``C_out x 3`` table with R, G, B column headers."""
    head = "<tr><td></td>" + "".join(
        f'<td style="text-align:center;color:{PLANE_COLOURS[c]};font-weight:bold">{n}</td>'
        for c, n in enumerate(PLANE_NAMES)) + "</tr>"
    body = "".join(f'<tr><td style="padding-right:6px;color:{GREYS["caption"]}">{o}</td>'
                   + "".join(cell_html(format_significant(v, 3), fg=signed_colour(v)) for v in row) + "</tr>"
                   for o, row in enumerate(matrix))
    return f'<table style="border-collapse:collapse">{head}{body}</table>'


#: Longest side of the photo on this page (the layers run on every rerun).
PHOTO_SIZE = 192


@st.cache_data(max_entries=8, show_spinner=False)
def small_photo(key: str, _image: np.ndarray) -> np.ndarray:
    """The photo at most :data:`PHOTO_SIZE` on its longer side (``key``: its :func:`ui.common.photo.digest`)."""
    return thumbnail(_image, PHOTO_SIZE)


@st.cache_data(max_entries=16, max_size="24MB", show_spinner=False)
def layer_parts(key: str, c_out: int, k: int, o: int, _planes: np.ndarray) -> DemoLayer:
    """The demo Conv2d(3, c_out, k) on the photo: output channel ``o`` taken apart, and every output."""
    return demo_layer(_planes, c_out, k, out_channel=o)


@st.cache_data(max_entries=8, show_spinner=False)
def photo_maps(key: str, colour: bool, _image: np.ndarray) -> tuple[Stage, ...]:
    """The photo's feature maps through the hand-set network (:func:`convviz.features.feature_maps`)."""
    return feature_maps(_image, colour=colour)


def custom_mix() -> np.ndarray | None:
    """The 1x1 weights a student types into a table (R, G, B columns, identity to start).

    ``None``, with an error shown, while they are not a valid matrix (:func:`convviz.features.check_mix_matrix`).
    """
    edited = st.data_editor(pd.DataFrame(np.eye(3), columns=list(PLANE_NAMES)), key=keys.INSIDE_MIX_MATRIX,
                            num_rows="dynamic", hide_index=True,
                            column_config={c: st.column_config.NumberColumn(c, format="%.3g") for c in PLANE_NAMES})
    st.caption(t("inside.mix.custom_help"))
    try:
        return check_mix_matrix(edited.to_numpy(dtype=float, na_value=np.nan))
    except (ConvVizError, ValueError, TypeError):
        st.error(t("inside.mix.bad_matrix"), icon=":material/error:")
        return None
