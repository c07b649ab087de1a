"""Draw a :class:`~convviz.sliding.frames.FrameSet` with Pillow: one frame as PNG, all as a GIF.

Sized for a 16:9 slide (1280x720 by default), numbers large enough to read from the
back of a classroom, and colours that stay apart for colour-blind viewers (:mod:`convviz.pictures.palette`,
shared with the live players): the current window and output cell are orange, finished output
cells blue, padding grey and hatched.

>>> import numpy as np
>>> from convviz.sliding.frames import conv_frames
>>> fs = conv_frames(np.ones((7, 7), int), np.ones((3, 3), int), stride=2, padding=1)
>>> render_frame(fs, 3).size
(1280, 720)
>>> animation_gif(fs, size=(640, 360))[:6]
b'GIF89a'
"""
from __future__ import annotations

import functools
import io
from collections.abc import Mapping

import numpy as np
from PIL import GifImagePlugin, Image, ImageDraw, ImageFont

from ..checks import check_int
from ..errors import GeometryError
from ..numbers import format_number
from ..pictures.fonts import drawable, load_font
from ..pictures.palette import RGB
from .frames import INPUT, INSERTED, PAD, FrameSet

__all__ = ["DEFAULT_LABELS", "render_frame", "frame_png", "animation_gif", "geometry_caption"]

#: Words drawn into the picture; pass translations through ``labels=`` (the font has Hangul).
DEFAULT_LABELS: dict[str, str] = {
    "input": "input", "kernel": "kernel", "kernel_rotated": "kernel (rotated 180°)",
    "window": "window", "output": "output",
    "stride": "stride", "padding": "padding", "dilation": "dilation", "output_padding": "output_padding",
}


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return load_font(size, bold=bold)


def _text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int, fill,
          *, bold: bool = False, anchor: str = "mm") -> None:
    draw.text(xy, drawable(text), font=_font(max(6, int(size)), bold), fill=fill, anchor=anchor)


def _text_width(text: str, size: int, bold: bool = False) -> float:
    return _font(max(6, int(size)), bold).getlength(drawable(text))


def geometry_caption(fs: FrameSet, labels: Mapping[str, str] | None = None) -> str:
    """One line naming the operation and its geometry, in the words of ``labels``.

    >>> import numpy as np
    >>> from convviz.sliding.frames import conv_frames
    >>> geometry_caption(conv_frames(np.ones((7, 7)), np.ones((3, 3)), stride=2, padding=1))
    'conv2d   7×7 → 4×4   kernel 3×3   stride 2   padding 1   dilation 1'
    """
    def pair(v) -> str:
        if isinstance(v, str):
            return v
        return str(v[0]) if v[0] == v[1] else f"{v[0]}×{v[1]}"

    words = {**DEFAULT_LABELS, **(labels or {})}
    h, w = fs.x.shape
    oh, ow = fs.output.shape
    name = {"conv": "conv2d", "max": "max_pool2d", "avg": "avg_pool2d",
            "transposed": "conv_transpose2d"}[fs.op]
    parts = [name, f"{h}×{w} → {oh}×{ow}", f"{words['kernel']} {fs.kernel_size[0]}×{fs.kernel_size[1]}",
             f"{words['stride']} {pair(fs.params['stride'])}", f"{words['padding']} {pair(fs.params['padding'])}"]
    if "output_padding" in fs.params:
        parts.append(f"{words['output_padding']} {pair(fs.params['output_padding'])}")
    if fs.op in ("conv", "transposed"):
        parts.append(f"{words['dilation']} {pair(fs.params['dilation'])}")
    return "   ".join(parts)


def _hatch(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], color, gap: float) -> None:
    x0, y0, x1, y1 = box
    size = x1 - x0
    t = gap
    while t < 2 * size:
        # A 45-degree line clipped to the square cell.
        a = (x0 + max(0.0, t - size), y0 + min(t, size))
        b = (x0 + min(t, size), y0 + max(0.0, t - size))
        draw.line([a, b], fill=color, width=1)
        t += gap


