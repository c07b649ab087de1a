"""Training a network on a :class:`~.digits.Dataset` with minibatches, Adam or SGD: deterministic per seed.

One epoch shuffles the training images (seeded), takes a step per minibatch (the last one may be
smaller, as torch's ``DataLoader`` with ``drop_last=False``), then evaluates the network in
evaluation mode on every training and test image. The history holds those numbers per epoch.

>>> from convviz.nets.layers import Flatten, Linear
>>> from convviz.learn.digits import digits_data
>>> data = digits_data("centred", n_train=200, seed=0)
>>> result = train([Flatten(), Linear(256, 10)], data, epochs=3, batch_size=32, lr=0.01, seed=0)
>>> len(result.history), result.history[-1].epoch, result.final.train_accuracy > 0.5
(3, 3, True)
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..checks import check_choice, check_float, check_int
from ..errors import TrainingError
from .base import Pass
from .loss import cross_entropy
from .network import Network, check_labels, check_scores
from .optim import OPTIMIZERS

__all__ = ["MAX_EPOCHS", "MAX_BATCH", "MAX_LR", "DTYPES", "StopTraining", "TrainSettings", "EpochRecord",
           "TrainResult", "train", "evaluate"]

#: Limits of the settings (beyond them training is pointless on this data, or a typo).
MAX_EPOCHS = 1000
MAX_BATCH = 4096
MAX_LR = 10.0
#: Number types training runs in: float32 (torch's default, about twice as fast) or float64.
DTYPES = ("float32", "float64")


class StopTraining(Exception):
    """Raise from an ``on_epoch`` callback to end training after that epoch (the result says ``stopped``)."""


@dataclass(frozen=True)
class TrainSettings:
    """The settings a run was trained with (checked)."""

    epochs: int
    batch_size: int
    lr: float
    optimizer: str
    seed: int
    dtype: str


@dataclass(frozen=True)
class EpochRecord:
    """What one epoch achieved: losses and accuracies (fractions 0..1) on the training and test images.

    Measured after the epoch, in evaluation mode (Dropout off, BatchNorm2d on its running
    statistics). ``batch_loss`` is the mean loss of the epoch's minibatches while training (what a
    torch loop usually prints). ``seconds`` is the wall time since training started (not part of
    equality: two runs with one seed give equal records).
    """

    epoch: int
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float
    batch_loss: float
    seconds: float = field(default=0.0, compare=False)

    @property
    def gap(self) -> float:
        """Training minus test accuracy: how much the network overfits."""
        return self.train_accuracy - self.test_accuracy


@dataclass(frozen=True, eq=False)
class TrainResult:
    """A finished run: the trained parameters and the history.

    ``initial_params`` are the parameters before the first step (to show kernels before and after
    training); ``buffers`` are the BatchNorm2d running statistics; ``stopped`` is True when the
    ``on_epoch`` callback ended training early.
    """

    layers: tuple[Any, ...]
    input_shape: tuple[int, ...]
    settings: TrainSettings
    params: list[np.ndarray]
    buffers: list[np.ndarray]
    initial_params: list[np.ndarray]
    history: tuple[EpochRecord, ...]
    param_count: int
    stopped: bool = False

    @property
    def final(self) -> EpochRecord | None:
        """The last epoch's record (None when no epoch finished)."""
        return self.history[-1] if self.history else None


