"""Feature maps of a photo through a small CNN with hand-set, meaningful kernels.

The network is ``conv1 -> ReLU -> max pool -> conv2 -> ReLU`` (no training: every kernel is
chosen by hand so that each channel means something a student can name: "vertical edges",
"dark areas", ...). :func:`feature_maps` runs it with :func:`convviz.conv2d` and
:func:`convviz.pool2d` on a downsized photo and returns every stage's tensor, so the
spatial size shrinking and the channel count growing are visible.

>>> import numpy as np
>>> stages = feature_maps(np.zeros((40, 80, 3), np.uint8), size=64)
>>> [s.shape for s in stages]
[(1, 32, 64), (6, 32, 64), (6, 32, 64), (6, 16, 32), (9, 14, 30), (9, 14, 30)]
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ..checks import check_choice, check_float, check_int
from ..errors import ConvVizError, LayerError
from ..filters.display import LUMA, SIGNED_DISPLAYS, SignedDisplay, display_legend, to_display
from ..filters.filtering import check_image
from ..pictures.images import resize
from ..sliding.ops import conv2d, pool2d

__all__ = ["CONV1", "POOL", "CONV2", "FM_SIZE", "CHANNEL_NAMES", "Stage", "network", "prepare_input",
           "feature_maps", "display_maps"]

#: Geometry of the layers (stride 1 convolutions; pool with stride = kernel size).
CONV1 = MappingProxyType({"kernel_size": 3, "padding": 1})
POOL = MappingProxyType({"kernel_size": 2})
CONV2 = MappingProxyType({"kernel_size": 3, "padding": 0})
#: Longest side of the downsized photo the network runs on.
FM_SIZE = 160

#: English names of every channel id (the app translates the ids).
CHANNEL_NAMES: Mapping[str, str] = MappingProxyType({
    "grey": "brightness", "red": "red", "green": "green", "blue": "blue",
    "v_pos": "vertical edge, brighter on the right", "v_neg": "vertical edge, brighter on the left",
    "h_pos": "horizontal edge, brighter below", "h_neg": "horizontal edge, brighter above",
    "blur": "blurred brightness", "spot": "fine detail (centre minus surround)",
    "red_green": "redder than green", "blue_yellow": "bluer than yellow",
    "edges_v": "vertical edges (either side)", "edges_h": "horizontal edges (either side)",
    "edges_all": "all edges (outline)", "lighter_down_right": "getting lighter towards the lower right",
    "darker_down_right": "getting darker towards the lower right", "texture": "texture, fine detail",
    "smooth_bright": "smooth bright areas", "dark": "dark areas", "bright": "bright areas",
    "reddish": "red areas", "bluish": "blue areas",
})

_SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], float) / 4   # a 0 -> 1 step gives 1
_GAUSS = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], float) / 16
_SPOT = np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], float) / 8
_CENTRE = np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], float)
_BOX = np.ones((3, 3)) / 9
_VLINE = np.array([[0, 1, 0]] * 3, float) / 3

_CONV1_SPATIAL = {"v_pos": _SOBEL_X, "v_neg": -_SOBEL_X, "h_pos": _SOBEL_X.T.copy(), "h_neg": -_SOBEL_X.T,
                  "blur": _GAUSS, "spot": _SPOT}
_COLOUR_MIX = {"red_green": (1.0, -1.0, 0.0), "blue_yellow": (-0.5, -0.5, 1.0)}


@dataclass(frozen=True)
class Stage:
    """One stage of the network: its name, the layer that produced it and its ``(C, H, W)`` tensor."""

    name: str
    layer: str
    values: np.ndarray
    labels: tuple[str, ...]
    signed: bool

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(C, H, W)``."""
        return tuple(int(n) for n in self.values.shape)  # type: ignore[return-value]


