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

from . import fonts, images, palette
from .fonts import *  # noqa: F403 - the module's __all__, re-exported
from .images import *  # noqa: F403 - the module's __all__, re-exported
from .palette import *  # noqa: F403 - the module's __all__, re-exported

#: This subpackage's API: its modules' ``__all__`` (a test checks that nothing else is in it).
__all__ = [
    *images.__all__,
    *palette.__all__,
    *fonts.__all__,
]
