"""Training digits drawn back as pictures: on a white canvas (as a student draws), as a photo, as a data URL.

An 8 x 8 UCI digit counts the ink of 4 x 4 blocks of a 32 x 32 black-and-white bitmap; :func:`bitmap`
makes one such bitmap (in each block, the counted pixels nearest its middle; in the top and bottom
rows of the digit, the pixels nearest its edge, since the digits' height filled their bitmaps).
"""
from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image
from scipy import ndimage

#: The pixels of a 4 x 4 block, nearest its middle first.
_MIDDLE_FIRST = np.argsort(((np.indices((4, 4)) - 1.5) ** 2).sum(0).ravel(), kind="stable")
_TOP_FIRST = np.arange(16)
_BOTTOM_FIRST = np.arange(16)[::-1]


def bitmap(digit: np.ndarray) -> np.ndarray:
    """A 32 x 32 bool bitmap whose 4 x 4 blocks hold ``digit * 16`` ink pixels each."""
    counts = np.rint(np.asarray(digit) * 16).astype(int)
    rows = np.flatnonzero(counts.any(axis=1))
    out = np.zeros((32, 32), bool)
    for r in range(8):
        order = _TOP_FIRST if r == rows[0] else _BOTTOM_FIRST if r == rows[-1] else _MIDDLE_FIRST
        for c in range(8):
            cell = np.zeros(16, bool)
            cell[order[:counts[r, c]]] = True
            out[4 * r:4 * r + 4, 4 * c:4 * c + 4] = cell.reshape(4, 4)
    return out


def solid(digit: np.ndarray) -> np.ndarray:
    """:func:`bitmap` with the gaps between its partly filled blocks closed: strokes in one piece, as a pen writes."""
    b = bitmap(digit)
    return b | ndimage.binary_closing(np.pad(b, 2), iterations=2)[2:-2, 2:-2]


def drawn(digit: np.ndarray, *, scale: int = 6, margins: tuple[int, int, int, int] = (20, 20, 20, 20),
          pen: bool = False) -> np.ndarray:
    """``digit``'s bitmap (:func:`solid` with ``pen``) enlarged ``scale`` times, black on a white uint8 canvas
    with ``(top, bottom, left, right)`` margins."""
    big = np.kron(solid(digit) if pen else bitmap(digit), np.ones((scale, scale), bool))
    top, bottom, left, right = margins
    page = np.full((big.shape[0] + top + bottom, big.shape[1] + left + right), 255, np.uint8)
    page[top:top + big.shape[0], left:left + big.shape[1]][big] = 0
    return page


def photo(digit: np.ndarray, *, seed: int = 0, scale: int = 8) -> np.ndarray:
    """``digit`` (:func:`solid`) in grey-black ink on grey paper, photographed: uneven light, noise, a speck.

    RGB uint8."""
    rng = np.random.default_rng(seed)
    ink = np.kron(solid(digit), np.ones((scale, scale), bool))
    h, w = ink.shape[0] + 120, ink.shape[1] + 160
    light = np.linspace(150, 215, w)[None, :] * np.linspace(0.9, 1.0, h)[:, None]  # darker to the left and top
    grey = light + rng.normal(0, 4, (h, w))
    grey[60:60 + ink.shape[0], 80:80 + ink.shape[1]][ink] = 55 + rng.normal(0, 6, int(ink.sum()))
    grey[10:12, w - 14:w - 12] = 60  # a speck of dust
    rgb = np.clip(grey, 0, 255).astype(np.uint8)[:, :, None].repeat(3, axis=2)
    rgb[:, :, 2] = np.clip(rgb[:, :, 2] * 0.92, 0, 255).astype(np.uint8)  # warm light
    return rgb


def png(image: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, "PNG")
    return buf.getvalue()


def data_url(image: np.ndarray) -> str:
    """A canvas drawing as the browser sends it: ``data:image/png;base64,...``."""
    return "data:image/png;base64," + base64.b64encode(png(image)).decode("ascii")


def on_canvas(digit: np.ndarray, side: int = 280) -> np.ndarray:
    """``digit`` drawn across most of a ``side x side`` canvas (as on the Try-it canvas), RGB."""
    big = drawn(digit, scale=6, margins=(0, 0, 0, 0))
    page = np.full((side, side), 255, np.uint8)
    top, left = (side - big.shape[0]) // 2, (side - big.shape[1]) // 2
    page[top:top + big.shape[0], left:left + big.shape[1]] = big
    return page[:, :, None].repeat(3, axis=2)
