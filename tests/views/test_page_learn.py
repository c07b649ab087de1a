"""The Learn page (issue 25): experiments, settings in links, predict-then-reveal, training on the
shared service, live curves, the results table, the overfitting note, kernels before and after, one
click to the Image kernels page, and bad input in both languages.

AppTest runs a script synchronously and never runs the polling fragment by itself: :func:`train`
presses "Train both", waits for the session's job (``job.result``) and runs the page again, as the
fragment's ``st.rerun`` does in a browser. Trainings are tiny (100 images, 3 epochs, well under a
second per network); identical requests are served by the service's cache after the first.
"""
from __future__ import annotations

import numpy as np
import pytest

from convviz import ConvVizError
from convviz.learn import compare_results, first_conv_kernels
from convviz.numbers import format_count, format_percent
from tests.conftest import open_app, open_link, texts
from tests.views.test_predict import link_params, on_screen
from ui.common import keys
from ui.kernels.widgets import format_kernel

PAGE = "views/learn.py"
LOCALES = {"en": "en-US", "ko": "ko-KR"}
TINY = {keys.LEARN_N_TRAIN: 100, keys.LEARN_EPOCHS: 3}


def set_tiny(at, **more):
    for key, value in {**TINY, **more}.items():
        at.number_input(key=key).set_value(value)
    return at.run()


def train(at):
    """Press "Train both", wait for the session's job and run the page as the fragment would.

    Returns the finished training's results by network key (the service's TrainResults), or None.
    """
    at.button(key=keys.LEARN_TRAIN).click().run()
    assert not at.exception
    if keys.LEARN_JOB in at.session_state:  # still training (an identical finished one is shown at once)
        try:
            at.session_state[keys.LEARN_JOB].job.result(timeout=120)
        except ConvVizError:
            pass
        at.run()
        assert not at.exception
    if keys.LEARN_FINISHED not in at.session_state:
        return None
    return at.session_state[keys.LEARN_FINISHED].results


def results_tables(at) -> list:
    """The read-only tables (the networks' layer tables are editors)."""
    return [frame for frame in at.dataframe if frame.editing_mode == "read_only"]


def charts(at) -> list:
    return list(at.get("vega_lite_chart"))


def chart_rows(chart) -> list[dict]:
    """The rows of a chart's (only) dataset, as sent (Arrow IPC in the element's proto)."""
    import pyarrow as pa

    (data,) = chart.proto.datasets
    return pa.ipc.open_stream(data.data.data).read_all().to_pylist()


def has_key(at, key: str) -> bool:
    """Whether an element (a keyed container) with ``key`` was drawn."""
    def walk(node):
        if getattr(getattr(node, "proto", None), "id", "") and key in str(node.proto.id):
            return True
        children = getattr(node, "children", None)
        return isinstance(children, dict) and any(walk(c) for c in children.values())
    return walk(at._tree)


@pytest.mark.parametrize("lang", LOCALES)
def test_the_page_opens_with_the_default_experiment_and_asks_first(lang):
    at = open_app(PAGE, locale=LOCALES[lang])
    assert not at.exception
    shown = texts(at)
    assert settings_title(lang) in shown
    assert at.selectbox(key=keys.LEARN_EXPERIMENT).value == "shifted"
    assert "6,218" in shown and "41,802" in shown  # the networks' counts (convviz.summarize)
    guess = at.radio(key=keys.LEARN_GUESS)
    assert guess.value is None and guess.options  # nothing chosen: the student guesses
    assert {"learn.guess.waiting"} <= seen_keys(lang, shown)
    assert not charts(at)  # no training yet: no curves and no runs chart
    assert at.button(key=keys.LEARN_TRAIN).disabled is False


def settings_title(lang: str) -> str:
    return {"en": "Learn: a conv net against a dense net", "ko": "학습: 합성곱 신경망과 완전 연결 신경망"}[lang]


def seen_keys(lang: str, shown: str) -> set[str]:
    from ui.common.i18n import catalog

    cat = catalog(lang)
    return {k for k in ("learn.guess.waiting", "learn.runs.empty") if cat[k] in shown}


