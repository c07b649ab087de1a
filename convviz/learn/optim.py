"""``torch.optim.Adam`` and ``torch.optim.SGD`` (their default settings), updating numpy arrays in place.

Each step does what torch's single-tensor ("for-loop") implementation does, operation by
operation, so the same gradients give the same parameters (``tests/convviz/learn/test_torch_optim.py``).

>>> p = [np.array([1.0])]
>>> opt = Adam(p, lr=0.1)
>>> opt.step([np.array([0.5])]); p[0]          # Adam's first step moves by lr, whatever the gradient's size
array([0.9])
>>> SGD(p, lr=0.1).step([np.array([2.0])]); p[0]
array([0.7])
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["Adam", "SGD", "OPTIMIZERS"]


class Adam:
    """Adam with torch's defaults: ``betas=(0.9, 0.999)``, ``eps=1e-8``, no weight decay, no amsgrad."""

    def __init__(self, params: Sequence[np.ndarray], *, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8) -> None:
        self.params = list(params)
        self.lr, self.betas, self.eps = lr, betas, eps
        self.exp_avg = [np.zeros_like(p) for p in self.params]
        self.exp_avg_sq = [np.zeros_like(p) for p in self.params]
        self._scratch = [np.empty_like(p) for p in self.params]  # one temporary per parameter, reused
        self.steps = 0

    def step(self, grads: Sequence[np.ndarray]) -> None:
        """One update of every parameter (in place) from its gradient."""
        self.steps += 1
        b1, b2 = self.betas
        bias1 = 1 - b1 ** self.steps
        bias2_sqrt = math.sqrt(1 - b2 ** self.steps)
        step_size = self.lr / bias1
        for p, g, m, v, t in zip(self.params, grads, self.exp_avg, self.exp_avg_sq, self._scratch):
            dtype = p.dtype.type
            # torch: exp_avg.lerp_(grad, 1 - beta1); exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2)
            np.subtract(g, m, out=t)
            t *= dtype(1 - b1)
            m += t
            v *= dtype(b2)
            np.multiply(g, g, out=t)
            t *= dtype(1 - b2)
            v += t
            # torch: denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
            #        param.addcdiv_(exp_avg, denom, value=-step_size)
            np.sqrt(v, out=t)
            t /= dtype(bias2_sqrt)
            t += dtype(self.eps)
            np.divide(m, t, out=t)
            t *= dtype(step_size)
            p -= t


class SGD:
    """Plain stochastic gradient descent (torch's defaults: no momentum, no weight decay)."""

    def __init__(self, params: Sequence[np.ndarray], *, lr: float = 1e-3) -> None:
        self.params = list(params)
        self.lr = lr

    def step(self, grads: Sequence[np.ndarray]) -> None:
        """``p -= lr * g`` for every parameter, in place."""
        for p, g in zip(self.params, grads):
            p -= p.dtype.type(self.lr) * g


#: The optimizers :func:`convviz.learn.train` accepts, by name.
OPTIMIZERS = {"adam": Adam, "sgd": SGD}
