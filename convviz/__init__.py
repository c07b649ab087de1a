"""convviz: the numbers behind ConvViz, as a plain numpy/scipy/Pillow package.

Nothing here imports streamlit, so a teacher can use it from a notebook:

>>> import numpy as np, convviz
>>> img = np.zeros((5, 5), np.uint8); img[2, 2] = 90
>>> convviz.filter_image(img, convviz.KERNELS["box_blur"])[1:4, 1:4]
array([[10, 10, 10],
       [10, 10, 10],
       [10, 10, 10]], dtype=uint8)
"""
from .errors import ConvVizError, GeometryError, ImageError, KernelError, LayerError

# --- image kernels (issue 2) ---
from .images import load_image, MAX_PIXELS
from .kernels import KERNELS, KERNEL_INFO, as_fraction, make_kernel, validate_kernel
from .numbers import (KernelText, kernel_text, format_number, format_significant, format_values, format_count,
                      format_percent, format_shape)
from .filtering import filter_image
from .display import display_legend, to_display, to_grey

# --- geometry: stride, padding, pooling, transposed conv (issue 3) ---
from .geometry import (as_pair, output_size, output_shape, transposed_output_size,
                       transposed_output_shape, same_padding, resolve_padding, unused_input, size_numerator,
                       output_size_latex, transposed_size_latex, transposed_steps,
                       output_size_parts, transposed_size_parts)
from .ops import conv2d, conv_transpose2d, pool2d, spread_input
from .frames import Frame, FrameSet, animation_frames, conv_frames, pool_frames, conv_transpose_frames
from .signal1d import Frame1D, conv1d_frames, parse_signal
from .samples import default_weights, sample_values, parse_grid, format_grid
from .multichannel import channel_steps, group_reads, separable_counts
from .animation import render_frame, frame_png, animation_gif

# --- parameter counts (issue 4) ---
from . import layer_table, layers
from .summary import Summary, summarize, dense_equivalent, compare_dense
from .architectures import ARCHITECTURES
from .codegen import to_pytorch

# --- inside a conv layer (issue 5) ---
from . import channels, featuremaps, inspector, worked
from .inspector import PixelComputation, inspect_pixel
from .channels import conv_params, mix_channels, split_rgb
from .featuremaps import feature_maps
from .receptive import ReceptiveField, receptive_field
from .from_source import from_pytorch
