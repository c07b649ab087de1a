"""Pictures of channels and groups: the wiring diagram (SVG) and the multi-channel step player (HTML).

The numbers come from :mod:`convviz.sliding.groups`; this module only places boxes and lines.
Channel colours are :data:`convviz.pictures.palette.CHANNEL_COLOURS`, the rest :data:`convviz.pictures.palette.PALETTE`.
"""
from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from convviz.pictures import CHANNEL_COLOURS, PALETTE
from convviz.sliding import ChannelSteps
from ui.common.static_files import static_text
from ui.stride.player import checked_labels, player_document, safe_json

__all__ = ["CHANNEL_PLAYER_LABELS", "groups_svg", "channel_player_html"]

#: Label keys :func:`channel_player_html` needs (the page passes translated strings).
CHANNEL_PLAYER_LABELS = ("play", "pause", "prev", "next", "first", "last", "speed", "step", "scrubber", "in_channel",
                  "kernel_slice", "out_channel", "value", "weight", "product", "channel_sum", "sum", "bias",
                  "result", "phase_channel", "phase_sum", "phase_bias", "not_read")


def groups_svg(reads: Sequence[Sequence[int]], in_channels: int, *, input_label: str, output_label: str) -> str:
    """A diagram: input channels on the left, output channels on the right, a line per channel read.

    Each line has its input channel's colour, so "standard" (every output reads every input) and
    "depthwise" (one line per output) look different at a glance.

    >>> svg = groups_svg([(0, 1), (0, 1)], 2, input_label="in", output_label="out")
    >>> svg.startswith("<svg") and svg.count("<line") == 4
    True
    """
    # 18-px text in a 360-unit drawing: shown at a phone's ~330 px, the numbers stay ~16 px high.
    row, box, width = 56, 40, 360
    height = max(in_channels, len(reads)) * row + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="18">',
             f'<rect width="{width}" height="{height}" fill="{PALETTE["background"]}"/>',
             # The titles start and end at the edges, so a long one ("output channels") stays inside.
             f'<text x="4" y="18" text-anchor="start" fill="{PALETTE["muted"]}">{html.escape(input_label)}</text>',
             (f'<text x="{width - 4}" y="18" text-anchor="end" fill="{PALETTE["muted"]}">'
              f'{html.escape(output_label)}</text>')]

    def y_of(i: int, n: int) -> float:
        top = 30 + (max(in_channels, len(reads)) - n) * row / 2
        return top + i * row + box / 2

    for o, chans in enumerate(reads):
        for c in chans:
            parts.append(f'<line x1="{60 + box / 2}" y1="{y_of(c, in_channels)}" x2="{300 - box / 2}" '
                         f'y2="{y_of(o, len(reads))}" stroke="{CHANNEL_COLOURS[c % len(CHANNEL_COLOURS)]}" '
                         f'stroke-width="4"/>')
    for c in range(in_channels):
        colour = CHANNEL_COLOURS[c % len(CHANNEL_COLOURS)]
        y = y_of(c, in_channels)
        parts.append(f'<rect x="{60 - box / 2}" y="{y - box / 2}" width="{box}" height="{box}" rx="6" '
                     f'fill="{PALETTE["input"]}" stroke="{colour}" stroke-width="4"/>'
                     f'<text x="60" y="{y + 6}" text-anchor="middle" fill="{PALETTE["text"]}">{c}</text>')
    for o in range(len(reads)):
        y = y_of(o, len(reads))
        parts.append(f'<rect x="{300 - box / 2}" y="{y - box / 2}" width="{box}" height="{box}" rx="6" '
                     f'fill="{PALETTE["kernel"]}" stroke="{PALETTE["weight"]}" stroke-width="2"/>'
                     f'<text x="300" y="{y + 6}" text-anchor="middle" fill="{PALETTE["text"]}">{o}</text>')
    parts.append("</svg>")
    return "".join(parts)


def channel_player_html(cs: ChannelSteps, labels: Mapping[str, str], *, lang: str = "en", scale: float = 1.0) -> str:
    """The multi-channel step player for ``cs`` as one HTML document (same transport bar as the grid player).

    Examples
    --------
    >>> import numpy as np
    >>> from convviz import channel_steps
    >>> cs = channel_steps(np.ones((2, 3, 3), int), np.ones((1, 2, 2, 2), int), [1])
    >>> page = channel_player_html(cs, {k: k for k in CHANNEL_PLAYER_LABELS})
    >>> page.startswith("<!DOCTYPE html>") and "cv-channels" in page
    True
    """
    data = cs.to_data()
    data["labels"] = checked_labels(labels, CHANNEL_PLAYER_LABELS)
    data["colours"] = list(CHANNEL_COLOURS)
    body = (f"<style>{static_text('channels.css')}</style>"
            '<svg id="cv-svg" data-testid="cv-channels" role="img"></svg>'
            '<div id="cv-eq" class="eq" data-testid="cv-eq"></div>'
            '<div id="cv-terms" class="terms" data-testid="cv-terms"></div>')
    return player_document(lang, body, safe_json(data), "channels.js", scale)
