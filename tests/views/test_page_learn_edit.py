"""The Learn page's two networks edited in the Parameter counts page's layer table (issue 25, item 2).

A student edits a network layer by layer (AppTest sets the editor's edit state as the browser
sends it); the count line follows the edits, the edited network is what trains (its
``TrainResult.layers``), the table travels in the link (``?learn_net_dense=t1....``), a damaged or
hostile token falls back to the experiment's network with the translated notice, and a table that
cannot train says why, after its row, with Train disabled. Trainings are tiny (100 images, 3 epochs).
"""
from __future__ import annotations

import base64
import zlib

import pytest

from convviz import ConvVizError, summarize
from convviz.learn import EXPERIMENTS, TrainRequest
from convviz.nets import decode_table, encode_table, layers as L, summarize_records
from convviz.numbers import format_count
from tests.conftest import open_app, open_link, texts
from tests.views.test_page_learn import LOCALES, PAGE, results_tables, set_tiny, train
from tests.views.test_predict import link_params
from ui.common import keys
from ui.common.i18n import catalog, speaking
from ui.common.layer_table import column_words, editor_frame, error_text, records_from_editor
from ui.common.messages import describe

SHIFTED = EXPERIMENTS["shifted"]
CONV, DENSE = (net.layers for net in SHIFTED.networks)


def editor(at, net: str, experiment: str = "shifted"):
    """The layer table of network ``net`` (its key carries the generation after a reset)."""
    base = keys.learn_net_editor(experiment, net)
    found = [e for e in at.data_editor if e.key == base or e.key.startswith(base + "_")]
    assert len(found) == 1, [e.key for e in at.data_editor]
    return found[0]


def edit(at, net: str, *, edited=None, added=None, deleted=None, experiment: str = "shifted"):
    """Edit a network's table as the browser does (the whole edit state: earlier edits included)."""
    at.session_state[editor(at, net, experiment).key] = {"edited_rows": edited or {}, "added_rows": added or [],
                                                         "deleted_rows": deleted or []}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def types(at, net: str, experiment: str = "shifted") -> list[str | None]:
    import pandas as pd

    return [None if pd.isna(v) else v for v in editor(at, net, experiment).value["type"].astype(object)]


def line(at, net: str, experiment: str = "shifted", lang: str = "en") -> str:
    """The network's line: its name, its parameters, its layers."""
    name = catalog(lang)[f"learn.net.{experiment}.{net}"]
    (found,) = [m.value for m in at.markdown if m.value.startswith(f"**{name}**")]
    return found


def own_records(stack) -> list[dict]:
    return records_from_editor(editor_frame(stack))[0]


def count(stack) -> str:
    return format_count(summarize(stack, SHIFTED.input_shape).total_params)


def train_disabled(at) -> bool:
    return at.button(key=keys.LEARN_TRAIN).disabled


@pytest.mark.parametrize("lang", LOCALES)
def test_both_networks_open_in_the_layer_table_of_the_experiment(lang):
    at = open_app(PAGE, locale=LOCALES[lang])
    assert not at.exception
    assert types(at, "conv") == [layer.type_name for layer in CONV]
    assert types(at, "dense") == [layer.type_name for layer in DENSE]
    # the Parameter counts page's columns, in this language
    cat = catalog(lang)
    labels = [e.label for e in at.expander]
    for net in ("conv", "dense"):
        assert cat["learn.edit.title"].format(name=cat[f"learn.net.shifted.{net}"]) in labels
        assert at.button(key=keys.learn_net_reset(net)).disabled  # nothing to undo yet
    assert keys.learn_net("conv") not in link_params(at) and keys.learn_net("dense") not in link_params(at)


