"""Output sizes of convolution, pooling and transposed convolution (PyTorch semantics).

Every size function here validates its arguments and raises
:class:`convviz.errors.GeometryError` with a message that names the parameter and
echoes the value. Like every :class:`convviz.ConvVizError` it also carries ``code`` (one of
:data:`ERROR_CODES`) and ``params``: ``params["param"]`` names the setting a user should
change (``"stride"``, ``"padding"``, ...) and the other entries are the numbers involved
(``n``, ``k``, ``p``, ...), so a user interface can write its own translated message.

>>> output_size(7, 3, stride=2, padding=1)
4
>>> transposed_output_size(4, 3, stride=2, padding=1, output_padding=0)
7
"""
from __future__ import annotations

import numbers
from typing import Any

from .errors import GeometryError

__all__ = [
    "ERROR_CODES",
    "as_pair",
    "output_size",
    "output_shape",
    "transposed_output_size",
    "transposed_output_shape",
    "same_padding",
    "resolve_padding",
    "pool_padding_ok",
    "unused_input",
    "size_numerator",
    "output_size_latex",
    "transposed_size_latex",
    "output_size_parts",
    "transposed_size_parts",
    "transposed_steps",
]

#: Every ``code`` a :class:`GeometryError` raised by this package can carry.
ERROR_CODES = (
    "not_integer",      # a size that is not a whole number
    "too_small",        # a size below its minimum (param, value, minimum)
    "kernel_too_large",  # dilated kernel wider than the padded input
    "same_needs_stride_1",  # padding="same" with stride > 1
    "bad_padding",      # padding that is neither an int, a pair nor "same"/"valid"
    "output_padding_too_large",  # output_padding >= both stride and dilation
    "transposed_empty",  # transposed output size <= 0 (padding too large)
    "pool_padding_too_large",  # pooling padding > kernel_size // 2
    "bad_shape",        # array of the wrong dimensionality / channel count
    "bad_op",           # unknown operation name
    "too_many_frames",  # animation would be too long to draw
    "bad_signal",       # a 1-D signal that cannot be read
    "same_only_conv",   # padding="same" asked of pooling or a transposed convolution
    "too_large",        # arrays would exceed convviz.ops.MAX_CELLS (cells, limit)
)


def fail(code: str, message: str, *, param: str | None = None, **values: Any) -> GeometryError:
    """Build a :class:`GeometryError` with ``code`` and ``params`` (``param`` = the setting to change).

    Returned (not raised) so callers write ``raise fail(...)`` and linters see the raise.

    >>> err = fail("too_small", "stride must be >= 1, got 0", param="stride", value=0, minimum=1)
    >>> err.code, err.params["param"], err.params["value"]
    ('too_small', 'stride', 0)
    """
    return GeometryError(message, code=code, param=param or "", **values)


def _check_int(value: Any, name: str, minimum: int) -> int:
    """``value`` as a plain ``int`` >= ``minimum``, else a :class:`GeometryError`."""
    # bool is an int subclass, but ``stride=True`` is certainly a mistake.
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and float(value).is_integer() and not isinstance(value, bool):
            value = int(value)
        else:
            raise fail("not_integer", f"{name} must be an integer, got {value!r}",
                       param=name, value=value)
    value = int(value)
    if value < minimum:
        raise fail("too_small", f"{name} must be >= {minimum}, got {value}",
                   param=name, value=value, minimum=minimum)
    return value


