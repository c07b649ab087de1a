"""Receptive fields of a layer stack: which input pixels one output position can see.

Follows Araujo, Norris and Sim, "Computing Receptive Fields of Convolutional Neural Networks"
(Distill, 2019). Per axis, layer ``l`` with kernel ``k``, stride ``s``, dilation ``d`` and
``p`` pixels of padding before the first row / column turns the previous row's size ``r``,
jump ``j`` and start ``u`` into::

    r = r_prev + (k - 1) * d * j_prev
    j = j_prev * s
    u = u_prev + ((k - 1) / 2 * d - p) * j_prev

The course notes' example: three 3x3 convolutions see a 7x7 patch.

>>> from convviz.nets.layers import Conv2d
>>> rf = receptive_field([Conv2d(1, 1, 3), Conv2d(1, 1, 3), Conv2d(1, 1, 3)], (1, 32, 32))
>>> [row.size for row in rf.rows]
[(3, 3), (5, 5), (7, 7)]
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._docs import docfiller
from ..checks import check_int
from ..errors import ImageError
from ..numbers import format_number
from ..pictures.images import centre_crop, resize
from ..sliding.windows import resolve_padding
from .blocks import is_block
from .layers import (
    AdaptiveAvgPool2d,
    AvgPool2d,
    Conv2d,
    Flatten,
    Layer,
    Linear,
    MaxPool2d,
    ReLU,
    Unflatten,
    layer_error,
)
from .summary import summarize

Pair = tuple[int, int]
Shape = tuple[int, ...]

__all__ = ["Rect", "FieldRow", "FieldRect", "ReceptiveField", "receptive_field", "FieldStack", "FIELD_STACKS",
           "FieldWork", "fit_input", "fields_under", "field_work"]


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

    def clip(self, height: int, width: int) -> Rect | None:
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
        >>> from convviz.nets.layers import Conv2d
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

        >>> from convviz.nets.layers import Conv2d
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


@docfiller
def receptive_field(layers: Iterable[Layer], input_shape: Sequence[int]) -> ReceptiveField:
    """The receptive field of every layer of a stack, in input pixels.

    Parameters
    ----------
    layers : iterable of Layer
        The stack, as for :func:`convviz.summarize` (its shapes are checked the same way).
    %(input_shape)s
        An image: ``(C, H, W)``.

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
        :class:`~convviz.nets.blocks.Residual` or :class:`~convviz.nets.blocks.Concat` blocks.

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
    >>> from convviz.nets.layers import Conv2d, MaxPool2d, ReLU
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


# ---------------------------------------------------------------- presets, the photo, the worked formula

@dataclass(frozen=True)
class FieldStack:
    """A preset stack for the receptive-field view: ``layers`` run on a ``(C, H, W)`` input.

    ``name`` is also the translation key's last part (``receptive.stacks.<name>``).
    """

    name: str
    input_shape: tuple[int, int, int]
    layers: tuple[Layer, ...]


def _vgg_like() -> list[Layer]:
    out: list[Layer] = []
    for c_in, c_out in ((3, 16), (16, 32), (32, 64)):
        out += [Conv2d(c_in, c_out, 3, padding=1), ReLU(), Conv2d(c_out, c_out, 3, padding=1), ReLU(), MaxPool2d(2)]
    return out


def _presets() -> dict[str, FieldStack]:
    from .architectures import ARCHITECTURES  # architectures imports summary, as this module does
    alexnet, lenet = ARCHITECTURES["alexnet"], ARCHITECTURES["lenet5"]
    stacks = [
        FieldStack("three_3x3", (3, 64, 64), (Conv2d(3, 8, 3), ReLU(), Conv2d(8, 8, 3), ReLU(), Conv2d(8, 8, 3))),
        FieldStack("vgg_like", (3, 64, 64), tuple(_vgg_like())),
        # torchvision's alexnet.features: the five convolutions and three max pools, before the classifier
        FieldStack("alexnet_features", alexnet.input_shape, alexnet.layers[:13]),
        FieldStack("dilated", (3, 64, 64), (Conv2d(3, 8, 3, padding=1), ReLU(),
                                            Conv2d(8, 8, 3, padding=2, dilation=2), ReLU(),
                                            Conv2d(8, 8, 3, padding=4, dilation=4))),
        FieldStack("strided", (3, 64, 64), (Conv2d(3, 8, 3, stride=2, padding=1), ReLU(),
                                            Conv2d(8, 8, 3, stride=2, padding=1), ReLU(),
                                            Conv2d(8, 8, 3, stride=2, padding=1))),
        # the whole LeNet-5: its Linear layers read every position, so their field is the whole input
        FieldStack("lenet5", lenet.input_shape, lenet.layers),
    ]
    return {s.name: s for s in stacks}


#: Preset stacks of the receptive-field view, by name (the order the page lists them).
FIELD_STACKS: dict[str, FieldStack] = _presets()


