"""The hostile upload corpus: every kind of file a class may throw at the Image Kernels page.

Everything is generated in memory, deterministically, in well under a second (nothing is
downloaded or stored in the repository). Each :class:`Sample` says what
:func:`convviz.load_image` must do with it: either raise :class:`convviz.ImageError` with one of
``errors`` as its ``code``, or return an image of ``shape`` that passes ``check``.

Builders write a few formats by hand (PNG chunks, GIF blocks, JPEG segments) because the
interesting files are exactly the ones Pillow refuses to write: decompression bombs, lying
headers, truncated streams.

>>> names = [s.name for s in corpus()]
>>> "png_bomb" in names and "exif_orientation_6" in names
True
"""
from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

Check = Callable[[np.ndarray], None]

#: Colours used by the quadrant images (distinct under every rotation / mirror).
QUADRANTS = {"tl": (220, 30, 30), "tr": (30, 200, 30), "bl": (30, 30, 220), "br": (240, 240, 240)}


@dataclass(frozen=True)
class Sample:
    """One corpus file and what :func:`convviz.load_image` must make of it.

    Attributes
    ----------
    name : str
        Stable id (pytest ids, messages).
    filename : str
        The name a student would upload it under; always an extension the uploader accepts,
        because renamed files ("a PDF saved as .png") are exactly the hostile case.
    data : bytes
        The file content.
    errors : frozenset of str
        If non-empty, ``load_image`` must raise ``ImageError`` with one of these codes.
    shape : tuple or None
        Otherwise the expected ``(H, W, 3)`` of the result. With both set, either outcome
        is right (a damaged file that a tolerant decoder can still show).
    check : callable or None
        Further assertions on the decoded array (orientation, alpha, value scaling...).
    options : mapping
        Keyword arguments for ``load_image`` (small ``max_pixels`` keep limit tests cheap).
    max_mb : float
        Bound on the extra memory the call may use (MB).
    ui_ok : bool or None
        Whether the page (default limits, 1.2 MP working copy) shows the file as a picture,
        when that differs from ``load_image`` with ``options`` (see :attr:`ui_outcome`).
    """

    name: str
    filename: str
    data: bytes
    errors: frozenset[str] = frozenset()
    shape: tuple[int, int, int] | None = None
    check: Check | None = None
    options: Mapping[str, int] = field(default_factory=dict)
    max_mb: float = 120.0
    ui_ok: bool | None = None

    @property
    def bad(self) -> bool:
        """``True`` when ``load_image`` must refuse the file."""
        return bool(self.errors) and self.shape is None

    @property
    def either(self) -> bool:
        """``True`` when both outcomes are right: an image of ``shape`` or one of ``errors``."""
        return bool(self.errors) and self.shape is not None

    @property
    def ui_outcome(self) -> str:
        """What the page (default limits, 1.2 MP working copy) must do: ``"image"``, ``"error"`` or ``"either"``."""
        if self.ui_ok is not None:
            return "image" if self.ui_ok else "error"
        return "either" if self.either else "error" if self.bad else "image"

    @property
    def mime(self) -> str:
        ext = self.filename.rsplit(".", 1)[-1].lower()
        return {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
                "webp": "image/webp", "bmp": "image/bmp", "tif": "image/tiff",
                "tiff": "image/tiff"}.get(ext, "application/octet-stream")


# ---------------------------------------------------------------- low-level writers


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC-32 over type and data."""
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_file(width: int, height: int, *, bit_depth: int = 8, colour_type: int = 2, idat: bytes = b"",
             extra: bytes = b"") -> bytes:
    """A PNG from raw parts: IHDR with any declared size, the given (possibly bogus) IDAT payload."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + extra + png_chunk(b"IDAT", idat)
            + png_chunk(b"IEND", b""))


