"""How signed filter results are turned into a picture, and colour/greyscale handling."""
from __future__ import annotations

from typing import Literal

import numpy as np

from ..checks import check_choice, check_float, check_int
from . import engine
from .boundary import check_mode, index_map
from .filtering import check_image, to_uint8
from .kernels import validate_kernel

__all__ = ["SignedDisplay", "SIGNED_DISPLAYS", "LUMA", "to_grey", "to_display", "filter_display", "display_legend"]

SignedDisplay = Literal["clip", "abs", "midgrey"]
SIGNED_DISPLAYS: tuple[str, ...] = ("clip", "abs", "midgrey")
#: ITU-R BT.601 luma weights, the classic greyscale conversion (also a 1x1 convolution).
LUMA = np.array([0.299, 0.587, 0.114])


def to_grey(image: np.ndarray) -> np.ndarray:
    """``(H, W, 3)`` uint8 -> ``(H, W)`` uint8 luma; ``(H, W)`` passes through.

    >>> to_grey(np.full((1, 1, 3), 200, np.uint8))
    array([[200]], dtype=uint8)
    """
    image = check_image(image)
    if image.ndim == 2:
        return image
    return to_uint8(image.astype(np.float32) @ LUMA.astype(np.float32))


def to_display(values: np.ndarray, *, how: SignedDisplay = "clip", scale: float = 255.0) -> np.ndarray:
    """Map a signed filter response (from :func:`convviz.filters.filtering.filter_signed`) to uint8.

    Parameters
    ----------
    values : ndarray
        Raw filter output (any sign).
    how : {'clip', 'abs', 'midgrey'}, keyword-only
        ``clip``: negative -> black, above 255 -> white (what a saved image stores).
        ``abs``: magnitude, so strong negative edges show as bright as positive ones.
        ``midgrey``: zero is mid-grey, ``-scale`` black, ``+scale`` white.
    scale : float, keyword-only
        The magnitude shown as black/white with ``midgrey``.

    Examples
    --------
    >>> v = np.array([-255.0, 0.0, 255.0])
    >>> to_display(v, how="clip").tolist(), to_display(v, how="abs").tolist()
    ([0, 0, 255], [255, 0, 255])
    >>> to_display(v, how="midgrey").tolist()
    [0, 128, 255]
    """
    check_choice(how, "how", SIGNED_DISPLAYS)
    check_float(scale, "scale", positive=True)
    with np.errstate(over="ignore"):  # beyond float32 is +-inf, which clips like any large value
        values = np.asarray(values, dtype=np.float32)
    if how == "clip":
        return to_uint8(values)
    if how == "abs":
        return to_uint8(np.abs(values))
    return to_uint8(values * np.float32(127.5 / scale) + np.float32(127.5) + np.float32(1e-3))


def filter_display(image: np.ndarray, kernel: object, *, mode: str = "reflect", cval: float = 0.0,
                   flip: bool = False, how: SignedDisplay = "clip", strip_rows: int = 512) -> np.ndarray:
    """``to_display(filter_signed(image, kernel, ...), how=how)``, made strip by strip: uint8.

    The same picture without the image-sized float32 response in between (4 bytes per sample:
    144 MB for a 12 MP colour photo, twice that with ``how="abs"``). Each strip of ``strip_rows``
    output rows is filtered from its own input rows plus the kernel's reach above and below (the
    image's real rows, extended by ``mode`` only at its top and bottom edges) and mapped at once.
    Parameters are those of :func:`convviz.filters.filtering.filter_signed` and :func:`to_display`.

    >>> img = np.arange(48, dtype=np.uint8).reshape(6, 8) * 5
    >>> from convviz.filters.filtering import filter_signed
    >>> k = [[1, 0, -1], [2, 0, -2], [1, 0, -1]]
    >>> all(np.array_equal(filter_display(img, k, mode=m, how="abs", strip_rows=2),
    ...                    to_display(filter_signed(img, k, mode=m), how="abs")) for m in ("reflect", "wrap"))
    True
    """
    image = check_image(image)
    k = validate_kernel(kernel)
    cval = check_mode(mode, cval)
    check_choice(how, "how", SIGNED_DISPLAYS)
    strip_rows = check_int(strip_rows, "strip_rows", minimum=1)
    if flip:
        k = k[::-1, ::-1]  # convolution, as in filter_signed
    h, hy = image.shape[0], k.shape[0] // 2
    method = engine.choose_method(k, image.shape, cval if mode == "constant" else 0.0)  # as for the whole
    out = np.empty(image.shape, np.uint8)
    for r0 in range(0, h, strip_rows):
        r1 = min(h, r0 + strip_rows)
        lo, hi = r0 - hy, r1 + hy
        if mode == "wrap" and (lo < 0 or hi > h):
            # Rows beyond the top wrap to the bottom: gather them (the filter would wrap within the strip).
            part, top = image[index_map(lo, hi, h, mode)], hy
        else:
            # Real rows only; at the image's edges the filter extends them by the mode itself, and
            # anything it extends at a cut inside the image lands in rows that are cut off again.
            lo, hi = max(lo, 0), min(hi, h)
            part, top = image[lo:hi], r0 - lo
        raw = engine.correlate(part, k, mode=mode, cval=cval, output=np.float32, method=method)
        out[r0:r1] = to_display(raw[top:top + r1 - r0], how=how)
    return out


def display_legend(how: SignedDisplay, scale: float = 255.0) -> tuple[float, float]:
    """The filter values drawn as black and as white by :func:`to_display`.

    >>> display_legend("midgrey", 100)
    (-100.0, 100.0)
    """
    if how == "midgrey":
        return (-float(scale), float(scale))
    return (0.0, 255.0)