@pytest.mark.parametrize("lang", LOCALES)
def test_a_wider_dense_net_is_counted_linked_and_trained(lang):
    at = set_tiny(open_app(PAGE, locale=LOCALES[lang]))
    edit(at, "dense", edited={1: {"out": 300}})  # Linear(256, 128) -> Linear(256, 300); the next In follows
    wider = (L.Flatten(), L.Linear(256, 300), L.ReLU(), L.Linear(300, 64), L.ReLU(), L.Linear(64, 10))
    assert count(wider) == "97,014"
    assert "97,014" in line(at, "dense", lang=lang)  # the count line follows the edit
    assert catalog(lang)["learn.edit.widths_stale"] in [c.value for c in at.caption]  # the widths box no longer rules
    token = link_params(at)[keys.learn_net("dense")]
    assert [r["out"] for r in decode_table(token)][1] == 300  # the link carries the edited table
    assert not at.button(key=keys.learn_net_reset("dense")).disabled

    results = train(at)
    assert tuple(results["dense"].layers) == wider  # the edited network is the one trained
    assert results["dense"].param_count == 97014
    assert tuple(results["conv"].layers) == CONV
    (table,) = results_tables(at)
    assert table.value.to_numpy().tolist()[1][1] == "97,014"  # the trained network's row


def test_a_conv_layer_added_to_the_conv_net_is_trained():
    at = set_tiny(open_app(PAGE, locale="en-US"))
    # a new row numbered 3.5: between the first MaxPool2d (#3) and the second conv (#4), whose In follows it
    edit(at, "conv", added=[{"order": 3.5, "type": "Conv2d", "out": 8, "kernel": "3", "padding": "1"}])
    deeper = CONV[:3] + (L.Conv2d(8, 8, 3, padding=1),) + CONV[3:]
    assert count(deeper) == "6,802"  # 6,218 + 3 x 3 x 8 x 8 + 8
    assert "6,802" in line(at, "conv")
    results = train(at)
    assert tuple(results["conv"].layers) == deeper
    assert results["conv"].param_count == 6802
    (table,) = results_tables(at)
    assert table.value.to_numpy().tolist()[0][1] == "6,802"
    # its first conv layer's kernels, before and after, as before
    assert [b.key for b in at.button if b.key.startswith("learn_kernel_")] == [
        keys.learn_open_kernel(i) for i in range(1, 9)]


@pytest.mark.parametrize("lang", LOCALES)
def test_a_link_opens_with_its_edited_networks(lang):
    conv = CONV[:-1] + (L.Linear(32, 10, bias=False),)
    dense = (L.Flatten(), L.Linear(256, 32), L.ReLU(), L.Linear(32, 10))
    query = {keys.learn_net("conv"): encode_table(own_records(conv)),
             keys.learn_net("dense"): encode_table(own_records(dense)), "lang": lang}
    at = open_link(PAGE, query)
    assert not at.exception
    assert types(at, "dense") == ["Flatten", "Linear", "ReLU", "Linear"]
    shown = texts(at)
    assert count(conv) in shown and count(dense) in shown  # 6,208 and 8,554
    assert not at.warning and not at.error and not train_disabled(at)
    params = link_params(at)  # the link to this view carries them on
    assert decode_table(params[keys.learn_net("dense")]) == decode_table(query[keys.learn_net("dense")])
    assert keys.learn_net("conv") in params


def _token(text: str) -> str:
    return "t1." + base64.urlsafe_b64encode(zlib.compress(text.encode())).decode().rstrip("=")


HOSTILE_TOKENS = ["t2.eNqLjgUAARUAuQ", "t1.eNqLjgUAAR", "t1." + "A" * 20_000, "<script>alert(1)</script>",
                  _token('[["Conv2d",2.5,8,"3"]]'), _token('{"type": "ReLU"}'), _token("[" * 5000)]


