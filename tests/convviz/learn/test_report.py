"""convviz.learn.report: what the Learn page shows of finished runs, from the runs' own numbers."""
from __future__ import annotations

import numpy as np
import pytest

from convviz import TrainingError
from convviz.learn import (
    NEAR_CHANCE,
    OVERFIT_AT,
    SAME,
    SAME_WITHIN,
    EpochRecord,
    TrainResult,
    TrainSettings,
    compare_results,
    first_conv_kernels,
)


def result(train: float, test: float, *, params: int = 100, epochs: int = 3, seconds: float = 1.5) -> TrainResult:
    history = tuple(EpochRecord(epoch=e, train_loss=1.0, train_accuracy=train, test_loss=1.0, test_accuracy=test,
                                batch_loss=1.0, seconds=seconds) for e in range(1, epochs + 1))
    settings = TrainSettings(epochs=epochs, batch_size=32, lr=1e-3, optimizer="adam", seed=0, dtype="float32")
    return TrainResult(layers=(), input_shape=(1, 16, 16), settings=settings, params=[], buffers=[],
                       initial_params=[], history=history, param_count=params)


def test_the_better_network_is_the_one_with_the_higher_final_test_accuracy():
    c = compare_results({"conv": result(0.95, 0.90, params=6218), "dense": result(1.0, 0.55, params=41802)})
    assert c.better == "conv" and c.margin_points == 35.0
    assert c.overfits == "dense" and c.overfit_points == 45.0
    assert c.outcomes["conv"].params == 6218 and c.outcomes["dense"].gap_points == 45.0
    assert c.outcomes["dense"].seconds == 1.5 and c.outcomes["dense"].epochs == 3
    assert c.near_chance == ()


def test_close_test_accuracies_are_about_the_same():
    c = compare_results({"conv": result(0.99, 0.97), "dense": result(0.99, 0.97 - SAME_WITHIN / 2)})
    assert c.better == SAME and c.overfits is None


def test_a_small_gap_is_not_called_overfitting():
    c = compare_results({"a": result(0.9, 0.9 - OVERFIT_AT / 2)})
    assert c.better == "a" and c.overfits is None and c.overfit_points == pytest.approx(100 * OVERFIT_AT / 2)


def test_a_network_near_chance_did_not_learn():
    c = compare_results({"conv": result(NEAR_CHANCE / 2, 0.1), "dense": result(0.9, 0.5)})
    assert c.near_chance == ("conv",)


def test_nothing_to_compare_is_a_coded_error_not_a_nan():
    with pytest.raises(TrainingError) as err:
        compare_results({})
    assert err.value.code == "learn_no_images"
    with pytest.raises(TrainingError):
        compare_results({"a": result(0.5, 0.5, epochs=0)})


def test_first_conv_kernels_are_the_first_4d_parameter():
    w = np.arange(2 * 3 * 3 * 3, dtype=np.float32).reshape(2, 3, 3, 3)
    params = [np.ones(4), np.zeros(4), w, np.zeros(2), np.zeros((10, 8))]  # a BatchNorm first, then a conv
    kernels = first_conv_kernels(params)
    assert kernels.dtype == np.float64 and kernels.shape == (2, 3, 3)
    np.testing.assert_array_equal(kernels, w[:, 0])
    assert first_conv_kernels([np.zeros((10, 256)), np.zeros(10)]) is None
