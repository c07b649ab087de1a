"""``BatchNorm2d`` forward and backward, with torch's running statistics.

In training mode each channel is normalised with its batch mean and *biased* variance over
``(N, H, W)``, and the running statistics move towards the batch's:
``running = (1 - momentum) * running + momentum * batch``, the variance *unbiased*
(``n / (n - 1)``); with ``momentum=None`` torch's cumulative average ``1 / num_batches_tracked``.
In evaluation mode the running statistics normalise. Buffers, as ``module.buffers()`` lists them:
``running_mean``, ``running_var``, ``num_batches_tracked``; a pass updates them in place, as torch does.

>>> from convviz.nets.layers import BatchNorm2d
>>> op = BatchNormOp(BatchNorm2d(1), (1, 1, 2))
>>> buffers = op.init_buffers(np.float64)
>>> y, _ = op.forward(np.array([[[[1.0, 3.0]]]]), op.init_params(None, np.float64), buffers, Pass(train=True))
>>> np.round(y, 4), buffers[0], buffers[1], int(buffers[2])
(array([[[[-1.,  1.]]]]), array([0.2]), array([1.1]), 1)
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import LayerError
from .base import Op, Pass, Shape

__all__ = ["BatchNormOp"]


class BatchNormOp(Op):
    """``torch.nn.BatchNorm2d`` (``track_running_stats=True``, as in the spec)."""

    def __init__(self, spec: Any, input_shape: Shape) -> None:
        super().__init__(spec, input_shape)
        c = spec.num_features
        self.param_shapes = ((c,), (c,)) if spec.affine else ()
        self.buffer_shapes = ((c,), (c,), ())

    def init_params(self, rng: np.random.Generator | None, dtype: Any) -> list[np.ndarray]:
        c = self.spec.num_features
        return [np.ones(c, dtype), np.zeros(c, dtype)] if self.spec.affine else []

    def init_buffers(self, dtype: Any) -> list[np.ndarray]:
        c = self.spec.num_features
        return [np.zeros(c, dtype), np.ones(c, dtype), np.zeros((), np.int64)]

    def forward(self, x: np.ndarray, params: list[np.ndarray], buffers: list[np.ndarray], ctx: Pass
                ) -> tuple[np.ndarray, Any]:
        spec = self.spec
        n = x.shape[0] * x.shape[2] * x.shape[3]
        if ctx.train:
            if n < 2:
                raise LayerError(
                    f"BatchNorm2d needs more than 1 value per channel to train (batch {x.shape[0]} of "
                    f"{x.shape[2]} x {x.shape[3]} maps); use a larger batch", "learn_batch_stats",
                    layer="BatchNorm2d", batch=x.shape[0], values=n)
            mean = x.mean(axis=(0, 2, 3))
            centred = x - mean[:, None, None]
            var = np.mean(centred * centred, axis=(0, 2, 3))
            if buffers:
                self._update(buffers, mean, var, n)
        else:
            mean, var = buffers[0], buffers[1]
            centred = x - mean[:, None, None].astype(x.dtype)
        inv_std = (1.0 / np.sqrt(var + spec.eps)).astype(x.dtype)
        xhat = centred * inv_std[:, None, None]
        y = xhat * params[0][:, None, None] + params[1][:, None, None] if spec.affine else xhat
        return y, (xhat, inv_std, ctx.train)

    def _update(self, buffers: list[np.ndarray], mean: np.ndarray, var: np.ndarray, n: int) -> None:
        buffers[2][...] = buffers[2] + 1
        m = self.spec.momentum
        m = 1.0 / float(buffers[2]) if m is None else m
        buffers[0][...] = (1 - m) * buffers[0] + m * mean
        buffers[1][...] = (1 - m) * buffers[1] + m * var * (n / (n - 1))

    def backward(self, dy: np.ndarray, params: list[np.ndarray], cache: Any, *, need_dx: bool
                 ) -> tuple[np.ndarray | None, list[np.ndarray]]:
        xhat, inv_std, train = cache
        grads = [np.sum(dy * xhat, axis=(0, 2, 3)), dy.sum(axis=(0, 2, 3))] if self.spec.affine else []
        if not need_dx:
            return None, grads
        dxhat = dy * params[0][:, None, None] if self.spec.affine else dy
        if not train:  # fixed statistics: a per-channel scale
            return dxhat * inv_std[:, None, None], grads
        # the batch's mean and variance depend on every value: the usual three-term formula
        mean_d = dxhat.mean(axis=(0, 2, 3))
        mean_dx = np.mean(dxhat * xhat, axis=(0, 2, 3))
        dx = (dxhat - mean_d[:, None, None] - xhat * mean_dx[:, None, None]) * inv_std[:, None, None]
        return dx, grads
