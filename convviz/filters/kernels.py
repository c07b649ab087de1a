"""Kernel presets from the course notes (blur, emboss, outline, ...) and kernel validation.

The arrays hold only numbers; what each preset does is described in :data:`KERNEL_INFO`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from math import comb
from types import MappingProxyType

import numpy as np

from ..errors import KernelError
from ..numbers import common_denominator

__all__ = ["MAX_KERNEL_SIZE", "MAX_KERNEL_VALUE", "BLUR_SIZES", "KernelInfo", "KERNEL_INFO", "KERNELS", "box_blur",
           "gaussian_blur", "make_kernel", "validate_kernel", "as_fraction"]

#: Largest kernel side we filter with (a 63 x 63 kernel is already an extreme blur).
MAX_KERNEL_SIZE = 63
#: Largest kernel weight magnitude. The filtering engine promises every result within 1/64 of a
#: grey level of the exact sum (:data:`convviz.filters.engine.MAX_ERROR`); rounding grows with the sum
#: of |weights|, and with weights up to 1e4 even a 63 x 63 kernel stays 50x inside that promise
#: in float64. (Weights of 1e30 were once accepted: ``[[1e30, 1e30, -1e30]]`` on 42, 88, 130 gave
#: 255 where the exact answer is 0.) Ten thousand is far beyond any kernel a lesson needs.
MAX_KERNEL_VALUE = 1e4


@dataclass(frozen=True)
class KernelInfo:
    """What a preset does, and which sizes it comes in (``sizes == (3,)`` means fixed)."""

    description: str
    sizes: tuple[int, ...] = (3,)
    signed: bool = False  # results can be negative: offer abs / mid-grey display


def box_blur(size: int = 3) -> np.ndarray:
    """Mean of a ``size x size`` window.

    >>> box_blur(3).sum()
    np.float64(1.0)
    """
    _check_size(size)
    return np.full((size, size), 1.0 / (size * size))


def gaussian_blur(size: int = 3) -> np.ndarray:
    """Binomial approximation of a Gaussian: outer product of Pascal's triangle row.

    >>> (gaussian_blur(3) * 16).astype(int).tolist()
    [[1, 2, 1], [2, 4, 2], [1, 2, 1]]
    """
    _check_size(size)
    row = np.array([comb(size - 1, i) for i in range(size)], dtype=float)
    k = np.outer(row, row)
    return k / k.sum()


def _check_size(size: int) -> None:
    if not isinstance(size, (int, np.integer)) or size < 1 or size % 2 == 0 or size > MAX_KERNEL_SIZE:
        raise KernelError(f"size must be an odd integer from 1 to {MAX_KERNEL_SIZE}, got {size!r}", "bad_choice",
                          param="size", value=size)


_FIXED = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
    "outline": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
    "sobel_x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel_y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
}
_SIZED = {"box_blur": box_blur, "gaussian_blur": gaussian_blur}
BLUR_SIZES = (3, 5, 7, 9, 11, 15)

KERNEL_INFO: Mapping[str, KernelInfo] = MappingProxyType({
    "identity": KernelInfo("Leaves the image unchanged: only the centre weight is 1."),
    "box_blur": KernelInfo("Blur: every output pixel is the plain average of its neighbourhood.", BLUR_SIZES),
    "gaussian_blur": KernelInfo("Smooth blur: near neighbours count more than far ones.", BLUR_SIZES),
    "sharpen": KernelInfo("Sharpen: the centre minus its neighbours, added back to the centre.", signed=True),
    "emboss": KernelInfo("Emboss: light from the top-left, like a relief stamped in metal.", signed=True),
    "outline": KernelInfo("Outline: large where a pixel differs from all its neighbours (edges).", signed=True),
    "sobel_x": KernelInfo("Vertical edges: left-to-right change in brightness (Sobel x).", signed=True),
    "sobel_y": KernelInfo("Horizontal edges: top-to-bottom change in brightness (Sobel y).", signed=True),
    "laplacian": KernelInfo("Laplacian: the second derivative; zero on flat areas and ramps.", signed=True),
})


def make_kernel(name: str, size: int | None = None) -> np.ndarray:
    """A fresh (writable) copy of preset ``name``, at ``size`` for presets that have sizes.

    >>> make_kernel("box_blur", 5).shape
    (5, 5)
    >>> make_kernel("emboss").tolist()[0]
    [-2.0, -1.0, 0.0]
    """
    if name in _SIZED:
        return _SIZED[name](3 if size is None else size)
    if name in _FIXED:
        if size not in (None, 3):
            raise KernelError(f"size of preset {name!r} is fixed at 3, got {size!r}", "bad_choice", param="size",
                              value=size)
        return np.array(_FIXED[name], dtype=float)
    raise KernelError(f"kernel name must be one of {', '.join(KERNEL_INFO)}; got {name!r}", "bad_choice",
                      param="name", value=name)


def _frozen(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


#: Preset name -> 2-D float kernel (3 x 3 versions; read-only).
KERNELS: Mapping[str, np.ndarray] = MappingProxyType({name: _frozen(make_kernel(name)) for name in KERNEL_INFO})


def validate_kernel(kernel: object, *, max_size: int = MAX_KERNEL_SIZE) -> np.ndarray:
    """Return ``kernel`` as a 2-D float64 array, or raise :class:`KernelError` saying what is wrong.

    A kernel must be 2-D, non-empty, odd-sized in both axes (so it has a centre pixel),
    at most ``max_size`` on a side, numeric and finite (at most :data:`MAX_KERNEL_VALUE` in size).

    >>> validate_kernel([[1, 2, 1]]).shape
    (1, 3)
    >>> validate_kernel([[1, 2]])
    Traceback (most recent call last):
    ...
    convviz.errors.KernelError: kernel width must be odd so the kernel has a centre, got shape (1, 2)
    """
    try:
        k = np.array(kernel, dtype=np.float64)
    except OverflowError:
        # An integer beyond float64 (10**400): a number, but not a finite float.
        raise _overflow(kernel) from None
    except (TypeError, ValueError):
        raise KernelError("kernel must be a 2-D grid of numbers; some cells are not numbers or rows "
                          "have different lengths", "not_numbers") from None
    if k.ndim != 2:
        raise KernelError(f"kernel must be 2-D, got {k.ndim} dimension(s) with shape {k.shape}", "not_2d")
    if k.size == 0:
        raise KernelError(f"kernel must not be empty, got shape {k.shape}", "kernel_empty")
    for axis, name in ((0, "height"), (1, "width")):
        if k.shape[axis] % 2 == 0:
            raise KernelError(f"kernel {name} must be odd so the kernel has a centre, got shape {k.shape}",
                              "even", shape=f"{k.shape[0]} x {k.shape[1]}")
        if k.shape[axis] > max_size:
            raise KernelError(f"kernel {name} must be at most {max_size}, got shape {k.shape}",
                              "too_big", limit=max_size)
    bad = ~np.isfinite(k)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise KernelError(f"kernel values must be finite numbers, got {k[r, c]} at row {r + 1}, column {c + 1}",
                          "not_finite", value=str(k[r, c]), row=int(r) + 1, col=int(c) + 1)
    big = np.abs(k) > MAX_KERNEL_VALUE
    if big.any():
        r, c = np.argwhere(big)[0]
        raise KernelError(f"kernel values must be at most {MAX_KERNEL_VALUE:,.0f} in size, "
                          f"got {k[r, c]:g} at row {r + 1}, column {c + 1}",
                          "weight_too_large", value=f"{k[r, c]:g}", row=int(r) + 1, col=int(c) + 1,
                          limit=f"{MAX_KERNEL_VALUE:,.0f}")
    return k


def _overflow(kernel: object) -> KernelError:
    """The ``not_finite`` error for the first cell too large for a float (``np.array`` raised OverflowError)."""
    row_no, col_no, value = 1, 1, "a number too large for a float"
    try:
        cells = ((r, c, v) for r, row in enumerate(kernel) for c, v in enumerate(row))  # type: ignore[arg-type]
        for r, c, v in cells:
            try:
                float(v)
            except OverflowError:
                # str() of a 5000-digit int raises, so give the order of magnitude instead.
                size = f"1e+{int(abs(v).bit_length() * 0.30103)}" if isinstance(v, int) else "a huge number"
                row_no, col_no, value = r + 1, c + 1, ("-" if isinstance(v, int) and v < 0 else "") + size
                break
            except (TypeError, ValueError):
                continue
    except TypeError:  # not a grid: keep the generic position
        pass
    return KernelError(f"kernel values must be finite numbers, got {value} at row {row_no}, column {col_no}",
                       "not_finite", value=value, row=row_no, col=col_no)


def as_fraction(kernel: object, *, max_denominator: int = 256) -> tuple[int, np.ndarray] | None:
    """Write ``kernel`` as ``integers / d`` when it is one (for display: "1/16 x [[1, 2, 1], ...]").

    Returns ``(d, integer_array)`` with the smallest such ``d`` up to ``max_denominator``,
    or ``None`` if there is none.

    >>> d, ints = as_fraction(gaussian_blur(3))
    >>> d, ints.tolist()
    (16, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    >>> as_fraction([[0.3333]]) is None
    True
    """
    k = validate_kernel(kernel)
    d = common_denominator(k, max_denominator=max_denominator)
    return None if d is None else (d, np.rint(k * d).astype(np.int64))
