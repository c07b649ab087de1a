"""One wording for the parameters that recur across convviz, filled into docstrings.

As ``scipy.ndimage``'s ``_ni_docstrings``: a docstring writes ``%(stride)s`` on a line of its own
where the parameter's numpydoc entry belongs, and :func:`docfiller` puts the entry of :data:`DOCS`
there, indented like the placeholder. So ``padding`` is explained once, here, and reads the same in
:func:`convviz.conv2d`, :func:`convviz.output_size` and every other function that takes it.

Two forms per sliding-window parameter: the plain name for functions that take an int or an
``(h, w)`` pair, ``<name>_axis`` for the one-axis functions (``output_size``). The meaning is the
same sentence in both.

>>> @docfiller
... def f(x, *, stride=1):
...     '''Example.
...
...     Parameters
...     ----------
...     %(stride)s
...     '''
>>> print(f.__doc__.splitlines()[-2])
        How far the window moves from one output to the next, >= 1; an int is used for height and width.
"""
from __future__ import annotations

import re
import textwrap
from typing import TypeVar

__all__ = ["DOCS", "docfiller", "fill"]

T = TypeVar("T")

#: What each sliding-window parameter means (one sentence each, whatever the types).
_MEANING = {
    "kernel_size": "The size of the window (the kernel), >= 1.",
    "stride": "How far the window moves from one output to the next, >= 1.",
    "padding": ('Zeros added on both sides of the input, >= 0. ``"same"`` pads so that the output keeps '
                "the input's size (stride 1 only, as in torch; an odd total puts the extra zero after, at "
                'the bottom / right); ``"valid"`` adds none.'),
    "dilation": ("Spacing of the kernel's taps, >= 1: the window covers ``d(k-1) + 1`` cells (1: neighbouring "
                 "cells)."),
    "output_padding": ("Extra cells kept at the bottom / right of a transposed convolution's output, >= 0 "
                       "and smaller than ``stride`` or ``dilation`` (as in torch)."),
}
_PAIR = "; an int is used for height and width."
_TYPES = {
    "kernel_size": ("int or (int, int)", "int"),
    "stride": ("int or (int, int), keyword-only", "int, keyword-only"),
    "padding": ('int, (int, int), "same" or "valid", keyword-only', 'int, "same" or "valid", keyword-only'),
    "dilation": ("int or (int, int), keyword-only", "int, keyword-only"),
    "output_padding": ("int or (int, int), keyword-only", "int, keyword-only"),
}


def _entries() -> dict[str, str]:
    docs = {}
    for name, meaning in _MEANING.items():
        pair_types, axis_types = _TYPES[name]
        docs[name] = f"{name} : {pair_types}\n    {meaning[:-1]}{_PAIR}"
        docs[f"{name}_axis"] = f"{name} : {axis_types}\n    {meaning}"
    docs.update({
        "groups": ("groups : int, keyword-only\n    Split the channels into ``groups`` independent convolutions "
                   "(``C_in`` and ``C_out`` divisible by it): 1 is a standard convolution, ``C_in`` a depthwise "
                   "one. Output channel ``o`` reads input channels ``g * C_in/groups`` to "
                   "``(g + 1) * C_in/groups - 1`` with ``g = o // (C_out / groups)``."),
        "mode": ("mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap'}, keyword-only\n    How the image "
                 "is extended beyond its border, exactly as in ``scipy.ndimage`` (:mod:`convviz.filters.boundary`)."),
        "cval": "cval : float, keyword-only\n    The value outside the image for ``mode='constant'``.",
        "input_shape": ("input_shape : sequence of int\n    The shape of one sample, without the batch axis: "
                        "``(C, H, W)`` for an image, ``(F,)`` for a flat vector."),
    })
    return docs


#: Numpydoc entries (name and type line, then the indented description) by placeholder name.
DOCS: dict[str, str] = _entries()

_PLACEHOLDER = re.compile(r"^([ \t]*)%\((\w+)\)s[ \t]*$", re.M)


def fill(doc: str | None) -> str | None:
    """``doc`` with every ``%(name)s`` line replaced by ``DOCS[name]``, indented as the line was.

    An unknown name raises ``KeyError`` (at import, so a typo cannot ship).

    >>> print(fill("    %(cval)s"))
        cval : float, keyword-only
            The value outside the image for ``mode='constant'``.
    """
    if doc is None:  # python -OO strips docstrings
        return None
    return _PLACEHOLDER.sub(lambda m: textwrap.indent(DOCS[m.group(2)], m.group(1)), doc)


def docfiller(obj: T) -> T:
    """Decorator: fill the placeholders of a function's or class's docstring (:func:`fill`)."""
    obj.__doc__ = fill(obj.__doc__)
    return obj
