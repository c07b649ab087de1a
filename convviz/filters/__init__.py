"""Image kernels on photos: the filters of the Image Kernels page, with the semantics of ``scipy.ndimage``.

* :mod:`~convviz.filters.kernels` -- the presets of the course notes (blur, emboss, outline, ...) and
  :func:`validate_kernel`;
* :mod:`~convviz.filters.filtering` -- :func:`filter_image` / :func:`filter_signed`, the public face
  (``scipy.ndimage.correlate``, or true convolution with ``flip=True``);
* :mod:`~convviz.filters.engine` -- how it is computed (exact integer sums, separable passes, banded
  BLAS products or FFT, on the :mod:`convviz.workers` pool), within :data:`MAX_ERROR` of the exact sum;
* :mod:`~convviz.filters.boundary` -- the boundary modes (``reflect``, ``wrap``, ...), one index map
  for the engine and the inspector;
* :mod:`~convviz.filters.display` -- signed results as a picture (clip, absolute value, mid-grey);
* :mod:`~convviz.filters.inspector` -- one output pixel's multiply-add, every number of it.

>>> import numpy as np
>>> img = np.zeros((5, 5), np.uint8); img[2, 2] = 90
>>> filter_image(img, KERNELS["box_blur"])[2, 1:4].tolist()
[10, 10, 10]
"""
from __future__ import annotations

from . import boundary, display, engine, filtering, inspector, kernels
from .boundary import *  # noqa: F403 - the module's __all__, re-exported
from .display import *  # noqa: F403 - the module's __all__, re-exported
from .engine import *  # noqa: F403 - the module's __all__, re-exported
from .filtering import *  # noqa: F403 - the module's __all__, re-exported
from .inspector import *  # noqa: F403 - the module's __all__, re-exported
from .kernels import *  # noqa: F403 - the module's __all__, re-exported

#: This subpackage's API: its modules' ``__all__`` (a test checks that nothing else is in it).
__all__ = [
    *kernels.__all__,
    *boundary.__all__,
    *engine.__all__,
    *filtering.__all__,
    *display.__all__,
    *inspector.__all__,
]
