"""Reading uploads safely and encoding results.

Everything a student may upload goes through :func:`load_image`: it refuses what is not an
image or is too large *before* decoding pixels where the format allows, and turns every
other kind of image (palette, greyscale, 16-bit, CMYK, transparent, rotated by EXIF,
animated) into one form: an ``(H, W, 3)`` ``uint8`` RGB array.
"""
from __future__ import annotations

import io
import struct
import threading
from typing import BinaryIO, Literal

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import ImageError
from ..workers import default_threads, executor

__all__ = ["MAX_PIXELS", "FORMATS", "load_image", "working_size", "centre_crop", "resize", "encode_png",
           "original_size", "size_notes"]

#: Default limit on the pixels we are willing to decode (a 60 MP photo is ~180 MB as RGB).
MAX_PIXELS = 60_000_000
#: Formats we open; anything else is refused with the same friendly message.
FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF")
NOT_AN_IMAGE = "This file is not an image we can read (PNG, JPEG, WebP, GIF, BMP or TIFF)."

# Headers of common non-image uploads, so the message can say what the file is.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "pdf", "This file is a PDF, not an image. Export the page as PNG or JPEG first."),
    (b"PK\x03\x04", "zip", "This file is a ZIP archive or office document, not an image."),
)


def _sniff(head: bytes) -> ImageError | None:
    """Recognise common non-image uploads by their first bytes, to say what they are."""
    for magic, code, message in _SIGNATURES:
        if head.startswith(magic):
            return ImageError(message, code)
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypheim", b"ftyphevc", b"ftypavif"):
        return ImageError("HEIC/AVIF photos cannot be read here. On an iPhone choose "
                          "Settings > Camera > Formats > Most Compatible, or export the photo as JPEG.", "heic")
    text = head.lstrip()[:256].lower()
    if text.startswith((b"<svg", b"<?xml")) and b"<svg" in text:
        return ImageError("SVG drawings cannot be read here. Export the drawing as PNG first.", "svg")
    return None


def _read_bytes(data: bytes | bytearray | memoryview | BinaryIO) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if hasattr(data, "read"):
        if hasattr(data, "seek"):
            data.seek(0)
        raw = data.read()
        if isinstance(raw, (bytes, bytearray)):
            return bytes(raw)
    raise ImageError(f"data must be bytes or a binary file object, got {type(data).__name__}", "not_image")


def _megapixels(n: int) -> str:
    return f"{n / 1e6:.0f}" if n >= 10e6 else f"{n / 1e6:.1f}"


def _too_large(pixels: int, limit: int) -> ImageError:
    mp, lim = _megapixels(pixels), _megapixels(limit)
    digits = 1
    # "60 megapixels; the limit is 60" (a 60.2 MP camera) would not say what is wrong:
    # show as many decimals as it takes for the two numbers to differ.
    while mp == lim and digits <= 7:
        mp, lim = f"{pixels / 1e6:.{digits}f}", f"{limit / 1e6:.{digits}f}"
        digits += 1
    return ImageError(f"This image is {mp} megapixels; the limit is {lim}.", "too_large",
                      megapixels=mp, limit=lim)


def _draft_scale(size: tuple[int, int], limit: int) -> int:
    """Smallest JPEG DCT scale (1, 2, 4, 8) that brings ``size`` within ``limit`` pixels."""
    w, h = size
    for scale in (1, 2, 4, 8):
        if -(-w // scale) * -(-h // scale) <= limit:
            return scale
    return 0


def _to_rgb(im: Image.Image) -> np.ndarray:
    """Convert any decoded mode to an ``(H, W, 3)`` uint8 array, alpha flattened onto white."""
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        grey = np.asarray(im, dtype=np.float32)
        # 16-bit greyscale: scale 0..65535 to 0..255 (Pillow's convert("L") would clip instead).
        grey = np.clip(grey / 257.0 + 0.5, 0, 255).astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    if im.mode == "F":
        grey = np.asarray(im, dtype=np.float32)
        grey = np.nan_to_num(grey, nan=0.0, posinf=255.0, neginf=0.0)
        if grey.size and 0.0 <= float(grey.min()) and float(grey.max()) <= 1.0:
            grey = grey * 255.0  # float images in 0..1
        grey = np.clip(grey + 0.5, 0, 255).astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    has_alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        im.mode in ("P", "L", "RGB") and "transparency" in im.info)
    if has_alpha:
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(white, rgba)
    rgb = im if im.mode == "RGB" else im.convert("RGB")  # convert() would copy an RGB image too
    return np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8))


