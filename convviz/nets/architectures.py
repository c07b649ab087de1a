"""Preset networks: the course example, LeNet-5, AlexNet, VGG-16, GoogLeNet, ResNet-18/50 and MobileNetV2.

The 224 x 224 networks match torchvision's parameter counts exactly (GoogLeNet without its
auxiliary classifiers); the branching ones are built from :mod:`convviz.nets.blocks`.

>>> from convviz.nets.summary import summarize
>>> alexnet = ARCHITECTURES["alexnet"]
>>> summarize(alexnet.layers, alexnet.input_shape).total_params
61100840
"""
from __future__ import annotations

from dataclasses import dataclass

from .blocks import Concat, Residual, has_blocks, weight_depth

from .layers import (AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, Layer, Linear,  # isort: skip
                     MaxPool2d, ReLU, ReLU6, Tanh)
from .summary import summarize

__all__ = ["Architecture", "ARCHITECTURES", "TrendRow", "TREND", "trend"]


@dataclass(frozen=True)
class Architecture:
    """A named stack: ``input_shape`` is ``(C, H, W)`` of one sample, ``layers`` run in order.

    ``title_key`` and ``description_key`` are translation keys (``ui.common.i18n.t``) for a page;
    ``year`` is when the network was published (None for the course's building blocks).

    >>> a = ARCHITECTURES["resnet50"]
    >>> a.year, a.depth, a.branching
    (2015, 50, True)
    """

    name: str
    input_shape: tuple[int, int, int]
    layers: tuple[Layer, ...]
    title_key: str
    description_key: str
    year: int | None = None

    @property
    def depth(self) -> int:
        """Weight layers (Conv2d, Linear) on the longest path: VGG16's 16, ResNet-50's 50."""
        return weight_depth(self.layers)

    @property
    def branching(self) -> bool:
        """Whether the network has Residual or Concat blocks (a tree, not a plain stack)."""
        return has_blocks(self.layers)


def _arch(name: str, input_shape: tuple[int, int, int], layers: list[Layer], year: int | None = None
          ) -> Architecture:
    return Architecture(name, input_shape, tuple(layers),
                        f"params.arch.{name}.title", f"params.arch.{name}.description", year)


def _conv_bn(cin: int, cout: int, k: int, *, stride: int = 1, padding: int = 0, groups: int = 1,
             eps: float = 1e-5, act: type[Layer] | None = ReLU) -> list[Layer]:
    """Conv2d without bias, BatchNorm2d and (optionally) an activation: the unit of the modern networks."""
    layers: list[Layer] = [Conv2d(cin, cout, kernel_size=k, stride=stride, padding=padding, groups=groups,
                                  bias=False), BatchNorm2d(cout, eps=eps)]
    return layers + ([act(inplace=True)] if act is not None else [])


def _resnet(blocks: tuple[int, int, int, int], *, bottleneck: bool) -> list[Layer]:
    # torchvision.models.resnet: BasicBlock (two 3x3) or Bottleneck (1x1, 3x3 with the stride, 1x1 x4)
    expansion = 4 if bottleneck else 1
    layers = _conv_bn(3, 64, 7, stride=2, padding=3) + [MaxPool2d(kernel_size=3, stride=2, padding=1)]
    channels = 64
    for stage, count in enumerate(blocks):
        width = 64 * 2 ** stage
        for i in range(count):
            stride = 2 if stage > 0 and i == 0 else 1
            out = width * expansion
            if bottleneck:
                body = (_conv_bn(channels, width, 1) + _conv_bn(width, width, 3, stride=stride, padding=1)
                        + _conv_bn(width, out, 1, act=None))
            else:
                body = _conv_bn(channels, width, 3, stride=stride, padding=1) + _conv_bn(width, width, 3, padding=1,
                                                                                          act=None)
            shortcut = _conv_bn(channels, out, 1, stride=stride, act=None) if stride != 1 or channels != out else None
            layers += [Residual(tuple(body), None if shortcut is None else tuple(shortcut)), ReLU(inplace=True)]
            channels = out
    return layers + [AdaptiveAvgPool2d((1, 1)), Flatten(), Linear(channels, 1000)]


def _googlenet() -> list[Layer]:
    # torchvision.models.googlenet(aux_logits=False): BasicConv2d = conv (no bias) + BN(eps=0.001) + ReLU;
    # torchvision's third branch uses a 3x3 conv where the paper has 5x5 (kept, to match its count)
    def conv(cin: int, cout: int, k: int, **kw: int) -> list[Layer]:
        return _conv_bn(cin, cout, k, eps=0.001, **kw)

    def inception(cin: int, c1: int, c3r: int, c3: int, c5r: int, c5: int, pool: int) -> Concat:
        return Concat((tuple(conv(cin, c1, 1)),
                       tuple(conv(cin, c3r, 1) + conv(c3r, c3, 3, padding=1)),
                       tuple(conv(cin, c5r, 1) + conv(c5r, c5, 3, padding=1)),
                       (MaxPool2d(kernel_size=3, stride=1, padding=1, ceil_mode=True), *conv(cin, pool, 1))))

    def pool(k: int = 3) -> MaxPool2d:
        return MaxPool2d(kernel_size=k, stride=2, ceil_mode=True)

    return [*conv(3, 64, 7, stride=2, padding=3), pool(), *conv(64, 64, 1), *conv(64, 192, 3, padding=1), pool(),
            inception(192, 64, 96, 128, 16, 32, 32), inception(256, 128, 128, 192, 32, 96, 64), pool(),
            inception(480, 192, 96, 208, 16, 48, 64), inception(512, 160, 112, 224, 24, 64, 64),
            inception(512, 128, 128, 256, 24, 64, 64), inception(512, 112, 144, 288, 32, 64, 64),
            inception(528, 256, 160, 320, 32, 128, 128), pool(2),
            inception(832, 256, 160, 320, 32, 128, 128), inception(832, 384, 192, 384, 48, 128, 128),
            AdaptiveAvgPool2d((1, 1)), Flatten(), Dropout(0.2), Linear(1024, 1000)]


