"""Receptive fields of a layer stack: which input pixels one output position can see.

Follows Araujo, Norris and Sim, "Computing Receptive Fields of Convolutional Neural Networks"
(Distill, 2019). Per axis, layer ``l`` with kernel ``k``, stride ``s``, dilation ``d`` and
``p`` pixels of padding before the first row / column turns the previous row's size ``r``,
jump ``j`` and start ``u`` into::

    r = r_prev + (k - 1) * d * j_prev
    j = j_prev * s
    u = u_prev + ((k - 1) / 2 * d - p) * j_prev

The course notes' example: three 3x3 convolutions see a 7x7 patch.

>>> from convviz.layers import Conv2d
>>> rf = receptive_field([Conv2d(1, 1, 3), Conv2d(1, 1, 3), Conv2d(1, 1, 3)], (1, 32, 32))
>>> [row.size for row in rf.rows]
[(3, 3), (5, 5), (7, 7)]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np

from .blocks import is_block
from .layers import (AdaptiveAvgPool2d, AvgPool2d, Conv2d, Flatten, Layer, Linear, MaxPool2d, Unflatten,
                     layer_error)
from .summary import summarize
from .windows import resolve_padding

Pair = tuple[int, int]
Shape = tuple[int, ...]

__all__ = ["Rect", "FieldRow", "FieldRect", "ReceptiveField", "receptive_field"]


# ---------------------------------------------------------------- one axis of one layer

@dataclass(frozen=True)
class _Axis:
    """How one layer maps output positions to input positions along one axis.

    ``kind`` is ``"identity"`` (pointwise), ``"window"`` (conv / pool: output ``i`` reads
    ``i*s - p ... i*s - p + d*(k-1)``), ``"adaptive"`` (torch's adaptive pooling windows) or
    ``"whole"`` (every output reads every input position: Linear, a global pool).
    """

    kind: str
    n_in: int
    n_out: int
    k: int = 1
    s: int = 1
    d: int = 1
    p: int = 0

    def window(self, i: int) -> tuple[int, int]:
        """First and last input position output ``i`` reads (any integer ``i``: padding too)."""
        if self.kind == "identity":
            return i, i
        if self.kind == "window":
            lo = i * self.s - self.p
            return lo, lo + self.d * (self.k - 1)
        if self.kind == "adaptive":
            # torch: start = floor(i * n_in / n_out), end = ceil((i + 1) * n_in / n_out)
            return (i * self.n_in) // self.n_out, -((-(i + 1) * self.n_in) // self.n_out) - 1
        return 0, self.n_in - 1


def _span(axes: Sequence[_Axis], lo: int, hi: int) -> tuple[int, int]:
    """First and last input position read by outputs ``lo..hi`` of the last of ``axes``,
    padding and positions past the edge counted (each map extended beyond its input)."""
    for ax in reversed(axes):
        lo, hi = ax.window(lo)[0], ax.window(hi)[1]
    return lo, hi


def _reach(axes: Sequence[_Axis], positions: np.ndarray) -> tuple[int, int] | None:
    """First and last input pixel that outputs ``positions`` of the last of ``axes`` depend on.

    Walks back through the exact taps, dropping padding at every layer as autograd does: a
    dilated kernel whose outer taps land on padding-only positions reads less than its span.
    ``None`` when only padding is left.
    """
    pos = positions
    for ax in reversed(axes):
        if ax.kind == "identity":
            continue
        # a mask over the layer's input: memory stays O(n_in) however large the kernel
        read = np.zeros(ax.n_in, bool)
        if ax.kind == "window":
            for t in range(ax.k):
                taps = pos * ax.s - ax.p + t * ax.d
                read[taps[(taps >= 0) & (taps < ax.n_in)]] = True
        elif ax.kind == "adaptive":
            for i in pos:
                read[(i * ax.n_in) // ax.n_out: -((-(i + 1) * ax.n_in) // ax.n_out)] = True
        else:
            read[:] = True
        pos = np.flatnonzero(read)
        if not pos.size:
            return None
    return int(pos[0]), int(pos[-1])


def _window_axes(layer: Layer, n_in: Pair, n_out: Pair) -> tuple[_Axis, _Axis]:
    """The two axis maps of a conv / pool layer (kernel, stride, dilation, padding before)."""
    if isinstance(layer, Conv2d):
        kernel, stride, dilation = layer.kernel_size, layer.stride, layer.dilation
        # "same" pads d*(k-1) in total, the odd pixel at the end, as torch does: one rule, in windows
        pads = resolve_padding(layer.padding, kernel, stride=stride, dilation=dilation)
        before = (pads[0][0], pads[1][0])
    else:
        kernel, stride, before = layer.kernel_size, layer.stride, layer.padding
        dilation = layer.dilation if isinstance(layer, MaxPool2d) else (1, 1)
    return tuple(
        _Axis("identity", n_in[a], n_out[a]) if (kernel[a], stride[a], before[a]) == (1, 1, 0)
        else _Axis("window", n_in[a], n_out[a], kernel[a], stride[a], dilation[a], before[a])
        for a in (0, 1))


def _adaptive_axis(n_in: int, n_out: int) -> _Axis:
    if n_in == n_out:
        return _Axis("identity", n_in, n_out)
    if n_out == 1:
        return _Axis("whole", n_in, n_out)
    if n_in % n_out == 0:  # even windows: an ordinary pool with kernel = stride = n_in / n_out
        return _Axis("window", n_in, n_out, n_in // n_out, n_in // n_out)
    return _Axis("adaptive", n_in, n_out)


# ---------------------------------------------------------------- results

@dataclass(frozen=True)
class Rect:
    """Input pixels ``top <= y < bottom``, ``left <= x < right`` (half-open, like slices).

    >>> r = Rect(-1, -1, 2, 2)
    >>> r.height, r.width, r.clip(8, 8)
    (3, 3, Rect(top=0, left=0, bottom=2, right=2))
    """

    top: int
    left: int
    bottom: int
    right: int

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def slices(self) -> tuple[slice, slice]:
        """``image[rect.slices]`` is the patch (only meaningful for a clipped rectangle)."""
        return slice(self.top, self.bottom), slice(self.left, self.right)

    def clip(self, height: int, width: int) -> "Rect | None":
        """This rectangle inside a ``height x width`` image, or ``None`` when it lies outside."""
        r = Rect(max(self.top, 0), max(self.left, 0), min(self.bottom, height), min(self.right, width))
        return r if r.height > 0 and r.width > 0 else None


@dataclass(frozen=True)
class FieldRect:
    """The input rectangle of one output position.

    ``clipped`` holds the image pixels the output depends on (what autograd finds; ``None``
    when the position reads only padding); ``unclipped`` is the same field with padding and
    positions past the image edge counted, as the row's ``size`` and ``start`` count them.
    Both are bounding boxes: a dilated kernel, or a stride larger than its kernel, leaves some
    pixels inside unread.
    """

    position: int
    row: int
    col: int
    clipped: Rect | None
    unclipped: Rect


@dataclass(frozen=True)
class FieldRow:
    """One layer of a :class:`ReceptiveField` (``position`` is 1-based, as in a Summary).

    ``size``, ``jump`` and ``start`` are ``(h, w)`` pairs in input pixels: the field of one
    output (padding counted), the distance between the fields of neighbouring outputs, and the
    centre of output (0, 0)'s field (negative or half-integer with padding and even kernels).
    ``kernel``, ``stride``, ``dilation`` and ``pad_before`` are the numbers this layer put into
    the formula (``1, 1, 1, 0`` for a pointwise layer). ``mixes_all`` is True once a layer reads
    every position (Linear, a global pool): ``size`` is then the extent of every pixel that
    reaches it and ``jump`` is 0. ``uniform`` is False after an adaptive pool with uneven
    windows: ``size`` is then the largest field and ``jump`` the average spacing.
    ``positions`` is the output grid ``(h, w)`` (the grid before Flatten for a flat vector
    that is still one feature per position; ``(1, 1)`` after Linear).
    """

    position: int
    name: str
    layer: Layer
    input_shape: Shape
    output_shape: Shape
    positions: Pair
    size: Pair
    jump: tuple[float, float]
    start: tuple[float, float]
    kernel: Pair
    stride: Pair
    dilation: Pair
    pad_before: Pair
    mixes_all: bool
    uniform: bool

    @property
    def type_name(self) -> str:
        return self.layer.type_name


@dataclass(frozen=True)
class ReceptiveField:
    """Receptive field of every layer of a stack (see :func:`receptive_field`)."""

    input_shape: Shape
    rows: tuple[FieldRow, ...]
    _axes: tuple[tuple[_Axis, ...], tuple[_Axis, ...]] = field(repr=False, compare=False)

    @property
    def last(self) -> FieldRow | None:
        """The row of the last layer (``None`` for an empty stack)."""
        return self.rows[-1] if self.rows else None

    def row(self, position: int) -> FieldRow:
        """The row of layer ``position`` (1-based)."""
        return self.rows[self._check_position(position) - 1]

    def _check_position(self, position: Any) -> int:
        n = len(self.rows)
        if isinstance(position, bool) or not isinstance(position, int) or not 1 <= position <= n:
            raise layer_error("rf_position", f"position must be a layer number from 1 to {n}, got {position!r}",
                              param="position", value=position, count=n)
        return position

    def rect(self, position: int, row: int = 0, col: int = 0) -> FieldRect:
        """The input rectangle that output ``(row, col)`` of layer ``position`` sees.

        Parameters
        ----------
        position : int
            Layer number, 1-based (as in :class:`FieldRow`).
        row, col : int
            Output position, 0-based, inside ``FieldRow.positions``.

        Returns
        -------
        FieldRect

        Raises
        ------
        LayerError
            ``rf_position`` for a layer number outside the stack, ``rf_out_of_range`` for an
            output position outside the layer's grid.

        Examples
        --------
        >>> from convviz.layers import Conv2d
        >>> rf = receptive_field([Conv2d(1, 1, 3, padding=1), Conv2d(1, 1, 3, stride=2)], (1, 8, 8))
        >>> r = rf.rect(2, 0, 0)
        >>> r.unclipped, r.clipped
        (Rect(top=-1, left=-1, bottom=4, right=4), Rect(top=0, left=0, bottom=4, right=4))
        """
        position = self._check_position(position)
        grid = self.rows[position - 1].positions
        for name, value, n in (("row", row, grid[0]), ("col", col, grid[1])):
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < n:
                raise layer_error(
                    "rf_out_of_range",
                    f"{name} must be from 0 to {n - 1} at layer {position} "
                    f"({self.rows[position - 1].type_name}), got {value!r}",
                    param=name, value=value, limit=n - 1, position=position)
        spans = []
        for axis, i in ((0, row), (1, col)):
            axes = self._axes[axis][:position]
            clipped = _reach(axes, np.array([i]))
            unclipped = _span(axes, i, i)
            if any(ax.kind == "whole" for ax in axes):
                # a layer that reads everything: report what reaches it, padding is not a pixel
                unclipped = clipped or unclipped
            spans.append((clipped, unclipped))
        (ch, uh), (cw, uw) = spans
        clipped_rect = None if ch is None or cw is None else Rect(ch[0], cw[0], ch[1] + 1, cw[1] + 1)
        return FieldRect(position, row, col, clipped_rect, Rect(uh[0], uw[0], uh[1] + 1, uw[1] + 1))

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per row, pairs as ``"7x7"`` text (for a table).

        >>> from convviz.layers import Conv2d
        >>> receptive_field([Conv2d(1, 1, 3, stride=2)], (1, 9, 9)).to_records()[0]["jump"]
        '2x2'
        """
        def text(pair: tuple[float, float]) -> str:
            return "x".join(str(int(v)) if float(v).is_integer() else str(round(v, 3)) for v in pair)

        return [{"position": r.position, "name": r.name, "type": r.type_name, "size": text(r.size),
                 "jump": text(r.jump), "start": text(r.start), "mixes_all": r.mixes_all}
                for r in self.rows]


# ---------------------------------------------------------------- the stack

def _axes_of(layer: Layer, shape_in: Shape, shape_out: Shape, grid: Pair, origin: Shape | None
             ) -> tuple[tuple[_Axis, _Axis], Pair, Shape | None]:
    """Axis maps of one layer, the output grid, and the image shape a flat vector came from."""
    if isinstance(layer, (Conv2d, MaxPool2d, AvgPool2d)):
        out = shape_out[1:]
        return _window_axes(layer, grid, out), out, None
    if isinstance(layer, AdaptiveAvgPool2d):
        out = shape_out[1:]
        return (_adaptive_axis(grid[0], out[0]), _adaptive_axis(grid[1], out[1])), out, None
    if isinstance(layer, Linear):
        return (_Axis("whole", grid[0], 1), _Axis("whole", grid[1], 1)), (1, 1), None
    if isinstance(layer, Flatten):
        origin = shape_in if len(shape_in) == 3 else origin
        return (_Axis("identity", grid[0], grid[0]), _Axis("identity", grid[1], grid[1])), grid, origin
    if isinstance(layer, Unflatten):
        if tuple(shape_out) == origin:  # Flatten, pointwise layers, Unflatten back: nothing moved
            return (_Axis("identity", grid[0], grid[0]), _Axis("identity", grid[1], grid[1])), grid, None
        out = tuple(shape_out[1:]) if len(shape_out) == 3 else (1, 1)
        return (_Axis("whole", grid[0], out[0]), _Axis("whole", grid[1], out[1])), out, None
    # pointwise: activations, BatchNorm2d, Dropout (on an image or a flat vector)
    return (_Axis("identity", grid[0], grid[0]), _Axis("identity", grid[1], grid[1])), grid, origin


def _axis_numbers(axes: Sequence[_Axis], previous: tuple[int, float, float, str]
                  ) -> tuple[int, float, float, str]:
    """``(size, jump, start, state)`` of the last of ``axes``; state is uniform / uneven / whole."""
    size, jump, start, state = previous
    ax = axes[-1]
    if state == "whole" or ax.kind == "identity":
        return previous
    if ax.kind == "whole":
        reach = _reach(axes, np.arange(ax.n_out)) or _span(axes, 0, ax.n_out - 1)
        return reach[1] - reach[0] + 1, 0, (reach[0] + reach[1]) / 2, "whole"
    if state == "uniform" and ax.kind == "window":
        return (size + (ax.k - 1) * ax.d * jump, jump * ax.s,
                start + ((ax.k - 1) / 2 * ax.d - ax.p) * jump, "uniform")
    # uneven windows somewhere: measure every output position's field
    spans = [_span(axes, i, i) for i in range(ax.n_out)]
    centres = [(lo + hi) / 2 for lo, hi in spans]
    if ax.n_out > 1:
        jump = (centres[-1] - centres[0]) / (ax.n_out - 1)
    else:
        nxt = _span(axes, 1, 1)
        jump = (nxt[0] + nxt[1]) / 2 - centres[0]
    return max(hi - lo + 1 for lo, hi in spans), jump, centres[0], "uneven"


def receptive_field(layers: Iterable[Layer], input_shape: Sequence[int]) -> ReceptiveField:
    """The receptive field of every layer of a stack, in input pixels.

    Parameters
    ----------
    layers : iterable of Layer
        The stack, as for :func:`convviz.summarize` (its shapes are checked the same way).
    input_shape : sequence of int
        ``(C, H, W)`` of one input image (no batch axis).

    Returns
    -------
    ReceptiveField
        ``rows`` has one :class:`FieldRow` per layer (``size``, ``jump``, ``start``);
        ``rect(position, row, col)`` gives the input rectangle of one output position.

    Raises
    ------
    LayerError
        What :func:`convviz.summarize` raises for a stack that does not fit (with ``position``),
        ``rf_needs_image`` for a flat ``input_shape`` and ``rf_block`` for a stack with
        :class:`~convviz.blocks.Residual` or :class:`~convviz.blocks.Concat` blocks.

    Notes
    -----
    Pointwise layers (activations, BatchNorm2d, Dropout, a 1x1 stride-1 convolution) leave a
    row unchanged. ``padding="same"`` with an even kernel pads one pixel more at the end, as
    torch does, so ``start`` counts only the padding before. A layer that reads every position
    (Linear, AdaptiveAvgPool2d to 1) reports every pixel that reaches it: usually the whole
    image. A stack that flattens and unflattens to the same shape with only pointwise layers
    between keeps its fields; any other Unflatten counts as mixing everything.

    This is the *theoretical* field: every pixel in it can change the output, but pixels near
    its centre reach the output through many more paths and weigh more (the effective
    receptive field is smaller and roughly Gaussian).

    Examples
    --------
    >>> from convviz.layers import Conv2d, MaxPool2d, ReLU
    >>> rf = receptive_field([Conv2d(3, 8, 3, padding=1), ReLU(), MaxPool2d(2), Conv2d(8, 8, 3)], (3, 32, 32))
    >>> [(r.name, r.size, r.jump, r.start) for r in rf.rows]    # doctest: +NORMALIZE_WHITESPACE
    [('Conv2d-1', (3, 3), (1, 1), (0.0, 0.0)), ('ReLU-2', (3, 3), (1, 1), (0.0, 0.0)),
     ('MaxPool2d-3', (4, 4), (2, 2), (0.5, 0.5)), ('Conv2d-4', (8, 8), (2, 2), (2.5, 2.5))]
    >>> rf.rect(4, 0, 0).clipped
    Rect(top=0, left=0, bottom=7, right=7)
    """
    layers = list(layers)
    for position, layer in enumerate(layers, start=1):
        if is_block(layer):  # a field through branches is a union of fields: not one size, jump and start
            raise layer_error("rf_block",
                              f"layer {position} ({layer.type_name}): receptive_field follows one path of "
                              f"layers; a stack with Residual or Concat blocks has several",
                              position=position, layer_type=layer.type_name)
    summary = summarize(layers, input_shape)
    if len(summary.input_shape) != 3:
        raise layer_error("rf_needs_image",
                          f"receptive_field needs an image input (C, H, W), got {tuple(input_shape)!r}",
                          param="input_shape", value=tuple(input_shape))
    grid: Pair = summary.input_shape[1:]
    origin: Shape | None = None
    axes: tuple[list[_Axis], list[_Axis]] = ([], [])
    numbers = [(1, 1, 0.0, "uniform")] * 2
    rows = []
    for r in summary.rows:
        pair, grid, origin = _axes_of(r.layer, r.input_shape, r.output_shape, grid, origin)
        for a in (0, 1):
            axes[a].append(pair[a])
            numbers[a] = _axis_numbers(axes[a], numbers[a])
        windows = [ax if ax.kind == "window" else _Axis("identity", 1, 1) for ax in pair]
        rows.append(FieldRow(
            position=r.position, name=r.name, layer=r.layer, input_shape=r.input_shape,
            output_shape=r.output_shape, positions=grid,
            size=(numbers[0][0], numbers[1][0]), jump=(numbers[0][1], numbers[1][1]),
            start=(float(numbers[0][2]), float(numbers[1][2])),
            kernel=(windows[0].k, windows[1].k), stride=(windows[0].s, windows[1].s),
            dilation=(windows[0].d, windows[1].d), pad_before=(windows[0].p, windows[1].p),
            mixes_all=numbers[0][3] == numbers[1][3] == "whole",
            uniform="uneven" not in (numbers[0][3], numbers[1][3])))
    return ReceptiveField(summary.input_shape, tuple(rows), (tuple(axes[0]), tuple(axes[1])))
