"""Small HTML tables of numbers, shared by the pixel inspector and the Inside a Conv Layer page.

Every value is escaped here; callers pass plain text.

>>> table_html("w", [[cell_html("-1", fg=signed_colour(-1))]]).count("<td")
1
"""
from __future__ import annotations

import html

from convviz.pictures import CROSSHAIR, GREYS, SIGN_COLOURS

#: The names of a photo's planes, in order (their colours: :data:`convviz.pictures.PLANE_COLOURS`).
PLANE_NAMES = ("R", "G", "B")


def signed_colour(v: float, *, zero: str = SIGN_COLOURS["zero"]) -> str:
    """The colour-blind-safe sign cue of weights and products: blue positive, orange negative.

    >>> signed_colour(2), signed_colour(-0.5), signed_colour(0)
    ('#1f5fbf', '#b35900', '#777')
    """
    return SIGN_COLOURS["positive"] if v > 0 else SIGN_COLOURS["negative"] if v < 0 else zero


def cell_html(text: str, *, bg: str = GREYS["cell"], fg: str = GREYS["ink"], outside: bool = False,
              centre: bool = False, title: str = "", small: bool = False) -> str:
    """One ``<td>``: ``outside`` cells (beyond the picture) are dashed and hatched, ``centre`` outlined."""
    style = [f"background:{bg}", f"color:{fg}", "text-align:right", "font-family:monospace",
             "padding:1px 3px" if small else "padding:3px 6px", f"font-size:{'10px' if small else '13px'}",
             f"min-width:{'22px' if small else '34px'}"]
    style.append("border:1px dashed #888" if outside else "border:1px solid #ccc")
    if outside:
        style += ["font-style:italic",
                  "background-image:repeating-linear-gradient(45deg,rgba(128,128,128,.35) 0 2px,transparent 2px 6px)"]
    if centre:
        style.append(f"outline:2px solid {CROSSHAIR};outline-offset:-2px")
    tip = f' title="{html.escape(title)}"' if title else ""
    return f'<td style="{";".join(style)}"{tip}>{html.escape(text)}</td>'


def table_html(caption: str, rows: list[list[str]]) -> str:
    """A table of :func:`cell_html` rows under a small caption."""
    body = "".join("<tr>" + "".join(r) + "</tr>" for r in rows)
    return (f'<table style="border-collapse:collapse;margin:0">'
            f'<caption style="caption-side:top;font-size:12px;color:{GREYS["caption"]};text-align:left">'
            f"{html.escape(caption)}</caption>{body}</table>")