def png_bomb(width: int, height: int) -> bytes:
    """A *valid* 1-bit PNG of ``width x height`` zeros: a few KB that decode to ``width * height`` pixels.

    The zlib stream is built row by row so generating it costs only the compression time.
    """
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte 0, then packed bits
    comp = zlib.compressobj(9)
    parts = [comp.compress(row * 256) for _ in range(height // 256)]
    parts.append(comp.compress(row * (height % 256)))
    parts.append(comp.flush())
    return png_file(width, height, bit_depth=1, colour_type=0, idat=b"".join(parts))


def png_header_bomb(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width x height`` RGB but whose data holds one row."""
    return png_file(width, height, idat=zlib.compress(b"\x00" * (1 + 3 * min(width, 4096)), 9))


def png_rgb16(values: np.ndarray) -> bytes:
    """A 48-bit (16 bits per channel) RGB PNG of ``values`` ``(H, W, 3)`` uint16 (Pillow cannot write one)."""
    h, w, _ = values.shape
    raw = b"".join(b"\x00" + values[r].astype(">u2").tobytes() for r in range(h))
    return png_file(w, h, bit_depth=16, colour_type=2, idat=zlib.compress(raw))


def gif_header_bomb(screen: tuple[int, int], frame: tuple[int, int]) -> bytes:
    """A GIF declaring a ``screen`` canvas and one ``frame``, with an empty LZW stream (clear, end)."""
    lsd = struct.pack("<HHBBB", screen[0], screen[1], 0, 0, 0)  # no global colour table
    descriptor = b"\x2c" + struct.pack("<HHHHB", 0, 0, frame[0], frame[1], 0)
    # LZW minimum code size 2: clear = 4, end = 5, 3-bit codes packed LSB first -> 0b101_100.
    return b"GIF89a" + lsd + descriptor + b"\x02" + b"\x01\x2c\x00" + b"\x3b"


def bmp_header_bomb(width: int, height: int) -> bytes:
    """A 24-bit BMP header declaring ``width x height`` followed by a few bytes of pixels."""
    pixels = b"\x00" * 64
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    head = b"BM" + struct.pack("<IHHI", 14 + len(info) + len(pixels), 0, 0, 14 + len(info))
    return head + info + pixels


def _jpeg_segments(data: bytes) -> list[tuple[int, int, int]]:
    """``(marker, offset, length)`` of each segment up to and including SOS."""
    out, i = [], 2
    while True:
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        out.append((marker, i, length))
        if marker == 0xDA:
            return out
        i += 2 + length


def jpeg_with_size(data: bytes, width: int, height: int) -> bytes:
    """``data`` (a baseline JPEG) with its SOF0 frame header patched to declare ``width x height``."""
    out = bytearray(data)
    for marker, offset, _ in _jpeg_segments(data):
        if marker == 0xC0:
            struct.pack_into(">HH", out, offset + 5, height, width)
            return bytes(out)
    raise AssertionError("no SOF0 segment")


def flat_grey_jpeg(width: int, height: int) -> bytes:
    """A genuine, fully decodable greyscale JPEG of ``width x height`` mid-grey (multiples of 32).

    Mid-grey is 0 after the level shift, so every 8 x 8 block is "DC difference 0, end of
    block": 6 bits with the standard Huffman tables Pillow writes (``00`` + ``1010``). Four
    blocks are exactly the three bytes ``28 a2 8a``, so a 200 MP JPEG costs ~2 MB and 10 ms
    to build instead of a 600 MB encode.
    """
    if width % 32 or height % 32:
        raise ValueError(f"width and height must be multiples of 32, got {width} x {height}")
    buf = io.BytesIO()
    Image.new("L", (32, 32), 128).save(buf, "JPEG", quality=75)
    small = buf.getvalue()
    sos = _jpeg_segments(small)[-1]
    scan_start = sos[1] + 2 + sos[2]
    pattern = b"\x28\xa2\x8a"
    assert small[scan_start:-2] == pattern * 4, "Pillow's encoder no longer uses the standard tables"
    head = jpeg_with_size(small[:scan_start], width, height)
    return head + pattern * ((width // 8) * (height // 8) // 4) + b"\xff\xd9"


def encode(im: Image.Image, fmt: str, **kwargs: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kwargs)
    return buf.getvalue()


def noise(width: int, height: int, seed: int = 8) -> Image.Image:
    """An RGB noise image (incompressible, so truncating it cuts into real pixel data)."""
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8))


def quadrant_image(height: int = 32, width: int = 48) -> np.ndarray:
    """An upright ``(height, width, 3)`` image with four differently coloured quadrants."""
    img = np.empty((height, width, 3), np.uint8)
    h2, w2 = height // 2, width // 2
    img[:h2, :w2], img[:h2, w2:] = QUADRANTS["tl"], QUADRANTS["tr"]
    img[h2:, :w2], img[h2:, w2:] = QUADRANTS["bl"], QUADRANTS["br"]
    return img


#: How the pixels are *stored* for each EXIF orientation, from the upright image ``u``.
#: Straight from the EXIF 2.3 definition of tag 0x0112 (where row 0 / column 0 of the
#: stored image are on the displayed picture), independent of Pillow's implementation.
STORED_FOR_ORIENTATION: dict[int, Callable[[np.ndarray], np.ndarray]] = {
    1: lambda u: u,                                   # row 0 top, column 0 left
    2: lambda u: u[:, ::-1],                          # row 0 top, column 0 right
    3: lambda u: u[::-1, ::-1],                       # row 0 bottom, column 0 right
    4: lambda u: u[::-1, :],                          # row 0 bottom, column 0 left
    5: lambda u: u.transpose(1, 0, 2),                # row 0 left, column 0 top
    6: lambda u: np.rot90(u, 1),                      # row 0 right, column 0 top
    7: lambda u: u[::-1, ::-1].transpose(1, 0, 2),    # row 0 right, column 0 bottom
    8: lambda u: np.rot90(u, -1),                     # row 0 left, column 0 bottom
}


# ---------------------------------------------------------------- checks on decoded arrays


def close_to(expected: tuple[int, int, int] | np.ndarray, tol: int = 0, where: str = "") -> Check:
    """Every pixel is within ``tol`` of ``expected`` (a colour, or a full array)."""
    exp = np.asarray(expected, dtype=np.int16)

    def check(img: np.ndarray) -> None:
        diff = np.abs(img.astype(np.int16) - exp)
        assert diff.max() <= tol, f"{where}: max deviation {diff.max()} > {tol} (first pixel {img.reshape(-1, 3)[0]})"
    return check


def quadrants_upright(tol: int = 40) -> Check:
    """The image shows :func:`quadrant_image` the right way up (checked at quadrant centres)."""
    def check(img: np.ndarray) -> None:
        h, w = img.shape[:2]
        assert (h, w) == (32, 48), f"expected the upright 32 x 48 picture, got {h} x {w}"
        for name, (r, c) in {"tl": (8, 12), "tr": (8, 36), "bl": (24, 12), "br": (24, 36)}.items():
            patch = img[r - 4:r + 4, c - 4:c + 4].reshape(-1, 3).mean(axis=0)
            assert np.abs(patch - QUADRANTS[name]).max() <= tol, (
                f"{name} quadrant is {patch.round()}, expected {QUADRANTS[name]}: wrong orientation")
    return check


def _all(*checks: Check) -> Check:
    def check(img: np.ndarray) -> None:
        for c in checks:
            c(img)
    return check


def grey_channels_equal(img: np.ndarray) -> None:
    assert (img[..., 0] == img[..., 1]).all() and (img[..., 1] == img[..., 2]).all(), "greyscale lost"


# ---------------------------------------------------------------- the corpus

NOT_IMAGE = frozenset({"not_image"})
BOMB = frozenset({"bomb", "too_large"})
BROKEN = frozenset({"truncated", "damaged"})


def _bad_files() -> list[Sample]:
    jpeg = encode(noise(64, 48), "JPEG", quality=90)
    png = encode(noise(64, 48), "PNG")
    webp = encode(noise(64, 48), "WEBP", quality=80)
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    bad_crc = bytearray(png)
    bad_crc[60] ^= 0xFF  # inside the IDAT payload: the CRC no longer matches
    return [
        # decompression bombs: tiny files that would decode to billions of pixels
        Sample("png_bomb", "bomb.png", png_bomb(9_000, 9_000), BOMB, max_mb=40),  # 81 MP, valid zlib
        Sample("png_header_bomb", "huge.png", png_header_bomb(100_000, 100_000), BOMB, max_mb=40),
        Sample("png_wide_bomb", "wide.png", png_header_bomb(2**31 - 1, 1), BOMB | BROKEN, max_mb=40),
        Sample("gif_bomb", "bomb.gif", gif_header_bomb((65_535, 65_535), (65_535, 65_535)), BOMB, max_mb=40),
        Sample("gif_bomb_64mp", "bomb64.gif", gif_header_bomb((8_000, 8_000), (8_000, 8_000)), BOMB, max_mb=40),
        Sample("gif_frame_bomb", "frame.gif", gif_header_bomb((16, 16), (65_535, 65_535)), BOMB | BROKEN,
               max_mb=40),
        Sample("bmp_bomb", "huge.bmp", bmp_header_bomb(100_000, 100_000), BOMB, max_mb=40),
        # a JPEG that claims 400 MP but holds 64 x 48 pixels of data: draft mode makes the
        # attempt cheap (1/8 scale), the missing data makes it fail cleanly
        # libjpeg pads missing data with grey, so a decoder may show it or refuse it; either way
        # the working copy is decoded at 1/8 scale (2500 x 2500), never at 400 MP.
        Sample("jpeg_lying_400mp", "lying.jpg", jpeg_with_size(jpeg, 20_000, 20_000), BROKEN,
               shape=(1095, 1095, 3), options={"target_pixels": 1_200_000}, max_mb=100),
        Sample("jpeg_lying_4gp", "lying4g.jpg", jpeg_with_size(jpeg, 65_500, 65_500), BOMB, max_mb=40),
        # broken downloads
        Sample("png_truncated", "cut.png", png[: len(png) * 6 // 10], BROKEN),
        Sample("png_header_only", "cut2.png", png[:40], BROKEN | NOT_IMAGE),
        Sample("png_bad_crc", "crc.png", bytes(bad_crc), BROKEN),
        Sample("png_zero_width", "zero.png", png_file(0, 10, idat=zlib.compress(b"")), BROKEN | NOT_IMAGE
               | {"no_pixels"}),
        Sample("jpeg_truncated", "cut.jpg", jpeg[: len(jpeg) // 2], BROKEN),
        Sample("jpeg_soi_only", "soi.jpg", b"\xff\xd8\xff", BROKEN | NOT_IMAGE),
        Sample("webp_truncated", "cut.webp", webp[: len(webp) // 2], BROKEN | NOT_IMAGE),
        # not images at all
        Sample("empty", "empty.png", b"", frozenset({"empty"})),
        Sample("random_bytes", "random.png", np.random.default_rng(8).bytes(4096), NOT_IMAGE),
        Sample("text_as_png", "notes.png", b"These are my lecture notes, not a picture.\n" * 20, NOT_IMAGE),
        Sample("html_as_png", "page.png",
               b"<!DOCTYPE html><html><body><script>alert(1)</script><img src=x onerror=alert(2)></body></html>",
               NOT_IMAGE),
        Sample("svg", "drawing.png",
               b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
               b'<script>alert(1)</script><rect width="10" height="10"/></svg>', frozenset({"svg"})),
        Sample("svg_bare", "drawing2.png", b'  <svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>',
               frozenset({"svg"})),
        Sample("pdf", "slides.png", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
               frozenset({"pdf"})),
        Sample("zip_docx", "report.png", zbuf.getvalue(), frozenset({"zip"})),
        Sample("heic", "IMG_0001.jpg", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64,
               frozenset({"heic"})),
    ]


def _odd_images() -> list[Sample]:
    samples: list[Sample] = []

    # 16-bit greyscale: 0..65535 must scale to 0..255 (not clip at 255 from value 255 on)
    g16 = np.array([[0, 257, 32_896, 65_535, 1_000, 40_000]], np.uint16)
    samples.append(Sample("png_16bit_grey", "g16.png", encode(Image.fromarray(g16), "PNG"), shape=(1, 6, 3),
                          check=_all(grey_channels_equal, close_to(
                              np.repeat(np.array([0, 1, 128, 255, 4, 156])[None, :, None], 3, axis=2), tol=1,
                              where="16-bit grey scaling"))))
    rgb16 = np.array([[[65_535, 0, 32_896], [0, 65_535, 0]]], np.uint16)
    samples.append(Sample("png_16bit_rgb", "rgb16.png", png_rgb16(rgb16), shape=(1, 2, 3),
                          check=close_to(np.array([[[255, 0, 128], [0, 255, 0]]]), tol=1, where="48-bit RGB")))

    bits = Image.fromarray(np.indices((6, 5)).sum(axis=0) % 2 == 0)  # 1-bit checkerboard
    checker = np.where((np.indices((6, 5)).sum(axis=0) % 2 == 0)[..., None], 255, 0)
    samples.append(Sample("png_1bit", "bits.png", encode(bits.convert("1"), "PNG"), shape=(6, 5, 3),
                          check=close_to(np.repeat(checker, 3, axis=2), where="1-bit")))

    samples.append(Sample("jpeg_cmyk", "cmyk.jpg", encode(Image.new("CMYK", (32, 32), (255, 0, 0, 0)), "JPEG",
                                                          quality=95),
                          shape=(32, 32, 3), check=close_to((0, 255, 255), tol=12, where="CMYK cyan")))
    samples.append(Sample("jpeg_grey", "grey.jpg", encode(Image.new("L", (40, 24), 100), "JPEG", quality=95),
                          shape=(24, 40, 3), check=_all(grey_channels_equal, close_to((100, 100, 100), tol=3))))

    # palette with a transparent index: transparent pixels become white, opaque ones keep their colour
    pal = Image.new("P", (4, 2), 0)
    pal.putpalette([200, 0, 0, 0, 0, 0] + [0] * (256 * 3 - 6))
    pal.putpixel((3, 1), 1)
    pal_expected = np.full((2, 4, 3), (200, 0, 0))
    pal_expected[1, 3] = 255
    samples.append(Sample("png_palette_transparent", "pal.png", encode(pal, "PNG", transparency=1),
                          shape=(2, 4, 3), check=close_to(pal_expected, where="palette transparency")))

    rgba = np.zeros((2, 3, 4), np.uint8)  # (0, 0, 0, 0): fully transparent *black*
    rgba[0, 1] = (0, 0, 255, 255)         # opaque blue
    rgba[1, 2] = (255, 0, 0, 128)         # half-transparent red
    rgba_expected = np.full((2, 3, 3), 255)
    rgba_expected[0, 1] = (0, 0, 255)
    rgba_expected[1, 2] = (255, 127, 127)
    samples.append(Sample("png_rgba_transparent", "alpha.png", encode(Image.fromarray(rgba, "RGBA"), "PNG"),
                          shape=(2, 3, 3), check=close_to(rgba_expected, tol=1, where="alpha on white")))
    la = Image.fromarray(np.array([[[50, 0], [50, 255]]], np.uint8), "LA")
    samples.append(Sample("png_grey_alpha", "la.png", encode(la, "PNG"), shape=(1, 2, 3),
                          check=close_to(np.array([[[255] * 3, [50] * 3]]), tol=1, where="LA on white")))

    frames = [Image.new("RGB", (8, 6), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    samples.append(Sample("gif_animated", "anim.gif",
                          encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0),
                          shape=(6, 8, 3), check=close_to((255, 0, 0), tol=2, where="first GIF frame")))
    samples.append(Sample("apng", "anim.png",
                          encode(frames[0], "PNG", save_all=True, append_images=frames[1:], duration=100),
                          shape=(6, 8, 3), check=close_to((255, 0, 0), where="first APNG frame")))
    samples.append(Sample("webp_animated", "anim.webp",
                          encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100,
                                 lossless=True),
                          shape=(6, 8, 3), check=close_to((255, 0, 0), tol=2, where="first WebP frame")))

    upright = quadrant_image()
    for orientation, stored in STORED_FOR_ORIENTATION.items():
        exif = Image.Exif()
        exif[0x0112] = orientation
        im = Image.fromarray(np.ascontiguousarray(stored(upright)))
        samples.append(Sample(f"exif_orientation_{orientation}", f"phone_{orientation}.jpg",
                              encode(im, "JPEG", quality=95, subsampling=0, exif=exif.tobytes()),
                              shape=(32, 48, 3), check=quadrants_upright()))

    samples.append(Sample("tiny_1x1", "dot.png", encode(Image.new("RGB", (1, 1), (200, 100, 50)), "PNG"),
                          shape=(1, 1, 3), check=close_to((200, 100, 50))))
    ramp = np.arange(300, dtype=np.uint8)  # 0..255 then 0..43
    samples.append(Sample("strip_1xN", "row.png", encode(Image.fromarray(ramp[None, :]), "PNG"), shape=(1, 300, 3),
                          check=close_to(np.repeat(ramp[None, :, None], 3, axis=2))))
    samples.append(Sample("strip_Nx1", "column.png", encode(Image.fromarray(ramp[:, None]), "PNG"),
                          shape=(300, 1, 3), check=close_to(np.repeat(ramp[:, None, None], 3, axis=2))))
    samples.append(Sample("strip_20000x1", "long.png", encode(Image.new("RGB", (20_000, 1), (9, 99, 199)), "PNG"),
                          shape=(1, 20_000, 3), check=close_to((9, 99, 199))))
    samples.append(Sample("strip_1x20000", "tall.png", encode(Image.new("L", (1, 20_000), 77), "PNG"),
                          shape=(20_000, 1, 3), check=close_to((77, 77, 77))))
    samples.append(Sample("bmp", "old.bmp", encode(Image.new("RGB", (5, 3), (1, 2, 3)), "BMP"), shape=(3, 5, 3),
                          check=close_to((1, 2, 3))))
    samples.append(Sample("tiff", "scan.tif", encode(Image.new("RGB", (5, 3), (4, 5, 6)), "TIFF"), shape=(3, 5, 3),
                          check=close_to((4, 5, 6))))
    return samples


def _limits() -> list[Sample]:
    """The pixel limit, exercised with a small ``max_pixels`` so the images stay tiny."""
    limit = 64 * 48
    quad = quadrant_image(384, 512)
    photo = encode(Image.fromarray(quad), "JPEG", quality=90, subsampling=0)
    return [
        Sample("at_limit", "at.png", encode(Image.new("RGB", (64, 48), (10, 20, 30)), "PNG"), shape=(48, 64, 3),
               check=close_to((10, 20, 30)), options={"max_pixels": limit}),
        # 3073 = 7 x 439 pixels: one over the limit, refused before decoding
        Sample("just_over_limit", "over.png", encode(Image.new("RGB", (439, 7), (10, 20, 30)), "PNG"),
               frozenset({"too_large"}), options={"max_pixels": limit}, ui_ok=True),
        Sample("just_over_limit_gif", "over.gif", encode(Image.new("P", (439, 7), 3), "GIF"),
               frozenset({"too_large"}), options={"max_pixels": limit}, ui_ok=True),
        # a JPEG over the limit still loads when decoding at 1/2 scale fits (draft mode) ...
        Sample("jpeg_draft_half", "photo.jpg", photo, shape=(192, 256, 3),
               check=lambda img: quadrants_upright()(np.asarray(
                   Image.fromarray(img).resize((48, 32), Image.Resampling.BOX))),
               options={"max_pixels": 50_000}),
        # ... and is refused when even 1/8 scale (64 x 48 = 3072) is over the limit
        Sample("jpeg_draft_too_large", "photo2.jpg", photo, frozenset({"too_large"}), options={"max_pixels": 1_000},
               ui_ok=True),
        # a genuine 200-megapixel JPEG (16384 x 12288 mid-grey, ~2.4 MB): the working copy is
        # decoded at 1/8 scale, never at full size
        Sample("jpeg_200mp", "panorama.jpg", flat_grey_jpeg(16_384, 12_288), shape=(948, 1264, 3),
               check=close_to((128, 128, 128), tol=1), options={"target_pixels": 1_200_000}, max_mb=60),
    ]


@functools.cache
def corpus() -> tuple[Sample, ...]:
    """Every corpus sample (built once per test session, ~0.3 s)."""
    samples = (*_bad_files(), *_odd_images(), *_limits())
    names = [s.name for s in samples]
    assert len(names) == len(set(names)), "duplicate corpus names"
    return samples


def by_name(name: str) -> Sample:
    return next(s for s in corpus() if s.name == name)
