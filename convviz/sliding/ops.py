"""conv2d, conv_transpose2d and pool2d for one sample, in vectorized numpy.

They give the same numbers as ``torch.nn.functional.conv2d`` / ``conv_transpose2d`` /
``max_pool2d`` / ``avg_pool2d`` (default arguments) for an unbatched ``(C, H, W)`` input.
Like PyTorch they compute a cross-correlation (the kernel is not flipped).

Integer inputs with integer weights give integer outputs, so the small classroom
examples show exact sums.

>>> import numpy as np
>>> x = np.arange(16).reshape(1, 4, 4)
>>> conv2d(x, np.ones((1, 1, 2, 2), int), stride=2)
array([[[10, 18],
        [42, 50]]])
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._docs import docfiller
from ..checks import check_choice, check_groups, check_pair
from ..errors import GeometryError
from .windows import transposed_shape, window_shape

__all__ = ["conv2d", "conv_transpose2d", "pool2d", "spread_input"]


def _as_chw(x: Any) -> np.ndarray:
    arr = np.asarray(x)
    if arr.ndim != 3:
        raise GeometryError(f"x must be a (C, H, W) array, got shape {arr.shape}", "bad_shape",
                            param="x", shape=str(arr.shape))
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        arr = arr.astype(np.float64)
    return arr


def _as_weight(weight: Any, channels: int, axis_name: str, in_axis: int) -> np.ndarray:
    w = np.asarray(weight)
    if w.ndim != 4:
        raise GeometryError(f"weight must be a 4-D {axis_name} array, got shape {w.shape}", "bad_shape",
                            param="weight", shape=str(w.shape))
    if w.shape[in_axis] != channels:
        raise GeometryError(f"weight of shape {w.shape} does not match x with {channels} "
                            f"channels (weight is {axis_name})", "bad_shape", param="weight", shape=str(w.shape))
    if w.dtype == bool or not np.issubdtype(w.dtype, np.number):
        w = w.astype(np.float64)
    return w


def _bias(bias: Any, n_out: int) -> np.ndarray | None:
    if bias is None:
        return None
    b = np.asarray(bias)
    if b.shape != (n_out,):
        raise GeometryError(f"bias must have shape ({n_out},), got {b.shape}", "bad_shape",
                            param="bias", shape=str(b.shape))
    return b


#: Most array cells one operation may allocate (padded input, unfolded windows or output): far
#: beyond any teaching example, and small enough that a typo (padding=10**6) fails fast.
MAX_CELLS = 50_000_000


def check_cells(count: int, what: str) -> None:
    """Raise a ``GeometryError`` (code ``too_many_cells``) if an array of ``count`` cells is too big."""
    if count > MAX_CELLS:
        raise GeometryError(f"{what} would have {count:,} cells, more than the limit of {MAX_CELLS:,}; "
                            "use smaller sizes, padding or dilation", "too_many_cells", param="padding",
                            cells=count, limit=MAX_CELLS)


def _pad(x: np.ndarray, pads: tuple[tuple[int, int], tuple[int, int]], value: Any = 0) -> np.ndarray:
    check_cells(x.shape[0] * (x.shape[1] + sum(pads[0])) * (x.shape[2] + sum(pads[1])), "the padded input")
    return np.pad(x, ((0, 0), pads[0], pads[1]), constant_values=value)


def _windows(xp: np.ndarray, k: tuple[int, int], s: tuple[int, int], d: tuple[int, int],
             out: tuple[int, int]) -> np.ndarray:
    """``(C, kH, kW, oH, oW)``: for each kernel tap, the input values it meets at every output cell."""
    # One strided slice per tap: at most 7x7 = 49 cheap views, no Python loop over pixels.
    taps = [[xp[:, i * d[0]: i * d[0] + (out[0] - 1) * s[0] + 1: s[0],
                j * d[1]: j * d[1] + (out[1] - 1) * s[1] + 1: s[1]]
             for j in range(k[1])] for i in range(k[0])]
    return np.stack([np.stack(row, axis=1) for row in taps], axis=1)


@docfiller
def conv2d(x: Any, weight: Any, bias: Any = None, *, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: Any = 1) -> np.ndarray:
    """2-D cross-correlation of one ``(C_in, H, W)`` sample, as ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    x : array_like, shape (C_in, H, W)
        The input.
    weight : array_like, shape (C_out, C_in / groups, kH, kW)
        The kernels: each output channel reads the ``C_in / groups`` input channels of its group.
    bias : array_like, shape (C_out,), optional
        Added to every output cell of a channel.
    %(stride)s %(padding)s %(dilation)s %(groups)s

    Returns
    -------
    numpy.ndarray, shape (C_out, oH, oW)
        With ``oH = output_size(H, kH, ...)``.

    Raises
    ------
    GeometryError
        On wrong shapes or an impossible geometry.

    Examples
    --------
    >>> x = np.array([[[1, 2, 3], [4, 5, 6], [7, 8, 9]]])
    >>> conv2d(x, np.array([[[[1, 0], [0, -1]]]]))
    array([[[-4, -4],
            [-4, -4]]])
    >>> conv2d(x, np.ones((1, 1, 3, 3), int), padding=1)[0, 0]
    array([12, 21, 16])
    >>> conv2d(np.stack([x[0], -x[0]]), np.ones((2, 1, 1, 1), int), groups=2)[:, 0, 0]   # depthwise
    array([ 1, -1])
    """
    x = _as_chw(x)
    w4 = np.asarray(weight)
    # A weight that is not 4-D fails on its shape below, not on a channel count it does not have.
    g = check_groups(groups, x.shape[0], w4.shape[0] if w4.ndim == 4 else x.shape[0], error=GeometryError)
    w = _as_weight(weight, x.shape[0] // g, "(C_out, C_in/groups, kH, kW)" if g > 1 else "(C_out, C_in, kH, kW)", 1)
    b = _bias(bias, w.shape[0])
    k, s, pads, d, out = window_shape(x.shape[1:], (w.shape[2], w.shape[3]), stride=stride, padding=padding,
                                      dilation=dilation)
    check_cells(x.shape[0] * k[0] * k[1] * out[0] * out[1], "the unfolded windows")
    cols = _windows(_pad(x, pads), k, s, d, out)              # (C, kH, kW, oH, oW)
    if g == 1:
        y = np.tensordot(w, cols, axes=([1, 2, 3], [0, 1, 2]))   # (C_out, oH, oW)
    else:
        per_in, per_out = x.shape[0] // g, w.shape[0] // g
        # One ordinary convolution per group: its output channels see only its input channels.
        y = np.concatenate([np.tensordot(w[i * per_out: (i + 1) * per_out], cols[i * per_in: (i + 1) * per_in],
                                         axes=([1, 2, 3], [0, 1, 2])) for i in range(g)])
    if b is not None:
        y = y + b[:, None, None]
    return y


def spread_input(x: Any, stride: Any) -> np.ndarray:
    """Insert ``s - 1`` zeros between neighbouring cells of the last two axes.

    The first step of a transposed convolution in the conv_arithmetic picture.

    >>> spread_input(np.array([[1, 2], [3, 4]]), 2)
    array([[1, 0, 2],
           [0, 0, 0],
           [3, 0, 4]])
    """
    arr = np.asarray(x)
    s = check_pair(stride, "stride", minimum=1, error=GeometryError)
    shape = arr.shape[:-2] + ((arr.shape[-2] - 1) * s[0] + 1, (arr.shape[-1] - 1) * s[1] + 1)
    check_cells(int(np.prod(shape)), "the spread input")
    out = np.zeros(shape, dtype=arr.dtype)
    out[..., :: s[0], :: s[1]] = arr
    return out


@docfiller
def conv_transpose2d(x: Any, weight: Any, bias: Any = None, *, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, dilation: Any = 1) -> np.ndarray:
    """Transposed convolution of one ``(C_in, H, W)`` sample, as ``torch.nn.functional.conv_transpose2d``.

    Every input cell adds ``value * kernel`` into the output, the kernel's top-left
    placed at ``stride * position``; ``padding`` then crops that many cells from each
    border and ``output_padding`` keeps extra cells at the bottom / right.

    Parameters
    ----------
    x : array_like, shape (C_in, H, W)
    weight : array_like, shape (C_in, C_out, kH, kW)
        Note the order: input channels first, as in PyTorch.
    bias : array_like, shape (C_out,), optional
    %(stride)s
    padding : int or (int, int), keyword-only
        Cells cropped from both sides of the output, >= 0 (no ``"same"`` for a transposed convolution).
    %(output_padding)s %(dilation)s

    Returns
    -------
    numpy.ndarray, shape (C_out, oH, oW)
        ``oH = transposed_output_size(H, kH, ...)``.

    Examples
    --------
    >>> conv_transpose2d(np.array([[[1, 2]]]), np.array([[[[1, 10]]]]), stride=2)
    array([[[ 1, 10,  2, 20]]])
    """
    x = _as_chw(x)
    w = _as_weight(weight, x.shape[0], "(C_in, C_out, kH, kW)", 0)
    b = _bias(bias, w.shape[1])
    geo = transposed_shape(x.shape[1:], (w.shape[2], w.shape[3]), stride=stride, padding=padding,
                           output_padding=output_padding, dilation=dilation)
    k, s, p, d, out, full = geo.kernel, geo.stride, geo.padding, geo.dilation, geo.out, geo.full
    h, wd = x.shape[1:]
    dtype = np.result_type(x, w, *(() if b is None else (b,)))
    check_cells(w.shape[1] * full[0] * full[1], "the transposed output")
    acc = np.zeros((w.shape[1],) + full, dtype=dtype)
    # Scatter one kernel tap at a time: each tap moves the whole (strided) input at once.
    for i in range(k[0]):
        for j in range(k[1]):
            contrib = np.tensordot(w[:, :, i, j], x, axes=([0], [0]))   # (C_out, H, W)
            acc[:, i * d[0]: i * d[0] + (h - 1) * s[0] + 1: s[0],
                j * d[1]: j * d[1] + (wd - 1) * s[1] + 1: s[1]] += contrib
    y = acc[:, p[0]: p[0] + out[0], p[1]: p[1] + out[1]]
    if b is not None:
        y = y + b[:, None, None]
    return y


@docfiller
def pool2d(x: Any, kernel_size: Any, *, stride: Any = None, padding: Any = 0,
           op: str = "max") -> np.ndarray:
    """Max or average pooling of one ``(C, H, W)`` sample, channel by channel.

    Matches ``torch.nn.functional.max_pool2d`` / ``avg_pool2d`` with their defaults:
    no dilation, ``ceil_mode=False``, and for ``"avg"`` ``count_include_pad=True`` (padding
    zeros count, every window is divided by ``kH * kW``). Max pooling pads with -inf, so
    padding never wins.

    Parameters
    ----------
    x : array_like, shape (C, H, W)
    %(kernel_size)s
    stride : int or (int, int), optional, keyword-only
        How far the window moves from one output to the next, >= 1; by default ``kernel_size``
        (windows side by side, not overlapping).
    padding : int or (int, int), keyword-only
        Cells added on both sides, at most ``kernel_size // 2`` (torch's pooling rule).
    op : {"max", "avg"}, keyword-only

    Returns
    -------
    numpy.ndarray, shape (C, oH, oW)
        Max keeps the input dtype; avg is float.

    Examples
    --------
    >>> x = np.arange(16).reshape(1, 4, 4)
    >>> pool2d(x, 2)
    array([[[ 5,  7],
            [13, 15]]])
    >>> pool2d(x, 2, op="avg")
    array([[[ 2.5,  4.5],
            [10.5, 12.5]]])
    """
    check_choice(op, "op", ("max", "avg"), error=GeometryError)
    x = _as_chw(x)
    k = check_pair(kernel_size, "kernel_size", minimum=1, error=GeometryError)
    p = check_pair(padding, "padding", minimum=0, error=GeometryError)
    k, s, pads, _, out = window_shape(x.shape[1:], k, stride=k if stride is None else stride, padding=p,
                                      pool=True)
    check_cells(x.shape[0] * k[0] * k[1] * out[0] * out[1], "the pooling windows")
    if op == "max":
        if np.issubdtype(x.dtype, np.integer):
            fill = np.iinfo(x.dtype).min
        else:
            fill = -np.inf
        cols = _windows(_pad(x, pads, fill), k, s, (1, 1), out)
        return cols.max(axis=(1, 2))
    cols = _windows(_pad(x.astype(np.float64), pads, 0.0), k, s, (1, 1), out)
    return cols.sum(axis=(1, 2)) / (k[0] * k[1])
