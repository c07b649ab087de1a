"""Random layer stacks for the gradient checks (with torch and with finite differences).

Every stack ends in ``Flatten`` and ``Linear(..., classes)``; before that, a random mix of the
layers training supports, each with random settings that fit the running shape.
"""
from __future__ import annotations

import math

import numpy as np

from convviz.errors import LayerError
from convviz.nets import layers as L


def _pair(rng, lo, hi):
    return tuple(int(v) for v in rng.integers(lo, hi + 1, 2))


def _conv(rng, c):
    groups = int(rng.choice([g for g in (1, 2, 3) if c % g == 0]))
    c_out = groups * int(rng.integers(1, 3))
    k, s, d = _pair(rng, 1, 4), _pair(rng, 1, 2), _pair(rng, 1, 2)
    padding = "same" if s == (1, 1) and rng.random() < 0.3 else _pair(rng, 0, 2)
    return L.Conv2d(c, c_out, k, stride=s, padding=padding, dilation=d, groups=groups, bias=bool(rng.random() < 0.7))


def _pool(rng, c):
    kind = rng.integers(0, 3)
    k = _pair(rng, 1, 3)
    s = _pair(rng, 1, 3)
    p = tuple(int(rng.integers(0, ki // 2 + 1)) for ki in k)
    ceil = bool(rng.random() < 0.4)
    if kind == 0:
        return L.MaxPool2d(k, stride=s, padding=p, dilation=_pair(rng, 1, 2), ceil_mode=ceil)
    if kind == 1:
        return L.AvgPool2d(k, stride=s, padding=p, ceil_mode=ceil, count_include_pad=bool(rng.random() < 0.5))
    return L.AdaptiveAvgPool2d((int(rng.integers(1, 4)), int(rng.integers(1, 4))))


def _pointwise(rng, c, *, dropout: bool):
    choices = [L.ReLU(), L.ReLU6(), L.Tanh(), L.BatchNorm2d(c, affine=bool(rng.random() < 0.8),
                                                             momentum=float(rng.choice([0.1, 0.3])))]
    if dropout:
        choices.append(L.Dropout(float(rng.choice([0.0, 0.5, 1.0]))))
    return choices[int(rng.integers(0, len(choices)))]


def random_stack(rng: np.random.Generator, *, classes: int = 4, dropout: bool = False
                 ) -> tuple[list[L.Layer], tuple[int, int, int]]:
    """A random stack and its input shape ``(C, H, W)``."""
    shape = (int(rng.integers(1, 5)), int(rng.integers(5, 12)), int(rng.integers(5, 12)))
    stack: list[L.Layer] = []
    current = shape
    for _ in range(int(rng.integers(2, 6))):
        make = [_conv, _pool, lambda r, c: _pointwise(r, c, dropout=dropout)][int(rng.integers(0, 3))]
        for _attempt in range(5):
            layer = make(rng, current[0])
            try:
                out = layer.output_shape(current)
            except LayerError:
                continue
            stack.append(layer)
            current = out
            break
    features = math.prod(current)
    stack += [L.Flatten(), L.Linear(features, classes, bias=bool(rng.random() < 0.8))]
    return stack, shape


def features_of(stack) -> set[str]:
    """The features a stack exercises (for asserting the random cases cover them all)."""
    found = set()
    for layer in stack:
        name = type(layer).__name__
        found.add(name)
        if name == "Conv2d":
            found |= {f for f, on in (("stride", layer.stride != (1, 1)), ("dilation", layer.dilation != (1, 1)),
                                      ("groups", layer.groups > 1), ("padding", layer.padding not in ((0, 0), "valid")),
                                      ("same", layer.padding == "same"), ("no_bias", not layer.bias)) if on}
        if name in ("MaxPool2d", "AvgPool2d"):
            found |= {f"{name}_{f}" for f, on in (("ceil", layer.ceil_mode), ("padding", layer.padding != (0, 0)),
                                                  ("overlap", layer.stride != layer.kernel_size)) if on}
            if name == "MaxPool2d" and layer.dilation != (1, 1):
                found.add("MaxPool2d_dilation")
            if name == "AvgPool2d" and not layer.count_include_pad:
                found.add("AvgPool2d_exclude_pad")
        if name == "AdaptiveAvgPool2d" and layer.output_size != (1, 1):
            found.add("AdaptiveAvgPool2d_not_1x1")
    return found


#: What the random cases must cover between them.
REQUIRED = {"Conv2d", "stride", "dilation", "groups", "padding", "same", "no_bias", "MaxPool2d", "AvgPool2d",
            "AdaptiveAvgPool2d", "AdaptiveAvgPool2d_not_1x1", "MaxPool2d_ceil", "AvgPool2d_ceil", "MaxPool2d_padding",
            "AvgPool2d_padding", "MaxPool2d_overlap", "MaxPool2d_dilation", "AvgPool2d_exclude_pad", "ReLU",
            "ReLU6", "Tanh", "BatchNorm2d", "Flatten", "Linear"}