def _fit_cell(width: float, height: float, rows: int, cols: int, largest: float) -> float:
    return max(4.0, min(largest, width / cols, height / rows))


class _Layout:
    """Where everything goes for one FrameSet at one image size."""

    def __init__(self, fs: FrameSet, size: tuple[int, int], labels: Mapping[str, str] | None = None) -> None:
        self.labels = {**DEFAULT_LABELS, **(labels or {})}
        W, H = size
        self.W, self.H = W, H
        self.u = u = H / 720.0          # layout unit: everything scales with the height
        self.top, bottom = 90 * u, 590 * u
        self.area_h = bottom - self.top
        self.margin = margin = 20 * u
        gap = 40 * u
        self.kernel_w = 190 * u
        self.side_w = side_w = (W - 2 * margin - self.kernel_w - 2 * gap) / 2
        gh, gw = fs.grid.shape
        oh, ow = fs.output.shape
        kh, kw = fs.kernel_size
        self.cell = _fit_cell(side_w, self.area_h, gh, gw, 64 * u)
        self.gx0 = margin + (side_w - self.cell * gw) / 2
        self.gy0 = self.top + (self.area_h - self.cell * gh) / 2
        self.kx0 = margin + side_w + gap
        self.kcell = _fit_cell(self.kernel_w, self.area_h * 0.6, kh, kw, 56 * u)
        self.ky0 = self.top + (self.area_h - self.kcell * kh) / 2
        self.kxs = self.kx0 + (self.kernel_w - self.kcell * kw) / 2
        self.ox_area = self.kx0 + self.kernel_w + gap
        self.ocell = _fit_cell(side_w, self.area_h, oh, ow, 64 * u)
        self.ox0 = self.ox_area + (side_w - self.ocell * ow) / 2
        self.oy0 = self.top + (self.area_h - self.ocell * oh) / 2
        # Weights inside window cells only where they stay legible.
        self.show_weights = fs.kernel is not None and self.cell >= 34 * u

    def gbox(self, r: int, c: int) -> tuple[float, float, float, float]:
        return (self.gx0 + c * self.cell, self.gy0 + r * self.cell,
                self.gx0 + (c + 1) * self.cell, self.gy0 + (r + 1) * self.cell)

    def obox(self, r: int, c: int) -> tuple[float, float, float, float]:
        return (self.ox0 + c * self.ocell, self.oy0 + r * self.ocell,
                self.ox0 + (c + 1) * self.ocell, self.oy0 + (r + 1) * self.ocell)


def _grid_cell(draw: ImageDraw.ImageDraw, fs: FrameSet, lay: _Layout, r: int, c: int,
               tap: tuple[int, int] | None) -> None:
    """One input-grid cell; ``tap`` is the kernel position over it, if the window is there."""
    box = lay.gbox(r, c)
    cell = lay.cell
    kind = int(fs.kind[r, c])
    fill = {INPUT: RGB["input"], PAD: RGB["pad"], INSERTED: RGB["inserted"]}[kind]
    if tap is not None:
        fill = RGB["window"]
    draw.rectangle(box, fill=fill, outline=RGB["line"])
    if kind == PAD and tap is None:
        _hatch(draw, box, RGB["hatch"], max(4.0, cell / 4))
    color = RGB["text"] if kind == INPUT else RGB["muted"]
    value = format_number(fs.grid[r, c])
    if tap is not None and lay.show_weights:
        # value up-left, weight down-right, so both read at projector distance
        _text(draw, (box[0] + cell * 0.36, box[1] + cell * 0.38), value, cell * 0.36, color, bold=True)
        _text(draw, (box[2] - cell * 0.08, box[3] - cell * 0.08),
              "×" + format_number(fs.kernel[tap]), cell * 0.26, RGB["weight"], anchor="rs")
    else:
        _text(draw, ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), value,
              cell * (0.42 if len(value) < 3 else 0.3), color, bold=tap is not None)


