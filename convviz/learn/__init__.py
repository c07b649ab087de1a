"""Training small networks in pure numpy: the layer specs of :mod:`convviz.nets.layers`, learning.

Forward and backward passes for the layers the app names (``Conv2d`` with stride, padding,
dilation and groups; ``MaxPool2d``, ``AvgPool2d``, ``AdaptiveAvgPool2d``, ``ReLU``, ``ReLU6``,
``Tanh``, ``Flatten``, ``Unflatten``, ``Linear``, ``Dropout``, ``BatchNorm2d``), checked against
``torch.autograd`` in the tests; Adam and SGD as torch runs them; the UCI handwritten digits
shipped with the app; ready experiments.

* :func:`init_params`, :func:`loss_and_grads`, :func:`predict`, :func:`activations`: one network,
  parameters as torch's ``model.parameters()`` (order and layout);
* :func:`train`: minibatch training, deterministic per seed, with a history per epoch;
* :func:`load_digits`, :func:`digits_data`, :func:`shifted_digits`, :func:`centred_digits`: the data;
* :func:`compare_results`, :func:`first_conv_kernels`: what a page shows of finished runs (:mod:`.report`);
* :func:`digit_from_drawing`, :func:`digit_from_photo`, :func:`network_input`: a drawn or photographed
  digit made to look like the training digits (:mod:`.drawing`); :func:`inspect_image`: a trained
  network's answer for it and every layer's output drawn (:mod:`.inspection`);
* :data:`EXPERIMENTS`: ready comparisons, the default being a small conv net against a dense net
  on shifted digits;
* :class:`TrainingService`, :class:`TrainRequest`, :class:`Job`, :func:`default_service`: training for a
  whole class at once, on worker processes, identical requests trained once, progress streamed,
  every request bounded (:mod:`.jobs`); :func:`training_cost`: the estimate the bounds use (:mod:`.cost`).

Where the numbers come from: ``docs/BENCHMARKS.md`` ("Learn") for accuracy and speed.

>>> from convviz import learn
>>> from convviz.nets.layers import Flatten, Linear
>>> data = learn.digits_data("centred", n_train=100, seed=0)
>>> result = learn.train([Flatten(), Linear(256, 10)], data, epochs=2, batch_size=50, lr=0.01, seed=0)
>>> [r.epoch for r in result.history], result.param_count
([1, 2], 2570)
"""
from . import (
    base,
    batchnorm,
    conv,
    cost,
    dense,
    digits,
    drawing,
    experiments,
    inspection,
    jobs,
    loss,
    network,
    optim,
    pointwise,
    pooling,
    report,
    training,
)
from .base import *  # noqa: F403 - the module's __all__, re-exported
from .batchnorm import *  # noqa: F403 - the module's __all__, re-exported
from .conv import *  # noqa: F403 - the module's __all__, re-exported
from .cost import *  # noqa: F403 - the module's __all__, re-exported
from .dense import *  # noqa: F403 - the module's __all__, re-exported
from .digits import *  # noqa: F403 - the module's __all__, re-exported
from .drawing import *  # noqa: F403 - the module's __all__, re-exported
from .experiments import *  # noqa: F403 - the module's __all__, re-exported
from .inspection import *  # noqa: F403 - the module's __all__, re-exported
from .jobs import *  # noqa: F403 - the module's __all__, re-exported
from .loss import *  # noqa: F403 - the module's __all__, re-exported
from .network import *  # noqa: F403 - the module's __all__, re-exported
from .optim import *  # noqa: F403 - the module's __all__, re-exported
from .pointwise import *  # noqa: F403 - the module's __all__, re-exported
from .pooling import *  # noqa: F403 - the module's __all__, re-exported
from .report import *  # noqa: F403 - the module's __all__, re-exported
from .training import *  # noqa: F403 - the module's __all__, re-exported

__all__ = [
    *base.__all__,
    *batchnorm.__all__,
    *conv.__all__,
    *cost.__all__,
    *dense.__all__,
    *digits.__all__,
    *drawing.__all__,
    *experiments.__all__,
    *inspection.__all__,
    *jobs.__all__,
    *loss.__all__,
    *network.__all__,
    *optim.__all__,
    *pointwise.__all__,
    *pooling.__all__,
    *report.__all__,
    *training.__all__,
]
