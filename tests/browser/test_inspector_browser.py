"""Pixel inspector and Inside a Conv Layer in real Chromium: click a pixel, check the written arithmetic."""
import re
from urllib.parse import quote

import numpy as np
import pytest

import convviz
from convviz.features.maps import network
from tests.browser.conftest import screenshot, wait_for_app
from ui.common.i18n import catalog
from ui.common.photo import SAMPLES, SAMPLES_DIR, WORKING_PIXELS

pytestmark = pytest.mark.browser

EN = catalog("en")


def main_text(pg) -> str:
    return pg.locator('[data-testid="stMain"]').inner_text()


def test_click_a_pixel_and_check_the_sum(page, server_url):
    outline = EN["kernels.presets.outline.name"]
    page.goto(f"{server_url}/kernels?kernels_preset={quote(outline)}")
    wait_for_app(page)
    page.keyboard.press("Escape")              # close a "page not found" notice, if any
    # The inspector is a closed expander that computes nothing until a student opens it.
    assert page.locator(".st-key-kernels_px_pick").count() == 0
    page.locator(".st-key-kernels_inspect summary").click()
    picture = page.locator(".st-key-kernels_px_pick svg.marks image").first
    picture.scroll_into_view_if_needed()
    picture.wait_for()
    box = picture.bounding_box()
    row_box = page.locator(".st-key-kernels_px_row input")
    before = row_box.input_value()
    fx, fy = 0.34, 0.34                        # the rim of the cat's eye in the outline picture
    # A real mouse click on that spot (the invisible cells over the picture take the click).
    page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
    page.wait_for_function(
        "before => document.querySelector('.st-key-kernels_px_row input').value !== before", arg=before)
    wait_for_app(page)
    row = int(row_box.input_value())
    col = int(page.locator(".st-key-kernels_px_col input").input_value())
    # The rerun that follows the click has written the computation for this pixel.
    page.get_by_text(re.compile(rf"^Output pixel \(row {row}, column {col}\) = \(\d+, \d+, \d+\)$")).wait_for()
    page.get_by_text("✓ The pixel of the result picture above").wait_for()

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

    page.mouse.move(1390, 990)                 # no hover toolbar over the chart
    page.locator(".st-key-kernels_inspect").evaluate("e => e.scrollIntoView({block: 'start'})")
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
    # Every stage is a grid of small pictures, one per channel, each with its caption.
    net = network(colour=False)
    c1, c2 = net["conv1_weight"].shape[0], net["conv2_weight"].shape[0]
    n_maps = 1 + 3 * c1 + 2 * c2
    page.wait_for_function(
        """n => { const p = [...document.querySelectorAll('[data-testid="stTabPanel"]')]
                   .find(e => e.offsetParent !== null);
                  return p && p.querySelectorAll('[data-testid="stImageCaption"]').length >= n; }""", arg=n_maps)
    panel = page.locator('[data-testid="stTabPanel"]:visible')
    assert panel.locator('[data-testid="stImageContainer"]').count() == n_maps
    assert panel.locator('[data-testid="stImageCaption"]').count() == n_maps
    # From the first ReLU down: the maps halve at the pooling and lose a border at conv 2.
    page.get_by_text("ReLU 1", exact=True).first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(400)
    screenshot(page, "inside_conv")