def network(colour: bool = False) -> dict[str, object]:
    """The hand-set weights: ``conv1_weight (C1, C_in, 3, 3)``, ``conv1_bias``, ``conv2_weight``, ...

    ``C_in`` is 1 (greyscale input) or 3 (``colour=True``: the edge / blur kernels read
    brightness as ``0.299 R + 0.587 G + 0.114 B``, plus two colour-opponent channels).
    Also returns ``conv1_labels`` and ``conv2_labels`` (channel ids, see :data:`CHANNEL_NAMES`).

    >>> net = network(colour=True)
    >>> net["conv1_weight"].shape, net["conv2_weight"].shape
    ((8, 3, 3, 3), (11, 8, 3, 3))
    """
    names1 = list(_CONV1_SPATIAL) + (list(_COLOUR_MIX) if colour else [])
    c_in = 3 if colour else 1
    w1 = np.zeros((len(names1), c_in, 3, 3))
    for o, name in enumerate(names1):
        if name in _CONV1_SPATIAL:
            w1[o] = _CONV1_SPATIAL[name][None] * (LUMA[:, None, None] if colour else 1.0)
        else:
            w1[o] = _GAUSS[None] * np.array(_COLOUR_MIX[name])[:, None, None]
    i = {name: n for n, name in enumerate(names1)}
    edges = ("v_pos", "v_neg", "h_pos", "h_neg")
    # Each second-layer channel: {conv1 channel: 3 x 3 kernel}, bias. Inputs are ReLU'd, so >= 0.
    spec2: list[tuple[str, dict[str, np.ndarray], float]] = [
        ("edges_v", {"v_pos": _VLINE, "v_neg": _VLINE}, 0.0),
        ("edges_h", {"h_pos": _VLINE.T, "h_neg": _VLINE.T}, 0.0),
        ("edges_all", {e: _BOX for e in edges}, 0.0),
        ("lighter_down_right", {"v_pos": _CENTRE, "h_pos": _CENTRE, "v_neg": -_CENTRE, "h_neg": -_CENTRE}, 0.0),
        ("darker_down_right", {"v_pos": -_CENTRE, "h_pos": -_CENTRE, "v_neg": _CENTRE, "h_neg": _CENTRE}, 0.0),
        ("texture", {"spot": 4 * _BOX}, 0.0),
        ("smooth_bright", {"blur": _CENTRE, **{e: -2 * _BOX for e in edges}}, 0.0),
        # The bias is a threshold: after the ReLU only brightness below / above 0.5 remains.
        ("dark", {"blur": -2 * _CENTRE}, 1.0),
        ("bright", {"blur": 2 * _CENTRE}, -1.0),
    ]
    if colour:
        spec2 += [("reddish", {"red_green": 2 * _BOX}, 0.0), ("bluish", {"blue_yellow": 2 * _BOX}, 0.0)]
    w2 = np.zeros((len(spec2), len(names1), 3, 3))
    b2 = np.zeros(len(spec2))
    for o, (_, taps, bias) in enumerate(spec2):
        for name, k in taps.items():
            w2[o, i[name]] = k
        b2[o] = bias
    return {"conv1_weight": w1, "conv1_bias": np.zeros(len(names1)), "conv1_labels": tuple(names1),
            "conv2_weight": w2, "conv2_bias": b2, "conv2_labels": tuple(n for n, _, _ in spec2)}


def prepare_input(image: np.ndarray, *, colour: bool = False, size: int = FM_SIZE) -> np.ndarray:
    """The photo as the network's input: longest side ``size``, values 0..1, shape ``(C, H, W)``.

    >>> prepare_input(np.full((10, 20, 3), 255, np.uint8), size=8).shape
    (1, 4, 8)
    """
    image = check_image(image)
    size = check_int(size, "size", minimum=8, maximum=512, error=LayerError)
    h, w = image.shape[:2]
    f = size / max(h, w)
    # Small photos are enlarged too, so the network always sees the same scale of detail.
    small = resize(image, (max(1, round(h * f)), max(1, round(w * f))))
    if small.ndim == 2:
        small = np.repeat(small[:, :, None], 3, axis=2)
    x = np.moveaxis(small, -1, 0).astype(np.float64) / 255.0
    return x if colour else np.tensordot(LUMA, x, axes=1)[None]


