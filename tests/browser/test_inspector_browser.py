"""Pixel inspector and Inside a Conv Layer in real Chromium: click a pixel, check the written arithmetic."""
import re
from urllib.parse import quote

import numpy as np
import pytest

import convviz
from tests.browser.conftest import screenshot, wait_for_app
from ui.i18n import catalog
from ui.image_source import SAMPLES, SAMPLES_DIR, WORKING_PIXELS

pytestmark = pytest.mark.browser

EN = catalog("en")


def main_text(pg) -> str:
    return pg.locator('[data-testid="stMain"]').inner_text()


def test_click_a_pixel_and_check_the_sum(page, server_url):
    outline = EN["kernels.presets.outline.name"]
    page.goto(f"{server_url}/kernels?kernels_preset={quote(outline)}")
    wait_for_app(page)
    page.keyboard.press("Escape")              # close a "page not found" notice, if any
    picture = page.locator(".st-key-kernels_px_pick svg.marks image").first
    picture.scroll_into_view_if_needed()
    picture.wait_for()
    box = picture.bounding_box()
    row_box = page.locator(".st-key-kernels_px_row input")
    before = row_box.input_value()
    fx, fy = 0.3, 0.27
    # A real mouse click on that spot (the invisible cells over the picture take the click).
    page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
    page.wait_for_function(
        "before => document.querySelector('.st-key-kernels_px_row input').value !== before", arg=before)
    wait_for_app(page)
    row = int(row_box.input_value())
    col = int(page.locator(".st-key-kernels_px_col input").input_value())

    # The sample as the app loads it, filtered here, independently of the page.
    image = convviz.load_image((SAMPLES_DIR / SAMPLES["cat"]).read_bytes(), target_pixels=WORKING_PIXELS)
    h, w = image.shape[:2]
    step = -(-max(h, w) // 96)                 # the chart's clickable cells
    assert abs(row - fy * h) <= step and abs(col - fx * w) <= step

    text = main_text(page)
    sums = re.findall(r"([RGB]): Σ = (-?[\d.]+) → rounded to (-?\d+) → [^\n]*?(\d+)\s*$", text, re.M)
    assert [s[0] for s in sums] == ["R", "G", "B"], text
    for _, total, rounded, value in sums:
        assert int(rounded) == int(np.rint(float(total)))
        assert int(value) == min(max(int(rounded), 0), 255)
    shown = re.search(rf"Output pixel \(row {row}, column {col}\) = \((\d+), (\d+), (\d+)\)", text)
    assert shown, text
    assert [int(v) for v in shown.groups()] == [int(s[3]) for s in sums]
    expected = convviz.filter_image(image, convviz.make_kernel("outline"))[row, col]
    assert [int(v) for v in shown.groups()] == expected.tolist()
    assert "✓ The pixel of the result picture above holds the same value" in text
    # One row of tables per channel: input values x weights = products.
    assert page.get_by_text("input values", exact=True).count() == 3
    assert page.get_by_text("products", exact=True).count() == 3
    assert page.locator('[data-testid="stException"]').count() == 0

    page.get_by_text("Pixel inspector", exact=True).scroll_into_view_if_needed()
    page.mouse.wheel(0, 120)
    page.wait_for_timeout(400)
    screenshot(page, "pixel_inspector")


def test_inside_conv_page(page, server_url):
    tab = EN["inside.tabs.maps"]
    page.goto(f"{server_url}/inside?inside_tab={quote(tab)}")
    wait_for_app(page)
    page.keyboard.press("Escape")
    page.get_by_text("Shapes: Input").wait_for()
    wait_for_app(page)
    text = main_text(page)
    assert "Shapes: Input (1, " in text and "ReLU 2 (9, " in text
    assert page.locator('[data-testid="stException"]').count() == 0
    # Every stage is a grid of small pictures with a caption per channel.
    assert page.locator('[data-testid="stImage"]').count() >= 1 + 6 + 6 + 6 + 9 + 9
    page.get_by_text("Conv 1 (before ReLU)", exact=True).first.scroll_into_view_if_needed()
    page.wait_for_timeout(400)
    screenshot(page, "inside_conv")
