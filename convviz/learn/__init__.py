"""Training small networks in pure numpy: the layer specs of :mod:`convviz.layers`, learning.

Forward and backward passes for the layers the app names (``Conv2d`` with stride, padding,
dilation and groups; ``MaxPool2d``, ``AvgPool2d``, ``AdaptiveAvgPool2d``, ``ReLU``, ``ReLU6``,
``Tanh``, ``Flatten``, ``Unflatten``, ``Linear``, ``Dropout``, ``BatchNorm2d``), checked against
``torch.autograd`` in the tests; Adam and SGD as torch runs them; the UCI handwritten digits
shipped with the app; ready experiments.

* :func:`init_params`, :func:`loss_and_grads`, :func:`predict`, :func:`activations`: one network,
  parameters as torch's ``model.parameters()`` (order and layout);
* :func:`train`: minibatch training, deterministic per seed, with a history per epoch;
* :func:`load_digits`, :func:`digits_data`, :func:`shifted_digits`, :func:`centred_digits`: the data;
* :data:`EXPERIMENTS`: ready comparisons, the default being a small conv net against a dense net
  on shifted digits;
* :class:`TrainingService`, :class:`TrainRequest`, :class:`Job`, :func:`default_service`: training for a
  whole class at once, on worker processes, identical requests trained once, progress streamed,
  every request bounded (:mod:`.jobs`); :func:`training_cost`: the estimate the bounds use (:mod:`.cost`).

Where the numbers come from: ``docs/BENCHMARKS.md`` ("Learn") for accuracy and speed.

>>> from convviz import learn
>>> from convviz.layers import Flatten, Linear
>>> data = learn.digits_data("centred", n_train=100, seed=0)
>>> result = learn.train([Flatten(), Linear(256, 10)], data, epochs=2, batch_size=50, lr=0.01, seed=0)
>>> [r.epoch for r in result.history], result.param_count
([1, 2], 2570)
"""
from .cost import Cost, training_cost
from .digits import (
                     DIGIT_COUNT,
                     PLACEMENTS,
                     Dataset,
                     centred_digits,
                     digits_data,
                     load_digits,
                     shifted_digits,
                     split,
                     validation_split,
)
from .experiments import (
                     DEFAULT_EXPERIMENT,
                     EXPERIMENTS,
                     Contender,
                     Experiment,
                     conv_net,
                     dense_net,
)
from .jobs import Job, RunSpec, TrainingService, TrainRequest, default_service
from .loss import cross_entropy, softmax
from .network import (
                     SUPPORTED,
                     Network,
                     activations,
                     init_buffers,
                     init_params,
                     loss_and_grads,
                     predict,
)
from .optim import OPTIMIZERS, SGD, Adam
from .train import (
                     DTYPES,
                     MAX_BATCH,
                     MAX_EPOCHS,
                     MAX_LR,
                     EpochRecord,
                     StopTraining,
                     TrainResult,
                     TrainSettings,
                     evaluate,
                     train,
)

__all__ = [
    # one network
    "SUPPORTED", "Network", "init_params", "init_buffers", "loss_and_grads", "predict", "activations",
    "softmax", "cross_entropy",
    # training
    "train", "evaluate", "TrainResult", "TrainSettings", "EpochRecord", "StopTraining", "Adam", "SGD",
    "OPTIMIZERS", "DTYPES", "MAX_EPOCHS", "MAX_BATCH", "MAX_LR",
    # data
    "Dataset", "load_digits", "shifted_digits", "centred_digits", "digits_data", "split", "validation_split",
    "DIGIT_COUNT", "PLACEMENTS",
    # experiments
    "Experiment", "Contender", "EXPERIMENTS", "DEFAULT_EXPERIMENT", "conv_net", "dense_net",
    # a class at once
    "TrainingService", "TrainRequest", "RunSpec", "Job", "default_service", "Cost", "training_cost",
]
