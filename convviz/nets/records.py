"""A layer as one row of the Parameter Counts page's table, and back.

The table is what a student edits (``st.data_editor``): columns :data:`RECORD_COLUMNS`, sizes as
text (``"3"``, ``"1x7"``, ``"same"``) so a non-square kernel fits in a cell, and empty cells for
the torch defaults. The layer specs themselves are in :mod:`convviz.nets.layers`.

>>> layer_from_record(layer_to_record(Conv2d(3, 8, (1, 7), padding="same")), (3, 9, 9)).kernel_size
(1, 7)
"""
from __future__ import annotations

import math
import re
from typing import Any

from ..numbers import format_shape
from ..sliding.windows import compact

# The argument-check helpers of convviz.nets.layers, imported by name (one place for every check).
from .layers import (LAYER_TYPES, AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Dropout, Layer,  # isort: skip
                     Linear, MaxPool2d, Pair, Shape, Unflatten, layer_error, needs_image_error)

__all__ = ["RECORD_COLUMNS", "RECORD_TYPES", "MAX_COUNT", "MAX_TEXT", "cell_problem", "layer_to_record",
           "layer_from_record"]

#: Columns of a layer table row. ``in`` may be left empty: it is then taken from the input.
RECORD_COLUMNS = ("type", "in", "out", "kernel", "stride", "padding", "groups", "bias", "p")
#: Largest channel, feature or group count a table cell holds: the editor's limit, and the largest
#: integer :func:`convviz.from_pytorch` reads (a million channels is far past any real network).
MAX_COUNT = 1_000_000
#: Longest text in a size cell (``"same"``, ``"11x11"``, ``"(3, 5)"``).
MAX_TEXT = 32

#: Which columns a type reads (the rest of a row is ignored).
_USES = {
    "Conv2d": ("in", "out", "kernel", "stride", "padding", "groups", "bias"),
    "Linear": ("in", "out", "bias"),
    "MaxPool2d": ("kernel", "stride", "padding"),
    "AvgPool2d": ("kernel", "stride", "padding"),
    "AdaptiveAvgPool2d": ("out",),
    "BatchNorm2d": ("in",),
    "Dropout": ("p",),
    "Flatten": (), "ReLU": (), "ReLU6": (), "Tanh": (),
}


#: The layer types a row can name (the editor's choices).
RECORD_TYPES = tuple(_USES)


def cell_problem(column: str, value: Any) -> str | None:
    """Why ``value`` cannot be a cell of ``column`` in a table the page shows, or None when it can.

    Exactly the cells the editor holds and writes: ``type`` one of :data:`RECORD_TYPES`;
    ``in``, ``out``, ``groups`` whole numbers ``1..MAX_COUNT`` (ints, not ``8.0``); ``kernel``,
    ``stride``, ``padding`` text of up to :data:`MAX_TEXT` characters without control characters
    or lone surrogates (whether it is a size is the row's own error); ``bias`` True/False; ``p``
    a number ``0..1``. Any cell may be empty (``None``). A link's table is held to this before
    the page sees it (:func:`convviz.nets.links.decode_table`).

    >>> cell_problem("out", 8), cell_problem("out", 2.5), cell_problem("bias", 3)
    (None, 'not a whole number 1..1,000,000', 'not True/False')
    >>> cell_problem("kernel", "3x3"), cell_problem("kernel", "\\ud800")
    (None, 'not text of up to 32 characters')
    """
    if value is None:
        return None
    if column == "type":
        return None if isinstance(value, str) and value in RECORD_TYPES else "not a layer type"
    if column in ("in", "out", "groups"):
        ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_COUNT
        return None if ok else f"not a whole number 1..{MAX_COUNT:,}"
    if column in ("kernel", "stride", "padding"):
        ok = (isinstance(value, str) and len(value) <= MAX_TEXT and not _CONTROL.search(value)
              and _encodable(value))
        return None if ok else f"not text of up to {MAX_TEXT} characters"
    if column == "bias":
        return None if isinstance(value, bool) else "not True/False"
    if column == "p":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1
        return None if ok else "not a number 0..1"
    return "not a column"