def feature_maps(image: np.ndarray, *, colour: bool = False, size: int = FM_SIZE) -> tuple[Stage, ...]:
    """Run the hand-set CNN on ``image`` and return every stage.

    Parameters
    ----------
    image : ndarray
        ``(H, W)`` or ``(H, W, 3)`` uint8 photo; it is downsized to longest side ``size``.
    colour : bool, keyword-only
        Feed R, G, B (3 input channels) instead of brightness (1 channel).
    size : int, keyword-only
        Longest side of the network input, 8..512.

    Returns
    -------
    tuple of Stage
        ``input``, ``conv1`` (before ReLU, signed), ``relu1``, ``pool1``, ``conv2`` (signed), ``relu2``.

    Raises
    ------
    ImageError, LayerError, GeometryError
        Bad image or a photo too small for the network.

    Examples
    --------
    >>> s = feature_maps(np.zeros((16, 16), np.uint8), size=16)
    >>> s[-1].name, s[-1].shape, s[-1].labels[0]
    ('relu2', (9, 6, 6), 'edges_v')
    """
    x = prepare_input(image, colour=colour, size=size)
    net = network(colour)
    w1, b1, w2, b2 = net["conv1_weight"], net["conv1_bias"], net["conv2_weight"], net["conv2_bias"]
    c_in, c1, c2 = x.shape[0], w1.shape[0], w2.shape[0]
    l1, l2 = net["conv1_labels"], net["conv2_labels"]
    conv1 = conv2d(x, w1, b1, stride=1, padding=CONV1["padding"])
    relu1 = np.maximum(conv1, 0.0)
    pool1 = pool2d(relu1, POOL["kernel_size"], op="max")
    conv2 = conv2d(pool1, w2, b2, stride=1, padding=CONV2["padding"])
    relu2 = np.maximum(conv2, 0.0)
    k1, p1 = CONV1["kernel_size"], CONV1["padding"]
    kp, k2, p2 = POOL["kernel_size"], CONV2["kernel_size"], CONV2["padding"]
    return (
        Stage("input", "", x, ("red", "green", "blue") if colour else ("grey",), False),
        Stage("conv1", f"Conv2d({c_in}, {c1}, kernel_size={k1}, padding={p1})", conv1, l1, True),
        Stage("relu1", "ReLU()", relu1, l1, False),
        Stage("pool1", f"MaxPool2d(kernel_size={kp})", pool1, l1, False),
        Stage("conv2", f"Conv2d({c1}, {c2}, kernel_size={k2}, padding={p2})", conv2, l2, True),
        Stage("relu2", "ReLU()", relu2, l2, False),
    )


def _auto_scale(v: np.ndarray, how: str) -> float:
    """The 99.5th percentile of what ``how`` draws (one hot pixel does not darken the rest), to 2 digits.

    ``clip`` draws only positive values, so its scale comes from those; ``abs`` and
    ``midgrey`` draw both signs.
    """
    drawn = np.maximum(v, 0.0) if how == "clip" else np.abs(v)
    scale = float(np.percentile(drawn, 99.5)) if v.size else 0.0
    return float(f"{scale:.2g}") if scale > 0 else 1.0


def display_maps(values: np.ndarray, *, how: SignedDisplay = "clip", scale: float | None = None,
                 per_channel: bool = False) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Feature maps ``(C, H, W)`` as uint8 pictures, and what black / white mean in each.

    ``scale`` is the value drawn white (default: the 99.5th percentile of the drawn values,
    ``max(v, 0)`` for ``clip`` and ``|v|`` otherwise, over all channels, or per channel with
    ``per_channel=True`` so that weak channels stay visible). ``how`` treats negative values
    as in :func:`convviz.to_display`: clip to black, magnitude, or zero = mid-grey.

    Returns ``(pictures, [(black, white) per channel])``.

    >>> pics, legends = display_maps(np.array([[[-1.0, 0.0, 0.5, 1.0]]]), how="midgrey", scale=1.0)
    >>> pics.tolist(), legends
    ([[[0, 128, 191, 255]]], [(-1.0, 1.0)])
    >>> display_maps(np.array([[[0.0, 2.0]], [[0.0, 0.5]]]), per_channel=True)[0].tolist()
    [[[0, 255]], [[0, 255]]]
    """
    check_choice(how, "how", SIGNED_DISPLAYS)
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 3:
        raise ConvVizError(f"values must have shape (C, H, W), got {v.shape}", "bad_shape", param="values",
                           shape=str(v.shape))
    if scale is not None:
        scale = check_float(scale, "scale", positive=True)
    if scale is not None:
        scales = [float(scale)] * len(v)
    elif per_channel:
        scales = [_auto_scale(c, how) for c in v]
    else:
        scales = [_auto_scale(v, how)] * len(v)
    pics = np.empty(v.shape, np.uint8)
    legends = []
    for c, sc in enumerate(scales):
        if how == "midgrey":
            pics[c] = to_display(v[c], how="midgrey", scale=sc)
            legends.append(display_legend("midgrey", sc))
        else:
            pics[c] = to_display(v[c] * (255.0 / sc), how=how)
            legends.append((0.0, sc))
    return pics, legends
