"""Boundary modes: how an image is extended past its border, named as in ``scipy.ndimage``.

One map serves every place that reads outside an image: the filtering engine's padded blocks
(:mod:`convviz.filters.engine`) and the pixel inspector's neighbourhoods (:mod:`convviz.filters.inspector`).

=============  ===============================  =================
``mode``       extends ``a b c d`` as            ``numpy.pad`` name
=============  ===============================  =================
``reflect``    ``c b a | a b c d | d c b``      ``symmetric``
``mirror``     ``d c b | a b c d | c b a``      ``reflect``
``nearest``    ``a a a | a b c d | d d d``      ``edge``
``wrap``       ``b c d | a b c d | a b c``      ``wrap``
``constant``   ``k k k | a b c d | k k k``      ``constant`` (``k = cval``)
=============  ===============================  =================

>>> index_map(-2, 6, 4, "reflect").tolist()
[1, 0, 0, 1, 2, 3, 3, 2]
"""
from __future__ import annotations

import numpy as np

from ..checks import check_choice
from ..errors import ConvVizError

__all__ = ["MODES", "NUMPY_PAD_MODES", "check_mode", "index_map"]

#: Boundary modes, named and behaving exactly as in ``scipy.ndimage``.
MODES = ("reflect", "constant", "nearest", "mirror", "wrap")

#: The ``numpy.pad`` mode that extends an axis as each scipy.ndimage mode does (the names differ:
#: scipy's ``reflect`` is numpy's ``symmetric`` and scipy's ``mirror`` is numpy's ``reflect``).
NUMPY_PAD_MODES = {"reflect": "symmetric", "mirror": "reflect", "nearest": "edge", "wrap": "wrap",
                   "constant": "constant"}


def check_mode(mode: object, cval: object = 0.0) -> float:
    """Validate ``mode`` (one of :data:`MODES`, the rule of :func:`convviz.checks.check_choice`) and
    return ``cval`` as a finite float.

    ``mode`` and ``cval`` are those of :func:`convviz.filter_image`; ``cval`` may be anything
    ``float()`` reads, as ``scipy.ndimage`` takes it (also a Python int beyond int64, which
    ``numpy.isfinite`` refuses), but not NaN or an infinity (``not_float``).

    Examples
    --------
    >>> check_mode("constant", 128)
    128.0
    >>> check_mode("edge")
    Traceback (most recent call last):
    ...
    convviz.errors.ConvVizError: mode must be one of reflect, constant, nearest, mirror, wrap; got 'edge'
    """
    check_choice(mode, "mode", MODES)
    try:
        value = float(cval)  # also Python ints beyond int64, which np.isfinite refuses
    except (TypeError, ValueError, OverflowError):
        raise ConvVizError(f"cval must be a finite number, got {cval!r}", "not_float",
                           param="cval", value=repr(cval)) from None
    if not np.isfinite(value):
        raise ConvVizError(f"cval must be a finite number, got {cval!r}", "not_float",
                           param="cval", value=repr(cval))
    return value


def index_map(start: int, stop: int, n: int, mode: str) -> np.ndarray:
    """Source index of each position ``start..stop-1`` of a line of length ``n``, extended by ``mode``.

    Positions outside ``0..n-1`` map back inside exactly as ``scipy.ndimage`` extends a line,
    however far outside; with ``mode='constant'`` they map to ``-1`` (meaning "use cval").

    >>> index_map(-3, 5, 3, "reflect").tolist()   # scipy 'reflect' = numpy 'symmetric'
    [2, 1, 0, 0, 1, 2, 2, 1]
    >>> index_map(-3, 5, 3, "mirror").tolist()    # scipy 'mirror' = numpy 'reflect'
    [1, 2, 1, 0, 1, 2, 1, 0]
    >>> index_map(-2, 4, 3, "wrap").tolist(), index_map(-1, 4, 3, "constant").tolist()
    ([1, 2, 0, 1, 2, 0], [-1, 0, 1, 2, -1])
    """
    i = np.arange(start, stop, dtype=np.intp)
    if mode == "constant":
        return np.where((i >= 0) & (i < n), i, -1)
    if mode == "nearest":
        return np.clip(i, 0, n - 1)
    if mode == "wrap":
        return np.mod(i, n)
    if mode == "reflect":
        j = np.mod(i, 2 * n)
        return np.where(j < n, j, 2 * n - 1 - j)
    if mode == "mirror":
        if n == 1:
            return np.zeros_like(i)
        j = np.mod(i, 2 * n - 2)
        return np.where(j < n, j, 2 * n - 2 - j)
    check_mode(mode)
    raise AssertionError("unreachable")  # pragma: no cover
