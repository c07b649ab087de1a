"""Parameter Counts, issue 16, in a real Chromium: paste a model, share the table by link, switch to FLOPs,
predict then reveal in Korean."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_for_app
from tests.browser.test_params_browser import _close_page_not_found, _metric

pytestmark = pytest.mark.browser

#: Scroll an element to the top of the page, clear of Streamlit's header bar.
SCROLL_BELOW_HEADER = """e => {
    e.scrollIntoView({block: 'start'});
    const main = e.closest('[data-testid="stMain"]');
    if (main) main.scrollBy(0, -120);
}"""


def test_paste_an_example_then_open_its_link(server_url, page, browser):
    page.goto(f"{server_url}/params")
    wait_for_app(page)
    _close_page_not_found(page)
    page.get_by_text("Paste your own model (PyTorch)").click()
    page.get_by_role("button", name="Load an example").click()
    area = page.get_by_label("PyTorch code")
    expect(area).to_have_value(re.compile(r"nn\.Linear\(16 \* 5 \* 5, 120\)"))
    page.get_by_role("button", name="Count this model").click()
    expect(_metric(page, "Parameters")).to_contain_text("61,706", timeout=20_000)
    expect(page.locator('[data-testid="stAlert"]').filter(has_text="now holds your 12 layers")).to_be_visible()
    page.wait_for_function("() => location.search.includes('params_table=t1.')")
    assert "params_in_h_course_example=28" in page.url
    page.get_by_text("Paste your own model (PyTorch)").evaluate(SCROLL_BELOW_HEADER)
    wait_for_app(page)
    screenshot(page, "parameter_counts_paste")

    # The link opens the pasted table in a new browser (a student's), with its input shape.
    link = page.url
    student = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US").new_page()
    try:
        student.goto(link)
        wait_for_app(student)
        _close_page_not_found(student)
        expect(_metric(student, "Parameters")).to_contain_text("61,706", timeout=20_000)
        expect(_metric(student, "Multiply-adds per image")).to_contain_text("416,520")
    finally:
        student.context.close()


def test_an_error_points_at_the_line(server_url, page):
    page.goto(f"{server_url}/params")
    wait_for_app(page)
    _close_page_not_found(page)
    page.get_by_text("Paste your own model (PyTorch)").click()
    area = page.get_by_label("PyTorch code")
    area.fill("model = nn.Sequential(\n    nn.Conv2d(128, 8, 3),\n    nn.Conv3d(8, 8, 3),\n)")
    page.get_by_role("button", name="Count this model").click()
    error = page.locator('[data-testid="stAlert"]').filter(has_text="Line 3")
    expect(error).to_contain_text("Line 3, column 5: layer 2, nn.Conv3d(8, 8, 3), is not a layer type", timeout=20_000)
    expect(area).to_have_value(re.compile(r"nn\.Conv3d"))  # kept for fixing


def test_flops_and_extras_go_into_the_url(server_url, page):
    page.goto(f"{server_url}/params?params_arch=alexnet")
    wait_for_app(page)
    _close_page_not_found(page)
    expect(_metric(page, "Multiply-adds per image")).to_contain_text("714,188,480")
    page.get_by_text("Count bias & BatchNorm").click()
    expect(_metric(page, "Multiply-adds per image")).to_contain_text("714,682,664", timeout=20_000)
    page.locator('[data-testid="stButtonGroup"]').get_by_text("FLOPs", exact=True).click()
    expect(_metric(page, "FLOPs per image")).to_contain_text("1,429,365,328", timeout=20_000)
    page.wait_for_function("() => location.search.includes('params_unit=flops')"
                           " && location.search.includes('params_extras=true')")
    expect(_metric(page, "Parameter memory")).to_contain_text("244.40 MB")


def test_predict_then_reveal_in_korean(server_url, page):
    page.goto(f"{server_url}/params?lang=ko&params_arch=lenet5&params_predict=true")
    wait_for_app(page)
    _close_page_not_found(page)
    expect(_metric(page, "파라미터")).to_contain_text("?")
    guess = page.get_by_role("textbox", name="추측: 파라미터가 몇 개일까요?")
    guess.fill("50000")
    guess.press("Enter")
    verdict = page.locator('[data-testid="stAlert"]').filter(has_text="아쉽습니다")
    expect(verdict).to_contain_text("61,706", timeout=20_000)
    expect(_metric(page, "파라미터")).to_contain_text("61,706")
    expect(page.get_by_text("합계:")).to_be_visible()
    guess.evaluate(SCROLL_BELOW_HEADER)  # the guess, the verdict and the worked sum
    wait_for_app(page)
    screenshot(page, "parameter_counts_predict_ko")


def test_paste_a_branching_model_shows_its_tree(server_url, page):
    from convviz import ARCHITECTURES, to_pytorch

    resnet = ARCHITECTURES["resnet18"]
    page.goto(f"{server_url}/params?params_arch=alexnet")  # AlexNet's input is ResNet's: 3 x 224 x 224
    wait_for_app(page)
    _close_page_not_found(page)
    page.get_by_text("Paste your own model (PyTorch)").click()
    page.get_by_label("PyTorch code").fill(to_pytorch(resnet.layers, input_shape=resnet.input_shape))
    page.get_by_role("button", name="Count this model").click()
    expect(_metric(page, "Parameters")).to_contain_text("11,689,512", timeout=20_000)
    expect(page.locator('[data-testid="stAlert"]').filter(has_text="shown read-only below, as a tree")).to_be_visible()
    table = page.locator('[data-testid="stDataFrame"]').filter(has_text="Path").first
    expect(table).to_be_visible()
    assert "params_table=" not in page.url  # a tree does not travel in a link
    table.evaluate(SCROLL_BELOW_HEADER)
    wait_for_app(page)
    screenshot(page, "parameter_counts_paste_tree")
