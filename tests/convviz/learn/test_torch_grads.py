"""``convviz.learn.loss_and_grads`` against ``torch.autograd`` on random stacks, in float64 (optional: torch).

Every case compares the loss, every parameter's gradient and the input's gradient to 1e-6
relative (each array against its largest torch value, at least 1e-8); the cases together must cover stride,
padding, dilation, groups, every pooling and its options (``stacks.REQUIRED``).
"""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from convviz import learn  # noqa: E402  (after the skip)
from convviz.nets import layers as L  # noqa: E402
from tests.convviz.learn.stacks import REQUIRED, features_of, random_stack  # noqa: E402
from tests.convviz.learn.torch_nets import torch_model  # noqa: E402

pytestmark = pytest.mark.torch

RTOL = 1e-6
CASES = 120
MIN_COMPARED = 110  # cases whose every array was compared (the others: -inf from torch and from us)


def _close(ours, theirs, what):
    theirs = np.asarray(theirs)
    assert ours.shape == theirs.shape, what
    # relative to the largest value; a gradient that is 0 in exact arithmetic (a bias before a training-mode
    # BatchNorm2d) is rounding noise on both sides, compared against 1e-8 instead
    scale = max(float(np.abs(theirs).max(initial=0.0)), 1e-8)
    err = float(np.abs(ours - theirs).max(initial=0.0)) / scale
    assert err <= RTOL, (what, err)


def _torch_loss_and_grads(stack, params, x, y, *, train, buffers=None):
    model = torch_model(stack, params, buffers)
    model.train(train)
    xt = torch.tensor(x, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(model(xt), torch.tensor(y))
    loss.backward()
    return (loss.item(), [p.grad.numpy() for p in model.parameters()], xt.grad.numpy(),
            [b.numpy() for b in model.buffers()])


def _compare(stack, shape, rng, *, train, n=None, with_buffers=False):
    n = n or int(rng.integers(2, 6))
    x = rng.normal(size=(n, *shape))
    y = rng.integers(0, 4, n)
    params = learn.init_params(stack, shape, seed=int(rng.integers(0, 1000)))
    buffers = None
    if with_buffers:  # non-trivial running statistics
        buffers = [b + rng.uniform(0.1, 0.5, b.shape) if b.dtype.kind == "f" else b
                   for b in learn.init_buffers(stack, shape)]
    theirs = _torch_loss_and_grads(stack, params, x, y, train=train, buffers=buffers)
    ours_buffers = None if buffers is None else [b.copy() for b in buffers]
    with np.errstate(invalid="ignore"):
        loss, grads, grad_x = learn.loss_and_grads(stack, params, x, y, train=train, buffers=ours_buffers)
    if not np.isfinite(theirs[0]):  # a dilated max-pooling window that sees only padding: -inf in both
        assert not np.isfinite(loss)
        return False
    assert abs(loss - theirs[0]) <= RTOL * abs(theirs[0])
    assert len(grads) == len(theirs[1])
    for i, (g, t) in enumerate(zip(grads, theirs[1])):
        _close(g, t, f"grad {i}")
    _close(grad_x, theirs[2], "grad_x")
    if ours_buffers is not None:  # a training pass moves the running statistics as torch moves them
        for i, (b, t) in enumerate(zip(ours_buffers, theirs[3])):
            _close(np.asarray(b, dtype=float), t.astype(float), f"buffer {i}")
    return True


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
def test_random_stacks_match_torch_autograd():
    rng = np.random.default_rng(2025)
    compared, covered = 0, set()
    for case in range(CASES):
        stack, shape = random_stack(rng)
        train = bool(case % 2)  # BatchNorm2d on batch statistics, or on running ones
        if _compare(stack, shape, rng, train=train, with_buffers=True):
            compared += 1
            covered |= features_of(stack)
    assert compared >= MIN_COMPARED
    assert REQUIRED <= covered, REQUIRED - covered


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_dropout_without_randomness_matches_torch_in_training_mode(p):
    rng = np.random.default_rng(1)
    stack = [L.Conv2d(2, 3, 3), L.Dropout(p), L.ReLU(), L.Flatten(), L.Linear(3 * 4 * 4, 4)]
    assert _compare(stack, (2, 6, 6), rng, train=True)


def test_dropout_is_the_identity_in_evaluation_mode():
    rng = np.random.default_rng(2)
    stack = [L.Flatten(), L.Dropout(0.5), L.Linear(18, 4)]
    assert _compare(stack, (2, 3, 3), rng, train=False)


def test_batchnorm_with_cumulative_momentum_and_a_flat_input_layer():
    rng = np.random.default_rng(3)
    stack = [L.BatchNorm2d(2, momentum=None), L.Tanh(), L.Flatten(), L.Linear(18, 4)]
    assert _compare(stack, (2, 3, 3), rng, train=True, with_buffers=True)
    flat = [L.Linear(6, 5), L.ReLU(), L.Unflatten(1, (5, 1, 1)), L.Flatten(), L.Linear(5, 4)]
    x = rng.normal(size=(3, 6))
    params = learn.init_params(flat, (6,), seed=0)
    loss, grads, grad_x = learn.loss_and_grads(flat, params, x, [0, 1, 3])
    t_loss, t_grads, t_grad_x, _ = _torch_loss_and_grads(flat, params, x, np.array([0, 1, 3]), train=True)
    assert abs(loss - t_loss) <= RTOL * t_loss
    for g, t in zip(grads + [grad_x], t_grads + [t_grad_x]):
        _close(g, t, "flat")


def test_the_default_experiments_networks_match_torch():
    rng = np.random.default_rng(4)
    for net in learn.EXPERIMENTS["shifted"].networks:
        assert _compare(list(net.layers), (1, 16, 16), rng, train=True, n=8)