def _output_cell(draw: ImageDraw.ImageDraw, fs: FrameSet, lay: _Layout, k: int, state: str) -> None:
    """Output cell of frame ``k``: ``state`` is "todo", "done" or "current"."""
    f = fs.frames[k]
    box = lay.obox(*f.out)
    fill = {"todo": RGB["input"], "done": RGB["done"], "current": RGB["current"]}[state]
    draw.rectangle(box, fill=fill, outline=RGB["line"])
    if state != "todo":
        text = format_number(f.result)
        _text(draw, ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), text,
              lay.ocell * (0.40 if len(text) < 4 else 0.28), RGB["text"], bold=state == "current")
    if state == "current":
        draw.rectangle(box, outline=RGB["window_edge"], width=max(2, int(lay.ocell / 12)))


def _base(fs: FrameSet, lay: _Layout) -> Image.Image:
    """Everything that does not change between steps."""
    u = lay.u
    img = Image.new("RGB", (lay.W, lay.H), RGB["background"])
    draw = ImageDraw.Draw(img)
    caption = geometry_caption(fs, lay.labels)
    size = 24 * u
    while size > 12 * u and _text_width(caption, int(size), bold=True) > lay.W - 2 * 110 * u:
        size -= 1   # long captions (transposed conv) must not run into the step counter
    _text(draw, (lay.W / 2, 30 * u), caption, size, RGB["text"], bold=True)
    _text(draw, (lay.margin + lay.side_w / 2, lay.top - 18 * u), lay.labels["input"], 20 * u, RGB["muted"])
    for r in range(fs.grid.shape[0]):
        for c in range(fs.grid.shape[1]):
            _grid_cell(draw, fs, lay, r, c, None)
    kh, kw = fs.kernel_size
    title = lay.labels["kernel_rotated" if fs.op == "transposed" else "kernel" if fs.kernel is not None else "window"]
    _text(draw, (lay.kx0 + lay.kernel_w / 2, lay.top - 18 * u), title, 18 * u, RGB["muted"])
    kc = lay.kcell
    if fs.kernel is None:
        # Pooling has no weights: one box naming the operation.
        box = (lay.kxs, lay.ky0, lay.kxs + kw * kc, lay.ky0 + kh * kc)
        draw.rectangle(box, fill=RGB["kernel"], outline=RGB["weight"], width=max(1, int(2 * u)))
        _text(draw, ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), fs.op,
              min(box[2] - box[0], box[3] - box[1]) * 0.3 + 4 * u, RGB["weight"], bold=True)
    for i in range(kh if fs.kernel is not None else 0):
        for j in range(kw):
            box = (lay.kxs + j * kc, lay.ky0 + i * kc, lay.kxs + (j + 1) * kc, lay.ky0 + (i + 1) * kc)
            draw.rectangle(box, fill=RGB["kernel"], outline=RGB["weight"], width=max(1, int(2 * u)))
            _text(draw, ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), format_number(fs.kernel[i, j]),
                  kc * 0.42, RGB["weight"], bold=True)
    _text(draw, (lay.kx0 + lay.kernel_w / 2, lay.ky0 + kc * kh + 24 * u), "→", 40 * u, RGB["muted"])
    _text(draw, (lay.ox_area + lay.side_w / 2, lay.top - 18 * u), lay.labels["output"], 20 * u, RGB["muted"])
    for k in range(len(fs.frames)):
        _output_cell(draw, fs, lay, k, "todo")
    return img


