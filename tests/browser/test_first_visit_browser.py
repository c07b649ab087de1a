"""The first visit after a server start lands on the page its link names, with no dialog.

A teacher sends ``/stride`` before class; the app has just (re)started; the first student to
open the link is the server's first session. Streamlit runs the first script of a process in
its old "pages/ directory" mode when a ``pages/`` folder sits next to the main script, before
``st.navigation`` has run once (``PagesManager.uses_pages_directory``): the link's page was
not among that folder's file names, so the first visitor got "Page not found" over the page
(streamlit/streamlit#9992), and ``/home`` or ``/stride_padding`` ran a page without ``app.py``.
The page scripts live in ``views/`` for that reason. Each case here starts its own server, and
opens the link in a fresh browser context as the very first visit.
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import ROOT, _require_chromium, streamlit_server, wait_for_app
from ui.common.i18n import catalog

pytestmark = pytest.mark.browser
EN = catalog("en")


def no_dialog(pg) -> None:
    pg.wait_for_timeout(500)  # the dialog opens when the run's first message arrives: give it time
    assert pg.locator('[data-testid="stDialog"]').count() == 0, pg.locator('[data-testid="stDialog"]').inner_text()
    assert pg.get_by_text("Page not found").count() == 0


@pytest.mark.parametrize("path, heading", [("/stride?lang=en", "stride.title"), ("/start?lang=en", "home.title")])
def test_a_deep_link_is_the_first_visit_of_a_fresh_server(browser, path, heading):
    _require_chromium()
    with streamlit_server() as url:  # its own server: this visit is the process's first session
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        try:
            pg.goto(url + path)
            wait_for_app(pg)
            pg.get_by_role("heading", name=EN[heading], level=1).wait_for()
            no_dialog(pg)
            assert pg.locator('[data-testid="stSidebar"]').get_by_text(EN["common.presentation"]).count()  # app.py ran
        finally:
            context.close()


def test_no_pages_folder_next_to_the_app():
    # Streamlit's first script run of a process would treat it as an old-style multipage app.
    assert not (ROOT / "pages").exists()
