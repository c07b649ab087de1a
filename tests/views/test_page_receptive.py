"""AppTest of the Receptive fields page: every preset, the current layer table, bad links, Korean."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from convviz import ARCHITECTURES, receptive_field
from convviz.nets.layers import Conv2d
from convviz.nets.receptive import FIELD_STACKS, fields_under
from tests.conftest import open_app, open_link, texts
from ui.common import keys
from ui.common.i18n import catalog

PAGE = "views/receptive_field.py"
EN, KO = catalog("en"), catalog("ko")


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def after_params(query: dict[str, str]) -> AppTest:
    """The Parameter counts page opened with ``query``, then this page with the current table."""
    at = open_app()
    at.switch_page("views/parameter_counts.py")
    at.query_params.update(query)
    ok(at.run())
    at.query_params.clear()
    at.query_params[keys.RF_STACK] = "table"
    at.switch_page(PAGE)
    return ok(at.run())


def field_table(at: AppTest):
    frames = [df.value for df in at.dataframe if EN["receptive.table.jump"] in df.value.columns]
    assert len(frames) == 1, [list(df.value.columns) for df in at.dataframe]
    return frames[0]


@pytest.mark.parametrize("name", list(FIELD_STACKS))
def test_every_preset(name):
    at = ok(open_link(PAGE, {keys.RF_STACK: name}))
    stack = FIELD_STACKS[name]
    rf = receptive_field(stack.layers, stack.input_shape)
    h, w = stack.input_shape[1:]
    table = field_table(at)
    assert list(table[EN["receptive.table.layer"]]) == [r.name for r in rf.rows]
    # the table's output positions are the ones under the centre pixel (the default)
    under = fields_under(rf, h // 2, w // 2)
    assert list(table[EN["receptive.table.position"]]) == [f"({f.row}, {f.col})" for f in under]
    if rf.last.mixes_all:
        assert EN["receptive.whole"].format(name=rf.last.name) in texts(at)
        assert table[EN["receptive.table.size"]].iloc[-1] == EN["receptive.table.whole"]
    else:
        assert at.metric[0].value == f"{rf.last.size[0]} × {rf.last.size[1]}"
    assert EN["receptive.erf"].split("**")[1] in texts(at)    # the effective-field caveat, always
    assert not at.error and not at.warning


def test_the_notes_example_in_numbers():
    at = ok(open_link(PAGE, {keys.RF_STACK: "three_3x3", keys.RF_ROW: "10", keys.RF_COL: "20"}))
    table = field_table(at)
    assert list(table[EN["receptive.table.size"]]) == ["3 × 3", "3 × 3", "5 × 5", "5 × 5", "7 × 7"]
    assert list(table[EN["receptive.table.rows"]])[-1] == "7–13"     # centred on row 10
    assert list(table[EN["receptive.table.cols"]])[-1] == "17–23"
    text = texts(at)
    assert "= 5 + (3-1)\\cdot 1\\cdot 1$ $\\displaystyle = 7$" in text   # the last layer's size, worked


def test_pick_another_layer_for_the_formula():
    at = ok(open_link(PAGE, {keys.RF_STACK: "strided", keys.RF_LAYER: "3"}))
    text = texts(at)
    assert "= 3 + (3-1)\\cdot 1\\cdot 2$ $\\displaystyle = 7$" in text
    assert "= 2\\cdot 2$ $\\displaystyle = 4$" in text
    at.selectbox(key=keys.RF_LAYER).set_value(2).run()
    ok(at)
    assert EN["receptive.kind.pointwise"].format(axis=EN["receptive.axis.both"], name="ReLU-2") in texts(at)


def test_typing_a_pixel_moves_the_fields():
    at = ok(open_link(PAGE, {keys.RF_STACK: "vgg_like"}))
    at.number_input(key=keys.RF_ROW).set_value(0).run()
    at.number_input(key=keys.RF_COL).set_value(63).run()
    ok(at)
    table = field_table(at)
    assert list(table[EN["receptive.table.rows"]])[0] == "0–1"       # padding cut at the border
    assert list(table[EN["receptive.table.cols"]])[0] == "62–63"


def test_current_table_without_the_params_page():
    at = ok(open_link(PAGE, {keys.RF_STACK: "table"}))
    assert EN["receptive.table_missing"] in texts(at)
    assert not at.dataframe and not at.error


def test_current_table_after_the_params_page():
    at = after_params({keys.PARAMS_ARCH: "alexnet"})
    arch = ARCHITECTURES["alexnet"]
    rf = receptive_field(arch.layers, arch.input_shape)
    assert list(field_table(at)[EN["receptive.table.layer"]]) == [r.name for r in rf.rows]
    assert EN["receptive.whole"].format(name=rf.last.name) in texts(at)   # Linear after Flatten
    assert EN["receptive.about.table"].format(shape="3 × 224 × 224") in texts(at)


@pytest.mark.parametrize(("stack", "expected"), [
    (((Conv2d(1, 1, 9),), (1, 4, 4)), "error"),           # a kernel larger than the input
    (((Conv2d(3, 8, 3),), (1, 32, 32)), "error"),          # channels that do not match
    (((), (3, 32, 32)), "empty"),                          # every row deleted
])
def test_current_table_that_cannot_be_traced(stack, expected):
    at = ok(open_link(PAGE, {keys.RF_STACK: "three_3x3"}))
    at.session_state[keys.PARAMS_STACK] = stack
    at.selectbox(key=keys.RF_STACK).set_value("table")
    ok(at.run())
    if expected == "error":
        assert len(at.error) == 1 and at.error[0].value.startswith(EN["receptive.error"])
        assert "position 1" in at.error[0].value or "1" in at.error[0].value
    else:
        assert EN["receptive.empty"] in texts(at) and not at.error
    assert not at.dataframe


def test_current_table_of_a_branching_network_says_why_it_cannot_be_traced():
    at = after_params({keys.PARAMS_ARCH: "resnet18"})
    assert len(at.error) == 1 and "has branches" in at.error[0].value and "Residual" in at.error[0].value
    assert not at.dataframe


def test_current_table_after_an_edit_on_the_params_page():
    at = open_app()
    at.switch_page("views/parameter_counts.py")
    at.query_params[keys.PARAMS_ARCH] = "lenet5"
    ok(at.run())
    at.session_state[keys.PARAMS_EDITOR] = {"edited_rows": {}, "added_rows": [],
                                            "deleted_rows": list(range(3, 12))}   # keep conv, tanh, pool
    ok(at.run())
    at.query_params.clear()
    at.query_params[keys.RF_STACK] = "table"
    at.switch_page(PAGE)
    ok(at.run())
    names = list(field_table(at)[EN["receptive.table.layer"]])
    assert names == ["Conv2d-1", "Tanh-2", "AvgPool2d-3"]
    assert at.number_input(key=keys.RF_ROW).value == 16          # LeNet-5's 32 x 32 input
    assert at.metric[0].value == "6 × 6"                          # 5x5 conv, then a 2x2 pool


@pytest.mark.parametrize(("query", "shown"), [
    ({keys.RF_STACK: "no_such_stack"}, "three_3x3"),
    ({keys.RF_STACK: "strided", keys.RF_LAYER: "99"}, "strided"),
    ({keys.RF_STACK: "strided", keys.RF_LAYER: "two"}, "strided"),
])
def test_bad_links_fall_back_with_a_notice(query, shown):
    at = ok(open_link(PAGE, query))
    assert at.warning                                     # what the link asked for that could not be used
    assert at.selectbox(key=keys.RF_STACK).value == shown
    assert field_table(at) is not None


@pytest.mark.parametrize("value", ["9999", "-4", "2.5"])
def test_a_link_to_a_pixel_outside_the_input_falls_back_to_the_centre(value):
    at = ok(open_link(PAGE, {keys.RF_STACK: "three_3x3", keys.RF_ROW: value}))
    assert at.warning and value in at.warning[0].value
    assert at.number_input(key=keys.RF_ROW).value == 32
    assert list(field_table(at)[EN["receptive.table.rows"]])[-1] == "29–35"   # 7 x 7 centred on row 32


@pytest.mark.parametrize(("value", "used", "cols"), [(9999, 63, "61–63"), (-4, 0, "0–2")])
def test_a_typed_pixel_outside_the_input_is_clamped_with_a_note(value, used, cols):
    at = ok(open_link(PAGE, {keys.RF_STACK: "three_3x3"}))
    ok(at.number_input(key=keys.RF_COL).set_value(value).run())
    assert EN["common.clamped"].format(lo=0, hi=63, given=value, used=used) in texts(at)
    assert list(field_table(at)[EN["receptive.table.cols"]])[0] == cols       # no padding: the 3 x 3 at the edge


def test_another_stack_starts_at_its_centre():
    at = ok(open_link(PAGE, {keys.RF_STACK: "three_3x3", keys.RF_ROW: "60", keys.RF_LAYER: "1"}))
    at.selectbox(key=keys.RF_STACK).set_value("alexnet_features").run()
    ok(at)
    assert keys.RF_LAYER not in at.query_params                  # layer 1 of another stack means nothing
    assert at.number_input(key=keys.RF_ROW).value == 112          # AlexNet's 224 x 224 centre
    assert at.selectbox(key=keys.RF_LAYER).value == 13
    assert not at.warning


def test_korean():
    at = ok(open_link(PAGE, {keys.RF_STACK: "alexnet_features", "lang": "ko"}, locale="ko-KR"))
    text = texts(at)
    assert KO["receptive.title"] in text and KO["receptive.erf"].split("**")[1] in text
    assert KO["receptive.table.jump"] in field_table_ko(at).columns
    assert at.selectbox(key=keys.RF_STACK).label == KO["receptive.stack"]
    ok(at.selectbox(key=keys.RF_STACK).set_value("table").run())
    assert KO["receptive.table_missing"] in texts(at)


def field_table_ko(at: AppTest):
    frames = [df.value for df in at.dataframe if KO["receptive.table.jump"] in df.value.columns]
    assert len(frames) == 1
    return frames[0]


def test_the_photo_from_the_image_kernels_page():
    at = ok(open_app("views/image_kernels.py", query={keys.KERNELS_SAMPLE: "astronaut"}))
    label = at.session_state[keys.PICTURE].label
    at.query_params.clear()
    at.query_params[keys.RF_STACK] = "strided"
    at.switch_page(PAGE)
    ok(at.run())
    assert EN["receptive.photo_kernels"].format(name=label, shape="64 × 64") in texts(at)


def test_the_guided_lesson_has_a_step_after_stride_and_padding():
    at = ok(open_app())
    heads = [h.value for h in at.subheader]
    step = next(h for h in heads if EN["home.steps.receptive.title"] in h)
    assert step.startswith("7. ")
    assert heads.index(step) == heads.index(next(h for h in heads if EN["home.steps.output.title"] in h)) + 1
    assert "a 7 × 7 patch" in texts(at) and "195 × 195 pixels" in texts(at)


def test_the_start_column_is_a_position_not_a_size():
    at = ok(open_link(PAGE, {keys.RF_STACK: "three_3x3"}))
    starts = list(field_table(at)[EN["receptive.table.start"]])
    assert starts and all(s.startswith("(") and s.endswith(")") and ", " in s for s in starts), starts
    jumps = list(field_table(at)[EN["receptive.table.jump"]])
    assert all(" × " in j for j in jumps), jumps
