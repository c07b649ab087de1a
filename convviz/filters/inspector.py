"""How one output pixel of :func:`convviz.filter_image` is computed: neighbourhood x weights = sum.

:func:`inspect_pixel` returns every number of the multiply-add at one pixel, including the
values a boundary mode invents beyond the border of the image (and a mask that marks them),
so that a student can check the arithmetic by hand. The sum is exact (rational arithmetic on
the weights as written), so it agrees with :func:`convviz.filters.filtering.filter_signed` to float32
precision and its rounded value is the pixel of :func:`convviz.filter_image`, except when the
exact sum is a tie (``x.5``) or within float32 rounding of one: the filter, computed in
32-bit floats, may then round the other way (see :func:`float32_tie`).

>>> import numpy as np
>>> img = np.array([[10, 20, 30], [40, 50, 60], [70, 80, 90]], np.uint8)
>>> px = inspect_pixel(img, [[0, 0, 0], [0, 1, 1], [0, 0, 0]], 1, 2, mode="constant")
>>> px.neighbourhood[0].tolist()
[[20.0, 30.0, 0.0], [50.0, 60.0, 0.0], [80.0, 90.0, 0.0]]
>>> px.outside.any(axis=0).tolist(), float(px.sums[0]), int(px.values[0])
([False, False, True], 60.0, 60)
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .._docs import docfiller
from ..checks import check_int
from ..errors import GeometryError
from .boundary import check_mode, index_map
from .display import SignedDisplay, to_display
from .filtering import check_image
from .kernels import validate_kernel

__all__ = ["PixelComputation", "inspect_pixel", "source_indices", "neighbourhood_patch",
           "magnify", "float32_tie", "TIE_TOLERANCE"]

#: Rounding error a float32 filter may make, per term, relative to the total of the terms'
#: magnitudes: 4 units in the last place (float32 keeps 24 bits, 6e-8) is a safe bound.
TIE_TOLERANCE = 4 * float(np.finfo(np.float32).eps)
_EPS32 = float(np.finfo(np.float32).eps)
#: Weights that are multiples of 1/4096 multiply uint8 pixels exactly in float32.
_DYADIC = 4096.0



@dataclass(frozen=True)
class PixelComputation:
    """Every number behind one output pixel.

    Attributes
    ----------
    row, col : int
        The output pixel.
    mode : str
        Boundary mode (scipy.ndimage name); ``cval`` is the outside value for ``'constant'``.
    cval : float
    flip : bool
        ``True`` when the kernel was rotated 180° (true convolution).
    kernel : ndarray, shape (kh, kw)
        The kernel *as applied*: already rotated when ``flip`` is set, so
        ``products == neighbourhood * kernel`` cell by cell.
    neighbourhood : ndarray, shape (C, kh, kw)
        The input values under the kernel, C = 1 (greyscale) or 3 (R, G, B), including invented ones.
    outside : ndarray, shape (kh, kw), bool
        ``True`` where the cell lies beyond the border of the image (its value comes from ``mode``).
    source_rows, source_cols : ndarray of int
        The image row / column each kernel row / column reads; -1 means ``cval`` (constant mode).
    products : ndarray, shape (C, kh, kw)
        ``neighbourhood * kernel``.
    sums : ndarray, shape (C,), float64
        The exact sum of the products (the raw, signed filter response), as a float.
    rounded : ndarray, shape (C,)
        The exact sum rounded to the nearest integer (half to even).
    values : ndarray, shape (C,), uint8
        ``rounded`` clipped to 0..255: the pixel of :func:`convviz.filter_image`.
    """

    row: int
    col: int
    mode: str
    cval: float
    flip: bool
    kernel: np.ndarray
    neighbourhood: np.ndarray
    outside: np.ndarray
    source_rows: np.ndarray
    source_cols: np.ndarray
    products: np.ndarray
    sums: np.ndarray
    rounded: np.ndarray
    values: np.ndarray

    @property
    def channels(self) -> int:
        """1 for a greyscale image, 3 for colour."""
        return int(self.neighbourhood.shape[0])

    @property
    def clipped(self) -> np.ndarray:
        """Per channel: ``True`` when clipping to 0..255 changed the rounded value."""
        return self.rounded != self.values.astype(np.float64)

    def shown(self, how: SignedDisplay = "clip") -> np.ndarray:
        """The pixel as :func:`convviz.to_display` draws it with ``how`` (uint8 per channel).

        >>> px = inspect_pixel(np.zeros((3, 3), np.uint8) + 10, [[-1]], 0, 0)
        >>> px.shown("clip").tolist(), px.shown("abs").tolist(), px.shown("midgrey").tolist()
        ([0], [10], [123])
        """
        return to_display(self.sums, how=how)


def source_indices(n: int, center: int, half: int, mode: str) -> np.ndarray:
    """Which of ``n`` positions each of the ``2 * half + 1`` cells around ``center`` reads.

    The same map the filtering engine pads with (:func:`convviz.filters.boundary.index_map`);
    ``-1`` marks a cell that reads the constant ``cval``.

    >>> source_indices(4, 0, 2, "reflect").tolist(), source_indices(4, 0, 2, "mirror").tolist()
    ([1, 0, 0, 1, 2], [2, 1, 0, 1, 2])
    >>> source_indices(4, 3, 2, "wrap").tolist(), source_indices(4, 3, 2, "constant").tolist()
    ([1, 2, 3, 0, 1], [1, 2, 3, -1, -1])
    """
    return index_map(center - half, center + half + 1, n, mode)


def _as_channels(image: np.ndarray) -> np.ndarray:
    """``(H, W)`` -> ``(1, H, W)``; ``(H, W, 3)`` -> ``(3, H, W)`` (views, no copy)."""
    return image[None] if image.ndim == 2 else np.moveaxis(image, -1, 0)


def neighbourhood_patch(image: np.ndarray, row: int, col: int, *, half: tuple[int, int],
                        mode: str = "reflect", cval: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """The ``(2*half+1)``-sized window around ``(row, col)`` as the boundary ``mode`` extends the image.

    Returns ``(values, outside)``: ``values`` has shape ``(C, h, w)`` (float64, C = 1 or 3) and
    ``outside`` (``(h, w)`` bool) marks cells beyond the border.

    >>> img = np.arange(9, dtype=np.uint8).reshape(3, 3)
    >>> v, out = neighbourhood_patch(img, 0, 0, half=(1, 1), mode="nearest")
    >>> v[0].tolist(), out.sum()
    ([[0.0, 0.0, 1.0], [0.0, 0.0, 1.0], [3.0, 3.0, 4.0]], np.int64(5))
    """
    image = check_image(image)
    check_mode(mode, cval)
    h, w = image.shape[:2]
    rows = source_indices(h, row, half[0], mode)
    cols = source_indices(w, col, half[1], mode)
    planes = _as_channels(image)
    values = planes[:, np.clip(rows, 0, None)[:, None], np.clip(cols, 0, None)[None, :]].astype(np.float64)
    reads_cval = (rows < 0)[:, None] | (cols < 0)[None, :]
    values[:, reads_cval] = float(cval)
    r = np.arange(row - half[0], row + half[0] + 1)
    c = np.arange(col - half[1], col + half[1] + 1)
    outside = ((r < 0) | (r >= h))[:, None] | ((c < 0) | (c >= w))[None, :]
    return values, outside


@docfiller
def inspect_pixel(image: np.ndarray, kernel: object, row: int, col: int, *, mode: str = "reflect",
                  cval: float = 0.0, flip: bool = False) -> PixelComputation:
    """The multiply-add that gives output pixel ``(row, col)`` of :func:`convviz.filter_image`.

    Parameters
    ----------
    image : ndarray
        ``(H, W)`` or ``(H, W, 3)`` uint8.
    kernel : array_like
        2-D, odd-sized, finite (see :func:`convviz.validate_kernel`), as the student wrote it.
    row, col : int
        The output pixel, ``0 <= row < H``, ``0 <= col < W``.
    %(mode)s %(cval)s
    flip : bool, keyword-only
        As in :func:`convviz.filter_image`: ``True`` rotates the kernel 180° (true convolution).

    Returns
    -------
    PixelComputation

    Raises
    ------
    ImageError, KernelError, GeometryError, ConvVizError
        Bad image, kernel, position or mode.

    Examples
    --------
    >>> img = np.arange(25, dtype=np.uint8).reshape(5, 5) * 10
    >>> k = [[0, 0, 0], [0, 0, 1], [0, 0, 0]]
    >>> inspect_pixel(img, k, 2, 2).values.tolist(), inspect_pixel(img, k, 2, 2, flip=True).values.tolist()
    ([130], [110])
    >>> inspect_pixel(img, k, 2, 4, mode="wrap").source_cols.tolist()   # the right neighbour wraps to column 0
    [3, 4, 0]
    """
    image = check_image(image)
    k = validate_kernel(kernel)
    check_mode(mode, cval)
    h, w = image.shape[:2]
    row = check_int(row, "row", minimum=0, maximum=h - 1, error=GeometryError)
    col = check_int(col, "col", minimum=0, maximum=w - 1, error=GeometryError)
    applied = k[::-1, ::-1].copy() if flip else k
    half = (applied.shape[0] // 2, applied.shape[1] // 2)
    values, outside = neighbourhood_patch(image, row, col, half=half, mode=mode, cval=cval)
    products = values * applied
    # The sum a student gets by hand: exact rational arithmetic on the weights as typed (their
    # shortest decimal form), so 0.1 * 125 is exactly 12.5 and rounds half to even to 12.
    weights = [Fraction(repr(float(w))) for w in applied.ravel()]
    exact = [sum((Fraction(int(v)) if float(v).is_integer() else Fraction(repr(float(v)))) * w
                 for v, w in zip(values[c].ravel().tolist(), weights) if w)
             for c in range(values.shape[0])]
    sums = np.array([float(e) for e in exact])
    rounded = np.array([float(round(e)) for e in exact])
    out = np.clip(rounded, 0, 255).astype(np.uint8)
    return PixelComputation(
        row=row, col=col, mode=mode, cval=float(cval), flip=bool(flip), kernel=applied,
        neighbourhood=values, outside=outside,
        source_rows=source_indices(h, row, half[0], mode), source_cols=source_indices(w, col, half[1], mode),
        products=products, sums=sums, rounded=rounded, values=out)


def float32_tie(px: PixelComputation, how: SignedDisplay = "clip") -> np.ndarray:
    """Per channel: is the value to round so close to ``x.5`` that a float32 filter may round it either way?

    The value is the exact sum (``how='clip'``), its magnitude (``'abs'``) or its mid-grey
    mapping (``'midgrey'``, as in :func:`convviz.to_display`). Kernels of small dyadic weights
    (integers, k/16, k/256, ...) on uint8 pixels are summed exactly even in float32: never a tie.
    Otherwise float32 may be off by a few units in the last place of the terms' total.

    >>> img = np.full((3, 3), 125, np.uint8)
    >>> float32_tie(inspect_pixel(img, np.full((3, 3), 0.1), 1, 1)).tolist()   # 112.5 exactly
    [True]
    >>> float32_tie(inspect_pixel(img, np.full((3, 3), 1 / 16), 1, 1)).tolist()  # 70.3125, exact in float32
    [False]
    """
    v = px.sums
    if how == "abs":
        v = np.abs(v)
    elif how == "midgrey":
        v = v * (127.5 / 255.0) + 127.5 + 1e-3
    distance = np.abs(np.abs(v - np.floor(v)) - 0.5)
    terms = np.abs(px.products).sum(axis=(1, 2))
    fixed = px.kernel * _DYADIC
    if np.array_equal(fixed, np.round(fixed)) and float(px.cval).is_integer() \
            and float(terms.max(initial=0.0)) * _DYADIC < 2 ** 24:
        return np.zeros(len(v), bool)
    n = max(1, int(np.count_nonzero(px.kernel)))
    tol = TIE_TOLERANCE * n * terms + 4 * _EPS32 * np.abs(v)
    return distance <= tol


def magnify(patch: np.ndarray, *, scale: int, outside: np.ndarray | None = None,
            box: int | tuple[int, int] | None = None, box_colour: tuple[int, int, int] = (255, 0, 200)
            ) -> np.ndarray:
    """Enlarge a small ``(h, w)`` / ``(h, w, 3)`` uint8 patch by ``scale`` (nearest neighbour) for display.

    Cells marked in ``outside`` are hatched (every other diagonal line faded to grey) so
    that invented values stay visible but read as "not part of the picture". ``box`` draws a
    frame around the central ``box x box`` cells (the kernel's footprint, or 1 for the pixel).

    Returns an ``(h*scale, w*scale, 3)`` uint8 RGB image.

    >>> magnify(np.zeros((3, 3), np.uint8), scale=4, box=1).shape
    (12, 12, 3)
    """
    scale = check_int(scale, "scale", minimum=1, error=GeometryError)
    rgb = np.repeat(patch[:, :, None], 3, axis=2) if patch.ndim == 2 else patch
    big = np.repeat(np.repeat(rgb, scale, axis=0), scale, axis=1).astype(np.float32)
    if outside is not None and outside.any():
        yy, xx = np.mgrid[0: big.shape[0], 0: big.shape[1]]
        hatch = ((yy + xx) // max(2, scale // 4)) % 2 == 0
        out_big = np.repeat(np.repeat(outside, scale, axis=0), scale, axis=1)
        sel = out_big & hatch
        big[sel] = big[sel] * 0.35 + 160 * 0.65
    if box is not None:
        bh, bw = (box, box) if isinstance(box, int) else box
        h, w = patch.shape[:2]
        top, left = (h - bh) // 2 * scale, (w - bw) // 2 * scale
        bottom, right = top + bh * scale, left + bw * scale
        t = max(1, scale // 6)
        colour = np.array(box_colour, np.float32)
        for y0, y1, x0, x1 in ((top, top + t, left, right), (bottom - t, bottom, left, right),
                               (top, bottom, left, left + t), (top, bottom, right - t, right)):
            big[max(0, y0): max(0, y1), max(0, x0): max(0, x1)] = colour
    return big.astype(np.uint8)
