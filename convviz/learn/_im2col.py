"""Sliding windows as strided views (im2col) and their adjoint (col2im), for batches of feature maps.

Every function here takes and returns arrays in torch's logical layout ``(N, C, H, W)``. Their
*memory* is channels-last where this module allocates it (``(N, H, W, C)`` seen through a
transposed view): a window's values for every channel then sit side by side, so the im2col copy
and the BLAS product read memory in order. Numpy ufuncs keep that layout, so a stack of layers
never pays for a transpose.

:func:`windows` is a read-only view (no copy); :func:`add_windows` is its adjoint, summing
window-shaped values back into the padded input with one strided add per kernel tap (``kh * kw``
passes over the output, never a Python loop over pixels).

>>> x = np.arange(16.0).reshape(1, 1, 4, 4)
>>> windows(x, (2, 2), stride=(2, 2)).shape          # (N, OH, OW, kh, kw, C)
(1, 2, 2, 2, 2, 1)
>>> windows(x, (2, 2), stride=(2, 2))[0, 1, 0, :, :, 0]
array([[ 8.,  9.],
       [12., 13.]])
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

__all__ = ["channels_last", "from_channels_last", "pad", "windows", "tap", "patches", "add_windows", "out_size",
           "column_sums"]

Pair = tuple[int, int]
Pads = tuple[Pair, Pair]


def channels_last(x: np.ndarray) -> np.ndarray:
    """``(N, C, H, W)`` seen as ``(N, H, W, C)`` (a view)."""
    return x.transpose(0, 2, 3, 1)


def from_channels_last(x: np.ndarray) -> np.ndarray:
    """``(N, H, W, C)`` seen as ``(N, C, H, W)`` (a view)."""
    return x.transpose(0, 3, 1, 2)


def out_size(n: int, k: int, s: int, pads: Pair, d: int = 1) -> int:
    """Windows along one axis without ``ceil_mode``: ``floor((n + p1 + p2 - d(k-1) - 1) / s) + 1``.

    >>> out_size(16, 3, 1, (1, 1)), out_size(7, 2, 2, (0, 0))
    (16, 3)
    """
    return (n + pads[0] + pads[1] - d * (k - 1) - 1) // s + 1


def pad(x: np.ndarray, pads: Pads, value: float = 0.0) -> np.ndarray:
    """``x`` with ``pads = ((top, bottom), (left, right))`` cells of ``value`` around H and W, channels-last.

    Returns ``x`` itself when there is nothing to add. Negative pads are not allowed.

    >>> pad(np.ones((1, 1, 1, 2)), ((1, 0), (0, 1)))[0, 0]
    array([[0., 0., 0.],
           [1., 1., 0.]])
    """
    (top, bottom), (left, right) = pads
    if not (top or bottom or left or right):
        return x
    n, c, h, w = x.shape
    shape = (n, h + top + bottom, w + left + right, c)
    out = np.zeros(shape, dtype=x.dtype) if value == 0 else np.full(shape, value, dtype=x.dtype)
    out[:, top:top + h, left:left + w, :] = channels_last(x)
    return from_channels_last(out)


def windows(xp: np.ndarray, kernel: Pair, *, stride: Pair = (1, 1), dilation: Pair = (1, 1),
            out: Pair | None = None) -> np.ndarray:
    """Every ``kernel`` window of the (already padded) ``xp``, as a read-only view ``(N, OH, OW, kh, kw, C)``.

    ``out`` limits the number of windows per axis (default: all that fit).

    >>> windows(np.ones((2, 3, 5, 5)), (3, 3), stride=(2, 2), dilation=(2, 2)).shape
    (2, 1, 1, 3, 3, 3)
    """
    n, c, h, w = xp.shape
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    if out is None:
        out = (out_size(h, kh, sh, (0, 0), dh), out_size(w, kw, sw, (0, 0), dw))
    s_n, s_c, s_h, s_w = xp.strides
    return as_strided(xp, shape=(n, out[0], out[1], kh, kw, c),
                      strides=(s_n, s_h * sh, s_w * sw, s_h * dh, s_w * dw, s_c), writeable=False)


def tap(i: int, j: int, out: Pair, *, stride: Pair = (1, 1), dilation: Pair = (1, 1)) -> tuple[slice, slice]:
    """The rows and columns of the padded input that kernel tap ``(i, j)`` reads, one per window.

    ``padded[:, tap_rows, tap_cols]`` is ``windows(padded, ...)[:, :, :, i, j]`` (channels-last).

    >>> tap(1, 2, (3, 3), stride=(2, 2))
    (slice(1, 6, 2), slice(2, 7, 2))
    """
    (sh, sw), (dh, dw) = stride, dilation
    return (slice(i * dh, i * dh + sh * (out[0] - 1) + 1, sh), slice(j * dw, j * dw + sw * (out[1] - 1) + 1, sw))


def patches(xp: np.ndarray, kernel: Pair, *, stride: Pair = (1, 1), dilation: Pair = (1, 1),
            out: Pair | None = None) -> np.ndarray:
    """The im2col matrix of the padded ``xp``: one row per window, ``kh * kw * C`` values (tap-major, channel-minor).

    One copy of :func:`windows`. With one channel the copy goes tap by tap into a ``(kh*kw, rows)``
    array and comes back transposed (a Fortran-ordered matrix BLAS reads as fast): copying a view
    whose innermost axis has one value is several times slower.

    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> patches(x, (2, 2))
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])
    """
    view = windows(xp, kernel, stride=stride, dilation=dilation, out=out)
    n, oh, ow, kh, kw, c = view.shape
    if c != 1:
        return view.reshape(n * oh * ow, kh * kw * c)
    cols = np.empty((kh, kw, n, oh, ow), dtype=xp.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[i, j] = view[:, :, :, i, j, 0]
    return cols.reshape(kh * kw, n * oh * ow).T


def add_windows(cols: np.ndarray, padded_hw: Pair, *, stride: Pair = (1, 1), dilation: Pair = (1, 1)
                ) -> np.ndarray:
    """The adjoint of :func:`windows`: sum ``cols`` ``(N, OH, OW, kh, kw, C)`` into a zero ``(N, C, Hp, Wp)``.

    Where windows overlap their values add up, so ``add_windows`` of the ones is how many windows
    cover each cell.

    >>> cover = add_windows(np.ones((1, 2, 2, 3, 3, 1)), (5, 5), stride=(2, 2))
    >>> cover[0, 0]
    array([[1., 1., 2., 1., 1.],
           [1., 1., 2., 1., 1.],
           [2., 2., 4., 2., 2.],
           [1., 1., 2., 1., 1.],
           [1., 1., 2., 1., 1.]])
    """
    n, oh, ow, kh, kw, c = cols.shape
    acc = np.zeros((n, padded_hw[0], padded_hw[1], c), dtype=cols.dtype)
    for i in range(kh):  # one strided add per kernel tap
        for j in range(kw):
            rows, columns = tap(i, j, (oh, ow), stride=stride, dilation=dilation)
            acc[:, rows, columns, :] += cols[:, :, :, i, j, :]
    return from_channels_last(acc)


def column_sums(m: np.ndarray) -> np.ndarray:
    """``m.sum(axis=0)`` of a tall matrix as one BLAS product (numpy's reduction down a few columns is slow).

    >>> column_sums(np.arange(6.0).reshape(3, 2))
    array([6., 9.])
    """
    return np.ones(m.shape[0], dtype=m.dtype) @ m
