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

from .kernels import (MAX_KERNEL_SIZE, MAX_KERNEL_VALUE, BLUR_SIZES, KernelInfo, KERNEL_INFO, KERNELS, box_blur,
                      gaussian_blur, make_kernel, validate_kernel, as_fraction)
from .boundary import MODES, NUMPY_PAD_MODES, check_mode, index_map
from .engine import (METHODS, MAX_ERROR, precision, integer_form, separable_factors, estimate_ns, choose_method,
                     correlate)
from .filtering import filter_image, filter_signed, check_image, to_uint8
from .display import SignedDisplay, SIGNED_DISPLAYS, LUMA, to_grey, to_display, filter_display, display_legend
from .inspector import (PixelComputation, inspect_pixel, source_indices, neighbourhood_patch, magnify, float32_tie,
                        TIE_TOLERANCE)

__all__ = ["MAX_KERNEL_SIZE", "MAX_KERNEL_VALUE", "BLUR_SIZES", "KernelInfo", "KERNEL_INFO", "KERNELS", "box_blur",
           "gaussian_blur", "make_kernel", "validate_kernel", "as_fraction", "MODES", "NUMPY_PAD_MODES",
           "check_mode", "index_map", "METHODS", "MAX_ERROR", "precision", "integer_form",
           "separable_factors", "estimate_ns", "choose_method", "correlate", "filter_image",
           "filter_signed", "check_image", "to_uint8", "SignedDisplay", "SIGNED_DISPLAYS", "LUMA",
           "to_grey", "to_display", "filter_display", "display_legend", "PixelComputation",
           "inspect_pixel", "source_indices", "neighbourhood_patch", "magnify", "float32_tie",
           "TIE_TOLERANCE"]
