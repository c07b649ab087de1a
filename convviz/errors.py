"""Exceptions raised by :mod:`convviz` and the registry of their codes.

Every error is a ``ValueError`` subclass whose ``str()`` is a complete English message for a
student. It also carries ``code``, one key of :data:`ERROR_CODES` (the registry: one code per
kind of problem, one meaning per code), and ``params``, the values its message quotes, so a
user interface can write the same message in another language (``ui.common.messages.describe`` looks
the code up in ``locales/<lang>/errors.toml``). By convention ``params["param"]`` names the
argument to change (``"stride"``) and ``params["value"]`` echoes what was given.

>>> err = GeometryError("stride must be >= 1, got 0", "too_small", param="stride", value=0, minimum=1)
>>> isinstance(err, ValueError), err.code, ERROR_CODES[err.code]
(True, 'too_small', 'a number below its minimum (param, value, minimum)')
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["ERROR_CODES", "ConvVizError", "ImageError", "KernelError", "GeometryError", "LayerError",
           "TrainingError"]

#: Every ``code`` a :class:`ConvVizError` may carry, with what it means (and the params it quotes).
ERROR_CODES: Mapping[str, str] = MappingProxyType({
    # -- arguments (convviz.checks) --
    "not_int": "a whole number was expected (param, value)",
    "not_float": "a finite number was expected (param, value)",
    "not_bool": "True or False was expected (param, value)",
    "not_pair": "an int or an (h, w) pair was expected (param, value)",
    "not_sizes": "a tuple of whole numbers >= 1 was expected (param, value)",
    "too_small": "a number below its minimum (param, value, minimum)",
    "not_positive": "a number that must be greater than 0 (param, value)",
    "out_of_range": "a number outside minimum..maximum (param, value, minimum, maximum)",
    "bad_choice": "a name that is not one of the allowed choices (param, value)",
    "bad_shape": "an array of the wrong dimensionality or size (param, shape)",
    # -- uploads (convviz.pictures.images) --
    "empty": "the uploaded file has no bytes",
    "not_image": "the file is not an image format we read",
    "pdf": "the file is a PDF",
    "zip": "the file is a ZIP archive or an office document",
    "heic": "the file is a HEIC / AVIF photo",
    "svg": "the file is an SVG drawing",
    "too_large": "the image has more megapixels than allowed (megapixels, limit)",
    "bomb": "the image declares a size too large to decode safely",
    "truncated": "the image file is cut short",
    "damaged": "the image file cannot be decoded",
    "no_pixels": "the image is 0 pixels wide or high",
    # -- kernels (convviz.filters.kernels) --
    "not_numbers": "a kernel cell that is not a number",
    "not_2d": "a kernel that is not a 2-D grid",
    "kernel_empty": "a kernel with no cells",
    "even": "a kernel side of even length: it has no centre (shape)",
    "too_big": "a kernel with more rows or columns than allowed (limit)",
    "not_finite": "a kernel cell that is infinite or NaN (row, col, value)",
    "weight_too_large": "a kernel cell beyond convviz.filters.kernels.MAX_KERNEL_VALUE (row, col, value, limit)",
    # -- sliding-window geometry (convviz.sliding: windows, ops, frames, groups, grids) --
    "kernel_too_large": "the dilated kernel is wider than the padded input (axis, k, d, span, padded)",
    "same_needs_stride_1": "padding='same' with a stride other than 1 (param, value)",
    "same_only_conv": "padding='same' asked of pooling or a transposed convolution (param, value)",
    "bad_padding": "padding that is neither a number, a pair, 'same' nor 'valid' (param, value)",
    "output_padding_too_large": "output_padding not below the stride or the dilation (axis, value, s, d)",
    "transposed_empty": "padding removes the whole transposed-convolution output (axis, n, k, s, p, d, op, out)",
    "pool_padding_too_large": "pooling padding above half the kernel size (param, value, k, limit)",
    "too_many_cells": "an array beyond convviz.sliding.ops.MAX_CELLS (cells, limit)",
    "too_many_frames": "an animation with more steps than allowed (oh, ow, count, limit)",
    "bad_signal": "a 1-D signal that cannot be read (param)",
    "grid_cell": "a typed grid cell that is not a number or too large (param, row, col, value, limit)",
    "grid_ragged": "a typed grid whose rows or channels differ in size (param, row, got, expected)",
    "grid_too_big": "a typed grid with too many rows, columns or channels (param, limit, channels)",
    # -- layer stacks (convviz.nets: layers, blocks, summary, to_torch) --
    "channels": "a layer's channel count differs from its input's (param, expected, got)",
    "features": "a layer's feature count differs from its input's (param, expected, got)",
    "needs_image": "an image layer after Flatten (layer, features)",
    "needs_flat": "Linear on a (C, H, W) input (shape, features)",
    "groups_divide": "channels not divisible by groups (param, value, groups)",
    "unflatten_dim": "Unflatten on a dim other than 1 (value)",
    "unknown_type": "a table row without a known layer type (param, value)",
    "missing": "a table row without a value the layer needs (layer, column)",
    "size_text": "a table cell that is not a size like 3 or 3x5 (param, value)",
    "not_tabular": "a layer the table cannot hold (param, value)",
    "not_layer": "something that is not a layer spec (value)",
    "block_empty": "a residual body, shortcut or Concat with no layers (param)",
    "residual_shape": "a residual block whose body and shortcut give different shapes (layer, body, shortcut)",
    "concat_shape": "Concat branches whose heights and widths differ (layer, first, index, shape)",
    # -- receptive fields (convviz.nets.receptive) --
    "rf_block": "a receptive field asked of a stack with Residual or Concat blocks (layer_type, position)",
    "rf_needs_image": "a receptive field asked of a flat input (param, value)",
    "rf_position": "a layer number outside the stack (param, value, count)",
    "rf_out_of_range": "an output row or column outside the layer's grid (param, value, limit, position)",
    # -- pasted PyTorch source (convviz.nets.from_torch); all but the first two quote line, column --
    "source_type": "source that is not text (param, value)",
    "source_too_long": "source longer than allowed (chars, limit)",
    "source_syntax": "source that is not valid Python, of no kind below (detail)",
    "source_unclosed": "an opening bracket that is never closed (found, detail)",
    "source_unmatched": "a closing bracket without an opening one (found, detail)",
    "source_mismatched": "a closing bracket of another kind than the opening one (found, expected, detail)",
    "source_unterminated_string": "a string whose closing quote is missing (detail)",
    "source_indentation": "indentation that does not fit the lines around it (detail)",
    "source_bad_character": "a character Python code cannot contain (found: U+XXXX, detail)",
    "source_missing_comma": "two values or layers without the comma between them (detail)",
    "source_too_deep": "source nested or chained deeper than allowed (limit)",
    "source_number_too_large": "a number with too many digits or above the limit (found, limit)",
    "source_bad_number": "a number that is not finite or a division by zero (found)",
    "source_not_supported": "a statement or value other than torch imports and nn.Sequential(...) (found)",
    "source_no_model": "no model = nn.Sequential(...) in the source",
    "source_not_layer": "an argument of nn.Sequential that is not a layer such as nn.Conv2d(...) (found, position)",
    "source_not_sequential": "an assignment whose value is not nn.Sequential(...) (found: the statement)",
    "source_import_alias": "a torch import under another name, such as import torch as nn (found)",
    "source_not_int": "a float where torch needs a whole number (found, position, layer_type, argument)",
    "source_too_many_layers": "more layers than allowed (found, limit)",
    "source_unknown_layer": "a layer type convviz does not model (found, position)",
    "source_too_many_arguments": "more positional arguments than the layer takes (found, position, layer_type, limit)",
    "source_unknown_argument": "a keyword the layer does not take (found, position, layer_type, argument)",
    "source_duplicate_argument": "an argument given twice (found, position, layer_type, argument)",
    "source_missing_argument": "a required argument not given (found, position, layer_type, argument)",
    "source_unsupported_value": ("a torch argument convviz models only at its default "
                                 "(position, layer_type, argument, value)"),
    "source_value": "an argument that is not a literal number, tuple, bool or string (found, position)",
    # -- a layer table in a link (convviz.nets.links) and a guessed count (convviz.predict) --
    "table_link_version": "a link's table token from another format version (param, found, expected)",
    "table_link_corrupt": ("a link's table token that does not decode to rows the page's table holds "
                           "(param, row[, column])"),
    "table_link_too_large": "a link's table token, its text or its rows beyond the limits (param, chars, limit)",
    "guess_not_count": "a guess that is not a count written as digits, a scale word or Korean units (param, value)",
    "guess_negative": "a guessed count below zero (param, value)",
    "guess_not_whole": "a guessed count with a fraction of a parameter (param, value)",
    "guess_too_large": "a guessed count above convviz.predict.MAX_GUESS (param, value, limit)",
    # -- training (convviz.learn) --
    "learn_unsupported": "a layer training does not support, such as a Residual block (supported)",
    "learn_params": "params or buffers of the wrong count or shapes for the network (what, expected, got)",
    "learn_classes": "a network whose output is not one score per class (shape, classes)",
    "learn_labels": "labels that are not one class number 0..classes-1 per image (count, classes, last)",
    "learn_batch_stats": "BatchNorm2d training on a single value per channel (layer, batch, values)",
    "learn_no_images": "a training or test set without images (param)",
    "learn_data": "images that are not a finite (N, C, H, W) array, or data without them (param, shape)",
    "learn_diverged": "training whose loss became infinite or NaN (epoch, loss, lr)",
    # -- training for a class (convviz.learn.jobs) --
    "learn_too_costly": "a training request whose estimated work is above the budget (ratio, limit)",
    "learn_too_much_memory": "a training run whose estimated memory is above the limit (megabytes, limit)",
    "learn_out_of_memory": "a training run that hit its worker's memory cap (limit)",
    "learn_time_limit": "a training run stopped by the time limit after some epochs (finished, epochs, limit)",
    "learn_busy": "the training queue is full (waiting, limit)",
    "learn_cancelled": "a training job cancelled by a newer one of the same session, or stopped",
    "learn_worker_crashed": "a training worker process that died while training (exitcode)",
    "learn_worker_failed": "a training worker that failed with an unexpected error (detail)",
    # -- a drawn or photographed digit (convviz.learn.drawing) --
    "drawing_empty": "a drawing or photo with nothing darker than its paper: no digit to read (param)",
    "drawing_not_finite": "a drawing, ink or digit array with NaN or infinite values (param)",
    # -- 1x1 channel mixing (convviz.features.planes) --
    "matrix_not_numbers": "a mixing matrix with cells that are not numbers",
    "matrix_shape": "a mixing matrix of the wrong shape (shape, in_channels, limit)",
    "matrix_not_finite": "a mixing matrix with empty or infinite cells",
})


class ConvVizError(ValueError):
    """Base class of every error :mod:`convviz` raises on bad input.

    Parameters
    ----------
    message : str
        The complete English message.
    code : str, optional
        A key of :data:`ERROR_CODES`; an unregistered code is a bug and fails at once.
    **params
        The values the message quotes. ``position`` and ``layer_type`` (set by :meth:`at_layer`)
        are also attributes, ``None`` when absent.

    >>> err = ImageError("This image is 400 megapixels; the limit is 60.", "too_large", megapixels="400", limit="60")
    >>> isinstance(err, ValueError), err.code, err.params["limit"], err.position
    (True, 'too_large', '60', None)
    >>> ImageError("?", "no_such_code")
    Traceback (most recent call last):
    ...
    AssertionError: unregistered error code 'no_such_code' (add it to convviz.errors.ERROR_CODES)
    """

    def __init__(self, message: str, code: str | None = None, **params: object) -> None:
        if code is not None and code not in ERROR_CODES:
            raise AssertionError(f"unregistered error code {code!r} (add it to convviz.errors.ERROR_CODES)")
        super().__init__(message)
        self.code = code
        self.params = params
        self.position: int | None = params.get("position")  # type: ignore[assignment]
        self.layer_type: str | None = params.get("layer_type")  # type: ignore[assignment]

    def at_layer(self, position: int, layer_type: str) -> ConvVizError:
        """The same error naming the layer: ``"layer 2 (Linear): ..."``, with ``position`` / ``layer_type`` set.

        >>> err = LayerError("in_features is wrong", "features").at_layer(2, "Linear")
        >>> str(err), err.position, err.layer_type, err.params["position"], err.code
        ('layer 2 (Linear): in_features is wrong', 2, 'Linear', 2, 'features')
        """
        return type(self)(f"layer {position} ({layer_type}): {self}", self.code,
                          **{**self.params, "position": position, "layer_type": layer_type})


class ImageError(ConvVizError):
    """An upload that is not an image we can read, or is too large."""


class KernelError(ConvVizError):
    """A kernel that is not 2-D, odd-sized, finite or small enough."""


class GeometryError(ConvVizError):
    """An impossible size / stride / padding / dilation combination."""


class LayerError(ConvVizError):
    """A layer stack whose shapes do not fit together."""


class TrainingError(ConvVizError):
    """Training data or settings that cannot be used, or a run that diverged."""
