"""How a kernel's weights are written for a student: exact where possible, always short.

Pure functions (no Streamlit); ``ui.kernel_widgets`` draws the result.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np


__all__ = ["KernelText", "kernel_text", "common_denominator"]


@dataclass(frozen=True)
class KernelText:
    """A kernel as text: ``scale`` (``"1/256"``, ``"10^-4"`` or ``""``) times the ``cells``.

    ``exact`` is False when the cells are rounded (then ``scale`` is a power of ten and the
    largest weight keeps ``digits`` significant digits).
    """

    scale: str
    cells: list[list[str]]
    exact: bool


def common_denominator(kernel: object, *, max_denominator: int = 65536) -> int | None:
    """The smallest ``d <= max_denominator`` with ``kernel * d`` all integers, or ``None``.

    Works from each weight's fraction (not by trying every ``d``), so 7 x 7 Gaussians
    (``d = 4096``) cost no more than 3 x 3 ones.

    >>> from convviz.kernels import gaussian_blur, box_blur
    >>> common_denominator(gaussian_blur(7)), common_denominator(box_blur(15)), common_denominator([[0.1234567]])
    (4096, 225, None)
    """
    k = np.atleast_2d(np.asarray(kernel, dtype=float))
    if np.abs(k).max() * max_denominator >= 2**53:
        return None
    d = 1
    for v in np.unique(k):
        f = Fraction(float(v)).limit_denominator(max_denominator)
        d = d * f.denominator // math.gcd(d, f.denominator)
        if d > max_denominator:
            return None
    scaled = k * d
    return d if np.allclose(scaled, np.rint(scaled), rtol=0, atol=1e-9 * d) else None


def _int_text(v: float) -> str:
    return str(int(v))


def kernel_text(kernel: object, *, digits: int = 3, max_int: int = 9999) -> KernelText:
    """Write a kernel compactly: integers, ``1/d ×`` small integers, or ``10^e ×`` rounded numbers.

    * all weights integers: as they are;
    * a common denominator ``d`` whose integers are at most ``max_int``: ``1/d ×`` integers
      (``1/256 ×`` for a 5 x 5 Gaussian, ``1/4096 ×`` for 7 x 7, ``1/225 ×`` for a 15 x 15 box);
    * otherwise a power-of-ten factor with the largest weight to ``digits`` significant digits
      and every cell to the same absolute precision (a 15 x 15 Gaussian: ``10^-4 ×`` 0 … 439).
      Weights that are not zero but round to it read ``≈0``.

    Every cell has at most ``max(len(str(max_int)), digits) + 1`` characters, so a table of them
    fits its column.

    >>> kernel_text([[0, -1], [2, 1]]).cells
    [['0', '-1'], ['2', '1']]
    >>> from convviz.kernels import gaussian_blur
    >>> kt = kernel_text(gaussian_blur(5)); kt.scale, kt.cells[2][2]
    ('1/256', '36')
    >>> kt = kernel_text(gaussian_blur(15)); kt.scale, kt.cells[7][7], kt.cells[0][0], kt.exact
    ('10^-4', '439', '≈0', False)
    >>> kt = kernel_text([[0.5, 1/3]]); kt.scale, kt.cells
    ('1/6', [['3', '2']])
    >>> kernel_text([[0.1234567, -0.5]]).cells
    [['0.123', '-0.5']]
    """
    k = np.atleast_2d(np.asarray(kernel, dtype=float))
    if np.all(k == np.rint(k)) and np.abs(k).max() <= 10 ** (digits + 3):
        return KernelText("", [[_int_text(v) for v in row] for row in k], True)
    d = common_denominator(k)
    if d is not None and np.abs(np.rint(k * d)).max() <= max_int:
        return KernelText(f"1/{d}", [[_int_text(v) for v in row] for row in np.rint(k * d)], True)
    top = float(np.abs(k).max())
    exponent = math.floor(math.log10(top)) - (digits - 1)
    if -digits <= exponent < 0:  # plain decimals are short enough: 0.333, 0.0625 -> 0.0625
        cells = [[_short(v, digits) for v in row] for row in k]
        if max(len(c) for row in cells for c in row) <= digits + 3:
            return KernelText("", cells, False)
    scaled = k / 10.0**exponent
    cells = [[("≈0" if v != 0 and round(s) == 0 else _int_text(round(s))) for v, s in zip(row, srow)]
             for row, srow in zip(k, scaled)]
    return KernelText(f"10^{exponent}", cells, False)


def _short(v: float, digits: int) -> str:
    if v == 0:
        return "0"
    return f"{v:.{digits}g}"
