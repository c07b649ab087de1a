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

from . import (
    architectures,
    blocks,
    compare,
    from_torch,
    layers,
    links,
    memory,
    operations,
    receptive,
    records,
    summary,
    to_torch,
)
from .architectures import *  # noqa: F403 - the module's __all__, re-exported
from .blocks import *  # noqa: F403 - the module's __all__, re-exported
from .compare import *  # noqa: F403 - the module's __all__, re-exported
from .from_torch import *  # noqa: F403 - the module's __all__, re-exported
from .layers import *  # noqa: F403 - the module's __all__, re-exported
from .links import *  # noqa: F403 - the module's __all__, re-exported
from .memory import *  # noqa: F403 - the module's __all__, re-exported
from .operations import *  # noqa: F403 - the module's __all__, re-exported
from .receptive import *  # noqa: F403 - the module's __all__, re-exported
from .records import *  # noqa: F403 - the module's __all__, re-exported
from .summary import *  # noqa: F403 - the module's __all__, re-exported
from .to_torch import *  # noqa: F403 - the module's __all__, re-exported

#: This subpackage's API: its modules' ``__all__`` (a test checks that nothing else is in it).
__all__ = [
    *layers.__all__,
    *blocks.__all__,
    *operations.__all__,
    *records.__all__,
    *summary.__all__,
    *memory.__all__,
    *architectures.__all__,
    *compare.__all__,
    *receptive.__all__,
    *to_torch.__all__,
    *from_torch.__all__,
    *links.__all__,
]
