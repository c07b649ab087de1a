"""Element-wise layers forward and backward: ``ReLU``, ``ReLU6``, ``Tanh`` and ``Dropout``.

Gradients at the kinks follow torch: ReLU passes the gradient where its output is above 0;
ReLU6 (torch's ``hardtanh(x, 0, 6)``) where ``0 < x < 6``. Dropout is torch's *inverted*
dropout: in training mode each value is kept with probability ``1 - p`` and scaled by
``1 / (1 - p)`` (all zeroed when ``p = 1``), with masks drawn from the pass's seeded generator;
in evaluation mode it is the identity.

>>> from convviz.nets.layers import Dropout
>>> op = DropoutOp(Dropout(0.5), (6,))
>>> y, _ = op.forward(np.ones((1, 6)), [], [], Pass(train=True, rng=np.random.default_rng(0)))
>>> sorted(set(y.ravel().tolist()))
[0.0, 2.0]
>>> op.forward(np.ones((1, 6)), [], [], Pass(train=False))[0]
array([[1., 1., 1., 1., 1., 1.]])
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .base import Op, Pass

__all__ = ["ReLUOp", "ReLU6Op", "TanhOp", "DropoutOp"]


class ReLUOp(Op):
    """``torch.nn.ReLU``."""

    def forward(self, x: np.ndarray, params: list[np.ndarray], buffers: list[np.ndarray], ctx: Pass
                ) -> tuple[np.ndarray, Any]:
        y = np.maximum(x, 0)
        return y, y

    def backward(self, dy: np.ndarray, params: list[np.ndarray], cache: Any, *, need_dx: bool
                 ) -> tuple[np.ndarray | None, list[np.ndarray]]:
        if not need_dx:
            return None, []
        return np.where(cache > 0, dy, 0).astype(dy.dtype, copy=False), []


class ReLU6Op(Op):
    """``torch.nn.ReLU6``."""

    def forward(self, x: np.ndarray, params: list[np.ndarray], buffers: list[np.ndarray], ctx: Pass
                ) -> tuple[np.ndarray, Any]:
        return np.clip(x, 0, 6), x

    def backward(self, dy: np.ndarray, params: list[np.ndarray], cache: Any, *, need_dx: bool
                 ) -> tuple[np.ndarray | None, list[np.ndarray]]:
        if not need_dx:
            return None, []
        return np.where((cache > 0) & (cache < 6), dy, 0).astype(dy.dtype, copy=False), []


class TanhOp(Op):
    """``torch.nn.Tanh``."""

    def forward(self, x: np.ndarray, params: list[np.ndarray], buffers: list[np.ndarray], ctx: Pass
                ) -> tuple[np.ndarray, Any]:
        y = np.tanh(x)
        return y, y

    def backward(self, dy: np.ndarray, params: list[np.ndarray], cache: Any, *, need_dx: bool
                 ) -> tuple[np.ndarray | None, list[np.ndarray]]:
        return (dy * (1 - cache * cache) if need_dx else None), []


class DropoutOp(Op):
    """``torch.nn.Dropout`` (inverted scaling; seeded masks)."""

    def forward(self, x: np.ndarray, params: list[np.ndarray], buffers: list[np.ndarray], ctx: Pass
                ) -> tuple[np.ndarray, Any]:
        p = self.spec.p
        if not ctx.train or p == 0:
            return x, None
        if p == 1:  # torch: everything zeroed (no division by 0)
            return np.zeros_like(x), np.zeros(x.shape, x.dtype)
        draw = ctx.rng.random(x.shape, dtype=np.float64)  # float64 draws: the same masks in either dtype
        mask = (draw >= p).astype(x.dtype) * x.dtype.type(1.0 / (1.0 - p))
        return x * mask, mask

    def backward(self, dy: np.ndarray, params: list[np.ndarray], cache: Any, *, need_dx: bool
                 ) -> tuple[np.ndarray | None, list[np.ndarray]]:
        if not need_dx:
            return None, []
        return (dy if cache is None else dy * cache), []
