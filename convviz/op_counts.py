"""Multiply-adds and FLOPs of a stack, layer by layer, under the two conventions tools use.

One multiply-add (MAC) is a multiplication followed by an addition: **2 FLOPs**. What is counted
differs between tools, so it is a switch here (``extras``):

* ``extras=False`` -- only the products of Conv2d and Linear (their weights times their inputs),
  as ``torch.utils.flop_counter.FlopCounterMode`` counts: bias additions, BatchNorm, pooling
  and activations are left out;
* ``extras=True`` -- plus one addition per output value of a Conv2d or Linear with a bias
  (torchinfo's "Mult-Adds" count these too) and one multiply-add per output value of a
  BatchNorm2d (its scale and shift, once the statistics are folded in for inference).

Pooling and activations are never counted (neither tool does).

>>> from convviz import ARCHITECTURES, summarize
>>> s = summarize(ARCHITECTURES["alexnet"].layers, ARCHITECTURES["alexnet"].input_shape)
>>> op_counts(s).total, op_counts(s, extras=True).total, op_counts(s, unit="flops").total
(714188480, 714682664, 1428376960)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .checks import check_bool, check_choice
from .errors import LayerError
from .summary import Row, Summary

__all__ = ["UNITS", "FLOPS_PER_MAC", "Unit", "OpRow", "OpCounts", "row_macs", "op_counts"]

#: ``"macs"``: multiply-adds; ``"flops"``: floating-point operations (2 per multiply-add).
UNITS = ("macs", "flops")
Unit = Literal["macs", "flops"]
#: A multiply-add is one multiplication and one addition.
FLOPS_PER_MAC = 2


def row_macs(row: Row, *, extras: bool = False) -> tuple[int, int]:
    """``(products, extras)`` multiply-adds of one summary row.

    ``products`` are the weight-times-input multiply-adds of a Conv2d or Linear (0 for other
    layers); ``extras`` are its bias additions, or a BatchNorm2d's one multiply-add per value
    (0 unless ``extras``).

    >>> from convviz import summarize
    >>> from convviz.layers import BatchNorm2d, Linear
    >>> s = summarize([Linear(4, 3)], (4,))
    >>> row_macs(s.rows[0]), row_macs(s.rows[0], extras=True)
    ((12, 0), (12, 3))
    >>> row_macs(summarize([BatchNorm2d(2)], (2, 3, 3)).rows[0], extras=True)
    (0, 18)
    """
    products = row.macs if row.category in ("conv", "dense") else 0
    if not extras:
        return products, 0
    norm = row.macs if row.category == "norm" else 0  # BatchNorm's macs are its per-value scale and shift
    return products, row.bias_adds + norm


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
        Also count bias additions and BatchNorm (torchinfo-like); ``False`` counts only the
        products of Conv2d and Linear (``torch.utils.flop_counter``).

    Returns
    -------
    OpCounts

    Examples
    --------
    >>> from convviz import summarize
    >>> from convviz.layers import Conv2d
    >>> s = summarize([Conv2d(1, 2, 3)], (1, 4, 4))  # 2 x 2 x 2 outputs, 9 products each
    >>> op_counts(s).total, op_counts(s, extras=True).total, op_counts(s, unit="flops", extras=True).total
    (72, 80, 160)
    """
    unit = check_choice(unit, "unit", UNITS, error=LayerError)
    extras = check_bool(extras, "extras", error=LayerError)
    factor = FLOPS_PER_MAC if unit == "flops" else 1
    leaf_ops = {row.path: row_macs(row, extras=extras) for row in summary.leaves}
    rows = []
    for row in summary.rows:
        if row.is_leaf:
            products, extra = leaf_ops[row.path]
        else:  # a block's row: the sum of the layers under it, as its parameter count is
            inside = [ops for path, ops in leaf_ops.items() if path.startswith(row.path + ".")]
            products, extra = sum(p for p, _ in inside), sum(e for _, e in inside)
        rows.append(OpRow(position=row.position, products=products * factor, extras=extra * factor,
                          leaf=row.is_leaf))
    return OpCounts(unit=unit, extras=extras, rows=tuple(rows))
