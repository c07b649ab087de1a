"""Output sizes of convolution, pooling and transposed convolution (PyTorch semantics), and their worked formulas.

The arithmetic itself lives in :mod:`convviz.windows` (one rule for every caller); this module is
its public, one-sample face plus the pieces the Stride and Padding page shows: the formula with the
numbers plugged in (:func:`output_size_parts`, :func:`transposed_size_parts`), the transposed
recipe (:func:`transposed_steps`) and everything per axis at once (:func:`worked_axes`).

Every size function validates its arguments (the rules of :mod:`convviz.checks`) and raises
:class:`convviz.errors.GeometryError` with a message that names the parameter and echoes the
value. Like every :class:`convviz.ConvVizError` it also carries ``code`` (a key of
:data:`convviz.errors.ERROR_CODES`) and ``params``: ``params["param"]`` names the setting a user
should change (``"stride"``, ``"padding"``, ...) and the other entries are the numbers involved
(``n``, ``k``, ``p``, ...), so a user interface can write its own translated message.

>>> output_size(7, 3, stride=2, padding=1)
4
>>> transposed_output_size(4, 3, stride=2, padding=1, output_padding=0)
7
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import windows
from .checks import check_int, check_pair
from .errors import GeometryError

__all__ = [
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
    "AxisWork",
    "worked_axes",
]

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
    k = check_int(kernel_size, "kernel_size", minimum=1, error=GeometryError)
    d = check_int(dilation, "dilation", minimum=1, error=GeometryError)
    return windows.same_padding(k, d)


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
    convviz.errors.GeometryError: padding='same' needs stride 1 (as in torch), got stride 2
    """
    s = as_pair(stride, "stride", minimum=1)
    k = as_pair(kernel_size, "kernel_size", minimum=1)
    d = as_pair(dilation, "dilation", minimum=1)
    return windows.resolve_padding(padding, k, stride=s, dilation=d, error=GeometryError)


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
    n = check_int(n, "n", minimum=1, error=GeometryError)
    k = check_int(kernel_size, "kernel_size", minimum=1, error=GeometryError)
    s = check_int(stride, "stride", minimum=1, error=GeometryError)
    d = check_int(dilation, "dilation", minimum=1, error=GeometryError)
    pads = windows.resolve_padding(padding, (k, k), stride=(s, s), dilation=(d, d), error=GeometryError)[0]
    return windows.fit_window(n, k, stride=s, pads=pads, dilation=d, error=GeometryError)


def output_shape(in_hw: Any, kernel_size: Any, *, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1) -> tuple[int, int]:
    """:func:`output_size` for both axes; every argument is an int or an ``(h, w)`` pair.

    >>> output_shape((7, 5), 3, stride=2, padding=1)
    (4, 3)
    >>> output_shape(5, (3, 4), padding="same")
    (5, 5)
    """
    return windows.window_shape(in_hw, kernel_size, stride=stride, padding=padding, dilation=dilation,
                                error=GeometryError).out


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
    n, k, s, d = (check_int(v, name, minimum=1, error=GeometryError) for v, name in
                  ((n, "n"), (kernel_size, "kernel_size"), (stride, "stride"), (dilation, "dilation")))
    p = check_int(padding, "padding", minimum=0, error=GeometryError)
    op = check_int(output_padding, "output_padding", minimum=0, error=GeometryError)
    return windows.fit_transposed(n, k, stride=s, padding=p, output_padding=op, dilation=d, error=GeometryError)


def transposed_output_shape(in_hw: Any, kernel_size: Any, *, stride: Any = 1, padding: Any = 0,
                            output_padding: Any = 0, dilation: Any = 1) -> tuple[int, int]:
    """:func:`transposed_output_size` for both axes (ints or ``(h, w)`` pairs).

    >>> transposed_output_shape((4, 3), 3, stride=2, padding=1)
    (7, 5)
    """
    return windows.transposed_shape(in_hw, kernel_size, stride=stride, padding=padding,
                                    output_padding=output_padding, dilation=dilation, error=GeometryError).out


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
    windows.check_pool_padding(k, p, error=GeometryError)


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
    return int(n) + p1 + p2 - windows.span(int(kernel_size), int(dilation))


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
    num = size_numerator(n, k, padding=(p1, p2), dilation=d)
    out = windows.window_count(n, k, stride=s, pads=(p1, p2), dilation=d)
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
    spread = windows.transposed_count(n, 1, stride=s)
    span = windows.span(k, d)
    pad = span - 1 - p
    return {"zeros": s - 1, "spread": spread, "pad": pad, "extra": op, "grid": spread + 2 * pad + op,
            "span": span, "out": windows.transposed_count(n, k, stride=s, padding=p, output_padding=op, dilation=d)}


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


