"""Output sizes of convolution, pooling and transposed convolution (PyTorch semantics): the one window formula.

Everything that needs an output size comes here: the public size functions below (one sample, one
axis or both), :mod:`convviz.nets.layers` (``Conv2d`` and the poolings, with ``ceil_mode``),
:mod:`convviz.sliding.ops`, :mod:`convviz.sliding.frames` and the worked formulas of the Stride and
Padding page (:mod:`convviz.sliding.worked`).

* :func:`output_size` / :func:`output_shape` -- torch's conv / pool rule
  ``floor((n + p1 + p2 - d(k-1) - 1) / s) + 1`` (:func:`window_count`, with ``ceil_mode`` and its "the
  last window must start inside the input or the left padding" rule);
* :func:`transposed_output_size` / :func:`transposed_output_shape` --
  ``(n-1)s - 2p + d(k-1) + output_padding + 1`` (:func:`transposed_count`);
* :func:`same_padding` -- the padding ``(before, after)`` that keeps the size at stride 1, and
  :func:`resolve_padding` -- any ``padding`` argument as ``((top, bottom), (left, right))``;
* :func:`check_pool_padding` -- torch's pooling rule ``padding <= kernel_size // 2``;
* :func:`window_shape` / :func:`transposed_shape` -- both axes checked at once, for any error class.

Every public function validates its arguments (the rules of :mod:`convviz.checks`) and raises
:class:`convviz.errors.GeometryError` with a message that names the parameter and echoes the
value. Like every :class:`convviz.ConvVizError` it also carries ``code`` (a key of
:data:`convviz.errors.ERROR_CODES`) and ``params``: ``params["param"]`` names the setting a user
should change (``"stride"``, ``"padding"``, ...) and the other entries are the numbers involved
(``n``, ``k``, ``p``, ...), so a user interface can write its own translated message. The checked
helpers take ``error=`` (the :class:`~convviz.errors.ConvVizError` subclass the caller raises:
``GeometryError`` by default, ``LayerError`` from layer specs).

>>> output_size(7, 3, stride=2, padding=1)
4
>>> transposed_output_size(4, 3, stride=2, padding=1, output_padding=0)
7
>>> window_shape((7, 5), 3, stride=2, padding=1).out
(4, 3)
>>> window_count(5, 2, stride=2, ceil_mode=True), window_count(5, 2, stride=2)
(3, 2)
"""
from __future__ import annotations

from typing import Any, NamedTuple

from .._docs import docfiller
from ..checks import check_int, check_pair
from ..errors import ConvVizError, GeometryError

__all__ = ["as_pair", "output_size", "output_shape", "transposed_output_size", "transposed_output_shape",
           "same_padding", "resolve_padding", "check_pool_padding", "unused_input", "size_numerator",
           "AXES", "span", "window_count", "transposed_count", "fit_window", "fit_transposed", "Window",
           "window_shape", "Transposed", "transposed_shape", "compact"]

Pair = tuple[int, int]
Pads = tuple[Pair, Pair]
ErrorType = type[ConvVizError]

#: The name of each axis in error params (``params["axis"]``); a one-axis function says ``"axis"``.
AXES = ("height", "width")


def compact(pair: Pair) -> int | Pair:
    """``(3, 3)`` -> ``3`` (how torch users write a square size); ``(1, 2)`` stays."""
    return pair[0] if pair[0] == pair[1] else pair


def as_pair(value: Any, name: str, *, minimum: int = 0) -> tuple[int, int]:
    """Normalize an int or an ``(h, w)`` pair to a pair of ints >= ``minimum``.

    Parameters
    ----------
    value : int or sequence of two ints
        The argument as the user gave it (integral floats and numpy integers count as ints).
    name : str
        Parameter name used in error messages.
    minimum : int, keyword-only
        Smallest allowed value.

    Returns
    -------
    tuple of int
        ``(h, w)``.

    Raises
    ------
    GeometryError
        When ``value`` is not an int or a pair of ints, or is below ``minimum``.

    Examples
    --------
    >>> as_pair(2, "stride", minimum=1)
    (2, 2)
    >>> as_pair((1, 3), "padding")
    (1, 3)
    """
    return check_pair(value, name, minimum=minimum, error=GeometryError)


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


