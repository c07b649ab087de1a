"""Issue 22 in a real Chromium: links and pasted text that used to crash a page now explain themselves.

Each link is opened in a fresh browser context (a student's), in English and Korean; what the
page shows is the coded, translated message, and the rest of the page keeps working.
"""
from __future__ import annotations

import base64
import zlib

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_for_app
from tests.browser.test_params_browser import _close_page_not_found, _metric

pytestmark = pytest.mark.browser


def _token(text: str) -> str:
    return "t1." + base64.urlsafe_b64encode(zlib.compress(text.encode())).decode().rstrip("=")


def _alert(page, text: str):
    return page.locator('[data-testid="stAlert"]').filter(has_text=text)


def _open(browser, url: str, locale: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    wait_for_app(page)
    _close_page_not_found(page)
    return page


@pytest.mark.parametrize("lang, message", [
    ("en", "This link's layer table is damaged"),
    ("ko", "이 링크의 층 표가 손상되었습니다"),
])
def test_a_table_link_the_page_cannot_show_is_explained(server_url, page, browser, lang, message):
    # ?params_table= with a 2.5-channel conv: decode_table accepted it and records_frame crashed
    token = _token('[["Conv2d",2.5,8,"3"]]')
    url = f"{server_url}/params?params_arch=lenet5&lang={lang}&params_table={token}"
    student = _open(browser, url, "en-US" if lang == "en" else "ko-KR")
    try:
        expect(_alert(student, message)).to_be_visible(timeout=20_000)
        expect(_metric(student, "Parameters" if lang == "en" else "파라미터")).to_contain_text("61,706")  # LeNet-5
        assert "params_table" not in student.url
        assert not student.locator('[data-testid="stException"]').count()
        if lang == "en":
            _alert(student, message).scroll_into_view_if_needed()
            wait_for_app(student)
            screenshot(student, "parameter_counts_damaged_link")
    finally:
        student.context.close()


def test_pasted_import_is_quoted_as_typed_and_syntax_errors_are_korean(server_url, browser):
    student = _open(browser, f"{server_url}/params?lang=ko", "ko-KR")
    try:
        student.get_by_text("내 모델 붙여 넣기 (PyTorch)").click()
        area = student.locator("textarea")
        area.fill("import torch\nmodel = nn.Sequential(nn.ReLU(), __import__)")
        student.get_by_role("button", name="이 모델 세기").click()
        alert = _alert(student, "2행 34열")
        expect(alert).to_be_visible(timeout=20_000)
        expect(alert).to_contain_text("__import__")  # not a bold "import"
        assert not alert.locator("strong").count()
        alert.scroll_into_view_if_needed()
        screenshot(student, "parameter_counts_paste_import_ko")
        area.fill("model = nn.Sequential(nn.ReLU()")
        student.get_by_role("button", name="이 모델 세기").click()
        alert = _alert(student, "닫히지 않은 여는 괄호")
        expect(alert).to_be_visible(timeout=20_000)
        expect(alert).not_to_contain_text("was never closed")
        alert.scroll_into_view_if_needed()
        screenshot(student, "parameter_counts_paste_error_ko")
    finally:
        student.context.close()


def test_a_huge_signal_in_a_stride_link_is_explained(server_url, browser):
    student = _open(browser, f"{server_url}/stride?stride_g=1e20", "en-US")
    try:
        alert = _alert(student, "numbers between −1000 and 1000")
        expect(alert).to_be_visible(timeout=20_000)
        expect(alert).to_contain_text("1e20")
        assert not student.locator('[data-testid="stException"]').count()
        wait_for_app(student)
        student.wait_for_timeout(1500)  # the players above finish drawing (the page grows)
        alert.scroll_into_view_if_needed()
        screenshot(student, "stride_signal_error")
    finally:
        student.context.close()
