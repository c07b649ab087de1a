"""PyTorch source for a layer stack, so a student can carry a ConvViz stack into real code.

>>> print(to_pytorch([Conv2d(128, 64, kernel_size=3, padding=1)]))
import torch
from torch import nn
<BLANKLINE>
model = nn.Sequential(
    nn.Conv2d(128, 64, kernel_size=3, padding=1),
)
<BLANKLINE>
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .blocks import Concat, Residual

from .layers import (AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, Layer, Linear,  # isort: skip
                     MaxPool2d, ReLU, ReLU6, Tanh, Unflatten, layer_error)

__all__ = ["layer_source", "to_pytorch", "BLOCK_CLASSES"]

#: The module classes ``to_pytorch`` writes for branching blocks, exactly as written (and as
#: :func:`convviz.from_pytorch` accepts them back: any other class body is refused).
BLOCK_CLASSES: dict[str, str] = {
    "Residual": '''class Residual(nn.Module):
    """body(x) + shortcut(x): a skip connection (the shortcut is the identity when None)."""

    def __init__(self, body, shortcut=None):
        super().__init__()
        self.body = body
        self.shortcut = nn.Identity() if shortcut is None else shortcut

    def forward(self, x):
        return self.body(x) + self.shortcut(x)
''',
    "Concat": '''class Concat(nn.Module):
    """Every branch on the same input, joined along the channels (an Inception module)."""

    def __init__(self, *branches):
        super().__init__()
        self.branches = nn.ModuleList(branches)

    def forward(self, x):
        return torch.cat([branch(x) for branch in self.branches], dim=1)
''',
}


def _v(value: Any) -> str:
    """A constructor argument as torch users write it: ``(3, 3)`` -> ``3``."""
    if isinstance(value, tuple) and len(value) == 2 and value[0] == value[1] and value[0] is not None:
        return repr(value[0])
    return repr(value)


def _kwargs(pairs: list[tuple[str, Any, Any]]) -> list[str]:
    """``name=value`` for every argument that differs from torch's default."""
    return [f"{name}={_v(value)}" for name, value, default in pairs if value != default]


def layer_source(layer: Layer, *, prefix: str = "nn.") -> str:
    """The ``torch.nn`` constructor call for one layer, leaving torch's defaults out.

    >>> layer_source(MaxPool2d(3, stride=2))
    'nn.MaxPool2d(kernel_size=3, stride=2)'
    >>> layer_source(Linear(9216, 4096, bias=False), prefix="")
    'Linear(9216, 4096, bias=False)'
    """
    if not isinstance(layer, Layer):
        raise layer_error("not_layer", f"layer must be a convviz.nets.layers spec, got {layer!r}", value=repr(layer))
    name = prefix + layer.type_name
    if isinstance(layer, Conv2d):
        args = [str(layer.in_channels), str(layer.out_channels), f"kernel_size={_v(layer.kernel_size)}"]
        args += _kwargs([("stride", layer.stride, (1, 1)), ("padding", layer.padding, (0, 0)),
                         ("dilation", layer.dilation, (1, 1)), ("groups", layer.groups, 1),
                         ("bias", layer.bias, True)])
    elif isinstance(layer, Linear):
        args = [str(layer.in_features), str(layer.out_features)] + _kwargs([("bias", layer.bias, True)])
    elif isinstance(layer, MaxPool2d):
        args = [f"kernel_size={_v(layer.kernel_size)}"]
        args += _kwargs([("stride", layer.stride, layer.kernel_size), ("padding", layer.padding, (0, 0)),
                         ("dilation", layer.dilation, (1, 1)), ("ceil_mode", layer.ceil_mode, False)])
    elif isinstance(layer, AvgPool2d):
        args = [f"kernel_size={_v(layer.kernel_size)}"]
        args += _kwargs([("stride", layer.stride, layer.kernel_size), ("padding", layer.padding, (0, 0)),
                         ("ceil_mode", layer.ceil_mode, False),
                         ("count_include_pad", layer.count_include_pad, True)])
    elif isinstance(layer, AdaptiveAvgPool2d):
        args = [_v(layer.output_size)]
    elif isinstance(layer, BatchNorm2d):
        args = [str(layer.num_features)] + _kwargs([("eps", layer.eps, 1e-5), ("momentum", layer.momentum, 0.1),
                                                    ("affine", layer.affine, True)])
    elif isinstance(layer, Dropout):
        args = [f"p={layer.p!r}"] + _kwargs([("inplace", layer.inplace, False)])
    elif isinstance(layer, (ReLU, ReLU6)):
        args = _kwargs([("inplace", layer.inplace, False)])
    elif isinstance(layer, Unflatten):
        args = [str(layer.dim), repr(tuple(layer.unflattened_size))]
    elif isinstance(layer, (Flatten, Tanh)):
        args = []
    else:  # a Layer subclass this module does not know (none today): refuse rather than guess
        raise layer_error("not_layer", f"layer must be a convviz.nets.layers spec, got {layer!r}", value=repr(layer))
    return f"{name}({', '.join(args)})"


