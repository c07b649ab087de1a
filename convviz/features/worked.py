"""The worked examples of the Inside a Conv Layer page: the numbers, so the page only writes them.

* :func:`demo_layer` -- the demo ``Conv2d(3, C_out, k)`` (``"same"`` zero padding, no bias) on a
  photo's planes: one output channel taken apart by input channel, and every output channel;
* :func:`mix_example` -- a 1x1 convolution at the photo's centre pixel, term by term;
* :func:`mix_picture` -- one or three mixed channels as a picture to show whole.

>>> import numpy as np
>>> from convviz.features.planes import MIX_PRESETS, mix_channels
>>> img = np.full((3, 5, 3), (10, 20, 30), np.uint8)
>>> ex = mix_example(img, MIX_PRESETS["swap"], mix_channels(img, MIX_PRESETS["swap"]))
>>> (ex.row, ex.col), ex.pixel, ex.values
((1, 2), (10, 20, 30), (30.0, 20.0, 10.0))
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..sliding.ops import conv2d
from .planes import Contributions, contributions, demo_weights

__all__ = ["DemoLayer", "demo_layer", "MixExample", "mix_example", "mix_picture", "mixes_negative"]


@dataclass(frozen=True, eq=False)
class DemoLayer:
    """The demo layer run on a photo.

    Attributes
    ----------
    weight : numpy.ndarray, shape (C_out, 3, k, k)
    names : tuple of str
        What each output channel looks for (:data:`convviz.features.planes.DEMO_CHANNELS`).
    padding : int
        Zero padding on each side, ``k // 2``: the maps keep the photo's height and width.
    parts : Contributions
        Output channel ``out_channel`` as one partial result per input channel.
    maps : numpy.ndarray, shape (4, H, W)
        ``parts.partials`` then their sum (what the page draws side by side).
    outputs : numpy.ndarray, shape (C_out, H, W)
        Every output channel.
    """

    weight: np.ndarray
    names: tuple[str, ...]
    padding: int
    parts: Contributions
    maps: np.ndarray
    outputs: np.ndarray


def demo_layer(planes: Any, out_channels: int, kernel_size: int, *, out_channel: int = 0) -> DemoLayer:
    """The demo ``Conv2d(3, out_channels, kernel_size)`` on ``planes`` (``(3, H, W)``, from :func:`split_rgb`).

    The demo bias is zero, so the maps are the same with or without a bias term.

    Examples
    --------
    >>> planes = np.zeros((3, 4, 6)); planes[:, :, 3:] = 255
    >>> layer = demo_layer(planes, 2, 3, out_channel=1)
    >>> layer.padding, layer.maps.shape, layer.outputs.shape
    (1, (4, 4, 6), (2, 4, 6))
    >>> bool(np.allclose(layer.maps[-1], layer.outputs[1]))
    True
    """
    weight, names = demo_weights(out_channels, kernel_size)
    x = np.asarray(planes).astype(np.float64)
    padding = kernel_size // 2
    parts = contributions(x, weight, np.zeros(out_channels), out_channel=out_channel, padding=padding)
    return DemoLayer(weight=weight, names=names, padding=padding, parts=parts,
                     maps=np.concatenate([parts.partials, parts.output[None]]),
                     outputs=conv2d(x, weight, None, padding=padding))


@dataclass(frozen=True)
class MixExample:
    """A 1x1 convolution at one pixel: ``values[o] = sum_c weights[o][c] * pixel[c]``.

    Attributes
    ----------
    row, col : int
        The pixel (the photo's centre).
    pixel : tuple of int
        Its ``(r, g, b)``.
    weights : tuple of tuple of float
        The ``(C_out, 3)`` matrix, row by row.
    values : tuple of float
        Each output channel at the pixel, read from the layer's own output (so the sentence
        and the pictures agree to the last digit).
    """

    row: int
    col: int
    pixel: tuple[int, int, int]
    weights: tuple[tuple[float, ...], ...]
    values: tuple[float, ...]


def mix_example(image: Any, matrix: Any, mixed: Any) -> MixExample:
    """The worked 1x1 example at the centre of ``image`` (``(H, W, 3)`` uint8).

    ``mixed`` is :func:`convviz.features.planes.mix_channels` of ``image`` and ``matrix``.
    """
    img = np.asarray(image)
    out = np.asarray(mixed)
    row, col = img.shape[0] // 2, img.shape[1] // 2
    return MixExample(row=row, col=col, pixel=tuple(int(v) for v in img[row, col, :3]),
                      weights=tuple(tuple(float(v) for v in r) for r in np.asarray(matrix, float)),
                      values=tuple(float(v) for v in out[:, row, col]))


def mix_picture(mixed: Any) -> np.ndarray | None:
    """One or three mixed channels ``(C, H, W)`` as a picture, ``(H, W)`` or ``(H, W, 3)``; ``None`` otherwise.

    >>> mix_picture(np.zeros((3, 2, 5))).shape, mix_picture(np.zeros((1, 2, 5))).shape, mix_picture(np.zeros((2, 2, 5)))
    ((2, 5, 3), (2, 5), None)
    """
    arr = np.asarray(mixed)
    if arr.shape[0] == 3:
        return np.moveaxis(arr, 0, -1)
    if arr.shape[0] == 1:
        return arr[0]
    return None


def mixes_negative(matrix: Any) -> bool:
    """Whether a 1x1 mix can give negative values: only a negative weight can (pixels are >= 0).

    >>> mixes_negative([[0.3, 0.6, 0.1]]), mixes_negative([[1, -1, 0]])
    (False, True)
    """
    return bool((np.asarray(matrix) < 0).any())
