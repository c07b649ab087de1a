"""ui.learn.try_it in AppTest: draw (the canvas's state set as the browser sets it), upload or photograph a digit,
and see each network's answer, its probabilities and every layer's output, in English and Korean."""
from __future__ import annotations

import io
import json

import numpy as np
import pyarrow as pa
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

import convviz
from convviz import learn
from convviz.numbers import format_percent
from convviz.pictures import PALETTE
from tests.conftest import texts
from tests.convviz.learn.drawn_digits import data_url, on_canvas, photo, png
from tests.ui.learn.tiny_nets import NAMES, STACKS, tiny_results
from ui.common import keys
from ui.common.i18n import catalog
from ui.learn.draw import png_bytes

IMAGES, LABELS = learn.load_digits()
CANVAS = keys.learn_try(keys.LEARN_TRY, "canvas")
EN, KO = catalog("en"), catalog("ko")


def _page(empty: bool = False):
    import streamlit as st

    from tests.ui.learn.tiny_nets import NAMES, tiny_results
    from ui.common.i18n import current_language
    from ui.learn import try_it

    empty = st.session_state.get("_test_empty", False)
    try_it.render({} if empty else tiny_results(), names=NAMES[current_language()])


def open_try_it(lang: str = "en", *, empty: bool = False) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    at.session_state[keys.LANG] = lang
    at.session_state["_test_empty"] = empty
    return at.run()


