"""One palette (convviz.pictures.palette) for the GIF/PNG export and the live players, readable everywhere."""
from __future__ import annotations

import re

import pytest

from convviz.pictures.palette import PALETTE, RGB, ROLES, TEXT_ON_FILL, contrast
from convviz.sliding import animation
from ui.common.static_files import STATIC_DIR
from ui.stride.player import palette_css

PLAYER_FILES = ["player.css", "grid.js", "signal.js", "transport.js", "bar.html", "channels.js", "channels.css"]


def test_every_role_is_a_colour_and_is_described():
    assert set(ROLES) == set(PALETTE)
    for role, code in PALETTE.items():
        assert re.fullmatch(r"#[0-9A-F]{6}", code), (role, code)


@pytest.mark.parametrize(("text", "fill"), TEXT_ON_FILL)
def test_numbers_meet_wcag_aa_on_their_fill(text, fill):
    assert contrast(text, fill) >= 4.5, (text, fill, round(contrast(text, fill), 2))


def test_the_gif_draws_with_the_palette():
    assert animation.RGB is RGB  # the GIF draws with the palette itself, no copy
    assert all(RGB[role] == tuple(int(PALETTE[role][i:i + 2], 16) for i in (1, 3, 5)) for role in PALETTE)


def test_the_players_use_the_palette_and_no_copy_of_it():
    css = palette_css()
    for role, code in PALETTE.items():
        assert f"--cv-{role.replace('_', '-')}:{code};" in css
    defined = set(re.findall(r"--cv-([a-z-]+):", css))
    copies = {code.lower() for code in PALETTE.values()} | {"#fff", "#999"}
    for name in PLAYER_FILES:
        text = (STATIC_DIR / name).read_text(encoding="utf-8")
        used = set(re.findall(r"var\(--cv-([a-z-]+)\)", text))
        assert used <= defined, (name, used - defined)
        literals = {c.lower() for c in re.findall(r"#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b", text)}
        # Palette colours are written as var(--cv-...), never again as literals; white text on
        # the blue play button is the one exception (a contrast, not a role).
        allowed = {"#fff"} if name == "player.css" else set()
        assert not (literals & copies) - allowed, (name, literals & copies)
