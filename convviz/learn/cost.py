"""What a training run will cost, estimated before it runs: multiply-adds, seconds on one core, memory.

A service that trains for a whole class refuses a run past its bounds *before* running it, so
the estimate must come from the settings alone:

* **work**: :func:`convviz.summarize`'s multiply-adds of one image's forward pass, times the
  images a run pushes through the network: ``3 x n_train`` per epoch for training (forward plus
  a backward pass about twice as costly) and ``n_train + n_test`` per epoch for the evaluation
  of both sets after every epoch;
* **seconds**: that work, plus the element-wise work (ReLU, pooling, copies: the layers' output
  sizes) and a fixed cost per layer and step (numpy's call overhead), at rates fitted to 15
  measured runs on the reference machine (one core of the 2-core development box;
  ``bench/learn_class.py --calibrate``, ``docs/BENCHMARKS.md`` section 7): 0.75 to 1.4 times the
  measured time across conv and dense nets of 0.015 to 8 times the default conv net's
  multiply-adds, batch sizes 8 to 256 and 300 to 1,796 training images, within 12 % for the
  default nets;
* **memory**: the images (as loaded and in the training dtype), the parameters with their
  gradients and Adam's two averages, and one minibatch's activations kept for the backward pass
  (every layer's output and its gradient, plus each convolution's im2col matrices).

>>> from convviz.learn.experiments import conv_net, dense_net
>>> conv = training_cost(conv_net(), (1, 16, 16), n_train=1000, n_test=797, epochs=30, batch_size=32)
>>> dense = training_cost(dense_net(), (1, 16, 16), n_train=1000, n_test=797, epochs=30, batch_size=32)
>>> conv.macs, round(conv.seconds, 1), round(dense.seconds, 1), round(conv.megabytes), round(dense.megabytes)
(23918993280, 1.5, 0.3, 33, 7)
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..nets import layers
from ..nets.summary import summarize
from .network import EVAL_CHUNK

__all__ = ["Cost", "training_cost", "SECONDS_PER_GMAC", "SECONDS_PER_GELEMENT", "SECONDS_PER_LAYER_STEP"]

#: Rates of the reference machine (least squares over 15 measured runs, relative error; see the module docstring).
SECONDS_PER_GMAC = 0.0234
SECONDS_PER_GELEMENT = 0.70
SECONDS_PER_LAYER_STEP = 9.25e-6


@dataclass(frozen=True)
class Cost:
    """The estimated cost of one training run.

    ``macs``: multiply-adds of the whole run; ``seconds``: estimated seconds on one core of the
    reference machine; ``memory``: estimated peak working memory in bytes (the Python process
    itself, about 65 MB, not included).
    """

    macs: int
    seconds: float
    memory: int

    @property
    def megabytes(self) -> float:
        return self.memory / 2**20

    def __add__(self, other: Cost) -> Cost:
        """Two runs' costs together (memory: both at once)."""
        return Cost(self.macs + other.macs, self.seconds + other.seconds, self.memory + other.memory)


def training_cost(stack: Iterable[Any], input_shape: Sequence[int], *, n_train: int, n_test: int, epochs: int,
                  batch_size: int, dtype: str = "float32") -> Cost:
    """The estimated cost of :func:`~.train.train` on ``n_train`` + ``n_test`` images of ``input_shape``.

    The stack is checked by :func:`convviz.summarize` (the same coded errors as training for a
    stack that does not fit).

    >>> from convviz.nets.layers import Flatten, Linear
    >>> c = training_cost([Flatten(), Linear(256, 10)], (1, 16, 16), n_train=100, n_test=100, epochs=2, batch_size=50)
    >>> c.macs == 2 * 2560 * (3 * 100 + 200)
    True
    """
    summary = summarize(list(stack), input_shape)
    rows = summary.rows
    images = 3 * n_train + n_train + n_test  # per epoch: training (forward and backward), then evaluation
    macs = epochs * summary.total_macs * images
    elements = epochs * sum(math.prod(r.output_shape) for r in rows) * images
    batch = min(batch_size, n_train)
    steps = epochs * (math.ceil(n_train / batch) + math.ceil(n_train / EVAL_CHUNK) + math.ceil(n_test / EVAL_CHUNK))
    seconds = (macs * SECONDS_PER_GMAC + elements * SECONDS_PER_GELEMENT) / 1e9 \
        + steps * len(rows) * SECONDS_PER_LAYER_STEP
    itemsize = np.dtype(dtype).itemsize
    data = (n_train + n_test) * math.prod(input_shape) * (8 + itemsize)  # float64 as made, then the training copy
    params = 6 * summary.total_params * itemsize  # parameters, initial copy, gradients, Adam's m, v and scratch
    per_image = sum(2 * math.prod(r.output_shape) + _im2col(r) for r in rows)  # outputs, their gradients, im2col
    activations = max(batch, min(EVAL_CHUNK, n_train + n_test)) * per_image * itemsize
    return Cost(macs=int(macs), seconds=float(seconds), memory=int(data + params + activations))


def _im2col(row: Any) -> int:
    """Values of one image's im2col matrices in a Conv2d's forward and backward passes (0 for other layers)."""
    layer = row.layer
    if not isinstance(layer, layers.Conv2d):
        return 0
    taps = layer.kernel_size[0] * layer.kernel_size[1]
    c_in, h, w = row.input_shape
    c_out, oh, ow = row.output_shape
    return taps * (oh * ow * c_in // layer.groups + h * w * c_out)
