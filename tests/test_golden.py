"""Golden files: what the package writes today, byte for byte.

They freeze behaviour across refactors (issue 14): generated code, summary CSVs, the players'
data and documents, and the pixels of animation frames. A change to any of them must be
intended; regenerate with ``UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and review
the diff like code.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pytest

import convviz
from convviz.nets import layers as L
from ui.common.static_files import STATIC_DIR
from ui.stride.player import GRID_LABELS, SIGNAL_LABELS, grid_player_html, signal_player_html

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def check(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from its golden file"


# --- stacks ----------------------------------------------------------------------------
STACKS = {
    **{name: (list(a.layers), a.input_shape) for name, a in convviz.ARCHITECTURES.items()},
    "notes_1x1": ([L.Conv2d(128, 64, 1)], (128, 40, 50)),
    "notes_3x3_same": ([L.Conv2d(128, 64, 3, padding="same"), L.ReLU()], (128, 40, 50)),
    "mixed": ([L.Conv2d(3, 8, (3, 5), stride=(2, 1), padding=(1, 2), dilation=(1, 2), bias=False),
               L.BatchNorm2d(8), L.ReLU(), L.MaxPool2d(3, stride=2, padding=1, ceil_mode=True),
               L.AvgPool2d(2), L.Flatten(), L.Linear(8 * 4 * 7, 10), L.Dropout(0.5)],
              (3, 32, 33)),
}


@pytest.mark.parametrize("name", sorted(STACKS))
def test_to_pytorch(name):
    layers, shape = STACKS[name]
    check(f"to_pytorch/{name}.py.txt", convviz.to_pytorch(layers, input_shape=shape))


@pytest.mark.parametrize("name", sorted(STACKS))
def test_summary_csv(name):
    layers, shape = STACKS[name]
    check(f"summary/{name}.csv", convviz.summarize(layers, shape).to_csv())


# --- the players -----------------------------------------------------------------------
X = np.arange(1, 36).reshape(5, 7) % 10
W = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])
GEOMETRIES = {
    "conv_s2_p1": dict(op="conv", weight=W, stride=2, padding=1),
    "conv_dil2_same": dict(op="conv", weight=W, padding="same", dilation=2),
    "conv_rect": dict(op="conv", weight=np.array([[0.5, -1.25]]), stride=(1, 3), padding=(0, 2)),
    "max_pool": dict(op="max", kernel_size=2, stride=2, padding=1),
    "avg_pool": dict(op="avg", kernel_size=3, stride=(2, 1), padding=(1, 0)),
    "transposed": dict(op="transposed", weight=W[:2], stride=2, padding=1, output_padding=1),
}


def frameset(name):
    return convviz.animation_frames(X, **GEOMETRIES[name])


@pytest.mark.parametrize("name", sorted(GEOMETRIES))
def test_player_data(name):
    fs = frameset(name)
    check(f"frames/{name}.json", json.dumps(fs.to_data(), ensure_ascii=False, indent=0) + "\n")
    check(f"frames/{name}.caption.txt", convviz.sliding.animation.geometry_caption(fs) + "\n")


@pytest.mark.parametrize("name", ["conv_s2_p1"])  # the data of every geometry: test_player_data
def test_grid_player_document(name):
    html = grid_player_html(frameset(name), {k: k.upper() for k in GRID_LABELS}, lang="ko", scale=1.25)
    check(f"player/{name}.html", without_static_files(html) + "\n")


def test_signal_player_document():
    f, g = [1, 2, 3, 0, -1], [1, 0.5, -2]
    html = signal_player_html(convviz.conv1d_frames(f, g), f, g, {k: k.upper() for k in SIGNAL_LABELS})
    check("player/signal.html", without_static_files(html) + "\n")


def without_static_files(html: str) -> str:
    """The document with each ``ui/static`` file it embeds replaced by its name.

    The files are their own source of truth (and linted on their own); what is frozen here is
    how a document is put together: which files, in which order, around which data.
    """
    for path in sorted(STATIC_DIR.iterdir()):
        text = path.read_text(encoding="utf-8").strip()
        if path.suffix in (".js", ".css", ".html") and text and text in html:
            html = html.replace(text, f"[ui/static/{path.name}]")
    return html


@pytest.mark.parametrize("name", ["conv_s2_p1", "transposed", "avg_pool"])
def test_frame_pixels(name):
    # Pixels, not PNG bytes: the encoder's settings are not what is frozen here.
    fs = frameset(name)
    digests = [hashlib.sha256(np.asarray(convviz.render_frame(fs, step, size=(640, 360))).tobytes()).hexdigest()
               for step in (0, len(fs.frames) - 1)]
    check(f"pixels/{name}.txt", "\n".join(digests) + "\n")
