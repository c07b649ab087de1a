"""Predict, then reveal on every page (issue 22): a guess never travels in a link, a changed setting
asks for a new guess, and nothing on screen gives the answer away while a guess is pending.

"Nothing on screen" is checked on everything the app sends: every label, caption, message,
metric, table cell and player document (``on_screen``), searched for the answer's numbers.
"""
from __future__ import annotations

import re

import pytest

from convviz import ARCHITECTURES, summarize
from tests.conftest import open_app, open_link, share_box, texts
from tests.ui.common.test_i18n import rendered_texts
from tests.views.test_page_stride import PAGE as STRIDE, players
from ui.common import keys

PARAMS = "views/parameter_counts.py"
LOCALES = {"en": "en-US", "ko": "ko-KR"}
#: 9 × 7 input, 3 × 3 kernel, stride 2, padding 1: the output is 5 × 4 (and the channel panel's 2 × 5 × 4).
GEOMETRY = {"stride_predict": "true", "stride_in_h": "9", "stride_in_w": "7"}
SHAPE = re.compile(r"(?<!\d)5\s*[×x]\s*4(?!\d)")


def on_screen(at) -> str:
    """Everything the app sent for this run, as text: rendered texts, metric values, table cells,
    the players' documents and the bounds of the number boxes."""
    parts = rendered_texts(at)
    for m in at.metric:
        parts += [str(m.value), str(m.delta), str(m.proto.help)]
    for df in at.dataframe:
        parts += [str(v) for v in df.value.to_numpy().ravel()]
    parts += [el.proto.srcdoc for el in at.get("iframe")]
    parts += [f"{n.label} {n.proto.max}" for n in at.number_input]
    return "\n".join(parts)


def shows_number(text: str, n: int) -> bool:
    """Whether ``n`` is written in ``text`` (with or without thousands separators)."""
    return re.search(rf"(?<!\d){n}(?!\d)", re.sub(r"(?<=\d)[,\u202f](?=\d{3})", "", text)) is not None


def link_params(at) -> dict[str, str]:
    from urllib.parse import parse_qs, urlsplit

    return {k: v[-1] for k, v in parse_qs(urlsplit(share_box(at)[0]).query).items()}


def guess_stride(at, h: int, w: int):
    at.number_input(key=keys.STRIDE_GUESS_H).set_value(h).run()
    return at.number_input(key=keys.STRIDE_GUESS_W).set_value(w).run()


# --------------------------------------------------------------------------- stride page

@pytest.mark.parametrize("lang", LOCALES)
def test_a_stride_guess_is_in_neither_the_address_nor_the_shared_link(lang):
    at = open_link(STRIDE, {**GEOMETRY, "lang": lang}, locale=LOCALES[lang])
    guess_stride(at, 5, 4)
    assert not at.exception and at.success  # the guess is in (and right)...
    for key in (keys.STRIDE_GUESS_H, keys.STRIDE_GUESS_W):
        assert key not in at.query_params and key not in link_params(at)  # ...but only on this screen
    assert link_params(at)["stride_predict"] == "true"  # whoever opens the link predicts too


@pytest.mark.parametrize("lang", LOCALES)
def test_an_old_link_with_a_guess_opens_with_an_empty_guess_and_no_notice(lang):
    at = open_link(STRIDE, {**GEOMETRY, "stride_guess_h": "5", "stride_guess_w": "4", "lang": lang},
                   locale=LOCALES[lang])
    assert not at.exception
    assert at.number_input(key=keys.STRIDE_GUESS_H).value is None
    assert at.number_input(key=keys.STRIDE_GUESS_W).value is None
    assert not at.success and not at.error  # no verdict
    assert not [w for w in at.warning if w.icon == ":material/link_off:"]  # and no complaint about the link
    assert keys.STRIDE_GUESS_H not in at.query_params and keys.STRIDE_GUESS_H not in link_params(at)
    assert not SHAPE.search(on_screen(at))


@pytest.mark.parametrize("lang", LOCALES)
def test_changing_the_stride_clears_the_guess_and_asks_again(lang):
    at = open_link(STRIDE, {**GEOMETRY, "lang": lang}, locale=LOCALES[lang])
    guess_stride(at, 5, 4)
    assert at.success and len(players(at)) == 2
    at.number_input(key=keys.STRIDE_STRIDE).set_value(1).run()  # now 9 × 7: the old guess is not graded
    assert not at.exception
    assert at.number_input(key=keys.STRIDE_GUESS_H).value is None
    assert at.number_input(key=keys.STRIDE_GUESS_W).value is None
    assert not at.success and not at.error
    changed = {"en": "The settings changed since your guess", "ko": "추측한 뒤 설정이 바뀌어"}[lang]
    assert any(changed in i.value for i in at.info)
    assert len(players(at)) == 1  # only the 1-D player: the grid player waits for the new guess
    guess_stride(at, 9, 7)
    assert at.success and len(players(at)) == 2


@pytest.mark.parametrize("lang", LOCALES)
def test_a_setting_that_does_not_change_the_answer_keeps_the_guess(lang):
    at = open_link(STRIDE, {**GEOMETRY, "lang": lang}, locale=LOCALES[lang])
    guess_stride(at, 5, 4)
    at.segmented_control(key=keys.STRIDE_VALUES).set_value("random").run()  # other numbers, same size
    assert at.success and at.number_input(key=keys.STRIDE_GUESS_H).value == 5


