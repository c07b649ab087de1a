"""The sliding-window arithmetic, once: output sizes of convolution, pooling and transposed convolution.

Everything that needs an output size comes here: :mod:`convviz.geometry` (the public size
functions and the worked formulas of the Stride and Padding page), :mod:`convviz.layers`
(``Conv2d`` and the poolings, with ``ceil_mode``), :mod:`convviz.ops` and :mod:`convviz.frames`.

* :func:`window_count` -- torch's conv / pool rule ``floor((n + p1 + p2 - d(k-1) - 1) / s) + 1``,
  with ``ceil_mode`` and its "the last window must start inside the input or the left padding" rule;
* :func:`transposed_count` -- ``(n-1)s - 2p + d(k-1) + output_padding + 1``;
* :func:`same_padding` -- the padding ``(before, after)`` that keeps the size at stride 1;
* :func:`check_pool_padding` -- torch's pooling rule ``padding <= kernel_size // 2``;
* :func:`window_shape` / :func:`transposed_shape` -- both axes checked, for any error class.

The checked functions take ``error=`` (the :class:`~convviz.errors.ConvVizError` subclass the caller
raises: ``GeometryError`` by default, ``LayerError`` from layer specs).

>>> window_shape((7, 5), 3, stride=2, padding=1).out
(4, 3)
>>> window_count(5, 2, stride=2, ceil_mode=True), window_count(5, 2, stride=2)
(3, 2)
>>> transposed_shape((4, 3), 3, stride=2, padding=1).out
(7, 5)
"""
from __future__ import annotations

from typing import Any, NamedTuple

from .checks import check_pair
from .errors import ConvVizError, GeometryError

__all__ = ["AXES", "span", "window_count", "transposed_count", "same_padding", "resolve_padding",
           "check_pool_padding", "fit_window", "fit_transposed", "Window", "window_shape", "Transposed",
           "transposed_shape", "compact"]

Pair = tuple[int, int]
Pads = tuple[Pair, Pair]
ErrorType = type[ConvVizError]

#: The name of each axis in error params (``params["axis"]``); a one-axis function says ``"axis"``.
AXES = ("height", "width")


def compact(pair: Pair) -> int | Pair:
    """``(3, 3)`` -> ``3`` (how torch users write a square size); ``(1, 2)`` stays."""
    return pair[0] if pair[0] == pair[1] else pair


def span(kernel_size: int, dilation: int = 1) -> int:
    """Cells a dilated kernel covers: ``d(k-1) + 1``.

    >>> span(3), span(3, 2)
    (3, 5)
    """
    return dilation * (kernel_size - 1) + 1


