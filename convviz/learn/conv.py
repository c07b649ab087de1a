"""``Conv2d`` forward and backward: im2col and one BLAS product per pass (per group).

Padding (numbers, pairs, ``"same"`` with its extra cell after for even spans, ``"valid"``),
stride, dilation, groups and the bias follow torch. The weight has torch's layout
``(C_out, C_in / groups, kH, kW)``.

>>> from convviz.nets.layers import Conv2d
>>> op = ConvOp(Conv2d(1, 1, 3, padding=1, bias=False), (1, 3, 3))
>>> y, _ = op.forward(np.ones((1, 1, 3, 3)), [np.ones((1, 1, 3, 3))], [], Pass())
>>> y[0, 0]
array([[4., 6., 4.],
       [6., 9., 6.],
       [4., 6., 4.]])
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import LayerError
from ..sliding.windows import resolve_padding
from ._im2col import (
    add_windows,
    channels_last,
    column_sums,
    from_channels_last,
    pad,
    patches,
)
from .base import Op, Pass, Shape, uniform_fan_in

__all__ = ["ConvOp"]


class ConvOp(Op):
    """``torch.nn.Conv2d`` (``padding_mode="zeros"``, the only mode the spec has)."""

    def __init__(self, spec: Any, input_shape: Shape) -> None:
        super().__init__(spec, input_shape)
        self.pads = resolve_padding(spec.padding, spec.kernel_size, stride=spec.stride, dilation=spec.dilation,
                                    error=LayerError)
        self.groups = spec.groups
        self.c_in, self.c_out = spec.in_channels, spec.out_channels
        kh, kw = spec.kernel_size
        self.fan_in = self.c_in // self.groups * kh * kw
        self.param_shapes = ((self.c_out, self.c_in // self.groups, kh, kw),) + (((self.c_out,),) if spec.bias else ())
        # At stride 1 the input's gradient is itself a correlation: of the output's gradient, padded by
        # d(k-1) minus the layer's padding, with the kernels flipped and in/out channels swapped. One
        # im2col and one product beat summing kh*kw strided slices (about 2x on the digits' nets).
        spans = [d * (k - 1) for d, k in zip(spec.dilation, spec.kernel_size)]
        pads = tuple((span - before, span - after) for span, (before, after) in zip(spans, self.pads))
        usable = self.groups == 1 and spec.stride == (1, 1) and min(min(p) for p in pads) >= 0
        self.transposed_pads = pads if usable else None

    def init_params(self, rng: np.random.Generator, dtype: Any) -> list[np.ndarray]:
        return [uniform_fan_in(rng, shape, self.fan_in, dtype) for shape in self.param_shapes]

    def _weight_matrix(self, w: np.ndarray) -> np.ndarray:
        """``(C_out, C_in/g, kh, kw)`` -> ``(g, C_out/g, kh*kw*C_in/g)``: the order of an im2col row."""
        g = self.groups
        c_out, c_g, kh, kw = w.shape
        return w.reshape(g, c_out // g, c_g, kh, kw).transpose(0, 1, 3, 4, 2).reshape(g, c_out // g, kh * kw * c_g)

    def forward(self, x: np.ndarray, params: list[np.ndarray], buffers: list[np.ndarray], ctx: Pass
                ) -> tuple[np.ndarray, Any]:
        spec, g = self.spec, self.groups
        n = x.shape[0]
        _, oh, ow = self.output_shape
        kh, kw = spec.kernel_size
        xp = pad(x, self.pads)
        cols = patches(xp, spec.kernel_size, stride=spec.stride, dilation=spec.dilation, out=(oh, ow))
        rows = n * oh * ow
        wm = self._weight_matrix(params[0])
        if g == 1:
            y = cols @ wm[0].T
        else:
            c_g = self.c_in // g
            cols = cols.reshape(rows, kh * kw, g, c_g).transpose(2, 0, 1, 3).reshape(g, rows, kh * kw * c_g)
            y = (cols @ wm.transpose(0, 2, 1)).transpose(1, 0, 2).reshape(rows, self.c_out)
        if spec.bias:
            # one image's outputs as a row, the bias tiled along it: numpy adds long rows several
            # times faster than it broadcasts a vector of C_out along every pixel's short row
            y = y.reshape(n, oh * ow * self.c_out)
            y += np.tile(params[1], oh * ow)
        return from_channels_last(y.reshape(n, oh, ow, self.c_out)), (cols, xp.shape, wm)

    def backward(self, dy: np.ndarray, params: list[np.ndarray], cache: Any, *, need_dx: bool
                 ) -> tuple[np.ndarray | None, list[np.ndarray]]:
        spec, g = self.spec, self.groups
        cols, padded_shape, wm = cache
        n, _, oh, ow = dy.shape
        kh, kw = spec.kernel_size
        c_g, o_g = self.c_in // g, self.c_out // g
        rows = n * oh * ow
        dy_m = channels_last(dy).reshape(rows, self.c_out)
        if g == 1:
            dw = (dy_m.T @ cols).reshape(self.c_out, kh, kw, c_g).transpose(0, 3, 1, 2)
        else:
            dy_g = dy_m.reshape(rows, g, o_g).transpose(1, 0, 2)  # (g, rows, C_out/g)
            dw = (dy_g.transpose(0, 2, 1) @ cols).reshape(self.c_out, kh, kw, c_g).transpose(0, 3, 1, 2)
        grads = [np.ascontiguousarray(dw)]
        if spec.bias:
            grads.append(column_sums(dy_m))
        if not need_dx:
            return None, grads
        if self.transposed_pads is not None:
            return self._grad_input_by_correlation(dy, params[0]), grads
        if g == 1:
            dcols = dy_m @ wm[0]
        else:
            dcols = (dy_g @ wm).reshape(g, rows, kh * kw, c_g).transpose(1, 2, 0, 3)
        dxp = add_windows(dcols.reshape(n, oh, ow, kh, kw, self.c_in), padded_shape[2:], stride=spec.stride,
                          dilation=spec.dilation)
        (top, _), (left, _) = self.pads
        _, h, w_ = self.input_shape
        return dxp[:, :, top:top + h, left:left + w_], grads

    def _grad_input_by_correlation(self, dy: np.ndarray, w: np.ndarray) -> np.ndarray:
        """The input's gradient at stride 1, groups 1: ``correlate(pad(dy), flipped kernels)``."""
        spec = self.spec
        kh, kw = spec.kernel_size
        _, h, w_in = self.input_shape
        cols = patches(pad(dy, self.transposed_pads), spec.kernel_size, dilation=spec.dilation, out=(h, w_in))
        # row (i, j, o) of the matrix: weight [o, c, kh-1-i, kw-1-j] for every input channel c
        flipped = w[:, :, ::-1, ::-1].transpose(2, 3, 0, 1).reshape(kh * kw * self.c_out, self.c_in)
        return from_channels_last((cols @ flipped).reshape(dy.shape[0], h, w_in, self.c_in))
