"""What a finished comparison says: which network did better on the test images, which one overfits, its kernels.

The Learn page writes these numbers; it works none of them out (``tests/test_purity.py``).

* :func:`compare_results`: per network its parameters, final training and test accuracy, the gap
  between them (in percentage points) and its training time; which network did better on the
  test images (``"same"`` within :data:`SAME_WITHIN`), and which one overfits the most
  (a gap of at least :data:`OVERFIT_AT`);
* :func:`first_conv_kernels`: the first conv layer's kernels, ``(n, kH, kW)``, from a parameter list.

>>> from convviz.nets.layers import Flatten, Linear
>>> from convviz.learn.digits import digits_data
>>> from convviz.learn.training import train
>>> data = digits_data("centred", n_train=100, seed=0)
>>> r = {"a": train([Flatten(), Linear(256, 10)], data, epochs=2, batch_size=50, lr=0.01, seed=0)}
>>> c = compare_results(r)
>>> c.better, c.outcomes["a"].params, c.outcomes["a"].epochs
('a', 2570, 2)
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import TrainingError
from .training import TrainResult

__all__ = ["SAME_WITHIN", "OVERFIT_AT", "NEAR_CHANCE", "SAME", "NetworkOutcome", "Comparison", "compare_results",
           "first_conv_kernels"]

#: Test accuracies closer than this (a fraction: 3 percentage points) are "about the same".
SAME_WITHIN = 0.03
#: A gap between training and test accuracy of at least this (10 points) is called overfitting.
OVERFIT_AT = 0.10
#: A training accuracy below this (twice chance on 10 digits) means the network did not learn
#: (a learning rate far too large or too small, too few epochs).
NEAR_CHANCE = 0.20
#: The answer "about the same" (the other answers are network keys).
SAME = "same"


@dataclass(frozen=True)
class NetworkOutcome:
    """One trained network's numbers: accuracies are fractions 0..1, ``gap_points`` percentage points."""

    key: str
    params: int
    epochs: int
    train_accuracy: float
    test_accuracy: float
    gap: float
    gap_points: float
    seconds: float

    @property
    def near_chance(self) -> bool:
        """True when the network did not learn its own training images (below :data:`NEAR_CHANCE`)."""
        return self.train_accuracy < NEAR_CHANCE


@dataclass(frozen=True)
class Comparison:
    """Networks side by side (see :func:`compare_results`).

    ``better`` is the key of the network with the higher final test accuracy, or :data:`SAME` when
    the two are within :data:`SAME_WITHIN`; ``margin_points`` is the difference in points.
    ``overfits`` is the key of the network with the largest train-test gap when that gap is at
    least :data:`OVERFIT_AT` (else None); ``overfit_points`` its gap in points.
    """

    outcomes: dict[str, NetworkOutcome]
    better: str
    margin_points: float
    overfits: str | None
    overfit_points: float

    @property
    def near_chance(self) -> tuple[str, ...]:
        """The networks that did not learn (:attr:`NetworkOutcome.near_chance`): their gap says nothing."""
        return tuple(key for key, o in self.outcomes.items() if o.near_chance)


def _points(fraction: float) -> float:
    return round(100.0 * fraction, 1)


def compare_results(results: Mapping[str, TrainResult]) -> Comparison:
    """The numbers a page shows about one or two finished runs (keys as in the request).

    Raises
    ------
    TrainingError
        ``learn_no_images`` when a run has no finished epoch (``param="history"``): there is no
        accuracy to show (never a NaN).

    >>> compare_results({})
    Traceback (most recent call last):
    ...
    convviz.errors.TrainingError: there are no results to compare
    """
    if not results:
        raise TrainingError("there are no results to compare", "learn_no_images", param="history")
    outcomes = {}
    for key, result in results.items():
        last = result.final
        if last is None:
            raise TrainingError(f"network {key!r} finished no epoch", "learn_no_images", param="history")
        outcomes[key] = NetworkOutcome(key=key, params=int(result.param_count), epochs=last.epoch,
                                       train_accuracy=last.train_accuracy, test_accuracy=last.test_accuracy,
                                       gap=last.gap, gap_points=_points(last.gap), seconds=last.seconds)
    ranked = sorted(outcomes.values(), key=lambda o: o.test_accuracy, reverse=True)
    margin = ranked[0].test_accuracy - ranked[-1].test_accuracy
    better = ranked[0].key if len(ranked) == 1 or margin >= SAME_WITHIN else SAME
    widest = max(outcomes.values(), key=lambda o: o.gap)
    overfits = widest.key if widest.gap >= OVERFIT_AT else None
    return Comparison(outcomes=outcomes, better=better, margin_points=_points(margin), overfits=overfits,
                      overfit_points=widest.gap_points)


def first_conv_kernels(params: Sequence[np.ndarray]) -> np.ndarray | None:
    """The first conv layer's kernels as ``(n, kH, kW)`` float64 (its first input channel), or None.

    A conv weight is the only 4-d parameter (``(C_out, C_in/groups, kH, kW)``; Linear weights are
    2-d, biases and BatchNorm's 1-d), so the first 4-d array of ``params`` is the first conv's.

    >>> w = [np.zeros((2, 1, 3, 3)), np.zeros(2), np.zeros((10, 8))]
    >>> first_conv_kernels(w).shape, first_conv_kernels(w[2:])
    ((2, 3, 3), None)
    """
    for p in params:
        arr = np.asarray(p)
        if arr.ndim == 4:
            return arr[:, 0].astype(np.float64)
    return None
