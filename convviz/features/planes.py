"""Channels: a colour photo is three planes, a conv kernel is as deep as its input, 1x1 mixes channels.

* :func:`split_rgb` turns ``(H, W, 3)`` into the ``(3, H, W)`` tensor a conv layer reads.
* :func:`demo_weights` gives a conv layer ``Conv2d(3, C_out, k)`` with hand-set, named kernels.
* :func:`contributions` shows one output channel as the sum of one partial result per
  input channel (plus the bias), which is what ``conv2d`` computes.
* :func:`mix_channels` is a 1x1 convolution: the same ``(C_out, 3)`` matrix applied to the
  colour of every pixel; height and width stay, channels change.

>>> import numpy as np
>>> conv_params(3, 3, 4)
112
>>> mix_channels(np.full((1, 1, 3), 100, np.uint8), MIX_PRESETS["grey"]).round(6).tolist()
[[[100.0]]]
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from math import comb
from types import MappingProxyType
from typing import Any

import numpy as np

from ..checks import check_choice, check_int
from ..errors import LayerError
from ..filters.display import LUMA
from ..filters.filtering import check_image
from ..nets.layers import Conv2d
from ..pictures.images import resize
from ..sliding.ops import conv2d

__all__ = ["thumbnail", "split_rgb", "conv_params", "demo_weights", "DEMO_CHANNELS", "MAX_DEMO_OUT", "DEMO_SIZES",
           "Contributions", "contributions", "MIX_PRESETS", "check_mix_matrix", "mix_channels"]

#: 1x1 presets as (C_out, C_in=3) matrices (rows: output channels; columns: R, G, B weights).
MIX_PRESETS: Mapping[str, np.ndarray] = MappingProxyType({
    "grey": LUMA[None, :].copy(),
    "swap": np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]),   # RGB -> BGR
    "sepia": np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]]),
})
for _m in MIX_PRESETS.values():
    _m.setflags(write=False)

#: Largest C_out of the demo layer and of a user 1x1 matrix.
MAX_DEMO_OUT = 8
#: Kernel sizes of the demo layer.
DEMO_SIZES = (3, 5)


def thumbnail(image: np.ndarray, size: int) -> np.ndarray:
    """A copy of ``image`` whose longest side is ``size`` pixels (never enlarged), uint8.

    >>> thumbnail(np.zeros((300, 600, 3), np.uint8), 192).shape
    (96, 192, 3)
    """
    image = check_image(image)
    size = check_int(size, "size", minimum=8, maximum=2048, error=LayerError)
    h, w = image.shape[:2]
    if max(h, w) <= size:
        return image.copy()
    f = size / max(h, w)
    return resize(image, (max(1, round(h * f)), max(1, round(w * f))))


def split_rgb(image: np.ndarray) -> np.ndarray:
    """``(H, W, 3)`` uint8 -> ``(3, H, W)`` uint8 (R, G, B planes); ``(H, W)`` -> ``(1, H, W)``.

    >>> split_rgb(np.array([[[1, 2, 3]]], np.uint8)).tolist()
    [[[1]], [[2]], [[3]]]
    """
    image = check_image(image)
    if image.ndim == 2:
        return image[None].copy()
    return np.ascontiguousarray(np.moveaxis(image, -1, 0))


def conv_params(kernel_size: int, in_channels: int, out_channels: int, *, bias: bool = True) -> int:
    """Learnable parameters of ``Conv2d(in_channels, out_channels, kernel_size, bias=bias)``.

    ``k*k*C_in*C_out`` weights (one ``k x k x C_in`` kernel per output channel) plus one
    bias per output channel.

    >>> conv_params(3, 3, 64), conv_params(1, 3, 1, bias=False)
    (1792, 3)
    """
    # Conv2d checks the arguments (LayerError) and counts as torch does.
    return Conv2d(in_channels, out_channels, kernel_size, bias=bias).params


def _binomial(k: int) -> np.ndarray:
    return np.array([comb(k - 1, i) for i in range(k)], dtype=float)


def _derivative(k: int) -> np.ndarray:
    """Smoothed central difference of length ``k`` (k=3: -1 0 1; k=5: -1 -2 0 2 1)."""
    if k == 1:
        return np.zeros(1)
    return np.convolve([-1.0, 0.0, 1.0], _binomial(k - 2))


def _spatial(name: str, k: int) -> np.ndarray:
    """A hand-set ``k x k`` pattern: 'dx', 'dy' (Sobel-like edges), 'blur', 'spot' (centre - surround)."""
    smooth = _binomial(k)
    if name == "dx":
        d = np.outer(smooth, _derivative(k))
        return d / max(np.abs(d).sum() / 2, 1.0)     # a 0 -> 1 step gives a response of 1
    if name == "dy":
        return _spatial("dx", k).T.copy()
    if name == "blur":
        b = np.outer(smooth, smooth)
        return b / b.sum()
    if name == "spot":
        s = -np.ones((k, k)) / max(k * k - 1, 1)
        s[k // 2, k // 2] = 1.0
        return s
    raise LayerError(f"pattern name must be dx, dy, blur or spot, got {name!r}", "bad_choice", param="pattern",
                     value=name)


#: The demo layer's output channels: (name, spatial pattern, weight per input channel R, G, B).
DEMO_CHANNELS: tuple[tuple[str, str, tuple[float, float, float]], ...] = (
    ("bright_dx", "dx", tuple(LUMA)),          # vertical edges in brightness
    ("bright_dy", "dy", tuple(LUMA)),          # horizontal edges in brightness
    ("red_green", "blur", (1.0, -1.0, 0.0)),   # where red is stronger than green
    ("blue_yellow", "blur", (-0.5, -0.5, 1.0)),  # where blue beats yellow
    ("red_dx", "dx", (1.0, 0.0, 0.0)),         # vertical edges in the red plane only
    ("brightness", "blur", tuple(LUMA)),       # blurred brightness
    ("spot", "spot", tuple(LUMA)),             # fine detail (centre minus surround)
    ("blue_dy", "dy", (0.0, 0.0, 1.0)),        # horizontal edges in the blue plane only
)


def demo_weights(out_channels: int, kernel_size: int = 3) -> tuple[np.ndarray, tuple[str, ...]]:
    """Weights ``(C_out, 3, k, k)`` of a hand-set ``Conv2d(3, C_out, k)`` and the name of each output channel.

    Output channel ``o`` is pattern ``DEMO_CHANNELS[o]`` (an edge, blur or spot kernel) scaled
    by one weight per input channel, so its ``k x k x 3`` kernel reads colour as well as shape.

    >>> w, names = demo_weights(2)
    >>> w.shape, names
    ((2, 3, 3, 3), ('bright_dx', 'bright_dy'))
    >>> (w[0, 0] / w[0, 0, 1, 2]).round(2).tolist()[1]      # the red slice is a Sobel-x kernel
    [-1.0, 0.0, 1.0]
    """
    out_channels = check_int(out_channels, "out_channels", minimum=1, maximum=MAX_DEMO_OUT, error=LayerError)
    kernel_size = check_choice(check_int(kernel_size, "kernel_size", error=LayerError), "kernel_size", DEMO_SIZES,
                               error=LayerError)
    spec = DEMO_CHANNELS[:out_channels]
    w = np.stack([np.stack([c * _spatial(pattern, kernel_size) for c in colour]) for _, pattern, colour in spec])
    return w, tuple(name for name, _, _ in spec)


@dataclass(frozen=True)
class Contributions:
    """One output channel of a conv layer, split by input channel.

    ``partials[c]`` is input channel ``c`` correlated with its slice ``weight[o, c]``;
    ``output = partials.sum(axis=0) + bias``.
    """

    out_channel: int
    partials: np.ndarray
    bias: float
    output: np.ndarray


def contributions(x: Any, weight: Any, bias: Any = None, *, out_channel: int, padding: Any = 0
                  ) -> Contributions:
    """Per-input-channel partial results of output channel ``out_channel`` (stride 1).

    Parameters
    ----------
    x : array_like, shape (C_in, H, W)
    weight : array_like, shape (C_out, C_in, k, k)
    bias : array_like, shape (C_out,), optional
    out_channel : int, keyword-only
        Which output channel, ``0 <= out_channel < C_out``.
    padding : int, (int, int) or "same", keyword-only
        Zero padding, as in :func:`convviz.conv2d`.

    Returns
    -------
    Contributions
        ``output`` equals ``conv2d(x, weight, bias, padding=padding)[out_channel]``.

    Examples
    --------
    >>> x = np.array([[[1, 2]], [[10, 20]]])              # 2 channels, 1 x 2
    >>> w = np.array([[[[1]], [[2]]]])                    # Conv2d(2, 1, 1)
    >>> c = contributions(x, w, [5], out_channel=0)
    >>> c.partials.tolist(), c.output.tolist()
    ([[[1, 2]], [[20, 40]]], [[26, 47]])
    """
    xs = np.asarray(x)
    w = np.asarray(weight)
    if w.ndim != 4:
        raise LayerError(f"weight must have shape (C_out, C_in, kH, kW), got {w.shape}", "bad_shape",
                         param="weight", shape=str(w.shape))
    out_channel = check_int(out_channel, "out_channel", minimum=0, maximum=w.shape[0] - 1, error=LayerError)
    if xs.ndim != 3 or xs.shape[0] != w.shape[1]:
        raise LayerError(f"x must have shape ({w.shape[1]}, H, W) to match weight {w.shape}, got {xs.shape}",
                         "bad_shape", param="x", shape=str(xs.shape))
    b = 0 if bias is None else np.asarray(bias).reshape(-1)[out_channel].item()
    partials = np.stack([conv2d(xs[c: c + 1], w[out_channel: out_channel + 1, c: c + 1], padding=padding)[0]
                         for c in range(xs.shape[0])])
    return Contributions(int(out_channel), partials, b, partials.sum(axis=0) + b)


def check_mix_matrix(matrix: Any, in_channels: int = 3) -> np.ndarray:
    """Return ``matrix`` as a float ``(C_out, in_channels)`` array, or raise :class:`LayerError`.

    >>> check_mix_matrix([[1, 0, 0]]).shape
    (1, 3)
    """
    try:
        m = np.array(matrix, dtype=float)
    except (TypeError, ValueError):
        raise LayerError("matrix must be a grid of numbers; some cells are not numbers",
                         "matrix_not_numbers") from None
    if m.ndim != 2 or m.shape[1] != in_channels or not 1 <= m.shape[0] <= MAX_DEMO_OUT:
        raise LayerError(f"matrix must have shape (C_out, {in_channels}) with 1 <= C_out <= {MAX_DEMO_OUT}, "
                         f"got {m.shape}", "matrix_shape", shape=str(m.shape), in_channels=in_channels,
                         limit=MAX_DEMO_OUT)
    if not np.isfinite(m).all():
        raise LayerError("matrix values must be finite numbers; fill in the empty cells", "matrix_not_finite")
    return m


def mix_channels(image: Any, matrix: Any, bias: Any = None) -> np.ndarray:
    """1x1 convolution: ``out[o, y, x] = sum_c matrix[o, c] * in[c, y, x] (+ bias[o])``.

    Parameters
    ----------
    image : ndarray
        ``(H, W, 3)`` uint8 photo, or an already channel-first ``(C_in, H, W)`` array.
    matrix : array_like, shape (C_out, C_in)
        Row ``o`` holds the weights of output channel ``o`` (the 1x1 kernels).
    bias : array_like, shape (C_out,), optional

    Returns
    -------
    ndarray, shape (C_out, H, W), float
        Height and width unchanged; computed with :func:`convviz.conv2d`.

    Examples
    --------
    >>> img = np.array([[[10, 20, 30]]], np.uint8)
    >>> mix_channels(img, MIX_PRESETS["swap"]).ravel().tolist()
    [30.0, 20.0, 10.0]
    """
    arr = np.asarray(image)
    chw = split_rgb(arr) if arr.ndim == 3 and arr.shape[2] == 3 and arr.dtype == np.uint8 else arr
    if chw.ndim != 3:
        raise LayerError(f"image must be (H, W, 3) uint8 or (C_in, H, W), got shape {arr.shape}", "bad_shape",
                         param="image", shape=str(arr.shape))
    m = check_mix_matrix(matrix, chw.shape[0])
    b = None if bias is None else np.asarray(bias, dtype=float)
    return conv2d(chw.astype(np.float64), m[:, :, None, None], b)
