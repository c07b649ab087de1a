"""Argument checks shared by every convviz function: one rule for what counts as an int, a pair, ...

One behaviour everywhere: a whole number may be an ``int``, a numpy integer (``np.int64``) or an
integral float (``3.0``, as a table cell or a slider gives it); ``bool``, ``None``, NaN, infinities,
``2.5`` and strings are refused. Each check raises ``error`` (the :class:`~convviz.errors.ConvVizError`
subclass the calling function documents: ``GeometryError`` from the sliding window (windows, ops, frames),
``LayerError`` from layers and summary, ...) with a registered ``code`` and the ``params``
``param`` (the argument's name), ``value`` and the limits its message quotes.

>>> check_int(np.int64(3), "stride", minimum=1), check_int(3.0, "stride"), check_pair(2, "padding")
(3, 3, (2, 2))
>>> check_int(True, "stride")
Traceback (most recent call last):
...
convviz.errors.ConvVizError: stride must be an integer, got True
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from .errors import ConvVizError

__all__ = ["check_int", "check_pair", "check_bool", "check_float", "check_sizes", "check_choice",
           "check_range", "check_groups"]

ErrorType = type[ConvVizError]


def _whole(value: Any) -> int | None:
    """``value`` as an int when it is a whole number (see the module docstring), else ``None``."""
    if isinstance(value, (bool, np.bool_)) or value is None:
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        v = float(value)
        if math.isfinite(v) and v.is_integer():
            return int(v)
    return None


def check_range(value: int | float, name: str, *, minimum: float | None = None, maximum: float | None = None,
                error: ErrorType = ConvVizError) -> None:
    """Raise ``too_small`` / ``out_of_range`` unless ``minimum <= value <= maximum`` (either may be None).

    >>> check_range(4, "row", minimum=0, maximum=3)
    Traceback (most recent call last):
    ...
    convviz.errors.ConvVizError: row must be between 0 and 3, got 4
    """
    if maximum is not None and ((minimum is not None and value < minimum) or value > maximum):
        raise error(f"{name} must be between {minimum} and {maximum}, got {value}", "out_of_range",
                    param=name, value=value, minimum=minimum, maximum=maximum)
    if minimum is not None and value < minimum:
        raise error(f"{name} must be >= {minimum}, got {value}", "too_small",
                    param=name, value=value, minimum=minimum)


def check_int(value: Any, name: str, *, minimum: int | None = None, maximum: int | None = None,
              error: ErrorType = ConvVizError) -> int:
    """``value`` as a plain ``int`` within ``minimum..maximum``.

    Raises ``error`` with code ``not_int``, ``too_small`` (only a minimum) or ``out_of_range``.

    >>> check_int(2.0, "kernel_size", minimum=1)
    2
    >>> check_int(0, "stride", minimum=1)
    Traceback (most recent call last):
    ...
    convviz.errors.ConvVizError: stride must be >= 1, got 0
    """
    v = _whole(value)
    if v is None:
        raise error(f"{name} must be an integer, got {value!r}", "not_int", param=name, value=value)
    check_range(v, name, minimum=minimum, maximum=maximum, error=error)
    return v


def check_pair(value: Any, name: str, *, minimum: int | None = 0, error: ErrorType = ConvVizError
               ) -> tuple[int, int]:
    """An int or an ``(h, w)`` tuple / list as a pair of ints >= ``minimum`` (code ``not_pair`` if neither).

    >>> check_pair(3, "stride", minimum=1), check_pair([1, 2.0], "padding")
    ((3, 3), (1, 2))
    """
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise error(f"{name} must be an int or an (h, w) pair, got {value!r}", "not_pair",
                        param=name, value=value)
        return (check_int(value[0], name, minimum=minimum, error=error),
                check_int(value[1], name, minimum=minimum, error=error))
    v = check_int(value, name, minimum=minimum, error=error)
    return (v, v)


def check_bool(value: Any, name: str, *, error: ErrorType = ConvVizError) -> bool:
    """``value`` if it is ``True`` or ``False`` (numpy's too), else code ``not_bool``.

    >>> check_bool(np.bool_(True), "bias")
    True
    """
    if not isinstance(value, (bool, np.bool_)):
        raise error(f"{name} must be True or False, got {value!r}", "not_bool", param=name, value=value)
    return bool(value)


def check_groups(groups: Any, in_channels: int, out_channels: int, *, error: ErrorType = ConvVizError) -> int:
    """``groups`` as ``torch.nn.Conv2d`` accepts it: an int >= 1 dividing both channel counts.

    Raises ``error`` with the codes of :func:`check_int`, or ``groups_divide`` naming the channel
    count that does not divide.

    >>> check_groups(2, 4, 6)
    2
    >>> check_groups(3, 4, 6)
    Traceback (most recent call last):
    ...
    convviz.errors.ConvVizError: in_channels must be divisible by groups=3, got 4
    """
    g = check_int(groups, "groups", minimum=1, error=error)
    for name, count in (("in_channels", in_channels), ("out_channels", out_channels)):
        if count % g:
            raise error(f"{name} must be divisible by groups={g}, got {count}", "groups_divide",
                        param=name, value=count, groups=g)
    return g


def check_float(value: Any, name: str, *, minimum: float | None = None, maximum: float | None = None,
                positive: bool = False, error: ErrorType = ConvVizError) -> float:
    """``value`` as a finite ``float`` (code ``not_float``) within the limits; ``positive``: > 0 (``not_positive``).

    >>> check_float(1, "p", minimum=0, maximum=1), check_float(np.float32(0.5), "scale", positive=True)
    (1.0, 0.5)
    >>> check_float(float("nan"), "cval")
    Traceback (most recent call last):
    ...
    convviz.errors.ConvVizError: cval must be a finite number, got nan
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) \
            or not math.isfinite(float(value)):
        raise error(f"{name} must be a finite number, got {value!r}", "not_float", param=name, value=value)
    v = float(value)
    if positive and not v > 0:
        raise error(f"{name} must be a positive finite number, got {value!r}", "not_positive",
                    param=name, value=value)
    check_range(v, name, minimum=minimum, maximum=maximum, error=error)
    return v


