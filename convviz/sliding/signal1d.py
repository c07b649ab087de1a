"""The 1-D convolution of the notes' first formula, step by step, and the text a student types for it.

Unlike a CNN layer this is the textbook convolution ``(f*g)(t) = sum_tau f(tau) g(t - tau)``:
``g`` is flipped, then slid along ``f``. The Stride and Padding page's 1-D player draws the steps.

>>> [fr.total for fr in conv1d_frames(parse_signal("1, 2, 3"), parse_signal("1 1"))]
[1, 3, 5, 3]
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import GeometryError
from ..numbers import MINUS, format_factor, format_number
from .grids import MAX_TYPED

__all__ = ["Frame1D", "conv1d_frames", "parse_signal"]


@dataclass(frozen=True)
class Frame1D:
    """One step ``t`` of the full 1-D convolution ``(f*g)(t) = sum_tau f(tau) g(t - tau)``.

    Attributes
    ----------
    t : int
        Output position, ``0 .. len(f) + len(g) - 2``.
    taus : tuple of int
        Positions ``tau`` where ``f(tau)`` and ``g(t - tau)`` both exist.
    f_values, g_values, products : tuple of float
        ``f(tau)``, ``g(t - tau)`` and their products.
    total : float
        ``(f*g)(t)``.
    g_positions : tuple of int
        Where each ``g[m]`` sits under the f axis at this step (``t - m``): the flipped,
        shifted kernel.
    equation : str
        ``"(f*g)(2) = f(0)g(2) + f(1)g(1) + f(2)g(0) = 1·0.5 + 2·1 + 3·0 = 2.5"``.
    """

    t: int
    taus: tuple[int, ...]
    f_values: tuple[float, ...]
    g_values: tuple[float, ...]
    products: tuple[float, ...]
    total: float
    g_positions: tuple[int, ...]
    equation: str


def conv1d_frames(f: Any, g: Any) -> tuple[Frame1D, ...]:
    """Every step of the full 1-D convolution of ``f`` and ``g`` (``numpy.convolve``).

    Examples
    --------
    >>> fr = conv1d_frames([1, 2, 3], [1, 1])
    >>> [x.total for x in fr]
    [1, 3, 5, 3]
    >>> fr[1].equation
    '(f∗g)(1) = f(0)g(1) + f(1)g(0) = 1·1 + 2·1 = 3'
    """
    fa = np.asarray(f)
    ga = np.asarray(g)
    if fa.ndim != 1 or ga.ndim != 1 or fa.size == 0 or ga.size == 0:
        raise GeometryError(f"f and g must be non-empty 1-D sequences, got shapes {fa.shape} and {ga.shape}",
                            "bad_signal", param="signal")
    for name, a in (("f", fa), ("g", ga)):
        # ints past int64 make an object array (no .item(), no exact products); NaN has no place in a sum
        if a.dtype.kind not in "iuf" or not np.isfinite(a).all():
            raise GeometryError(f"{name} must be finite numbers that fit in 64 bits, got {a.tolist()!r:.60}",
                                "bad_signal", param=name)
    full = np.convolve(fa, ga)
    out = []
    for t in range(fa.size + ga.size - 1):
        taus = tuple(tau for tau in range(fa.size) if 0 <= t - tau < ga.size)
        fv = tuple(fa[list(taus)].tolist())
        gv = tuple(ga[[t - tau for tau in taus]].tolist())
        prods = tuple((fa[list(taus)] * ga[[t - tau for tau in taus]]).tolist())
        total = full[t].item()
        symbolic = " + ".join(f"f({tau})g({t - tau})" for tau in taus)
        numeric = " + ".join(f"{format_factor(a)}·{format_factor(b)}" for a, b in zip(fv, gv))
        out.append(Frame1D(t=t, taus=taus, f_values=fv, g_values=gv, products=prods, total=total,
                           g_positions=tuple(t - m for m in range(ga.size)),
                           equation=f"(f\u2217g)({t}) = {symbolic} = {numeric} = {format_number(total)}"))
    return tuple(out)


def parse_signal(text: str, *, name: str = "signal", max_len: int = 10) -> np.ndarray:
    """Numbers separated by commas or spaces, as a 1-D array (ints when all are whole).

    At most ``max_len`` numbers, each between ``-MAX_TYPED["value"]`` and ``MAX_TYPED["value"]``
    (1,000: what the stride page's typed grids accept too); anything else is ``bad_signal``.

    Examples
    --------
    >>> parse_signal("1, 2, 3")
    array([1, 2, 3])
    >>> parse_signal("0.5 -1")
    array([ 0.5, -1. ])
    >>> parse_signal("1, x")
    Traceback (most recent call last):
    ...
    convviz.errors.GeometryError: signal must be numbers between -1000 and 1000 separated by commas, got '1, x'
    >>> parse_signal("1e20")
    Traceback (most recent call last):
    ...
    convviz.errors.GeometryError: signal must be numbers between -1000 and 1000 separated by commas, got '1e20'
    """
    limit = MAX_TYPED["value"]
    parts = [p for p in re.split(r"[,\s;]+", str(text).strip()) if p]
    try:
        # The typographic minus is accepted: it is what the player writes, so a copied value reads back.
        values = [float(p.replace(MINUS, "-")) for p in parts]
    except ValueError:
        values = None
    shown = str(text) if len(str(text)) <= 40 else str(text)[:37] + "..."
    if not values or not all(math.isfinite(v) and abs(v) <= limit for v in values):
        raise GeometryError(f"{name} must be numbers between -{limit} and {limit} separated by commas, "
                            f"got {shown!r}", "bad_signal", param=name, value=shown, max_len=max_len, limit=limit)
    if len(values) > max_len:
        raise GeometryError(f"{name} must have at most {max_len} numbers, got {len(values)}",
                            "bad_signal", param=name, value=shown, max_len=max_len, limit=limit)
    if all(v.is_integer() for v in values):
        return np.array([int(v) for v in values])
    return np.array(values)