def fit_input(image: np.ndarray, size: Sequence[int], *, max_side: int | None = None) -> np.ndarray:
    """A photo cut and scaled to a stack's input: the centre crop with the input's aspect, resized.

    Parameters
    ----------
    image : ndarray
        ``(H, W)`` or ``(H, W, 3)`` uint8 photo.
    size : (int, int)
        ``(height, width)`` of the stack's input.
    max_side : int, optional
        Keep the result at most this many pixels on its longer side (same aspect): a large
        input is then shown at a lower resolution instead of being built pixel for pixel.

    Returns
    -------
    ndarray
        ``(h, w[, 3])`` uint8, ``(h, w) == size`` unless ``max_side`` shrank it.

    Examples
    --------
    >>> photo = np.zeros((300, 400, 3), np.uint8)
    >>> fit_input(photo, (32, 32)).shape
    (32, 32, 3)
    >>> fit_input(photo, (227, 454), max_side=100).shape
    (50, 100, 3)
    """
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim not in (2, 3) or min(image.shape[:2], default=0) < 1 \
            or (image.ndim == 3 and image.shape[2] != 3):
        raise ImageError(f"image must be an (H, W) or (H, W, 3) uint8 array, got {image.dtype} {image.shape}",
                         "not_image")
    h = check_int(size[0], "height", minimum=1, error=ImageError)
    w = check_int(size[1], "width", minimum=1, error=ImageError)
    crop = centre_crop(image, (h, w))  # the input's aspect ratio h : w
    if max_side is not None:
        side = check_int(max_side, "max_side", minimum=1, error=ImageError)
        if max(h, w) > side:
            h, w = max(1, round(h * side / max(h, w))), max(1, round(w * side / max(h, w)))
    return resize(np.ascontiguousarray(crop), (h, w))


def _nearest(y: float, start: float, jump: float, n: int) -> int:
    """The output index ``0..n-1`` whose field centre ``start + i * jump`` is nearest to ``y``."""
    if jump <= 0 or n <= 1:
        return 0
    return int(min(max(np.floor((y - start) / jump + 0.5), 0), n - 1))


def fields_under(rf: ReceptiveField, row: int, col: int) -> tuple[FieldRect, ...]:
    """At every layer, the field of the output position whose field is centred nearest input pixel ``(row, col)``.

    Parameters
    ----------
    rf : ReceptiveField
    row, col : int
        An input pixel (0-based), inside ``rf.input_shape``.

    Returns
    -------
    tuple of FieldRect
        One per layer (``rf.rows``), in order; ``.row`` / ``.col`` are the chosen output position.

    Examples
    --------
    >>> rf = receptive_field(FIELD_STACKS["strided"].layers, (3, 64, 64))
    >>> [(f.row, f.col, f.clipped) for f in fields_under(rf, 40, 8)][-1]
    (5, 1, Rect(top=33, left=1, bottom=48, right=16))
    """
    n_h, n_w = rf.input_shape[1:]
    row = check_int(row, "row", minimum=0, maximum=n_h - 1, error=ImageError)
    col = check_int(col, "col", minimum=0, maximum=n_w - 1, error=ImageError)
    out = []
    for r in rf.rows:
        i = _nearest(row, r.start[0], r.jump[0], r.positions[0])
        j = _nearest(col, r.start[1], r.jump[1], r.positions[1])
        out.append(rf.rect(r.position, i, j))
    return tuple(out)


@dataclass(frozen=True)
class FieldWork:
    """The three formulas of one layer along one axis, as LaTeX pieces for ``ui.common.formula``.

    ``axis`` is ``"height"``, ``"width"`` or ``"both"`` (the axes agree). ``kind`` says which
    rule applies: ``"window"`` (the formulas hold; ``size``, ``jump`` and ``start`` are the
    pieces: symbols, numbers, result), ``"pointwise"`` (the row is unchanged), ``"whole"``
    (the layer reads every position) or ``"uneven"`` (after an adaptive pool with uneven
    windows the numbers are measured, not given by the formulas).
    """

    axis: str
    kind: str
    size: tuple[str, ...]
    jump: tuple[str, ...]
    start: tuple[str, ...]


def _tex(v: float) -> str:
    text = format_number(v, places=3, minus="-")
    return f"({text})" if text.startswith("-") else text


def field_work(rf: ReceptiveField, position: int) -> tuple[FieldWork, ...]:
    """The worked formulas of layer ``position`` (1-based), per axis; one ``"both"`` when the axes agree.

    Examples
    --------
    >>> rf = receptive_field(FIELD_STACKS["strided"].layers, (3, 64, 64))
    >>> w = field_work(rf, 3)[0]
    >>> w.axis, w.kind, w.size[-1], w.jump[-1], w.start[-1]
    ('both', 'window', '7', '4', '0')
    >>> print(w.size[1])
    3 + (3-1)\\cdot 1\\cdot 2
    """
    row = rf.row(position)
    prev = rf.rows[position - 2] if position > 1 else None
    sym = ("r_{l} = r_{l-1} + (k-1)\\, d\\, j_{l-1}", "j_{l} = j_{l-1}\\, s",
           "u_{l} = u_{l-1} + \\left(\\frac{k-1}{2}\\, d - p\\right) j_{l-1}")
    axes = []
    for a, name in ((0, "height"), (1, "width")):
        r0, j0, u0 = (prev.size[a], prev.jump[a], prev.start[a]) if prev else (1, 1, 0.0)
        k, s, d, p = row.kernel[a], row.stride[a], row.dilation[a], row.pad_before[a]
        if prev is not None and prev.mixes_all or row.mixes_all:
            kind = "whole"
        elif not row.uniform:
            kind = "uneven"
        elif (k, s) == (1, 1) and p == 0 and row.size[a] == r0:
            kind = "pointwise"
        else:
            kind = "window"
        size = (sym[0], f"{_tex(r0)} + ({k}-1)\\cdot {d}\\cdot {_tex(j0)}", _tex(row.size[a]))
        jump = (sym[1], f"{_tex(j0)}\\cdot {s}", _tex(row.jump[a]))
        start = (sym[2], f"{_tex(u0)} + \\left(\\frac{{{k}-1}}{{2}}\\cdot {d} - {p}\\right)\\cdot {_tex(j0)}",
                 _tex(row.start[a]))
        axes.append(FieldWork(name, kind, size, jump, start))
    h, w = axes
    if (h.kind, h.size, h.jump, h.start) == (w.kind, w.size, w.jump, w.start):
        return (FieldWork("both", h.kind, h.size, h.jump, h.start),)
    return (h, w)
