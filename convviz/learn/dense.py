"""``Linear``, ``Flatten`` and ``Unflatten`` forward and backward.

The weight of ``Linear`` has torch's layout ``(out_features, in_features)``; ``Flatten`` orders
the features ``(C, H, W)`` as torch does, so a trained weight matrix means the same in both.

>>> from convviz.nets.layers import Linear
>>> op = LinearOp(Linear(2, 1), (2,))
>>> y, cache = op.forward(np.array([[1.0, 2.0]]), [np.array([[3.0, 4.0]]), np.array([0.5])], [], Pass())
>>> y, op.backward(np.ones((1, 1)), [np.array([[3.0, 4.0]]), np.array([0.5])], cache, need_dx=True)
(array([[11.5]]), (array([[3., 4.]]), [array([[1., 2.]]), array([1.])]))
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._im2col import column_sums
from .base import Op, Pass, Shape, uniform_fan_in

__all__ = ["LinearOp", "ReshapeOp"]


class LinearOp(Op):
    """``torch.nn.Linear``."""

    def __init__(self, spec: Any, input_shape: Shape) -> None:
        super().__init__(spec, input_shape)
        self.param_shapes = ((spec.out_features, spec.in_features),) + (((spec.out_features,),) if spec.bias else ())

    def init_params(self, rng: np.random.Generator, dtype: Any) -> list[np.ndarray]:
        return [uniform_fan_in(rng, shape, self.spec.in_features, dtype) for shape in self.param_shapes]

    def forward(self, x: np.ndarray, params: list[np.ndarray], buffers: list[np.ndarray], ctx: Pass
                ) -> tuple[np.ndarray, Any]:
        y = x @ params[0].T
        if self.spec.bias:
            y += params[1]
        return y, x

    def backward(self, dy: np.ndarray, params: list[np.ndarray], cache: Any, *, need_dx: bool
                 ) -> tuple[np.ndarray | None, list[np.ndarray]]:
        grads = [dy.T @ cache] + ([column_sums(dy)] if self.spec.bias else [])
        return (dy @ params[0] if need_dx else None), grads


class ReshapeOp(Op):
    """``torch.nn.Flatten()`` and ``torch.nn.Unflatten(1, size)``: the same values, another shape."""

    def forward(self, x: np.ndarray, params: list[np.ndarray], buffers: list[np.ndarray], ctx: Pass
                ) -> tuple[np.ndarray, Any]:
        return x.reshape((x.shape[0],) + self.output_shape), None

    def backward(self, dy: np.ndarray, params: list[np.ndarray], cache: Any, *, need_dx: bool
                 ) -> tuple[np.ndarray | None, list[np.ndarray]]:
        return (dy.reshape((dy.shape[0],) + self.input_shape) if need_dx else None), []