@pytest.mark.parametrize("lang", LOCALES)
def test_nothing_on_the_stride_page_gives_the_output_size_away_while_pending(lang):
    # The channel panel open, the transposed explanation possible, downloads, the typed-grid caption:
    # everything that depends on the output size waits for the guess.
    at = open_link(STRIDE, {**GEOMETRY, "stride_channels": "true", "lang": lang}, locale=LOCALES[lang])
    assert not at.exception
    shown = on_screen(at)
    assert not SHAPE.search(shown), SHAPE.search(shown)
    assert "(20 steps)" not in shown and "(20단계)" not in shown
    assert len(players(at)) == 1  # the 1-D player only: neither the grid nor the channel player
    assert not [b for b in at.get("download_button")]
    assert not [n for n in at.number_input if n.key in (keys.STRIDE_POS_ROW, keys.STRIDE_POS_COL)]
    guess_stride(at, 4, 4)  # wrong: the answer is shown, and the check above is not vacuous
    shown = on_screen(at)
    assert SHAPE.search(shown) and len(players(at)) == 3
    assert re.search(r"(?<!\d)2\s*×\s*5\s*×\s*4(?!\d)", shown)  # the channel panel's output


# --------------------------------------------------------------------------- parameter counts

ALEXNET = summarize(ARCHITECTURES["alexnet"].layers, ARCHITECTURES["alexnet"].input_shape)
#: AlexNet's counts: the total, without biases, by category and per layer (all >= 10,000, so no shape).
ANSWERS = sorted({ALEXNET.total_params, ALEXNET.total_params_without_biases,
                  *(v for v in ALEXNET.params_by_category().values() if v),
                  *(r.params for r in ALEXNET.rows if r.params >= 10_000),
                  *(r.weights for r in ALEXNET.rows if r.weights >= 10_000)})


@pytest.mark.parametrize("lang", LOCALES)
def test_nothing_on_the_params_page_gives_alexnets_count_away_while_pending(lang):
    at = open_link(PARAMS, {"params_arch": "alexnet", "params_predict": "true", "params_dense": "true",
                            "lang": lang}, locale=LOCALES[lang])
    assert not at.exception
    shown = on_screen(at)
    leaked = [n for n in ANSWERS if shows_number(shown, n)]
    assert not leaked, leaked
    assert "61.1" not in shown and "6110" not in shown  # the total in words ("61.1 million", "6110만")
    assert "96.0%" not in shown  # the dense share: with the dense layers' count it gives the total
    csv = [b for b in at.get("download_button") if b.proto.id.endswith(keys.PARAMS_CSV)]
    assert csv and all(b.proto.disabled for b in csv)  # the CSV holds every count
    at.text_input(key=keys.PARAMS_GUESS).input("60 million" if lang == "en" else "6천만").run()
    assert at.success  # close: within 5%
    shown = on_screen(at)
    assert all(shows_number(shown, n) for n in (ALEXNET.total_params, ALEXNET.rows[-1].params))


@pytest.mark.parametrize("lang", LOCALES)
def test_a_params_guess_is_never_in_the_link_and_a_new_table_asks_again(lang):
    at = open_link(PARAMS, {"params_arch": "lenet5", "params_predict": "true", "lang": lang}, locale=LOCALES[lang])
    at.text_input(key=keys.PARAMS_GUESS).input("61,706").run()
    at.text_input(key=keys.PARAMS_GUESS_ROW_VALUE).input("156").run()
    assert at.success
    for key in (keys.PARAMS_GUESS, keys.PARAMS_GUESS_ROW_VALUE):
        assert key not in at.query_params and key not in link_params(at)
    at.number_input(key=keys.params_input("h", "lenet5")).set_value(36).run()  # another input size
    assert at.text_input(key=keys.PARAMS_GUESS).value == ""
    assert not [s for s in at.success if "61,706" in s.value]


def test_old_links_with_a_params_guess_open_without_it():
    at = open_link(PARAMS, {"params_arch": "lenet5", "params_predict": "true", "params_guess": "61706"})
    assert not at.exception and at.text_input(key=keys.PARAMS_GUESS).value == ""
    assert not [w for w in at.warning if w.icon == ":material/link_off:"]
    assert not shows_number(on_screen(at), 61_706)


# --------------------------------------------------------------------------- the lesson (start page)

@pytest.mark.parametrize("lang", LOCALES)
def test_the_lesson_hides_alexnets_counts_until_the_guess(lang):
    at = open_app(locale=LOCALES[lang])
    assert not at.exception
    shown = on_screen(at)
    # (the lesson's other steps have numbers of their own: ResNet's 3 × 3 × 256 × 256 = 589,824)
    leaked = [n for n in (2_469_696, 58_631_144, 61_100_840) if shows_number(shown, n)]
    assert not leaked, leaked
    assert "96.0%" not in shown  # AlexNet's dense share (with its dense layers' count: the total)
    at.text_input(key=keys.HOME_GUESS_ALEXNET).input("61.1M" if lang == "en" else "6,110만").run()
    assert at.success and not at.exception
    after = texts(at)
    assert all(shows_number(after, n) for n in (2_469_696, 58_631_144, 61_100_840)) and "96.0%" in after
    assert keys.HOME_GUESS_ALEXNET not in at.query_params and keys.HOME_GUESS_ALEXNET not in link_params(at)
