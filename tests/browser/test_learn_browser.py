"""The Learn page in a real Chromium: guess, train the default experiment, watch the curves arrive,
open a learned kernel on the Image kernels page; in English and Korean.

Writes ``docs/screenshots/learn.png`` and ``learn_ko.png`` for the README. The default experiment
trains in a few seconds per network on the server's worker processes; the Korean visit's identical
request is served from the service's cache.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_for_app
from tests.browser.test_try_it_browser import SEVEN, _draw_with_mouse
from ui.common import keys
from ui.common.i18n import catalog

pytestmark = pytest.mark.browser

DONE = f".st-key-{keys.LEARN_DONE}"


def _guess_and_train(page, lang: str) -> None:
    cat = catalog(lang)
    radio = page.locator('[data-testid="stRadio"]').filter(has_text=cat["learn.guess.question_shifted"])
    radio.get_by_text(cat["learn.net.shifted.conv"], exact=True).click()
    wait_for_app(page)
    page.get_by_role("button", name=cat["learn.train"]).click()
    # the polling fragment draws the curves while training, then the page shows the results
    page.locator(DONE).wait_for(timeout=90_000)
    wait_for_app(page)
    expect(page.locator(DONE).locator('[data-testid="stDataFrame"]')).to_be_visible()
    page.wait_for_function(f"() => document.querySelectorAll('{DONE} [data-testid=\"stVegaLiteChart\"] "
                           "path.mark-line, " f"{DONE} [data-testid=\"stVegaLiteChart\"] .mark-line path')"
                           ".length >= 4", timeout=30_000)


def _draw_and_read(page, lang: str) -> None:
    """Try it on the page itself: draw a 7, and each trained network answers with its ten probabilities."""
    cat = catalog(lang)
    canvas = page.locator("canvas.cv-draw-canvas")
    canvas.scroll_into_view_if_needed()
    _draw_with_mouse(page, SEVEN)
    said = cat["learn_try.prediction"].replace("**", "")
    for net in ("conv", "dense"):
        name = cat[f"learn.net.shifted.{net}"]
        pattern = re.escape(said).replace(re.escape("{name}"), re.escape(name))
        pattern = pattern.replace(re.escape("{digit}"), "[0-9]").replace(re.escape("{percent}"), "[0-9.,]+ ?%")
        expect(page.locator('[data-testid="stMain"]')).to_contain_text(re.compile(pattern), timeout=30_000)
    wait_for_app(page)
    # each network's probabilities chart, and its layers' pictures
    assert page.get_by_text(cat["learn_try.seen_title"]).is_visible()
    expect(page.get_by_text(re.compile(re.escape(cat["learn_try.top"].split("{")[0].strip())))).to_have_count(2)


def _results_screenshot(page, name: str) -> None:
    page.mouse.move(5, 5)  # no table toolbar over the notes
    page.locator(DONE).evaluate("el => el.scrollIntoView({block: 'start'})")
    page.mouse.move(700, 500)
    page.mouse.wheel(0, -110)  # the results' heading below Streamlit's top bar
    page.mouse.move(5, 5)
    page.wait_for_timeout(600)
    screenshot(page, name)


def test_train_both_shows_curves_table_and_opens_a_learned_kernel(server_url, page):
    page.goto(f"{server_url}/learn?lang=en")
    wait_for_app(page)
    _guess_and_train(page, "en")
    done = page.locator(DONE)
    expect(done).to_contain_text("Small conv net")
    expect(done.locator('[data-testid="stAlert"]').first).to_be_visible()  # the verdict of the guess
    _results_screenshot(page, "learn")
    _draw_and_read(page, "en")

    # the learned kernel 1 (the second table captioned "Kernel 1": before, then after training)
    after = page.locator("table").filter(has=page.locator("caption", has_text="Kernel 1")).nth(1)
    first_weight = after.locator("td").first.get_attribute("title")
    # (a button with help is drawn twice, once hidden to measure it: the visible one is clicked)
    page.locator(f".st-key-{keys.learn_open_kernel(1)}").get_by_role("button").filter(visible=True).first.click()
    page.wait_for_url("**/kernels?**", timeout=30_000)
    wait_for_app(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query[keys.KERNELS_PRESET] == ["custom"]
    assert query[keys.KERNELS_CUSTOM][0].split(",")[0] == first_weight
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("Image kernels")


def test_the_page_in_korean(server_url, page):
    page.goto(f"{server_url}/learn?lang=ko")
    wait_for_app(page)
    _guess_and_train(page, "ko")
    expect(page.locator(DONE)).to_contain_text(catalog("ko")["learn.net.shifted.dense"])
    _results_screenshot(page, "learn_ko")
    _draw_and_read(page, "ko")
    page.get_by_text(catalog("ko")["learn_try.seen_title"]).scroll_into_view_if_needed()
    screenshot(page, "learn_try_page_ko")
