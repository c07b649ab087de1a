"""Links that can be trusted, in real Chromium (issue 22): the sidebar's link follows the pixel
inspector (a fragment), a guess never travels in a link (old links that carry one open without a
verdict, in a fresh browser), a changed setting asks for a new guess, the typed grid's size shows
in the size boxes, and the lesson hides AlexNet's counts until the guess. Screenshots for the README."""
from __future__ import annotations

import re
import tomllib

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_for_app
from tests.conftest import ROOT
from ui.common.i18n import catalog

pytestmark = pytest.mark.browser

EN = tomllib.loads((ROOT / "locales/en/stride.toml").read_text())
KO = tomllib.loads((ROOT / "locales/ko/stride.toml").read_text())
COMMON = {"en": catalog("en"), "ko": catalog("ko")}
SIDEBAR_FRAMES = '[data-testid="stSidebar"] iframe'


def goto(page, url):
    page.goto(url)
    wait_for_app(page)
    if page.locator('[data-testid="stDialog"]').count():  # streamlit/streamlit#9992, see conftest
        page.reload()
        wait_for_app(page)


def copied_link(page) -> str:
    """Click "Copy link to this view" and return what it copied (the button keeps it in data-copied)."""
    button = page.frame_locator(SIDEBAR_FRAMES).first.locator("#copy")
    button.click()
    expect(button).to_have_attribute("data-copied", re.compile(r"^http"))
    return button.get_attribute("data-copied")


def link_box(page, lang="en"):
    """The link as the sidebar shows it (under "Show the link")."""
    page.locator('[data-testid="stSidebar"]').get_by_text(COMMON[lang]["common.share.show"]).click()
    return page.frame_locator(SIDEBAR_FRAMES).nth(1).locator("#link")


def no_link_notice(page, lang="en"):
    """No "Some settings in the link could not be used" / "This page has no setting called" notice."""
    for key in ("common.link.notice", "common.link.unknown"):
        assert page.get_by_text(COMMON[lang][key].split("{")[0].strip()).count() == 0


def test_the_copied_link_follows_the_pixel_inspector(page, server_url, browser):
    goto(page, f"{server_url}/kernels?lang=en")
    page.locator(".st-key-kernels_inspect summary").click()  # a fragment run: the rest of the app stays
    picture = page.locator(".st-key-kernels_px_pick svg.marks image").first
    picture.scroll_into_view_if_needed()
    picture.wait_for()
    box = picture.bounding_box()
    row_box, col_box = page.locator(".st-key-kernels_px_row input"), page.locator(".st-key-kernels_px_col input")
    before = row_box.input_value()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.7)  # pick a pixel
    page.wait_for_function(
        "before => document.querySelector('.st-key-kernels_px_row input').value !== before", arg=before)
    wait_for_app(page)
    col = col_box.input_value()
    row_box.fill("17")  # and type a row (another fragment run)
    row_box.press("Enter")
    wait_for_app(page)
    page.get_by_text(re.compile(rf"^Output pixel \(row 17, column {col}\) = \(")).wait_for()
    parts = ("lang=en", "kernels_inspect=true", "kernels_px_row=17", f"kernels_px_col={col}")
    shown = link_box(page)
    for part in parts:
        expect(shown).to_have_value(re.compile(rf"[?&]{part}(&|$)"))
    link = copied_link(page)
    assert all(re.search(rf"[?&]{part}(&|$)", link) for part in parts), link
    page.locator(".st-key-kernels_inspect").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    screenshot(page, "share_link_inspector")

    # Whoever opens the link sees the same pixel, in a browser of their own.
    other = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    try:
        student = other.new_page()
        student.set_default_timeout(30_000)
        goto(student, link)
        expect(student.locator(".st-key-kernels_px_row input")).to_have_value("17")
        expect(student.locator(".st-key-kernels_px_col input")).to_have_value(col)
        student.get_by_text(re.compile(rf"^Output pixel \(row 17, column {col}\) = \(")).wait_for()
        no_link_notice(student)
    finally:
        other.close()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_an_old_link_with_a_guess_opens_without_a_verdict(page, server_url, lang):
    strings = EN if lang == "en" else KO
    # 9 x 9, stride 2, padding 1: the output is 5 x 5, so this guess was right for whoever sent it.
    goto(page, f"{server_url}/stride?stride_predict=true&stride_in_h=9&stride_in_w=9"
               f"&stride_guess_h=5&stride_guess_w=5&lang={lang}")
    page.get_by_text(strings["predict_wait"]).wait_for()
    verdict = strings["verdict"]["exact"].split("**")[0].strip()
    assert page.get_by_text(verdict).count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0  # no "Not quite" either
    for name in ("guess_h", "guess_w"):
        assert page.get_by_role("spinbutton", name=strings[name]).input_value() == ""
    assert page.locator(f'iframe[title="{strings["title"]}"]').count() == 0  # no player: it shows the output
    assert "5 × 5" not in page.locator('[data-testid="stMain"]').inner_text()  # ("5×5 needs 2" is about kernels)
    no_link_notice(page, lang)
    assert "stride_guess" not in page.url
    page.get_by_text(strings["predict_wait"]).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, f"stride_old_link_with_guess_{lang}")


