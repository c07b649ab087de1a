"""One wording for the parameters that recur across convviz, filled into docstrings.

As ``scipy.ndimage``'s ``_ni_docstrings``: a docstring writes ``%(stride)s`` on a line of its own
where the parameter's numpydoc entry belongs (several on one line: ``%(stride)s %(padding)s``, one
entry after the other), and :func:`docfiller` puts the entries of :data:`DOCS` there, indented like
the placeholder. So ``padding`` is explained once, here, and reads the same in
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
>>> for line in f.__doc__.splitlines()[-4:-1]:
...     print(line)
    stride : int or (int, int), keyword-only
        How far the window moves from one output to the next, >= 1; an int is used for height and
        width.
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


def _entry(head: str, description: str) -> str:
    """``head`` (name and types) over its description, wrapped and indented as numpydoc has it."""
    return head + "\n" + textwrap.indent(textwrap.fill(description, 92), "    ")


def _entries() -> dict[str, str]:
    docs = {}
    for name, meaning in _MEANING.items():
        pair_types, axis_types = _TYPES[name]
        docs[name] = _entry(f"{name} : {pair_types}", meaning[:-1] + _PAIR)
        docs[f"{name}_axis"] = _entry(f"{name} : {axis_types}", meaning)
    docs.update({
        "groups": _entry("groups : int, keyword-only",
                         "Split the channels into ``groups`` independent convolutions (``C_in`` and ``C_out`` "
                         "divisible by it): 1 is a standard convolution, ``C_in`` a depthwise one. Output channel "
                         "``o`` reads input channels ``g * C_in/groups`` to ``(g + 1) * C_in/groups - 1`` with "
                         "``g = o // (C_out / groups)``."),
        "mode": _entry("mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap'}, keyword-only",
                       "How the image is extended beyond its border, exactly as in ``scipy.ndimage`` "
                       "(:mod:`convviz.filters.boundary`)."),
        "cval": _entry("cval : float, keyword-only", "The value outside the image for ``mode='constant'``."),
        "input_shape": _entry("input_shape : sequence of int", "The shape of one sample, without the batch axis: "
                              "``(C, H, W)`` for an image, ``(F,)`` for a flat vector."),
    })
    return docs


#: Numpydoc entries (name and type line, then the indented description) by placeholder name.
DOCS: dict[str, str] = _entries()

_PLACEHOLDERS = re.compile(r"^([ \t]*)((?:%\(\w+\)s[ \t]*)+)$", re.M)
_NAME = re.compile(r"%\((\w+)\)s")


def fill(doc: str | None) -> str | None:
    """``doc`` with every line of ``%(name)s`` placeholders replaced by their ``DOCS`` entries, indented
    as the line was.

    An unknown name raises ``KeyError`` (at import, so a typo cannot ship).

    >>> print(fill("    %(cval)s"))
        cval : float, keyword-only
            The value outside the image for ``mode='constant'``.
    >>> fill("  %(stride)s %(groups)s").count(" : ")
    2
    """
    if doc is None:  # python -OO strips docstrings
        return None
    return _PLACEHOLDERS.sub(lambda m: "\n".join(textwrap.indent(DOCS[name], m.group(1))
                                                 for name in _NAME.findall(m.group(2))), doc)


def docfiller(obj: T) -> T:
    """Decorator: fill the placeholders of a function's or class's docstring (:func:`fill`)."""
    obj.__doc__ = fill(obj.__doc__)
    return obj