@pytest.mark.parametrize("lang", LOCALES)
def test_training_shows_curves_table_and_kernels_from_the_results(lang):
    at = set_tiny(open_app(PAGE, locale=LOCALES[lang]))
    at.radio(key=keys.LEARN_GUESS).set_value("conv").run()
    results = train(at)
    assert set(results) == {"conv", "dense"}
    assert has_key(at, keys.LEARN_DONE)  # what the page shows once a training finished

    # the table: every number is the TrainResult's
    (table,) = results_tables(at)
    cells = table.value.to_numpy().tolist()
    for row, key in zip(cells, ("conv", "dense"), strict=True):
        final = results[key].final
        assert row[1] == format_count(results[key].param_count)
        assert row[2] == format_percent(final.train_accuracy)
        assert row[3] == format_percent(final.test_accuracy)

    # the curves: train and test accuracy per epoch, both networks, exactly the history
    curves, runs = charts(at)
    rows = chart_rows(curves)
    for key in ("conv", "dense"):
        for record in results[key].history:
            mine = {r["set"]: r["accuracy"] for r in rows if r["key"] == key and r["epoch"] == record.epoch}
            assert sorted(mine.values()) == sorted([record.train_accuracy, record.test_accuracy])
    assert len(rows) == 2 * 2 * 3
    assert all(np.isfinite(r["accuracy"]) for r in rows)

    # the runs chart: one point per network of this session, parameters against test accuracy
    points = chart_rows(runs)
    assert sorted((p["params"], p["accuracy"]) for p in points) == sorted(
        (float(r.param_count), r.final.test_accuracy) for r in results.values())

    # predict, then reveal: the verdict judges the guess against convviz's comparison
    better = compare_results(results).better
    verdict = at.success if better == "conv" else at.error
    assert any("conv" in v.value.lower() or "합성곱" in v.value for v in verdict)

    # kernels before and after: 8 + 8 tables of the conv net's first layer, the weights its own
    html = "".join(el.proto.body for el in at.get("html"))
    assert html.count("<table") == 16
    after = first_conv_kernels(results["conv"].params)
    assert f'title="{float(after[0, 0, 0]):.6g}"' in html  # each cell's exact weight in its tooltip
    assert [b.key for b in at.button if b.key.startswith("learn_kernel_")] == [
        keys.learn_open_kernel(i) for i in range(1, 9)]


def test_a_learned_kernel_opens_on_the_image_kernels_page():
    at = set_tiny(open_app(PAGE, locale="en-US"))
    results = train(at)
    at.button(key=keys.learn_open_kernel(3)).click().run()
    assert not at.exception
    assert at.title[0].value == "Image kernels"
    assert at.selectbox(key=keys.KERNELS_PRESET).value == "custom"
    learned = first_conv_kernels(results["conv"].params)[2]
    linked = at.query_params[keys.KERNELS_CUSTOM]
    assert (linked if isinstance(linked, str) else linked[-1]) == format_kernel(learned)
    # the custom kernel editor starts from the learned kernel (to 6 significant digits, as linked)
    np.testing.assert_allclose(at.session_state[keys.KERNELS_CUSTOM_START][3], learned, rtol=1e-5, atol=1e-7)


def test_a_learned_kernel_opens_on_the_students_own_photo():
    from ui.common.photo import decode_upload

    at = open_app("views/image_kernels.py", locale="en-US")
    photo = decode_upload(open("assets/samples/rocket.jpg", "rb").read(), "my_photo.jpg")
    at.session_state[keys.LAST_UPLOAD] = photo  # what an upload leaves in the session (ui/kernels/source.py)
    at.segmented_control(key=keys.KERNELS_SOURCE).set_value("upload").run()
    assert at.session_state[keys.PICTURE] is photo
    at.switch_page(PAGE)
    set_tiny(at.run())
    train(at)
    at.button(key=keys.learn_open_kernel(1)).click().run()
    assert not at.exception
    assert at.selectbox(key=keys.KERNELS_PRESET).value == "custom"
    assert at.session_state[keys.PICTURE] is photo  # the custom kernel works on the student's photo
    assert "my_photo.jpg" in texts(at)


@pytest.mark.parametrize("lang", LOCALES)
def test_a_changed_setting_asks_for_a_new_guess_and_the_guess_is_never_in_the_link(lang):
    at = set_tiny(open_app(PAGE, locale=LOCALES[lang]))
    at.radio(key=keys.LEARN_GUESS).set_value("dense").run()
    params = link_params(at)
    assert keys.LEARN_GUESS not in params
    assert params[keys.LEARN_N_TRAIN] == "100" and params[keys.LEARN_EPOCHS] == "3"
    at.number_input(key=keys.LEARN_EPOCHS).set_value(4).run()
    assert at.radio(key=keys.LEARN_GUESS).value is None
    from ui.common.i18n import catalog

    assert catalog(lang)["common.predict.changed"] in texts(at)