def test_a_guess_stays_on_this_screen_and_a_new_setting_asks_again(page, server_url):
    goto(page, f"{server_url}/stride?stride_predict=true&stride_in_h=9&stride_in_w=9&lang=ko")
    for name in ("guess_h", "guess_w"):
        box = page.get_by_role("spinbutton", name=KO[name])
        box.fill("5")
        box.press("Enter")
        wait_for_app(page)
    page.get_by_text("맞았습니다!").wait_for()
    assert "stride_guess" not in page.url
    assert "stride_guess" not in copied_link(page) and "stride_predict=true" in copied_link(page)
    expect(link_box(page, "ko")).not_to_have_value(re.compile("stride_guess"))
    stride = page.get_by_role("spinbutton", name=KO["stride"])
    stride.fill("1")
    stride.press("Enter")
    wait_for_app(page)
    page.get_by_text(COMMON["ko"]["common.predict.changed"]).wait_for()
    assert page.get_by_text("맞았습니다!").count() == 0
    assert page.get_by_role("spinbutton", name=KO["guess_h"]).input_value() == ""
    page.get_by_text(COMMON["ko"]["common.predict.changed"]).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, "stride_setting_changed_ko")


def test_the_size_boxes_show_the_typed_grid(page, server_url):
    goto(page, f"{server_url}/stride?stride_values=typed&stride_weights=typed&lang=en")
    for name, size in (("in_h", "4"), ("in_w", "4"), ("k_h", "2"), ("k_w", "2")):
        box = page.get_by_role("spinbutton", name=EN[name], exact=True)
        assert box.input_value() == size and box.is_disabled(), name
    # Another grid: the boxes follow it. (Editing a table cell, with the Session State warning it
    # used to log, is test_stride_channels_browser.py's; conftest checks the log of the whole run.)
    text = page.get_by_role("textbox", name=EN["typed_values"])
    text.fill("0,1,2;3,4,5")
    text.press("Enter")
    wait_for_app(page)
    expect(page.get_by_role("spinbutton", name=EN["in_h"], exact=True)).to_have_value("2")
    assert page.get_by_role("spinbutton", name=EN["in_w"], exact=True).input_value() == "3"
    page.get_by_role("spinbutton", name=EN["in_h"], exact=True).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, "stride_typed_sizes")


def test_the_lesson_asks_for_alexnets_count_before_showing_it(page, server_url):
    home = tomllib.loads((ROOT / "locales/en/home.toml").read_text())["steps"]["dense"]
    goto(page, f"{server_url}/?lang=en")
    guess = page.get_by_role("textbox", name=home["guess"])
    guess.scroll_into_view_if_needed()
    main = page.locator('[data-testid="stMain"]')
    assert "58,631,144" not in main.inner_text() and "2,469,696" not in main.inner_text()
    guess.fill("60 million")
    guess.press("Enter")
    wait_for_app(page)
    page.get_by_text(re.compile(r"^Close: 60,000,000 is within 5.0% of the count, 61,100,840")).wait_for()
    assert "58,631,144" in main.inner_text() and "2,469,696" in main.inner_text()
    assert "home_guess" not in page.url
    guess.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, "lesson_alexnet_guess")
