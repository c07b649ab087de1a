"""The Learn page's networks edited (the layer table, carried by a link) in Chromium, then trained.

Writes ``docs/screenshots/learn_edit.png``: the dense net's table with a wider first hidden layer,
and its count line. A link with an edited network opens with it in Korean; a damaged token gives the
Korean notice and the experiment's network.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from convviz.nets import decode_table, encode_table, layers as L
from tests.browser.conftest import screenshot, wait_for_app
from tests.browser.test_learn_browser import DONE
from ui.common import keys
from ui.common.i18n import catalog
from ui.common.layer_table import editor_frame, records_from_editor

pytestmark = pytest.mark.browser

TINY = "learn_n_train=100&learn_epochs=3"


def _expander(page, lang: str, net: str):
    cat = catalog(lang)
    title = cat["learn.edit.title"].format(name=cat[f"learn.net.shifted.{net}"])
    return page.locator('[data-testid="stExpander"]').filter(has_text=title)


def _main(page):
    return page.locator('[data-testid="stMain"]')


def test_a_wider_dense_net_edited_in_the_table_trains_and_is_counted(server_url, page):
    url = f"{server_url}/learn?lang=en&{TINY}"
    page.goto(url)
    wait_for_app(page)
    expect(_main(page)).to_contain_text("41,802")
    # Linear(256, 128) -> Linear(256, 300): 77,100 + 19,264 + 650 = 97,014 (the next In follows).
    # The edit itself is made as a link would carry it: typing in the canvas grid is flaky when the
    # expander has just opened (the same shared table, ui.common.layer_table, is typed into in
    # tests/browser/test_params_browser.py; the Learn page's editing is in tests/views/test_page_learn_edit.py).
    records = records_from_editor(editor_frame((L.Flatten(), L.Linear(256, 300), L.ReLU(), L.Linear(300, 64),
                                                L.ReLU(), L.Linear(64, 10))))[0]
    page.goto(f"{url}&{keys.learn_net('dense')}={encode_table(records)}")
    wait_for_app(page)
    _expander(page, "en", "dense").locator("summary").click()
    _expander(page, "en", "dense").locator('[data-testid="data-grid-canvas"]').wait_for()
    wait_for_app(page)
    expect(_main(page)).to_contain_text("Dense net (edited): 97,014 parameters")
    token = parse_qs(urlsplit(page.url).query)[keys.learn_net("dense")][0]
    assert [r["out"] for r in decode_table(token)][1] == 300  # the address bar carries the table
    # the screenshot: the dense net's line, its widths box and its edited table
    page.get_by_text("Dense net (edited)").first.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.mouse.move(700, 400)
    page.mouse.wheel(0, -90)  # the line below Streamlit's top bar
    page.mouse.move(5, 5)
    page.wait_for_timeout(600)
    screenshot(page, "learn_edit")

    page.get_by_role("button", name=catalog("en")["learn.train"]).click()
    page.locator(DONE).wait_for(timeout=90_000)
    wait_for_app(page)
    table = page.locator(DONE).locator('[data-testid="stDataFrame"]')
    expect(table).to_be_visible()
    expect(table).to_contain_text("97,014")  # the trained dense net is the edited one
    assert not page.locator('[data-testid="stException"]').count()


def test_links_with_an_edited_or_a_damaged_network_in_korean(server_url, page):
    cat = catalog("ko")
    records = records_from_editor(editor_frame((L.Flatten(), L.Linear(256, 32), L.ReLU(), L.Linear(32, 10))))[0]
    page.goto(f"{server_url}/learn?lang=ko&{keys.learn_net('dense')}={encode_table(records)}")
    wait_for_app(page)
    expect(_main(page)).to_contain_text("8,554")  # 256 x 32 + 32 + 32 x 10 + 10
    expect(_main(page)).to_contain_text(cat["learn.net.shifted.dense"] + " (고친 신경망)")
    alerts = page.locator('[data-testid="stAlert"]')
    expect(alerts.filter(has_text="이 링크")).to_have_count(0)  # no notice about the link
    expect(alerts.filter(has_text="이대로는 학습할 수 없습니다")).to_have_count(0)  # and the network can train
    expect(page.get_by_role("button", name=cat["learn.train"])).to_be_enabled()

    page.goto(f"{server_url}/learn?lang=ko&{keys.learn_net('dense')}=t1.eNqLjgUAAR")
    wait_for_app(page)
    damaged = cat["errors.table_link_corrupt"]
    expect(page.locator('[data-testid="stAlert"]').filter(has_text=damaged)).to_be_visible()
    expect(_main(page)).to_contain_text("41,802")  # the experiment's network instead
    assert keys.learn_net("dense") not in page.url
    expect(page.get_by_role("button", name=cat["learn.train"])).to_be_enabled()