@pytest.mark.parametrize("lang", LOCALES)
@pytest.mark.parametrize("token", HOSTILE_TOKENS, ids=range(len(HOSTILE_TOKENS)))
def test_a_damaged_or_hostile_link_token_gives_the_notice_and_the_experiments_network(lang, token):
    with pytest.raises(ConvVizError) as refused:
        decode_table(token)
    at = open_link(PAGE, {keys.learn_net("dense"): token, "lang": lang})
    assert not at.exception
    with speaking(lang):
        message = describe(refused.value)
    assert any(message in w.value for w in at.warning), [w.value for w in at.warning]
    assert types(at, "dense") == [layer.type_name for layer in DENSE]  # the experiment's network instead
    assert keys.learn_net("dense") not in at.query_params
    assert "41,802" in line(at, "dense", lang=lang) and not train_disabled(at)


def test_generated_link_tokens_are_refused_with_the_notice_or_shown():
    import random

    from tests.hostile_text import random_rows, table_token

    r = random.Random(25)
    seen = {"refused": 0, "shown": 0}
    at = open_app(PAGE, locale="en-US")
    for _ in range(60):
        token = table_token(random_rows(r))
        at.query_params[keys.learn_net("conv")] = token
        at.run()
        assert not at.exception, (token, [e.value for e in at.exception])
        try:
            records = decode_table(token)
        except ConvVizError as err:
            assert any(describe(err) in w.value for w in at.warning), token
            assert types(at, "conv") == [layer.type_name for layer in CONV]
            seen["refused"] += 1
            continue
        assert types(at, "conv") == [rec["type"] for rec in records], token
        # rows that cannot train say so (and Train waits); rows that can are counted
        assert at.error or count(tuple(decode_layers(records))) in line(at, "conv"), token
        assert train_disabled(at) == bool(at.error), token
        seen["shown"] += 1
    assert seen["refused"] >= 10 and seen["shown"] >= 10, seen


def decode_layers(records):
    """The layers of a link's rows as the table reads them (a row left wholly empty is skipped)."""
    rows = [r for r in records if any(v is not None for v in r.values())]
    _, stack, err = summarize_records(rows, SHIFTED.input_shape)
    assert err is None
    return stack


def _expected_problem(net: str, edits: dict[int, dict], deleted: tuple[int, ...] = ()) -> ConvVizError:
    """What convviz says of the experiment's network with these edits (the page must show exactly that)."""
    stack = CONV if net == "conv" else DENSE
    records = [{**rec, **edits.get(i, {})} for i, rec in enumerate(own_records(stack)) if i not in deleted]
    _, layers, err = summarize_records(records, SHIFTED.input_shape)
    if err is None:
        try:
            TrainRequest(((net, tuple(layers)),), canvas=SHIFTED.canvas)
        except ConvVizError as caught:
            err = caught
    assert err is not None
    return err


BAD = {  # what a student can do wrong, and the code convviz gives it
    "ten_scores": ("dense", {5: {"out": 7}}, (), "learn_classes"),
    "below_1x1": ("conv", {8: {"kernel": "8"}}, (), "kernel_too_large"),  # MaxPool2d(8) on the 4 x 4 maps
    "channels": ("conv", {3: {"in": 5}}, (), "channels"),  # the second conv's In typed wrong
    "empty": ("dense", {}, tuple(range(6)), "learn_classes"),  # every row deleted: 1 x 16 x 16 is no score
    "size_text": ("conv", {0: {"kernel": "big"}}, (), "size_text"),
}


@pytest.mark.parametrize("lang", LOCALES)
@pytest.mark.parametrize("case", BAD)
def test_a_network_that_cannot_train_says_why_and_train_waits(lang, case):
    net, edits, deleted, code = BAD[case]
    err = _expected_problem(net, edits, deleted)
    assert err.code == code
    at = open_app(PAGE, locale=LOCALES[lang])
    edit(at, net, edited=edits, deleted=list(deleted))
    assert train_disabled(at)
    with speaking(lang):
        labels = [str(i) for i in range(1, 12)]
        message = error_text(err, labels) if err.position is not None else describe(err, labels=column_words())
    (shown,) = at.error
    assert message in shown.value and catalog(lang)[f"learn.net.shifted.{net}"] in shown.value
    if err.position is not None:  # after the row it is about: "Row #9 (MaxPool2d): ..."
        assert catalog(lang)["common.table.err.row_number"].format(n=err.position) in shown.value
    assert "Traceback" not in texts(at)


