"""The frames of the sliding-window animation, as plain data.

A :class:`FrameSet` holds the grid the window slides over (the input with its
padding; for a transposed convolution the input spread out with zeros and padded,
the conv_arithmetic way), the kernel as applied to that grid, the output, and one
:class:`Frame` per output cell: the grid cells under the kernel (padding cells
included), their values, the weights, the products and the running sum. The Stride and
Padding page's HTML player and the GIF export both draw from it. (The 1-D convolution's
steps are in :mod:`convviz.sliding.signal1d`, the values to animate in :mod:`convviz.sliding.grids`.)

>>> import numpy as np
>>> fs = conv_frames(np.arange(9).reshape(3, 3), np.ones((2, 2), int))
>>> len(fs.frames), fs.frames[0].cells
(4, ((0, 0), (0, 1), (1, 0), (1, 1)))
>>> fs.frames[0].equation
'0·1 + 1·1 + 3·1 + 4·1 = 8'
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._docs import docfiller
from ..checks import check_choice
from ..errors import GeometryError
from ..numbers import format_factor, format_number
from .ops import check_cells, conv2d, conv_transpose2d, pool2d, spread_input
from .windows import as_pair, transposed_shape, window_count, window_shape

__all__ = [
    "MAX_FRAMES",
    "OPS",
    "INPUT",
    "PAD",
    "INSERTED",
    "Frame",
    "FrameSet",
    "animation_frames",
    "conv_frames",
    "pool_frames",
    "conv_transpose_frames",
]

#: Longest animation we build (one frame per output cell): beyond this neither a
#: browser player nor a slide GIF stays readable.
MAX_FRAMES = 1024

#: Operations :func:`animation_frames` knows.
OPS = ("conv", "max", "avg", "transposed")

#: Cell kinds on a :class:`FrameSet` grid.
INPUT, PAD, INSERTED = 0, 1, 2

@dataclass(frozen=True)
class Frame:
    """One animation step: the output cell ``out`` and where its value came from.

    Attributes
    ----------
    step : int
        0-based position in the animation.
    out : tuple of int
        ``(row, col)`` of the output cell.
    cells : tuple of (int, int)
        Grid cells under the kernel taps, in row-major tap order.
    taps : tuple of (int, int)
        Kernel position ``(i, j)`` of each cell.
    values : tuple of float
        Grid values at ``cells`` (padding: 0, or -inf for max pooling).
    weights : tuple of float or None
        Kernel weight at each tap (``None`` for pooling).
    products : tuple of float or None
        ``value * weight`` per tap (``None`` for pooling).
    running : tuple of float
        Running sum (convolutions, average pool) or running max (max pool) after each tap.
    result : float
        The output cell's value (bias added, average divided).
    equation : str
        The step written out, e.g. ``"3·1 + 0·(−1) + … = 7"``.
    """

    step: int
    out: tuple[int, int]
    cells: tuple[tuple[int, int], ...]
    taps: tuple[tuple[int, int], ...]
    values: tuple[float, ...]
    weights: tuple[float, ...] | None
    products: tuple[float, ...] | None
    running: tuple[float, ...]
    result: float
    equation: str


@dataclass(frozen=True, eq=False)
class FrameSet:
    """Everything the animation of one geometry shows.

    Attributes
    ----------
    op : str
        One of :data:`OPS`.
    x : numpy.ndarray
        The input, ``(H, W)``.
    grid : numpy.ndarray
        What the window slides over: the padded input (transposed: spread + padded).
    kind : numpy.ndarray of int8
        Per grid cell: :data:`INPUT`, :data:`PAD` or :data:`INSERTED` (a zero put between
        input cells by a transposed convolution's stride).
    source : numpy.ndarray of int, shape (gH, gW, 2)
        Input ``(row, col)`` of each grid cell, ``-1`` where it is not an input cell.
    kernel : numpy.ndarray or None
        Weights as applied on the grid (transposed: the kernel rotated by 180 degrees);
        ``None`` for pooling.
    weight : numpy.ndarray or None
        The kernel as the user gave it.
    kernel_size, stride, dilation : tuple of int
        Of the window on ``grid`` (a transposed convolution slides with stride 1).
    padding : tuple of (int, int)
        ``((top, bottom), (left, right))`` cells added around the input (transposed:
        around the spread input; negative means cropped).
    params : dict
        The geometry as the user set it (``stride``, ``padding``, ...).
    bias : float
    output : numpy.ndarray
        ``(oH, oW)``, equal to :func:`convviz.conv2d` (etc.) on the same input.
    frames : tuple of Frame
        One per output cell, row by row.
    """

    op: str
    x: np.ndarray
    grid: np.ndarray
    kind: np.ndarray
    source: np.ndarray
    kernel: np.ndarray | None
    weight: np.ndarray | None
    kernel_size: tuple[int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]
    padding: tuple[tuple[int, int], tuple[int, int]]
    params: dict
    bias: float
    output: np.ndarray
    frames: tuple[Frame, ...]

    def to_data(self) -> dict:
        """A JSON-ready dict (strings already formatted) for the browser player.

        >>> d = conv_frames(np.ones((2, 2), int), np.ones((1, 1), int)).to_data()
        >>> d["grid"], d["frames"][0]["eq"]
        ([['1', '1'], ['1', '1']], '1·1 = 1')
        """
        fmt = np.vectorize(format_number, otypes=[object])
        return {
            "op": self.op,
            "grid": fmt(self.grid).tolist(),
            "kind": self.kind.astype(int).tolist(),
            "source": self.source.astype(int).tolist(),
            "kernel": None if self.kernel is None else fmt(self.kernel).tolist(),
            "output": fmt(self.output).tolist(),
            "frames": [
                {
                    "out": list(f.out),
                    "cells": [list(c) for c in f.cells],
                    "taps": [list(t) for t in f.taps],
                    "products": None if f.products is None else [format_number(v) for v in f.products],
                    "running": [format_number(v) for v in f.running],
                    "result": format_number(f.result),
                    "eq": f.equation,
                }
                for f in self.frames
            ],
        }


def _check_count(out_shape: tuple[int, int], max_frames: int) -> None:
    n = out_shape[0] * out_shape[1]
    if n > max_frames:
        raise GeometryError(f"the output has {out_shape[0]}x{out_shape[1]} = {n} cells, more than "
                            f"max_frames={max_frames} animation steps; use a smaller input or a larger stride",
                            "too_many_frames", param="input", count=n, limit=max_frames, oh=out_shape[0],
                            ow=out_shape[1])


def _as_2d(x: Any, name: str) -> np.ndarray:
    arr = np.asarray(x)
    if arr.ndim != 2 or arr.size == 0:
        raise GeometryError(f"{name} must be a non-empty 2-D array, got shape {arr.shape}", "bad_shape",
                            param=name, shape=str(arr.shape))
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        arr = arr.astype(np.float64)
    return arr


def _no_same(padding: Any, what: str) -> None:
    if isinstance(padding, str):
        raise GeometryError(f"padding={padding!r} exists only for a convolution, not for {what}; "
                            f"give padding as a number", "same_only_conv", param="padding", value=padding)


def _padded_grid(x: np.ndarray, pads, fill) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    (top, bottom), (left, right) = pads
    check_cells((x.shape[0] + top + bottom) * (x.shape[1] + left + right), "the padded grid")
    grid = np.pad(x, ((top, bottom), (left, right)), constant_values=fill)
    kind = np.full(grid.shape, PAD, np.int8)
    kind[top: top + x.shape[0], left: left + x.shape[1]] = INPUT
    source = np.full(grid.shape + (2,), -1, np.int64)
    rows, cols = np.indices(x.shape)
    source[top: top + x.shape[0], left: left + x.shape[1], 0] = rows
    source[top: top + x.shape[0], left: left + x.shape[1], 1] = cols
    return grid, kind, source


def _equation(op: str, values, weights, result, bias, count) -> str:
    vals = [format_number(v) for v in values]
    res = format_number(result)
    if op == "max":
        return f"max({', '.join(vals)}) = {res}"
    if op == "avg":
        return f"({' + '.join(vals)}) / {count} = {res}"
    terms = [f"{format_factor(v)}·{format_factor(w)}" for v, w in zip(values, weights)]
    if bias:
        terms.append(format_factor(bias))
    return " + ".join(terms) + f" = {res}"


def _build(op: str, x: np.ndarray, grid: np.ndarray, kind: np.ndarray, source: np.ndarray,
           kernel: np.ndarray | None, weight: np.ndarray | None, k: tuple[int, int],
           s: tuple[int, int], d: tuple[int, int], pads, params: dict, bias: float,
           max_frames: int) -> FrameSet:
    # the grid is already padded: the window runs over it unpadded
    oh, ow = (window_count(grid.shape[a], k[a], stride=s[a], dilation=d[a]) for a in (0, 1))
    _check_count((oh, ow), max_frames)
    ti, tj = np.meshgrid(np.arange(k[0]), np.arange(k[1]), indexing="ij")
    ti, tj = ti.ravel(), tj.ravel()
    # rows[i, j, t]: grid row of tap t when the window makes output cell (i, j).
    rows = (np.arange(oh) * s[0])[:, None, None] + (ti * d[0])[None, None, :]
    cols = (np.arange(ow) * s[1])[None, :, None] + (tj * d[1])[None, None, :]
    rows, cols = np.broadcast_arrays(rows, cols)
    values = grid[rows, cols]
    count = k[0] * k[1]
    if op == "max":
        products = None
        running = np.maximum.accumulate(values, axis=-1)
        result = running[..., -1]
    else:
        products = values * kernel.ravel() if kernel is not None else None
        running = np.cumsum(products if products is not None else values, axis=-1)
        result = running[..., -1] / count if op == "avg" else running[..., -1] + bias
    frames = []
    taps = tuple(zip(ti.tolist(), tj.tolist()))
    wts = None if kernel is None else tuple(kernel.ravel().tolist())
    for i in range(oh):
        for j in range(ow):
            vals = tuple(values[i, j].tolist())
            frames.append(Frame(
                step=len(frames),
                out=(i, j),
                cells=tuple(zip(rows[i, j].tolist(), cols[i, j].tolist())),
                taps=taps,
                values=vals,
                weights=wts,
                products=None if products is None else tuple(products[i, j].tolist()),
                running=tuple(running[i, j].tolist()),
                result=result[i, j].item(),
                equation=_equation(op, vals, wts, result[i, j], bias, count),
            ))
    return FrameSet(op=op, x=x, grid=grid, kind=kind, source=source, kernel=kernel, weight=weight,
                    kernel_size=k, stride=s, dilation=d, padding=pads, params=params, bias=bias,
                    output=np.asarray(result), frames=tuple(frames))


@docfiller
def conv_frames(x: Any, weight: Any, *, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
                bias: float = 0, max_frames: int = MAX_FRAMES) -> FrameSet:
    """Frames of a single-channel convolution (cross-correlation, as :func:`convviz.conv2d`).

    Parameters
    ----------
    x : array_like, shape (H, W)
    weight : array_like, shape (kH, kW)
    %(stride)s %(padding)s %(dilation)s
    bias : float, keyword-only
    max_frames : int, keyword-only
        Refuse (``GeometryError`` with code ``too_many_frames``) longer animations.

    Returns
    -------
    FrameSet

    Examples
    --------
    >>> fs = conv_frames(np.ones((7, 7), int), np.ones((3, 3), int), stride=2, padding=1)
    >>> fs.output.shape, len(fs.frames), fs.grid.shape
    ((4, 4), 16, (9, 9))
    >>> fs.frames[3].cells[:3], fs.frames[3].result
    (((0, 6), (0, 7), (0, 8)), 4)
    """
    x = _as_2d(x, "x")
    w = _as_2d(weight, "weight")
    # Validates the geometry with the user's own parameter names before anything is drawn.
    k, s, pads, d, _ = window_shape(x.shape, w.shape, stride=stride, padding=padding, dilation=dilation)
    expected = conv2d(x[None], w[None, None], stride=s, padding=padding, dilation=d)[0]
    grid, kind, source = _padded_grid(x, pads, 0)
    params = {"stride": s, "padding": padding if isinstance(padding, str) else (pads[0][0], pads[1][0]),
              "dilation": d}
    fs = _build("conv", x, grid, kind, source, w, w, k, s, d, pads, params, bias, max_frames)
    assert fs.output.shape == expected.shape
    return fs


def pool_frames(x: Any, kernel_size: Any, *, stride: Any = None, padding: Any = 0, op: str = "max",
                max_frames: int = MAX_FRAMES) -> FrameSet:
    """Frames of max or average pooling (as :func:`convviz.pool2d`).

    Max pooling shows padding as -inf (it never wins); average pooling counts padding
    zeros and divides by the window area, as PyTorch's defaults do.

    Examples
    --------
    >>> fs = pool_frames(np.arange(16).reshape(4, 4), 2)
    >>> fs.output.tolist(), fs.frames[0].equation
    ([[5, 7], [13, 15]], 'max(0, 1, 4, 5) = 5')
    """
    check_choice(op, "op", ("max", "avg"), error=GeometryError)
    _no_same(padding, "pooling")
    x = _as_2d(x, "x")
    k = as_pair(kernel_size, "kernel_size", minimum=1)
    k, s, pads, _, _ = window_shape(x.shape, k, stride=k if stride is None else stride, padding=padding,
                                    pool=True)
    p = (pads[0][0], pads[1][0])
    pool2d(x[None], k, stride=s, padding=p, op=op)  # the numbers the frames must reproduce
    if op == "max" and (p[0] or p[1]):
        x_grid = x.astype(np.float64)
        fill: float = -np.inf
    else:
        x_grid, fill = x, 0
    grid, kind, source = _padded_grid(x_grid, pads, fill)
    params = {"stride": s, "padding": p, "dilation": (1, 1)}
    return _build(op, x, grid, kind, source, None, None, k, s, (1, 1), pads, params, 0, max_frames)


def conv_transpose_frames(x: Any, weight: Any, *, stride: Any = 1, padding: Any = 0,
                          output_padding: Any = 0, dilation: Any = 1, bias: float = 0,
                          max_frames: int = MAX_FRAMES) -> FrameSet:
    """Frames of a transposed convolution drawn as conv_arithmetic explains it.

    The input is spread out with ``s - 1`` zeros between cells, padded with
    ``d(k-1) - p`` zeros on each side (plus ``output_padding`` at the bottom / right;
    a negative amount crops), and a stride-1 convolution with the kernel rotated by 180
    degrees runs over it. The result equals :func:`convviz.conv_transpose2d`.

    Examples
    --------
    >>> fs = conv_transpose_frames(np.array([[1, 2], [3, 4]]), np.ones((3, 3), int), stride=2, padding=1)
    >>> fs.grid.shape, fs.output.shape
    ((5, 5), (3, 3))
    >>> fs.grid.tolist()[1]
    [0, 1, 0, 2, 0]
    """
    _no_same(padding, "a transposed convolution")
    x = _as_2d(x, "x")
    w = _as_2d(weight, "weight")
    geo = transposed_shape(x.shape, w.shape, stride=stride, padding=padding, output_padding=output_padding,
                           dilation=dilation)
    s, p, op_, d = geo.stride, geo.padding, geo.output_padding, geo.dilation
    expected = conv_transpose2d(x[None], w[None, None], stride=s, padding=p, output_padding=op_,
                                dilation=d)[0]
    spread = spread_input(x, s)
    inserted = np.ones(spread.shape, bool)
    inserted[:: s[0], :: s[1]] = False
    before, after = geo.before, geo.after
    grid, kind, source = _padded_grid(spread, tuple((max(b, 0), max(a, 0)) for b, a in zip(before, after)), 0)
    kind[(kind == INPUT) & np.pad(inserted, [(max(b, 0), max(a, 0)) for b, a in zip(before, after)])] = INSERTED
    source[kind == INSERTED] = -1
    source[kind == INPUT] //= np.array(s)   # spread coordinates back to input coordinates
    # Padding larger than d(k-1) crops the spread input instead.
    crop = tuple(slice(max(-b, 0), grid.shape[a] - max(-af, 0))
                 for a, (b, af) in enumerate(zip(before, after)))
    grid, kind, source = grid[crop], kind[crop], source[crop]
    kernel = w[::-1, ::-1]
    params = {"stride": s, "padding": p, "output_padding": op_, "dilation": d}
    pads = ((before[0], after[0]), (before[1], after[1]))
    fs = _build("transposed", x, grid, kind, source, kernel, w, geo.kernel, (1, 1), d, pads, params, bias,
                max_frames)
    assert fs.output.shape == expected.shape
    return fs


def animation_frames(x: Any, *, op: str, weight: Any = None, kernel_size: Any = None,
                     stride: Any = 1, padding: Any = 0, dilation: Any = 1,
                     output_padding: Any = 0, max_frames: int = MAX_FRAMES) -> FrameSet:
    """The frame list for any operation in :data:`OPS`; what the page and the GIF draw.

    Parameters
    ----------
    x : array_like, shape (H, W)
    op : {"conv", "max", "avg", "transposed"}, keyword-only
    weight : array_like, shape (kH, kW), keyword-only
        Needed for ``"conv"`` and ``"transposed"``.
    kernel_size : int or (int, int), keyword-only
        Pool window (``"max"``, ``"avg"``); defaults to ``weight.shape``.
    stride, padding, dilation, output_padding : keyword-only
        As in the matching function; pooling ignores ``dilation`` and
        ``output_padding``, convolution ignores ``output_padding``.

    Examples
    --------
    >>> x = np.arange(49).reshape(7, 7) % 5
    >>> fs = animation_frames(x, op="conv", weight=np.ones((3, 3), int), stride=2, padding=1)
    >>> len(fs.frames)
    16
    """
    if op == "conv":
        return conv_frames(x, weight, stride=stride, padding=padding, dilation=dilation,
                           max_frames=max_frames)
    if op in ("max", "avg"):
        if kernel_size is None:
            kernel_size = np.shape(weight)
        return pool_frames(x, kernel_size, stride=stride, padding=padding, op=op,
                           max_frames=max_frames)
    if op == "transposed":
        return conv_transpose_frames(x, weight, stride=stride, padding=padding,
                                     output_padding=output_padding, dilation=dilation,
                                     max_frames=max_frames)
    raise GeometryError(f"op must be one of {', '.join(OPS)}; got {op!r}", "bad_choice", param="op", value=op)