def _overlay(img: Image.Image, fs: FrameSet, lay: _Layout, step: int) -> None:
    """Draw the window, the current output cell, the equation and the progress of ``step``."""
    draw = ImageDraw.Draw(img)
    u = lay.u
    n = len(fs.frames)
    _text(draw, (lay.W - 20 * u, 30 * u), f"{min(step + 1, n)} / {n}", 20 * u, RGB["muted"], anchor="rm")
    if step >= n:
        return
    frame = fs.frames[step]
    for (r, c), tap in zip(frame.cells, frame.taps):
        _grid_cell(draw, fs, lay, r, c, tap)
    for (r, c) in frame.cells:
        draw.rectangle(lay.gbox(r, c), outline=RGB["window_edge"], width=max(2, int(lay.cell / 14)))
    _output_cell(draw, fs, lay, step, "current")
    label = f"y[{frame.out[0]}, {frame.out[1]}] = "
    _equation_lines(draw, label + frame.equation, lay.W, (610 * u, lay.H - 10 * u), u)


def render_frame(fs: FrameSet, step: int, *, size: tuple[int, int] = (1280, 720),
                 labels: Mapping[str, str] | None = None) -> Image.Image:
    """Draw animation step ``step`` (0-based); ``step == len(fs.frames)`` draws the finished output.

    Parameters
    ----------
    fs : FrameSet
    step : int
    size : (int, int), keyword-only
        Image ``(width, height)`` in pixels; the layout scales with it.
    labels : mapping, keyword-only
        Translations of :data:`DEFAULT_LABELS` (the words "input", "kernel", "output", ...).

    Returns
    -------
    PIL.Image.Image
        RGB.

    Raises
    ------
    GeometryError
        When ``step`` is outside ``0 .. len(fs.frames)``.
    """
    n = len(fs.frames)
    step = check_int(step, "step", minimum=0, maximum=n, error=GeometryError)
    lay = _Layout(fs, size, labels)
    img = _base(fs, lay)
    draw = ImageDraw.Draw(img)
    for k in range(min(step, n)):
        _output_cell(draw, fs, lay, k, "done")
    _overlay(img, fs, lay, step)
    return img


