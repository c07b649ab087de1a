"""Layer-by-layer parameter and multiply-add counts of a stack.

>>> from convviz.nets.layers import Conv2d
>>> s = summarize([Conv2d(128, 64, 3, padding=1)], (128, 40, 50))
>>> s.rows[0].output_shape, s.total_weights, s.total_params
((64, 40, 50), 73728, 73792)
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .._docs import docfiller
from ..checks import check_sizes
from ..errors import LayerError
from ..numbers import format_shape
from .blocks import is_block, nested_error
from .layers import CATEGORIES, Formula, Layer
from .operations import layer_ops, op_counts
from .records import layer_from_record

Shape = tuple[int, ...]

__all__ = ["Row", "Summary", "summarize", "summarize_records", "stack_from_records", "check_input_shape"]


@dataclass(frozen=True)
class Row:
    """One layer of a :class:`Summary`.

    ``position`` is 1-based; ``name`` is ``"<type>-<position>"`` (``"Conv2d-1"``), as torchsummary names
    rows; ``share`` is this row's fraction of the summary's total parameters. ``macs`` and
    ``extra_macs`` are :func:`convviz.nets.operations.layer_ops`: the products of a Conv2d or Linear
    (``torch.utils.flop_counter``'s FLOPs / 2), and its bias additions or a BatchNorm2d's scale and
    shift (what "with bias & BatchNorm" adds).

    In a stack with :class:`~convviz.nets.blocks.Residual` or :class:`~convviz.nets.blocks.Concat` blocks the rows
    form a tree, in order, as torch lists ``named_modules()``: a block's row (``is_leaf`` False, counts
    summed over what it holds) comes before the rows inside it. ``depth`` is 0 at the top, ``path`` is
    ``"3"`` at the top and ``"3.body.1"`` inside (``parent`` is the block's path, None at the top),
    ``position`` is the top-level layer number and ``name`` is ``"<type>-<path>"``.
    """

    position: int
    name: str
    layer: Layer
    input_shape: Shape
    output_shape: Shape
    weights: int
    biases: int
    params: int
    macs: int
    share: float
    formula: Formula
    extra_macs: int = 0
    depth: int = 0
    path: str = ""
    parent: str | None = None
    is_leaf: bool = True

    @property
    def type_name(self) -> str:
        return self.layer.type_name

    @property
    def category(self) -> str:
        return self.layer.category


@dataclass(frozen=True)
class Summary:
    """Per-layer counts of a stack and their totals (``sum(row.params for row in leaves) == total_params``).

    For a plain stack every row is a leaf; with blocks, :attr:`rows` is the tree and :attr:`leaves` its layers.
    """

    input_shape: Shape
    rows: tuple[Row, ...]

    @property
    def leaves(self) -> tuple[Row, ...]:
        """The rows that are layers, not blocks: every total is their sum (all rows of a plain stack)."""
        return tuple(r for r in self.rows if r.is_leaf)

    @property
    def is_nested(self) -> bool:
        """Whether any row sits inside a block."""
        return any(r.depth for r in self.rows)

    def top_level(self) -> Summary:
        """The top-level rows only, a block standing for what it holds (for a per-layer chart).

        >>> from convviz.nets.blocks import Residual
        >>> from convviz.nets.layers import Conv2d
        >>> s = summarize([Residual((Conv2d(2, 2, 1),))], (2, 4, 4))
        >>> len(s.rows), len(s.top_level().rows), s.top_level().total_params == s.total_params
        (2, 1, True)
        """
        return Summary(self.input_shape, tuple(replace(r, is_leaf=True) for r in self.rows if r.depth == 0))

    @property
    def output_shape(self) -> Shape:
        """Shape after the last layer (the input shape for an empty stack)."""
        top = [r for r in self.rows if r.depth == 0]
        return top[-1].output_shape if top else self.input_shape

    @property
    def total_weights(self) -> int:
        """Weights of all layers (BatchNorm's per-channel scales count as weights, as torch names them)."""
        return sum(r.weights for r in self.leaves)

    @property
    def total_biases(self) -> int:
        """Biases of all layers (BatchNorm's per-channel shifts included)."""
        return sum(r.biases for r in self.leaves)

    @property
    def total_params(self) -> int:
        """All learnable parameters, biases included (what ``model.parameters()`` counts)."""
        return sum(r.params for r in self.leaves)

    @property
    def total_params_without_biases(self) -> int:
        """The total the course notes quote: weights only (``3 x 3 x 128 x 64 = 73,728``)."""
        return self.total_weights

    @property
    def total_macs(self) -> int:
        """Multiply-adds of one forward pass for one sample: :func:`convviz.nets.operations.op_counts`'s total
        (the products of Conv2d and Linear, as ``torch.utils.flop_counter`` counts them).

        >>> from convviz.nets.layers import BatchNorm2d, Conv2d
        >>> summarize([Conv2d(3, 8, 3, bias=False), BatchNorm2d(8)], (3, 10, 10)).total_macs
        13824
        """
        return op_counts(self).total

    @property
    def total_macs_with_extras(self) -> int:
        """:attr:`total_macs` with bias additions and BatchNorm: ``op_counts(..., extras=True)``'s total.

        >>> from convviz import ARCHITECTURES
        >>> s = summarize(ARCHITECTURES["alexnet"].layers, ARCHITECTURES["alexnet"].input_shape)
        >>> s.total_macs, s.total_macs_with_extras
        (714188480, 714682664)
        """
        return op_counts(self, extras=True).total

    def params_by_category(self) -> dict[str, int]:
        """Parameters per layer category (``"conv"``, ``"dense"``, ...), every category present.

        >>> from convviz.nets.layers import Flatten, Linear
        >>> summarize([Flatten(), Linear(12, 2)], (3, 2, 2)).params_by_category()["dense"]
        26
        """
        out = dict.fromkeys(CATEGORIES, 0)
        for r in self.leaves:
            out[r.category] += r.params
        return out

    def count_by_category(self) -> dict[str, int]:
        """How many layers of each category the stack has."""
        out = dict.fromkeys(CATEGORIES, 0)
        for r in self.leaves:
            out[r.category] += 1
        return out

    def share_of(self, category: str) -> float:
        """Fraction of all parameters held by layers of ``category`` (0 for a parameter-free stack)."""
        total = self.total_params
        return self.params_by_category().get(category, 0) / total if total else 0.0

    def largest(self, category: str) -> Row | None:
        """The row of ``category`` with the most parameters (the first on a tie), or None.

        >>> from convviz.nets.layers import Conv2d
        >>> summarize([Conv2d(3, 8, 3), Conv2d(8, 8, 3)], (3, 9, 9)).largest("conv").position
        2
        """
        rows = [r for r in self.leaves if r.category == category]
        return max(rows, key=lambda r: r.params) if rows else None

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per row (shapes as ``"64x55x55"`` text, share as a fraction), then a total row.

        >>> from convviz.nets.layers import Linear
        >>> summarize([Linear(4, 2)], (4,)).to_records()[0]["params"]
        10
        """
        records = []
        nested = self.is_nested  # a tree gets its path columns; a plain stack's records stay as they were
        for r in self.rows:
            records.append({
                "position": r.position, "name": r.name, "type": r.type_name,
                "input_shape": format_shape(r.input_shape, style="csv"),
                "output_shape": format_shape(r.output_shape, style="csv"),
                "weights": r.weights, "biases": r.biases, "params": r.params,
                "share": round(r.share, 6), "macs": r.macs, "formula": formula_text(r.formula),
                **({"path": r.path, "depth": r.depth, "is_leaf": r.is_leaf} if nested else {}),
            })
        records.append({
            "position": "", "name": "total", "type": "", "input_shape": format_shape(self.input_shape, style="csv"),
            "output_shape": format_shape(self.output_shape, style="csv"), "weights": self.total_weights,
            "biases": self.total_biases, "params": self.total_params,
            "share": 1.0 if self.total_params else 0.0, "macs": self.total_macs, "formula": "",
            **({"path": "", "depth": "", "is_leaf": ""} if nested else {}),
        })
        return records

    def to_csv(self) -> str:
        """The records as CSV text with a header row (for a download button).

        >>> from convviz.nets.layers import Linear
        >>> summarize([Linear(4, 2)], (4,)).to_csv().splitlines()[0]
        'position,name,type,input_shape,output_shape,weights,biases,params,share,macs,formula'
        """
        records = self.to_records()
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return buf.getvalue()


def formula_text(formula: Formula) -> str:
    """Plain-text numbers of a formula: ``"3 x 3 x 128 x 64 = 73728 + 64 biases"``.

    >>> from convviz.nets.layers import Conv2d
    >>> formula_text(Conv2d(128, 64, 3, bias=False).formula())
    '3 x 3 x 128 x 64 = 73728'
    """
    if not formula.weight_terms:
        return "0"
    text = " x ".join(str(t.value) for t in formula.weight_terms) + f" = {formula.weights}"
    if formula.bias_terms:
        text += f" + {formula.biases} biases"
    return text


def check_input_shape(input_shape: Any) -> Shape:
    """``input_shape`` as a tuple of positive ints: ``(C, H, W)`` or ``(features,)`` (code ``not_sizes``).

    >>> check_input_shape([3, 224, 224.0])
    (3, 224, 224)
    """
    return check_sizes(input_shape, "input_shape", lengths=(1, 3), form="(C, H, W) (or (features,))",
                       error=LayerError)


@docfiller
def summarize(layers: Iterable[Layer], input_shape: Sequence[int]) -> Summary:
    """Run shape inference through ``layers`` and count each layer's parameters and multiply-adds.

    Parameters
    ----------
    layers : iterable of Layer
        The stack, in order (like the arguments of ``nn.Sequential``); :class:`~convviz.nets.blocks.Residual`
        and :class:`~convviz.nets.blocks.Concat` blocks give nested rows.
    %(input_shape)s

    Returns
    -------
    Summary

    Raises
    ------
    LayerError
        When a layer does not fit its input; the message starts with ``"layer <position> (<type>)"``,
        and the error has ``position`` (1-based), ``layer_type``, ``code`` and ``params``. Inside a
        block, ``params["path"]`` names the layer (``"3.body.1"``) and the message says ``"at 3.body.1"``;
        where branches meet, ``residual_shape`` or ``concat_shape``.

    Examples
    --------
    >>> from convviz.nets.layers import Conv2d, Flatten, Linear
    >>> s = summarize([Conv2d(1, 6, 5), Flatten(), Linear(6 * 28 * 28, 10)], (1, 32, 32))
    >>> [r.params for r in s.rows], s.total_params
    ([156, 0, 47050], 47206)
    >>> summarize([Flatten(), Linear(10, 2)], (1, 4, 4))  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    convviz.errors.LayerError: layer 2 (Linear): Linear expected in_features = 16 (the size of its input) but got
        in_features = 10
    """
    shape = check_input_shape(input_shape)
    staged: list[tuple] = []
    _stage(list(layers), shape, staged, prefix="", depth=0, parent=None, position=0)
    total = sum(layer.params for _, layer, *_rest, leaf in staged if leaf)
    rows = tuple(
        Row(position=pos, name=f"{layer.type_name}-{path}", layer=layer, input_shape=shape_in, output_shape=out,
            weights=layer.weights, biases=layer.biases, params=layer.params, macs=ops[0],
            share=layer.params / total if total else 0.0, formula=layer.formula(), extra_macs=ops[1],
            depth=depth, path=path, parent=parent, is_leaf=leaf)
        for pos, layer, shape_in, out, ops, depth, path, parent, leaf in staged)
    return Summary(input_shape=check_input_shape(input_shape), rows=rows)


def _stage(layers: list, shape: Shape, staged: list, *, prefix: str, depth: int, parent: str | None,
           position: int) -> None:
    """Append one tuple per layer (blocks first, then what they hold) to ``staged``."""
    for index, layer in enumerate(layers, start=1):
        path = f"{prefix}.{index}" if prefix else str(index)
        pos = position or index
        if not isinstance(layer, Layer):
            err = LayerError(f"expected a layer such as Conv2d(...), got {layer!r}", "not_layer", value=repr(layer))
            raise err.at_layer(pos, type(layer).__name__)
        try:
            out = tuple(layer.output_shape(shape))
            ops = layer_ops(layer, shape)
        except LayerError as err:
            if depth == 0 and not is_block(layer):  # a plain stack's message, as it always was
                raise err.at_layer(pos, layer.type_name) from None
            err = nested_error(err, path, layer.type_name) if depth else err
            if depth == 0 and "path" in err.params:  # inside this block: make the path absolute
                err = nested_error(err, path, layer.type_name)
            raise err.at_layer(pos, layer.type_name) from None
        staged.append((pos, layer, shape, out, ops, depth, path, parent, not is_block(layer)))
        if is_block(layer):
            for name, stack in layer.children():
                _stage(list(stack), shape, staged, prefix=f"{path}.{name}", depth=depth + 1, parent=path,
                       position=pos)
        shape = out


def stack_from_records(records: Iterable[dict[str, Any]], input_shape: Sequence[int]) -> list[Layer]:
    """Build a stack from table rows, filling empty ``in`` cells from the running shape.

    Errors name the row by position like :func:`summarize`.

    >>> stack = stack_from_records([{"type": "Conv2d", "out": 8, "kernel": "3"}, {"type": "Flatten"},
    ...                             {"type": "Linear", "out": 10}], (3, 32, 32))
    >>> stack[0].in_channels, stack[2].in_features
    (3, 7200)
    """
    shape = check_input_shape(input_shape)
    layers: list[Layer] = []
    for position, record in enumerate(records, start=1):
        kind = record.get("type")
        kind = kind if isinstance(kind, str) and kind else "?"
        try:
            layer = layer_from_record(record, shape)
            shape = tuple(layer.output_shape(shape))
        except LayerError as err:
            raise err.at_layer(position, kind) from None
        layers.append(layer)
    return layers


def summarize_records(records: Iterable[dict[str, Any]], input_shape: Sequence[int]
                      ) -> tuple[Summary, list[Layer], LayerError | None]:
    """Summarize table rows up to the first bad one: ``(summary, layers, error)``.

    ``summary`` and ``layers`` cover the rows before the error (all rows when ``error`` is None),
    so a page can keep showing them next to the message.

    >>> s, layers, err = summarize_records([{"type": "Flatten"}, {"type": "Conv2d", "out": 4, "kernel": "3"}],
    ...                                    (1, 8, 8))
    >>> len(s.rows), err.position, err.code
    (1, 2, 'needs_image')
    """
    shape = check_input_shape(input_shape)
    records = list(records)
    try:
        layers = stack_from_records(records, shape)
    except LayerError as err:
        good = stack_from_records(records[: err.position - 1], shape)
        return summarize(good, shape), good, err
    return summarize(layers, shape), layers, None
