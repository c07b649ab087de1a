"""Preset stacks: the course example, LeNet-5, AlexNet and VGG-16 (as in torchvision), a ResNet bottleneck.

>>> from convviz.summary import summarize
>>> alexnet = ARCHITECTURES["alexnet"]
>>> summarize(alexnet.layers, alexnet.input_shape).total_params
61100840
"""
from __future__ import annotations

from dataclasses import dataclass

from .layers import (AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, Layer, Linear,
                     MaxPool2d, ReLU, Tanh)
from .summary import Summary, summarize

__all__ = ["Architecture", "ARCHITECTURES", "BlockComparison", "bottleneck_comparison"]


@dataclass(frozen=True)
class Architecture:
    """A named stack: ``input_shape`` is ``(C, H, W)`` of one sample, ``layers`` run in order.

    ``title_key`` and ``description_key`` are translation keys (``ui.i18n.t``) for a page.
    """

    name: str
    input_shape: tuple[int, int, int]
    layers: tuple[Layer, ...]
    title_key: str
    description_key: str


def _arch(name: str, input_shape: tuple[int, int, int], layers: list[Layer]) -> Architecture:
    return Architecture(name, input_shape, tuple(layers),
                        f"params.arch.{name}.title", f"params.arch.{name}.description")


def _vgg16() -> list[Layer]:
    # torchvision's cfg "D": numbers are 3x3 conv widths, "M" a 2x2 max-pool
    cfg = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
    layers: list[Layer] = []
    channels = 3
    for v in cfg:
        if v == "M":
            layers.append(MaxPool2d(kernel_size=2, stride=2))
        else:
            layers += [Conv2d(channels, v, kernel_size=3, padding=1), ReLU(inplace=True)]
            channels = v
    return layers + [
        AdaptiveAvgPool2d((7, 7)), Flatten(),
        Linear(512 * 7 * 7, 4096), ReLU(inplace=True), Dropout(0.5),
        Linear(4096, 4096), ReLU(inplace=True), Dropout(0.5),
        Linear(4096, 1000),
    ]


#: Preset stacks by name, in the order a menu lists them.
ARCHITECTURES: dict[str, Architecture] = {a.name: a for a in (
    # The course notes: a (40, 50, 128) feature map to (40, 50, 64) with 3x3 kernels.
    _arch("course_example", (128, 40, 50), [Conv2d(128, 64, kernel_size=3, padding=1)]),
    # LeNet-5 as usually rebuilt today: full C3 connections and plain average pooling (61,706 params).
    _arch("lenet5", (1, 32, 32), [
        Conv2d(1, 6, kernel_size=5), Tanh(), AvgPool2d(kernel_size=2, stride=2),
        Conv2d(6, 16, kernel_size=5), Tanh(), AvgPool2d(kernel_size=2, stride=2),
        Flatten(), Linear(16 * 5 * 5, 120), Tanh(), Linear(120, 84), Tanh(), Linear(84, 10),
    ]),
    # torchvision.models.alexnet (features, avgpool, flatten, classifier): 61,100,840 params.
    _arch("alexnet", (3, 224, 224), [
        Conv2d(3, 64, kernel_size=11, stride=4, padding=2), ReLU(inplace=True),
        MaxPool2d(kernel_size=3, stride=2),
        Conv2d(64, 192, kernel_size=5, padding=2), ReLU(inplace=True),
        MaxPool2d(kernel_size=3, stride=2),
        Conv2d(192, 384, kernel_size=3, padding=1), ReLU(inplace=True),
        Conv2d(384, 256, kernel_size=3, padding=1), ReLU(inplace=True),
        Conv2d(256, 256, kernel_size=3, padding=1), ReLU(inplace=True),
        MaxPool2d(kernel_size=3, stride=2),
        AdaptiveAvgPool2d((6, 6)), Flatten(),
        Dropout(0.5), Linear(256 * 6 * 6, 4096), ReLU(inplace=True),
        Dropout(0.5), Linear(4096, 4096), ReLU(inplace=True),
        Linear(4096, 1000),
    ]),
    # torchvision.models.vgg16 (no batch norm): 138,357,544 params.
    _arch("vgg16", (3, 224, 224), _vgg16()),
    # torchvision's ResNet-50 Bottleneck (conv2_x), without the skip connection nn.Sequential cannot show.
    _arch("resnet_bottleneck", (256, 56, 56), [
        Conv2d(256, 64, kernel_size=1, bias=False), BatchNorm2d(64), ReLU(inplace=True),
        Conv2d(64, 64, kernel_size=3, padding=1, bias=False), BatchNorm2d(64), ReLU(inplace=True),
        Conv2d(64, 256, kernel_size=1, bias=False), BatchNorm2d(256), ReLU(inplace=True),
    ]),
    # What the bottleneck replaces: one plain 3x3 conv straight from 256 to 256 channels.
    _arch("resnet_plain", (256, 56, 56), [
        Conv2d(256, 256, kernel_size=3, padding=1, bias=False), BatchNorm2d(256), ReLU(inplace=True),
    ]),
)}


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
