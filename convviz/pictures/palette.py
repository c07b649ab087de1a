"""Every colour ConvViz draws with: the sliding-window pictures (GIF/PNG and live players) and the pages' charts.

:mod:`convviz.sliding.animation` draws with it; ``ui.stride.player`` hands it to the browser as CSS
custom properties (``--cv-window`` ...), which ``ui/static/player.css`` and the players'
scripts use. Change a colour here and both follow.

Okabe-Ito orange and blue (they stay apart for the common colour-vision deficiencies, and
differ strongly in lightness): orange is "now" (the window, the output being computed), blue is
"the kernel" and "done". Every number is drawn at WCAG AA contrast (>= 4.5:1) on the fill it
sits on (:data:`TEXT_ON_FILL`, checked by ``tests/convviz/pictures/test_palette.py``).

Beside the pictures' :data:`PALETTE`: :data:`CHANNEL_COLOURS` (input channels),
:data:`FIELD_COLOURS` (receptive-field outlines), :data:`CATEGORY_COLOURS` (layer types in the
Parameter counts charts), :data:`PLANE_COLOURS` (a photo's R, G, B planes), :data:`SIGN_COLOURS`
(positive / negative weights in the pages' tables), :data:`CROSSHAIR` and :data:`GREYS`. No page
or ``ui`` module writes a colour of its own.

>>> PALETTE["window"], RGB["window"]
('#FFE2AA', (255, 226, 170))
>>> round(contrast("text", "current"), 1)
8.2
"""
from __future__ import annotations

__all__ = ["PALETTE", "CHANNEL_COLOURS", "ROLES", "RGB", "TEXT_ON_FILL", "FIELD_COLOURS", "CATEGORY_COLOURS",
           "PLANE_COLOURS", "SIGN_COLOURS", "CROSSHAIR", "GREYS", "rgb", "contrast"]

#: Role -> ``#RRGGBB``.
PALETTE: dict[str, str] = {
    "background": "#FFFFFF",
    "text": "#141414",
    "muted": "#5E5E5E",
    "line": "#999999",
    "input": "#FFFFFF",
    "pad": "#DEDEDE",
    "hatch": "#B9B9B9",
    "inserted": "#F0F0F0",
    "window": "#FFE2AA",
    "window_edge": "#B35C00",
    "current": "#E69F00",
    "done": "#CCE2F5",
    "kernel": "#CCE2F5",
    "weight": "#0060A8",
}

#: One colour per input channel (0, 1, 2) in the channel pictures (the grouped-convolution
#: diagram and the multi-channel player): Okabe-Ito vermillion, bluish green and reddish purple,
#: apart from the orange "now" and the blue "kernel". Drawn as outlines and lines, never under numbers.
CHANNEL_COLOURS: tuple[str, ...] = ("#D55E00", "#009E73", "#CC79A7")

#: Role -> what is drawn in it.
ROLES: dict[str, str] = {
    "background": "the picture behind everything",
    "text": "numbers in input and output cells, the equation, the caption",
    "muted": "titles (input, kernel, output), the step counter, the arrow, numbers in padding "
             "and inserted cells",
    "line": "cell borders",
    "input": "input cells, and output cells not computed yet",
    "pad": "padding cells (under the hatch)",
    "hatch": "the hatch lines over padding cells",
    "inserted": "the zeros a transposed convolution inserts between input cells",
    "window": "input cells under the kernel",
    "window_edge": "the outline of the window and of the current output cell; y[i, j] in the equation",
    "current": "the output cell being computed",
    "done": "output cells already computed",
    "kernel": "kernel cells (and the pooling window box)",
    "weight": "kernel weights and products (blue text), kernel outlines, the play button",
}

#: ``(text role, fill role)`` for every place a number is written on a fill.
TEXT_ON_FILL: tuple[tuple[str, str], ...] = (
    ("text", "input"), ("text", "window"), ("text", "current"), ("text", "done"),
    ("muted", "pad"), ("muted", "inserted"), ("muted", "window"), ("muted", "background"),
    ("weight", "window"), ("weight", "kernel"), ("weight", "background"),
    ("window_edge", "background"),
)


#: Outlines of the receptive fields drawn over a photo, one per layer, shallow to deep (reused in
#: turn after the last): Okabe-Ito's eight colours, which stay apart for the common colour-vision
#: deficiencies, then Paul Tol's wine (a VGG-like stack has nine); drawn on a white halo so each
#: shows on any photo.
FIELD_COLOURS: tuple[str, ...] = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
                                  "#CC79A7", "#000000", "#882255")


#: Layer categories (:data:`convviz.nets.layers.CATEGORIES`) in the Parameter counts charts (bars by
#: type, the trend's dots and bars): Okabe-Ito, distinguishable with the common colour-vision deficiencies.
CATEGORY_COLOURS: dict[str, str] = {"conv": "#0072B2", "dense": "#E69F00", "norm": "#009E73", "pool": "#56B4E9",
                                    "activation": "#CC79A7", "reshape": "#999999", "dropout": "#F0E442",
                                    "block": "#D55E00"}

#: A photo's R, G and B planes: their names over the pixel inspector's and the Inside page's tables.
PLANE_COLOURS: tuple[str, str, str] = ("#c62828", "#2e7d32", "#1565c0")

#: The sign cue of weights and products in the pages' tables, colour-blind safe: blue positive,
#: orange negative, grey zero.
SIGN_COLOURS: dict[str, str] = {"positive": "#1f5fbf", "negative": "#b35900", "zero": "#777"}

#: The pixel inspector's crosshair (and the outline of the centre cell of its tables).
CROSSHAIR = "#ff00c8"

#: Greys of the pages' own tables and charts, by what they draw: ``cell`` an HTML table cell,
#: ``ink`` the numbers in it, ``label`` a channel name with no colour of its own (one plane),
#: ``caption`` captions, row numbers and a zero weight of the kernel table, ``black`` / ``white``
#: text on a grey pixel and the outline of a picked dot.
GREYS: dict[str, str] = {"cell": "#fff", "ink": "#111", "label": "#333", "caption": "#555", "black": "#000",
                         "white": "#fff"}


def rgb(name: str) -> tuple[int, int, int]:
    """The colour of role ``name`` as an ``(r, g, b)`` tuple of 0..255.

    >>> rgb("weight")
    (0, 96, 168)
    """
    code = PALETTE[name].lstrip("#")
    return int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16)


#: Role -> ``(r, g, b)``, for Pillow.
RGB: dict[str, tuple[int, int, int]] = {name: rgb(name) for name in PALETTE}


def _luminance(name: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb(name))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between roles ``a`` and ``b`` (1 to 21; AA text needs 4.5).

    >>> round(contrast("text", "background"), 1)
    18.4
    """
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
