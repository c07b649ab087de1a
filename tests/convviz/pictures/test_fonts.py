"""The shipped font draws every Korean string of the app (no tofu in exported images)."""
from __future__ import annotations

import unicodedata

import pytest
from PIL import Image, ImageDraw

from convviz.pictures import fonts
from ui.common.i18n import LOCALES_DIR, catalog

HANGUL = [(0xAC00, 0xD7A3), (0x1100, 0x11FF), (0x3130, 0x318F)]
MAX_BYTES = 400 * 1024


def _is_hangul(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in HANGUL)


def _korean_text() -> str:
    # Whole files, not only values, so comments and keys count too (cheap, and stricter).
    return "".join(p.read_text(encoding="utf-8") for p in sorted((LOCALES_DIR / "ko").glob("*.toml")))


def test_korean_locales_use_hangul():
    # Guards the tests below against passing on an empty catalog.
    assert sum(map(_is_hangul, _korean_text())) > 500


@pytest.mark.parametrize("bold", [False, True])
def test_every_hangul_character_of_the_korean_strings_is_in_the_font_cmap(bold):
    ttlib = pytest.importorskip("fontTools.ttLib", reason="fonttools is in requirements-dev.txt")
    cmap = ttlib.TTFont(str(fonts.font_path(bold=bold)))
    cmap = cmap.getBestCmap()
    missing = sorted({ch for ch in _korean_text() if _is_hangul(ch) and ord(ch) not in cmap})
    assert not missing, ("Korean strings use syllables the shipped font lacks; run "
                         f"`python convviz/pictures/data/build_font.py`: {''.join(missing)}")


def test_the_font_holds_the_common_ks_x_1001_syllables_and_the_maths_symbols():
    ttlib = pytest.importorskip("fontTools.ttLib", reason="fonttools is in requirements-dev.txt")
    cmap = ttlib.TTFont(str(fonts.font_path())).getBestCmap()
    ks = {bytes([a, b]).decode("euc-kr") for a in range(0xB0, 0xC9) for b in range(0xA1, 0xFF)}
    assert len(ks) == 2350
    assert not [ch for ch in ks if ord(ch) not in cmap]
    for ch in "×−Σ·≤≥…→←↑↓0123456789+-*/=()[]{}":
        assert ord(ch) in cmap, ch


@pytest.mark.parametrize("bold", [False, True])
def test_every_korean_string_is_drawable_without_tofu(bold):
    # Pillow-only check (no fontTools): a glyph missing from the font renders as the .notdef box.
    missing = set()
    for key, text in catalog("ko").items():
        bad = fonts.missing_glyphs(fonts.drawable(text, bold=bold), bold=bold)
        missing |= {(key, ch, unicodedata.name(ch, hex(ord(ch)))) for ch in bad}
    assert not missing, sorted(missing)


def test_missing_glyph_detection_is_not_vacuous():
    # ⌊ is absent from Noto Sans CJK, 한 is present: the detector must tell them apart.
    assert fonts.missing_glyphs("⌊한a") == {"⌊"}
    assert fonts.drawable("⌊x⌋ ∗ 한") == "[x] * 한"
    assert fonts.missing_glyphs("\U0001F600") == {"\U0001F600"}  # an emoji: not in the subset


def test_load_font_draws_distinct_hangul_glyphs():
    font = fonts.load_font(40)
    img = Image.new("L", (400, 60), 0)
    ImageDraw.Draw(img).text((5, 5), "합성곱 커널", font=font, fill=255)
    assert img.getbbox() is not None
    # Two different syllables must not share one bitmap (which is what tofu looks like).
    assert bytes(font.getmask("합")) != bytes(font.getmask("곱"))
    assert fonts.load_font(40) is font  # cached per size
    assert fonts.load_font(20, bold=True).size == 20


def test_load_font_rejects_bad_sizes():
    with pytest.raises(ValueError, match="size must be >= 1, got 0"):
        fonts.load_font(0)


def test_font_files_are_small_and_licensed():
    for bold in (False, True):
        assert fonts.font_path(bold=bold).stat().st_size < MAX_BYTES
    folder = fonts.FONT_DIR
    assert "SIL OPEN FONT LICENSE Version 1.1" in (folder / "OFL.txt").read_text(encoding="utf-8")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "Noto Sans CJK KR" in readme and "OFL" in readme
