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

from . import animation, frames, grids, groups, ops, setting, signal1d, windows, worked
from .animation import *  # noqa: F403 - the module's __all__, re-exported
from .frames import *  # noqa: F403 - the module's __all__, re-exported
from .grids import *  # noqa: F403 - the module's __all__, re-exported
from .groups import *  # noqa: F403 - the module's __all__, re-exported
from .ops import *  # noqa: F403 - the module's __all__, re-exported
from .setting import *  # noqa: F403 - the module's __all__, re-exported
from .signal1d import *  # noqa: F403 - the module's __all__, re-exported
from .windows import *  # noqa: F403 - the module's __all__, re-exported
from .worked import *  # noqa: F403 - the module's __all__, re-exported

#: This subpackage's API: its modules' ``__all__`` (a test checks that nothing else is in it).
__all__ = [
    *windows.__all__,
    *worked.__all__,
    *ops.__all__,
    *frames.__all__,
    *animation.__all__,
    *signal1d.__all__,
    *groups.__all__,
    *grids.__all__,
    *setting.__all__,
]
