"""Filtering an image with a kernel, with the semantics of ``scipy.ndimage.correlate``.

``filter_image`` is what the Image Kernels page shows; ``filter_signed`` keeps the raw,
unrounded values so that negative results (edges, emboss) can be displayed honestly.
"""
from __future__ import annotations

import numpy as np

from .._docs import docfiller
from ..errors import ImageError
from . import engine
from .boundary import check_mode
from .kernels import validate_kernel

__all__ = ["filter_image", "filter_signed", "check_image", "to_uint8"]



def check_image(image: object) -> np.ndarray:
    """Return ``image`` if it is an ``(H, W)`` or ``(H, W, 3)`` uint8 array, else raise ``ImageError``."""
    if not isinstance(image, np.ndarray):
        raise ImageError(f"image must be a numpy array, got {type(image).__name__}", "bad_shape",
                         param="image", shape=type(image).__name__)
    if image.dtype != np.uint8:
        raise ImageError(f"image must have dtype uint8, got {image.dtype}", "bad_shape",
                         param="image", shape=str(image.dtype))
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] != 3):
        raise ImageError(f"image must have shape (H, W) or (H, W, 3), got {image.shape}", "bad_shape",
                         param="image", shape=str(image.shape))
    if image.shape[0] < 1 or image.shape[1] < 1:
        raise ImageError(f"image must have at least one pixel, got shape {image.shape}", "no_pixels",
                         shape=str(image.shape))
    return image


def filter_signed(image: np.ndarray, kernel: object, *, mode: str = "reflect", cval: float = 0.0,
                  flip: bool = False) -> np.ndarray:
    """Unrounded, unclipped filter response as float32, same shape as ``image``.

    Parameters are those of :func:`filter_image`.

    >>> img = np.array([[0, 0, 0], [0, 255, 0], [0, 0, 0]], np.uint8)
    >>> filter_signed(img, [[0, 0, 0], [0, 0, 0], [0, 0, -1]], mode="constant")[0, 0]
    np.float32(-255.0)
    """
    return _filter(image, kernel, mode, cval, flip, np.float32)


def _filter(image: np.ndarray, kernel: object, mode: str, cval: float, flip: bool, output: type) -> np.ndarray:
    image = check_image(image)
    k = validate_kernel(kernel)
    cval = check_mode(mode, cval)
    if flip:
        # True convolution: (I*K)(i,j) = sum I(i-m, j-n) K(m, n) is correlation with K rotated 180°.
        k = k[::-1, ::-1]
    # The engine picks direct / separable / FFT per kernel and works in float32 strips; the
    # uint8 result is rounded strip by strip, so no image-sized float array is made.
    return engine.correlate(image, k, mode=mode, cval=cval, output=output)


@docfiller
def filter_image(image: np.ndarray, kernel: object, *, mode: str = "reflect", cval: float = 0.0,
                 flip: bool = False) -> np.ndarray:
    """Filter a uint8 image with a 2-D kernel; round to nearest and clip to 0..255.

    Parameters
    ----------
    image : ndarray
        ``(H, W)`` or ``(H, W, 3)`` uint8. Colour images are filtered per channel.
    kernel : array_like
        2-D, odd-sized, finite (see :func:`convviz.validate_kernel`).
    %(mode)s %(cval)s
    flip : bool, keyword-only
        ``False``: cross-correlation, what CNN frameworks call convolution.
        ``True``: true convolution, the kernel rotated 180° (the course notes' formula).

    Returns
    -------
    ndarray
        uint8, the same shape as ``image``.

    Examples
    --------
    >>> img = np.arange(9, dtype=np.uint8).reshape(3, 3) * 10
    >>> filter_image(img, [[0, 0, 0], [0, 0, 1], [0, 0, 0]], mode="constant")
    array([[10, 20,  0],
           [40, 50,  0],
           [70, 80,  0]], dtype=uint8)
    >>> filter_image(img, [[0, 0, 0], [0, 0, 1], [0, 0, 0]], mode="constant", flip=True)
    array([[ 0,  0, 10],
           [ 0, 30, 40],
           [ 0, 60, 70]], dtype=uint8)
    """
    return _filter(image, kernel, mode, cval, flip, np.uint8)


def to_uint8(values: np.ndarray) -> np.ndarray:
    """Round to nearest (half to even) and clip to 0..255.

    >>> to_uint8(np.array([-3.0, 2.5, 3.5, 300.0])).tolist()
    [0, 2, 4, 255]
    """
    values = np.asarray(values)
    out = np.empty(values.shape, np.uint8)
    flat_in = np.ascontiguousarray(values).reshape(-1)
    flat_out = out.reshape(-1)
    # Cache-sized chunks: one small float32 buffer instead of an image-sized temporary.
    step = 1 << 16
    buf = np.empty(min(step, flat_in.size), np.float32)
    for i in range(0, flat_in.size, step):
        chunk = flat_in[i:i + step]
        b = buf[:chunk.size]
        np.rint(chunk, out=b, casting="unsafe")
        np.clip(b, 0, 255, out=b)
        np.copyto(flat_out[i:i + step], b, casting="unsafe")
    return out