def _check_data(data: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    try:
        parts = [data.x_train, data.y_train, data.x_test, data.y_test]
        classes = check_int(getattr(data, "classes", 10), "classes", minimum=2, error=TrainingError)
    except AttributeError:
        raise TrainingError(f"data must have x_train, y_train, x_test and y_test (a convviz.learn.Dataset), "
                            f"got {type(data).__name__}", "learn_data", param="data",
                            shape=type(data).__name__) from None
    out = []
    for param, x, y in (("x_train", parts[0], parts[1]), ("x_test", parts[2], parts[3])):
        arr = np.asarray(x)
        if arr.ndim >= 1 and arr.shape[0] == 0:
            raise TrainingError(f"{param} has no images", "learn_no_images", param=param)
        if arr.ndim not in (2, 4) or arr.dtype.kind not in "fiub" or 0 in arr.shape \
                or not bool(np.all(np.isfinite(arr))):
            raise TrainingError(f"{param} must be a finite (N, C, H, W) array of numbers, got "
                                f"{arr.dtype} {arr.shape}", "learn_data", param=param, shape=str(arr.shape))
        out += [arr, check_labels(y, arr.shape[0], classes, error=TrainingError)]
    if out[0].shape[1:] != out[2].shape[1:]:
        raise TrainingError(f"x_test must have the training images' shape {out[0].shape[1:]}, got "
                            f"{out[2].shape[1:]}", "learn_data", param="x_test", shape=str(out[2].shape))
    return out[0], out[1], out[2], out[3], classes


def evaluate(net: Network, params: list[np.ndarray], buffers: list[np.ndarray], x: np.ndarray, y: np.ndarray
             ) -> tuple[float, float]:
    """Mean loss and accuracy (fraction correct) of the network on ``(x, y)``, in evaluation mode."""
    scores = net.scores(params, x, buffers=buffers)
    loss, _ = cross_entropy(scores, y)
    return loss, float(np.mean(scores.argmax(axis=1) == y))


def _diverged(epoch: int, loss: float, lr: float, history: list[EpochRecord]) -> TrainingError:
    err = TrainingError(f"training diverged in epoch {epoch}: the loss became {loss} (not a finite number); "
                        f"try a smaller learning rate than {lr}", "learn_diverged", epoch=epoch, loss=str(loss), lr=lr)
    err.history = tuple(history)  # type: ignore[attr-defined]  # the epochs that finished, for a page
    return err


def train(stack: Iterable[Any], data: Any, *, epochs: int, batch_size: int, lr: float, optimizer: str = "adam",
          seed: int, on_epoch: Callable[[EpochRecord], Any] | None = None, dtype: str = "float32") -> TrainResult:
    """Train ``stack`` on ``data`` from torch's default initialisation; deterministic for a seed.

    Parameters
    ----------
    stack : iterable of convviz.nets.layers.Layer
        Ending in ``data.classes`` scores (``Linear(..., 10)`` for the digits).
    data : Dataset
        ``x_train``, ``y_train``, ``x_test``, ``y_test`` (and ``classes``, default 10).
    epochs : int
        1 to :data:`MAX_EPOCHS`.
    batch_size : int
        Images per step, 1 to :data:`MAX_BATCH`.
    lr : float
        Learning rate, above 0 and at most :data:`MAX_LR`.
    optimizer : {"adam", "sgd"}
        ``torch.optim.Adam`` (betas 0.9 / 0.999, eps 1e-8) or ``torch.optim.SGD`` (no momentum).
    seed : int
        Seeds the initial parameters (:func:`~.network.init_params` with this seed gives them), the
        shuffling and the Dropout masks.
    on_epoch : callable, optional
        Called with each :class:`EpochRecord` as soon as the epoch is measured; returning ``False``
        or raising :class:`StopTraining` ends training there (``stopped`` is then True). Any other
        exception propagates.
    dtype : {"float32", "float64"}, default "float32"
        The number type of the arithmetic (torch trains in float32 by default; float32 is about
        twice as fast here). The gradient tests use float64.

    Returns
    -------
    TrainResult

    Raises
    ------
    TrainingError
        Settings out of range (``not_int``, ``too_small``, ``out_of_range``, ``not_float``,
        ``not_positive``, ``bad_choice``), data without images (``learn_no_images``) or not an image
        array (``learn_data``), labels out of range (``learn_labels``), or a loss that became
        infinite or NaN (``learn_diverged``: never a NaN accuracy; ``err.history`` holds the epochs
        that finished).
    LayerError
        A stack that does not fit the images (codes of :func:`convviz.summarize`, e.g. one that
        shrinks below 1 x 1), an unsupported layer (``learn_unsupported``), or an output that is not
        one score per class (``learn_classes``).
    """
    settings = TrainSettings(
        epochs=check_int(epochs, "epochs", minimum=1, maximum=MAX_EPOCHS, error=TrainingError),
        batch_size=check_int(batch_size, "batch_size", minimum=1, maximum=MAX_BATCH, error=TrainingError),
        lr=check_float(lr, "lr", positive=True, maximum=MAX_LR, error=TrainingError),
        optimizer=check_choice(optimizer, "optimizer", tuple(OPTIMIZERS), error=TrainingError),
        seed=check_int(seed, "seed", minimum=0, error=TrainingError),
        dtype=check_choice(dtype, "dtype", DTYPES, error=TrainingError))
    x_train, y_train, x_test, y_test, classes = _check_data(data)
    stack = tuple(stack)
    net = Network(stack, x_train.shape[1:])
    check_scores(net, classes)
    np_dtype = np.dtype(settings.dtype)
    x_train, x_test = x_train.astype(np_dtype, copy=False), x_test.astype(np_dtype, copy=False)
    initial = net.init_params(seed=settings.seed, dtype=np_dtype)
    # every parameter a view of one flat array: the optimizer updates them all with a few whole-array
    # operations per step instead of a few per parameter (the same arithmetic, value by value)
    flat = np.concatenate([p.ravel() for p in initial])
    params = _views(flat, [p.shape for p in initial])
    buffers = net.init_buffers(np_dtype)
    opt = OPTIMIZERS[settings.optimizer]([flat], lr=settings.lr)
    shuffle_rng = np.random.default_rng([settings.seed, 1])
    ctx = Pass(train=True, rng=np.random.default_rng([settings.seed, 2]))
    history: list[EpochRecord] = []
    stopped = False
    start = time.perf_counter()
    for epoch in range(1, settings.epochs + 1):
        # overflow is expected when training diverges: it is detected and reported, not warned about
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            batch_loss = _steps(net, params, buffers, opt, ctx, shuffle_rng.permutation(len(x_train)),
                                x_train, y_train, settings.batch_size)
            train_loss, train_acc = evaluate(net, params, buffers, x_train, y_train)
            test_loss, test_acc = evaluate(net, params, buffers, x_test, y_test)
        bad = [v for v in (batch_loss, train_loss, test_loss) if not math.isfinite(v)]
        if bad:
            raise _diverged(epoch, bad[0], settings.lr, history)
        record = EpochRecord(epoch, train_loss, train_acc, test_loss, test_acc, batch_loss,
                             seconds=time.perf_counter() - start)
        history.append(record)
        if on_epoch is not None:
            try:
                stopped = on_epoch(record) is False
            except StopTraining:
                stopped = True
            if stopped:
                break
    return TrainResult(layers=stack, input_shape=tuple(x_train.shape[1:]), settings=settings,
                       params=[p.copy() for p in params],
                       buffers=buffers, initial_params=initial, history=tuple(history), param_count=net.params,
                       stopped=stopped)


def _views(flat: np.ndarray, shapes: list[tuple[int, ...]]) -> list[np.ndarray]:
    """``flat`` cut into arrays of ``shapes`` (views: writing to them writes to ``flat``)."""
    out, at = [], 0
    for shape in shapes:
        size = math.prod(shape)
        out.append(flat[at:at + size].reshape(shape))
        at += size
    return out


def _steps(net: Network, params: list[np.ndarray], buffers: list[np.ndarray], opt: Any, ctx: Pass,
           order: np.ndarray, x: np.ndarray, y: np.ndarray, batch_size: int) -> float:
    """One pass over the training images in ``order``: the mean minibatch loss (non-finite: stop at once)."""
    losses = []
    for first in range(0, len(order), batch_size):
        idx = order[first:first + batch_size]
        loss, grads, _ = net.loss_and_grads(params, x[idx], y[idx], ctx=ctx, buffers=buffers, need_dx=False)
        if not math.isfinite(loss):
            return loss
        opt.step([np.concatenate([g.ravel() for g in grads])])  # the optimizer holds the one flat array
        losses.append(loss)
    return float(np.mean(losses))
