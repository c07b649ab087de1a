"""Values to animate: small integer grids and kernels that show something, from a seed, a pattern or a photo.

The Stride and Padding page fills its input grid and its kernel from here, so a class sees the
same numbers for the same seed.

>>> sample_values("random", (2, 3), seed=1).shape, default_weights("ones", 2).tolist()
((2, 3), [[1, 1], [1, 1]])
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import GeometryError
from ..filters.display import LUMA
from ..numbers import MINUS
from ..pictures.images import centre_crop, resize
from .windows import as_pair

__all__ = ["VALUE_SOURCES", "WEIGHT_PRESETS", "MAX_TYPED", "sample_values", "default_weights", "parse_grid",
           "format_grid", "channel_values", "channel_weights", "channel_bias"]

#: Ways :func:`sample_values` fills the input grid ("typed": the student's own numbers).
VALUE_SOURCES = ("random", "pattern", "image", "typed")
#: Kernels :func:`default_weights` can make ("typed": the student's own weights).
WEIGHT_PRESETS = ("edge_v", "edge_h", "ones", "random", "typed")
#: Most rows / columns / channels of a typed grid, and the largest magnitude of a typed number.
MAX_TYPED = {"input": 20, "kernel": 7, "channels": 3, "value": 1000}


def sample_values(source: str, shape: Any, *, seed: int = 0, image: Any = None,
                  levels: int = 10, typed: Any = None) -> np.ndarray:
    """Small integers ``0 .. levels-1`` to put on the input grid.

    Parameters
    ----------
    source : {"random", "pattern", "image", "typed"}
        ``"random"``: uniform, reproducible from ``seed``; ``"pattern"``: a bright
        block on a dark background (edges for an edge kernel to find); ``"image"``: the
        grey values of ``image`` (an ``(H, W, 3)`` or ``(H, W)`` uint8 array), centre-cropped to
        the grid's aspect ratio, averaged down and scaled to ``levels`` steps; ``"typed"``:
        ``typed`` itself (its shape wins over ``shape``).
    shape : int or (int, int)
        Grid ``(H, W)``.
    typed : array_like, keyword-only
        The student's grid (from :func:`parse_grid`), for ``source="typed"``.

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
    if source == "typed":
        if typed is None:
            raise GeometryError("typed must be given for source='typed'", "bad_shape", param="typed", shape="None")
        return np.array(typed)
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
        crop = centre_crop(grey, (h, w))  # the grid's aspect ratio, so cells stay square
        small = resize(crop.astype(np.float32), (h, w), method="box")
        return np.clip(np.rint(small / 255.0 * (levels - 1)), 0, levels - 1).astype(np.int64)
    raise GeometryError(f"source must be one of {VALUE_SOURCES}, got {source!r}", "bad_choice", param="source",
                        value=source)


