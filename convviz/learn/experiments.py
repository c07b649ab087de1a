"""Ready comparisons: two networks, the data they learn from and how they are trained.

The default, ``"shifted"``, is the course notes' claim made visible: a small convolutional net
(6,218 parameters) against a dense net with almost 7 times as many (41,802), on handwritten digits
placed at random on a 16 x 16 canvas. The dense net learns its training images by heart and does
poorly on new ones; the conv net, whose kernels are shared across positions, generalises.

How the networks were chosen (``docs/BENCHMARKS.md``, section 7, "Learn"):
both come from issue 25's outside experiment (3 conv layers of 8, 16, 32 kernels 3 x 3 with
max pooling, then a Linear(32, 10); a dense net 256-128-64-10), trained with its settings (Adam,
learning rate 1e-3, 30 epochs; batch size 32 chosen a priori). The issue did not say how the conv
net's last 4 x 4 maps become 32 numbers; global average pooling (``AdaptiveAvgPool2d(1)``) and
global max pooling (``MaxPool2d(4)``, the same on 4 x 4 maps, same parameter count) were
compared on a validation split of the training images (800 / 200, 5 seeds:
``bench/learn.py --validate``): 55.9 % against 77.5 % validation accuracy, so max pooling it is
(exploratory runs had printed test accuracies before: BENCHMARKS says which).

>>> exp = EXPERIMENTS["shifted"]
>>> exp.name, [n.key for n in exp.networks], [n.params(exp.input_shape) for n in exp.networks]
('Conv vs dense on shifted digits', ['conv', 'dense'], [6218, 41802])
>>> DEFAULT_EXPERIMENT
'shifted'
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..checks import check_int
from ..errors import TrainingError
from ..nets import layers
from ..nets.summary import summarize
from .digits import Dataset, digits_data
from .training import EpochRecord, TrainResult, train

__all__ = ["Contender", "Experiment", "EXPERIMENTS", "DEFAULT_EXPERIMENT", "MAX_HIDDEN_LAYERS", "MAX_WIDTH",
           "conv_net", "dense_net", "parse_widths"]

#: Limits of a dense net typed by a student (:func:`parse_widths`): hidden layers and their width.
MAX_HIDDEN_LAYERS = 4
MAX_WIDTH = 2048


def conv_net() -> tuple[layers.Layer, ...]:
    """The small conv net: 6,218 parameters, for 1 x 16 x 16 images.

    Three 3 x 3 conv layers (8, 16, 32 kernels, each followed by ReLU), max pooling 2 x 2 after
    the first two, global max pooling (``MaxPool2d(4)`` on the 4 x 4 maps), then Linear(32, 10).
    """
    return (layers.Conv2d(1, 8, 3, padding=1), layers.ReLU(), layers.MaxPool2d(2),
            layers.Conv2d(8, 16, 3, padding=1), layers.ReLU(), layers.MaxPool2d(2),
            layers.Conv2d(16, 32, 3, padding=1), layers.ReLU(), layers.MaxPool2d(4),
            layers.Flatten(), layers.Linear(32, 10))


def dense_net(hidden: tuple[int, ...] = (128, 64), *, inputs: int = 256) -> tuple[layers.Layer, ...]:
    """Flatten, then Linear + ReLU per hidden width, then Linear(..., 10): 41,802 parameters by default.

    >>> [type(layer).__name__ for layer in dense_net((32,), inputs=64)]
    ['Flatten', 'Linear', 'ReLU', 'Linear']
    """
    stack: list[layers.Layer] = [layers.Flatten()]
    width = inputs
    for h in hidden:
        stack += [layers.Linear(width, h), layers.ReLU()]
        width = h
    return tuple(stack + [layers.Linear(width, 10)])


def parse_widths(text: str, *, param: str = "hidden") -> tuple[int, ...]:
    """Hidden layer widths typed as ``"128, 64"`` (commas or spaces): each 1 to :data:`MAX_WIDTH`, at most
    :data:`MAX_HIDDEN_LAYERS` of them; ``""`` is no hidden layer (a linear classifier).

    Raises :class:`~convviz.errors.TrainingError` ``not_int`` (a word or a fraction, quoted),
    ``out_of_range`` (a width, or too many layers) naming ``param``.

    >>> parse_widths("512, 256"), parse_widths(" 64 "), parse_widths("")
    ((512, 256), (64,), ())
    >>> parse_widths("128, lots")
    Traceback (most recent call last):
    ...
    convviz.errors.TrainingError: hidden must be a whole number, got 'lots'
    """
    tokens = str(text).replace(",", " ").split()
    if len(tokens) > MAX_HIDDEN_LAYERS:
        raise TrainingError(f"{param}: at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(tokens)}", "out_of_range",
                            param=param, value=len(tokens), minimum=0, maximum=MAX_HIDDEN_LAYERS)
    widths = []
    for token in tokens[:MAX_HIDDEN_LAYERS]:
        if not (token.isascii() and token.isdigit()):
            raise TrainingError(f"{param} must be a whole number, got {token[:20]!r}", "not_int", param=param,
                                value=token[:20])
        value = int(token[:12])  # more digits are out of range anyway (and int() of thousands is refused)
        widths.append(check_int(value, param, minimum=1, maximum=MAX_WIDTH, error=TrainingError))
    return tuple(widths)


@dataclass(frozen=True)
class Contender:
    """One network of an experiment: ``key`` (``"conv"``, ``"dense"``), an English ``name`` and its layers."""

    key: str
    name: str
    layers: tuple[layers.Layer, ...]

    def params(self, input_shape: tuple[int, ...]) -> int:
        """Learnable parameters (what the Parameter counts page counts for the same layers)."""
        return summarize(self.layers, input_shape).total_params


@dataclass(frozen=True)
class Experiment:
    """A ready comparison: two networks, the data settings and the training settings.

    ``name_key`` / ``description_key`` are keys of ``locales/<lang>/learn.toml`` (the page's words);
    ``name`` is the English name. The data are :func:`~.digits.digits_data` with ``placement``,
    ``n_train`` and ``canvas``; every run's seed seeds the data (split and positions) and training.
    """

    key: str
    name: str
    name_key: str
    description_key: str
    networks: tuple[Contender, Contender]
    placement: str = "shifted"
    n_train: int = 1000
    canvas: int = 16
    epochs: int = 30
    batch_size: int = 32
    lr: float = 1e-3
    optimizer: str = "adam"

    @property
    def input_shape(self) -> tuple[int, int, int]:
        return (1, self.canvas, self.canvas)

    def dense_hidden(self) -> tuple[int, ...]:
        """The hidden widths of the experiment's dense net (its ``Linear`` layers' outputs but the last).

        >>> EXPERIMENTS["bigger_dense"].dense_hidden()
        (512, 256)
        """
        dense = next(net for net in self.networks if net.key == "dense")
        return tuple(layer.out_features for layer in dense.layers if isinstance(layer, layers.Linear))[:-1]

    def dense_with(self, hidden: tuple[int, ...]) -> tuple[layers.Layer, ...]:
        """A dense net for this experiment's images with the given hidden widths (:func:`dense_net`)."""
        return dense_net(tuple(hidden), inputs=self.canvas * self.canvas)

    def data(self, seed: int) -> Dataset:
        """The experiment's images for ``seed``."""
        return digits_data(self.placement, n_train=self.n_train, canvas=self.canvas, seed=seed)

    def train_settings(self) -> dict[str, Any]:
        """Keyword arguments of :func:`~.train.train` (without the seed)."""
        return {"epochs": self.epochs, "batch_size": self.batch_size, "lr": self.lr, "optimizer": self.optimizer}

    def run(self, seed: int, *, on_epoch: Callable[[str, EpochRecord], Any] | None = None,
            dtype: str = "float32", data: Dataset | None = None) -> dict[str, TrainResult]:
        """Train both networks on the same data with the same seed: ``{key: TrainResult}``.

        ``on_epoch(key, record)`` is called after every epoch of each network (the first
        network's epochs first); its return value is passed on as :func:`~.train.train`'s.
        """
        data = self.data(seed) if data is None else data
        results = {}
        for net in self.networks:
            callback = None if on_epoch is None else (lambda record, _key=net.key: on_epoch(_key, record))
            results[net.key] = train(net.layers, data, seed=seed, on_epoch=callback, dtype=dtype,
                                     **self.train_settings())
        return results


_CONV = Contender("conv", "Small conv net", conv_net())
_DENSE = Contender("dense", "Dense net", dense_net())
_BIG_DENSE = Contender("dense", "Bigger dense net", dense_net((512, 256)))

#: The ready comparisons by key, the default first.
EXPERIMENTS: dict[str, Experiment] = {
    e.key: e for e in (
        Experiment("shifted", "Conv vs dense on shifted digits", "learn.experiment_shifted",
                   "learn.experiment_shifted_about", (_CONV, _DENSE)),
        Experiment("centred", "Conv vs dense on centred digits", "learn.experiment_centred",
                   "learn.experiment_centred_about", (_CONV, _DENSE), placement="centred"),
        Experiment("bigger_dense", "Conv vs a bigger dense net on shifted digits", "learn.experiment_bigger_dense",
                   "learn.experiment_bigger_dense_about", (_CONV, _BIG_DENSE)),
    )
}
#: The experiment a page opens with.
DEFAULT_EXPERIMENT = "shifted"
