"""Pooling forward and backward: ``MaxPool2d``, ``AvgPool2d`` and ``AdaptiveAvgPool2d``, as torch computes them.

* ``MaxPool2d``: padding counts as ``-inf``; the gradient goes to the first largest value of
  each window in row-major order (torch's rule for ties); ``dilation`` and ``ceil_mode`` included.
* ``AvgPool2d``: the divisor is torch's: with ``count_include_pad`` the window clipped to the
  padded input, else the window clipped to the input; with ``ceil_mode`` the last window may be partial.
* ``AdaptiveAvgPool2d``: bin ``i`` of ``n`` cells into ``m`` covers ``floor(i*n/m)`` to
  ``ceil((i+1)*n/m)``; any output size.

Each pooling loops over its kernel taps (``kh * kw`` whole-array operations), never over pixels.

>>> from convviz.nets.layers import MaxPool2d
>>> x = np.array([[[[1., 5., 2., 0.], [3., 4., 8., 8.]]]])
>>> op = MaxPool2d(2)
>>> y, cache = MaxPoolOp(op, (1, 2, 4)).forward(x, [], [], Pass())
>>> y
array([[[[5., 8.]]]])
>>> MaxPoolOp(op, (1, 2, 4)).backward(np.ones_like(y), [], cache, need_dx=True)[0]
array([[[[0., 1., 0., 0.],
         [0., 0., 1., 0.]]]])
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from ._im2col import channels_last, from_channels_last, pad, tap
from .base import Op, Pass, Shape

__all__ = ["MaxPoolOp", "AvgPoolOp", "AdaptiveAvgPoolOp", "adaptive_bins"]


def _extra(n: int, out: int, k: int, s: int, p: int, d: int) -> int:
    """Cells ``ceil_mode``'s last window reaches past the right / bottom padding (0 when none)."""
    return max(0, (out - 1) * s + d * (k - 1) + 1 - (n + 2 * p))


class _WindowPool(Op):
    """Shared geometry of the fixed-window poolings."""

    def __init__(self, spec: Any, input_shape: Shape, dilation: tuple[int, int]) -> None:
        super().__init__(spec, input_shape)
        _, h, w = self.input_shape
        _, oh, ow = self.output_shape
        (kh, kw), (sh, sw), (ph, pw) = spec.kernel_size, spec.stride, spec.padding
        self.dilation = dilation
        self.out = (oh, ow)
        self.pads = ((ph, ph + _extra(h, oh, kh, sh, ph, dilation[0])),
                     (pw, pw + _extra(w, ow, kw, sw, pw, dilation[1])))

    def _taps(self) -> Iterator[tuple[int, int, tuple[slice, slice]]]:
        """``(i, j, (rows, cols))`` of every kernel tap, row-major (torch's scan order for ties)."""
        kh, kw = self.spec.kernel_size
        for i in range(kh):
            for j in range(kw):
                yield i, j, tap(i, j, self.out, stride=self.spec.stride, dilation=self.dilation)

    def _unpad(self, acc: np.ndarray) -> np.ndarray:
        """Crop the padding off a channels-last gradient and return it as ``(N, C, H, W)``."""
        _, h, w = self.input_shape
        (top, _), (left, _) = self.pads
        return from_channels_last(acc[:, top:top + h, left:left + w, :])

    def _padded_zeros(self, n: int, dtype: Any) -> np.ndarray:
        c, h, w = self.input_shape
        (top, bottom), (left, right) = self.pads
        return np.zeros((n, h + top + bottom, w + left + right, c), dtype=dtype)