#: Characters a table cell cannot show: C0 and C1 controls (a newline, NUL, ...).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _encodable(text: str) -> bool:
    """Whether ``text`` is valid Unicode (a lone surrogate such as ``"\\ud800"`` from JSON is not)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _size_text(value: int | Pair | str) -> str:
    """``3`` -> ``"3"``, ``(3, 3)`` -> ``"3"``, ``(1, 7)`` -> ``"1x7"``, ``"same"`` stays.

    >>> _size_text((3, 3)), _size_text((1, 7)), _size_text("same")
    ('3', '1x7', 'same')
    """
    if isinstance(value, str):
        return value
    value = compact(value) if isinstance(value, tuple) else value
    # The "csv" style is the one _parse_size reads back.
    return format_shape(value if isinstance(value, tuple) else (value,), style="csv")


def _parse_size(name: str, value: Any, *, allow_words: bool = False) -> int | Pair | str:
    """Table text to a size: ``"3"``, ``"3x5"``, ``"(3, 5)"`` and, for padding, ``"same"`` / ``"valid"``."""
    if isinstance(value, str):
        text = value.strip().lower()
        if allow_words and text in ("same", "valid"):
            return text
        parts = [p for p in re.split(r"[\s,x×*()\[\]]+", text) if p]
        # At most 9 digits: a size beyond that is nonsense, and int() refuses > 4300 digits anyway.
        if not 1 <= len(parts) <= 2 or not all(re.fullmatch(r"-?\d{1,9}", p) for p in parts):
            raise layer_error("size_text",
                              f"{name} must be a number or two numbers like 3x5"
                              + (" (or 'same' / 'valid')" if allow_words else "") + f", got {value!r}",
                              param=name, value=value)
        nums = tuple(int(p) for p in parts)
        return nums[0] if len(nums) == 1 else nums
    return value


def layer_to_record(layer: Layer) -> dict[str, Any]:
    """One table row (keys :data:`RECORD_COLUMNS`) describing ``layer``; unused cells are ``None``.

    Sizes become text (``"3"``, ``"1x7"``, ``"same"``) so non-square kernels fit in a cell.

    >>> rec = layer_to_record(Conv2d(3, 64, 11, stride=4, padding=2))
    >>> rec["type"], rec["in"], rec["out"], rec["kernel"], rec["stride"], rec["padding"], rec["p"]
    ('Conv2d', 3, 64, '11', '4', '2', None)
    """
    rec: dict[str, Any] = dict.fromkeys(RECORD_COLUMNS)
    rec["type"] = layer.type_name
    if isinstance(layer, Conv2d):
        rec.update({"in": layer.in_channels, "out": layer.out_channels, "kernel": _size_text(layer.kernel_size),
                    "stride": _size_text(layer.stride), "padding": _size_text(layer.padding),
                    "groups": layer.groups, "bias": layer.bias})
    elif isinstance(layer, Linear):
        rec.update({"in": layer.in_features, "out": layer.out_features, "bias": layer.bias})
    elif isinstance(layer, (MaxPool2d, AvgPool2d)):
        rec.update({"kernel": _size_text(layer.kernel_size), "stride": _size_text(layer.stride),
                    "padding": _size_text(layer.padding)})
    elif isinstance(layer, AdaptiveAvgPool2d):
        size = layer.output_size
        if isinstance(size, tuple):
            if size[0] != size[1] or size[0] is None:
                raise layer_error("not_tabular", f"a table row holds a square output_size only, got {size!r}",
                                  param="output_size", value=size)
            size = size[0]
        rec["out"] = size
    elif isinstance(layer, BatchNorm2d):
        rec["in"] = layer.num_features
    elif isinstance(layer, Dropout):
        rec["p"] = layer.p
    elif isinstance(layer, Unflatten):
        raise layer_error("not_tabular", "Unflatten has no table row", param="type", value="Unflatten")
    return rec


def layer_from_record(record: dict[str, Any], input_shape: Shape | None = None) -> Layer:
    """Build a layer from a table row; an empty ``in`` is taken from ``input_shape``.

    Empty cells mean the torch default (stride = kernel for pooling, padding 0, bias on, ...).

    >>> row = {"type": "Conv2d", "out": 64, "kernel": "3", "padding": "same"}
    >>> layer_from_record(row, (128, 40, 50))  # doctest: +NORMALIZE_WHITESPACE
    Conv2d(in_channels=128, out_channels=64, kernel_size=(3, 3), stride=(1, 1), padding='same', dilation=(1, 1),
        groups=1, bias=True)
    >>> layer_from_record({"type": "Linear", "out": 10}, (84,)).in_features
    84
    """
    kind = record.get("type")
    if _blank(kind) or not isinstance(kind, str) or kind not in _USES:
        raise layer_error("unknown_type", f"type must be one of {', '.join(_USES)}, got {kind!r}",
                          param="type", value=kind)

    def get(column: str, default: Any = None, *, required: bool = False) -> Any:
        value = record.get(column)
        if _blank(value):
            if required:
                raise layer_error("missing", f"{kind} needs a value in column '{column}'",
                                  layer=kind, column=column)
            return default
        return value

    def inferred(column: str) -> Any:
        value = get(column)
        if value is not None:
            return value
        if input_shape is None:
            raise layer_error("missing", f"{kind} needs a value in column '{column}'", layer=kind, column=column)
        if kind == "Linear":
            return math.prod(input_shape)
        if len(input_shape) != 3:
            raise needs_image_error(kind, tuple(input_shape))
        return input_shape[0]

    if kind == "Conv2d":
        return Conv2d(inferred("in"), get("out", required=True),
                      _parse_size("kernel_size", get("kernel", required=True)),
                      stride=_parse_size("stride", get("stride", 1)),
                      padding=_parse_size("padding", get("padding", 0), allow_words=True),
                      groups=get("groups", 1), bias=bool(get("bias", True)))
    if kind == "Linear":
        return Linear(inferred("in"), get("out", required=True), bias=bool(get("bias", True)))
    if kind in ("MaxPool2d", "AvgPool2d"):
        return LAYER_TYPES[kind](_parse_size("kernel_size", get("kernel", required=True)),
                                 stride=_parse_size("stride", get("stride")),
                                 padding=_parse_size("padding", get("padding", 0)))
    if kind == "AdaptiveAvgPool2d":
        return AdaptiveAvgPool2d(get("out", required=True))
    if kind == "BatchNorm2d":
        return BatchNorm2d(inferred("in"))
    if kind == "Dropout":
        p = get("p", 0.5)
        return Dropout(float(p) if isinstance(p, (int, float)) and not isinstance(p, bool) else p)
    return LAYER_TYPES[kind]()
