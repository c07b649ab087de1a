"""``convviz.learn.train``: deterministic per seed, a sensible history, stopping, and the bad inputs."""
import dataclasses
import math

import numpy as np
import pytest

from convviz import learn
from convviz.errors import ConvVizError, LayerError, TrainingError
from convviz.nets import layers as L

SMALL = learn.digits_data("shifted", n_train=150, seed=0)
SETTINGS = dict(epochs=3, batch_size=32, lr=3e-3, seed=4)


def _tiny_conv():
    return [L.Conv2d(1, 4, 3, padding=1), L.ReLU(), L.MaxPool2d(4), L.Flatten(), L.Linear(64, 10)]


def test_training_is_deterministic_for_a_seed_and_differs_between_seeds():
    a = learn.train(_tiny_conv(), SMALL, **SETTINGS)
    b = learn.train(_tiny_conv(), SMALL, **SETTINGS)
    assert a.history == b.history  # every loss and accuracy (wall-clock seconds aside)
    assert all(np.array_equal(p, q) for p, q in zip(a.params, b.params))
    c = learn.train(_tiny_conv(), SMALL, **{**SETTINGS, "seed": 5})
    assert a.history != c.history


def test_the_history_measures_every_epoch_and_the_network_learns():
    result = learn.train(learn.dense_net((32,)), learn.digits_data("centred", n_train=300, seed=1), epochs=8,
                         batch_size=25, lr=5e-3, seed=1)
    assert [r.epoch for r in result.history] == list(range(1, 9)) and not result.stopped
    for r in result.history:
        assert all(math.isfinite(v) for v in (r.train_loss, r.test_loss, r.batch_loss))
        assert 0 <= r.train_accuracy <= 1 and 0 <= r.test_accuracy <= 1
        assert r.gap == r.train_accuracy - r.test_accuracy
    first, last = result.history[0], result.final
    assert last.train_loss < first.train_loss and last.train_accuracy > 0.9 and last.test_accuracy > 0.8
    assert [r.seconds for r in result.history] == sorted(r.seconds for r in result.history)
    assert result.param_count == 256 * 32 + 32 + 32 * 10 + 10
    assert result.settings == learn.TrainSettings(8, 25, 5e-3, "adam", 1, "float32")


def test_the_initial_parameters_are_init_params_of_the_seed():
    result = learn.train(_tiny_conv(), SMALL, **{**SETTINGS, "epochs": 1, "dtype": "float64"})
    expected = learn.init_params(_tiny_conv(), (1, 16, 16), seed=SETTINGS["seed"])
    assert all(np.array_equal(p, q) for p, q in zip(result.initial_params, expected))
    assert not all(np.array_equal(p, q) for p, q in zip(result.params, expected))
    assert result.params[0].dtype == np.float64


def test_evaluation_matches_predict_on_the_trained_parameters():
    result = learn.train(_tiny_conv(), SMALL, **SETTINGS)
    probs = learn.predict(result.layers, result.params, SMALL.x_test.astype(np.float32), buffers=result.buffers)
    assert np.mean(probs.argmax(axis=1) == SMALL.y_test) == result.final.test_accuracy


def test_sgd_batchnorm_and_dropout_train():
    stack = [L.Conv2d(1, 4, 3, padding=1), L.BatchNorm2d(4), L.ReLU(), L.MaxPool2d(4), L.Flatten(),
             L.Dropout(0.3), L.Linear(64, 10)]
    a = learn.train(stack, SMALL, epochs=2, batch_size=16, lr=0.05, optimizer="sgd", seed=2)
    b = learn.train(stack, SMALL, epochs=2, batch_size=16, lr=0.05, optimizer="sgd", seed=2)
    assert a.history == b.history  # Dropout's masks are seeded too
    assert int(a.buffers[2]) == 2 * math.ceil(150 / 16)  # BatchNorm2d counted every training batch
    assert not np.allclose(a.buffers[0], 0)


