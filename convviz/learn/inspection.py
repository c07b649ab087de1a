"""What a trained network makes of one image: its answer, the ten probabilities and every layer's output as a picture.

:func:`inspect_image` runs a :class:`~.training.TrainResult` on one input (``(1, C, H, W)``, as
:func:`~.drawing.network_input` makes it) in evaluation mode and draws each layer's output
(:func:`~.network.activations`): feature maps ``(C, H, W)`` as one small greyscale picture per
channel, side by side (:func:`map_mosaic`), a flat layer's ``N`` values as a strip of cells,
wrapped (:func:`value_strip`). Maps are enlarged by whole pixels to about :data:`TILE` pixels,
so a 4 x 4 map shows its 16 cells as blocks; every picture is at most about 300 pixels wide
(a phone's column).

Grey levels: a layer whose values are all >= 0 (after a ReLU, a max pooling of ReLUs) is drawn
black at 0 and white at its scale; a layer with negative values (a convolution, a Linear's
scores) mid-grey at 0, black at ``-scale`` and white at ``+scale``. The scale is the layer's
99.5th percentile of ``|value|`` (:func:`convviz.features.display_maps`), one for all channels
of a layer, so channels can be compared.

>>> from convviz.nets.layers import Conv2d, Flatten, Linear, ReLU
>>> stack = (Conv2d(1, 2, 3, padding=1), ReLU(), Flatten(), Linear(32, 10))
>>> from convviz.learn.network import init_params
>>> params = init_params(stack, (1, 4, 4), seed=0)
>>> seen = inspect_image(stack, params, np.ones((1, 1, 4, 4)))
>>> seen.digit in range(10), round(float(seen.probabilities.sum()), 6)
(True, 1.0)
>>> [(p.position, p.name, p.shape, p.kind) for p in seen.layers][:2]
[(1, 'Conv2d(1, 2, kernel_size=3, padding=1)', (2, 4, 4), 'maps'), (2, 'ReLU()', (2, 4, 4), 'maps')]
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import LayerError
from ..features.maps import display_maps
from ..nets.to_torch import layer_source
from ..pictures.palette import RGB
from .network import activations, predict

__all__ = ["TILE", "COLUMNS", "GAP", "STRIP_COLUMNS", "LayerPicture", "Inspection", "map_mosaic", "value_strip",
           "layer_picture", "inspect_image"]

#: About how many pixels wide and high one feature map is drawn (enlarged by a whole factor).
TILE = 32
#: Feature maps per row of a layer's picture.
COLUMNS = 8
#: Pixels between two maps (the page's background) and around each map (a thin outline).
GAP = 2
#: Values per row of a flat layer's strip.
STRIP_COLUMNS = 32


@dataclass(frozen=True, eq=False)
class LayerPicture:
    """One layer's output for one image, drawn.

    ``position`` is the layer's number in the stack (1 = first layer; 0 for the input itself),
    ``name`` its torch source without ``nn.`` (``"Conv2d(1, 8, kernel_size=3, padding=1)"``),
    ``shape`` the output of one image (``(C, H, W)`` or ``(N,)``), ``kind`` ``"maps"`` or
    ``"strip"``, ``image`` an ``(h, w, 3)`` uint8 picture; ``signed`` says whether 0 is drawn
    mid-grey (negative values present) or black, and ``scale`` is the value drawn white.
    """

    position: int
    name: str
    shape: tuple[int, ...]
    kind: str
    image: np.ndarray
    signed: bool
    scale: float


@dataclass(frozen=True, eq=False)
class Inspection:
    """A network's answer for one image: the ``probabilities`` of the 10 classes, the ``digit`` it
    picks (the most probable) and every layer's output drawn (:class:`LayerPicture`, in order)."""

    probabilities: np.ndarray
    digit: int
    layers: tuple[LayerPicture, ...]

    @property
    def confidence(self) -> float:
        """The probability of the chosen digit."""
        return float(self.probabilities[self.digit])

    def ranked(self, count: int = 3) -> tuple[tuple[int, float], ...]:
        """The ``count`` most probable digits with their probabilities, most probable first (ties: smaller digit first).

        >>> Inspection(np.array([0.1, 0.6, 0.3]), 1, ()).ranked(2)
        ((1, 0.6), (2, 0.3))
        """
        order = np.argsort(-self.probabilities, kind="stable")[:count]
        return tuple((int(d), float(self.probabilities[d])) for d in order)


