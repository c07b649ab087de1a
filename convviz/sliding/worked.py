"""The worked output-size formulas of the Stride and Padding page: the numbers plugged in, step by step.

The sizes themselves come from :mod:`convviz.sliding.windows` (the one window formula); this
module writes them out: the formula with the numbers plugged in (:func:`output_size_parts`,
:func:`transposed_size_parts`, as LaTeX), the transposed-convolution recipe
(:func:`transposed_steps`) and everything per axis at once (:func:`worked_axes`). Nothing here
raises on a kernel that does not fit: the numbers then show why.

>>> print(output_size_latex(7, 3, stride=2, padding=1).split(" = ")[-1])
4
>>> [w.axis for w in worked_axes("conv", (8, 7), (3, 3), stride=2, padding=1)]
['height', 'width']
"""
from __future__ import annotations

from dataclasses import dataclass

from .windows import same_padding, size_numerator, span, transposed_count, window_count

__all__ = ["output_size_parts", "output_size_latex", "transposed_steps", "transposed_size_parts",
           "transposed_size_latex", "AxisWork", "worked_axes"]


def output_size_parts(n: int, kernel_size: int, *, stride: int = 1,
                      padding: int | tuple[int, int] = 0, dilation: int = 1) -> list[str]:
    """The output-size formula as LaTeX pieces: the symbols, the numbers, the reduced form, the result.

    Joined with ``" = "`` they are :func:`output_size_latex`; shown one piece at a time they can
    break over lines on a narrow screen (``ui.common.formula``). Never raises on a too-large kernel:
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
    out = window_count(n, k, stride=s, pads=(p1, p2), dilation=d)
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
    >>> print(output_size_latex(7, 3, stride=2, padding=1))  # doctest: +NORMALIZE_WHITESPACE
    o = \\left\\lfloor \\frac{n + 2p - d(k-1) - 1}{s} \\right\\rfloor + 1 = \\left\\lfloor \\frac{7 + 2\\cdot 1 -
        1\\cdot(3-1) - 1}{2} \\right\\rfloor + 1 = \\left\\lfloor \\frac{6}{2} \\right\\rfloor + 1 = 4
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
    spread = transposed_count(n, 1, stride=s)
    cells = span(k, d)
    pad = cells - 1 - p
    return {"zeros": s - 1, "spread": spread, "pad": pad, "extra": op, "grid": spread + 2 * pad + op,
            "span": cells, "out": transposed_count(n, k, stride=s, padding=p, output_padding=op, dilation=d)}


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
        same = same_padding(k, dilation=d)
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