def test_on_epoch_sees_every_record_and_can_stop_training():
    seen = []
    result = learn.train(_tiny_conv(), SMALL, **SETTINGS, on_epoch=seen.append)
    assert tuple(seen) == result.history
    stopped = learn.train(_tiny_conv(), SMALL, **SETTINGS, on_epoch=lambda r: r.epoch < 2)
    assert stopped.stopped and [r.epoch for r in stopped.history] == [1, 2]

    def stop(record):
        raise learn.StopTraining

    assert learn.train(_tiny_conv(), SMALL, **SETTINGS, on_epoch=stop).history == stopped.history[:1]
    with pytest.raises(ZeroDivisionError):  # other exceptions are the caller's
        learn.train(_tiny_conv(), SMALL, **SETTINGS, on_epoch=lambda r: 1 / 0)


def test_divergence_is_a_coded_error_never_a_nan_accuracy():
    # a deep linear net with plain SGD at a large rate: the weights grow until the loss is NaN
    stack = [L.Flatten(), L.Linear(256, 64), L.Linear(64, 64), L.Linear(64, 64), L.Linear(64, 10)]
    seen = []
    with pytest.raises(TrainingError) as info:
        learn.train(stack, SMALL, epochs=6, batch_size=16, lr=2.0, optimizer="sgd", seed=0, on_epoch=seen.append)
    err = info.value
    assert err.code == "learn_diverged" and err.params["lr"] == 2.0 and err.params["epoch"] == len(err.history) + 1
    assert tuple(seen) == err.history
    assert all(math.isfinite(r.train_accuracy) and math.isfinite(r.test_loss) for r in err.history)


def _data(**change):
    return dataclasses.replace(SMALL, **change)


BAD = [
    (dict(lr=1e9), "out_of_range", "lr"),
    (dict(lr=0.0), "not_positive", "lr"),
    (dict(lr=float("nan")), "not_float", "lr"),
    (dict(epochs=0), "out_of_range", "epochs"),
    (dict(batch_size=0), "out_of_range", "batch_size"),
    (dict(optimizer="rmsprop"), "bad_choice", "optimizer"),
    (dict(seed=-1), "too_small", "seed"),
    (dict(dtype="float16"), "bad_choice", "dtype"),
    (dict(data=_data(x_train=np.zeros((0, 1, 16, 16)), y_train=np.zeros(0, int))), "learn_no_images", "x_train"),
    (dict(data=_data(x_test=np.zeros((0, 1, 16, 16)), y_test=np.zeros(0, int))), "learn_no_images", "x_test"),
    (dict(data=_data(x_train=np.full((150, 1, 16, 16), np.nan))), "learn_data", "x_train"),
    (dict(data=_data(x_test=np.zeros((len(SMALL.x_test), 1, 8, 8)))), "learn_data", "x_test"),
    (dict(data="digits"), "learn_data", "data"),
    (dict(data=_data(y_train=SMALL.y_train + 1)), "learn_labels", None),
    (dict(data=_data(y_train=SMALL.y_train[:-1])), "learn_labels", None),
]


@pytest.mark.parametrize("change, code, param", BAD)
def test_bad_settings_and_data_are_coded_training_errors(change, code, param):
    kwargs = {**SETTINGS, "data": SMALL, **change}
    with pytest.raises(TrainingError) as info:
        learn.train(_tiny_conv(), **kwargs)
    assert info.value.code == code and info.value.params.get("param") == param, str(info.value)


def test_a_zero_image_training_set_cannot_even_be_made():
    with pytest.raises(TrainingError) as info:
        learn.digits_data(n_train=0)
    assert (info.value.code, info.value.params["param"]) == ("out_of_range", "n_train")


@pytest.mark.parametrize("stack, code", [
    ([L.Flatten(), L.Linear(256, 2)], "learn_classes"),                 # not 10 classes
    ([L.Conv2d(1, 10, 16)], "learn_classes"),                           # 10 numbers, but not flat
    ([L.Conv2d(1, 4, 5), L.MaxPool2d(4), L.Conv2d(4, 4, 5)], "kernel_too_large"),  # shrinks below 1 x 1
    ([L.Flatten(), L.Linear(100, 10)], "features"),
])
def test_networks_that_cannot_learn_the_digits_are_coded_layer_errors(stack, code):
    with pytest.raises(LayerError) as info:
        learn.train(stack, SMALL, **SETTINGS)
    assert info.value.code == code
    assert isinstance(info.value, ConvVizError)
