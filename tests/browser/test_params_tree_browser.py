"""Branching presets and the trend chart on Parameter Counts, in a real Chromium."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_for_app
from tests.browser.test_params_browser import _close_page_not_found, _metric

pytestmark = pytest.mark.browser

TREND_CHART = '.st-key-params_trend'


def _trend_points(page):
    chart = page.locator(TREND_CHART).first
    chart.wait_for()
    chart.evaluate("el => el.scrollIntoView({block: 'center'})")  # clear of the sticky header
    page.wait_for_function("() => document.querySelectorAll("
                           f"'{TREND_CHART} .mark-symbol path').length >= 6")
    return chart, chart.locator(".mark-symbol path")


def test_resnet50_tree_then_trend_click_opens_vgg16(server_url, page):
    page.goto(f"{server_url}/params?params_arch=resnet50")
    wait_for_app(page)
    _close_page_not_found(page)
    expect(_metric(page, "Parameters")).to_contain_text("25,557,032")
    expect(_metric(page, "Share of dense layers")).to_contain_text("8.0%")
    note = page.locator('[data-testid="stAlert"]').filter(has_text="cannot hold it").first
    expect(note).to_be_visible()
    # the sidebar's copy button is a component drawn in its own frame: wait for its label
    expect(page.frame_locator("iframe").first.get_by_text("Copy link to this view")).to_be_visible()
    screenshot(page, "parameter_counts_resnet50")
    table = page.locator('[data-testid="stDataFrame"]').filter(has_text="Path").first
    table.scroll_into_view_if_needed()
    expect(table).to_be_visible()
    page.wait_for_timeout(300)  # let the grid paint its canvas before the picture (no condition to wait on)
    screenshot(page, "parameter_counts_resnet50_tree")

    chart, points = _trend_points(page)
    screenshot(page, "parameter_counts_trend")
    points.nth(2).click()  # data order: LeNet-5, AlexNet, VGG16, ...
    page.wait_for_url("**params_arch=vgg16**")
    wait_for_app(page)
    expect(_metric(page, "Parameters")).to_contain_text("138,357,544")
    # VGG16 is a plain stack: the editable table is back
    expect(page.locator('[data-testid="stDataFrame"]').filter(has_text="Path")).to_have_count(0)


def test_trend_chart_in_korean(server_url, page):
    page.goto(f"{server_url}/params?lang=ko&params_arch=googlenet")
    wait_for_app(page)
    _close_page_not_found(page)
    expect(page.get_by_text("6,624,904").first).to_be_visible()
    heading = page.get_by_text("흐름: 더 깊게, 파라미터는 더 적게").first
    heading.scroll_into_view_if_needed()
    chart, points = _trend_points(page)
    expect(points).to_have_count(6)
    screenshot(page, "parameter_counts_trend_ko")
