"""Views of the Inside a Conv Layer page: its photo, its picture grids, its weight tables.

All numbers come from :mod:`convviz.features.planes`, :mod:`convviz.features.worked` and :mod:`convviz.features.maps`;
this module writes and draws them.
"""
from __future__ import annotations

import hashlib
import html
import io

import numpy as np
import streamlit as st
from PIL import Image

from convviz.filters.display import SIGNED_DISPLAYS
from convviz.numbers import format_significant
from convviz.pictures.palette import GREYS, PLANE_COLOURS
from ui import keys
from ui.choice import choice
from ui.i18n import t
from ui.image_source import SAMPLES, sample_picture
from ui.number_cells import PLANE_NAMES, cell_html, signed_colour, table_html


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
