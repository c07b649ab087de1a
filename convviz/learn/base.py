"""What every layer's numpy implementation provides: its parameters, a forward pass and a backward pass.

An :class:`Op` is built from one :mod:`convviz.nets.layers` spec and the shape of one input sample
(no batch axis). Arrays passed between ops have torch's logical layout ``(N, C, H, W)`` or
``(N, F)``; their memory layout is whatever the previous op left (see :mod:`._im2col`).

``forward`` returns the output and a cache (whatever ``backward`` needs); ``backward`` takes the
gradient of the loss with respect to the output and returns the gradient with respect to the input
(``None`` when ``need_dx`` is false: the first layer's is not needed for training) and the
gradients of the op's parameters, in torch's order and layout.

>>> from convviz.nets.layers import ReLU
>>> from convviz.learn.pointwise import ReLUOp
>>> op = ReLUOp(ReLU(), (2,))
>>> y, cache = op.forward(np.array([[-1.0, 2.0]]), [], [], Pass())
>>> y, op.backward(np.ones((1, 2)), [], cache, need_dx=True)[0]
(array([[0., 2.]]), array([[0., 1.]]))
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Shape", "Pass", "Op", "uniform_fan_in"]

Shape = tuple[int, ...]


@dataclass
class Pass:
    """How a forward pass runs.

    ``train``: torch's training mode (``model.train()``): Dropout zeroes values (masks drawn from
    ``rng``) and BatchNorm2d uses the batch's statistics and updates its running ones; otherwise
    ``model.eval()``. ``rng`` may be None when no Dropout draws from it.
    """

    train: bool = False
    rng: np.random.Generator | None = None


def uniform_fan_in(rng: np.random.Generator, shape: Shape, fan_in: int, dtype: Any) -> np.ndarray:
    """torch's default initialisation of Conv2d / Linear weights and biases: ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``.

    For weights this is ``kaiming_uniform_(w, a=sqrt(5))``: gain ``sqrt(2 / (1 + 5))`` times
    ``sqrt(3 / fan_in)`` is ``1 / sqrt(fan_in)``; for biases torch draws from the same bound.

    >>> w = uniform_fan_in(np.random.default_rng(0), (1000,), 4, np.float64)
    >>> bool(abs(w).max() <= 0.5), w.dtype
    (True, dtype('float64'))
    """
    bound = 1.0 / math.sqrt(fan_in)
    return rng.uniform(-bound, bound, size=shape).astype(dtype, copy=False)


class Op:
    """One layer of a network: parameter shapes, initialisation, forward and backward passes.

    Subclasses set :attr:`param_shapes` (torch's ``parameters()`` of the module, in order) and
    :attr:`buffer_shapes` (its ``buffers()``), and override :meth:`forward` / :meth:`backward`.
    The base class is the identity.
    """

    def __init__(self, spec: Any, input_shape: Shape) -> None:
        self.spec = spec
        self.input_shape = tuple(input_shape)
        self.output_shape = tuple(spec.output_shape(self.input_shape))
        self.param_shapes: tuple[Shape, ...] = ()
        self.buffer_shapes: tuple[Shape, ...] = ()

    def init_params(self, rng: np.random.Generator, dtype: Any) -> list[np.ndarray]:
        """Fresh parameters, as torch initialises them (none by default)."""
        return []

    def init_buffers(self, dtype: Any) -> list[np.ndarray]:
        """Fresh buffers (BatchNorm2d's running statistics; none by default)."""
        return []

    def forward(self, x: np.ndarray, params: list[np.ndarray], buffers: list[np.ndarray], ctx: Pass
                ) -> tuple[np.ndarray, Any]:
        return x, None

    def backward(self, dy: np.ndarray, params: list[np.ndarray], cache: Any, *, need_dx: bool
                 ) -> tuple[np.ndarray | None, list[np.ndarray]]:
        return (dy if need_dx else None), []