def test_a_guess_in_an_old_link_is_dropped_and_settings_open_from_a_link():
    at = open_link(PAGE, {keys.LEARN_EXPERIMENT: "centred", keys.LEARN_EPOCHS: "5", keys.LEARN_GUESS: "conv",
                          "lang": "en"})
    assert not at.exception
    assert at.selectbox(key=keys.LEARN_EXPERIMENT).value == "centred"
    assert at.number_input(key=keys.LEARN_EPOCHS).value == 5
    assert at.radio(key=keys.LEARN_GUESS).value is None
    assert "centred digits" in at.radio(key=keys.LEARN_GUESS).label


@pytest.mark.parametrize("lang", LOCALES)
def test_a_training_too_costly_is_refused_with_a_translated_message(lang):
    at = open_app(PAGE, locale=LOCALES[lang])
    at.number_input(key=keys.LEARN_N_TRAIN).set_value(1500)
    at.number_input(key=keys.LEARN_EPOCHS).set_value(100).run()
    assert at.button(key=keys.LEARN_TRAIN).disabled
    from ui.common.i18n import catalog

    template = catalog(lang)["errors.learn_too_costly"]
    assert any(e.value.startswith(template.split("{")[0]) for e in at.error)
    assert "Traceback" not in texts(at)


@pytest.mark.parametrize("lang", LOCALES)
def test_an_impossible_learning_rate_in_a_link_is_not_used(lang):
    at = open_link(PAGE, {keys.LEARN_LR: "1e9", "lang": lang})
    assert not at.exception
    assert at.number_input(key=keys.LEARN_LR).value == 0.001
    # the link's notice names what could not be used
    assert any(f"{keys.LEARN_LR}=1e9" in w.value for w in at.warning)


@pytest.mark.parametrize("lang", LOCALES)
def test_a_learning_rate_far_too_large_says_the_networks_did_not_learn(lang):
    at = set_tiny(open_app(PAGE, locale=LOCALES[lang]))
    at.number_input(key=keys.LEARN_LR).set_value(10.0).run()
    results = train(at)
    assert results is not None
    from ui.common.i18n import catalog

    stuck = catalog(lang)["learn.stuck"].split("{")[0]
    assert any(w.value.startswith(stuck) for w in at.warning)
    assert "nan" not in on_screen(at).lower()


@pytest.mark.parametrize("lang", LOCALES)
def test_a_bigger_dense_net_is_counted_trained_and_in_the_runs_chart(lang):
    at = set_tiny(open_app(PAGE, locale=LOCALES[lang]))
    at.text_input(key=keys.learn_dense("shifted")).set_value("512, 256").run()
    assert "265,482" in texts(at)  # the bigger dense net's parameters (convviz.summarize), before training
    assert link_params(at)[keys.learn_dense("shifted")] == "512, 256"
    results = train(at)
    assert results["dense"].param_count == 265482
    (_, runs) = charts(at)
    assert 265482.0 in [p["params"] for p in chart_rows(runs)]


@pytest.mark.parametrize("lang", LOCALES)
@pytest.mark.parametrize("typed, code", [("128, lots", "not_int"), ("0", "out_of_range"),
                                         ("1, 2, 3, 4, 5", "out_of_range"), ("99999", "out_of_range")])
def test_bad_widths_are_refused_with_a_translated_message(lang, typed, code):
    from ui.common.i18n import catalog

    at = open_app(PAGE, locale=LOCALES[lang])
    at.text_input(key=keys.learn_dense("shifted")).set_value(typed).run()
    assert not at.exception
    assert at.button(key=keys.LEARN_TRAIN).disabled
    (error,) = at.error
    cat = catalog(lang)
    assert cat["learn.dense_hidden_word"] in error.value
    assert error.value.endswith(cat[f"errors.{code}"].rsplit("}", 1)[-1])


def test_a_link_opens_with_its_dense_widths():
    at = open_link(PAGE, {keys.LEARN_EXPERIMENT: "bigger_dense", keys.learn_dense("bigger_dense"): "64", "lang": "en"})
    assert not at.exception
    assert at.text_input(key=keys.learn_dense("bigger_dense")).value == "64"
    assert "17,098" in texts(at)  # Flatten, Linear(256, 64), ReLU, Linear(64, 10): 16,448 + 650
