"""The player and copy-button documents in real Chromium, without a server: the scripts in
``ui/static/`` run without a page error, and the colours on screen are the palette's."""
from __future__ import annotations

import numpy as np
import pytest

import convviz
from convviz.pictures.palette import RGB
from ui.common.copy_button import copy_button_html
from ui.stride.player import GRID_LABELS, SIGNAL_LABELS, grid_player_html, signal_player_html

pytestmark = pytest.mark.browser

X = np.arange(1, 26).reshape(5, 5) % 10
W = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])
DOCUMENTS = {
    "conv": lambda: grid_player_html(convviz.animation_frames(X, op="conv", weight=W, stride=2, padding=1),
                                     {k: k for k in GRID_LABELS}),
    "transposed": lambda: grid_player_html(convviz.animation_frames(X[:3, :3], op="transposed", weight=W, stride=2),
                                           {k: k for k in GRID_LABELS}, lang="ko", scale=1.375),
    "max_pool": lambda: grid_player_html(convviz.animation_frames(X, op="max", kernel_size=2, padding=1),
                                         {k: k for k in GRID_LABELS}),
    "signal": lambda: signal_player_html(convviz.conv1d_frames([1, 2, 3], [1, -1]), [1, 2, 3], [1, -1],
                                         {k: k for k in SIGNAL_LABELS}),
    "copy_button": lambda: copy_button_html("https://h/?a=1", label="Copy", done="Done", failed="No"),
}


def css_rgb(name: str) -> str:
    return "rgb({}, {}, {})".format(*RGB[name])


@pytest.fixture
def blank(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page, errors
    context.close()


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_runs_without_errors(blank, name):
    page, errors = blank
    page.set_content(DOCUMENTS[name]())
    page.wait_for_timeout(200)
    assert not errors, errors
    if name == "copy_button":
        assert page.locator("#copy").inner_text() == "Copy"
        return
    assert page.locator('[data-testid="cv-step"]').inner_text().startswith("step")  # the transport ran
    page.locator('[data-testid="cv-next"]').click()
    assert page.locator("body").get_attribute("data-step") == "1"
    assert not errors, errors


def test_grid_player_colours_are_the_palette(blank):
    page, errors = blank
    page.set_content(DOCUMENTS["transposed"]())
    fill = "el => getComputedStyle(el).fill"
    assert page.locator("g.cell.win rect").first.evaluate(fill) == css_rgb("window")
    assert page.locator("g.out.cur rect").evaluate(fill) == css_rgb("current")
    assert page.locator("g.k rect").first.evaluate(fill) == css_rgb("kernel")
    assert page.locator("g.cell.ins rect").first.evaluate(fill) == css_rgb("inserted")
    assert page.locator("pattern#hatch rect").evaluate(fill) == css_rgb("pad")
    assert page.locator("pattern#hatch line").evaluate("el => getComputedStyle(el).stroke") == css_rgb("hatch")
    swatches = page.locator("#cv-legend span.sw").evaluate_all(
        "els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert swatches[:3] == [css_rgb("window"), css_rgb("current"), css_rgb("done")]
    assert swatches[-1] == css_rgb("inserted")
    page.locator('[data-testid="cv-next"]').click()
    assert page.locator("g.out.done rect").first.evaluate(fill) == css_rgb("done")
    assert not errors, errors
