"""Channels and groups: which input channels each output channel reads, and one output position step by step.

A convolution with ``C_in`` input channels has kernels of depth ``C_in / groups``: output channel
``o`` multiplies each input channel it reads by its own ``kH x kW`` slice, sums the products per
channel, sums those channel sums, then adds its bias. :func:`channel_steps` writes that down for
one output position (the numbers equal :func:`convviz.conv2d`); :func:`group_reads` says which
channels each output reads;

>>> group_reads(4, 2, groups=2)
((0, 1), (2, 3))
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._docs import docfiller
from ..checks import check_groups, check_int
from ..errors import GeometryError
from ..numbers import format_factor, format_number
from .ops import conv2d
from .windows import as_pair, window_shape

__all__ = ["MAX_CHANNELS", "group_reads", "group_choices", "channels_per_group", "group_kind", "ChannelStep",
           "ChannelSteps", "channel_steps"]

#: Most input or output channels the channel player draws.
MAX_CHANNELS = 3


def group_reads(in_channels: int, out_channels: int, *, groups: int = 1) -> tuple[tuple[int, ...], ...]:
    """The input channels each output channel reads, as ``torch.nn.Conv2d(groups=...)`` wires them.

    Parameters
    ----------
    in_channels, out_channels : int
        Both divisible by ``groups``.
    groups : int, keyword-only
        1: every output reads every input (standard); ``in_channels``: depthwise.

    Returns
    -------
    tuple of tuple of int
        One tuple of input channel numbers per output channel.

    Raises
    ------
    GeometryError
        ``groups_divide`` when a channel count is not divisible by ``groups``.

    Examples
    --------
    >>> group_reads(3, 2)
    ((0, 1, 2), (0, 1, 2))
    >>> group_reads(3, 3, groups=3)
    ((0,), (1,), (2,))
    """
    c_in = check_int(in_channels, "in_channels", minimum=1, error=GeometryError)
    c_out = check_int(out_channels, "out_channels", minimum=1, error=GeometryError)
    g = check_groups(groups, c_in, c_out, error=GeometryError)
    per_in, per_out = c_in // g, c_out // g
    return tuple(tuple(range((o // per_out) * per_in, (o // per_out + 1) * per_in)) for o in range(c_out))


def group_choices(in_channels: int, out_channels: int) -> tuple[int, ...]:
    """The ``groups`` values allowed for these channel counts, from standard (1) to the most split.

    >>> group_choices(3, 3), group_choices(2, 2), group_choices(3, 2)
    ((1, 3), (1, 2), (1,))
    """
    c_in = check_int(in_channels, "in_channels", minimum=1, error=GeometryError)
    c_out = check_int(out_channels, "out_channels", minimum=1, error=GeometryError)
    return tuple(g for g in range(1, c_in + 1) if c_in % g == 0 and c_out % g == 0)


def channels_per_group(in_channels: int, out_channels: int, *, groups: int = 1) -> int:
    """How many input channels each output channel reads: the depth of its kernel, ``C_in / groups``.

    >>> channels_per_group(3, 2), channels_per_group(4, 2, groups=2)
    (3, 2)
    """
    return len(group_reads(in_channels, out_channels, groups=groups)[0])


def group_kind(groups: int, in_channels: int) -> str:
    """``"standard"`` (1 group), ``"depthwise"`` (one group per input channel) or ``"grouped"``.

    >>> group_kind(1, 3), group_kind(3, 3), group_kind(2, 4)
    ('standard', 'depthwise', 'grouped')
    """
    if groups == 1:
        return "standard"
    return "depthwise" if groups == in_channels else "grouped"


@dataclass(frozen=True)
class ChannelStep:
    """One step of the multi-channel player.

    Attributes
    ----------
    out_channel : int
    phase : {"channel", "sum", "bias"}
        ``"channel"``: one input channel's products and their sum; ``"sum"``: the channel sums
        added; ``"bias"``: the bias added, giving the output value.
    in_channel : int or None
        The input channel of a ``"channel"`` step.
    values, weights, products : tuple of float
        Of a ``"channel"`` step (window values, kernel slice, products, in tap order); else empty.
    channel_sums : tuple of float
        Sums of the channels done so far for this output channel.
    total : float
        The channel step's sum, the sum of all channel sums, or the output value (bias step).
    equation : str
        The step written out.
    """

    out_channel: int
    phase: str
    in_channel: int | None
    values: tuple[float, ...]
    weights: tuple[float, ...]
    products: tuple[float, ...]
    channel_sums: tuple[float, ...]
    total: float
    equation: str


@dataclass(frozen=True, eq=False)
class ChannelSteps:
    """Everything the multi-channel player shows for one output position.

    Attributes
    ----------
    x : numpy.ndarray, shape (C_in, H, W)
    grid : numpy.ndarray, shape (C_in, gH, gW)
        The zero-padded input.
    pad : tuple of (int, int)
        ``((top, bottom), (left, right))``.
    weight : numpy.ndarray, shape (C_out, C_in / groups, kH, kW)
    bias : numpy.ndarray, shape (C_out,)
    groups : int
    reads : tuple of tuple of int
        :func:`group_reads`.
    position : (int, int)
        The output cell.
    cells : tuple of (int, int)
        Padded-grid cells under the kernel taps at ``position`` (the same in every channel).
    output : numpy.ndarray, shape (C_out, oH, oW)
        :func:`convviz.conv2d` of the same input.
    steps : tuple of ChannelStep
        Per output channel: one step per input channel read, the sum, the bias.
    """

    x: np.ndarray
    grid: np.ndarray
    pad: tuple[tuple[int, int], tuple[int, int]]
    weight: np.ndarray
    bias: np.ndarray
    groups: int
    reads: tuple[tuple[int, ...], ...]
    position: tuple[int, int]
    cells: tuple[tuple[int, int], ...]
    output: np.ndarray
    steps: tuple[ChannelStep, ...]

    def to_data(self) -> dict:
        """A JSON-ready dict (numbers as text) for the browser player.

        >>> cs = channel_steps(np.ones((2, 2, 2), int), np.ones((1, 2, 1, 1), int), [1])
        >>> d = cs.to_data(); d["reads"], d["steps"][-1]["eq"]
        ([[0, 1]], '2 + 1 = 3')
        """
        fmt = np.vectorize(format_number, otypes=[object])
        kind = np.ones(self.grid.shape[1:], int)
        (t, _), (left, _) = self.pad
        kind[t: t + self.x.shape[1], left: left + self.x.shape[2]] = 0
        return {
            "grid": fmt(self.grid).tolist(),
            "kind": kind.tolist(),
            "weight": fmt(self.weight).tolist(),
            "bias": [format_number(b) for b in self.bias],
            "reads": [list(r) for r in self.reads],
            "position": list(self.position),
            "cells": [list(c) for c in self.cells],
            "oshape": list(self.output.shape[1:]),
            "result": [format_number(v) for v in self.output[:, self.position[0], self.position[1]]],
            "steps": [{"o": s.out_channel, "phase": s.phase, "c": s.in_channel,
                       "values": [format_number(v) for v in s.values],
                       "weights": [format_number(v) for v in s.weights],
                       "products": [format_number(v) for v in s.products],
                       "sums": [format_number(v) for v in s.channel_sums],
                       "total": format_number(s.total), "eq": s.equation} for s in self.steps],
        }


@docfiller
def channel_steps(x: Any, weight: Any, bias: Any = None, *, position: Any = (0, 0), stride: Any = 1,
                  padding: Any = 0, dilation: Any = 1, groups: int = 1) -> ChannelSteps:
    """One output position of a multi-channel convolution, step by step, as :func:`convviz.conv2d` computes it.

    Parameters
    ----------
    x : array_like, shape (C_in, H, W)
    weight : array_like, shape (C_out, C_in / groups, kH, kW)
    bias : array_like, shape (C_out,), optional
        Zeros when omitted.
    position : (int, int), keyword-only
        The output cell ``(row, col)``.
    %(stride)s %(padding)s %(dilation)s %(groups)s

    Returns
    -------
    ChannelSteps

    Raises
    ------
    GeometryError
        As :func:`convviz.conv2d`; ``out_of_range`` for a position outside the output.

    Examples
    --------
    >>> x = np.array([[[1, 2], [3, 4]], [[10, 20], [30, 40]]])
    >>> cs = channel_steps(x, np.ones((1, 2, 2, 2), int), [5])
    >>> [s.equation for s in cs.steps]
    ['1·1 + 2·1 + 3·1 + 4·1 = 10', '10·1 + 20·1 + 30·1 + 40·1 = 100', '10 + 100 = 110', '110 + 5 = 115']
    """
    x = np.asarray(x)
    w = np.asarray(weight)
    b = np.zeros(w.shape[0] if w.ndim == 4 else 1, np.int64) if bias is None else np.asarray(bias)
    output = conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)  # checks all
    g = check_groups(groups, x.shape[0], w.shape[0], error=GeometryError)
    k, s, pads, d, out = window_shape(x.shape[1:], w.shape[2:], stride=stride, padding=padding, dilation=dilation)
    row = check_int(as_pair(position, "position")[0], "row", minimum=0, maximum=out[0] - 1, error=GeometryError)
    col = check_int(as_pair(position, "position")[1], "col", minimum=0, maximum=out[1] - 1, error=GeometryError)
    grid = np.pad(x, ((0, 0), pads[0], pads[1]))
    cells = tuple((row * s[0] + i * d[0], col * s[1] + j * d[1]) for i in range(k[0]) for j in range(k[1]))
    rr, cc = np.array(cells).T
    reads = group_reads(x.shape[0], w.shape[0], groups=g)
    steps = []
    for o, channels in enumerate(reads):
        sums: list = []
        for q, c in enumerate(channels):
            values = grid[c, rr, cc]
            weights = w[o, q].ravel()
            products = values * weights
            sums.append(products.sum())
            terms = " + ".join(f"{format_factor(v)}·{format_factor(wt)}" for v, wt in zip(values, weights))
            steps.append(ChannelStep(o, "channel", c, tuple(values.tolist()), tuple(weights.tolist()),
                                     tuple(products.tolist()), tuple(np.array(sums).tolist()), sums[-1].item(),
                                     f"{terms} = {format_number(sums[-1])}"))
        total = np.sum(sums)
        steps.append(ChannelStep(o, "sum", None, (), (), (), tuple(np.array(sums).tolist()), total.item(),
                                 " + ".join(format_factor(v) for v in sums) + f" = {format_number(total)}"))
        value = total + b[o]
        steps.append(ChannelStep(o, "bias", None, (), (), (), tuple(np.array(sums).tolist()), value.item(),
                                 f"{format_number(total)} + {format_factor(b[o])} = {format_number(value)}"))
        # The steps must end where conv2d does.
        assert np.isclose(value, output[o, row, col]), (value, output[o, row, col])
    return ChannelSteps(x=x, grid=grid, pad=pads, weight=w, bias=b, groups=g, reads=reads, position=(row, col),
                        cells=cells, output=output, steps=tuple(steps))