def load_image(data: bytes | BinaryIO, *, max_pixels: int = MAX_PIXELS,
               target_pixels: int | None = None, target_slack: float = 0.0) -> np.ndarray:
    """Decode an uploaded image into an ``(H, W, 3)`` ``uint8`` RGB array.

    Parameters
    ----------
    data : bytes or binary file object
        The uploaded file's content.
    max_pixels : int, keyword-only
        Refuse images that would decode to more pixels than this. The size is read from the
        file header, before any pixel is decoded. JPEGs larger than this still load when
        JPEG draft mode (decoding at 1/2, 1/4 or 1/8 scale) brings them within the limit,
        so a 200 MP phone photo is readable while a PNG "decompression bomb" is not.
    target_pixels : int or None, keyword-only
        If given, return a working copy of at most this many pixels (aspect ratio kept),
        decoded as small as the format allows (JPEG draft mode) and then resampled.
    target_slack : float, keyword-only
        A reduced JPEG decode with up to ``target_pixels * (1 + target_slack)`` pixels is kept
        as decoded instead of being resampled to ``target_pixels``: a 4032 x 3024 phone photo
        decodes at 1/4 scale to 1008 x 756, 1.6 % over 750 000, and resampling that to
        1000 x 750 would cost as much as the decode itself. Default 0 (never over the target).

    Returns
    -------
    numpy.ndarray
        ``(H, W, 3)`` uint8, EXIF orientation applied, alpha flattened onto white, first
        frame of an animation.

    Raises
    ------
    ImageError
        With a message a student understands: not an image, truncated, too large.

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> buf = io.BytesIO(); Image.new("L", (4, 2), 128).save(buf, "PNG")
    >>> load_image(buf.getvalue()).shape
    (2, 4, 3)
    """
    if max_pixels < 1:
        raise ImageError(f"max_pixels must be >= 1, got {max_pixels}", "too_small", param="max_pixels",
                         value=max_pixels, minimum=1)
    if target_pixels is not None and target_pixels < 1:
        raise ImageError(f"target_pixels must be >= 1, got {target_pixels}", "too_small", param="target_pixels",
                         value=target_pixels, minimum=1)
    if not 0 <= target_slack <= 1:
        raise ImageError(f"target_slack must be between 0 and 1, got {target_slack}", "out_of_range",
                         param="target_slack", value=target_slack, minimum=0, maximum=1)
    raw = _read_bytes(data)
    if not raw:
        raise ImageError("The file is empty (0 bytes). Please choose an image file.", "empty")
    sniffed = _sniff(raw[:512])
    if sniffed:
        raise sniffed
    try:
        im = _open(raw)
        return _decode(im, max_pixels=max_pixels, target_pixels=target_pixels, target_slack=target_slack)
    except ImageError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        if isinstance(exc, UnidentifiedImageError):
            raise ImageError(NOT_AN_IMAGE, "not_image") from None
        raise ImageError("This image declares a size too large to decode safely.", "bomb") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError,
            struct.error, ZeroDivisionError, MemoryError) as exc:
        text = str(exc).lower()
        if "truncated" in text or "broken" in text or isinstance(exc, EOFError):
            raise ImageError("This image file is incomplete (truncated or damaged). "
                             "Try saving or uploading it again.", "truncated") from None
        raise ImageError(f"This image file is damaged and cannot be decoded ({type(exc).__name__}).",
                         "damaged") from None


_OPEN_LOCK = threading.Lock()


def _open(raw: bytes) -> Image.Image:
    """``Image.open`` (header only) without Pillow's process-wide decompression-bomb limit.

    :func:`_decode` checks the declared size against ``max_pixels`` right after this, still
    before any pixel is decoded; Pillow's own limit (179 MP) would refuse 200 MP phone JPEGs
    that draft mode decodes small. The global is lifted only inside a lock, for the header parse.
    """
    with _OPEN_LOCK:
        saved = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = None
        try:
            return Image.open(io.BytesIO(raw), formats=FORMATS)
        finally:
            Image.MAX_IMAGE_PIXELS = saved


