"""Values to animate: small integer grids and kernels that show something, from a seed, a pattern or a photo.

The Stride and Padding page fills its input grid and its kernel from here, so a class sees the
same numbers for the same seed.

>>> sample_values("random", (2, 3), seed=1).shape, default_weights("ones", 2).tolist()
((2, 3), [[1, 1], [1, 1]])
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .display import LUMA
from .errors import GeometryError
from .geometry import as_pair
from .images import resize

__all__ = ["VALUE_SOURCES", "WEIGHT_PRESETS", "sample_values", "default_weights"]

#: Ways :func:`sample_values` fills the input grid.
VALUE_SOURCES = ("random", "pattern", "image")
#: Kernels :func:`default_weights` can make.
WEIGHT_PRESETS = ("edge_v", "edge_h", "ones", "random")


def sample_values(source: str, shape: Any, *, seed: int = 0, image: Any = None,
                  levels: int = 10) -> np.ndarray:
    """Small integers ``0 .. levels-1`` to put on the input grid.

    Parameters
    ----------
    source : {"random", "pattern", "image"}
        ``"random"``: uniform, reproducible from ``seed``; ``"pattern"``: a bright
        block on a dark background (edges for an edge kernel to find); ``"image"``: the
        grey values of ``image`` (an ``(H, W, 3)`` or ``(H, W)`` uint8 array), centre-cropped to
        the grid's aspect ratio, averaged down and scaled to ``levels`` steps.
    shape : int or (int, int)
        Grid ``(H, W)``.

    Returns
    -------
    numpy.ndarray of int64

    Examples
    --------
    >>> sample_values("pattern", (5, 6))
    array([[1, 1, 1, 1, 1, 1],
           [1, 1, 5, 5, 1, 1],
           [1, 1, 5, 5, 1, 1],
           [1, 1, 5, 5, 1, 1],
           [1, 1, 1, 1, 1, 1]])
    >>> img = np.full((40, 40, 3), 255, np.uint8); img[:, :20] = 0
    >>> sample_values("image", (2, 2), image=img).tolist()
    [[0, 9], [0, 9]]
    """
    h, w = as_pair(shape, "input size", minimum=1)
    if source == "random":
        return np.random.default_rng(seed).integers(0, levels, size=(h, w)).astype(np.int64)
    if source == "pattern":
        out = np.ones((h, w), np.int64)
        r0, r1 = round(h / 4 + 0.01), round(3 * h / 4 - 0.01)
        c0, c1 = round(w / 4 + 0.01), round(3 * w / 4 - 0.01)
        out[r0: max(r1, r0 + 1), c0: max(c1, c0 + 1)] = 5
        return out
    if source == "image":
        if image is None:
            raise GeometryError("image must be given for source='image'", "bad_shape", param="image", shape="None")
        arr = np.asarray(image)
        if arr.ndim == 3:
            # Unrounded luma (not convviz.to_grey's uint8): the grid's levels are cut from the exact average.
            grey = arr[..., :3].astype(np.float64) @ LUMA
        elif arr.ndim == 2:
            grey = arr.astype(np.float64)
        else:
            raise GeometryError(f"image must be (H, W) or (H, W, 3), got shape {arr.shape}", "bad_shape",
                                param="image", shape=str(arr.shape))
        ih, iw = grey.shape
        # Centre crop to the grid's aspect ratio so cells stay square.
        if ih * w > iw * h:
            ch, cw = max(1, round(iw * h / w)), iw
        else:
            ch, cw = ih, max(1, round(ih * w / h))
        top, left = (ih - ch) // 2, (iw - cw) // 2
        crop = grey[top: top + ch, left: left + cw]
        small = resize(crop.astype(np.float32), (h, w), method="box")
        return np.clip(np.rint(small / 255.0 * (levels - 1)), 0, levels - 1).astype(np.int64)
    raise GeometryError(f"source must be one of {VALUE_SOURCES}, got {source!r}", "bad_choice", param="source",
                        value=source)


def default_weights(preset: str, shape: Any, *, seed: int = 0) -> np.ndarray:
    """A small integer kernel of ``shape`` that does something visible.

    ``"edge_v"``: +1 on the left columns, -1 on the right, 0 in the middle (finds
    vertical edges); ``"edge_h"`` the same for rows; ``"ones"``: all 1 (a plain sum);
    ``"random"``: integers -2..2. An edge kernel one cell wide has no left and right, so
    it falls back to ones.

    Examples
    --------
    >>> default_weights("edge_v", 3)
    array([[ 1,  0, -1],
           [ 1,  0, -1],
           [ 1,  0, -1]])
    >>> default_weights("edge_h", (2, 1)).tolist()
    [[1], [-1]]
    """
    h, w = as_pair(shape, "kernel_size", minimum=1)
    if preset in ("edge_v", "edge_h"):
        n = w if preset == "edge_v" else h
        centre = (n - 1) / 2
        line = np.sign(centre - np.arange(n)).astype(np.int64)
        if not line.any():
            return np.ones((h, w), np.int64)
        return np.tile(line, (h, 1)) if preset == "edge_v" else np.tile(line[:, None], (1, w))
    if preset == "ones":
        return np.ones((h, w), np.int64)
    if preset == "random":
        return np.random.default_rng(seed + 7).integers(-2, 3, size=(h, w)).astype(np.int64)
    raise GeometryError(f"preset must be one of {WEIGHT_PRESETS}, got {preset!r}", "bad_choice", param="preset",
                        value=preset)
