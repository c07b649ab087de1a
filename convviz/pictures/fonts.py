"""Fonts for text drawn into exported images (GIF/PNG frames), with Hangul glyphs.

The package ships subsets of Noto Sans CJK KR (SIL Open Font License 1.1, see
``convviz/pictures/data/README.md``) that hold ASCII, the maths symbols the app writes and every Hangul
syllable of the Korean strings, so a Korean caption drawn with Pillow never turns into boxes
("tofu"), whatever fonts the server has installed.

>>> font = load_font(24)
>>> font.getlength("합성곱") > font.getlength("a")
True
>>> missing_glyphs("스트라이드 2 × 패딩 1")
set()
>>> drawable("(I∗K)(i, j)")
'(I*K)(i, j)'
"""
from __future__ import annotations

import functools
from pathlib import Path

from PIL import ImageFont

__all__ = ["FONT_DIR", "FALLBACKS", "font_path", "load_font", "missing_glyphs", "drawable"]

#: Where the shipped font files live: ``data/`` next to this module, installed with the package.
FONT_DIR = Path(__file__).resolve().parent / "data"
_FILES = {False: "NotoSansKR-ConvViz-Regular.otf", True: "NotoSansKR-ConvViz-Bold.otf"}

#: Look-alikes for the few symbols Noto Sans CJK KR has no glyph for.
FALLBACKS: dict[str, str] = {
    "\u2217": "*",    # ∗ asterisk operator
    "\u2218": "\u00b0",  # ∘ ring operator -> degree sign
    "\u230a": "[",    # ⌊ left floor
    "\u230b": "]",    # ⌋ right floor
    "\u2308": "[",    # ⌈ left ceiling
    "\u2309": "]",    # ⌉ right ceiling
    "\u2070": "0",    # ⁰
    "\u207b": "-",    # ⁻
    "\u21a6": "\u2192",  # ↦ -> →
    "\u2717": "x",    # ✗
}
# The private-use code point U+E000 has no glyph in the font: it draws the .notdef box.
_NOTDEF_PROBE = "\ue000"


def font_path(*, bold: bool = False) -> Path:
    """Path of the shipped font file.

    >>> font_path().name
    'NotoSansKR-ConvViz-Regular.otf'
    """
    return FONT_DIR / _FILES[bool(bold)]


@functools.lru_cache(maxsize=64)
def load_font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """A Pillow font of ``size`` pixels that can draw Korean (and English) text.

    Parameters
    ----------
    size : int
        Font size in pixels (at least 1).
    bold : bool, optional
        Use the bold weight.

    Returns
    -------
    PIL.ImageFont.FreeTypeFont

    Raises
    ------
    ValueError
        If ``size`` is below 1.
    FileNotFoundError
        If the font files are missing from :data:`FONT_DIR` (a broken checkout or install).

    Examples
    --------
    >>> load_font(16).size
    16
    """
    size = int(size)
    if size < 1:
        raise ValueError(f"size must be >= 1, got {size}")
    path = font_path(bold=bold)
    if not path.exists():
        raise FileNotFoundError(f"font file missing: {path} (run convviz/pictures/data/build_font.py)")
    return ImageFont.truetype(str(path), size)


@functools.lru_cache(maxsize=8192)
def _is_missing(ch: str, bold: bool) -> bool:
    if ch.isspace() or not ch.isprintable():
        return False
    font = load_font(32, bold=bold)
    # A character without a glyph is drawn as .notdef; compare bitmaps with a known-missing one.
    probe = font.getmask(_NOTDEF_PROBE)
    mask = font.getmask(ch)
    return mask.size == probe.size and bytes(mask) == bytes(probe)


def missing_glyphs(text: str, *, bold: bool = False) -> set[str]:
    """The characters of ``text`` that the shipped font cannot draw.

    >>> sorted(missing_glyphs("⌊x⌋"))
    ['⌊', '⌋']
    """
    return {ch for ch in set(text) if _is_missing(ch, bool(bold))}


def drawable(text: str, *, bold: bool = False) -> str:
    """``text`` with every symbol the font lacks replaced by its look-alike from :data:`FALLBACKS`.

    Characters with neither a glyph nor a fallback are kept (they draw as a box, which at least
    shows that something is there).

    >>> drawable("⌊(7 + 2 − 3) / 2⌋ + 1")
    '[(7 + 2 − 3) / 2] + 1'
    """
    missing = missing_glyphs(text, bold=bold)
    if not missing:
        return text
    return "".join(FALLBACKS.get(ch, ch) if ch in missing else ch for ch in text)
