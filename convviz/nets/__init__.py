"""Networks as layer stacks: shapes, parameters, operations, memory and receptive fields, as torch counts them.

* :mod:`~convviz.nets.layers` -- the layer specs (``Conv2d``, ``Linear``, poolings, ...) named like
  ``torch.nn``, and :mod:`~convviz.nets.blocks` -- residual and concatenation blocks;
* :mod:`~convviz.nets.summary` -- a stack layer by layer (:func:`summarize`), with
  :mod:`~convviz.nets.operations` (multiply-adds, FLOPs) and :mod:`~convviz.nets.memory` (bytes);
* :mod:`~convviz.nets.architectures` -- the preset networks (LeNet-5 to MobileNetV2) and their trend;
* :mod:`~convviz.nets.compare` -- what a design choice costs: dense instead of conv, a bottleneck,
  depthwise separable;
* :mod:`~convviz.nets.receptive` -- receptive fields of a stack;
* :mod:`~convviz.nets.to_torch` / :mod:`~convviz.nets.from_torch` -- PyTorch source out, and a pasted
  ``nn.Sequential`` read back (never run);
* :mod:`~convviz.nets.records` -- a layer as a row of the editable table, and
  :mod:`~convviz.nets.links` -- such a table packed into a link.

>>> summarize([Conv2d(128, 64, 3, padding=1)], (128, 40, 50)).total_weights
73728
"""
from __future__ import annotations

from .layers import (Layer, Conv2d, Linear, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, Unflatten, ReLU, ReLU6,
                     Tanh, BatchNorm2d, Dropout, Term, Formula, LAYER_TYPES, CATEGORIES, layer_error,
                     needs_image_error)
from .blocks import (Block, Residual, Concat, is_block, has_blocks, run_stack, nested_error, weight_depth,
                     input_channels)
from .operations import UNITS, FLOPS_PER_MAC, Unit, OpRow, OpCounts, layer_ops, row_macs, op_counts
from .records import (RECORD_COLUMNS, RECORD_TYPES, MAX_COUNT, MAX_TEXT, cell_problem, layer_to_record,
                      layer_from_record)
from .summary import Row, Summary, summarize, summarize_records, stack_from_records, check_input_shape
from .memory import BYTES_PER_VALUE, MAX_BATCH, RowMemory, MemoryReport, layer_memory
from .architectures import Architecture, ARCHITECTURES, TrendRow, TREND, trend
from .compare import (dense_equivalent, DenseSwap, DenseComparison, compare_dense, BlockComparison,
                      bottleneck_comparison, SeparableCounts, separable_counts)
from .receptive import (Rect, FieldRow, FieldRect, ReceptiveField, receptive_field, FieldStack, FIELD_STACKS,
                        FieldWork, fit_input, fields_under, field_work)
from .to_torch import layer_source, to_pytorch, BLOCK_CLASSES
from .from_torch import from_pytorch, MAX_SOURCE_CHARS, MAX_LAYERS, MAX_NESTING, MAX_INT
from .links import (VERSION, LINK_LIMIT, MAX_TOKEN_CHARS, MAX_JSON_BYTES, MAX_ROWS, encode_table, decode_table,
                    fits_in_link)

__all__ = ["Layer", "Conv2d", "Linear", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "Flatten", "Unflatten", "ReLU",
           "ReLU6", "Tanh", "BatchNorm2d", "Dropout", "Term", "Formula", "LAYER_TYPES", "CATEGORIES",
           "layer_error", "needs_image_error", "Block", "Residual", "Concat", "is_block", "has_blocks",
           "run_stack", "nested_error", "weight_depth", "input_channels", "UNITS", "FLOPS_PER_MAC", "Unit",
           "OpRow", "OpCounts", "layer_ops", "row_macs", "op_counts", "RECORD_COLUMNS", "RECORD_TYPES",
           "MAX_COUNT", "MAX_TEXT", "cell_problem", "layer_to_record", "layer_from_record", "Row",
           "Summary", "summarize", "summarize_records", "stack_from_records", "check_input_shape",
           "BYTES_PER_VALUE", "MAX_BATCH", "RowMemory", "MemoryReport", "layer_memory", "Architecture",
           "ARCHITECTURES", "TrendRow", "TREND", "trend", "dense_equivalent", "DenseSwap",
           "DenseComparison", "compare_dense", "BlockComparison", "bottleneck_comparison",
           "SeparableCounts", "separable_counts", "Rect", "FieldRow", "FieldRect", "ReceptiveField",
           "receptive_field", "FieldStack", "FIELD_STACKS", "FieldWork", "fit_input", "fields_under",
           "field_work", "layer_source", "to_pytorch", "BLOCK_CLASSES", "from_pytorch", "MAX_SOURCE_CHARS",
           "MAX_LAYERS", "MAX_NESTING", "MAX_INT", "VERSION", "LINK_LIMIT", "MAX_TOKEN_CHARS",
           "MAX_JSON_BYTES", "MAX_ROWS", "encode_table", "decode_table", "fits_in_link"]
