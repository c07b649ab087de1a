"""A digit drawn on a canvas or photographed on paper, made to look like the digits the networks learn from.

The UCI digits (:mod:`.digits`) were made from 32 x 32 black-and-white bitmaps: each digit's
height fills the bitmap (its width follows, keeping the aspect ratio, at most about 28 pixels),
and the bitmap is cut into 4 x 4 blocks whose count of ink pixels, 0 to 16, is one of the 8 x 8
values (:func:`~.digits.load_digits` scales them to 0..1). A drawing or a photo goes the same way:

1. the picture becomes *ink*, 0 (paper) to 1 (ink): a canvas's dark strokes on white (or on
   transparent pixels, which count as white); a photo's dark ink on light paper, measured against
   the paper's own brightness around it (uneven light), the faint marks and specks dropped;
2. the ink's bounding box is scaled into the 32 x 28 box, keeping the aspect ratio, and centred
   on a 32 x 32 bitmap; thin strokes are thickened first (thick ones thinned) until the bitmap
   holds about as much ink as a training digit's (:data:`INK_PIXELS`);
3. the bitmap's 4 x 4 blocks are counted: the 8 x 8 digit the network sees (:func:`digit_from_drawing`,
   :func:`digit_from_photo`), which :func:`network_input` puts in the middle of the network's
   canvas, as :func:`~.digits.centred_digits` places the training digits.

>>> canvas = np.full((120, 120), 255, np.uint8)
>>> canvas[20:100, 55:65] = 0                      # a "1": one dark vertical stroke
>>> digit = digit_from_drawing(canvas)
>>> digit.shape, float(digit.max()), bool(digit[:, 3:5].min() > 0.5)
((8, 8), 1.0, True)
>>> network_input(digit, (1, 16, 16)).shape
(1, 1, 16, 16)
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image
from scipy import ndimage

from ..checks import check_sizes
from ..errors import ImageError
from ..pictures.images import resize

__all__ = ["DIGIT_SIDE", "BITMAP_SIDE", "MAX_DIGIT_WIDTH", "INK_PIXELS", "MAX_DRAWING_PIXELS", "WORK_SIDE",
           "MIN_CONTRAST", "ink_from_drawing", "ink_from_photo", "digit_from_ink", "digit_from_drawing",
           "digit_from_photo", "network_input"]

#: Side of the digits the networks learn from (8 x 8 counts of ink).
DIGIT_SIDE = 8
#: Side of the black-and-white bitmaps those counts were taken from (4 x 4 pixels per count).
BITMAP_SIDE = 32
#: Widest a digit is on its bitmap: the UCI digits fill the height, and even the widest leave the
#: first column of counts empty (``tests/convviz/learn/test_drawing.py`` measures it).
MAX_DIGIT_WIDTH = 28
#: Ink pixels of a training digit's bitmap: whatever the digit, about 310 of the 1,024 (their
#: values average 0.30; a "1" is drawn thick, an "8" thin). A drawing's strokes are thickened
#: (or thinned) until its bitmap holds about as much ink.
INK_PIXELS = 310
#: Largest picture read, in pixels (a 12-megapixel photo is read at :data:`WORK_SIDE` anyway).
MAX_DRAWING_PIXELS = 60_000_000
#: Pictures are read at most this many pixels high and wide (enough for an 8 x 8 digit).
WORK_SIDE = 256
#: Least difference between ink and paper (0..1 of the brightness range) that counts as a digit.
MIN_CONTRAST = 0.15
#: Ink level (0..1, after stretching) that counts as ink when the digit's box is found.
_INK = 0.5
#: Block side of the counts.
_BLOCK = BITMAP_SIDE // DIGIT_SIDE


def _picture(image: Any, param: str) -> np.ndarray:
    """``image`` as a float brightness ``(H, W)`` in 0..1 (1 = white): alpha over white, RGB as Pillow's ``L``.

    uint8 (and other integer) values are 0..255, floats 0..1 (clipped), booleans False / True for
    black / white. A PIL image is read as its RGBA pixels.
    """
    if isinstance(image, Image.Image):
        image = np.asarray(image.convert("RGBA") if image.mode not in ("L", "RGB") else image)
    arr = np.asarray(image)
    channels = arr.shape[2] if arr.ndim == 3 else 0
    if arr.dtype.kind not in "biuf" or arr.ndim not in (2, 3) or channels not in (0, 1, 2, 3, 4) \
            or 0 in arr.shape:
        raise ImageError(f"{param} must be an (H, W), (H, W, 3) or (H, W, 4) array of pixels, got "
                         f"{arr.dtype} {arr.shape}", "bad_shape", param=param, shape=str(arr.shape))
    pixels = arr.shape[0] * arr.shape[1]
    if pixels > MAX_DRAWING_PIXELS:
        megapixels = f"{pixels / 1e6:.0f}"
        raise ImageError(f"This picture is {megapixels} megapixels; the limit is {MAX_DRAWING_PIXELS // 10**6}.",
                         "too_large", megapixels=megapixels, limit=str(MAX_DRAWING_PIXELS // 10**6))
    if arr.dtype.kind == "f":
        if not np.isfinite(arr).all():
            raise ImageError(f"{param} has values that are not finite numbers (NaN or infinite)",
                             "drawing_not_finite", param=param)
        values = np.clip(arr, 0.0, 1.0).astype(np.float32)
    elif arr.dtype.kind == "b":
        values = arr.astype(np.float32)
    else:
        values = np.clip(arr, 0, 255).astype(np.float32) / 255.0
    if values.ndim == 2:
        return values
    alpha = values[:, :, -1] if channels in (2, 4) else None
    colour = values[:, :, :3] if channels >= 3 else values[:, :, :1]
    grey = colour[:, :, 0] if colour.shape[2] == 1 else colour @ np.array([0.299, 0.587, 0.114], np.float32)
    return grey if alpha is None else grey * alpha + (1.0 - alpha)  # over white paper


def _work_size(grey: np.ndarray) -> np.ndarray:
    """``grey`` shrunk (area averages) so that neither side is above :data:`WORK_SIDE`."""
    h, w = grey.shape
    scale = WORK_SIDE / max(h, w)
    if scale >= 1:
        return grey
    return resize(grey, (max(1, round(h * scale)), max(1, round(w * scale))), method="box")


def _no_ink(param: str) -> ImageError:
    return ImageError(f"There is no digit in the {param}: nothing is darker than the paper around it.",
                      "drawing_empty", param=param)


def ink_from_drawing(image: Any) -> np.ndarray:
    """The ink of a drawing: ``(h, w)`` floats, 0 where the canvas is white (or transparent), 1 at the darkest stroke.

    Parameters
    ----------
    image : numpy.ndarray or PIL.Image.Image
        ``(H, W)`` greyscale, ``(H, W, 3)`` RGB or ``(H, W, 4)`` RGBA pixels of any size (uint8
        0..255 or floats 0..1), dark strokes on a light or transparent canvas. Pictures larger
        than :data:`WORK_SIDE` are shrunk first (area averages).

    Returns
    -------
    numpy.ndarray
        float32, at most :data:`WORK_SIDE` a side; the darkest stroke is 1 (a grey pen counts as black).

    Raises
    ------
    ImageError
        ``drawing_empty`` when nothing is darker than the canvas by :data:`MIN_CONTRAST`;
        ``bad_shape``, ``drawing_not_finite``, ``too_large`` for what is not a picture.

    Examples
    --------
    >>> rgba = np.zeros((2, 2, 4), np.uint8); rgba[0, 0] = (0, 0, 0, 255); rgba[1, 1] = (0, 0, 0, 128)
    >>> ink_from_drawing(rgba).round(2).tolist()
    [[1.0, 0.0], [0.0, 0.5]]
    """
    ink = 1.0 - _work_size(_picture(image, "drawing"))
    top = float(ink.max())
    if top < MIN_CONTRAST:
        raise _no_ink("drawing")
    return np.clip(ink / top, 0.0, 1.0).astype(np.float32)


def ink_from_photo(image: Any) -> np.ndarray:
    """The ink of a photographed digit: dark ink on light paper, measured against the paper around it.

    The paper's brightness is taken around every pixel (the brightest within an eighth of the
    picture, smoothed), so a shadow or uneven light is paper, not ink; the difference is
    stretched so that the darkest ink is 1. Marks much smaller than the largest one (specks,
    dust) and marks touching the picture's edge (the paper's edge, a shadow) are dropped, unless
    nothing else is left.

    Parameters
    ----------
    image : numpy.ndarray or PIL.Image.Image
        A photo (what :func:`convviz.load_image` returns: ``(H, W, 3)`` uint8), greyscale or
        RGBA, of any size (read at :data:`WORK_SIDE`).

    Returns
    -------
    numpy.ndarray
        float32 ink, 0..1, at the size the photo is read (at most :data:`WORK_SIDE` a side).

    Raises
    ------
    ImageError
        ``drawing_empty`` when no ink differs from the paper by :data:`MIN_CONTRAST` (a blank
        page, a photo of nothing); ``bad_shape``, ``drawing_not_finite``, ``too_large``.

    Examples
    --------
    >>> photo = np.full((60, 80), 200, np.uint8)   # grey paper ...
    >>> photo[:, :40] = 150                         # ... half in shadow
    >>> photo[15:45, 50:54] = 40                    # and a dark stroke
    >>> ink = ink_from_photo(photo)
    >>> float(ink[30, 52]), float(ink[30, 10]), float(ink[30, 70])
    (1.0, 0.0, 0.0)
    """
    grey = _work_size(_picture(image, "photo"))
    side = max(3, max(grey.shape) // 8)
    paper = ndimage.uniform_filter(ndimage.maximum_filter(grey, size=side, mode="nearest"), size=side,
                                   mode="nearest")
    ink = np.clip(paper - grey, 0.0, None)
    top = float(ndimage.median_filter(ink, size=3).max())  # a lone dark pixel is noise, not ink
    if top < MIN_CONTRAST:
        raise _no_ink("photo")
    ink = np.clip(ink / top, 0.0, 1.0)
    return (ink * _main_marks(ink >= _INK)).astype(np.float32)


def _main_marks(mask: np.ndarray) -> np.ndarray:
    """The parts of ``mask`` that belong to the digit: its large marks, grown a little to keep their soft edges."""
    labels, count = ndimage.label(mask)
    if count <= 1:
        return mask | ndimage.binary_dilation(mask, iterations=2)
    sizes = ndimage.sum_labels(mask, labels, index=np.arange(1, count + 1))
    border = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    inner = np.setdiff1d(np.arange(1, count + 1), border)
    candidates = inner if inner.size else np.arange(1, count + 1)
    largest = sizes[candidates - 1].max()
    keep = candidates[sizes[candidates - 1] >= 0.2 * largest]  # a digit's pieces, not the specks near it
    kept = np.isin(labels, keep)
    return kept | ndimage.binary_dilation(kept, iterations=2)


def _box(mask: np.ndarray) -> tuple[slice, slice]:
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)


def _bitmap_ink(mask: np.ndarray) -> float:
    """How many ink pixels ``mask`` would have on the 32 x 32 bitmap (its box scaled into 32 x 28)."""
    rows, cols = _box(mask)
    scale = _fit(rows.stop - rows.start, cols.stop - cols.start)
    return np.count_nonzero(mask[rows, cols]) * scale * scale


def _ink_like_training(mask: np.ndarray) -> np.ndarray:
    """``mask`` with its strokes grown (or shrunk) a pixel at a time until its bitmap holds about :data:`INK_PIXELS`.

    Growing pads the picture so a stroke at its edge grows too; shrinking stops before a stroke
    would vanish. At most :data:`WORK_SIDE` steps (each at least doubles a thin stroke's area).

    >>> m = np.zeros((64, 64), bool); m[0:64, 30] = True           # a "1" one pixel wide
    >>> grown = _ink_like_training(m)
    >>> round(_bitmap_ink(m)), bool(250 < _bitmap_ink(grown) < 400)
    (16, True)
    """
    ink = _bitmap_ink(mask)
    while ink < 0.9 * INK_PIXELS:
        grown = ndimage.binary_dilation(np.pad(mask, 1))
        more = _bitmap_ink(grown)
        if more <= ink:  # the box grew as fast as the strokes: already a blob
            break
        mask, ink = grown, more
    pieces = ndimage.label(mask)[1]
    while ink > 1.5 * INK_PIXELS:
        thinner = ndimage.binary_erosion(mask)
        if not thinner.any() or ndimage.label(thinner)[1] != pieces:  # a stroke would break or vanish
            break
        mask, ink = thinner, _bitmap_ink(thinner)
    return mask


def _fit(h: int, w: int) -> float:
    """Scale that brings an ``h x w`` box into the digits' ``32 x 28`` box."""
    return min(BITMAP_SIDE / h, MAX_DIGIT_WIDTH / w)


def digit_from_ink(ink: Any) -> np.ndarray:
    """The 8 x 8 digit a network sees for an ink picture (0 = paper, 1 = ink), as the UCI digits were made.

    The ink (pixels >= 0.5) is thickened or thinned until it would hold about :data:`INK_PIXELS`
    on the bitmap; its box is scaled into 32 x 28 keeping its aspect ratio, centred on a 32 x 32
    black-and-white bitmap, and every 4 x 4 block's ink pixels are counted.

    Parameters
    ----------
    ink : array_like
        ``(h, w)`` ink, 0..1 (:func:`ink_from_drawing`, :func:`ink_from_photo`).

    Returns
    -------
    numpy.ndarray
        ``(8, 8)`` float32 counts / 16: values 0, 1/16, ..., 1, as :func:`~.digits.load_digits` gives them.

    Raises
    ------
    ImageError
        ``drawing_empty`` when no pixel reaches 0.5; ``bad_shape`` / ``drawing_not_finite`` for what
        is not a 2-D array of numbers.

    Examples
    --------
    >>> ink = np.zeros((40, 40)); ink[4:36, 16:20] = 1      # a bar, 32 x 4
    >>> (digit_from_ink(ink) * 16).astype(int)[4].tolist()  # thickened to a training digit's ink
    [0, 0, 4, 16, 16, 4, 0, 0]
    """
    arr = np.asarray(ink)
    if arr.ndim != 2 or arr.dtype.kind not in "biuf" or 0 in arr.shape:
        raise ImageError(f"ink must be an (h, w) array of numbers, got {arr.dtype} {arr.shape}", "bad_shape",
                         param="ink", shape=str(arr.shape))
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ImageError("ink has values that are not finite numbers (NaN or infinite)", "drawing_not_finite",
                         param="ink")
    mask = arr >= _INK
    if not mask.any():
        raise _no_ink("drawing")
    mask = _ink_like_training(mask)
    rows, cols = _box(mask)
    scale = _fit(rows.stop - rows.start, cols.stop - cols.start)
    h, w = rows.stop - rows.start, cols.stop - cols.start
    nh, nw = max(1, min(BITMAP_SIDE, round(h * scale))), max(1, min(BITMAP_SIDE, round(w * scale)))
    shrunk = resize(mask[rows, cols].astype(np.float32), (nh, nw), method="box") >= 0.5
    bitmap = np.zeros((BITMAP_SIDE, BITMAP_SIDE), np.float32)
    top, left = (BITMAP_SIDE - nh) // 2, (BITMAP_SIDE - nw) // 2
    bitmap[top:top + nh, left:left + nw] = shrunk
    return bitmap.reshape(DIGIT_SIDE, _BLOCK, DIGIT_SIDE, _BLOCK).mean(axis=(1, 3))


def digit_from_drawing(image: Any) -> np.ndarray:
    """The 8 x 8 digit a network sees for a drawing: :func:`digit_from_ink` of :func:`ink_from_drawing`.

    >>> canvas = np.ones((50, 30)); canvas[5:45, 5:25] = 0.0    # a dark block, 40 x 20
    >>> (digit_from_drawing(canvas) * 16).astype(int)[4].tolist()  # thinned to a training digit's ink
    [0, 0, 12, 16, 16, 12, 0, 0]
    """
    return digit_from_ink(ink_from_drawing(image))


def digit_from_photo(image: Any) -> np.ndarray:
    """The 8 x 8 digit a network sees for a photo: :func:`digit_from_ink` of :func:`ink_from_photo`.

    >>> photo = np.full((90, 120, 3), 190, np.uint8); photo[20:70, 55:61] = 30
    >>> bool(digit_from_photo(photo)[:, 3:5].min() > 0.4)
    True
    """
    return digit_from_ink(ink_from_photo(image))


def network_input(digit: Any, input_shape: Sequence[int]) -> np.ndarray:
    """An 8 x 8 digit in the middle of a network's canvas: ``(1, C, H, W)`` float32, every channel alike.

    Placed where :func:`~.digits.centred_digits` places the training digits (rounded towards the
    top left).

    Parameters
    ----------
    digit : array_like
        ``(8, 8)`` values 0..1 (:func:`digit_from_drawing`, :func:`digit_from_photo`).
    input_shape : sequence of int
        One image's ``(C, H, W)`` (a :class:`~.training.TrainResult`'s ``input_shape``), H and W >= 8.

    Raises
    ------
    ImageError
        ``bad_shape`` for a digit that is not 8 x 8 or a canvas smaller than it; ``not_sizes`` for an
        ``input_shape`` that is not three whole numbers >= 1; ``drawing_not_finite``.

    Examples
    --------
    >>> x = network_input(np.ones((8, 8)), (1, 11, 11))
    >>> x.shape, x.dtype, np.argwhere(x[0, 0])[0].tolist(), float(x.sum())
    ((1, 1, 11, 11), dtype('float32'), [1, 1], 64.0)
    """
    arr = np.asarray(digit)
    if arr.shape != (DIGIT_SIDE, DIGIT_SIDE) or arr.dtype.kind not in "biuf":
        raise ImageError(f"digit must be an 8 x 8 array of numbers, got {arr.dtype} {arr.shape}", "bad_shape",
                         param="digit", shape=str(arr.shape))
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ImageError("digit has values that are not finite numbers (NaN or infinite)", "drawing_not_finite",
                         param="digit")
    channels, height, width = check_sizes(input_shape, "input_shape", lengths=(3,), form="a (C, H, W) tuple",
                                          error=ImageError)
    if height < DIGIT_SIDE or width < DIGIT_SIDE:
        raise ImageError(f"input_shape must be at least 8 x 8 to hold a digit, got {tuple(input_shape)}",
                         "bad_shape", param="input_shape", shape=str(tuple(input_shape)))
    out = np.zeros((1, channels, height, width), np.float32)
    top, left = (height - DIGIT_SIDE) // 2, (width - DIGIT_SIDE) // 2
    out[0, :, top:top + DIGIT_SIDE, left:left + DIGIT_SIDE] = np.clip(arr, 0, 1)
    return out
