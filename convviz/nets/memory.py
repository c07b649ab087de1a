"""Memory of a stack, layer by layer: the output activations and the parameters, in bytes.

At float32 (4 bytes a value): a row's activation memory is its output tensor, ``C x H x W``
values per sample (times the batch), for **every** layer, ReLU, pooling, Flatten and Dropout
included: what one forward pass produces. Its parameter memory is its parameter count times 4.
Written on screen by :func:`convviz.numbers.format_bytes` (decimal units, 1 MB = 1,000,000 bytes).

Against torchinfo (checked by ``tests/convviz/nets/test_torch_counts.py``):

* :attr:`MemoryReport.total_param_bytes` is torchinfo's "Params size (MB)";
* torchinfo's "Forward/backward pass size (MB)" is another number: twice (for the gradients)
  the outputs of the layers **with parameters** only (Conv2d, Linear, BatchNorm2d with
  ``affine``), that is ``2 x`` the sum of ``batch_activation_bytes`` over those rows. The
  activations here are not doubled, and an optimizer keeps state of its own on top.

>>> from convviz import ARCHITECTURES, summarize
>>> alexnet = ARCHITECTURES["alexnet"]
>>> m = layer_memory(summarize(alexnet.layers, alexnet.input_shape), batch_size=32)
>>> m.total_param_bytes, m.rows[0].activation_bytes, m.rows[0].batch_activation_bytes
(244403360, 774400, 24780800)
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..checks import check_int
from ..errors import LayerError
from .summary import Summary

__all__ = ["BYTES_PER_VALUE", "MAX_BATCH", "RowMemory", "MemoryReport", "layer_memory"]

#: float32: what torch creates by default and what torchinfo assumes.
BYTES_PER_VALUE = 4
#: The largest batch size accepted.
MAX_BATCH = 65_536


@dataclass(frozen=True)
class RowMemory:
    """The memory of one summary row: ``position`` is the row's, bytes at float32.

    ``leaf`` is False for a row that only groups others (its children are counted in the totals).
    """

    position: int
    activation_bytes: int
    batch_activation_bytes: int
    param_bytes: int
    leaf: bool = True


@dataclass(frozen=True)
class MemoryReport:
    """Per-row memory and totals (each total is the sum of its column over the leaf rows)."""

    batch_size: int
    bytes_per_value: int
    rows: tuple[RowMemory, ...]

    @property
    def total_activation_bytes(self) -> int:
        """All output activations of one sample."""
        return sum(r.activation_bytes for r in self.rows if r.leaf)

    @property
    def total_batch_activation_bytes(self) -> int:
        """All output activations of a batch (``batch_size`` times the per-sample total)."""
        return sum(r.batch_activation_bytes for r in self.rows if r.leaf)

    @property
    def total_param_bytes(self) -> int:
        """All parameters (the same for any batch size)."""
        return sum(r.param_bytes for r in self.rows if r.leaf)


def layer_memory(summary: Summary, *, batch_size: int = 1, bytes_per_value: int = BYTES_PER_VALUE) -> MemoryReport:
    """Output-activation and parameter memory of every row of ``summary``.

    Parameters
    ----------
    summary : Summary
        From :func:`convviz.summarize`.
    batch_size : int, keyword-only
        Samples in one forward pass, ``1..MAX_BATCH`` (code ``out_of_range``).
    bytes_per_value : int, keyword-only
        4 for float32 (the default), 2 for float16, 8 for float64.

    Returns
    -------
    MemoryReport

    Examples
    --------
    >>> from convviz import summarize
    >>> from convviz.nets.layers import Conv2d
    >>> r = layer_memory(summarize([Conv2d(3, 8, 3)], (3, 10, 10)), batch_size=2).rows[0]
    >>> r.activation_bytes, r.batch_activation_bytes, r.param_bytes  # 8*8*8 values; 3*3*3*8 + 8 params
    (2048, 4096, 896)
    """
    batch_size = check_int(batch_size, "batch_size", minimum=1, maximum=MAX_BATCH, error=LayerError)
    bytes_per_value = check_int(bytes_per_value, "bytes_per_value", minimum=1, maximum=16, error=LayerError)
    rows = []
    for row in summary.rows:
        per_sample = math.prod(row.output_shape) * bytes_per_value
        rows.append(RowMemory(position=row.position, activation_bytes=per_sample,
                              batch_activation_bytes=per_sample * batch_size,
                              param_bytes=row.params * bytes_per_value,
                              leaf=row.is_leaf))
    return MemoryReport(batch_size=batch_size, bytes_per_value=bytes_per_value, rows=tuple(rows))