def _frame(tiles: np.ndarray, columns: int) -> np.ndarray:
    """``(n, h, w)`` uint8 tiles on a grid of ``columns``: each outlined, :data:`GAP` pixels apart, as RGB."""
    n, h, w = tiles.shape
    rows = -(-n // columns)
    cols = min(n, columns)
    cell_h, cell_w = h + 2, w + 2  # a 1-pixel outline around each tile
    out = np.empty((rows * (cell_h + GAP) - GAP, cols * (cell_w + GAP) - GAP, 3), np.uint8)
    out[:] = RGB["background"]
    for i in range(n):
        top, left = (i // columns) * (cell_h + GAP), (i % columns) * (cell_w + GAP)
        out[top:top + cell_h, left:left + cell_w] = RGB["line"]
        out[top + 1:top + 1 + h, left + 1:left + 1 + w] = tiles[i][:, :, None]
    return out


def _grey(values: np.ndarray, scale: float | None = None) -> tuple[np.ndarray, bool, float]:
    """``values`` ``(C, H, W)`` as uint8 greys (see the module docstring), whether signed, and the scale."""
    signed = bool((values < 0).any())
    pics, legends = display_maps(values, how="midgrey" if signed else "clip", scale=scale)
    return pics, signed, float(legends[0][1])


def map_mosaic(maps: Any, *, tile: int = TILE, columns: int = COLUMNS, scale: float | None = None
               ) -> tuple[np.ndarray, bool, float]:
    """Feature maps ``(C, H, W)`` as one RGB picture: each map enlarged to about ``tile`` pixels, ``columns`` a row.

    Returns ``(picture, signed, scale)``: see the module docstring for what the greys mean;
    ``scale`` (the value drawn white) is the layer's own unless given (1 for a network's input).

    >>> pic, signed, scale = map_mosaic(np.arange(18.0).reshape(2, 3, 3), tile=6)
    >>> pic.shape, signed, scale          # two 6 x 6 maps, outlined, 2 pixels apart
    ((8, 18, 3), False, 17.0)
    """
    values = np.asarray(maps, dtype=np.float64)
    if values.ndim != 3 or 0 in values.shape or not np.isfinite(values).all():
        raise LayerError(f"maps must be a finite (C, H, W) array, got {values.shape}", "bad_shape",
                         param="maps", shape=str(values.shape))
    pics, signed, scale = _grey(values, scale)
    zoom = max(1, tile // max(values.shape[1:]))
    pics = pics.repeat(zoom, axis=1).repeat(zoom, axis=2)
    return _frame(pics, columns), signed, scale


def value_strip(values: Any, *, columns: int = STRIP_COLUMNS) -> tuple[np.ndarray, bool, float]:
    """A flat layer's ``N`` values as a strip of grey cells, ``columns`` a row (wider cells for 16 values or fewer).

    >>> pic, signed, scale = value_strip([-1.0, 0.0, 1.0])
    >>> pic.shape, signed, pic[10, 10].tolist(), pic[10, 32].tolist()   # black at -1, mid-grey at 0
    ((22, 64, 3), True, [0, 0, 0], [128, 128, 128])
    """
    flat = np.asarray(values, dtype=np.float64).ravel()
    if flat.size == 0 or not np.isfinite(flat).all():
        raise LayerError(f"values must be finite numbers, got {flat.size} values", "bad_shape", param="values",
                         shape=str(np.shape(values)))
    pics, signed, scale = _grey(flat[None, None, :])
    cell = 20 if flat.size <= 16 else 8
    tiles = pics[0, 0][:, None, None].repeat(cell, axis=1).repeat(cell, axis=2)
    return _frame_strip(tiles, columns), signed, scale


def _frame_strip(tiles: np.ndarray, columns: int) -> np.ndarray:
    """Cells side by side with no gap (a strip reads as one layer), one outline around each."""
    n, h, w = tiles.shape
    rows, cols = -(-n // columns), min(n, columns)
    out = np.empty((rows * (h + 1) + 1, cols * (w + 1) + 1, 3), np.uint8)
    out[:] = RGB["background"]
    for i in range(n):
        top, left = (i // columns) * (h + 1), (i % columns) * (w + 1)
        out[top:top + h + 2, left:left + w + 2] = RGB["line"]
    for i in range(n):
        top, left = (i // columns) * (h + 1), (i % columns) * (w + 1)
        out[top + 1:top + 1 + h, left + 1:left + 1 + w] = tiles[i][:, :, None]
    return out


def layer_picture(position: int, name: str, output: Any) -> LayerPicture:
    """One layer's output for one image (``(C, H, W)`` or ``(N,)``, a leading batch axis of 1 dropped), drawn.

    >>> layer_picture(3, "Flatten()", np.zeros((1, 12))).kind
    'strip'
    """
    values = np.asarray(output)
    if values.ndim in (2, 4) and values.shape[0] == 1:
        values = values[0]
    if values.ndim == 3:
        image, signed, scale = map_mosaic(values)
        kind = "maps"
    else:
        image, signed, scale = value_strip(values)
        kind = "strip"
    return LayerPicture(position, name, tuple(int(s) for s in values.shape), kind, image, signed, scale)


def inspect_image(stack: Iterable[Any], params: Sequence[Any], x: Any, *,
                  buffers: Sequence[np.ndarray] | None = None) -> Inspection:
    """The network's probabilities for one image, its digit, and every layer's output drawn.

    Parameters
    ----------
    stack : iterable of convviz.nets.layers.Layer
        A trained network's layers (:attr:`TrainResult.layers <.training.TrainResult>`).
    params, buffers : list of numpy.ndarray
        Its parameters and buffers (``result.params``, ``result.buffers``).
    x : numpy.ndarray
        One image, ``(1, C, H, W)`` (:func:`~.drawing.network_input`).

    Raises
    ------
    LayerError
        What :func:`~.network.predict` raises for a stack, parameters or input that do not fit;
        ``bad_shape`` for more than one image, or for outputs that are not finite (a diverged network).
    """
    layers = list(stack)
    arr = np.asarray(x)
    if arr.ndim != 4 or arr.shape[0] != 1:
        raise LayerError(f"x must be one image, (1, C, H, W), got {arr.shape}", "bad_shape", param="x",
                         shape=str(arr.shape))
    probabilities = predict(layers, params, arr, buffers=buffers)[0]
    outputs = activations(layers, params, arr, buffers=buffers)
    pictures = tuple(layer_picture(i, layer_source(layer, prefix=""), out)
                     for i, (layer, out) in enumerate(zip(layers, outputs), start=1))
    return Inspection(probabilities, int(np.argmax(probabilities)), pictures)