def _equation_lines(draw: ImageDraw.ImageDraw, text: str, width: int, band: tuple[float, float], u: float) -> None:
    """Write ``text`` in the band, shrinking then wrapping (at ``+``) so it fits."""
    y0, y1 = band
    usable = width - 40 * u
    for size in (30, 26, 22, 19, 16):
        s = size * u
        lines = _wrap(text, usable, s)
        if len(lines) * s * 1.3 <= y1 - y0:
            break
    max_lines = max(1, int((y1 - y0) // (s * 1.3)))
    if len(lines) > max_lines:
        lines = lines[: max_lines]
        lines[-1] = lines[-1] + " …"
    for i, line in enumerate(lines):
        _text(draw, (20 * u, y0 + i * s * 1.3), line, s, RGB["text"], anchor="la")


def _wrap(text: str, usable: float, size: float) -> list[str]:
    tokens = text.split(" + ")
    lines: list[str] = []
    cur = ""
    for i, tok in enumerate(tokens):
        piece = tok if i == 0 else " + " + tok
        if cur and _text_width(cur + piece, int(size)) > usable:
            lines.append(cur)
            cur = "+ " + tok
        else:
            cur += piece
    lines.append(cur)
    return lines


def frame_png(fs: FrameSet, step: int, *, size: tuple[int, int] = (1280, 720),
              labels: Mapping[str, str] | None = None) -> bytes:
    """PNG bytes of :func:`render_frame`.

    >>> import numpy as np
    >>> from convviz.sliding.frames import pool_frames
    >>> frame_png(pool_frames(np.arange(16).reshape(4, 4), 2), 0)[:4]
    b'\\x89PNG'
    """
    buf = io.BytesIO()
    render_frame(fs, step, size=size, labels=labels).save(buf, format="PNG", optimize=True)
    return buf.getvalue()


@functools.lru_cache(maxsize=1)
def _palette_image() -> Image.Image:
    """A fixed palette: the scheme's colours plus a grey ramp (anti-aliased text)."""
    colors = list(dict.fromkeys(RGB.values()))
    colors += [(v, v, v) for v in range(0, 256, 8)]
    # blends of each colour with text/white keep anti-aliased edges smooth
    base = list(RGB.values())
    ink, paper = RGB["text"], RGB["background"]
    for a in base:
        for t in (0.25, 0.5, 0.75):
            colors.append(tuple(int(a[i] * t + ink[i] * (1 - t)) for i in range(3)))
            colors.append(tuple(int(a[i] * t + paper[i] * (1 - t)) for i in range(3)))
    # Pillow maps to a palette through a reduced-precision lookup: keep entries well apart,
    # or white may come out as a near-white grey.
    kept: list[tuple[int, int, int]] = []
    for col in colors:
        if all(sum(abs(a - b) for a, b in zip(col, k)) > 18 for k in kept):
            kept.append(col)
    colors = kept[:255]   # leave an index free for GIF transparency
    flat = [v for c in colors for v in c]
    # Unused entries (and the transparency index 255) get a colour nothing is drawn in, so
    # quantize never picks them.
    flat += [255, 0, 255] * (256 - len(colors))
    pal = Image.new("P", (1, 1))
    pal.putpalette(flat)
    return pal


def animation_gif(fs: FrameSet, *, size: tuple[int, int] = (1280, 720), duration_ms: int = 800,
                  final_ms: int = 2500, labels: Mapping[str, str] | None = None) -> bytes:
    """Animated GIF of every step, then the finished output held for ``final_ms``.

    Frames are encoded one at a time as they are drawn (only the changed rectangle, with
    unchanged pixels transparent), so memory stays at a few frames even for 1000 steps.

    Parameters
    ----------
    fs : FrameSet
    size : (int, int), keyword-only
        Pixels; 1280x720 fits a 16:9 slide.
    duration_ms : int, keyword-only
        Time per step.
    final_ms : int, keyword-only
        Time the last picture (the complete output) stays before the loop restarts.
    labels : mapping, keyword-only
        Translations of :data:`DEFAULT_LABELS`.

    Returns
    -------
    bytes
        A looping GIF89a.
    """
    pal = _palette_image()
    clear = 255                           # the palette index _palette_image leaves unused
    lay = _Layout(fs, size, labels)
    done = _base(fs, lay)                 # accumulates finished output cells
    done_draw = ImageDraw.Draw(done)
    n = len(fs.frames)
    out = io.BytesIO()
    previous: np.ndarray | None = None
    pending: list = []                    # [image, offset, params]: written once its duration is final

    def flush() -> None:
        if pending:
            image, offset, params = pending
            out.write(b"".join(GifImagePlugin.getdata(image, offset, **params)))

    for k in range(n + 1):
        img = done.copy()
        _overlay(img, fs, lay, k)
        frame = img.quantize(palette=pal, dither=Image.Dither.NONE)
        if k < n:
            _output_cell(done_draw, fs, lay, k, "done")
        index = np.asarray(frame)
        duration = duration_ms if k < n else final_ms
        if previous is None:
            header, _ = GifImagePlugin.getheader(frame, info={"loop": 0, "duration": duration})
            out.write(b"".join(header))
            pending = [frame, (0, 0), {"duration": duration, "disposal": 1}]
        else:
            changed = index != previous
            if not changed.any():
                pending[2]["duration"] += duration
                continue
            rows = np.flatnonzero(changed.any(axis=1))
            cols = np.flatnonzero(changed.any(axis=0))
            top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
            patch = index[top:bottom, left:right].copy()
            patch[~changed[top:bottom, left:right]] = clear   # keep what is already on screen
            image = Image.fromarray(patch, mode="P")
            image.putpalette(pal.getpalette())
            flush()
            pending = [image, (int(left), int(top)),
                       {"duration": duration, "disposal": 1, "transparency": clear}]
        previous = index
    flush()
    out.write(b";")                       # GIF trailer
    return out.getvalue()
