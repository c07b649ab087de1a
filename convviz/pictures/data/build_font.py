"""Build the Hangul subsets of Noto Sans CJK KR that ConvViz ships for text in exported images.

Run from the repository root after changing Korean strings (needs ``pip install fonttools``,
listed in ``requirements-dev.txt``; the app itself never imports fontTools)::

    python convviz/pictures/data/build_font.py [--source-dir /usr/share/fonts/opentype/noto]

The source is Debian's ``fonts-noto-cjk`` collection (``NotoSansCJK-Regular.ttc`` and
``NotoSansCJK-Bold.ttc``, Noto Sans CJK 2.004, SIL Open Font License 1.1). From the font named
"Noto Sans CJK KR" in each collection we keep:

* printable ASCII, Latin-1 punctuation and the maths symbols the app draws (× − Σ · ≤ ≥ … arrows,
  floor brackets, Greek letters);
* every character that appears in ``locales/*/*.toml`` (so every current Korean string renders);
* the 2,350 Hangul syllables of KS X 1001 and the Hangul compatibility jamo, so most new Korean
  strings work without rebuilding.

Hinting is dropped (the text is drawn at 12 px and more, where FreeType needs none), which keeps
each file under 300 KB. ``tests/convviz/pictures/test_fonts.py`` fails when a Korean string uses a syllable that is
missing, which is the signal to run this script again.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]  # the repository (its locales/)
SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
FAMILY = "Noto Sans CJK KR"
WEIGHTS = {"Regular": "NotoSansCJK-Regular.ttc", "Bold": "NotoSansCJK-Bold.ttc"}
OUTPUT = "NotoSansKR-ConvViz-{weight}.otf"

#: Symbols the app writes into images and formulas (besides ASCII and the locale files).
SYMBOLS = (
    "×÷±−∓·•…‥°′″²³¹⁰⁻√∞≈≠≡≤≥≪≫∑Σ∏∫∂∇∗∘⊙⊗∈∉∀∃⌊⌋⌈⌉‖"
    "←↑→↓↔↕⇐⇒⇔↦↗↘↖↙▲▶▼◀△▷▽◁■□▪▫●○◆◇★☆✓✗"
    "αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΦΨΩ"
    "‘’“”«»–—‐‑‒―¡¿§¶©®™€£¥¢"
    "、。「」『』《》〈〉【】〔〕·・～"
)


def ks_x_1001_hangul() -> set[str]:
    """The 2,350 precomposed Hangul syllables of KS X 1001 (EUC-KR rows 0xB0-0xC8)."""
    return {bytes([lead, trail]).decode("euc-kr") for lead in range(0xB0, 0xC9) for trail in range(0xA1, 0xFF)}


def locale_characters(root: Path = ROOT) -> set[str]:
    """Every non-control character used in the app's string catalogs."""
    chars: set[str] = set()
    for path in sorted((root / "locales").glob("*/*.toml")):
        chars.update(ch for ch in path.read_text(encoding="utf-8") if ch.isprintable())
    return chars


def wanted_characters(root: Path = ROOT) -> set[str]:
    """The characters a subset should contain."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    chars |= {chr(c) for c in range(0xA0, 0x100)}          # Latin-1 supplement
    chars |= {chr(c) for c in range(0x3131, 0x318F)}       # Hangul compatibility jamo
    chars |= set(SYMBOLS) | ks_x_1001_hangul() | locale_characters(root)
    return chars


def _korean_face(collection: Path):
    for font in TTCollection(str(collection)).fonts:
        if font["name"].getDebugName(4) == FAMILY or font["name"].getDebugName(1) == FAMILY:
            return font
    raise SystemExit(f"{collection} holds no font named {FAMILY!r}")


def build(source_dir: Path = SOURCE_DIR, out_dir: Path = HERE) -> list[Path]:
    """Write one subset per weight into ``out_dir``; return the paths written."""
    wanted = wanted_characters()
    written = []
    for weight, file_name in WEIGHTS.items():
        font = _korean_face(source_dir / file_name)
        cmap = font.getBestCmap()
        missing = sorted(ch for ch in wanted if ord(ch) not in cmap)
        if missing:
            # Not fatal: a symbol the source lacks simply falls back at draw time.
            print(f"{weight}: not in {FAMILY}: {''.join(missing)!r}", file=sys.stderr)
        options = subset.Options()
        options.hinting = False
        options.name_IDs = ["*"]            # keep copyright (0) and licence (13, 14) records
        options.name_languages = ["*"]
        options.layout_features = ["kern", "liga", "ccmp", "locl", "mark", "mkmk"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(ch) for ch in wanted if ord(ch) in cmap])
        subsetter.subset(font)
        path = out_dir / OUTPUT.format(weight=weight)
        font.recalcTimestamp = False  # keep the source's date: rebuilding gives identical bytes
        font.save(str(path))
        print(f"{path.relative_to(ROOT)}: {len(font.getBestCmap())} characters, {path.stat().st_size // 1024} KB")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=SOURCE_DIR,
                        help="folder holding NotoSansCJK-Regular.ttc and NotoSansCJK-Bold.ttc")
    args = parser.parse_args(argv)
    build(args.source_dir)


if __name__ == "__main__":
    main()
