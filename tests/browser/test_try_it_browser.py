"""Try it in a real Chromium: draw a digit with the mouse (and with a finger on a phone), see both networks'
answers and probabilities, in English and Korean; nothing on the browser's console.

The page is a small harness (tests/browser/try_it_app.py: two tiny networks trained at start), so the
answers can be worked out here too, through convviz, from the canvas's own pixels; drawing on the Learn
page itself, after a real training, is in tests/browser/test_learn_browser.py.
"""
from __future__ import annotations

import base64
import re
import time

import numpy as np
import pytest

import convviz
from convviz import learn
from convviz.numbers import format_percent
from tests.browser.conftest import screenshot, streamlit_server, wait_for_app
from tests.ui.learn.tiny_nets import NAMES, tiny_results
from ui.common.i18n import catalog

pytestmark = pytest.mark.browser

HARNESS = "tests/browser/try_it_app.py"
#: A "7" drawn across the canvas: (x, y) as fractions of its width and height, one stroke.
SEVEN = [(0.22, 0.18), (0.78, 0.18), (0.62, 0.45), (0.45, 0.84)]


@pytest.fixture(scope="module")
def try_it_url():
    from tests.browser.conftest import _require_chromium

    _require_chromium()
    with streamlit_server(script=HARNESS) as url:
        yield url


@pytest.fixture
def console():
    """Every warning and error the pages of a test print on the browser's console."""
    return []


def _open(browser, console, url: str, *, lang: str, width: int = 1400, touch: bool = False):
    context = browser.new_context(viewport={"width": width, "height": 1000}, has_touch=touch, is_mobile=touch,
                                  locale="ko-KR" if lang == "ko" else "en-US")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("warning", "error") else None)
    pg.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    pg.goto(f"{url}/?lang={lang}")
    wait_for_app(pg)
    pg.wait_for_selector("canvas.cv-draw-canvas")
    return context, pg


def _path(box: dict, points: list[tuple[float, float]], steps: int = 12) -> list[tuple[float, float]]:
    """Page coordinates along ``points`` (fractions of the box), ``steps`` per segment."""
    out = []
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        out += [(box["x"] + (ax + (bx - ax) * i / steps) * box["width"],
                 box["y"] + (ay + (by - ay) * i / steps) * box["height"]) for i in range(steps + 1)]
    return out


def _draw_with_mouse(pg, points) -> None:
    path = _path(pg.locator("canvas.cv-draw-canvas").bounding_box(), points)
    pg.mouse.move(*path[0])
    pg.mouse.down()
    for x, y in path[1:]:
        pg.mouse.move(x, y)
    pg.mouse.up()


