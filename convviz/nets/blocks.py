"""Branching structure: a residual block (ResNet, MobileNetV2) and a concatenation of branches (Inception).

Both are :class:`~convviz.nets.layers.Layer` specs, so they nest in a stack and in each other.

* :class:`Residual` -- ``body(x) + shortcut(x)`` (the shortcut is the identity when None); the two
  shapes must be equal where they are added.
* :class:`Concat` -- ``torch.cat([b(x) for b in branches], dim=1)``; every branch must give the same
  ``H x W`` (channels add up).

Their parameters are those of the layers inside. Their multiply-adds are those of the layers
inside: the element-wise addition of a residual block and the copy of a concatenation are not
multiply-adds (``torch.utils.flop_counter`` does not count them either).

>>> from convviz.nets.layers import BatchNorm2d, Conv2d, ReLU
>>> block = Residual((Conv2d(64, 64, 3, padding=1, bias=False), BatchNorm2d(64)))
>>> block.output_shape((64, 56, 56)), block.params
((64, 56, 56), 36992)
>>> Concat(((Conv2d(192, 64, 1),), (Conv2d(192, 32, 3, padding=1),))).output_shape((192, 28, 28))
(96, 28, 28)
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..errors import LayerError
from ..numbers import format_shape

from .layers import (AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Dropout, Formula, Layer, Linear,  # isort: skip
                     MaxPool2d, ReLU, ReLU6, Tanh, layer_error)

Shape = tuple[int, ...]

__all__ = ["Block", "Residual", "Concat", "is_block", "has_blocks", "run_stack", "nested_error", "weight_depth",
           "input_channels"]


def _stack(value: object, name: str) -> tuple[Layer, ...]:
    """``value`` as a tuple of layers (a single layer counts as a one-layer stack)."""
    if isinstance(value, Layer):
        value = (value,)
    if not isinstance(value, (tuple, list)):
        raise layer_error("not_layer", f"{name} must be a sequence of layers, got {value!r}", value=repr(value))
    for item in value:
        if not isinstance(item, Layer):
            raise layer_error("not_layer", f"{name} must hold layers such as Conv2d(...), got {item!r}",
                              value=repr(item))
    if not value:
        raise layer_error("block_empty", f"{name} must hold at least one layer", param=name)
    return tuple(value)


def run_stack(layers: Sequence[Layer], shape: Shape, *, where: str) -> Shape:
    """The shape after ``layers``; an error names the failing layer by its path (``"3.body.2"``).

    >>> from convviz.nets.layers import Conv2d
    >>> run_stack([Conv2d(3, 8, 3)], (3, 9, 9), where="1.body")
    (8, 7, 7)
    >>> run_stack([Conv2d(4, 8, 3)], (3, 9, 9), where="1.body")
    Traceback (most recent call last):
    ...
    convviz.errors.LayerError: at 1.body.1 (Conv2d): Conv2d expected in_channels = 4 but its input has 3 channels
    """
    for index, layer in enumerate(layers, start=1):
        try:
            shape = tuple(layer.output_shape(shape))
        except LayerError as err:
            raise nested_error(err, f"{where}.{index}", layer.type_name) from None
    return shape


def nested_error(err: LayerError, path: str, layer_type: str) -> LayerError:
    """``err`` naming the layer by its path, outermost part first (``"3.body.1"``).

    >>> err = nested_error(LayerError("too wide", "features"), "body.2", "Linear")
    >>> str(err), err.params["path"]
    ('at body.2 (Linear): too wide', 'body.2')
    >>> str(nested_error(err, "1.branch1.1", "Residual"))
    'at 1.branch1.1.body.2 (Linear): too wide'
    """
    if "path" in err.params:  # named deeper down: put this level in front
        path, layer_type, detail = f"{path}.{err.params['path']}", err.params["path_type"], err.params["detail"]
    else:
        detail = str(err)
    return LayerError(f"at {path} ({layer_type}): {detail}", err.code,
                      **{**err.params, "path": path, "path_type": layer_type, "detail": detail})


@dataclass(frozen=True)
class Block(Layer):
    """Base of the branching specs: counts are the sums of the layers inside."""

    category: ClassVar[str] = "block"

    def children(self) -> tuple[tuple[str, tuple[Layer, ...]], ...]:
        """``(name, layers)`` of every inner stack, in order (``("body", ...)``, ``("shortcut", ...)``)."""
        raise NotImplementedError

    @property
    def weights(self) -> int:
        return sum(layer.weights for _, stack in self.children() for layer in stack)

    @property
    def biases(self) -> int:
        return sum(layer.biases for _, stack in self.children() for layer in stack)

    def formula(self) -> Formula:
        return Formula(note=self.type_name)

    def branch_shapes(self, input_shape: Shape) -> list[tuple[str, Shape]]:
        """The output shape of every inner stack (identity shortcut: the input shape)."""
        return [(name, run_stack(stack, tuple(input_shape), where=name)) for name, stack in self.children()]

    def macs(self, input_shape: Shape) -> int:
        total = 0
        for _, stack in self.children():
            shape = tuple(input_shape)
            for layer in stack:
                total += layer.macs(shape)
                shape = tuple(layer.output_shape(shape))
        return total


@dataclass(frozen=True)
class Residual(Block):
    """``body(x) + shortcut(x)``: the shortcut is the identity when None (ResNet's skip connection).

    >>> from convviz.nets.layers import Conv2d
    >>> Residual((Conv2d(64, 128, 3, padding=1),)).output_shape((64, 8, 8))
    Traceback (most recent call last):
    ...
    convviz.errors.LayerError: Residual adds body 128 × 8 × 8 to shortcut 64 × 8 × 8: the shapes must be equal
    """

    body: tuple[Layer, ...]
    shortcut: tuple[Layer, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "body", _stack(self.body, "body"))
        if self.shortcut is not None:
            object.__setattr__(self, "shortcut", _stack(self.shortcut, "shortcut"))

    def children(self) -> tuple[tuple[str, tuple[Layer, ...]], ...]:
        return (("body", self.body),) + ((("shortcut", self.shortcut),) if self.shortcut is not None else ())

    def output_shape(self, input_shape: Shape) -> Shape:
        shapes = dict(self.branch_shapes(input_shape))
        body, short = shapes["body"], shapes.get("shortcut", tuple(input_shape))
        if body != short:
            raise layer_error("residual_shape",
                              f"Residual adds body {format_shape(body)} to shortcut {format_shape(short)}: "
                              f"the shapes must be equal", layer=self.type_name, body=format_shape(body),
                              shortcut=format_shape(short))
        return body


@dataclass(frozen=True)
class Concat(Block):
    """``torch.cat([branch(x) for branch in branches], dim=1)``: an Inception module.

    >>> from convviz.nets.layers import Conv2d, MaxPool2d
    >>> Concat(((Conv2d(8, 4, 1),), (MaxPool2d(2),))).output_shape((8, 6, 6))  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    convviz.errors.LayerError: Concat joins branch 1 (4 × 6 × 6) and branch 2 (8 × 3 × 3): their heights and widths
        must agree
    """

    branches: tuple[tuple[Layer, ...], ...]

    def __post_init__(self) -> None:
        if not isinstance(self.branches, (tuple, list)) or not self.branches:
            raise layer_error("block_empty", "branches must hold at least one branch", param="branches")
        object.__setattr__(self, "branches",
                           tuple(_stack(b, f"branch{i}") for i, b in enumerate(self.branches, start=1)))

    def children(self) -> tuple[tuple[str, tuple[Layer, ...]], ...]:
        return tuple((f"branch{i}", b) for i, b in enumerate(self.branches, start=1))

    def output_shape(self, input_shape: Shape) -> Shape:
        shapes = [shape for _, shape in self.branch_shapes(input_shape)]
        first = shapes[0]
        for index, shape in enumerate(shapes[1:], start=2):
            if len(shape) != 3 or len(first) != 3 or shape[1:] != first[1:]:
                raise layer_error("concat_shape",
                                  f"Concat joins branch 1 ({format_shape(first)}) and branch {index} "
                                  f"({format_shape(shape)}): their heights and widths must agree",
                                  layer=self.type_name, first=format_shape(first), index=index,
                                  shape=format_shape(shape))
        if len(first) != 3:
            raise layer_error("concat_shape",
                              f"Concat joins (C, H, W) maps along channels, got {format_shape(first)}",
                              layer=self.type_name, first=format_shape(first), index=1, shape=format_shape(first))
        return (sum(s[0] for s in shapes),) + tuple(first[1:])


def is_block(layer: object) -> bool:
    """Whether ``layer`` is a :class:`Residual` or :class:`Concat`.

    >>> from convviz.nets.layers import ReLU
    >>> is_block(ReLU()), is_block(Residual((ReLU(),)))
    (False, True)
    """
    return isinstance(layer, Block)


def has_blocks(layers: Iterable[Layer]) -> bool:
    """Whether a stack holds any branching block (then the table editor cannot hold it).

    >>> from convviz.nets.layers import ReLU
    >>> has_blocks([ReLU()]), has_blocks([ReLU(), Residual((ReLU(),))])
    (False, True)
    """
    return any(is_block(layer) for layer in layers)


def weight_depth(layers: Iterable[Layer]) -> int:
    """Weight layers (Conv2d and Linear) on the longest path through a stack: ResNet-50's "50".

    >>> from convviz.nets.layers import Conv2d, ReLU
    >>> weight_depth([Conv2d(3, 3, 1), Residual((Conv2d(3, 3, 1), ReLU(), Conv2d(3, 3, 1)))])
    3
    """
    depth = 0
    for layer in layers:
        if isinstance(layer, (Conv2d, Linear)):
            depth += 1
        elif isinstance(layer, Block):
            depth += max(weight_depth(stack) for _, stack in layer.children())
    return depth


#: Layers whose output has the channels of their input: the stack's input channels are named further on.
_KEEP_CHANNELS = (ReLU, ReLU6, Tanh, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Dropout)


def input_channels(layers: Iterable[Layer]) -> int | None:
    """The input channels ``C`` a stack is written for: those its first channel-naming layer expects.

    A ``Conv2d`` names them (``in_channels``), so does a ``BatchNorm2d`` (``num_features``); layers
    that keep the channels (activations, pooling, dropout) are looked through, and so is the first
    branch of a block. ``None`` when a layer that does not keep ``(C, H, W)`` comes first
    (``Flatten``, ``Linear``) or nothing names them.

    >>> from convviz.nets.layers import Flatten
    >>> input_channels([ReLU(), MaxPool2d(2), Conv2d(3, 64, 11)]), input_channels([Flatten(), Linear(4, 2)])
    (3, None)
    >>> input_channels([Residual((Conv2d(64, 64, 3, padding=1),))]), input_channels([ReLU()])
    (64, None)
    """
    for layer in layers:
        if isinstance(layer, Conv2d):
            return layer.in_channels
        if isinstance(layer, BatchNorm2d):
            return layer.num_features
        if isinstance(layer, Block):
            return input_channels(layer.children()[0][1])
        if not isinstance(layer, _KEEP_CHANNELS):
            return None
    return None
