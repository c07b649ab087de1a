"""Parameter Counts in a real Chromium: AlexNet's dense share above the fold, dense toggle, download."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import edit_grid_cell, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _metric(page, label: str):
    """The metric whose label is exactly ``label`` (waits for it to appear)."""
    exact = page.locator('[data-testid="stMetricLabel"]').get_by_text(label, exact=True)
    metric = page.locator('[data-testid="stMetric"]').filter(has=exact).first
    metric.wait_for()
    return metric


def _close_page_not_found(page) -> None:
    # Streamlit's st.navigation sometimes flashes a "Page not found" modal on a cold first load of a
    # url_path page (seen on every page, not only this one; reported to the lead). Close it so the
    # README screenshot shows the page.
    dialog = page.get_by_role("dialog").filter(has_text="Page not found")
    if dialog.count():
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")


def test_alexnet_dense_share_above_the_fold(server_url, page):
    page.goto(f"{server_url}/params?params_arch=AlexNet+%28torchvision%29")
    wait_for_app(page)
    share = _metric(page, "Share of dense layers")
    share.wait_for()
    assert "96.0%" in share.inner_text()
    # "without scrolling": the share and the total sit inside the first screen
    box = share.bounding_box()
    assert box is not None and box["y"] + box["height"] <= page.viewport_size["height"]
    assert "61,100,840" in _metric(page, "Parameters").inner_text()
    callout = page.locator('[data-testid="stAlert"]').filter(has_text="dense (Linear) layers hold").first
    expect(callout).to_contain_text("96.0% of all parameters")
    assert callout.bounding_box()["y"] < page.viewport_size["height"]
    # the log-scale chart rendered: one bar per layer with parameters (5 conv + 3 linear)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.wait_for()
    page.wait_for_function("() => document.querySelectorAll("
                           "'[data-testid=\"stVegaLiteChart\"] .mark-rect path').length >= 8")
    _close_page_not_found(page)
    screenshot(page, "parameter_counts")


def test_course_example_dense_toggle_and_code_download(server_url, page, tmp_path):
    page.goto(f"{server_url}/params")
    wait_for_app(page)
    _close_page_not_found(page)
    assert "73,728" in _metric(page, "Without biases").inner_text()
    page.get_by_text("Dense instead").first.click()
    dense = _metric(page, "Dense instead")
    expect(dense).to_contain_text("32,768,128,000", timeout=20_000)
    expect(dense).to_contain_text("32.8 billion")
    assert "params_dense=true" in page.url
    _close_page_not_found(page)
    dense.evaluate("e => e.scrollIntoView({block: 'center'})")  # below the headline's memory row
    wait_for_app(page)
    screenshot(page, "parameter_counts_dense")

    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("PyTorch code")).click()
    path = tmp_path / "model.py"
    info.value.save_as(path)
    code = path.read_text()
    assert "nn.Conv2d(128, 64, kernel_size=3, padding=1)" in code
    try:
        import torch  # noqa: F401
    except ImportError:
        return
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True)
    assert "output shape: (1, 64, 40, 50)" in out.stdout and "parameters: 73792" in out.stdout


def test_editing_a_cell_updates_the_counts(server_url, page):
    page.goto(f"{server_url}/params?params_arch=LeNet-5+%281998%29")
    wait_for_app(page)
    _close_page_not_found(page)
    total = _metric(page, "Parameters")
    assert "61,706" in total.inner_text()
    # The editor is a canvas grid (glide-data-grid): select the first "#" cell, walk right to "Out"
    # (#, Layer, In, Out), open the cell editor and type over it. Canvas clicks can land before the
    # grid is interactive, so the whole gesture is retried a few times; the assertion stays the same.
    canvas = page.locator('[data-testid="stDataFrame"]').first.locator('[data-testid="data-grid-canvas"]')
    canvas.wait_for()
    attempts = 5
    for attempt in range(attempts):
        _close_page_not_found(page)
        wait_for_app(page)
        edit_grid_cell(page, canvas, x=70, y=35 + 17, right=3, text="8")  # #, Layer, In, Out
        try:
            # conv1: 5*5*1*8 + 8 = 208 (was 156); conv2 takes its In from the layer before:
            # 5*5*8*16 + 16 = 3,216 (was 2,416): 61,706 - 156 - 2,416 + 208 + 3,216 = 62,558
            expect(total).to_contain_text("62,558", timeout=10_000)
            break
        except AssertionError:
            if attempt == attempts - 1:
                raise
            # A click that landed early edited another cell (In = 8 gives a channel error): start
            # again from the preset's table, as a new visit, so the next attempt is like the first.
            page.goto(f"{server_url}/params?params_arch=LeNet-5+%281998%29")
            wait_for_app(page)
            expect(total).to_contain_text("61,706")