def _draw_with_finger(pg, context, points) -> None:
    """A real touch stroke (Chromium's touch events through the DevTools protocol)."""
    cdp = context.new_cdp_session(pg)
    path = _path(pg.locator("canvas.cv-draw-canvas").bounding_box(), points)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": path[0][0], "y": path[0][1]}]})
    for x, y in path[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def _canvas_png(pg) -> bytes:
    url = pg.locator("canvas.cv-draw-canvas").evaluate("c => c.toDataURL('image/png')")
    return base64.b64decode(url.split(",", 1)[1])


def _said(lang: str, png: bytes) -> list[str]:
    """The answers the page must show for the canvas's pixels, worked out here."""
    digit = learn.digit_from_drawing(convviz.load_image(png))
    cat = catalog(lang)
    out = []
    for net, r in tiny_results().items():
        seen = learn.inspect_image(r.layers, r.params, learn.network_input(digit, r.input_shape), buffers=r.buffers)
        text = cat["learn_try.prediction"].format(name=NAMES[lang][net], digit=seen.digit,
                                                  percent=format_percent(seen.confidence))
        out.append(text.replace("**", ""))
    return out


def _wait_for_answers(pg, lang: str) -> None:
    name = NAMES[lang]["dense"]
    pg.get_by_text(re.compile(re.escape(name) + ".*%")).first.wait_for()
    wait_for_app(pg)


def _wait_until_shown(pg, answers: list[str], timeout: float = 30) -> None:
    """Wait for a rerun to show ``answers`` (the previous answers may still be on the page meanwhile)."""
    deadline = time.monotonic() + timeout
    while not all(a in pg.inner_text("body") for a in answers):
        assert time.monotonic() < deadline, (answers, pg.inner_text("body")[:1500])
        pg.wait_for_timeout(200)
    wait_for_app(pg)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_drawing_a_digit_shows_each_networks_answer_and_probabilities(browser, try_it_url, console, lang):
    cat = catalog(lang)
    context, pg = _open(browser, console, try_it_url, lang=lang)
    try:
        assert pg.get_by_text(cat["learn_try.waiting_draw"]).is_visible()
        _draw_with_mouse(pg, SEVEN)
        _wait_for_answers(pg, lang)
        body = pg.inner_text("body")
        for answer in _said(lang, _canvas_png(pg)):
            assert answer in body, (answer, body[:2000])
        assert pg.locator('[data-testid="stVegaLiteChart"]').count() == 2
        assert body.count(cat["learn_try.top"].split("{")[0].strip()) == 2
        assert cat["learn_try.seen_title"] in body and cat["learn_try.layer"].split("{")[0] in body
        pg.get_by_text(cat["learn_try.seen_title"]).scroll_into_view_if_needed()
        screenshot(pg, "learn_try" if lang == "en" else "learn_try_ko")
        assert console == []
    finally:
        context.close()


def test_a_second_stroke_adds_to_the_first_then_clear_empties_the_canvas(browser, try_it_url, console):
    cat = catalog("en")
    context, pg = _open(browser, console, try_it_url, lang="en")
    try:
        _draw_with_mouse(pg, SEVEN)
        _wait_for_answers(pg, "en")
        first = learn.ink_from_drawing(convviz.load_image(_canvas_png(pg)))
        # a bar across the 7 (after the rerun that answered the first stroke): the canvas keeps both
        _draw_with_mouse(pg, [(0.4, 0.5), (0.8, 0.5)])
        both = learn.ink_from_drawing(convviz.load_image(_canvas_png(pg)))
        # (the ink is the palette's near-black: painting it again over its own soft edges may lighten a
        # pixel by one grey level)
        assert np.all(both >= first - 0.02) and both.sum() > first.sum() * 1.1
        _wait_until_shown(pg, _said("en", _canvas_png(pg)))
        pg.locator("button.cv-draw-clear").click()
        pg.get_by_text(cat["learn_try.waiting_draw"]).wait_for()
        wait_for_app(pg)
        assert cat["learn_try.seen_title"] not in pg.inner_text("body")
        # the canvas is white again
        blank = learn.ink_from_drawing  # a blank canvas has no ink: a coded error
        with pytest.raises(convviz.ImageError):
            blank(convviz.load_image(_canvas_png(pg)))
        # a second drawing after Clear is answered again
        _draw_with_mouse(pg, [(0.5, 0.15), (0.5, 0.85)])
        _wait_until_shown(pg, _said("en", _canvas_png(pg)))
        assert console == []
    finally:
        context.close()


def test_a_finger_draws_on_a_phone(browser, try_it_url, console):
    context, pg = _open(browser, console, try_it_url, lang="ko", width=390, touch=True)
    try:
        box = pg.locator("canvas.cv-draw-canvas").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["width"] >= 200
        scroll = pg.evaluate("() => window.scrollY")
        _draw_with_finger(pg, context, SEVEN)
        _wait_for_answers(pg, "ko")
        assert pg.evaluate("() => window.scrollY") == scroll        # the finger drew, it did not scroll
        for answer in _said("ko", _canvas_png(pg)):
            assert answer in pg.inner_text("body")
        # nothing is wider than the phone
        assert pg.evaluate("() => document.documentElement.scrollWidth") <= 390
        assert console == []
    finally:
        context.close()


def test_an_uploaded_photo_is_answered(browser, try_it_url, console, tmp_path):
    from tests.convviz.learn.drawn_digits import photo, png

    cat = catalog("ko")
    picture = photo(learn.load_digits()[0][42], seed=3, scale=5)
    path = tmp_path / "digit.png"
    path.write_bytes(png(picture))
    context, pg = _open(browser, console, try_it_url, lang="ko")
    try:
        pg.get_by_text(cat["learn_try.sources.upload"], exact=True).click()
        wait_for_app(pg)
        pg.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
        digit = learn.digit_from_photo(convviz.load_image(png(picture)))
        answers = []
        for net, r in tiny_results().items():
            seen = learn.inspect_image(r.layers, r.params, learn.network_input(digit, r.input_shape),
                                       buffers=r.buffers)
            answers.append(cat["learn_try.prediction"].format(
                name=NAMES["ko"][net], digit=seen.digit, percent=format_percent(seen.confidence)).replace("**", ""))
        _wait_until_shown(pg, answers)
        assert cat["learn_try.upload_current"].format(name="digit.png") in pg.inner_text("body")
        assert console == []
    finally:
        context.close()
