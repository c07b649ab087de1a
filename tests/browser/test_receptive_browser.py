"""Receptive fields in real Chromium: click the photo, check one outline per layer where convviz puts it."""
from __future__ import annotations

import pytest

from convviz import receptive_field
from convviz.nets.receptive import FIELD_STACKS, fields_under
from convviz.pictures.palette import FIELD_COLOURS
from tests.browser.conftest import screenshot, wait_for_app
from ui.common.i18n import catalog

pytestmark = pytest.mark.browser

#: Tolerance of an outline's edge, in screen pixels (the plot is 460 px for the whole input).
EDGE = 3.0


def expected_rects(stack: str, row: int, col: int) -> list:
    """The distinct clipped fields under input pixel (row, col), shallow to deep, from convviz alone."""
    preset = FIELD_STACKS[stack]
    rf = receptive_field(preset.layers, preset.input_shape)
    out = []
    for f in fields_under(rf, row, col):
        if f.clipped is not None and (not out or out[-1] != f.clipped):
            out.append(f.clipped)
    return out


def outlines(pg) -> dict[str, list[dict]]:
    """Screen boxes of the coloured outlines (rect marks, not the legend) by colour, relative to the photo."""
    return pg.evaluate("""colours => {
        const chart = document.querySelector('.st-key-rf_pick');
        const pic = chart.querySelector('svg.marks image').getBoundingClientRect();
        const out = {};
        for (const p of chart.querySelectorAll('svg.marks g.mark-rect path')) {
            const c = (p.getAttribute('stroke') || '').toUpperCase();
            if (!colours.includes(c)) continue;
            const b = p.getBoundingClientRect();
            (out[c] = out[c] || []).push({left: b.left - pic.left, top: b.top - pic.top, right: b.right - pic.left,
                      bottom: b.bottom - pic.top, width: pic.width, height: pic.height});
        }
        return out; }""", list(FIELD_COLOURS))


def shoot(pg, name: str) -> None:
    """Screenshot without Streamlit's spurious cold-start "Page not found" modal (see test_params_browser)."""
    dialog = pg.get_by_role("dialog").filter(has_text="Page not found")
    if dialog.count():
        pg.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
    screenshot(pg, name)


def check_outlines(pg, stack: str, row: int, col: int) -> int:
    rects = expected_rects(stack, row, col)
    h, w = FIELD_STACKS[stack].input_shape[1:]
    pg.wait_for_function("n => document.querySelectorAll('.st-key-rf_pick svg.marks g.mark-rect path').length >= n",
                         arg=len(rects))
    drawn = outlines(pg)
    # one colour per layer that changes the field (more layers than colours reuse them: compare the last ones)
    colours = [FIELD_COLOURS[i % len(FIELD_COLOURS)] for i in range(len(rects))]
    assert set(drawn) == set(colours), (drawn, colours)
    for colour, rect in zip(colours, rects):
        def fits(box: dict) -> bool:
            fx, fy = box["width"] / w, box["height"] / h
            return (abs(box["left"] - rect.left * fx) <= EDGE and abs(box["right"] - rect.right * fx) <= EDGE
                    and abs(box["top"] - rect.top * fy) <= EDGE and abs(box["bottom"] - rect.bottom * fy) <= EDGE)
        assert any(fits(box) for box in drawn[colour]), (colour, rect, drawn[colour])
    return len(rects)


def test_click_the_photo_and_see_a_field_per_layer(page, server_url):
    page.goto(f"{server_url}/receptive?rf_stack=vgg_like")
    wait_for_app(page)
    page.keyboard.press("Escape")
    picture = page.locator(".st-key-rf_pick svg.marks image").first
    picture.scroll_into_view_if_needed()
    picture.wait_for()
    row_box, col_box = page.locator(".st-key-rf_row input"), page.locator(".st-key-rf_col input")
    assert (row_box.input_value(), col_box.input_value()) == ("32", "32")
    box = picture.bounding_box()
    fx, fy = 0.25, 0.7
    page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
    page.wait_for_function(
        "() => document.querySelector('.st-key-rf_row input').value !== '32'")
    wait_for_app(page)
    row, col = int(row_box.input_value()), int(col_box.input_value())
    assert abs(row - fy * 64) <= 1.5 and abs(col - fx * 64) <= 1.5
    assert f"rf_row={row}" in page.url and f"rf_col={col}" in page.url
    n = check_outlines(page, "vgg_like", row, col)
    assert n == 9                            # six convolutions and three pools each grow the field
    legend = page.locator(".st-key-rf_pick svg.marks").first.text_content()
    assert "Conv2d-1: 3 × 3" in legend and "MaxPool2d-15: 36 × 36" in legend
    assert page.locator('[data-testid="stException"]').count() == 0
    page.mouse.move(1390, 990)
    page.locator(".st-key-rf_pick").evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(400)
    shoot(page, "receptive_field")


def test_korean_alexnet_link(page, server_url):
    ko = catalog("ko")
    page.goto(f"{server_url}/receptive?lang=ko&rf_stack=alexnet_features&rf_row=150&rf_col=60")
    wait_for_app(page)
    page.keyboard.press("Escape")
    page.get_by_text(ko["receptive.title"]).wait_for()
    page.locator(".st-key-rf_pick svg.marks image").first.wait_for()
    n = check_outlines(page, "alexnet_features", 150, 60)
    assert n == 8                            # five convolutions, three max pools
    svg = page.locator(".st-key-rf_pick svg.marks").first.text_content()
    assert "MaxPool2d-13: 195 × 195" in svg
    assert page.locator('[data-testid="stException"]').count() == 0
    page.mouse.move(1390, 990)
    page.locator(".st-key-rf_pick").evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(400)
    shoot(page, "receptive_field_ko")
    # the worked formulas of the last layer, in Korean: every piece on screen, none cut off
    formula = page.get_by_text(ko["receptive.formula_title"])
    formula.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.locator(".katex").first.wait_for()
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "195" in text and ko["receptive.table.jump"] in text
    page.wait_for_timeout(400)
    shoot(page, "receptive_field_formula_ko")
