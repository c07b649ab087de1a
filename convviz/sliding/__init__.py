"""The sliding window on small number grids: sizes, the operations, and every step of them.

* :mod:`~convviz.sliding.windows` -- THE window formula: output sizes of convolution, pooling and
  transposed convolution, "same" padding, the pooling rule (torch's semantics);
* :mod:`~convviz.sliding.worked` -- the same formulas written out with the numbers plugged in;
* :mod:`~convviz.sliding.ops` -- :func:`conv2d`, :func:`conv_transpose2d`, :func:`pool2d` for one sample;
* :mod:`~convviz.sliding.frames` -- every step of the animation as plain data, and
  :mod:`~convviz.sliding.animation` -- the same drawn as PNG / GIF for a slide;
* :mod:`~convviz.sliding.signal1d` -- the 1-D convolution of the notes' first formula;
* :mod:`~convviz.sliding.groups` -- channels and groups: which input channels each output reads,
  one output position step by step;
* :mod:`~convviz.sliding.grids` -- the grids to slide over (random, a pattern, a photo, typed text);
* :mod:`~convviz.sliding.setting` -- one setting of the Stride and Padding page (:class:`Slide`):
  its frames, worked formulas and cache key.

>>> output_size(7, 3, stride=2, padding=1)
4
>>> conv_frames([[1, 2], [3, 4]], [[1]]).output.tolist()
[[1, 2], [3, 4]]
"""
from __future__ import annotations

from .windows import (as_pair, output_size, output_shape, transposed_output_size, transposed_output_shape,
                      same_padding, resolve_padding, check_pool_padding, unused_input, size_numerator, AXES, span,
                      window_count, transposed_count, fit_window, fit_transposed, Window, window_shape, Transposed,
                      transposed_shape, compact)
from .worked import (output_size_parts, output_size_latex, transposed_steps, transposed_size_parts,
                     transposed_size_latex, AxisWork, worked_axes)
from .ops import conv2d, conv_transpose2d, pool2d, spread_input
from .frames import (MAX_FRAMES, OPS, INPUT, PAD, INSERTED, Frame, FrameSet, animation_frames, conv_frames,
                     pool_frames, conv_transpose_frames)
from .animation import DEFAULT_LABELS, render_frame, frame_png, animation_gif, geometry_caption
from .signal1d import Frame1D, conv1d_frames, parse_signal
from .groups import (MAX_CHANNELS, group_reads, group_choices, channels_per_group, group_kind, ChannelStep,
                     ChannelSteps, channel_steps)
from .grids import (VALUE_SOURCES, WEIGHT_PRESETS, MAX_TYPED, sample_values, default_weights, parse_grid, format_grid,
                    channel_values, channel_weights, channel_bias)
from .setting import Slide, slide

__all__ = ["as_pair", "output_size", "output_shape", "transposed_output_size", "transposed_output_shape",
           "same_padding", "resolve_padding", "check_pool_padding", "unused_input", "size_numerator",
           "AXES", "span", "window_count", "transposed_count", "fit_window", "fit_transposed", "Window",
           "window_shape", "Transposed", "transposed_shape", "compact", "output_size_parts",
           "output_size_latex", "transposed_steps", "transposed_size_parts", "transposed_size_latex",
           "AxisWork", "worked_axes", "conv2d", "conv_transpose2d", "pool2d", "spread_input", "MAX_FRAMES",
           "OPS", "INPUT", "PAD", "INSERTED", "Frame", "FrameSet", "animation_frames", "conv_frames",
           "pool_frames", "conv_transpose_frames", "DEFAULT_LABELS", "render_frame", "frame_png",
           "animation_gif", "geometry_caption", "Frame1D", "conv1d_frames", "parse_signal", "MAX_CHANNELS",
           "group_reads", "group_choices", "channels_per_group", "group_kind", "ChannelStep",
           "ChannelSteps", "channel_steps", "VALUE_SOURCES", "WEIGHT_PRESETS", "MAX_TYPED",
           "sample_values", "default_weights", "parse_grid", "format_grid", "channel_values",
           "channel_weights", "channel_bias", "Slide", "slide"]
