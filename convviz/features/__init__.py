"""Channels and feature maps of a photo: the numbers of the Inside a Conv Layer page.

* :mod:`~convviz.features.planes` -- a photo as R, G, B planes, a kernel as deep as its input,
  1x1 channel mixing;
* :mod:`~convviz.features.maps` -- feature maps through a small hand-set network;
* :mod:`~convviz.features.worked` -- the page's worked examples, as numbers.

>>> conv_params(3, 3, 4)
112
"""
from __future__ import annotations

from . import maps, planes, worked
from .maps import *  # noqa: F403 - the module's __all__, re-exported
from .planes import *  # noqa: F403 - the module's __all__, re-exported
from .worked import *  # noqa: F403 - the module's __all__, re-exported

#: This subpackage's API: its modules' ``__all__`` (a test checks that nothing else is in it).
__all__ = [
    *planes.__all__,
    *maps.__all__,
    *worked.__all__,
]
