"""Multiply-adds and FLOPs of a stack, layer by layer: the one definition of every operation count.

One multiply-add (MAC) is a multiplication followed by an addition: **2 FLOPs**. Tools differ in
what they count, so there are two counts, and this module defines both (:func:`layer_ops`); every
other number of operations (:attr:`convviz.Summary.total_macs`, ``Row.macs``, the CSV's ``macs``
column, the trend chart, the Parameter counts page's headline and table) is read from here.

* **multiply-adds** (``extras=False``, :attr:`convviz.Summary.total_macs`): the products of
  Conv2d and Linear, their weights times their inputs, one per weight per output position.
  Exactly ``torch.utils.flop_counter.FlopCounterMode``'s FLOPs / 2: bias additions, BatchNorm,
  pooling, activations, the residual addition and concatenation are not counted.
* **with bias & BatchNorm** (``extras=True``, :attr:`convviz.Summary.total_macs_with_extras`):
  the multiply-adds, plus one addition per output value of a Conv2d or Linear with a bias, plus
  one multiply-add per output value of a BatchNorm2d (its scale and shift, once the statistics
  are folded in for inference). This is torchinfo's "Total mult-adds" for a stack without
  BatchNorm2d; torchinfo counts a BatchNorm2d as ``2 x C`` per sample (its parameters times the
  batch, whatever ``H x W``) where this count has ``C x H x W``, and a BatchNorm2d without
  ``affine`` parameters as 0 (``tests/convviz/nets/test_torch_counts.py`` checks both, against torchinfo).

Pooling and activations are never counted (neither tool does).

>>> from convviz import ARCHITECTURES, summarize
>>> s = summarize(ARCHITECTURES["alexnet"].layers, ARCHITECTURES["alexnet"].input_shape)
>>> op_counts(s).total, op_counts(s, extras=True).total, op_counts(s, unit="flops").total
(714188480, 714682664, 1428376960)
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..checks import check_bool, check_choice
from ..errors import LayerError
from .blocks import Block
from .layers import BatchNorm2d, Conv2d, Layer, Linear

if TYPE_CHECKING:  # summary imports this module to count its rows
    from .summary import Row, Summary

__all__ = ["UNITS", "FLOPS_PER_MAC", "Unit", "OpRow", "OpCounts", "layer_ops", "row_macs", "op_counts"]

#: ``"macs"``: multiply-adds; ``"flops"``: floating-point operations (2 per multiply-add).
UNITS = ("macs", "flops")
Unit = Literal["macs", "flops"]
#: A multiply-add is one multiplication and one addition.
FLOPS_PER_MAC = 2


def layer_ops(layer: Layer, input_shape: Sequence[int]) -> tuple[int, int]:
    """``(products, extras)``: the multiply-adds of one layer for one sample (the module's two counts).

    ``products`` are the weight-times-input multiply-adds of a Conv2d or Linear
    (:meth:`~convviz.nets.layers.Layer.macs`); ``extras`` are a Conv2d's or Linear's bias additions
    (one per output value) or a BatchNorm2d's scale and shift (one multiply-add per value). A
    block (:class:`~convviz.nets.blocks.Residual`, :class:`~convviz.nets.blocks.Concat`) has the sums of
    the layers inside. The shapes must fit (:func:`convviz.summarize` checks them first).

    >>> from convviz.nets.layers import BatchNorm2d, Conv2d, Linear, ReLU
    >>> layer_ops(Conv2d(3, 8, 3), (3, 10, 10)), layer_ops(Conv2d(3, 8, 3, bias=False), (3, 10, 10))
    ((13824, 512), (13824, 0))
    >>> layer_ops(BatchNorm2d(8), (8, 8, 8)), layer_ops(Linear(4, 3), (4,)), layer_ops(ReLU(), (4,))
    ((0, 512), (12, 3), (0, 0))
    """
    shape = tuple(input_shape)
    if isinstance(layer, Block):
        products = extras = 0
        for _, stack in layer.children():
            inner = shape
            for child in stack:
                p, e = layer_ops(child, inner)
                products, extras = products + p, extras + e
                inner = tuple(child.output_shape(inner))
        return products, extras
    if isinstance(layer, (Conv2d, Linear)):
        biased = math.prod(layer.output_shape(shape)) if layer.bias else 0
        return layer.macs(shape), biased
    if isinstance(layer, BatchNorm2d):
        return 0, math.prod(layer.output_shape(shape))
    return 0, 0


def row_macs(row: Row, *, extras: bool = False) -> tuple[int, int]:
    """``(products, extras)`` multiply-adds of one summary row (:func:`layer_ops`, kept on the row).

    ``extras`` is 0 unless asked for.

    >>> from convviz import summarize
    >>> from convviz.nets.layers import BatchNorm2d, Linear
    >>> s = summarize([Linear(4, 3)], (4,))
    >>> row_macs(s.rows[0]), row_macs(s.rows[0], extras=True)
    ((12, 0), (12, 3))
    >>> row_macs(summarize([BatchNorm2d(2)], (2, 3, 3)).rows[0], extras=True)
    (0, 18)
    """
    return row.macs, row.extra_macs if extras else 0


@dataclass(frozen=True)
class OpRow:
    """The operations of one summary row in the chosen unit: ``ops = products + extras``."""

    position: int
    products: int
    extras: int
    leaf: bool = True

    @property
    def ops(self) -> int:
        return self.products + self.extras


@dataclass(frozen=True)
class OpCounts:
    """Per-row operation counts under one convention; :attr:`total` is the sum of the leaf rows."""

    unit: str
    extras: bool
    rows: tuple[OpRow, ...]

    @property
    def total(self) -> int:
        return sum(r.ops for r in self.rows if r.leaf)

    @property
    def total_products(self) -> int:
        return sum(r.products for r in self.rows if r.leaf)

    @property
    def total_extras(self) -> int:
        return sum(r.extras for r in self.rows if r.leaf)


def op_counts(summary: Summary, *, unit: Unit = "macs", extras: bool = False) -> OpCounts:
    """The operations of every row of ``summary`` for one forward pass of one sample.

    Parameters
    ----------
    summary : Summary
        From :func:`convviz.summarize`.
    unit : {"macs", "flops"}, keyword-only
        Multiply-adds, or FLOPs (``2 x`` multiply-adds).
    extras : bool, keyword-only
        ``False``: the multiply-adds (products of Conv2d and Linear, as
        ``torch.utils.flop_counter`` counts); ``True``: with bias additions and BatchNorm (see
        the module docstring for how this differs from torchinfo).

    Returns
    -------
    OpCounts

    Examples
    --------
    >>> from convviz import summarize
    >>> from convviz.nets.layers import Conv2d
    >>> s = summarize([Conv2d(1, 2, 3)], (1, 4, 4))  # 2 x 2 x 2 outputs, 9 products each
    >>> op_counts(s).total, op_counts(s, extras=True).total, op_counts(s, unit="flops", extras=True).total
    (72, 80, 160)
    """
    unit = check_choice(unit, "unit", UNITS, error=LayerError)
    extras = check_bool(extras, "extras", error=LayerError)
    factor = FLOPS_PER_MAC if unit == "flops" else 1
    rows = []
    for row in summary.rows:  # a block's row holds the sums of the layers under it, as its parameter count does
        products, extra = row_macs(row, extras=extras)
        rows.append(OpRow(position=row.position, products=products * factor, extras=extra * factor,
                          leaf=row.is_leaf))
    return OpCounts(unit=unit, extras=extras, rows=tuple(rows))