def check_sizes(value: Any, name: str, *, lengths: Iterable[int] | None = None, form: str = "a tuple",
                error: ErrorType = ConvVizError) -> tuple[int, ...]:
    """A non-empty sequence of whole numbers >= 1 (of one of ``lengths``) as a tuple of ints (``not_sizes``).

    ``form`` says in the English message what was expected.

    >>> check_sizes([3, np.int64(32), 32.0], "input_shape", lengths=(1, 3))
    (3, 32, 32)
    """
    try:
        items = tuple(value)
    except TypeError:
        items = ()
    sizes = tuple(_whole(s) for s in items) if not isinstance(value, (str, bytes)) else ()
    ok = bool(sizes) and all(s is not None and s >= 1 for s in sizes) \
        and (lengths is None or len(sizes) in tuple(lengths))
    if not ok:
        raise error(f"{name} must be {form} of integers >= 1, got {value!r}", "not_sizes",
                    param=name, value=value)
    return sizes  # type: ignore[return-value]


def check_choice(value: Any, name: str, options: Iterable[Any], *, error: ErrorType = ConvVizError) -> Any:
    """``value`` if it is one of ``options``, else code ``bad_choice``.

    >>> check_choice("max", "op", ("max", "avg"))
    'max'
    >>> check_choice("median", "op", ("max", "avg"))
    Traceback (most recent call last):
    ...
    convviz.errors.ConvVizError: op must be one of max, avg; got 'median'
    """
    options = tuple(options)
    try:
        ok = bool(value in options)
    except (TypeError, ValueError):  # an array or an oddly comparing value
        ok = False
    if not ok:
        raise error(f"{name} must be one of {', '.join(map(str, options))}; got {value!r}", "bad_choice",
                    param=name, value=value)
    return value