def as_pair(value: Any, name: str, *, minimum: int = 0) -> tuple[int, int]:
    """Normalize an int or an ``(h, w)`` pair to a pair of ints >= ``minimum``.

    Parameters
    ----------
    value : int or sequence of two ints
        The argument as the user gave it.
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
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise fail("not_integer", f"{name} must be an int or an (h, w) pair, got {value!r}",
                       param=name, value=value)
        return (_check_int(value[0], name, minimum), _check_int(value[1], name, minimum))
    v = _check_int(value, name, minimum)
    return (v, v)


def same_padding(kernel_size: int, *, dilation: int = 1) -> tuple[int, int]:
    """Padding ``(before, after)`` on one axis that keeps the size at stride 1.

    The dilated kernel covers ``d(k-1)+1`` cells, so ``d(k-1)`` padding cells are needed
    in total. PyTorch puts the odd one (even kernels) after, i.e. at the bottom / right.

    Parameters
    ----------
    kernel_size : int
        Kernel size along the axis.
    dilation : int, keyword-only
        Dilation along the axis.

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
    k = _check_int(kernel_size, "kernel_size", 1)
    d = _check_int(dilation, "dilation", 1)
    total = d * (k - 1)
    return (total // 2, total - total // 2)


def resolve_padding(padding: Any, kernel_size: Any, *, stride: Any = 1,
                    dilation: Any = 1) -> tuple[tuple[int, int], tuple[int, int]]:
    """Padding as ``((top, bottom), (left, right))``.

    ``padding`` is an int, an ``(h, w)`` pair, ``"valid"`` (no padding) or ``"same"``
    (output as large as the input; only with stride 1, as in PyTorch).

    Examples
    --------
    >>> resolve_padding(1, 3)
    ((1, 1), (1, 1))
    >>> resolve_padding("same", (3, 4))
    ((1, 1), (1, 2))
    >>> resolve_padding("same", 3, stride=2)
    Traceback (most recent call last):
    ...
    convviz.errors.GeometryError: padding='same' needs stride 1, got stride=(2, 2)
    """
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "valid":
            return ((0, 0), (0, 0))
        if mode == "same":
            s = as_pair(stride, "stride", minimum=1)
            if s != (1, 1):
                raise fail("same_needs_stride_1", f"padding='same' needs stride 1, got stride={s}",
                           param="stride", value=max(s))
            k = as_pair(kernel_size, "kernel_size", minimum=1)
            d = as_pair(dilation, "dilation", minimum=1)
            return (same_padding(k[0], dilation=d[0]), same_padding(k[1], dilation=d[1]))
        raise fail("bad_padding", f"padding must be an int, a pair, 'same' or 'valid', got {padding!r}",
                   param="padding", value=padding)
    ph, pw = as_pair(padding, "padding", minimum=0)
    return ((ph, ph), (pw, pw))


def _axis_output(n: int, k: int, s: int, pads: tuple[int, int], d: int, axis: str | None) -> int:
    span = d * (k - 1) + 1
    padded = n + pads[0] + pads[1]
    if span > padded:
        where = f" along the {axis}" if axis else ""
        raise fail("kernel_too_large",
                   f"kernel_size {k} with dilation {d} spans {span} cells{where}, more than the "
                   f"padded input ({n} + padding {pads[0] + pads[1]} = {padded}); use a smaller "
                   f"kernel_size or dilation, or more padding",
                   param="kernel_size", n=n, k=k, d=d, p=pads[0], span=span, padded=padded,
                   axis=axis or "")
    return (padded - span) // s + 1


def output_size(n: int, kernel_size: int, *, stride: int = 1, padding: int | str = 0,
                dilation: int = 1) -> int:
    """Size of a convolution / pooling output along one axis.

    ``floor((n + 2p - d(k-1) - 1) / s) + 1``, as ``torch.nn.Conv2d`` documents it.

    Parameters
    ----------
    n : int
        Input size (>= 1).
    kernel_size : int
        Kernel size (>= 1).
    stride, dilation : int, keyword-only
        >= 1.
    padding : int or {"same", "valid"}, keyword-only
        Zero padding added on both sides (>= 0). ``"same"`` needs stride 1.

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
    >>> output_size(2, 3)
    Traceback (most recent call last):
    ...
    convviz.errors.GeometryError: kernel_size 3 with dilation 1 spans 3 cells, more than the padded input (2 + padding 0 = 2); use a smaller kernel_size or dilation, or more padding
    """
    n = _check_int(n, "n", 1)
    k = _check_int(kernel_size, "kernel_size", 1)
    s = _check_int(stride, "stride", 1)
    d = _check_int(dilation, "dilation", 1)
    if isinstance(padding, str):
        pads = resolve_padding(padding, k, stride=s, dilation=d)[0]
    else:
        p = _check_int(padding, "padding", 0)
        pads = (p, p)
    return _axis_output(n, k, s, pads, d, None)


def output_shape(in_hw: Any, kernel_size: Any, *, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1) -> tuple[int, int]:
    """:func:`output_size` for both axes; every argument is an int or an ``(h, w)`` pair.

    >>> output_shape((7, 5), 3, stride=2, padding=1)
    (4, 3)
    >>> output_shape(5, (3, 4), padding="same")
    (5, 5)
    """
    n = as_pair(in_hw, "input size", minimum=1)
    k = as_pair(kernel_size, "kernel_size", minimum=1)
    s = as_pair(stride, "stride", minimum=1)
    d = as_pair(dilation, "dilation", minimum=1)
    pads = resolve_padding(padding, k, stride=s, dilation=d)
    return tuple(_axis_output(n[a], k[a], s[a], pads[a], d[a], ("height", "width")[a])
                 for a in (0, 1))  # type: ignore[return-value]


def _axis_transposed(n: int, k: int, s: int, p: int, op: int, d: int, axis: str | None) -> int:
    if op >= s and op >= d:
        raise fail("output_padding_too_large",
                   f"output_padding must be smaller than stride or dilation, got output_padding={op} "
                   f"with stride={s} and dilation={d}",
                   param="output_padding", value=op, s=s, d=d, axis=axis or "")
    out = (n - 1) * s - 2 * p + d * (k - 1) + op + 1
    if out < 1:
        raise fail("transposed_empty",
                   f"padding={p} removes the whole transposed-convolution output "
                   f"(({n}-1)*{s} - 2*{p} + {d}*({k}-1) + {op} + 1 = {out}); use less padding",
                   param="padding", n=n, k=k, s=s, p=p, d=d, op=op, out=out, axis=axis or "")
    return out


def transposed_output_size(n: int, kernel_size: int, *, stride: int = 1, padding: int = 0,
                           output_padding: int = 0, dilation: int = 1) -> int:
    """Size of a transposed-convolution output along one axis.

    ``(n-1)s - 2p + d(k-1) + output_padding + 1``, as ``torch.nn.ConvTranspose2d``.

    Parameters
    ----------
    n, kernel_size : int
        Input and kernel size (>= 1).
    stride, dilation : int, keyword-only
        >= 1.
    padding, output_padding : int, keyword-only
        >= 0; ``output_padding`` must be smaller than ``stride`` or ``dilation``.

    Returns
    -------
    int
        The output size (>= 1).

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
    >>> transposed_output_size(3, 3, stride=2, output_padding=2)
    Traceback (most recent call last):
    ...
    convviz.errors.GeometryError: output_padding must be smaller than stride or dilation, got output_padding=2 with stride=2 and dilation=1
    """
    n = _check_int(n, "n", 1)
    k = _check_int(kernel_size, "kernel_size", 1)
    s = _check_int(stride, "stride", 1)
    p = _check_int(padding, "padding", 0)
    op = _check_int(output_padding, "output_padding", 0)
    d = _check_int(dilation, "dilation", 1)
    return _axis_transposed(n, k, s, p, op, d, None)


def transposed_output_shape(in_hw: Any, kernel_size: Any, *, stride: Any = 1, padding: Any = 0,
                            output_padding: Any = 0, dilation: Any = 1) -> tuple[int, int]:
    """:func:`transposed_output_size` for both axes (ints or ``(h, w)`` pairs).

    >>> transposed_output_shape((4, 3), 3, stride=2, padding=1)
    (7, 5)
    """
    n = as_pair(in_hw, "input size", minimum=1)
    k = as_pair(kernel_size, "kernel_size", minimum=1)
    s = as_pair(stride, "stride", minimum=1)
    p = as_pair(padding, "padding", minimum=0)
    op = as_pair(output_padding, "output_padding", minimum=0)
    d = as_pair(dilation, "dilation", minimum=1)
    return tuple(_axis_transposed(n[a], k[a], s[a], p[a], op[a], d[a], ("height", "width")[a])
                 for a in (0, 1))  # type: ignore[return-value]


def pool_padding_ok(kernel_size: Any, padding: Any) -> None:
    """Raise unless ``padding <= kernel_size // 2`` on both axes (PyTorch's pooling rule).

    A larger padding could make a window that sees only padding.

    >>> pool_padding_ok(3, 1)
    >>> pool_padding_ok(3, 2)
    Traceback (most recent call last):
    ...
    convviz.errors.GeometryError: pooling padding must be at most half the kernel size (3 // 2 = 1), got padding=2
    """
    k = as_pair(kernel_size, "kernel_size", minimum=1)
    p = as_pair(padding, "padding", minimum=0)
    for a in (0, 1):
        if p[a] > k[a] // 2:
            raise fail("pool_padding_too_large",
                       f"pooling padding must be at most half the kernel size ({k[a]} // 2 = "
                       f"{k[a] // 2}), got padding={p[a]}",
                       param="padding", value=p[a], k=k[a], limit=k[a] // 2)


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


def size_numerator(n: int, kernel_size: int, *, padding: int = 0, dilation: int = 1) -> int:
    """``n + 2p - d(k-1) - 1``: how far the window's first cell can travel (negative: it does not fit).

    >>> size_numerator(7, 3, padding=1)
    6
    """
    return int(n) + 2 * int(padding) - int(dilation) * (int(kernel_size) - 1) - 1


def output_size_parts(n: int, kernel_size: int, *, stride: int = 1,
                      padding: int | tuple[int, int] = 0, dilation: int = 1) -> list[str]:
    """The output-size formula as LaTeX pieces: the symbols, the numbers, the reduced form, the result.

    Joined with ``" = "`` they are :func:`output_size_latex`; shown one piece at a time they can
    break over lines on a narrow screen (``ui.formula``). Never raises on a too-large kernel:
    then the result is 0 or negative (a page shows the pieces only for a valid geometry).

    >>> output_size_parts(7, 3, stride=2, padding=1)[-1]
    '4'
    """
    if isinstance(padding, (tuple, list)):
        p1, p2 = int(padding[0]), int(padding[1])
    else:
        p1 = p2 = int(padding)
    n, k, s, d = int(n), int(kernel_size), int(stride), int(dilation)
    num = n + p1 + p2 - d * (k - 1) - 1
    out = num // s + 1
    if p1 == p2:
        sym, pad = "n + 2p", f"2\\cdot {p1}"
    else:
        sym, pad = "n + p_1 + p_2", f"{p1} + {p2}"
    return [f"o = \\left\\lfloor \\frac{{{sym} - d(k-1) - 1}}{{s}} \\right\\rfloor + 1",
            f"\\left\\lfloor \\frac{{{n} + {pad} - {d}\\cdot({k}-1) - 1}}{{{s}}} \\right\\rfloor + 1",
            f"\\left\\lfloor \\frac{{{num}}}{{{s}}} \\right\\rfloor + 1", f"{out}"]


def output_size_latex(n: int, kernel_size: int, *, stride: int = 1,
                      padding: int | tuple[int, int] = 0, dilation: int = 1) -> str:
    """The output-size formula with the numbers plugged in, as LaTeX.

    Never raises on a too-large kernel: then the result is 0 or negative, which is the
    point to show. ``padding`` may be ``(before, after)`` (uneven "same" padding).

    Examples
    --------
    >>> print(output_size_latex(7, 3, stride=2, padding=1))
    o = \\left\\lfloor \\frac{n + 2p - d(k-1) - 1}{s} \\right\\rfloor + 1 = \\left\\lfloor \\frac{7 + 2\\cdot 1 - 1\\cdot(3-1) - 1}{2} \\right\\rfloor + 1 = \\left\\lfloor \\frac{6}{2} \\right\\rfloor + 1 = 4
    """
    return " = ".join(output_size_parts(n, kernel_size, stride=stride, padding=padding, dilation=dilation))


def transposed_steps(n: int, kernel_size: int, *, stride: int = 1, padding: int = 0,
                     output_padding: int = 0, dilation: int = 1) -> dict[str, int]:
    """The conv_arithmetic recipe for a transposed convolution along one axis, as numbers.

    ``zeros``: zeros put between neighbouring input cells (``s - 1``); ``spread``: size
    after that (``(n-1)s + 1``); ``pad``: zeros added on each side (``d(k-1) - p``, negative
    means cropped); ``extra``: ``output_padding`` added at the end; ``grid``: size of the
    grid a stride-1 convolution then runs over; ``span``: the dilated kernel (``d(k-1)+1``);
    ``out``: the output size.

    >>> transposed_steps(4, 3, stride=2, padding=1)
    {'zeros': 1, 'spread': 7, 'pad': 1, 'extra': 0, 'grid': 9, 'span': 3, 'out': 7}
    """
    n, k, s, p, op, d = (int(v) for v in (n, kernel_size, stride, padding, output_padding, dilation))
    spread = (n - 1) * s + 1
    pad = d * (k - 1) - p
    grid = spread + 2 * pad + op
    span = d * (k - 1) + 1
    return {"zeros": s - 1, "spread": spread, "pad": pad, "extra": op, "grid": grid, "span": span,
            "out": grid - span + 1}


def transposed_size_parts(n: int, kernel_size: int, *, stride: int = 1, padding: int = 0,
                          output_padding: int = 0, dilation: int = 1) -> list[str]:
    """The transposed-convolution size formula as LaTeX pieces (symbols, numbers, result).

    >>> transposed_size_parts(3, 3, stride=2, padding=1, output_padding=1)[-1]
    '6'
    """
    st = transposed_steps(n, kernel_size, stride=stride, padding=padding,
                          output_padding=output_padding, dilation=dilation)
    return ["o = (n-1)s - 2p + d(k-1) + \\mathrm{output\\_padding} + 1",
            f"({n}-1)\\cdot {stride} - 2\\cdot {padding} + {dilation}\\cdot({kernel_size}-1) + "
            f"{output_padding} + 1", f"{st['out']}"]


def transposed_size_latex(n: int, kernel_size: int, *, stride: int = 1, padding: int = 0,
                          output_padding: int = 0, dilation: int = 1) -> str:
    """The transposed-convolution size formula with the numbers plugged in, as LaTeX.

    >>> print(transposed_size_latex(4, 3, stride=2, padding=1))
    o = (n-1)s - 2p + d(k-1) + \\mathrm{output\\_padding} + 1 = (4-1)\\cdot 2 - 2\\cdot 1 + 1\\cdot(3-1) + 0 + 1 = 7
    """
    return " = ".join(transposed_size_parts(n, kernel_size, stride=stride, padding=padding,
                                            output_padding=output_padding, dilation=dilation))
