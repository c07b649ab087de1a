"""How numbers and shapes are written for a student: one module, so every page writes them alike.

* :func:`format_number` -- a value in a grid cell or an equation: exact integers, at most
  ``places`` decimals, the typographic minus (``−2``), ``−∞`` for a max pool's padding;
* :func:`format_factor` -- the same, in parentheses when negative: ``3·(−1)``;
* :func:`format_significant` -- a measured value (a weight, a sum, a legend's end): exact
  integers, otherwise ``digits`` significant digits;
* :func:`format_values` -- one value, or a pixel's channels as ``(r, g, b)``;
* :func:`format_count` -- a count with thousands separators (``61,100,840``);
* :func:`format_percent` -- a share (``42.5%``);
* :func:`format_scaled` -- a big count as people say it, ``32.8`` ``billion`` (the unit words are the caller's);
* :func:`format_bytes` -- a memory size in decimal units, as torchinfo writes them (``244.40 MB``);
* :func:`format_shape` -- a tensor shape: ``3 × 224 × 224`` on screen, ``3x224x224`` in a CSV,
  ``(3, 224, 224)`` as torch prints it;
* :func:`kernel_text` -- a whole kernel: integers, ``1/d ×`` integers or ``10^e ×`` rounded numbers.

Pure functions (no Streamlit); ``ui.kernels.widgets`` draws a :class:`KernelText`.
"""
from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from .errors import ConvVizError

__all__ = ["MINUS", "format_number", "format_factor", "format_significant", "format_values", "format_count",
           "format_percent", "format_scaled", "format_bytes", "BYTE_UNITS", "format_shape", "ShapeStyle", "KernelText",
           "kernel_text", "common_denominator"]

#: The typographic minus sign (U+2212): as wide as a plus, so columns of signed numbers line up.
MINUS = "\u2212"


def format_number(value: Any, *, places: int = 2, minus: str = MINUS) -> str:
    """A short, readable label for a cell value: integers stay integers, at most ``places`` decimals.

    Negative numbers use ``minus`` (the typographic minus unless told otherwise); ``-inf``
    (padding of a max pool) is ``−∞``; a value that rounds to zero is ``0``, never ``-0``.

    >>> format_number(3), format_number(-2.0), format_number(2.25), format_number(1 / 3)
    ('3', '−2', '2.25', '0.33')
    >>> format_number(float("-inf")), format_number(-0.00001, places=4, minus="-")
    ('−∞', '0')
    >>> format_number(-12.345678, places=4, minus="-")
    '-12.3457'
    """
    v = float(value)
    if math.isinf(v):
        return ("" if v > 0 else minus) + "\u221e"
    if math.isnan(v):
        return "?"
    if v.is_integer():
        text = str(int(v))
    else:
        text = f"{v:.{places}f}".rstrip("0").rstrip(".")
        if text in ("-0", "0"):  # a tiny value rounded away
            text = "0"
    return text.replace("-", minus)


def format_factor(value: Any) -> str:
    """:func:`format_number` in parentheses when negative, to stand in a product: ``2·(−1)``.

    >>> format_factor(-1) + "·" + format_factor(2.5)
    '(−1)·2.5'
    """
    text = format_number(value)
    return f"({text})" if text.startswith(MINUS) else text


def format_significant(value: Any, digits: int = 4) -> str:
    """A number for a student: integers without ``.0``, others to ``digits`` significant digits.

    >>> format_significant(3.0), format_significant(0.0625), format_significant(1 / 3, 3), format_significant(-2e-7)
    ('3', '0.0625', '0.333', '-2e-07')
    >>> format_significant(float("inf"))
    'inf'
    """
    v = float(value)
    if math.isfinite(v) and v == int(v) and abs(v) < 1e9:
        return str(int(v))
    return f"{v:.{digits}g}"


def format_values(values: Any, digits: int = 4) -> str:
    """One value as :func:`format_significant` writes it; several (a pixel's channels) in parentheses.

    >>> format_values([12.0]), format_values(np.array([255, 0.5, 3]))
    ('12', '(255, 0.5, 3)')
    """
    vals = [format_significant(v, digits) for v in np.ravel(values)]
    return vals[0] if len(vals) == 1 else "(" + ", ".join(vals) + ")"


def format_count(n: Any) -> str:
    """A count with thousands separators (Korean uses the same); a float is rounded to a whole number.

    >>> format_count(61100840), format_count(2**60), format_count(1234.5)
    ('61,100,840', '1,152,921,504,606,846,976', '1,234')
    """
    if isinstance(n, (float, np.floating)):
        return f"{n:,.0f}"
    return f"{operator.index(n):,}"