def jpeg(image: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def expected(picture: np.ndarray, *, photo_: bool = False, encode=png) -> dict[str, learn.Inspection]:
    """What each tiny network makes of ``picture`` (worked out here, through convviz, as the page must)."""
    digit = (learn.digit_from_photo if photo_ else learn.digit_from_drawing)(
        convviz.load_image(encode(picture)))
    return {net: learn.inspect_image(r.layers, r.params, learn.network_input(digit, r.input_shape), buffers=r.buffers)
            for net, r in tiny_results().items()}


def said(lang: str, net: str, seen: learn.Inspection) -> str:
    cat = EN if lang == "en" else KO
    return cat["learn_try.prediction"].format(name=NAMES[lang][net], digit=seen.digit,
                                              percent=format_percent(seen.confidence))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_without_results_only_a_line_is_shown(lang):
    at = open_try_it(lang, empty=True)
    assert not at.exception
    assert [i.value for i in at.info] == [(EN if lang == "en" else KO)["learn_try.no_results"]]
    assert not at.get("bidi_component") and not at.get("button_group")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_before_a_drawing_the_canvas_waits(lang):
    cat = EN if lang == "en" else KO
    at = open_try_it(lang)
    assert not at.exception
    assert len(at.get("bidi_component")) == 1
    choice = at.get("button_group")[0]
    assert choice.value == "draw" and choice.options[0] == cat["learn_try.sources.draw"]
    assert cat["learn_try.waiting_draw"] in texts(at)
    assert cat["learn_try.seen_title"] not in texts(at) and not at.get("vega_lite_chart")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_drawing_gets_each_networks_answer_probabilities_and_layers(lang):
    cat = EN if lang == "en" else KO
    picture = on_canvas(IMAGES[1234])
    at = open_try_it(lang)
    at.session_state[CANVAS] = {"png": data_url(picture)}
    at.run()
    assert not at.exception and not at.error
    shown = texts(at)
    for net, seen in expected(picture).items():
        assert said(lang, net, seen) in shown
        ranking = " · ".join(cat["learn_try.ranked"].format(digit=d, percent=format_percent(p))
                             for d, p in seen.ranked())
        assert cat["learn_try.top"].format(ranking=ranking) in shown
        for layer in seen.layers:
            assert cat["learn_try.layer"].format(position=layer.position, name=layer.name,
                                                 shape=convviz.numbers.format_shape(layer.shape)) in shown
    assert len(at.get("vega_lite_chart")) == len(STACKS)
    assert cat["learn_try.seen_title"] in shown
    # one picture of what the networks see (two images), then one per layer of each network
    images = at.get("image")
    assert [i.caption for i in images[0].proto.imgs] == [
        cat["learn_try.seen_digit"], cat["learn_try.seen_canvas"].format(shape="1 × 16 × 16")]
    assert sum(len(el.proto.imgs) for el in images) == 2 + sum(len(s) for s in STACKS.values())


def test_the_charts_hold_the_ten_probabilities():
    picture = on_canvas(IMAGES[20])
    at = open_try_it()
    at.session_state[CANVAS] = {"png": data_url(picture)}
    at.run()
    want = expected(picture)
    charts = at.get("vega_lite_chart")
    assert len(charts) == len(want)
    for chart, seen in zip(charts, want.values()):
        assert json.loads(chart.proto.spec)["mark"]["type"] == "bar"
        rows = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pandas()
        assert list(rows["digit"]) == [str(d) for d in range(10)]
        np.testing.assert_allclose(rows["probability"], seen.probabilities, rtol=1e-6)
        assert list(rows["chosen"]) == [d == seen.digit for d in range(10)]
        assert chart.proto.alt.startswith("The ten probabilities of ")


def test_the_canvas_gets_its_drawing_back_words_and_palette():
    url = data_url(on_canvas(IMAGES[3]))
    at = open_try_it("ko")
    at.session_state[CANVAS] = {"png": url}
    at.run()
    component = at.get("bidi_component")[0].proto
    data = json.loads(component.json)
    assert data["png"] == url                                 # drawn again if the page made the canvas anew
    assert (data["clear"], data["hint"]) == (KO["learn_try.clear"], KO["learn_try.hint"])
    assert data["colours"] == {role: PALETTE[role] for role in ("background", "text", "line", "muted")}
    assert component.component_name == "convviz_draw" and "export default cvDraw;" in component.js_content
    assert not component.html_content.count("<script")        # no script in the markup: draw.js is the script


def test_the_drawing_and_the_choice_stay_when_the_language_changes():
    picture = on_canvas(IMAGES[99])
    at = open_try_it("en")
    at.session_state[CANVAS] = {"png": data_url(picture)}
    at.run()
    at.session_state[keys.LANG] = "ko"
    at.run()
    for net, seen in expected(picture).items():
        assert said("ko", net, seen) in texts(at)
    at.get("button_group")[0].set_value("upload").run()
    at.session_state[keys.LANG] = "en"
    at.run()
    assert at.get("button_group")[0].value == "upload" and len(at.file_uploader) == 1


def test_clear_brings_the_waiting_line_back():
    at = open_try_it()
    at.session_state[CANVAS] = {"png": data_url(on_canvas(IMAGES[3]))}
    at.run()
    assert EN["learn_try.seen_title"] in texts(at)
    at.session_state[CANVAS] = {"png": None}
    at.run()
    assert not at.exception and EN["learn_try.waiting_draw"] in texts(at)
    assert EN["learn_try.seen_title"] not in texts(at)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_blank_drawing_says_there_is_no_digit(lang):
    cat = EN if lang == "en" else KO
    at = open_try_it(lang)
    at.session_state[CANVAS] = {"png": data_url(np.full((280, 280, 3), 255, np.uint8))}
    at.run()
    assert not at.exception
    message = cat["errors.drawing_empty"].format(param=cat["errors.param.drawing"])
    assert [e.value for e in at.error] == [f"{cat['learn_try.failed']} {message}"]


@pytest.mark.parametrize("sent", ["not a url", "data:text/html;base64,PGI+", "data:image/png;base64,!!!",
                                  "data:image/png;base64," + "A" * 500_000, 12, ["x"]])
def test_what_did_not_come_from_the_canvas_is_no_drawing(sent):
    at = open_try_it()
    at.session_state[CANVAS] = {"png": sent}
    at.run()
    assert not at.exception and not at.error and EN["learn_try.waiting_draw"] in texts(at)


def test_a_png_that_is_not_an_image_is_a_message():
    at = open_try_it()
    at.session_state[CANVAS] = {"png": "data:image/png;base64,iVBORw0KGgoAAAA="}
    at.run()
    assert not at.exception and len(at.error) == 1 and at.error[0].value.startswith(EN["learn_try.failed"])


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_an_uploaded_photo_is_read_once_and_answered(lang):
    cat = EN if lang == "en" else KO
    picture = photo(IMAGES[42], seed=3, scale=5)
    at = open_try_it(lang)
    at.get("button_group")[0].set_value("upload").run()
    at.file_uploader[0].upload("seven.png", png(picture), "image/png")
    at.run()
    assert not at.exception and not at.error
    shown = texts(at)
    assert cat["learn_try.upload_current"].format(name="seven.png") in shown
    for net, seen in expected(picture, photo_=True).items():
        assert said(lang, net, seen) in shown
    assert not at.file_uploader                         # the uploader gave way to "upload another"
    at.button(key=keys.learn_try(keys.LEARN_TRY, "another")).click().run()
    assert len(at.file_uploader) == 1 and cat["learn_try.seen_title"] not in texts(at)


def test_a_bad_upload_is_a_message_not_a_crash():
    at = open_try_it()
    at.get("button_group")[0].set_value("upload").run()
    at.file_uploader[0].upload("notes.png", b"hello, not a picture", "image/png").run()
    assert not at.exception and len(at.error) == 1 and at.error[0].value.startswith(EN["learn_try.failed"])
    at.run()                                            # the message stays with the photo's name until replaced
    assert len(at.error) == 1


def test_a_camera_shot_is_answered():
    picture = photo(IMAGES[7], seed=1, scale=5)
    at = open_try_it()
    at.get("button_group")[0].set_value("camera").run()
    at.camera_input[0].upload("camera.jpg", jpeg(picture), "image/jpeg").run()
    assert not at.exception and not at.error
    for net, seen in expected(picture, photo_=True, encode=jpeg).items():
        assert said("en", net, seen) in texts(at)


def test_png_bytes_takes_only_a_png_data_url():
    assert png_bytes(data_url(np.zeros((2, 2), np.uint8))).startswith(b"\x89PNG")
    assert png_bytes(None) is None and png_bytes("data:image/png;base64,???") is None