@dataclass(frozen=True)
class AxisWork:
    """The worked output-size formula of one axis, as the Stride and Padding page shows it.

    Attributes
    ----------
    axis : str
        ``"height"``, ``"width"`` or ``"both"`` (height and width have the same size and kernel).
    n, k : int
        Input and kernel size along the axis.
    parts : tuple of str or None
        The formula as LaTeX pieces (:func:`output_size_parts` / :func:`transposed_size_parts`);
        ``None`` for a transposed convolution with ``"same"`` padding (it has none).
    numerator, unused : int
        ``n + p1 + p2 - d(k-1) - 1`` and the trailing cells no window reaches (0 for ``"same"``,
        a transposed convolution or a kernel that does not fit).
    same : tuple of int
        ``(before, after)`` padding that would keep the size (:func:`same_padding`), and
        ``same_total`` their sum.
    steps : dict or None
        The transposed recipe (:func:`transposed_steps`) plus ``crop`` (cells cropped on each side
        when the padding exceeds ``d(k-1)``); ``None`` unless ``op == "transposed"`` with a number
        as padding.
    """

    axis: str
    n: int
    k: int
    parts: tuple[str, ...] | None
    numerator: int
    unused: int
    same: tuple[int, int]
    same_total: int
    steps: dict[str, int] | None


def worked_axes(op: str, in_hw: tuple[int, int], kernel_hw: tuple[int, int], *, stride: int = 1,
                padding: int | str = 0, dilation: int = 1, output_padding: int = 0) -> tuple[AxisWork, ...]:
    """The worked formula per axis for an animation setting; one ``"both"`` axis when the axes agree.

    Pooling ignores ``dilation`` (it is 1). Never raises on a geometry that does not fit: the numbers
    then show why (a page shows them only for a valid geometry). Arguments are assumed checked
    (the page's controls are bounded; :func:`convviz.animation_frames` validates the same setting).

    >>> [w.axis for w in worked_axes("conv", (7, 7), (3, 3), stride=2, padding=1)]
    ['both']
    >>> h, w = worked_axes("conv", (8, 7), (3, 3), stride=2, padding=1)
    >>> (h.axis, h.parts[-1], h.unused), (w.axis, w.parts[-1], w.unused)
    (('height', '4', 1), ('width', '4', 0))
    >>> t = worked_axes("transposed", (2, 2), (3, 3), stride=1, padding=3)[0]
    >>> t.steps["pad"], t.steps["crop"], t.same
    (-1, 1, (1, 1))
    """
    d = 1 if op in ("max", "avg") else int(dilation)
    axes = [("height", in_hw[0], kernel_hw[0]), ("width", in_hw[1], kernel_hw[1])]
    if (in_hw[0], kernel_hw[0]) == (in_hw[1], kernel_hw[1]):
        axes = [("both", in_hw[0], kernel_hw[0])]
    same_word = isinstance(padding, str)
    out = []
    for axis, n, k in axes:
        n, k = int(n), int(k)
        same = windows.same_padding(k, d)
        pads = same if same_word else (int(padding), int(padding))
        numerator = size_numerator(n, k, padding=pads, dilation=d)
        steps = parts = None
        unused = 0
        if op == "transposed":
            if not same_word:
                steps = transposed_steps(n, k, stride=stride, padding=padding, output_padding=output_padding,
                                         dilation=d)
                steps["crop"] = max(-steps["pad"], 0)
                parts = tuple(transposed_size_parts(n, k, stride=stride, padding=padding,
                                                    output_padding=output_padding, dilation=d))
        else:
            parts = tuple(output_size_parts(n, k, stride=stride, padding=pads, dilation=d))
            if not same_word and numerator >= 0:
                unused = numerator % int(stride)
        out.append(AxisWork(axis, n, k, parts, numerator, unused, same, same[0] + same[1], steps))
    return tuple(out)

