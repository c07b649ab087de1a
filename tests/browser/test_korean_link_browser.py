"""A teacher's shared link, opened by a student whose browser is English: the view comes up in Korean.

Also checks the "copy link" button with the keyboard only, that the copied link reproduces the
view in a fresh browser, and that a lesson link on the start page keeps the language. Writes
``docs/screenshots/korean_link.png`` for the README.
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, wait_for_app
from ui.common.i18n import catalog

pytestmark = pytest.mark.browser

KO = catalog("ko")
LINK = "/stride?lang=ko&stride_stride=3&stride_padding=2"


def _settings(pg) -> tuple[str, str]:
    stride = pg.locator(".st-key-stride_stride input").input_value()
    padding = pg.locator(".st-key-stride_padding input").input_value()
    return stride, padding


def _open(pg, url: str) -> None:
    pg.goto(url)
    wait_for_app(pg)
    pg.get_by_role("heading", name=KO["stride.title"], level=1).wait_for()
    pg.wait_for_function("() => document.querySelector('.st-key-stride_stride input')?.value === '3'")


def test_shared_korean_link_opens_the_same_view_and_copies_by_keyboard(server_url, page, browser):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server_url)
    _open(page, server_url + LINK)

    # Korean text although the browser asked for English (en-US context).
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_role("link", name=KO["common.nav.stride"]).is_visible()
    assert page.get_by_text(KO["stride.stride"], exact=True).first.is_visible()
    # The linked settings, not the page defaults (stride 2, padding 1).
    assert _settings(page) == ("3", "2")
    assert not page.get_by_test_id("stAlertContentWarning").filter(has_text="`").count()
    screenshot(page, "korean_link")

    # Keyboard only: from the presentation toggle, Tab reaches the copy button; Enter copies.
    frame = page.frame_locator("[data-testid='stSidebar'] iframe").first  # the copy button (the link box is second)
    sidebar.locator("input[type=checkbox]").focus()
    for _ in range(4):
        page.keyboard.press("Tab")
        if frame.locator("body").evaluate("b => document.activeElement.id") == "copy":
            break
    else:
        pytest.fail("the copy-link button cannot be reached with the Tab key")
    page.keyboard.press("Enter")
    frame.get_by_role("button", name=KO["common.share.copied"]).wait_for()  # and announced in #status
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(server_url + "/stride?") and "lang=ko" in copied
    assert "stride_stride=3" in copied and "stride_padding=2" in copied

    # The copied link in a fresh browser (new session, English locale) gives the same view.
    other = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    try:
        student = other.new_page()
        student.set_default_timeout(30_000)
        _open(student, copied)
        assert _settings(student) == ("3", "2")
        assert student.get_by_role("heading", name=KO["stride.title"], level=1).is_visible()
        # The lesson on the start page links into pages with settings; the language survives
        # the page change (st.page_link resets the language switch's own state).
        student.get_by_test_id("stSidebar").get_by_role("link", name=KO["common.nav.home"]).click()
        student.get_by_role("heading", name=KO["home.title"], level=1).wait_for()
        student.get_by_role("link", name=KO["home.links.padding5"]).click()
        student.wait_for_function("() => document.querySelector('.st-key-stride_k_h input')?.value === '5'")
        wait_for_app(student)
        assert _settings(student) == ("1", "2")
        assert "lang=ko" in student.url and "None" not in student.url
        assert student.get_by_role("heading", name=KO["stride.title"], level=1).is_visible()
    finally:
        other.close()
