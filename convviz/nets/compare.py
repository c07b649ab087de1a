"""What a design choice costs in weights: a stack made dense, a bottleneck block, a depthwise-separable pair.

* :func:`compare_dense` -- a stack next to the same stack with every ``Conv2d`` replaced by a
  fully-connected layer between the same tensors (:func:`dense_equivalent`);
* :func:`bottleneck_comparison` -- ResNet's plain 3x3 block next to its 1x1-3x3-1x1 bottleneck;
* :func:`separable_counts` -- a standard ``k x k`` convolution next to depthwise ``k x k`` +
  pointwise ``1 x 1`` (MobileNet's block).

Every count is a :class:`convviz.nets.layers.Layer`'s own (through :func:`convviz.nets.summary.summarize`).

>>> from convviz.nets.layers import Conv2d
>>> compare_dense([Conv2d(128, 64, 3, padding=1)], (128, 40, 50)).dense.total_weights
32768000000
>>> separable_counts(32, 64, 3).standard, separable_counts(32, 64, 3).depthwise
(18432, 288)
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..checks import check_int
from ..errors import GeometryError
from .architectures import ARCHITECTURES
from .blocks import Concat, Residual
from .layers import Conv2d, Flatten, Layer, Linear, Unflatten
from .summary import Summary, check_input_shape, summarize

__all__ = ["dense_equivalent", "DenseSwap", "DenseComparison", "compare_dense", "BlockComparison",
           "bottleneck_comparison", "SeparableCounts", "separable_counts"]

Shape = tuple[int, ...]


# ---------------------------------------------------------------- the same network, dense

def dense_equivalent(layers: Iterable[Layer], input_shape: Sequence[int]) -> list[Layer]:
    """The same stack with every ``Conv2d`` replaced by a fully-connected layer between the same tensors.

    Each conv becomes ``Flatten() -> Linear(C*H*W, C'*H'*W') -> Unflatten(1, (C', H', W'))``, so every
    output pixel of every channel gets its own weight to every input pixel of every channel (and its own
    bias when the conv had one). The other layers are kept, so shapes downstream are unchanged.

    >>> from convviz.nets.layers import Conv2d
    >>> dense = dense_equivalent([Conv2d(128, 64, 3, padding=1)], (128, 40, 50))
    >>> [type(l).__name__ for l in dense], dense[1].weights
    (['Flatten', 'Linear', 'Unflatten'], 32768000000)
    """
    layers = list(layers)
    summarize(layers, input_shape)  # shapes checked, errors named as summarize names them
    return _densify(layers, check_input_shape(input_shape))


def _densify(layers: list[Layer], shape: Shape) -> list[Layer]:
    out: list[Layer] = []
    for layer in layers:
        after = tuple(layer.output_shape(shape))
        if isinstance(layer, Conv2d):
            out += [Flatten(), Linear(math.prod(shape), math.prod(after), bias=layer.bias), Unflatten(1, after)]
        elif isinstance(layer, Residual):
            out.append(Residual(tuple(_densify(list(layer.body), shape)),
                                None if layer.shortcut is None else tuple(_densify(list(layer.shortcut), shape))))
        elif isinstance(layer, Concat):
            out.append(Concat(tuple(tuple(_densify(list(b), shape)) for b in layer.branches)))
        else:
            out.append(layer)
        shape = after
    return out


@dataclass(frozen=True)
class DenseSwap:
    """One conv layer next to the dense layer that would replace it."""

    position: int
    conv: Conv2d
    dense: Linear
    input_shape: Shape
    output_shape: Shape

    @property
    def factor(self) -> float:
        """How many times more weights the dense layer needs."""
        return self.dense.weights / self.conv.weights


@dataclass(frozen=True)
class DenseComparison:
    """``conv``: the stack as given; ``dense``: :func:`dense_equivalent`; ``swaps``: one per conv layer."""

    conv: Summary
    dense: Summary
    swaps: tuple[DenseSwap, ...]

    @property
    def factor(self) -> float:
        """Total parameters dense / conv (``inf`` when the conv stack has none)."""
        return self.dense.total_params / self.conv.total_params if self.conv.total_params else math.inf


def compare_dense(layers: Iterable[Layer], input_shape: Sequence[int]) -> DenseComparison:
    """Summaries of a stack and of its :func:`dense_equivalent`, with the conv layers paired up.

    >>> from convviz.nets.layers import Conv2d
    >>> cmp = compare_dense([Conv2d(128, 64, 3, padding=1)], (128, 40, 50))
    >>> cmp.swaps[0].dense.in_features, cmp.swaps[0].dense.out_features, round(cmp.swaps[0].factor)
    (256000, 128000, 444444)
    """
    layers = list(layers)
    conv = summarize(layers, input_shape)
    dense_layers = dense_equivalent(layers, input_shape)
    swaps = tuple(
        DenseSwap(position=r.position, conv=r.layer,
                  dense=Linear(math.prod(r.input_shape), math.prod(r.output_shape), bias=r.layer.bias),
                  input_shape=r.input_shape, output_shape=r.output_shape)
        for r in conv.leaves if isinstance(r.layer, Conv2d))
    return DenseComparison(conv=conv, dense=summarize(dense_layers, input_shape), swaps=swaps)


# ---------------------------------------------------------------- a bottleneck block

@dataclass(frozen=True)
class BlockComparison:
    """The plain 3x3 block next to the ResNet bottleneck that replaces it."""

    plain: Summary
    bottleneck: Summary

    @property
    def conv_weights(self) -> tuple[int, int]:
        """Conv weights of (plain, bottleneck)."""
        return self.plain.params_by_category()["conv"], self.bottleneck.params_by_category()["conv"]

    @property
    def factor(self) -> float:
        """How many times fewer conv weights the bottleneck needs."""
        plain, bottleneck = self.conv_weights
        return plain / bottleneck


def bottleneck_comparison() -> BlockComparison:
    """Summaries of ``resnet_plain`` and ``resnet_bottleneck``.

    >>> cmp = bottleneck_comparison()
    >>> cmp.conv_weights, round(cmp.factor, 2)
    ((589824, 69632), 8.47)
    """
    def run(name: str) -> Summary:
        return summarize(ARCHITECTURES[name].layers, ARCHITECTURES[name].input_shape)

    return BlockComparison(plain=run("resnet_plain"), bottleneck=run("resnet_bottleneck"))


# ---------------------------------------------------------------- depthwise separable

@dataclass(frozen=True)
class SeparableCounts:
    """Weights of a standard ``k x k`` convolution and of depthwise ``k x k`` + pointwise ``1 x 1``.

    Attributes
    ----------
    in_channels, out_channels, kernel_size : int
    standard : int
        ``k * k * C_in * C_out``.
    depthwise : int
        ``k * k * C_in`` (``groups = C_in``, one kernel per channel).
    pointwise : int
        ``C_in * C_out`` (a 1 x 1 convolution mixing the channels).
    separable : int
        ``depthwise + pointwise``.
    ratio : float
        ``standard / separable``: how many times fewer weights.
    """

    in_channels: int
    out_channels: int
    kernel_size: int
    standard: int
    depthwise: int
    pointwise: int
    separable: int
    ratio: float


def separable_counts(in_channels: int, out_channels: int, kernel_size: int = 3) -> SeparableCounts:
    """Standard vs depthwise-separable weight counts (no biases), from :class:`convviz.nets.layers.Conv2d`.

    Examples
    --------
    >>> c = separable_counts(32, 64, 3)
    >>> c.standard, c.depthwise, c.pointwise, c.separable, round(c.ratio, 1)
    (18432, 288, 2048, 2336, 7.9)
    """
    k = check_int(kernel_size, "kernel_size", minimum=1, error=GeometryError)
    standard = Conv2d(in_channels, out_channels, k, bias=False)
    depthwise = Conv2d(in_channels, in_channels, k, groups=in_channels, bias=False)
    pointwise = Conv2d(in_channels, out_channels, 1, bias=False)
    separable = depthwise.weights + pointwise.weights
    return SeparableCounts(in_channels=standard.in_channels, out_channels=standard.out_channels, kernel_size=k,
                           standard=standard.weights, depthwise=depthwise.weights, pointwise=pointwise.weights,
                           separable=separable, ratio=standard.weights / separable)
