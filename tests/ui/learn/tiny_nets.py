"""Two small networks trained in a moment, for the Try-it harnesses (AppTest and the browser).

Deterministic: the same seed gives the same parameters in every process, so a browser test can
work out, in its own process, the answer the app's server shows.
"""
from __future__ import annotations

import functools

from convviz import learn
from convviz.nets.layers import Conv2d, Flatten, Linear, MaxPool2d, ReLU

#: The networks: a small conv net and a dense net, on the 16 x 16 canvas of the default experiment.
STACKS = {
    "conv": (Conv2d(1, 8, 3, padding=1), ReLU(), MaxPool2d(2), Conv2d(8, 8, 3, padding=1), ReLU(), MaxPool2d(2),
             Flatten(), Linear(128, 10)),
    "dense": (Flatten(), Linear(256, 32), ReLU(), Linear(32, 10)),
}
NAMES = {"en": {"conv": "Small conv net", "dense": "Dense net"},
         "ko": {"conv": "작은 합성곱 신경망", "dense": "완전 연결 신경망"}}


@functools.cache
def tiny_results() -> dict[str, learn.TrainResult]:
    """Both networks trained on 400 centred digits for 3 epochs (well under a second each).

    Test accuracy: 64 % (conv) and 87 % (dense)."""
    data = learn.digits_data("centred", n_train=400, seed=0)
    return {net: learn.train(stack, data, epochs=3, batch_size=32, lr=1e-2, seed=0)
            for net, stack in STACKS.items()}
