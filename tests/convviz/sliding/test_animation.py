"""Pillow rendering: PNG and GIF exports show the right step, in colour-blind-safe colours."""
import io

import numpy as np
import pytest
from PIL import Image

import convviz
from convviz.pictures.palette import RGB
from convviz.sliding.animation import _Layout, animation_gif, frame_png, geometry_caption, render_frame
from convviz.sliding.frames import conv_frames, conv_transpose_frames, pool_frames
from convviz.sliding.grids import sample_values

EDGE = np.array([[1, 0, -1]] * 3)


@pytest.fixture(scope="module")
def classroom():
    return conv_frames(sample_values("pattern", (7, 7)), EDGE, stride=2, padding=1)


def _pixel(img, box):
    """Colour a little inside the top-left corner of a cell box (away from outlines and text)."""
    x0, y0, x1, y1 = box
    return img.getpixel((int(x0 + (x1 - x0) * 0.12), int(y0 + (y1 - y0) * 0.12)))


def test_render_frame_marks_window_and_output(classroom):
    img = render_frame(classroom, 3)
    assert img.size == (1280, 720) and img.mode == "RGB"
    lay = _Layout(classroom, img.size)
    frame = classroom.frames[3]
    for r, c in frame.cells:
        assert _pixel(img, lay.gbox(r, c)) == RGB["window"]
    assert _pixel(img, lay.gbox(4, 0)) != RGB["window"]          # not under the kernel
    assert _pixel(img, lay.obox(0, 3)) == RGB["current"]
    assert _pixel(img, lay.obox(0, 0)) == RGB["done"]            # computed earlier
    assert _pixel(img, lay.obox(1, 0)) == RGB["input"]           # not yet computed
    # the next step moves the window: different cells highlighted
    nxt = render_frame(classroom, 4)
    assert _pixel(nxt, lay.gbox(0, 6)) != RGB["window"] and _pixel(nxt, lay.gbox(2, 0)) == RGB["window"]


def test_final_frame_has_every_output_and_no_window(classroom):
    img = render_frame(classroom, len(classroom.frames))
    lay = _Layout(classroom, img.size)
    assert all(_pixel(img, lay.obox(*f.out)) == RGB["done"] for f in classroom.frames)
    assert not any(_pixel(img, lay.gbox(r, c)) == RGB["window"]
                   for r in range(9) for c in range(9))


def test_step_out_of_range(classroom):
    for bad in (-1, 17, 2.5, True, "1"):
        with pytest.raises(convviz.GeometryError):
            render_frame(classroom, bad)
    # a whole float is a whole number here as everywhere (convviz.checks)
    assert render_frame(classroom, 2.0).tobytes() == render_frame(classroom, 2).tobytes()


def test_png_export(classroom):
    data = frame_png(classroom, 3)
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG" and img.size == (1280, 720)
    assert np.array_equal(np.asarray(img.convert("RGB")), np.asarray(render_frame(classroom, 3)))


def test_gif_has_every_step_then_the_result(classroom):
    data = animation_gif(classroom, size=(640, 360), duration_ms=500, final_ms=2000)
    gif = Image.open(io.BytesIO(data))
    assert gif.format == "GIF" and gif.size == (640, 360) and gif.info.get("loop") == 0
    assert gif.n_frames == len(classroom.frames) + 1
    # every frame (encoded as a changed rectangle over the previous one) shows exactly that step
    for k in range(gif.n_frames):
        gif.seek(k)
        shown = np.asarray(gif.convert("RGB"), dtype=int)
        want = np.asarray(render_frame(classroom, k, size=(640, 360)), dtype=int)
        close = np.abs(shown - want).sum(axis=-1) <= 30      # quantization nudges anti-aliased edges
        assert close.mean() > 0.99, k
        assert gif.info["duration"] == (500 if k < 16 else 2000)


def test_colours_survive_colour_blindness():
    # Blue/orange pairs differ strongly in lightness, which every colour-vision type keeps.
    def lum(rgb):
        r, g, b = (v / 255 for v in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    assert abs(lum(RGB["current"]) - lum(RGB["done"])) > 0.2
    assert abs(lum(RGB["window"]) - lum(RGB["pad"])) > 0.0
    assert abs(lum(RGB["weight"]) - lum(RGB["background"])) > 0.5     # small blue text stays readable
    # no red/green pair: the highlight colours are blue or orange hues
    for name in ("current", "window", "window_edge"):
        r, g, b = RGB[name]
        assert r > g > b                                                   # orange family
    for name in ("done", "weight", "kernel"):
        r, g, b = RGB[name]
        assert b > r                                                       # blue family


def test_other_operations_render():
    t = conv_transpose_frames(np.array([[1, 2], [3, 4]]), np.ones((3, 3), int), stride=2, padding=1)
    assert render_frame(t, 0, size=(960, 540)).size == (960, 540)
    assert "conv_transpose2d" in geometry_caption(t) and "output_padding 0" in geometry_caption(t)
    p = pool_frames(np.arange(36).reshape(6, 6), 3, stride=2, padding=1, op="max")
    assert render_frame(p, 2).size == (1280, 720)
    assert geometry_caption(p).startswith("max_pool2d   6×6 → 3×3")
    big = conv_frames(sample_values("random", (16, 16)), np.ones((7, 7), int), padding=3)
    assert render_frame(big, 100).size == (1280, 720)


def test_caption(classroom):
    assert geometry_caption(classroom) == "conv2d   7×7 → 4×4   kernel 3×3   stride 2   padding 1   dilation 1"


def test_docstring_examples():
    import doctest

    import convviz.sliding.animation
    assert doctest.testmod(convviz.sliding.animation).failed == 0


def test_gif_transparency_index_is_never_a_drawn_colour(classroom):
    from convviz.sliding.animation import _palette_image

    pal = _palette_image()
    assert pal.getpalette()[255 * 3: 256 * 3] == [255, 0, 255]
    for k in (0, 3, len(classroom.frames)):
        quantized = render_frame(classroom, k).quantize(palette=pal, dither=Image.Dither.NONE)
        assert 255 not in np.unique(np.asarray(quantized))