class MaxPoolOp(_WindowPool):
    """``torch.nn.MaxPool2d``.

    ``tiles`` is True when the windows tile the input exactly (stride = kernel size, no padding,
    no dilation, sides divisible by the kernel: the usual ``MaxPool2d(2)``); the backward pass
    then writes each input cell once instead of adding into a zeroed array, and a window covering
    the whole map (global max pooling) finds its largest value with one ``argmax``.
    """

    def __init__(self, spec: Any, input_shape: Shape) -> None:
        super().__init__(spec, input_shape, spec.dilation)
        _, h, w = self.input_shape
        kh, kw = spec.kernel_size
        self.tiles = (tuple(spec.stride) == (kh, kw) and tuple(spec.dilation) == (1, 1)
                      and self.pads == ((0, 0), (0, 0)) and (h, w) == (self.out[0] * kh, self.out[1] * kw))

    def forward(self, x: np.ndarray, params: list[np.ndarray], buffers: list[np.ndarray], ctx: Pass
                ) -> tuple[np.ndarray, Any]:
        xp = channels_last(pad(x, self.pads, -np.inf))
        best = None
        for _, _, (rows, cols) in self._taps():
            if best is None:
                best = xp[:, rows, cols, :].copy()
            else:
                np.maximum(best, xp[:, rows, cols, :], out=best)
        # which value was the largest is found again in backward (forward-only passes skip it)
        return from_channels_last(best), (xp, best)

    def backward(self, dy: np.ndarray, params: list[np.ndarray], cache: Any, *, need_dx: bool
                 ) -> tuple[np.ndarray | None, list[np.ndarray]]:
        if not need_dx:
            return None, []
        xp, best = cache
        dy_c = channels_last(dy)
        if self.tiles:
            return self._tiled_backward(xp, best, dy_c), []
        acc = np.zeros(xp.shape, dtype=dy.dtype)
        open_ = np.ones(best.shape, dtype=bool)  # windows whose largest value is not found yet
        for _, _, (rows, cols) in self._taps():
            hit = xp[:, rows, cols, :] == best
            hit &= open_  # only the first largest value in row-major order gets the gradient, as in torch
            open_ &= ~hit
            acc[:, rows, cols, :] += dy_c * hit
        return self._unpad(acc), []

    def _tiled_backward(self, xp: np.ndarray, best: np.ndarray, dy_c: np.ndarray) -> np.ndarray:
        """The backward pass of windows that tile the input: each cell written once, no zeroing."""
        n, h, w, c = xp.shape
        (oh, ow), (kh, kw) = self.out, self.spec.kernel_size
        if (oh, ow) == (1, 1):
            # argmax gives the first largest value in row-major order: torch's rule for ties
            flat = xp.reshape(n, h * w, c)
            dx = np.zeros_like(flat, dtype=dy_c.dtype)
            np.put_along_axis(dx, flat.argmax(axis=1)[:, None, :], dy_c.reshape(n, 1, c), axis=1)
            return from_channels_last(dx.reshape(n, h, w, c))
        cells = xp.reshape(n, oh, kh, ow, kw, c)  # a view of channels-last memory
        dx = np.empty(cells.shape, dtype=dy_c.dtype)
        open_ = None  # windows whose largest value is not found yet (None: all of them)
        last = kh * kw - 1
        for t, (i, j) in enumerate((i, j) for i in range(kh) for j in range(kw)):
            hit = np.equal(cells[:, :, i, :, j, :], best)
            if open_ is not None:
                hit &= open_  # only the first largest value in row-major order gets the gradient
            if t < last:
                open_ = ~hit if open_ is None else np.logical_xor(open_, hit, out=open_)
            np.multiply(dy_c, hit, out=dx[:, :, i, :, j, :])
        return from_channels_last(dx.reshape(n, h, w, c))


def _divisors(n: int, out: int, k: int, s: int, p: int, include_pad: bool) -> np.ndarray:
    """torch's AvgPool2d divisor along one axis, per output index (see the module docstring)."""
    start = np.arange(out) * s - p
    end = np.minimum(start + k, n + p)
    if include_pad:
        return (end - start).astype(float)
    return (np.minimum(end, n) - np.maximum(start, 0)).astype(float)