def to_pytorch(layers: Iterable[Layer], *, input_shape: Sequence[int] | None = None) -> str:
    """Python source that builds ``layers`` as ``model = nn.Sequential(...)``; imports only torch.

    Parameters
    ----------
    layers : iterable of Layer
        The stack.
    input_shape : sequence of int, optional
        ``(C, H, W)`` of one sample. When given, a ``__main__`` block runs a zero tensor through the
        model and prints the output shape and the parameter count, so the file checks itself.

    Returns
    -------
    str
        The source, ending with a newline.

    Examples
    --------
    >>> src = to_pytorch([Flatten(), Linear(4, 2)], input_shape=(1, 2, 2))
    >>> src.splitlines()[4:6]
    ['    nn.Flatten(),', '    nn.Linear(4, 2),']
    >>> "torch.zeros(1, 1, 2, 2)" in src
    True
    """
    layers = list(layers)
    items = [line for layer in layers for line in _item_lines(layer, "    ")]
    used = [name for name in BLOCK_CLASSES if _uses(layers, name)]
    classes = [line for name in used for line in ("", *BLOCK_CLASSES[name].splitlines(), "")] + [""] * bool(used)
    lines = ["import torch", "from torch import nn", "", *classes, "model = nn.Sequential(", *items, ")", ""]
    if input_shape is not None:
        dims = ", ".join(str(int(d)) for d in input_shape)
        lines += [
            'if __name__ == "__main__":',
            "    model.eval()  # as at test time: BatchNorm cannot train on a batch of one",
            f"    x = torch.zeros(1, {dims})  # one sample: batch of 1",
            "    print(\"output shape:\", tuple(model(x).shape))",
            "    print(\"parameters:\", sum(p.numel() for p in model.parameters()))",
            "",
        ]
    return "\n".join(lines)


def _uses(layers: list[Layer], name: str) -> bool:
    """Whether a block class ``name`` appears anywhere in ``layers``."""
    for layer in layers:
        if isinstance(layer, (Residual, Concat)):
            if layer.type_name == name or any(_uses(list(stack), name) for _, stack in layer.children()):
                return True
    return False


def _item_lines(layer: Layer, indent: str) -> list[str]:
    """Source lines of one item of an ``nn.Sequential``: a call, or a block over several lines."""
    if not isinstance(layer, (Residual, Concat)):
        return [f"{indent}{layer_source(layer)},"]
    inner = indent + "    "
    lines = [f"{indent}{layer.type_name}("]
    for _, stack in layer.children():
        lines.append(f"{inner}nn.Sequential(")
        lines += [line for item in stack for line in _item_lines(item, inner + "    ")]
        lines.append(f"{inner}),")
    lines.append(f"{indent}),")
    return lines