def format_percent(share: float) -> str:
    """A share of a whole, one decimal: ``0.425`` -> ``"42.5%"``.

    >>> format_percent(0.425), format_percent(1)
    ('42.5%', '100.0%')
    """
    return f"{share:.1%}"


#: Decimal (SI) byte units: 1 kB = 1,000 bytes, 1 MB = 1,000,000 bytes, as torchinfo's "Params size (MB)".
def format_scaled(n: int, units: Sequence[str], *, step: int = 3) -> tuple[str, str | None]:
    """A big count the way people say it: a short number and its unit, ``("32.8", "billion")``.

    ``units`` name the powers ``10**step``, ``10**(2*step)``, ... (``thousand, million, billion`` with
    ``step=3``; ``만, 억, 조`` with ``step=4``). The number keeps three significant digits (a whole
    number from 100 up) and moves to the next unit when it would reach ``10**step`` (999,950 is
    "1 million", not "1,000 thousand"). Below the first unit: the count's digits and ``None``.

    >>> format_scaled(32_768_128_000, ["thousand", "million", "billion"]), format_scaled(999, ["thousand"])
    (('32.8', 'billion'), ('999', None))
    >>> format_scaled(61_100_840, ["만", "억", "조"], step=4), format_scaled(999_950, ["thousand", "million"])
    (('6,110', '만'), ('1', 'million'))
    """
    base = 10 ** int(step)
    if n < base:
        return format_count(n), None
    level = min(len(units), int(math.log(n, base) + 1e-9))
    while True:
        value = n / base**level
        shown = round(value) if value >= 100 else float(f"{value:.3g}")
        if shown >= base and level < len(units):
            level += 1
            continue
        break
    text = format_count(int(shown)) if float(shown).is_integer() else format_significant(shown, 3)
    return text, units[level - 1]


BYTE_UNITS = ("B", "kB", "MB", "GB", "TB", "PB")


def format_bytes(n: Any, *, places: int = 2) -> str:
    """A byte count in decimal units (1 kB = 1,000 B, 1 MB = 10^6 B), ``places`` decimals above bytes.

    The convention is torchinfo's: AlexNet's 61,100,840 float32 parameters are
    ``"244.40 MB"`` in both. Below 1,000 bytes the count is exact; above the petabyte the number grows.

    >>> format_bytes(0), format_bytes(999), format_bytes(1_000), format_bytes(244_403_360)
    ('0 B', '999 B', '1.00 kB', '244.40 MB')
    >>> format_bytes(4 * 10**18)
    '4,000.00 PB'
    """
    n = operator.index(n)
    if n < 1000:
        return f"{n:,} B"
    level = 0
    value = float(n)
    while value >= 1000 - 0.5 * 10**-places and level < len(BYTE_UNITS) - 1:  # 999,999 B is "1.00 MB", not "1000.00 kB"
        value /= 1000
        level += 1
    return f"{value:,.{places}f} {BYTE_UNITS[level]}"


#: How :func:`format_shape` writes a shape: ``"screen"`` for a reader, ``"csv"`` for a
#: spreadsheet cell or a table cell to type into, ``"tuple"`` as Python and torch print it.
ShapeStyle = Literal["screen", "csv", "tuple"]


def format_shape(shape: Iterable[Any], *, style: ShapeStyle = "screen") -> str:
    """A tensor shape (or a kernel size) as text; the one place that decides how shapes look.

    ``"screen"`` joins the sizes with `` × `` and groups thousands (``4,096``); ``"csv"`` with a
    bare ``x`` and no grouping (a spreadsheet keeps ``3x224x224`` as text, and
    :func:`convviz.nets.records.layer_from_record` reads ``1x7`` back); ``"tuple"`` is ``repr``
    of the tuple, as ``tensor.shape`` reads in torch.

    >>> format_shape((3, 224, 224)), format_shape((4096,)), format_shape((512, 7, 7), style="csv")
    ('3 × 224 × 224', '4,096', '512x7x7')
    >>> format_shape((3, 40, 50), style="tuple"), format_shape((10,), style="tuple")
    ('(3, 40, 50)', '(10,)')
    """
    sizes = tuple(operator.index(s) for s in shape)
    if style == "screen":
        return " × ".join(format_count(s) for s in sizes)
    if style == "csv":
        return "x".join(str(s) for s in sizes)
    if style == "tuple":
        return repr(sizes)
    raise ConvVizError(f"style must be 'screen', 'csv' or 'tuple', got {style!r}", "bad_choice",
                       param="style", value=repr(style))


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

    >>> from convviz.filters.kernels import gaussian_blur, box_blur
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
    >>> from convviz.filters.kernels import gaussian_blur
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