def window_count(n: int, kernel_size: int, *, stride: int = 1, pads: Pair = (0, 0), dilation: int = 1,
                 ceil_mode: bool = False) -> int:
    """How many windows fit along one axis (torch's rule); ``< 1`` when the kernel does not fit.

    ``pads`` is ``(before, after)``. With ``ceil_mode`` a last, partial window counts too, but only
    if it starts inside the input or the left padding (torch drops one that would start in the
    right padding). No argument checks: see :func:`fit_window`.

    >>> window_count(7, 3, stride=2, pads=(1, 1)), window_count(2, 3)
    (4, 0)
    >>> window_count(6, 3, stride=2, ceil_mode=True), window_count(5, 2, stride=2, pads=(1, 1), ceil_mode=True)
    (3, 3)
    """
    num = n + pads[0] + pads[1] - dilation * (kernel_size - 1) - 1
    # floor division rounds toward -inf like torch's div_rtn, so a too-small input gives <= 0
    if ceil_mode:
        out = -(-num // stride) + 1
        if (out - 1) * stride >= n + pads[0]:
            out -= 1
        return out
    return num // stride + 1


def transposed_count(n: int, kernel_size: int, *, stride: int = 1, padding: int = 0, output_padding: int = 0,
                     dilation: int = 1) -> int:
    """Size of a transposed-convolution output along one axis (may be ``< 1``; see :func:`fit_transposed`).

    >>> transposed_count(4, 3, stride=2, padding=1)
    7
    """
    return (n - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + output_padding + 1


def same_padding(kernel_size: int, dilation: int = 1) -> Pair:
    """``(before, after)`` padding that keeps the size at stride 1; the odd cell goes after, as in torch.

    >>> same_padding(3), same_padding(4), same_padding(3, 2)
    ((1, 1), (1, 2), (2, 2))
    """
    total = dilation * (kernel_size - 1)
    return (total // 2, total - total // 2)


def resolve_padding(padding: Any, kernel: Pair, *, stride: Pair = (1, 1), dilation: Pair = (1, 1),
                    error: ErrorType = GeometryError) -> Pads:
    """``padding`` (an int, a pair, ``"valid"`` or ``"same"``) as ``((top, bottom), (left, right))``.

    ``kernel``, ``stride`` and ``dilation`` are already checked pairs. ``"same"`` needs stride 1
    (code ``same_needs_stride_1``); any other string is ``bad_padding``.

    >>> resolve_padding("same", (3, 4)), resolve_padding((1, 2), (3, 3))
    (((1, 1), (1, 2)), ((1, 1), (2, 2)))
    """
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "valid":
            return ((0, 0), (0, 0))
        if mode == "same":
            if tuple(stride) != (1, 1):
                raise error(f"padding='same' needs stride 1 (as in torch), got stride {compact(stride)}",
                            "same_needs_stride_1", param="stride", value=compact(stride))
            return (same_padding(kernel[0], dilation[0]), same_padding(kernel[1], dilation[1]))
        raise error(f"padding must be an int, a pair, 'same' or 'valid', got {padding!r}", "bad_padding",
                    param="padding", value=padding)
    ph, pw = check_pair(padding, "padding", minimum=0, error=error)
    return ((ph, ph), (pw, pw))


def check_pool_padding(kernel: Pair, padding: Pair, *, error: ErrorType = GeometryError) -> None:
    """Raise ``pool_padding_too_large`` unless ``padding <= kernel // 2`` on both axes (torch's pooling rule).

    A larger padding could make a window that sees only padding (torch ignores the dilation here).

    >>> check_pool_padding((3, 3), (2, 1))
    Traceback (most recent call last):
    ...
    convviz.errors.GeometryError: pooling padding must be at most half the kernel size (3 // 2 = 1), got padding=2
    """
    for k, p in zip(kernel, padding):
        if p > k // 2:
            raise error(f"pooling padding must be at most half the kernel size ({k} // 2 = {k // 2}), "
                        f"got padding={p}", "pool_padding_too_large", param="padding", value=p, k=k,
                        limit=k // 2)


def fit_window(n: int, kernel_size: int, *, stride: int = 1, pads: Pair = (0, 0), dilation: int = 1,
               ceil_mode: bool = False, axis: str = "axis", error: ErrorType = GeometryError,
               **context: Any) -> int:
    """:func:`window_count`, raising ``kernel_too_large`` when no window fits.

    ``context`` (``layer``, ``shape``) goes into the error's params; ``layer`` also starts its message.

    >>> fit_window(3, 5, axis="width")
    Traceback (most recent call last):
    ...
    convviz.errors.GeometryError: kernel_size 5 with dilation 1 spans 5 cells along the width, more than the padded input (3 + padding 0 = 3); use a smaller kernel_size or dilation, or more padding
    """
    out = window_count(n, kernel_size, stride=stride, pads=pads, dilation=dilation, ceil_mode=ceil_mode)
    if out < 1:
        cells = span(kernel_size, dilation)
        padded = n + pads[0] + pads[1]
        where = f" along the {axis}" if axis in AXES else ""
        prefix = f"{context['layer']}: " if "layer" in context else ""
        raise error(f"{prefix}kernel_size {kernel_size} with dilation {dilation} spans {cells} cells{where}, "
                    f"more than the padded input ({n} + padding {pads[0] + pads[1]} = {padded}); use a "
                    f"smaller kernel_size or dilation, or more padding", "kernel_too_large",
                    param="kernel_size", axis=axis, n=n, k=kernel_size, d=dilation, p=pads[0], span=cells,
                    padded=padded, **context)
    return out


def fit_transposed(n: int, kernel_size: int, *, stride: int = 1, padding: int = 0, output_padding: int = 0,
                   dilation: int = 1, axis: str = "axis", error: ErrorType = GeometryError) -> int:
    """:func:`transposed_count`, raising ``output_padding_too_large`` or ``transposed_empty``.

    torch accepts ``output_padding`` below the stride *or* below the dilation.

    >>> fit_transposed(1, 1, padding=1)
    Traceback (most recent call last):
    ...
    convviz.errors.GeometryError: padding=1 removes the whole transposed-convolution output ((1-1)*1 - 2*1 + 1*(1-1) + 0 + 1 = -1); use less padding
    """
    k, s, p, op, d = kernel_size, stride, padding, output_padding, dilation
    if op >= s and op >= d:
        raise error(f"output_padding must be smaller than stride or dilation, got output_padding={op} "
                    f"with stride={s} and dilation={d}", "output_padding_too_large",
                    param="output_padding", value=op, s=s, d=d, axis=axis)
    out = transposed_count(n, k, stride=s, padding=p, output_padding=op, dilation=d)
    if out < 1:
        raise error(f"padding={p} removes the whole transposed-convolution output "
                    f"(({n}-1)*{s} - 2*{p} + {d}*({k}-1) + {op} + 1 = {out}); use less padding",
                    "transposed_empty", param="padding", n=n, k=k, s=s, p=p, d=d, op=op, out=out, axis=axis)
    return out


class Window(NamedTuple):
    """A checked sliding-window geometry over both axes (every field a per-axis pair)."""

    kernel: Pair
    stride: Pair
    padding: Pads
    dilation: Pair
    out: Pair


def window_shape(in_hw: Any, kernel_size: Any, *, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
                 ceil_mode: bool = False, pool: bool = False, error: ErrorType = GeometryError,
                 **context: Any) -> Window:
    """Check a convolution / pooling geometry and compute its output size (``(h, w)`` or ints each).

    ``pool=True`` adds the pooling-padding rule. ``context`` goes into a ``kernel_too_large`` error.

    >>> w = window_shape(5, (3, 4), padding="same")
    >>> w.padding, w.out
    (((1, 1), (1, 2)), (5, 5))
    """
    n = check_pair(in_hw, "input size", minimum=1, error=error)
    k = check_pair(kernel_size, "kernel_size", minimum=1, error=error)
    s = check_pair(stride, "stride", minimum=1, error=error)
    d = check_pair(dilation, "dilation", minimum=1, error=error)
    pads = resolve_padding(padding, k, stride=s, dilation=d, error=error)
    if pool:
        check_pool_padding(k, (pads[0][0], pads[1][0]), error=error)
    out = tuple(fit_window(n[a], k[a], stride=s[a], pads=pads[a], dilation=d[a], ceil_mode=ceil_mode,
                           axis=AXES[a], error=error, **context) for a in (0, 1))
    return Window(k, s, pads, d, out)  # type: ignore[arg-type]


class Transposed(NamedTuple):
    """A checked transposed-convolution geometry over both axes, with the conv_arithmetic numbers.

    ``before`` / ``after``: zeros added around the spread input (``d(k-1) - p``, plus
    ``output_padding`` after; negative means cropped); ``full``: the output before ``padding``
    crops it (``(n-1)s + d(k-1) + 1 + output_padding``).
    """

    size: Pair
    kernel: Pair
    stride: Pair
    padding: Pair
    output_padding: Pair
    dilation: Pair
    out: Pair

    @property
    def before(self) -> Pair:
        return tuple(self.dilation[a] * (self.kernel[a] - 1) - self.padding[a] for a in (0, 1))  # type: ignore

    @property
    def after(self) -> Pair:
        return tuple(b + op for b, op in zip(self.before, self.output_padding))  # type: ignore[return-value]

    @property
    def full(self) -> Pair:
        return tuple(o + 2 * p for o, p in zip(self.out, self.padding))  # type: ignore[return-value]


def transposed_shape(in_hw: Any, kernel_size: Any, *, stride: Any = 1, padding: Any = 0, output_padding: Any = 0,
                     dilation: Any = 1, error: ErrorType = GeometryError) -> Transposed:
    """Check a transposed-convolution geometry (ints or ``(h, w)`` pairs) and compute its output size.

    >>> t = transposed_shape(3, 3, stride=2, padding=1, output_padding=1)
    >>> t.out, t.before, t.after, t.full
    ((6, 6), (1, 1), (2, 2), (8, 8))
    """
    n = check_pair(in_hw, "input size", minimum=1, error=error)
    k = check_pair(kernel_size, "kernel_size", minimum=1, error=error)
    s = check_pair(stride, "stride", minimum=1, error=error)
    p = check_pair(padding, "padding", minimum=0, error=error)
    op = check_pair(output_padding, "output_padding", minimum=0, error=error)
    d = check_pair(dilation, "dilation", minimum=1, error=error)
    out = tuple(fit_transposed(n[a], k[a], stride=s[a], padding=p[a], output_padding=op[a], dilation=d[a],
                               axis=AXES[a], error=error) for a in (0, 1))
    return Transposed(n, k, s, p, op, d, out)  # type: ignore[arg-type]
