"""load_image on files the tests make: the formats, modes and failures of issue 2."""
import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from convviz import ImageError, load_image
from convviz.pictures.images import encode_png, working_size


def save(im: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def gradient(w=40, h=30) -> Image.Image:
    x = np.linspace(0, 255, w, dtype=np.uint8)
    y = np.linspace(0, 255, h, dtype=np.uint8)
    return Image.fromarray(np.stack([np.tile(x, (h, 1)), np.tile(y[:, None], (1, w)),
                                     np.full((h, w), 90, np.uint8)], axis=-1))


def test_png_roundtrip_exact():
    im = gradient()
    out = load_image(save(im, "PNG"))
    assert out.dtype == np.uint8 and out.shape == (30, 40, 3)
    np.testing.assert_array_equal(out, np.asarray(im))


def test_file_object_accepted():
    out = load_image(io.BytesIO(save(gradient(), "PNG")))
    assert out.shape == (30, 40, 3)


def test_exif_orientation_is_applied():
    im = gradient(40, 30)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    out = load_image(save(im, "JPEG", exif=exif, quality=95))
    assert out.shape == (40, 30, 3)
    # Rotating 90° clockwise: the stored left column (red 0) becomes the top row, and the
    # stored top row (green 0) becomes the right column.
    assert out[0, :, 0].mean() < 30 and out[-1, :, 0].mean() > 200
    assert out[:, -1, 1].mean() < 30 and out[:, 0, 1].mean() > 200


def test_rgba_flattened_onto_white():
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[..., 0] = 255
    rgba[:2, :, 3] = 255  # top half opaque red, bottom half fully transparent
    out = load_image(save(Image.fromarray(rgba, "RGBA"), "PNG"))
    assert out[0, 0].tolist() == [255, 0, 0]
    assert out[3, 3].tolist() == [255, 255, 255]


def test_palette_gif_with_transparency_and_animation_first_frame():
    frames = [Image.new("P", (6, 5), i) for i in (1, 2)]
    for f in frames:
        f.putpalette([0, 0, 0, 200, 0, 0, 0, 0, 200] + [0] * 759)
    data = save(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    out = load_image(data)
    assert out.shape == (5, 6, 3) and out[0, 0].tolist() == [200, 0, 0]


def test_greyscale_and_1bit():
    assert load_image(save(Image.new("L", (3, 2), 77), "PNG"))[0, 0].tolist() == [77, 77, 77]
    assert load_image(save(Image.new("1", (3, 2), 1), "PNG"))[0, 0].tolist() == [255, 255, 255]


def test_16bit_greyscale_png_is_scaled_not_clipped():
    grey = np.array([[0, 257 * 128, 65535]], np.uint16)
    out = load_image(save(Image.fromarray(grey), "PNG"))
    assert out[0, :, 0].tolist() == [0, 128, 255]


def test_cmyk_jpeg():
    data = save(Image.new("CMYK", (8, 8), (0, 255, 255, 0)), "JPEG", quality=95)
    r, g, b = load_image(data)[4, 4].tolist()
    assert r > 200 and g < 60 and b < 60


@pytest.mark.parametrize("data, match", [
    (b"", "empty"),
    (b"hello, this is a text file\n" * 10, "not an image we can read"),
    (b"%PDF-1.7\n...", "PDF"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "SVG"),
    (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "HEIC"),
])
def test_not_images(data, match):
    with pytest.raises(ImageError, match=match):
        load_image(data)


def test_truncated_file():
    data = save(gradient(200, 200), "PNG")
    with pytest.raises(ImageError, match="incomplete|damaged"):
        load_image(data[: len(data) // 2])


def png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG that declares a huge size (its IDAT is only a few bytes)."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


def test_decompression_bomb_refused_before_decoding():
    with pytest.raises(ImageError, match="400 megapixels; the limit is 60"):
        load_image(png_bomb(20000, 20000))


def test_max_pixels_limit_is_inclusive():
    data = save(Image.new("RGB", (10, 10)), "PNG")
    assert load_image(data, max_pixels=100).shape == (10, 10, 3)
    with pytest.raises(ImageError, match="the limit is"):
        load_image(data, max_pixels=99)


def test_large_jpeg_loads_reduced_with_draft_mode():
    # 8 MP of JPEG with a 1 MP limit: the decoder is asked for 1/4 or 1/8 scale instead of refusing.
    data = save(gradient(3264, 2448), "JPEG", quality=70)
    out = load_image(data, max_pixels=1_000_000)
    assert out.shape[0] * out.shape[1] <= 1_000_000 and out.shape[1] >= 400
    png = save(gradient(1200, 900), "PNG")
    with pytest.raises(ImageError, match="megapixels"):
        load_image(png, max_pixels=1_000_000)


def test_target_pixels_gives_working_copy():
    data = save(gradient(2000, 1500), "JPEG", quality=80)
    out = load_image(data, target_pixels=300_000)
    assert out.shape[0] * out.shape[1] <= 300_000
    assert abs(out.shape[1] / out.shape[0] - 4 / 3) < 0.02
    assert working_size((1500, 2000, 3), 300_000) == out.shape[:2]


def test_encode_png_roundtrip():
    a = np.random.default_rng(1).integers(0, 256, (5, 7, 3), dtype=np.uint8)
    np.testing.assert_array_equal(load_image(encode_png(a)), a)


def test_target_slack_keeps_a_phone_photo_at_its_reduced_decode_size():
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4032, 3024), (90, 120, 150)).save(buf, "JPEG", quality=80)
    data = buf.getvalue()
    assert load_image(data, target_pixels=750_000).shape == (750, 1000, 3)        # resampled
    assert load_image(data, target_pixels=750_000, target_slack=0.02).shape == (756, 1008, 3)  # as decoded
    # Beyond the slack, still resampled to the target.
    assert load_image(data, target_pixels=700_000, target_slack=0.02).shape[0] * 1008 < 760_000
    for slack in (0.0, 0.02):
        out = load_image(data, target_pixels=2_000_000, target_slack=slack)
        assert out.shape[0] * out.shape[1] <= 2_000_000 * (1 + slack)
