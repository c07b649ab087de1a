"""What kernel the Image Kernels page applied, read from what it shows (its kernel table)."""
from __future__ import annotations

import numpy as np

from ui.common.i18n import catalog
from ui.kernels.widgets import kernel_table_html


def kernel_tables(at) -> list[str]:
    """The HTML of every kernel table on the page (one when a kernel is applied, none otherwise)."""
    return [h.proto.body for h in at.get("html") if 'class="cv-kernel"' in h.proto.body]


def shows_kernel(at, kernel, *, flipped: bool = False, lang: str = "en") -> bool:
    """Whether the page's kernel table is the one of ``kernel`` (rotated 180 degrees when ``flipped``)."""
    k = np.asarray(kernel, dtype=float)
    if flipped:
        k = k[::-1, ::-1]
    title = catalog(lang)["kernels.applied_flipped" if flipped else "kernels.applied"]
    return kernel_tables(at) == [kernel_table_html(k, title)]
