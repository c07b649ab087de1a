"""``loss_and_grads`` against central finite differences, in float64: the gradient check that needs no torch.

Random stacks (``stacks.random_stack``, Dropout included: its masks come from the fixed seed, so
the loss is one fixed function of the parameters), a sample of entries of every parameter array
and of the input, in training and in evaluation mode.
"""
import numpy as np

from convviz import learn
from convviz.nets import layers as L
from tests.convviz.learn.stacks import REQUIRED, features_of, random_stack

H = 1e-6
TOL = 1e-5  # relative to the array's largest gradient (at least 1e-6)
CASES = 40
ENTRIES = 6  # sampled entries per array


def _numeric(fn, arr, index):
    old = arr[index]
    arr[index] = old + H
    up = fn()
    arr[index] = old - H
    down = fn()
    arr[index] = old
    return (up - down) / (2 * H)


def _check(stack, shape, rng, *, train):
    n = int(rng.integers(2, 5))
    x = rng.normal(size=(n, *shape))
    y = rng.integers(0, 4, n)
    params = learn.init_params(stack, shape, seed=int(rng.integers(0, 1000)))

    def loss():
        # fresh buffers every call: a training pass moves them, and the loss must be one function
        return learn.loss_and_grads(stack, params, x, y, train=train, seed=7,
                                    buffers=learn.init_buffers(stack, shape))[0]

    value, grads, grad_x = learn.loss_and_grads(stack, params, x, y, train=train, seed=7,
                                                buffers=learn.init_buffers(stack, shape))
    if not np.isfinite(value):  # a max-pooling window of padding only (see test_torch_grads)
        return 0
    checked = 0
    for arr, grad in list(zip(params, grads)) + [(x, grad_x)]:
        scale = max(float(np.abs(grad).max()), 1e-6)
        for flat in rng.choice(arr.size, size=min(ENTRIES, arr.size), replace=False):
            index = np.unravel_index(flat, arr.shape)
            assert abs(_numeric(loss, arr, index) - grad[index]) <= TOL * scale, (stack, index)
            checked += 1
    return checked


def test_random_stacks_match_finite_differences():
    rng = np.random.default_rng(7)
    checked, covered = 0, set()
    for case in range(CASES):
        stack, shape = random_stack(rng, dropout=True)
        done = _check(stack, shape, rng, train=bool(case % 2))
        if done:
            checked += done
            covered |= features_of(stack)
    assert checked >= 500
    # the conv and pooling options need not all appear in 40 cases, but the layer types must
    assert {"Conv2d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "BatchNorm2d", "Dropout", "Linear"} <= covered
    assert len(REQUIRED & covered) >= len(REQUIRED) - 6


def test_the_default_conv_net_matches_finite_differences():
    rng = np.random.default_rng(8)
    stack = list(learn.conv_net())
    assert _check(stack, (1, 16, 16), rng, train=True) == ENTRIES * 9


def test_dropout_in_training_mode_matches_finite_differences():
    rng = np.random.default_rng(9)
    stack = [L.Conv2d(1, 3, 3), L.Dropout(0.4), L.Tanh(), L.Flatten(), L.Linear(3 * 3 * 3, 4)]
    assert _check(stack, (1, 5, 5), rng, train=True) == 6 + 3 + 6 + 4 + 6  # weight, 3 biases, weight, 4 biases, x