def _mobilenet_v2() -> list[Layer]:
    # torchvision.models.mobilenet_v2: inverted residuals (expand 1x1, depthwise 3x3, project 1x1 linear);
    # the skip connection only where the stride is 1 and the channels stay
    layers = _conv_bn(3, 32, 3, stride=2, padding=1, act=ReLU6)
    channels = 32
    for t, c, n, s in ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
                       (6, 160, 3, 2), (6, 320, 1, 1)):
        for i in range(n):
            stride = s if i == 0 else 1
            hidden = channels * t
            body = (_conv_bn(channels, hidden, 1, act=ReLU6) if t != 1 else []) + \
                _conv_bn(hidden, hidden, 3, stride=stride, padding=1, groups=hidden, act=ReLU6) + \
                _conv_bn(hidden, c, 1, act=None)
            layers += [Residual(tuple(body))] if stride == 1 and channels == c else body
            channels = c
    return layers + _conv_bn(320, 1280, 1, act=ReLU6) + [AdaptiveAvgPool2d((1, 1)), Flatten(), Dropout(0.2),
                                                         Linear(1280, 1000)]


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
    _arch("lenet5", (1, 32, 32), year=1998, layers=[
        Conv2d(1, 6, kernel_size=5), Tanh(), AvgPool2d(kernel_size=2, stride=2),
        Conv2d(6, 16, kernel_size=5), Tanh(), AvgPool2d(kernel_size=2, stride=2),
        Flatten(), Linear(16 * 5 * 5, 120), Tanh(), Linear(120, 84), Tanh(), Linear(84, 10),
    ]),
    # torchvision.models.alexnet (features, avgpool, flatten, classifier): 61,100,840 params.
    _arch("alexnet", (3, 224, 224), year=2012, layers=[
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
    _arch("vgg16", (3, 224, 224), _vgg16(), 2014),
    # torchvision.models.googlenet without the auxiliary classifiers: 6,624,904 params.
    _arch("googlenet", (3, 224, 224), _googlenet(), 2014),
    # torchvision.models.resnet18 / resnet50: 11,689,512 and 25,557,032 params.
    _arch("resnet18", (3, 224, 224), _resnet((2, 2, 2, 2), bottleneck=False), 2015),
    _arch("resnet50", (3, 224, 224), _resnet((3, 4, 6, 3), bottleneck=True), 2015),
    # torchvision.models.mobilenet_v2: 3,504,872 params.
    _arch("mobilenet_v2", (3, 224, 224), _mobilenet_v2(), 2018),
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


# ---------------------------------------------------------------- the trend of the notes

#: The networks of the notes' trend, oldest first.
TREND = ("lenet5", "alexnet", "vgg16", "googlenet", "resnet50", "mobilenet_v2")


@dataclass(frozen=True)
class TrendRow:
    """One network of :func:`trend`: every number counted from its preset, none typed in.

    ``macs`` is :attr:`convviz.Summary.total_macs` (the products of Conv2d and Linear, as
    :mod:`convviz.nets.operations` defines them): the number the page's headline shows by default.
    """

    name: str
    year: int
    depth: int
    params: int
    dense_params: int
    macs: int

    @property
    def dense_share(self) -> float:
        """Fraction of the parameters in fully connected (Linear) layers."""
        return self.dense_params / self.params if self.params else 0.0


def trend(names: tuple[str, ...] = TREND) -> tuple[TrendRow, ...]:
    """Year, depth, parameters, dense share and multiply-adds of each network, at its own input size.

    Depth grows while the share of parameters in dense layers falls: the point of the notes.

    >>> [(r.name, r.year, r.depth, round(100 * r.dense_share, 1)) for r in trend()[1:5]]
    [('alexnet', 2012, 8, 96.0), ('vgg16', 2014, 16, 89.4), ('googlenet', 2014, 22, 15.5), ('resnet50', 2015, 50, 8.0)]
    """
    rows = []
    for name in names:
        arch = ARCHITECTURES[name]
        summary = summarize(arch.layers, arch.input_shape)
        rows.append(TrendRow(name=name, year=arch.year or 0, depth=arch.depth, params=summary.total_params,
                             dense_params=summary.params_by_category()["dense"], macs=summary.total_macs))
    return tuple(rows)