def default_weights(preset: str, shape: Any, *, seed: int = 0, typed: Any = None) -> np.ndarray:
    """A small integer kernel of ``shape`` that does something visible.

    ``"edge_v"``: +1 on the left columns, -1 on the right, 0 in the middle (finds
    vertical edges); ``"edge_h"`` the same for rows; ``"ones"``: all 1 (a plain sum);
    ``"random"``: integers -2..2; ``"typed"``: ``typed`` itself (its shape wins). An edge
    kernel one cell wide has no left and right, so it falls back to ones.

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
    if preset == "typed":
        if typed is None:
            raise GeometryError("typed must be given for preset='typed'", "bad_shape", param="typed", shape="None")
        return np.array(typed)
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


def parse_grid(text: str, *, name: str = "input", max_size: int = 20, max_channels: int = 1) -> np.ndarray:
    """The compact text of a grid (rows split by ``;``, cells by ``,``, channels by ``|``) as ``(C, H, W)``.

    Whole numbers give an int64 array, others float64. Spaces are ignored; the typographic
    minus the player writes reads back.

    Parameters
    ----------
    text : str
        E.g. ``"1,2,3;4,5,6"``.
    name : str, keyword-only
        What the grid is (``"input"``, ``"kernel"``), quoted by errors.
    max_size : int, keyword-only
        Most rows and columns.
    max_channels : int, keyword-only
        Most channels.

    Raises
    ------
    GeometryError
        ``grid_cell`` (a cell that is not a number, or beyond ``MAX_TYPED["value"]``), ``grid_ragged``
        (rows or channels of different sizes), ``grid_too_big``.

    Examples
    --------
    >>> parse_grid("1,2,3;4,5,6")
    array([[[1, 2, 3],
            [4, 5, 6]]])
    >>> parse_grid("1, 0.5 | 2, -1", max_channels=2)[:, 0].tolist()
    [[1.0, 0.5], [2.0, -1.0]]
    >>> parse_grid("1,x")
    Traceback (most recent call last):
    ...
    convviz.errors.GeometryError: input: row 1, column 2 is 'x', not a number
    """
    text = str(text)
    if len(text) > 20 * max_size * max_size * max_channels:
        raise GeometryError(f"{name} text is too long ({len(text)} characters)", "grid_too_big", param=name,
                            value=text[:40], limit=max_size, channels=max_channels)
    channels = [c for c in text.split("|")]
    if len(channels) > max_channels:
        raise GeometryError(f"{name} may have at most {max_channels} channel(s), got {len(channels)}",
                            "grid_too_big", param=name, value=text, limit=max_size, channels=max_channels)
    out = []
    for chan in channels:
        rows = [r for r in chan.strip().strip(";").split(";")]
        values = []
        for i, row in enumerate(rows):
            cells = [c.strip() for c in row.split(",")]
            line = []
            for j, cell in enumerate(cells):
                try:
                    v = float(cell.replace(MINUS, "-"))
                except ValueError:
                    v = math.nan
                if not math.isfinite(v) or abs(v) > MAX_TYPED["value"]:
                    raise GeometryError(f"{name}: row {i + 1}, column {j + 1} is {cell!r}, not a number"
                                        if not math.isfinite(v) else
                                        f"{name}: row {i + 1}, column {j + 1} is {cell!r}, beyond "
                                        f"+-{MAX_TYPED['value']}", "grid_cell", param=name, row=i + 1, col=j + 1,
                                        value=cell, limit=MAX_TYPED["value"])
                line.append(v)
            if values and len(line) != len(values[0]):
                raise GeometryError(f"{name}: row {i + 1} has {len(line)} numbers, row 1 has {len(values[0])}",
                                    "grid_ragged", param=name, row=i + 1, got=len(line), expected=len(values[0]))
            values.append(line)
        if len(values) > max_size or len(values[0]) > max_size:
            raise GeometryError(f"{name} may be at most {max_size} x {max_size}, got {len(values)} x "
                                f"{len(values[0])}", "grid_too_big", param=name, value=text[:40], limit=max_size,
                                channels=max_channels)
        if out and np.shape(values) != np.shape(out[0]):
            raise GeometryError(f"{name}: channel {len(out) + 1} is {len(values)} x {len(values[0])}, channel 1 is "
                                f"{len(out[0])} x {len(out[0][0])}", "grid_ragged", param=name, row=len(out) + 1,
                                got=f"{len(values)} x {len(values[0])}",
                                expected=f"{len(out[0])} x {len(out[0][0])}")
        out.append(values)
    arr = np.array(out, dtype=np.float64)
    return arr.astype(np.int64) if np.all(arr == np.round(arr)) else arr


def format_grid(grid: Any) -> str:
    """Inverse of :func:`parse_grid`: ``(H, W)`` or ``(C, H, W)`` as compact text.

    >>> format_grid([[1, 2], [3, -4.5]])
    '1,2;3,-4.5'
    >>> parse_grid(format_grid(np.arange(8).reshape(2, 2, 2)), max_channels=2).shape
    (2, 2, 2)
    """
    arr = np.asarray(grid, dtype=np.float64)
    if arr.ndim == 2:
        arr = arr[None]
    return "|".join(";".join(",".join(f"{v:.6g}" for v in row) for row in chan) for chan in arr)


def _typed_planes(typed: Any, argument: str) -> np.ndarray:
    """The typed grid's channels as ``(C, H, W)``; ``typed`` is required when ``argument`` is ``"typed"``."""
    if typed is None:
        raise GeometryError(f"typed must be given for {argument}='typed'", "bad_shape", param="typed", shape="None")
    planes = np.asarray(typed)
    return planes[None] if planes.ndim == 2 else planes


