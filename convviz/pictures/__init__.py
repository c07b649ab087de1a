"""Pictures in and out: uploads read safely, resized and encoded; the palette and the fonts of drawn pictures.

* :mod:`~convviz.pictures.images` -- :func:`load_image` (every kind of upload as ``(H, W, 3)`` uint8,
  decompression bombs refused), :func:`resize`, :func:`centre_crop`, PNG encoding;
* :mod:`~convviz.pictures.palette` -- every colour the app draws with, in one place;
* :mod:`~convviz.pictures.fonts` -- the fonts (with Hangul) of text drawn into exported images,
  shipped in ``convviz/pictures/data``.

>>> PALETTE["window"]
'#FFE2AA'
"""
from __future__ import annotations

from .images import (MAX_PIXELS, FORMATS, load_image, working_size, centre_crop, resize, encode_png, original_size,
                     size_notes)
from .palette import (PALETTE, CHANNEL_COLOURS, ROLES, RGB, TEXT_ON_FILL, FIELD_COLOURS, CATEGORY_COLOURS,
                      PLANE_COLOURS, SIGN_COLOURS, CROSSHAIR, GREYS, rgb, contrast)
from .fonts import FONT_DIR, FALLBACKS, font_path, load_font, missing_glyphs, drawable

__all__ = ["MAX_PIXELS", "FORMATS", "load_image", "working_size", "centre_crop", "resize", "encode_png",
           "original_size", "size_notes", "PALETTE", "CHANNEL_COLOURS", "ROLES", "RGB", "TEXT_ON_FILL",
           "FIELD_COLOURS", "CATEGORY_COLOURS", "PLANE_COLOURS", "SIGN_COLOURS", "CROSSHAIR", "GREYS",
           "rgb", "contrast", "FONT_DIR", "FALLBACKS", "font_path", "load_font", "missing_glyphs",
           "drawable"]
