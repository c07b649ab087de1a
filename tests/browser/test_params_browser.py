"""Parameter Counts in a real Chromium: AlexNet's dense share above the fold, dense toggle, download."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _metric(page, label: str):
    """The metric whose label is exactly ``label`` (waits for it to appear)."""
    exact = page.locator('[data-testid="stMetricLabel"]').get_by_text(label, exact=True)
    metric = page.locator('[data-testid="stMetric"]').filter(has=exact).first
    metric.wait_for()
    return metric


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
    assert page.get_by_text("hold 96.0% of all parameters").first.is_visible() or \
        page.get_by_text(re.compile(r"hold\s+96\.0%")).first.is_visible()
    # the log-scale chart rendered (a vega canvas / svg inside the chart element)
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    screenshot(page, "parameter_counts")


def test_course_example_dense_toggle_and_code_download(server_url, page, tmp_path):
    page.goto(f"{server_url}/params")
    wait_for_app(page)
    assert "73,728" in _metric(page, "Without biases").inner_text()
    page.get_by_text("Dense instead").first.click()
    wait_for_app(page)
    dense = _metric(page, "Dense instead")
    dense.wait_for()
    assert "32,768,128,000" in dense.inner_text() and "32.8 billion" in dense.inner_text()
    assert "params_dense=true" in page.url
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
    assert "61,706" in _metric(page, "Parameters").inner_text()
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for()
    # The editor is a canvas grid: double-click the "Out" cell of row 1 (Conv2d 1 -> 6) and type 8.
    # Column 5 (#, Layer, In, Out) -> click by position relative to the header.
    header = grid.get_by_role("columnheader", name="Out")
    hb = header.bounding_box()
    assert hb is not None
    page.mouse.dblclick(hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] * 1.5)
    page.keyboard.press("Control+A")
    page.keyboard.type("8")
    page.keyboard.press("Enter")
    wait_for_app(page)
    page.wait_for_timeout(500)
    wait_for_app(page)
    # conv1: 5*5*1*8 + 8 = 208 (was 156); conv2 takes its In from the layer before: 5*5*8*16 + 16 = 3,216
    assert "62,560" in _metric(page, "Parameters").inner_text()