def channel_values(source: str, shape: Any, channels: int, *, seed: int = 0, image: Any = None,
                   typed: Any = None) -> np.ndarray:
    """An input of ``channels`` small-integer planes, ``(C, H, W)``, for the multi-channel player.

    ``"image"``: the photo's red, green and blue planes; ``"random"``: one seed per channel;
    ``"pattern"``: the block, its inverse, then vertical stripes; ``"typed"``: the typed
    channels (a ``(C, H, W)`` array), repeated when fewer than ``channels``.

    Examples
    --------
    >>> channel_values("pattern", (3, 3), 2)[1].tolist()
    [[5, 5, 5], [5, 1, 5], [5, 5, 5]]
    >>> channel_values("typed", 2, 3, typed=[[[1, 2], [3, 4]]])[:, 0, 0].tolist()
    [1, 1, 1]
    """
    if source == "typed":
        planes = _typed_planes(typed, "source")
        return np.stack([planes[c % planes.shape[0]] for c in range(channels)])
    if source == "image" and image is not None and np.asarray(image).ndim == 3:
        return np.stack([sample_values("image", shape, image=np.asarray(image)[..., c % 3]) for c in range(channels)])
    if source == "random":
        return np.stack([sample_values("random", shape, seed=seed + 101 * c) for c in range(channels)])
    base = sample_values(source, shape, image=image)
    h, w = base.shape
    others = [base, 6 - base, np.tile((np.arange(w) % 3 == 0).astype(np.int64) * 4 + 1, (h, 1))]
    return np.stack([others[c % 3] for c in range(channels)])


def channel_weights(preset: str, out_channels: int, in_per_group: int, shape: Any, *, seed: int = 0,
                    typed: Any = None) -> np.ndarray:
    """Kernels ``(C_out, C_in / groups, kH, kW)`` for the multi-channel player.

    ``"random"``: integers -2..2 from ``seed``; ``"typed"``: the typed kernel channels, in turn;
    a named preset: each (output, input) slice takes the next of vertical edge, horizontal edge,
    ones, starting at ``preset``, so the slices differ.

    Examples
    --------
    >>> channel_weights("ones", 1, 2, 2).tolist()
    [[[[1, 1], [1, 1]], [[1, -1], [1, -1]]]]
    """
    if preset == "random":
        kh, kw = as_pair(shape, "kernel_size", minimum=1)
        return np.random.default_rng(seed + 7).integers(-2, 3, size=(out_channels, in_per_group, kh, kw))
    if preset == "typed":
        planes = _typed_planes(typed, "preset")
        return np.stack([np.stack([planes[(o * in_per_group + q) % planes.shape[0]] for q in range(in_per_group)])
                         for o in range(out_channels)])
    cycle = ("edge_v", "edge_h", "ones")
    start = cycle.index(preset) if preset in cycle else 0
    return np.stack([np.stack([default_weights(cycle[(start + o + q) % 3], shape) for q in range(in_per_group)])
                     for o in range(out_channels)])


def channel_bias(out_channels: int) -> np.ndarray:
    """A small different bias per output channel (1, -1, 2, ...), so the bias step shows.

    >>> channel_bias(3).tolist()
    [1, -1, 2]
    """
    return np.array([1, -1, 2, -2, 3, -3][:out_channels], np.int64)
