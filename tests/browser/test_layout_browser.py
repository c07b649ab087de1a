"""Issue 22's layout items, measured in real Chromium: the stride player on a projector (input, kernel
and output on one 1280 x 720 screen), no control label cut (1400 and 1280 px, presentation mode on
and off, English and Korean), nothing cut on a 390-px phone, the sidebar after a page change made
from it, the Image kernels result in view while choosing a kernel, and the trend chart's click.

Screenshots of the projector and the phone go to docs/screenshots/.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import screenshot, wait_for_app
from ui.common.i18n import catalog

pytestmark = pytest.mark.browser

EN, KO = catalog("en"), catalog("ko")
CATALOGS = {"en": EN, "ko": KO}
PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}

#: Every control label, option and button text in ``root`` that is wider than its box (cut, or ending in
#: "…"); a select box shows its option in an <input>, whose text can be cut too.
CUT_LABELS = """root => {
  const scope = document.querySelector(root);
  if (!scope) return ['no ' + root];
  const labels = ['[data-testid="stWidgetLabel"]', 'input[role="combobox"]', '[data-testid="stButtonGroup"]',
    '[data-baseweb="select"]', '[data-testid="stMetricLabel"]', '[data-testid="stMetricValue"]',
    '[data-testid="stExpander"] summary', '[data-baseweb="tab-list"]', '[data-testid="stCheckbox"] label',
    '[data-testid="stRadio"] label', 'button', '[data-testid="stPageLink-NavLink"]',
    '[data-testid="stSidebarNavLink"]'].join(',');
  const cut = [], seen = new Set();
  for (const label of scope.querySelectorAll(labels)) {
    for (const e of [label, ...label.querySelectorAll('*')]) {
      if (seen.has(e) || e.closest('svg') || (e.tagName === 'INPUT' && e.getAttribute('role') !== 'combobox')) continue;
      seen.add(e);
      const text = (e.tagName === 'INPUT' ? e.value : e.innerText || '').trim();
      if (text && e.getClientRects().length && e.clientWidth && e.scrollWidth > e.clientWidth + 1)
        cut.push(text.replace(/\\s+/g, ' ') + ' (' + e.scrollWidth + ' px in ' + e.clientWidth + ')');
    }
  }
  return cut;
}"""


#: Words of control labels (and metric values) split over two lines ("Paddin/g", "큰 글/씨", "147,456,/000"):
#: a label may wrap, but between words. A hyphen is a place to break.
SPLIT_WORDS = """root => {
  const scope = document.querySelector(root);
  const texts = scope.querySelectorAll('[data-testid="stWidgetLabel"] p, .stMarkdownEllipsis p, '
    + '[data-testid="stButtonGroup"] button p, [data-testid^="stBaseButton"] p, [data-testid="stMetricValue"] div');
  const split = [];
  for (const p of texts) {
    if (!p.getClientRects().length) continue;
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\\s\\-]+/g)) {
        const r = document.createRange();
        r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
        if (new Set([...r.getClientRects()].map(q => Math.round(q.top))).size > 1)
          split.push(m[0] + ' in "' + p.innerText.slice(0, 40) + '"');
      }
    }
  }
  return split;
}"""


def goto(pg, url: str) -> None:
    pg.goto(url)
    wait_for_app(pg)
    pg.locator('[data-testid="stMain"] h1').first.wait_for()
    if pg.locator('[data-testid="stDialog"]').count():  # streamlit/streamlit#9992 on a fresh server
        pg.reload()
        wait_for_app(pg)
        pg.locator('[data-testid="stMain"] h1').first.wait_for()


def sidebar_collapsed(pg) -> bool:
    return pg.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "true"


def settle_sidebar(pg) -> None:
    """Wait until the sidebar has finished sliding (its width is the same twice in a row)."""
    pg.wait_for_function("""() => { const s = document.querySelector('[data-testid=stSidebar]');
        const w = s.getBoundingClientRect().right; const last = window.__cvSideRight; window.__cvSideRight = w;
        return last === w; }""", polling=150)


def open_sidebar(pg) -> None:
    if sidebar_collapsed(pg):
        pg.get_by_test_id("stExpandSidebarButton").click()
        pg.wait_for_function("() => document.querySelector('[data-testid=stSidebar]')"
                             ".getAttribute('data-collapsed') === 'false'")
    settle_sidebar(pg)


def union(boxes: list[dict]) -> dict:
    return {"left": min(b["x"] for b in boxes), "top": min(b["y"] for b in boxes),
            "right": max(b["x"] + b["width"] for b in boxes), "bottom": max(b["y"] + b["height"] for b in boxes)}


# ------------------------------------------------------------------------------------ the projector

def player_parts(pg, title: str) -> dict[str, dict]:
    """The input grid, the kernel and the output grid of the stride player, in page coordinates,
    once the frame's top is just under Streamlit's header (where a teacher scrolls it)."""
    frame_el = pg.locator(f'iframe[title="{title}"]').first
    player = pg.frame_locator(f'iframe[title="{title}"]').first
    player.locator('[data-testid="cv-step"]').wait_for()
    frame_el.evaluate("""f => { const m = document.querySelector('[data-testid=stMain]');
        const h = document.querySelector('[data-testid=stHeader]').getBoundingClientRect().bottom;
        m.scrollTop += f.getBoundingClientRect().top - h; }""")
    pg.wait_for_timeout(300)  # the scroll is layout only; nothing to wait on
    return {name: union([e.bounding_box() for e in player.locator(sel).element_handles()])
            for name, sel in (("input", '[data-testid="cv-in"]'), ("kernel", '[data-testid="cv-k"]'),
                              ("output", '[data-testid="cv-out"]'))}


def wait_for_player_width(pg, title: str) -> None:
    """The player draws again after its frame was resized (the sidebar opened): wait until it fits."""
    pg.locator(f'iframe[title="{title}"]').first.evaluate(
        """f => new Promise(done => { const check = () => { const d = f.contentDocument;
            const svg = d && d.getElementById('cv-svg');
            if (svg && svg.getBoundingClientRect().right <= d.documentElement.clientWidth + 1) done();
            else setTimeout(check, 100); }; check(); })""")


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", [PROJECTOR, {"width": 1400, "height": 900}], ids=["1280x720", "1400x900"])
def test_presentation_mode_shows_input_kernel_and_output_on_one_screen(page, server_url, lang, size):
    cat = CATALOGS[lang]
    page.set_viewport_size(size)
    goto(page, f"{server_url}/stride?lang={lang}&present=true")
    assert sidebar_collapsed(page)  # a presentation link gives the page the projector's width
    open_sidebar(page)  # the harder case: the sidebar open beside the player
    title = cat["stride.title"]
    wait_for_player_width(page, title)
    player = page.frame_locator(f'iframe[title="{title}"]').first
    assert player.locator("body").get_attribute("data-layout") == "row"
    parts = player_parts(page, title)
    header = page.get_by_test_id("stHeader").bounding_box()
    for name, box in parts.items():
        assert box["top"] >= header["y"] + header["height"] - 1, (name, box)
        assert box["bottom"] <= size["height"] and box["right"] <= size["width"], (name, box, size)
    # side by side: the kernel right of the input, the output right of the kernel
    assert parts["input"]["right"] < parts["kernel"]["left"] < parts["kernel"]["right"] < parts["output"]["left"]
    cell = player.locator('[data-testid="cv-in"] rect').first.bounding_box()
    assert cell["width"] >= 36, cell  # still big enough to read from the back of the room
    if size == PROJECTOR:
        screenshot(page, f"projector_stride_{lang}")
        # closing the sidebar gives the player the room back, and it grows into it
        page.get_by_test_id("stSidebar").hover()
        page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
        settle_sidebar(page)
        page.wait_for_function("() => document.querySelector('[data-testid=stSidebar]')"
                               ".getAttribute('data-collapsed') === 'true'")
        page.wait_for_timeout(500)  # a resize is layout only: no rerun to wait for
        wider = player.locator('[data-testid="cv-in"] rect').first.bounding_box()
        assert wider["width"] >= cell["width"], (wider, cell)
        parts = player_parts(page, title)
        assert all(b["bottom"] <= size["height"] and b["right"] <= size["width"] for b in parts.values()), parts


def test_the_player_stays_side_by_side_on_a_laptop(page, server_url):
    page.set_viewport_size(PROJECTOR)
    goto(page, f"{server_url}/stride?lang=en&stride_in_h=9&stride_in_w=9")
    open_sidebar(page)
    title = EN["stride.title"]
    wait_for_player_width(page, title)
    player = page.frame_locator(f'iframe[title="{title}"]').first
    assert player.locator("body").get_attribute("data-layout") == "row"
    parts = player_parts(page, title)
    assert all(b["bottom"] <= PROJECTOR["height"] and b["right"] <= PROJECTOR["width"] for b in parts.values()), parts


# ---------------------------------------------------------------------------------- cut labels

#: Pages and views whose controls are checked: every page, and the views that add controls.
VIEWS = ["", "kernels", "kernels?kernels_preset=custom&kernels_inspect=true", "stride",
         "stride?stride_channels=true&stride_values=typed&stride_weights=typed&stride_predict=true",
         "receptive", "params", "params?params_arch=resnet_bottleneck&params_dense=true", "inside", "learn"]


@pytest.mark.parametrize("present", [False, True], ids=["normal", "presentation"])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_no_control_label_is_cut(page, server_url, lang, present):
    """Nothing cut or ending in "…", and no word split over two lines, with the sidebar open."""
    cut = {}
    for view in VIEWS:
        page.set_viewport_size({"width": 1400, "height": 900})
        joiner = "&" if "?" in view else "?"
        goto(page, f"{server_url}/{view}{joiner}lang={lang}" + ("&present=true" if present else ""))
        open_sidebar(page)
        for width, height in ((1400, 900), (1280, 720)):
            page.set_viewport_size({"width": width, "height": height})
            settle_sidebar(page)
            page.wait_for_timeout(200)  # a resize is layout only: no rerun to wait for
            for part in ("stMain", "stSidebar"):
                found = page.evaluate(CUT_LABELS, f'[data-testid="{part}"]')
                found += page.evaluate(SPLIT_WORDS, f'[data-testid="{part}"]')
                if found:
                    cut[f"/{view} {width}px {part}"] = found
    assert not cut, cut


# ----------------------------------------------------------------------------------- the phone

def fits(pg, locator) -> None:
    """``locator`` (a chart, a picture) is whole on the phone's screen and nothing in it scrolls sideways."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, box
    inner = locator.evaluate("e => [...e.querySelectorAll('*'), e].filter(x => x.clientWidth)"
                             ".filter(x => x.scrollWidth > x.clientWidth + 1).length")
    assert inner == 0


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_nothing_is_cut_on_a_phone(page, server_url, lang):
    cat = CATALOGS[lang]
    page.set_viewport_size(PHONE)

    def whole_page() -> None:
        assert page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollWidth") <= PHONE["width"]
        assert not page.evaluate(CUT_LABELS, '[data-testid="stMain"]')

    # The lesson's formulas: every piece inside its step's box.
    goto(page, f"{server_url}/?lang={lang}")
    for step in (1, 2, 6, 7, 8):
        block = page.locator(f".st-key-cv_formula_lesson_{step}")
        block.locator(".katex").first.wait_for()
        block.scroll_into_view_if_needed()
        assert block.evaluate("""b => { const r = b.getBoundingClientRect();
            return [...b.querySelectorAll('.katex')].every(k => k.getBoundingClientRect().right <= r.right + 1);
        }"""), step
    whole_page()
    if lang == "en":
        page.locator(".st-key-cv_formula_lesson_2").scroll_into_view_if_needed()
        screenshot(page, "phone_lesson_formula")

    # The receptive fields' photo: drawn at the width there is (it was 460 px in a 358-px box).
    goto(page, f"{server_url}/receptive?lang={lang}")
    photo = page.locator(".st-key-rf_pick")
    photo.locator("svg.marks").wait_for()
    fits(page, photo)
    whole_page()
    if lang == "en":
        screenshot(page, "phone_receptive_photo")

    # The pixel inspector's picture, and a click on it still picks the pixel under the pointer.
    goto(page, f"{server_url}/kernels?lang={lang}&kernels_inspect=true")
    pick = page.locator(".st-key-kernels_px_pick")
    pick.locator("svg.marks").wait_for()
    fits(page, pick)
    picture = pick.locator("svg.marks").bounding_box()
    page.mouse.click(picture["x"] + 0.75 * picture["width"], picture["y"] + 0.25 * picture["height"])
    wait_for_app(page)
    page.wait_for_function("() => document.querySelector('.st-key-kernels_px_col input').value !== '225'")
    col = int(page.locator(".st-key-kernels_px_col input").input_value())
    row = int(page.locator(".st-key-kernels_px_row input").input_value())
    assert abs(col - 0.75 * 451) <= 6 and abs(row - 0.25 * 300) <= 6, (row, col)  # the cat is 451 x 300
    whole_page()

    # The trend chart: all six networks, named, on the screen.
    goto(page, f"{server_url}/params?lang={lang}")
    for chart in page.locator('[data-testid="stVegaLiteChart"]').filter(
            has=page.locator(".role-axis-label")).all():
        chart.locator(".mark-symbol, .mark-rect").first.wait_for()
        fits(page, chart)
        names = chart.locator(".role-axis-label text").all_text_contents()
        assert all(any(cat[f"params.trend.short.{n}"] in name for name in names)
                   for n in ("lenet5", "alexnet", "vgg16", "googlenet", "resnet50", "mobilenet_v2")), names
    whole_page()
    if lang == "en":
        page.locator(".st-key-params_trend").scroll_into_view_if_needed()
        screenshot(page, "phone_trend")

    # The groups wiring diagram: as wide as the phone, its numbers readable.
    goto(page, f"{server_url}/stride?lang={lang}&stride_channels=true")
    diagram = page.get_by_test_id("stImage").locator("img").first
    diagram.scroll_into_view_if_needed()
    box = diagram.bounding_box()
    assert box["width"] >= 0.8 * (PHONE["width"] - 32) and box["x"] + box["width"] <= PHONE["width"], box
    assert box["width"] / 360 * 18 >= 14  # the drawing's 18-unit text, on screen
    whole_page()
    if lang == "en":
        screenshot(page, "phone_groups")


