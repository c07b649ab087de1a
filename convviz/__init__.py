"""convviz: the numbers behind ConvViz, as a plain numpy/scipy/Pillow package.

Nothing here imports streamlit, so a teacher can use it from a notebook:

>>> import numpy as np, convviz
>>> img = np.zeros((5, 5), np.uint8); img[2, 2] = 90
>>> convviz.filter_image(img, convviz.KERNELS["box_blur"])[1:4, 1:4]
array([[10, 10, 10],
       [10, 10, 10],
       [10, 10, 10]], dtype=uint8)
>>> convviz.output_size(7, 3, stride=2, padding=1)
4

The package is six subpackages, each importing only those above it in this list, over a few
shared modules (:mod:`~convviz.errors`, :mod:`~convviz.checks`, :mod:`~convviz.numbers`,
:mod:`~convviz.predict`, :mod:`~convviz.workers`):

* :mod:`convviz.pictures` -- pictures in and out (uploads, resizing, the palette, fonts);
* :mod:`convviz.filters` -- image kernels on photos (``scipy.ndimage`` semantics);
* :mod:`convviz.sliding` -- the sliding window on number grids: sizes, operations, their steps;
* :mod:`convviz.nets` -- networks as layer stacks: parameters, operations, memory, receptive fields;
* :mod:`convviz.features` -- channels and feature maps of a photo;
* :mod:`convviz.learn` -- training small conv and dense nets on handwritten digits (numpy only).

This module re-exports what a notebook needs most (:data:`__all__`); everything else is public
in its subpackage (``convviz.nets.trend``, ``convviz.sliding.worked_axes``, ...).
"""
__version__ = "0.1.0"

from . import checks, errors, features, filters, learn, nets, numbers, pictures, predict, sliding, workers
from .errors import (
    ERROR_CODES,
    ConvVizError,
    GeometryError,
    ImageError,
    KernelError,
    LayerError,
    TrainingError,
)
from .features import conv_params, feature_maps, mix_channels, split_rgb
from .filters import (
    KERNEL_INFO,
    KERNELS,
    PixelComputation,
    as_fraction,
    display_legend,
    filter_image,
    filter_signed,
    inspect_pixel,
    make_kernel,
    to_display,
    to_grey,
    validate_kernel,
)
from .nets import (
    ARCHITECTURES,
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Concat,
    Conv2d,
    Dropout,
    Flatten,
    Linear,
    MaxPool2d,
    ReceptiveField,
    ReLU,
    ReLU6,
    Residual,
    Summary,
    Tanh,
    Unflatten,
    compare_dense,
    dense_equivalent,
    from_pytorch,
    receptive_field,
    separable_counts,
    summarize,
    to_pytorch,
)
from .numbers import (
    KernelText,
    format_bytes,
    format_count,
    format_number,
    format_percent,
    format_shape,
    format_significant,
    format_values,
    kernel_text,
)
from .pictures import MAX_PIXELS, load_image
from .sliding import (
    Frame,
    Frame1D,
    FrameSet,
    animation_frames,
    animation_gif,
    as_pair,
    channel_steps,
    conv1d_frames,
    conv2d,
    conv_frames,
    conv_transpose2d,
    conv_transpose_frames,
    default_weights,
    format_grid,
    frame_png,
    group_reads,
    output_shape,
    output_size,
    output_size_latex,
    output_size_parts,
    parse_grid,
    parse_signal,
    pool2d,
    pool_frames,
    render_frame,
    resolve_padding,
    same_padding,
    sample_values,
    size_numerator,
    spread_input,
    transposed_output_shape,
    transposed_output_size,
    transposed_size_latex,
    transposed_size_parts,
    transposed_steps,
    unused_input,
)

__all__ = [
    # subpackages and shared modules
    "pictures", "filters", "sliding", "nets", "features", "learn", "errors", "checks", "numbers", "predict", "workers",
    # errors
    "ERROR_CODES", "ConvVizError", "GeometryError", "ImageError", "KernelError", "LayerError", "TrainingError",
    # how numbers are written
    "KernelText", "format_bytes", "format_count", "format_number", "format_percent", "format_shape",
    "format_significant", "format_values", "kernel_text",
    # pictures
    "MAX_PIXELS", "load_image",
    # image kernels
    "KERNEL_INFO", "KERNELS", "PixelComputation", "as_fraction", "display_legend", "filter_image", "filter_signed",
    "inspect_pixel", "make_kernel", "to_display", "to_grey", "validate_kernel",
    # the sliding window
    "Frame", "Frame1D", "FrameSet", "animation_frames", "animation_gif", "as_pair", "channel_steps", "conv1d_frames",
    "conv2d", "conv_frames", "conv_transpose2d", "conv_transpose_frames", "default_weights", "format_grid",
    "frame_png", "group_reads", "output_shape", "output_size", "output_size_latex", "output_size_parts", "parse_grid",
    "parse_signal", "pool2d", "pool_frames", "render_frame", "resolve_padding", "same_padding", "sample_values",
    "size_numerator", "spread_input", "transposed_output_shape", "transposed_output_size", "transposed_size_latex",
    "transposed_size_parts", "transposed_steps", "unused_input",
    # networks
    "ARCHITECTURES", "AdaptiveAvgPool2d", "AvgPool2d", "BatchNorm2d", "Concat", "Conv2d", "Dropout", "Flatten",
    "Linear", "MaxPool2d", "ReceptiveField", "ReLU", "ReLU6", "Residual", "Summary", "Tanh", "Unflatten",
    "compare_dense", "dense_equivalent", "from_pytorch", "receptive_field", "separable_counts", "summarize",
    "to_pytorch",
    # inside a conv layer
    "conv_params", "feature_maps", "mix_channels", "split_rgb",
]