@docfiller
def same_padding(kernel_size: int, *, dilation: int = 1) -> Pair:
    """Padding ``(before, after)`` on one axis that keeps the size at stride 1.

    The dilated kernel covers ``d(k-1)+1`` cells, so ``d(k-1)`` padding cells are needed
    in total. PyTorch puts the odd one (even kernels) after, i.e. at the bottom / right.

    Parameters
    ----------
    %(kernel_size_axis)s %(dilation_axis)s

    Returns
    -------
    tuple of int
        ``(before, after)``.

    Examples
    --------
    >>> same_padding(3), same_padding(5), same_padding(4)
    ((1, 1), (2, 2), (1, 2))
    >>> same_padding(3, dilation=2)
    (2, 2)
    """
    k = check_int(kernel_size, "kernel_size", minimum=1, error=GeometryError)
    d = check_int(dilation, "dilation", minimum=1, error=GeometryError)
    total = d * (k - 1)
    return (total // 2, total - total // 2)


@docfiller
def resolve_padding(padding: Any, kernel_size: Any, *, stride: Any = 1, dilation: Any = 1,
                    error: ErrorType = GeometryError) -> Pads:
    """Padding as ``((top, bottom), (left, right))``.

    Parameters
    ----------
    %(padding)s %(kernel_size)s %(stride)s %(dilation)s
    error : type, keyword-only
        The :class:`~convviz.errors.ConvVizError` subclass raised (code ``same_needs_stride_1`` for
        ``"same"`` with a stride, ``bad_padding`` for another word, or the codes of :func:`as_pair`).

    Examples
    --------
    >>> resolve_padding(1, 3)
    ((1, 1), (1, 1))
    >>> resolve_padding("same", (3, 4)), resolve_padding((1, 2), (3, 3))
    (((1, 1), (1, 2)), ((1, 1), (2, 2)))
    >>> resolve_padding("same", 3, stride=2)
    Traceback (most recent call last):
    ...
    convviz.errors.GeometryError: padding='same' needs stride 1 (as in torch), got stride 2
    """
    stride = check_pair(stride, "stride", minimum=1, error=error)
    kernel = check_pair(kernel_size, "kernel_size", minimum=1, error=error)
    dilation = check_pair(dilation, "dilation", minimum=1, error=error)
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "valid":
            return ((0, 0), (0, 0))
        if mode == "same":
            if tuple(stride) != (1, 1):
                raise error(f"padding='same' needs stride 1 (as in torch), got stride {compact(stride)}",
                            "same_needs_stride_1", param="stride", value=compact(stride))
            return (same_padding(kernel[0], dilation=dilation[0]), same_padding(kernel[1], dilation=dilation[1]))
        raise error(f"padding must be an int, a pair, 'same' or 'valid', got {padding!r}", "bad_padding",
                    param="padding", value=padding)
    ph, pw = check_pair(padding, "padding", minimum=0, error=error)
    return ((ph, ph), (pw, pw))


def check_pool_padding(kernel_size: Any, padding: Any, *, error: ErrorType = GeometryError) -> None:
    """Raise ``pool_padding_too_large`` unless ``padding <= kernel_size // 2`` on both axes (torch's pooling rule).

    Both are ints or ``(h, w)`` pairs. A larger padding could make a window that sees only padding
    (torch ignores the dilation here).

    >>> check_pool_padding(3, 1)
    >>> check_pool_padding((3, 3), (2, 1))
    Traceback (most recent call last):
    ...
    convviz.errors.GeometryError: pooling padding must be at most half the kernel size (3 // 2 = 1), got padding=2
    """
    kernel = check_pair(kernel_size, "kernel_size", minimum=1, error=error)
    for k, p in zip(kernel, check_pair(padding, "padding", minimum=0, error=error)):
        if p > k // 2:
            raise error(f"pooling padding must be at most half the kernel size ({k} // 2 = {k // 2}), "
                        f"got padding={p}", "pool_padding_too_large", param="padding", value=p, k=k,
                        limit=k // 2)


def fit_window(n: int, kernel_size: int, *, stride: int = 1, pads: Pair = (0, 0), dilation: int = 1,
               ceil_mode: bool = False, axis: str = "axis", error: ErrorType = GeometryError,
               **context: Any) -> int:
    """:func:`window_count`, raising ``kernel_too_large`` when no window fits.

    ``context`` (``layer``, ``shape``) goes into the error's params; ``layer`` also starts its message.

    >>> fit_window(3, 5, axis="width")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    convviz.errors.GeometryError: kernel_size 5 with dilation 1 spans 5 cells along the width, more than the padded
        input (3 + padding 0 = 3); use a smaller kernel_size or dilation, or more padding
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

    >>> fit_transposed(1, 1, padding=1)  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    convviz.errors.GeometryError: padding=1 removes the whole transposed-convolution output ((1-1)*1 - 2*1 + 1*(1-1)
        + 0 + 1 = -1); use less padding
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


@docfiller
def output_size(n: int, kernel_size: int, *, stride: int = 1, padding: int | str = 0,
                dilation: int = 1) -> int:
    """Size of a convolution / pooling output along one axis.

    ``floor((n + 2p - d(k-1) - 1) / s) + 1``, as ``torch.nn.Conv2d`` documents it.

    Parameters
    ----------
    n : int
        Input size (>= 1).
    %(kernel_size_axis)s %(stride_axis)s %(padding_axis)s %(dilation_axis)s

    Returns
    -------
    int
        The output size (>= 1).

    Raises
    ------
    GeometryError
        When an argument is out of range or the dilated kernel does not fit into the
        padded input (the output would be empty).

    Examples
    --------
    >>> output_size(5, 3)                 # no padding
    3
    >>> output_size(5, 3, padding=1)      # half ("same") padding
    5
    >>> output_size(5, 3, padding=2)      # full padding
    7
    >>> output_size(5, 3, stride=2)       # 5 + 0 - 2 - 1 = 2, 2 // 2 + 1
    2
    >>> output_size(7, 3, dilation=2)
    3
    >>> output_size(2, 3)  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    convviz.errors.GeometryError: kernel_size 3 with dilation 1 spans 3 cells, more than the padded input (2 +
        padding 0 = 2); use a smaller kernel_size or dilation, or more padding
    """
    n = check_int(n, "n", minimum=1, error=GeometryError)
    k = check_int(kernel_size, "kernel_size", minimum=1, error=GeometryError)
    s = check_int(stride, "stride", minimum=1, error=GeometryError)
    d = check_int(dilation, "dilation", minimum=1, error=GeometryError)
    pads = resolve_padding(padding, (k, k), stride=(s, s), dilation=(d, d), error=GeometryError)[0]
    return fit_window(n, k, stride=s, pads=pads, dilation=d, error=GeometryError)


@docfiller
def output_shape(in_hw: Any, kernel_size: Any, *, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1) -> tuple[int, int]:
    """:func:`output_size` for both axes; every argument is an int or an ``(h, w)`` pair.

    Parameters
    ----------
    in_hw : int or (int, int)
        Input height and width (>= 1).
    %(kernel_size)s %(stride)s %(padding)s %(dilation)s

    Examples
    --------
    >>> output_shape((7, 5), 3, stride=2, padding=1)
    (4, 3)
    >>> output_shape(5, (3, 4), padding="same")
    (5, 5)
    """
    return window_shape(in_hw, kernel_size, stride=stride, padding=padding, dilation=dilation,
                        error=GeometryError).out


@docfiller
def transposed_output_size(n: int, kernel_size: int, *, stride: int = 1, padding: int = 0,
                           output_padding: int = 0, dilation: int = 1) -> int:
    """Size of a transposed-convolution output along one axis.

    ``(n-1)s - 2p + d(k-1) + output_padding + 1``, as ``torch.nn.ConvTranspose2d``.

    Parameters
    ----------
    n : int
        Size of the input along the axis, >= 1.
    %(kernel_size_axis)s %(stride_axis)s
    padding : int, keyword-only
        Cells cropped from both sides of the output, >= 0 (no ``"same"`` for a transposed convolution).
    %(output_padding_axis)s %(dilation_axis)s

    Returns
    -------
    int
        The size of the output along the axis, >= 1.

    Raises
    ------
    GeometryError
        On out-of-range arguments, too large ``output_padding`` or an empty output.

    Examples
    --------
    >>> transposed_output_size(2, 3)      # stride 1, no padding: "full" convolution
    4
    >>> transposed_output_size(3, 3, stride=2, padding=1, output_padding=1)
    6
    >>> transposed_output_size(3, 3, stride=2, output_padding=2)  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    convviz.errors.GeometryError: output_padding must be smaller than stride or dilation, got output_padding=2 with
        stride=2 and dilation=1
    """
    n, k, s, d = (check_int(v, name, minimum=1, error=GeometryError) for v, name in
                  ((n, "n"), (kernel_size, "kernel_size"), (stride, "stride"), (dilation, "dilation")))
    p = check_int(padding, "padding", minimum=0, error=GeometryError)
    op = check_int(output_padding, "output_padding", minimum=0, error=GeometryError)
    return fit_transposed(n, k, stride=s, padding=p, output_padding=op, dilation=d, error=GeometryError)


def transposed_output_shape(in_hw: Any, kernel_size: Any, *, stride: Any = 1, padding: Any = 0,
                            output_padding: Any = 0, dilation: Any = 1) -> tuple[int, int]:
    """:func:`transposed_output_size` for both axes (ints or ``(h, w)`` pairs).

    >>> transposed_output_shape((4, 3), 3, stride=2, padding=1)
    (7, 5)
    """
    return transposed_shape(in_hw, kernel_size, stride=stride, padding=padding,
                            output_padding=output_padding, dilation=dilation, error=GeometryError).out


def unused_input(n: int, kernel_size: int, *, stride: int = 1, padding: int = 0,
                 dilation: int = 1) -> int:
    """How many trailing cells of the padded input no window reaches.

    That is ``(n + 2p - d(k-1) - 1) mod s``: when it is not 0 the last rows / columns of
    the (padded) input are never used.

    >>> unused_input(7, 3, stride=2, padding=1)
    0
    >>> unused_input(8, 3, stride=2, padding=1)
    1
    """
    output_size(n, kernel_size, stride=stride, padding=padding, dilation=dilation)
    return size_numerator(n, kernel_size, padding=padding, dilation=dilation) % stride


def size_numerator(n: int, kernel_size: int, *, padding: int | tuple[int, int] = 0, dilation: int = 1) -> int:
    """``n + 2p - d(k-1) - 1``: how far the window's first cell can travel (negative: it does not fit).

    ``padding`` may be ``(before, after)``.

    >>> size_numerator(7, 3, padding=1), size_numerator(8, 4, padding=(1, 2))
    (6, 7)
    """
    p1, p2 = (int(padding[0]), int(padding[1])) if isinstance(padding, (tuple, list)) else (int(padding),) * 2
    return int(n) + p1 + p2 - span(int(kernel_size), int(dilation))