class AvgPoolOp(_WindowPool):
    """``torch.nn.AvgPool2d`` (``divisor_override`` is not in the spec: None)."""

    def __init__(self, spec: Any, input_shape: Shape) -> None:
        super().__init__(spec, input_shape, (1, 1))
        _, h, w = self.input_shape
        (kh, kw), (sh, sw), (ph, pw) = spec.kernel_size, spec.stride, spec.padding
        dh = _divisors(h, self.out[0], kh, sh, ph, spec.count_include_pad)
        dw = _divisors(w, self.out[1], kw, sw, pw, spec.count_include_pad)
        self.scale = (1.0 / np.outer(dh, dw))[None, :, :, None]  # (1, OH, OW, 1), channels-last

    def forward(self, x: np.ndarray, params: list[np.ndarray], buffers: list[np.ndarray], ctx: Pass
                ) -> tuple[np.ndarray, Any]:
        xp = channels_last(pad(x, self.pads))
        total = None
        for _, _, (rows, cols) in self._taps():
            total = xp[:, rows, cols, :].copy() if total is None else np.add(total, xp[:, rows, cols, :], out=total)
        total *= self.scale.astype(x.dtype)
        return from_channels_last(total), (x.shape[0], x.dtype)

    def backward(self, dy: np.ndarray, params: list[np.ndarray], cache: Any, *, need_dx: bool
                 ) -> tuple[np.ndarray | None, list[np.ndarray]]:
        if not need_dx:
            return None, []
        n, dtype = cache
        share = channels_last(dy) * self.scale.astype(dtype)
        acc = self._padded_zeros(n, dtype)
        for _, _, (rows, cols) in self._taps():
            acc[:, rows, cols, :] += share
        return self._unpad(acc), []


def adaptive_bins(n: int, out: int) -> np.ndarray:
    """The ``(out, n)`` averaging matrix of adaptive pooling along one axis (torch's bins).

    >>> adaptive_bins(5, 3)
    array([[0.5       , 0.5       , 0.        , 0.        , 0.        ],
           [0.        , 0.33333333, 0.33333333, 0.33333333, 0.        ],
           [0.        , 0.        , 0.        , 0.5       , 0.5       ]])
    """
    m = np.zeros((out, n))
    for i in range(out):
        start, end = (i * n) // out, -(-((i + 1) * n) // out)
        m[i, start:end] = 1.0 / (end - start)
    return m


class AdaptiveAvgPoolOp(Op):
    """``torch.nn.AdaptiveAvgPool2d`` to any output size (a mean over H and W for 1 x 1)."""

    def __init__(self, spec: Any, input_shape: Shape) -> None:
        super().__init__(spec, input_shape)
        _, h, w = self.input_shape
        _, oh, ow = self.output_shape
        self.global_mean = (oh, ow) == (1, 1)
        self.rows, self.cols = adaptive_bins(h, oh), adaptive_bins(w, ow)

    def forward(self, x: np.ndarray, params: list[np.ndarray], buffers: list[np.ndarray], ctx: Pass
                ) -> tuple[np.ndarray, Any]:
        if self.global_mean:
            return x.mean(axis=(2, 3), keepdims=True), None
        rows, cols = self.rows.astype(x.dtype), self.cols.astype(x.dtype)
        # (N, C, H, W) -> (N, C, OH, W) -> (N, C, OH, OW)
        return np.matmul(np.matmul(rows, x), cols.T), None

    def backward(self, dy: np.ndarray, params: list[np.ndarray], cache: Any, *, need_dx: bool
                 ) -> tuple[np.ndarray | None, list[np.ndarray]]:
        if not need_dx:
            return None, []
        _, h, w = self.input_shape
        if self.global_mean:
            dx = np.empty(dy.shape[:2] + (h, w), dtype=dy.dtype)
            dx[...] = dy / (h * w)
            return dx, []
        rows, cols = self.rows.astype(dy.dtype), self.cols.astype(dy.dtype)
        return np.matmul(np.matmul(rows.T, dy), cols), []