# --------------------------------------------------------------------------------- the sidebar

def change_page(pg, name: str) -> None:
    # After a resize Streamlit may still fold the sidebar away (on a narrow window): open it again
    # until the link can be clicked.
    link = pg.get_by_test_id("stSidebarNav").get_by_role("link", name=name)
    for attempt in range(3):
        open_sidebar(pg)
        try:
            link.click(timeout=5_000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
    pg.get_by_role("heading", level=1).filter(has_text=name).wait_for()
    wait_for_app(pg)
    settle_sidebar(pg)


def test_sidebar_stays_as_the_user_left_it_after_a_page_change(page, server_url):
    # Presentation mode: the sidebar is opened to change page, and closes again after it.
    page.set_viewport_size(PROJECTOR)
    goto(page, f"{server_url}/stride?lang=en&present=true")
    assert sidebar_collapsed(page)
    for name in (EN["common.nav.kernels"], EN["common.nav.params"]):
        change_page(page, name)
        assert sidebar_collapsed(page), name
    # Turning presentation mode on from the sidebar closes it, even after the user opened it by hand
    # (Streamlit remembers that choice in the browser and lets it win over the page's setting).
    goto(page, f"{server_url}/stride?lang=en")
    open_sidebar(page)
    page.get_by_test_id("stSidebar").get_by_text(EN["common.presentation"]).click()
    page.wait_for_function("() => document.querySelector('[data-testid=stSidebar]')"
                           ".getAttribute('data-collapsed') === 'true'")
    # Normal mode on a laptop: a sidebar left open stays open.
    open_sidebar(page)
    page.get_by_test_id("stSidebar").get_by_text(EN["common.presentation"]).click()
    wait_for_app(page)
    change_page(page, EN["common.nav.receptive"])
    assert not sidebar_collapsed(page)
    # A small screen, where the sidebar covers the page: it closes after the page change.
    page.set_viewport_size({"width": 700, "height": 900})
    change_page(page, EN["common.nav.inside"])
    assert sidebar_collapsed(page)


# ------------------------------------------------------------------- Image kernels, trend chart

def loaded(img) -> None:
    """Wait until the picture has arrived (before that it is 0 px high)."""
    img.evaluate("i => i.complete && i.naturalWidth ? true : new Promise(done => i.addEventListener('load', done))")


def stable(locator) -> None:
    """Wait until ``locator`` stops moving on screen (what is above it has finished drawing)."""
    locator.evaluate("""e => new Promise(done => { let last = null; const check = () => {
        const y = e.getBoundingClientRect().top; if (y === last) done(); else { last = y; setTimeout(check, 250); } };
        check(); })""")


def test_kernel_choice_sits_right_under_the_result(page, server_url):
    page.set_viewport_size(PROJECTOR)
    goto(page, f"{server_url}/kernels?lang=en&present=true")
    after = page.get_by_role("img", name=EN["kernels.after_alt"].format(kernel=EN["kernels.presets.emboss.name"]))
    preset = page.locator(".st-key-kernels_preset")
    loaded(after)
    preset.scroll_into_view_if_needed()
    stable(preset)
    a, p = after.bounding_box(), preset.bounding_box()
    assert 0 <= p["y"] - (a["y"] + a["height"]) <= 120, (a, p)  # under the caption, nothing between
    assert p["y"] + p["height"] - a["y"] <= PROJECTOR["height"], (a, p)  # both on one screen
    page.set_viewport_size(PHONE)
    goto(page, f"{server_url}/kernels?lang=en")
    loaded(after)
    stable(preset)
    a, p = after.bounding_box(), preset.bounding_box()
    assert 0 <= p["y"] - (a["y"] + a["height"]) <= 160, (a, p)  # under the pictures' captions
    assert p["y"] + p["height"] <= PHONE["height"], p  # and on the first screen
    preset.scroll_into_view_if_needed()
    screenshot(page, "phone_kernels_preset")


def test_trend_click_says_which_network_where_the_click_was(page, server_url):
    page.set_viewport_size(PROJECTOR)
    goto(page, f"{server_url}/params?lang=en&present=true")
    chart = page.locator(".st-key-params_trend")
    page.wait_for_function("() => document.querySelectorAll('.st-key-params_trend .mark-symbol path').length >= 6")
    stable(chart)  # the tables and charts above have their heights
    chart.evaluate("el => el.scrollIntoView({block: 'center'})")
    stable(chart)
    chart.locator(".mark-symbol path").nth(2).click()  # data order: LeNet-5, AlexNet, VGG16, ...
    page.wait_for_url("**params_arch=vgg16**")
    wait_for_app(page)
    note = page.get_by_test_id("stAlert").filter(has=page.locator('a[href="#params-top"]'))
    note.wait_for()
    assert "VGG16" in note.inner_text() and "138,357,544" in note.inner_text()
    stable(note)  # the table at the top grew meanwhile; the browser keeps the chart in place
    box, dots = note.bounding_box(), chart.bounding_box()
    assert 0 <= box["y"] - (dots["y"] + dots["height"]) <= 40, (box, dots)  # right under the dots
    assert 0 <= box["y"] and box["y"] + box["height"] <= PROJECTOR["height"], box  # in view, no scrolling
    note.get_by_role("link").click()
    page.wait_for_function("() => { const h = document.getElementById('params-top');"
                           " return h && h.getBoundingClientRect().top < 200; }")
    select = page.locator(".st-key-params_arch input[role=combobox]")
    assert select.input_value() == EN["params.arch.vgg16.title"]
    assert select.bounding_box()["y"] < PROJECTOR["height"]
