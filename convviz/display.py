"""How signed filter results are turned into a picture, and colour/greyscale handling."""
from __future__ import annotations

from typing import Literal

import numpy as np

from .checks import check_choice, check_float
from .filtering import check_image, to_uint8

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
    """Map a signed filter response (from :func:`convviz.filtering.filter_signed`) to uint8.

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


def display_legend(how: SignedDisplay, scale: float = 255.0) -> tuple[float, float]:
    """The filter values drawn as black and as white by :func:`to_display`.

    >>> display_legend("midgrey", 100)
    (-100.0, 100.0)
    """
    if how == "midgrey":
        return (-float(scale), float(scale))
    return (0.0, 255.0)
