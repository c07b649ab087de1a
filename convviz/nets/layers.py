"""Layer specs named and parameterised like ``torch.nn``, with their shapes and parameter counts.

A spec is a frozen dataclass that knows, for an input shape without the batch axis
(``(C, H, W)`` for images, ``(F,)`` for a flat vector):

* ``output_shape(input_shape)`` -- raises :class:`~convviz.errors.LayerError` when it does not fit;
* ``weights``, ``biases`` and ``params`` -- learnable numbers, counted as ``torch`` counts them
  (``BatchNorm2d``'s running mean / variance are buffers, not parameters);
* ``macs(input_shape)`` -- the weight-times-input multiply-adds of one forward pass for one
  sample: a Conv2d's and a Linear's products, 0 for every other layer (BatchNorm2d included),
  as ``torch.utils.flop_counter`` counts (one multiply-add is 2 FLOPs). Bias additions and
  BatchNorm's scale and shift are the other count, "with bias & BatchNorm": both are defined
  once, in :mod:`convviz.nets.operations`;
* ``formula()`` -- the count as structured data (:class:`Formula`), for a page to render in words.

Arguments are checked by :mod:`convviz.checks` (integral floats such as ``3.0`` and numpy
integers count as ints) and output sizes come from :mod:`convviz.sliding.windows` (torch's rule,
``ceil_mode`` included), the same code :mod:`convviz.sliding.windows` and :mod:`convviz.sliding.ops` use. Every
:class:`LayerError` raised here carries ``code`` (a key of :data:`convviz.errors.ERROR_CODES`,
such as ``"channels"``) and ``params`` (the values its message quotes) so a page can show a
translated message.

>>> conv = Conv2d(128, 64, kernel_size=3, padding=1)
>>> conv.weights, conv.biases, conv.output_shape((128, 40, 50))
(73728, 64, (64, 40, 50))
>>> [term.value for term in conv.formula().weight_terms]
[3, 3, 128, 64]
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

from ..checks import check_bool, check_float, check_groups, check_int, check_pair, check_sizes
from ..errors import LayerError
from ..numbers import format_shape
from ..sliding.windows import check_pool_padding, resolve_padding, window_shape

Pair = tuple[int, int]
Shape = tuple[int, ...]
PaddingArg = int | tuple[int, int] | str

__all__ = [
    "Layer", "Conv2d", "Linear", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "Flatten",
    "Unflatten", "ReLU", "ReLU6", "Tanh", "BatchNorm2d", "Dropout", "Term", "Formula", "LAYER_TYPES",
    "CATEGORIES", "layer_error", "needs_image_error",
]


# ---------------------------------------------------------------- errors and argument checks

def layer_error(code: str, message: str, **params: Any) -> LayerError:
    """A :class:`LayerError` with a registered ``code`` and the ``params`` its message quotes.

    >>> err = layer_error("too_small", "stride must be >= 1, got 0", param="stride", value=0, minimum=1)
    >>> err.code, err.params["value"], str(err)
    ('too_small', 0, 'stride must be >= 1, got 0')
    """
    return LayerError(message, code, **params)


def _int(name: str, value: Any, *, minimum: int) -> int:
    return check_int(value, name, minimum=minimum, error=LayerError)


def _pair(name: str, value: Any, *, minimum: int) -> Pair:
    return check_pair(value, name, minimum=minimum, error=LayerError)


def _bool(name: str, value: Any) -> bool:
    return check_bool(value, name, error=LayerError)


def needs_image_error(type_name: str, shape: Shape) -> LayerError:
    """The ``needs_image`` error of a ``type_name`` layer given the flat ``shape`` (a layer's or a table row's)."""
    return layer_error(
        "needs_image",
        f"{type_name} needs a (C, H, W) input, got a flat vector of {math.prod(shape)} features; "
        f"move it before Flatten", layer=type_name, features=math.prod(shape))


def _need_image(layer: Layer, shape: Shape) -> Shape:
    if len(shape) != 3:
        raise needs_image_error(layer.type_name, shape)
    return shape


# ---------------------------------------------------------------- formula

@dataclass(frozen=True)
class Term:
    """One factor of a parameter count: ``name`` says what it is (``"kernel_h"``), ``value`` how many."""

    name: str
    value: int


@dataclass(frozen=True)
class Formula:
    """A layer's parameter count as products of named factors.

    ``weights`` is the product of ``weight_terms`` and ``biases`` the product of ``bias_terms``
    (an empty tuple means none). ``note`` names the layer type when it has no parameters,
    so a page can say why ("a pooling window has nothing to learn").

    >>> f = Linear(400, 120).formula()
    >>> [(t.name, t.value) for t in f.weight_terms], f.weights, f.biases
    ([('in_features', 400), ('out_features', 120)], 48000, 120)
    """

    weight_terms: tuple[Term, ...] = ()
    bias_terms: tuple[Term, ...] = ()
    note: str | None = None

    @property
    def weights(self) -> int:
        return math.prod(t.value for t in self.weight_terms) if self.weight_terms else 0

    @property
    def biases(self) -> int:
        return math.prod(t.value for t in self.bias_terms) if self.bias_terms else 0


# ---------------------------------------------------------------- layers

#: Colour / grouping of a layer in charts and the "share of dense layers" callout.
CATEGORIES = ("conv", "dense", "pool", "norm", "activation", "reshape", "dropout", "block")


@dataclass(frozen=True)
class Layer:
    """Base of every layer spec. Subclasses override the shape / count methods."""

    category: ClassVar[str] = "reshape"

    @property
    def type_name(self) -> str:
        """The ``torch.nn`` class name (``"Conv2d"``)."""
        return type(self).__name__

    @property
    def weights(self) -> int:
        return self.formula().weights

    @property
    def biases(self) -> int:
        return self.formula().biases

    @property
    def params(self) -> int:
        """Learnable parameters, as ``sum(p.numel() for p in module.parameters())``."""
        return self.weights + self.biases

    def output_shape(self, input_shape: Shape) -> Shape:
        return tuple(input_shape)

    def macs(self, input_shape: Shape) -> int:
        return 0

    def formula(self) -> Formula:
        return Formula(note=self.type_name)


@dataclass(frozen=True)
class Conv2d(Layer):
    """``torch.nn.Conv2d``: ``out_channels`` kernels of ``in_channels / groups x kh x kw`` weights.

    The count depends only on the kernel size and the channels, never on padding or stride.

    >>> Conv2d(32, 32, 3, groups=32).weights      # depthwise: one 3x3 kernel per channel
    288
    >>> Conv2d(3, 64, 11, stride=4, padding=2).output_shape((3, 224, 224))
    (64, 55, 55)
    """

    in_channels: int
    out_channels: int
    kernel_size: int | Pair
    stride: int | Pair = 1
    padding: PaddingArg = 0
    dilation: int | Pair = 1
    groups: int = 1
    bias: bool = True
    category: ClassVar[str] = "conv"

    def __post_init__(self) -> None:
        # Normalise once, as torch does (its attributes are tuples too).
        set_ = object.__setattr__
        set_(self, "in_channels", _int("in_channels", self.in_channels, minimum=1))
        set_(self, "out_channels", _int("out_channels", self.out_channels, minimum=1))
        set_(self, "kernel_size", _pair("kernel_size", self.kernel_size, minimum=1))
        set_(self, "stride", _pair("stride", self.stride, minimum=1))
        set_(self, "dilation", _pair("dilation", self.dilation, minimum=1))
        set_(self, "groups", check_groups(self.groups, self.in_channels, self.out_channels, error=LayerError))
        set_(self, "bias", _bool("bias", self.bias))
        # the padding rule of every convolution ("same" needs stride 1); a word stays a word, as in torch
        pads = resolve_padding(self.padding, self.kernel_size, stride=self.stride, dilation=self.dilation,
                               error=LayerError)
        set_(self, "padding", self.padding.lower() if isinstance(self.padding, str) else (pads[0][0], pads[1][0]))

    def output_shape(self, input_shape: Shape) -> Shape:
        c, h, w = _need_image(self, input_shape)
        if c != self.in_channels:
            raise layer_error("channels",
                              f"Conv2d expected in_channels = {self.in_channels} but its input has {c} channels",
                              layer=self.type_name, param="in_channels", expected=c, got=self.in_channels)
        out = window_shape((h, w), self.kernel_size, stride=self.stride, padding=self.padding,
                           dilation=self.dilation, error=LayerError, layer=self.type_name,
                           shape=format_shape(input_shape)).out
        return (self.out_channels, out[0], out[1])

    def macs(self, input_shape: Shape) -> int:
        c, h, w = self.output_shape(input_shape)
        return c * h * w * (self.in_channels // self.groups) * self.kernel_size[0] * self.kernel_size[1]

    def formula(self) -> Formula:
        kh, kw = self.kernel_size
        per_group = self.in_channels // self.groups
        channel = Term("in_channels", per_group) if self.groups == 1 else Term("in_per_group", per_group)
        return Formula(
            weight_terms=(Term("kernel_h", kh), Term("kernel_w", kw), channel, Term("out_channels", self.out_channels)),
            bias_terms=(Term("out_channels", self.out_channels),) if self.bias else (),
        )


@dataclass(frozen=True)
class Linear(Layer):
    """``torch.nn.Linear``: every input feature connects to every output feature.

    >>> Linear(9216, 4096).params
    37752832
    """

    in_features: int
    out_features: int
    bias: bool = True
    category: ClassVar[str] = "dense"

    def __post_init__(self) -> None:
        object.__setattr__(self, "in_features", _int("in_features", self.in_features, minimum=1))
        object.__setattr__(self, "out_features", _int("out_features", self.out_features, minimum=1))
        object.__setattr__(self, "bias", _bool("bias", self.bias))

    def output_shape(self, input_shape: Shape) -> Shape:
        if len(input_shape) != 1:
            flat = math.prod(input_shape)
            raise layer_error(
                "needs_flat",
                f"Linear needs a flat input but got {format_shape(input_shape)}; add Flatten before it "
                f"(in_features would then be {flat})",
                layer=self.type_name, shape=format_shape(input_shape), features=flat)
        if input_shape[0] != self.in_features:
            raise layer_error(
                "features",
                f"Linear expected in_features = {input_shape[0]} (the size of its input) "
                f"but got in_features = {self.in_features}",
                layer=self.type_name, param="in_features", expected=input_shape[0], got=self.in_features)
        return (self.out_features,)

    def macs(self, input_shape: Shape) -> int:
        self.output_shape(input_shape)
        return self.in_features * self.out_features

    def formula(self) -> Formula:
        return Formula(
            weight_terms=(Term("in_features", self.in_features), Term("out_features", self.out_features)),
            bias_terms=(Term("out_features", self.out_features),) if self.bias else (),
        )


@dataclass(frozen=True)
class _Pool2d(Layer):
    """Shared shape logic of the fixed-window poolings."""

    category: ClassVar[str] = "pool"

    def _window(self) -> tuple[Pair, Pair, Pair, Pair, bool]:
        raise NotImplementedError

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "kernel_size", _pair("kernel_size", self.kernel_size, minimum=1))
        # torch: stride defaults to the kernel size (non-overlapping windows)
        set_(self, "stride", self.kernel_size if self.stride is None else _pair("stride", self.stride, minimum=1))
        set_(self, "padding", _pair("padding", self.padding, minimum=0))
        if hasattr(self, "dilation"):  # MaxPool2d only
            set_(self, "dilation", _pair("dilation", self.dilation, minimum=1))
        set_(self, "ceil_mode", _bool("ceil_mode", self.ceil_mode))
        if hasattr(self, "count_include_pad"):  # AvgPool2d only
            set_(self, "count_include_pad", _bool("count_include_pad", self.count_include_pad))
        check_pool_padding(self.kernel_size, self.padding, error=LayerError)

    def output_shape(self, input_shape: Shape) -> Shape:
        c, h, w = _need_image(self, input_shape)
        kernel, stride, padding, dilation, ceil_mode = self._window()
        out = window_shape((h, w), kernel, stride=stride, padding=padding, dilation=dilation,
                           ceil_mode=ceil_mode, error=LayerError, layer=self.type_name,
                           shape=format_shape(input_shape)).out
        return (c, out[0], out[1])


@dataclass(frozen=True)
class MaxPool2d(_Pool2d):
    """``torch.nn.MaxPool2d``: the largest value of each window; nothing to learn.

    >>> MaxPool2d(3, stride=2).output_shape((64, 55, 55)), MaxPool2d(2).params
    ((64, 27, 27), 0)
    """

    kernel_size: int | Pair
    stride: int | Pair | None = None
    padding: int | Pair = 0
    dilation: int | Pair = 1
    ceil_mode: bool = False

    def _window(self):
        return self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode


@dataclass(frozen=True)
class AvgPool2d(_Pool2d):
    """``torch.nn.AvgPool2d``: the mean of each window; nothing to learn.

    >>> AvgPool2d(2).output_shape((6, 28, 28))
    (6, 14, 14)
    """

    kernel_size: int | Pair
    stride: int | Pair | None = None
    padding: int | Pair = 0
    ceil_mode: bool = False
    count_include_pad: bool = True

    def _window(self):
        return self.kernel_size, self.stride, self.padding, (1, 1), self.ceil_mode


@dataclass(frozen=True)
class AdaptiveAvgPool2d(Layer):
    """``torch.nn.AdaptiveAvgPool2d``: averages down (or up) to a fixed ``output_size``.

    ``None`` in ``output_size`` keeps that input size, as in torch.

    >>> AdaptiveAvgPool2d((6, 6)).output_shape((256, 13, 13))
    (256, 6, 6)
    """

    output_size: int | tuple[int | None, int | None]
    category: ClassVar[str] = "pool"

    def __post_init__(self) -> None:
        size = self.output_size
        if isinstance(size, (tuple, list)):
            if len(size) != 2:
                raise layer_error("not_pair", f"output_size must be an int or an (h, w) pair, got {size!r}",
                                  param="output_size", value=size)
            size = tuple(None if s is None else _int("output_size", s, minimum=1) for s in size)
        else:  # one number means both sides (normalised once, so AdaptiveAvgPool2d(6) == AdaptiveAvgPool2d((6, 6)))
            size = (_int("output_size", size, minimum=1),) * 2
        object.__setattr__(self, "output_size", size)

    def output_shape(self, input_shape: Shape) -> Shape:
        c, h, w = _need_image(self, input_shape)
        size = self.output_size if isinstance(self.output_size, tuple) else (self.output_size,) * 2
        return (c, h if size[0] is None else size[0], w if size[1] is None else size[1])


@dataclass(frozen=True)
class Flatten(Layer):
    """``torch.nn.Flatten()``: ``(C, H, W)`` -> ``(C*H*W,)`` (the batch axis stays).

    >>> Flatten().output_shape((256, 6, 6))
    (9216,)
    """

    category: ClassVar[str] = "reshape"

    def output_shape(self, input_shape: Shape) -> Shape:
        return (math.prod(input_shape),)


@dataclass(frozen=True)
class Unflatten(Layer):
    """``torch.nn.Unflatten(1, unflattened_size)``: a flat vector back to ``(C, H, W)``.

    Only ``dim=1`` (the first axis after the batch) is supported.

    >>> Unflatten(1, (64, 40, 50)).output_shape((128000,))
    (64, 40, 50)
    """

    dim: int
    unflattened_size: tuple[int, ...]
    category: ClassVar[str] = "reshape"

    def __post_init__(self) -> None:
        if self.dim != 1 or isinstance(self.dim, bool):
            raise layer_error("unflatten_dim", f"dim must be 1 (the axis after the batch), got {self.dim!r}",
                              param="dim", value=self.dim)
        if not isinstance(self.unflattened_size, (tuple, list)):
            raise layer_error("not_sizes", f"unflattened_size must be a tuple of integers >= 1, "
                              f"got {self.unflattened_size!r}", param="unflattened_size", value=self.unflattened_size)
        object.__setattr__(self, "unflattened_size", check_sizes(self.unflattened_size, "unflattened_size",
                                                                 error=LayerError))

    def output_shape(self, input_shape: Shape) -> Shape:
        if len(input_shape) != 1 or input_shape[0] != math.prod(self.unflattened_size):
            raise layer_error(
                "features",
                f"Unflatten expected {math.prod(self.unflattened_size)} input features, "
                f"got {format_shape(input_shape)}",
                layer=self.type_name, param="unflattened_size",
                expected=math.prod(input_shape), got=math.prod(self.unflattened_size))
        return tuple(self.unflattened_size)


@dataclass(frozen=True)
class ReLU(Layer):
    """``torch.nn.ReLU``: ``max(0, x)`` element-wise; nothing to learn.

    >>> ReLU().output_shape((64, 55, 55)), ReLU().params
    ((64, 55, 55), 0)
    """

    inplace: bool = False
    category: ClassVar[str] = "activation"


@dataclass(frozen=True)
class ReLU6(Layer):
    """``torch.nn.ReLU6``: ``min(max(0, x), 6)`` element-wise (MobileNetV2); nothing to learn.

    >>> ReLU6().output_shape((32, 112, 112)), ReLU6().params
    ((32, 112, 112), 0)
    """

    inplace: bool = False
    category: ClassVar[str] = "activation"


@dataclass(frozen=True)
class Tanh(Layer):
    """``torch.nn.Tanh`` (LeNet-5's squashing function); nothing to learn.

    >>> Tanh().params
    0
    """

    category: ClassVar[str] = "activation"


@dataclass(frozen=True)
class BatchNorm2d(Layer):
    """``torch.nn.BatchNorm2d``: a learned scale (weight) and shift (bias) per channel.

    The running mean and variance are buffers, not parameters (torch does not count them).

    >>> BatchNorm2d(64).weights, BatchNorm2d(64).biases
    (64, 64)
    """

    num_features: int
    eps: float = 1e-5
    momentum: float = 0.1
    affine: bool = True
    category: ClassVar[str] = "norm"

    def __post_init__(self) -> None:
        object.__setattr__(self, "num_features", _int("num_features", self.num_features, minimum=1))
        object.__setattr__(self, "affine", _bool("affine", self.affine))

    def output_shape(self, input_shape: Shape) -> Shape:
        c, _, _ = _need_image(self, input_shape)
        if c != self.num_features:
            raise layer_error("channels",
                              f"BatchNorm2d expected num_features = {c} (its input's channels), "
                              f"got num_features = {self.num_features}",
                              layer=self.type_name, param="num_features", expected=c, got=self.num_features)
        return tuple(input_shape)

    def formula(self) -> Formula:
        if not self.affine:
            return Formula(note=self.type_name)
        return Formula(weight_terms=(Term("num_features", self.num_features),),
                       bias_terms=(Term("num_features", self.num_features),))


@dataclass(frozen=True)
class Dropout(Layer):
    """``torch.nn.Dropout``: zeroes a random fraction ``p`` while training; nothing to learn.

    >>> Dropout(0.5).output_shape((4096,))
    (4096,)
    """

    p: float = 0.5
    inplace: bool = False
    category: ClassVar[str] = "dropout"

    def __post_init__(self) -> None:
        object.__setattr__(self, "p", check_float(self.p, "p", minimum=0, maximum=1, error=LayerError))


#: Every layer type by its torch name, in the order a menu lists them.
LAYER_TYPES: dict[str, type[Layer]] = {
    cls.__name__: cls for cls in (Conv2d, Linear, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten,
                                  Unflatten, ReLU, ReLU6, Tanh, BatchNorm2d, Dropout)
}
