"""One setting of the Stride and Padding page: the operation, its grid and kernel, its geometry.

:func:`slide` turns the page's controls into a :class:`Slide` (the grid and kernel made by
:mod:`convviz.sliding.grids`, the padding choice read), and the :class:`Slide` gives everything
the page shows for it: the animation's frames (:meth:`Slide.frames`), the worked size formula per
axis (:meth:`Slide.worked`), what a guess of its output size is about (:attr:`Slide.about`), and a
small hashable :meth:`Slide.key` that holds the whole setting, for caching its GIF and PNGs
(:meth:`Slide.from_key` makes it again). So the page itself computes nothing.

>>> s = slide("conv", source="pattern", preset="ones", in_hw=(7, 7), kernel_hw=(3, 3), stride=2, padding="1")
>>> s.geometry, s.frames().output.shape, s.worked()[0].parts[-1]
({'stride': 2, 'padding': 1, 'dilation': 1}, (4, 4), '4')
>>> Slide.from_key(s.key()).frames().output.tolist() == s.frames().output.tolist()
True
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .frames import FrameSet, animation_frames
from .grids import default_weights, sample_values
from .worked import AxisWork, worked_axes

__all__ = ["Slide", "slide"]


@dataclass(frozen=True, eq=False)
class Slide:
    """A sliding-window setting: ``op`` (``"conv"``, ``"max"``, ``"avg"`` or ``"transposed"``) over the
    ``(H, W)`` grid ``values`` with the ``(kH, kW)`` kernel ``weight`` (its shape is the pooling window)."""

    op: str
    values: np.ndarray
    weight: np.ndarray
    stride: int = 1
    padding: int | str = 0
    dilation: int = 1
    output_padding: int = 0

    @property
    def in_hw(self) -> tuple[int, int]:
        """The grid's ``(H, W)``."""
        return self.values.shape  # type: ignore[return-value]

    @property
    def kernel_hw(self) -> tuple[int, int]:
        """The kernel's (or pooling window's) ``(kH, kW)``."""
        return self.weight.shape  # type: ignore[return-value]

    @property
    def geometry(self) -> dict[str, Any]:
        """The keywords ``op`` takes: ``stride`` and ``padding``, ``dilation`` for a convolution,
        ``output_padding`` for a transposed one (pooling has neither)."""
        geometry: dict[str, Any] = {"stride": self.stride, "padding": self.padding}
        if self.op in ("conv", "transposed"):
            geometry["dilation"] = self.dilation
        if self.op == "transposed":
            geometry["output_padding"] = self.output_padding
        return geometry

    @property
    def about(self) -> tuple:
        """What the output size depends on: a guess of it belongs to this (a changed setting asks again)."""
        return (self.op, *self.in_hw, *self.kernel_hw, tuple(sorted(self.geometry.items())))

    def frames(self) -> FrameSet:
        """The animation's frames (:func:`convviz.animation_frames`; raises its ``GeometryError``)."""
        return animation_frames(self.values, op=self.op, weight=self.weight, kernel_size=self.kernel_hw,
                                **self.geometry)

    def worked(self) -> tuple[AxisWork, ...]:
        """The worked size formula of each axis (:func:`convviz.sliding.worked_axes`; never raises)."""
        return worked_axes(self.op, self.in_hw, self.kernel_hw, stride=self.stride, padding=self.padding,
                           dilation=self.dilation, output_padding=self.output_padding)

    def key(self) -> tuple:
        """The whole setting as a small hashable tuple (numbers and bytes): a cache key."""
        return (self.op, tuple(sorted(self.geometry.items())), self.values.tobytes(), self.values.shape,
                self.weight.tobytes(), self.weight.shape, (self.values.dtype.str, self.weight.dtype.str))

    @classmethod
    def from_key(cls, key: tuple) -> Slide:
        """The :class:`Slide` whose :meth:`key` is ``key``."""
        op, geometry, values, shape, weights, wshape, (vtype, wtype) = key
        return cls(op, np.frombuffer(values, vtype).reshape(shape), np.frombuffer(weights, wtype).reshape(wshape),
                   **dict(geometry))


def slide(op: str, *, source: str, preset: str, in_hw: Any, kernel_hw: Any, seed: int = 0, image: Any = None,
          typed_values: Any = None, typed_weights: Any = None, stride: int = 1, padding: int | str = 0,
          dilation: int = 1, output_padding: int = 0) -> Slide:
    """The page's setting from its controls.

    The grid is :func:`~convviz.sliding.grids.sample_values` of ``source`` at ``in_hw`` and the
    kernel :func:`~convviz.sliding.grids.default_weights` of ``preset`` at ``kernel_hw`` (``seed``
    for the random ones, ``image`` for the photo); a typed grid or kernel (``(1, H, W)`` from
    :func:`~convviz.sliding.grids.parse_grid`) brings its own size. ``padding`` is a number (also
    as text, as the page's choice gives it) or ``"same"``.
    """
    values = sample_values(source, in_hw, seed=seed, image=image,
                           typed=None if typed_values is None else typed_values[0])
    weight = default_weights(preset, kernel_hw, seed=seed, typed=None if typed_weights is None else typed_weights[0])
    return Slide(op, values, weight, stride=int(stride), padding="same" if padding == "same" else int(padding),
                 dilation=int(dilation), output_padding=int(output_padding))