@pytest.mark.parametrize("lang", LOCALES)
def test_a_network_too_costly_to_train_is_refused_with_the_message(lang):
    from ui.server import training

    huge = (L.Flatten(), L.Linear(256, 1_000_000), L.ReLU(), L.Linear(1_000_000, 10))
    request = TrainRequest.from_experiment("shifted", networks={"dense": huge})
    with pytest.raises(ConvVizError) as refused:
        training.service().check(request)
    assert refused.value.code in ("learn_too_costly", "learn_too_much_memory")
    at = open_app(PAGE, locale=LOCALES[lang])
    edit(at, "dense", edited={1: {"out": 1_000_000}, 3: {"out": 10}}, deleted=[4, 5])
    assert train_disabled(at)
    with speaking(lang):
        assert describe(refused.value) in [e.value for e in at.error]


@pytest.mark.parametrize("lang", LOCALES)
def test_back_to_the_experiments_network(lang):
    at = open_app(PAGE, locale=LOCALES[lang])
    at.text_input(key=keys.learn_dense("shifted")).set_value("512, 256").run()
    assert "265,482" in line(at, "dense", lang=lang)  # the typed widths start the dense table afresh
    assert types(at, "dense") == ["Flatten", "Linear", "ReLU", "Linear", "ReLU", "Linear"]
    assert keys.learn_net("dense") not in link_params(at)  # the table is the widths' own: no token
    assert catalog(lang)["learn.edit.widths_stale"] not in [c.value for c in at.caption]
    edit(at, "dense", edited={5: {"bias": False}})
    assert "265,472" in line(at, "dense", lang=lang)
    at.button(key=keys.learn_net_reset("dense")).click().run()
    assert not at.exception
    assert at.text_input(key=keys.learn_dense("shifted")).value == "128, 64"
    assert editor(at, "dense").key == keys.learn_net_editor("shifted", "dense", 1)  # a new editor, no edits
    assert "41,802" in line(at, "dense", lang=lang)
    params = link_params(at)
    assert keys.learn_net("dense") not in params  # (the widths, if still in it, are the experiment's own)
    assert params.get(keys.learn_dense("shifted"), "128, 64") == "128, 64"
    assert at.button(key=keys.learn_net_reset("dense")).disabled


def test_edits_survive_another_experiment_and_come_back():
    at = open_app(PAGE, locale="en-US")
    edit(at, "dense", edited={1: {"out": 300}})
    assert "97,014" in line(at, "dense")
    at.selectbox(key=keys.LEARN_EXPERIMENT).set_value("centred").run()
    assert "41,802" in line(at, "dense", "centred")  # the centred experiment's own networks
    assert keys.learn_net("dense") not in link_params(at)
    at.selectbox(key=keys.LEARN_EXPERIMENT).set_value("shifted").run()
    assert "97,014" in line(at, "dense")
    assert keys.learn_net("dense") in link_params(at)


def test_an_edit_keeps_the_editor_and_its_starting_table():
    # the editor's data stays the table it started from (its edits on top): Streamlit keeps the editor
    at = open_app(PAGE, locale="en-US")
    key = editor(at, "dense").key
    edit(at, "dense", edited={1: {"out": 300}})
    edit(at, "dense", edited={1: {"out": 300}, 3: {"out": 32}})
    assert editor(at, "dense").key == key
    assert editor(at, "dense").value["out"].tolist()[1] == 128  # the edits are the editor's, on top
    assert count((L.Flatten(), L.Linear(256, 300), L.ReLU(), L.Linear(300, 32), L.ReLU(), L.Linear(32, 10))) \
        in line(at, "dense")