def _decode(im: Image.Image, *, max_pixels: int, target_pixels: int | None, target_slack: float = 0.0) -> np.ndarray:
    w, h = im.size
    if w < 1 or h < 1:
        raise ImageError(f"This image has no pixels ({w} x {h}).", "no_pixels")
    declared = w * h
    out_h, out_w = working_size((h, w), target_pixels) if target_pixels else (h, w)
    if im.format == "JPEG" and (declared > max_pixels or (out_h, out_w) != (h, w)):
        # Decode at a reduced DCT scale (1/2, 1/4, 1/8): draft() only sets up the decoder.
        # The scale must bring the decode within max_pixels, and should not go below the
        # wanted output size (so the working copy is resampled from more pixels, not fewer).
        s_min = _draft_scale((w, h), max_pixels)
        if s_min == 0:
            raise _too_large(declared, max_pixels * 64)
        # Pillow picks scale = w // request (rounded down to 1, 2, 4, 8), hence w // s_min here.
        request = (min(out_w, max(1, w // s_min)), min(out_h, max(1, h // s_min)))
        im.draft("RGB" if im.mode not in ("L", "CMYK") else im.mode, request)
        if im.size[0] * im.size[1] > max_pixels:
            raise _too_large(declared, max_pixels)
        if target_pixels and im.size[0] * im.size[1] <= target_pixels * (1 + max(0.0, target_slack)):
            target_pixels = None  # the reduced decode is the working copy (see target_slack)
    elif declared > max_pixels:
        raise _too_large(declared, max_pixels)
    im.load()  # first frame of an animation: Image.open positions there
    # In place: an upright photo is not copied (a full-size 12 MP decode is 48 MB in Pillow).
    ImageOps.exif_transpose(im, in_place=True)
    if target_pixels and im.size[0] * im.size[1] > target_pixels:
        th, tw = working_size((im.size[1], im.size[0]), target_pixels)
        if im.mode not in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
            im = im.convert("RGBA" if "A" in im.mode or "transparency" in im.info else "RGB")
        im = _resample(im, (tw, th))
    return _to_rgb(im)


#: Below this many source pixels a resize runs on the calling thread (thread hand-off costs more).
_PARALLEL_RESAMPLE_PIXELS = 1_000_000


def _resample(im: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``im.resize(size, LANCZOS, reducing_gap=3.0)``, on several threads.

    Pillow releases the GIL while resampling, and resizing a band of output rows with ``box``
    computes the same filter taps, so a large image is cut into one band per worker thread.
    The ``reducing_gap`` step (an integer box reduction) is done once first, as Pillow does it.
    Pixels equal Pillow's single-threaded result, except that a band's box edges are rounded
    floats: at scales that are not whole numbers about 1 value in 10 000 differs by 1.

    >>> _resample(Image.new("RGB", (4000, 3000), (9, 8, 7)), (400, 300)).getpixel((0, 0))
    (9, 8, 7)
    """
    w, h = size
    threads = min(default_threads(), h)
    if (im.width * im.height < _PARALLEL_RESAMPLE_PIXELS or threads < 2
            or im.mode not in ("RGB", "RGBA", "L", "LA")):
        return im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    box = (0.0, 0.0, float(im.width), float(im.height))
    fx, fy = int(im.width / w / 3.0) or 1, int(im.height / h / 3.0) or 1
    if fx > 1 or fy > 1:  # what Image.resize does for reducing_gap=3.0 with the full box
        box = (0.0, 0.0, im.width / fx, im.height / fy)
        im = im.reduce((fx, fy))
    im.load()
    step = -(-h // threads)
    bands = [(y0, min(y0 + step, h)) for y0 in range(0, h, step)]

    def band(y0: int, y1: int) -> Image.Image:
        top = box[1] + (box[3] - box[1]) * y0 / h
        bottom = box[1] + (box[3] - box[1]) * y1 / h
        return im.resize((w, y1 - y0), Image.Resampling.LANCZOS, box=(box[0], top, box[2], bottom))

    futures = [executor().submit(band, y0, y1) for y0, y1 in bands]
    out = Image.new(im.mode, size)
    for (y0, _), f in zip(bands, futures):
        out.paste(f.result(), (0, y0))
    return out


def working_size(shape: tuple[int, ...], target_pixels: int) -> tuple[int, int]:
    """``(height, width)`` of the working copy of an image of ``shape``.

    >>> working_size((3000, 4000, 3), 1_200_000)
    (948, 1264)
    >>> working_size((4, 8198), 2_000)      # a thin strip stays within the target too
    (1, 2000)
    """
    h, w = shape[:2]
    if h * w <= target_pixels:
        return h, w
    f = (target_pixels / (h * w)) ** 0.5
    out_h, out_w = max(1, int(h * f)), max(1, int(w * f))
    # The short side of a thin strip cannot shrink below 1 pixel: take the rest from the long side.
    if out_h * out_w > target_pixels:
        if out_h <= out_w:
            out_w = max(1, target_pixels // out_h)
        else:
            out_h = max(1, target_pixels // out_w)
    return out_h, out_w


def centre_crop(image: np.ndarray, aspect: tuple[int, int]) -> np.ndarray:
    """The largest centred crop of ``image`` with the aspect ratio ``height : width`` of ``aspect``
    (a view, not a copy), so that scaling it to ``aspect`` keeps pixels square.

    >>> centre_crop(np.zeros((100, 300)), (1, 1)).shape, centre_crop(np.zeros((100, 300)), (2, 1)).shape
    ((100, 100), (100, 50))
    """
    h, w = aspect
    ih, iw = image.shape[:2]
    if ih * w > iw * h:
        ch, cw = max(1, round(iw * h / w)), iw
    else:
        ch, cw = ih, max(1, round(ih * w / h))
    top, left = (ih - ch) // 2, (iw - cw) // 2
    return image[top:top + ch, left:left + cw]


def resize(image: np.ndarray, size: tuple[int, int], *, method: Literal["lanczos", "box"] = "lanczos") -> np.ndarray:
    """Resize an image to ``size = (height, width)``.

    ``"lanczos"`` (a photo for the eye): an ``(H, W[, 3])`` uint8 image, on several threads when
    large. ``"box"`` (each output cell the plain average of the input it covers, for grids of
    numbers): an ``(H, W)`` array of any real dtype, computed and returned as float32.

    >>> resize(np.array([[0, 1, 2, 3]], float), (1, 2), method="box").tolist()
    [[0.5, 2.5]]
    """
    h, w = size
    if image.shape[:2] == (h, w):
        return image
    if method == "box":
        grid = Image.fromarray(np.asarray(image, np.float32), mode="F")
        return np.asarray(grid.resize((w, h), Image.Resampling.BOX))
    out = _resample(Image.fromarray(image), (w, h))
    return np.asarray(out)


def encode_png(image: np.ndarray, *, compress_level: int = 3) -> bytes:
    """PNG bytes of an ``(H, W)`` or ``(H, W, 3)`` uint8 array.

    >>> encode_png(np.zeros((2, 2), np.uint8))[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(image)).save(buf, "PNG", compress_level=compress_level)
    return buf.getvalue()


def original_size(data: bytes | bytearray | memoryview) -> tuple[int, int]:
    """``(height, width)`` of an encoded picture as :func:`load_image` would orient it (EXIF), from its header.

    >>> buf = io.BytesIO(); Image.new("RGB", (40, 30)).save(buf, "PNG"); original_size(buf.getvalue())
    (30, 40)
    """
    im = _open(bytes(data))
    w, h = im.size
    try:
        orientation = im.getexif().get(0x0112, 1)
    except Exception:  # noqa: BLE001 - a broken EXIF block: the decoder ignores it too
        orientation = 1
    return (w, h) if orientation in (5, 6, 7, 8) else (h, w)


#: Width / height (or height / width) beyond which a picture shows as a thin line on screen.
VERY_THIN = 20


def size_notes(shown: tuple[int, int], original: tuple[int, int]) -> list[str]:
    """What a caption must say about a picture's size: ``"reduced"`` (the screen shows a smaller
    working copy than the file), ``"very_wide"`` / ``"very_tall"`` (it shows as a thin line).

    >>> size_notes((750, 1000), (3000, 4000)), size_notes((20, 20000), (20, 20000)), size_notes((5, 5), (5, 5))
    (['reduced'], ['very_wide'], [])
    """
    notes = []
    if tuple(shown) != tuple(original):
        notes.append("reduced")
    h, w = shown
    if w >= VERY_THIN * h:
        notes.append("very_wide")
    elif h >= VERY_THIN * w:
        notes.append("very_tall")
    return notes
