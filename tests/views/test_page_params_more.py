"""AppTest of the Parameter Counts page's issue-16 parts: memory, MACs/FLOPs, pasted models, table links,
predict-then-reveal; in both languages."""
from __future__ import annotations

import random
import re

import pytest

from convviz import ARCHITECTURES, summarize
from convviz.nets.links import LINK_LIMIT, encode_table
from convviz.nets.memory import layer_memory
from convviz.nets.records import layer_to_record
from convviz.numbers import format_bytes
from tests.conftest import open_link, texts
from tests.views.test_page_params import PAGE, edit, metric, params_page, summary_table
from ui.common import keys

ALEXNET = "AlexNet (torchvision)"


def _alexnet_summary():
    arch = ARCHITECTURES["alexnet"]
    return summarize(arch.layers, arch.input_shape)


def test_memory_columns_and_headline_follow_the_batch_size():
    at = params_page(query={"params_arch": ALEXNET})
    s = _alexnet_summary()
    m = layer_memory(s, batch_size=32)
    assert metric(at, "Parameter memory").value == "244.40 MB"
    act = metric(at, "Activations, batch of 32")
    assert act.value == format_bytes(m.total_batch_activation_bytes)
    assert act.delta == f"{format_bytes(m.total_activation_bytes)} per image"
    table = summary_table(at)
    assert table["act"].iloc[0] == "774.40 kB" and table["act_batch"].iloc[0] == "24.78 MB"
    assert table["param_mem"].iloc[0] == format_bytes(4 * s.rows[0].params)
    at.number_input(key="params_batch").set_value(1).run()
    assert not at.exception
    assert metric(at, "Activations, batch of 1").value == format_bytes(m.total_activation_bytes)


def test_macs_flops_switch_and_bias_batchnorm():
    at = params_page(query={"params_arch": ALEXNET})
    macs = metric(at, "Multiply-adds per image")
    assert macs.value == "714,188,480" and "714,682,664" in macs.help
    assert "1 multiply-add = 2 FLOPs" in texts(at)
    assert list(summary_table(at)["macs"])[:1] == [_alexnet_summary().rows[0].macs]
    at.toggle(key="params_extras").set_value(True).run()
    assert metric(at, "Multiply-adds per image").value == "714,682,664"
    at.button_group(key="params_unit").set_value("flops").run()
    assert not at.exception
    flops = metric(at, "FLOPs per image")
    assert flops.value == f"{2 * 714_682_664:,}" and f"{2 * 714_188_480:,}" in flops.help
    assert sum(summary_table(at)["macs"]) == 2 * 714_682_664  # rows sum to the headline
    assert at.query_params["params_unit"] == "flops"  # ui.common.choice writes it (bound toggles: the browser test)


def test_options_from_a_link():
    at = open_link(PAGE, {"params_arch": "alexnet", "params_unit": "flops", "params_extras": "true",
                          "params_batch": "8"})
    assert not at.exception
    assert metric(at, "FLOPs per image").value == f"{2 * 714_682_664:,}"
    assert metric(at, "Activations, batch of 8")


def test_paste_example_replaces_the_table():
    at = params_page()
    at.button(key="params_example").click().run()
    assert "nn.Sequential(" in at.text_area(key="params_source").value
    assert at.number_input(key="params_in_h_course_example").value == 28
    at.button(key="params_use_source").click().run()
    assert not at.exception and not at.error
    table = summary_table(at)
    assert list(table["layer"])[:3] == ["Conv2d", "ReLU", "MaxPool2d"] and len(table) == 12
    # 5*5*1*6+6, 5*5*6*16+16, 400*120+120, 120*84+84, 84*10+10
    assert metric(at, "Parameters").value == f"{156 + 2_416 + 48_120 + 10_164 + 850:,}"
    assert "The table below now holds your 12 layers." in at.success[0].value
    assert at.query_params["params_table"].startswith("t1.")
    # the pasted table survives a rerun and an edit on top of it
    edit(at, edited={0: {"out": 8}})
    assert summary_table(at)["params"].iloc[0] == 5 * 5 * 1 * 8 + 8


def test_bad_source_is_explained_and_kept():
    at = params_page()
    source = "import torch\nmodel = nn.Sequential(\n    nn.Conv2d(1, 6, 5),\n    nn.Conv3d(6, 8, 3),\n)"
    at.text_area(key="params_source").input(source).run()
    at.button(key="params_use_source").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Line 4, column 5: layer 2, nn.Conv3d(6, 8, 3), is not a layer type ConvViz counts."]
    assert at.text_area(key="params_source").value == source  # the student's text is kept
    assert list(summary_table(at)["layer"]) == ["Conv2d"]  # the table is untouched
    at.button(key="params_use_source").click().run()  # still there on a rerun
    assert at.error[0].value.startswith("Line 4, column 5:")


def test_korean_paste_error_and_example():
    at = params_page(locale="ko-KR")
    at.text_area(key="params_source").input("model = nn.Sequential(nn.ReLU()").run()
    at.button(key="params_use_source").click().run()
    # Python's own "'(' was never closed" stays out of the Korean message (issue 22)
    assert at.error[0].value == '1행 22열: 닫히지 않은 여는 괄호가 있습니다: "(". 짝이 되는 닫는 괄호를 추가하세요.'
    at.button(key="params_example").click().run()
    at.button(key="params_use_source").click().run()
    assert not at.error and metric(at, "파라미터").value == "61,706"


def test_a_link_restores_an_edited_table():
    records = [layer_to_record(layer) for layer in ARCHITECTURES["lenet5"].layers]
    records[0]["out"], records[3]["in"] = 8, None
    token = encode_table(records)
    at = open_link(PAGE, {"params_arch": "lenet5", "params_table": token})
    assert not at.exception and not at.error and not at.warning
    table = summary_table(at)
    assert table["params"].iloc[0] == 5 * 5 * 8 + 8 and table["params"].iloc[3] == 5 * 5 * 8 * 16 + 16
    assert at.query_params["params_table"] == token
    # the link keeps following the edits; back to the preset's table clears it
    edit(at, edited={0: {"out": 6}})
    assert "params_table" in at.query_params
    at.button(key="params_reset_table").click().run()
    assert "params_table" not in at.query_params and metric(at, "Parameters").value == "61,706"


def test_a_damaged_link_says_so_and_shows_the_preset():
    at = open_link(PAGE, {"params_arch": "lenet5", "params_table": "t1.eNqLjgUAAR"})
    assert not at.exception
    assert any("damaged" in w.value for w in at.warning)
    assert metric(at, "Parameters").value == "61,706"
    assert "params_table" not in at.query_params


def test_korean_damaged_link():
    at = open_link(PAGE, {"params_arch": "lenet5", "params_table": "t9.xyz", "lang": "ko"}, locale="ko-KR")
    assert any("다른 버전" in w.value for w in at.warning)


def test_a_table_too_long_for_a_link_is_named():
    at = params_page()
    rng = random.Random(1)
    many = [{"type": "Dropout", "p": rng.random()} for _ in range(200)]  # random digits: hard to compress
    edit(at, added=many)
    assert not at.exception
    assert "params_table" not in at.query_params
    assert re.search(rf"This table is too long for a link \(\d,\d{{3}} characters; a link holds {LINK_LIMIT:,}\)",
                     texts(at))


def test_predict_then_reveal():
    at = open_link(PAGE, {"params_arch": "lenet5", "params_predict": "true"})
    assert metric(at, "Parameters").value == "?" and metric(at, "Parameter memory").value == "?"
    hidden = [df.value for df in at.dataframe if "act" in df.value.columns][0]
    assert not {"params", "formula", "macs"} & set(hidden.columns)  # no sum of rows to copy (a Linear's MACs too)
    assert "hidden until you guess the total" in texts(at)
    at.text_input(key="params_guess").input("50000").run()
    assert not at.exception
    assert at.error[0].value == "Not quite: the count is 61,706; 50,000 is 19.0% too low."
    assert metric(at, "Parameters").value == "61,706" and list(summary_table(at)["params"])[0] == 156
    assert "**Total:** 156 + 2,416 + 48,120 + 10,164 + 850 = **61,706**" in texts(at)
    at.text_input(key="params_guess").input("61,706").run()
    assert at.success[0].value == "Right: exactly 61,706 parameters."
    at.text_input(key="params_guess").input("61,300").run()
    assert at.success[0].value.startswith("Close:")
    at.text_input(key="params_guess").input("lots").run()
    assert at.warning[0].value.startswith("Type a number of parameters") and metric(at, "Parameters").value == "?"
    # a guess belongs to one table: after an edit the total hides again until the next guess
    at.text_input(key="params_guess").input("61706").run()
    assert metric(at, "Parameters").value == "61,706"
    edit(at, edited={0: {"out": 8}})
    assert at.text_input(key="params_guess").value == "" and metric(at, "Parameters").value == "?"


def test_predict_in_korean():
    at = open_link(PAGE, {"params_arch": "lenet5", "params_predict": "true", "lang": "ko"}, locale="ko-KR")
    at.text_input(key="params_guess").input("61706").run()
    assert at.success[0].value == "정답: 정확히 61,706개입니다."
    assert "먼저 층 하나 맞혀 보기" in [e.label for e in at.expander]
    at.text_input(key="params_guess_row_value").input("100").run()
    assert at.error[-1].value == "아쉽습니다: 실제 개수는 156개, 추측 100. 35.9% 적습니다."


def test_hostile_paste_is_refused_quickly_and_nothing_runs(tmp_path):
    marker = tmp_path / "ran"
    at = params_page()
    hostile = [
        f"model = nn.Sequential(nn.Conv2d(3, 8, __import__('pathlib').Path({str(marker)!r}).touch()))",
        "model = nn.Sequential(" + "(" * 5_000 + ")" * 5_000 + ")",
        "model = nn.Sequential(nn.Linear(" + "9" * 4_000 + ", 2))",
    ]
    for source in hostile:
        at.text_area(key="params_source").input(source).run()
        at.button(key="params_use_source").click().run()
        assert not at.exception and len(at.error) == 1 and at.error[0].value.startswith("Line 1, column")
    assert not marker.exists()
    assert list(summary_table(at)["layer"]) == ["Conv2d"]


def test_predict_one_layer_first():
    at = open_link(PAGE, {"params_arch": "lenet5", "params_predict": "true"})
    pick = at.selectbox(key="params_guess_row")
    assert pick.options == ["Conv2d-1", "Conv2d-4", "Linear-8", "Linear-10", "Linear-12"]
    pick.set_value("4").run()
    assert "Its input is 6 × 14 × 14" in texts(at)
    at.text_input(key="params_guess_row_value").input("2400").run()
    assert not at.exception
    assert at.success[0].value == "Close: 2,400 is within 5.0% of the count, 2,416 (off by 0.7%)."
    assert "**Conv2d-4**: 5 × 5 × 6 × 16 = 2,400 + 16 biases → 2,416" in texts(at)
    assert metric(at, "Parameters").value == "?"  # the total still waits for its own guess
    at.selectbox(key="params_guess_row").set_value("8").run()  # another layer: guess again
    assert at.text_input(key="params_guess_row_value").value == ""
    assert at.query_params["params_guess_row"] == "8"


def test_predict_mode_gives_nothing_away_before_the_guess():
    at = open_link(PAGE, {"params_arch": "alexnet", "params_predict": "true"})
    shown = texts(at)
    assert "61,100,840" not in shown and "61.1" not in shown  # the description's published total
    assert "appears after your guess" in shown
    assert not at.get("vega_lite_chart") and not at.get("arrow_vega_lite_chart")  # the trend chart is not sent
    assert all("?" in m.delta or m.label != "Without biases" for m in at.metric)  # "+ 10,344 biases" hides too
    at.text_input(key="params_guess").input("61100840").run()
    assert "Published total: 61,100,840" in texts(at)


def test_a_pasted_model_is_not_described_as_the_preset():
    at = params_page()
    at.button(key=keys.PARAMS_EXAMPLE).click().run()
    at.button(key=keys.PARAMS_USE_SOURCE).click().run()
    assert "Your own table (pasted or from a link)" in texts(at)
    assert "the weight count stays 73,728" not in texts(at)  # the course example's own description


def test_the_trend_tooltip_and_the_csv_say_the_headline_number():
    # issue 22: ResNet-50's tooltip said "4.1 billion" (BatchNorm counted) beside a 4.09 billion headline
    from ui.common.i18n import speaking
    from ui.params.trend import trend_specs

    with speaking("en"):
        rows = next(iter(trend_specs("en", 1.0)[0]["datasets"].values()))
    tooltip = {r["name"]: r["macs_text"] for r in rows}
    for name in ("resnet50", "googlenet"):
        at = params_page(query={keys.PARAMS_ARCH: name})
        headline = metric(at, "Multiply-adds per image")
        assert headline.delta == tooltip[name], name
        arch = ARCHITECTURES[name]
        csv_total = summarize(arch.layers, arch.input_shape).to_csv().splitlines()[-1].split(",")
        header = summarize(arch.layers, arch.input_shape).to_csv().splitlines()[0].split(",")
        assert f"{int(csv_total[header.index('macs')]):,}" == headline.value, name
    assert tooltip["resnet50"] == "4.09 billion"


PASTED = """import torch
from torch import nn

model = nn.Sequential(
    nn.Conv2d(3, 16, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(16, 32, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(32 * 10 * 12, 10),
)
"""


@pytest.mark.parametrize(("locale", "said"), [
    ("en", "Counted for an input of **3 × 40 × 50** (C × H × W): C = 3 comes from the model's first layer"),
    ("ko", "입력 크기 **3 × 40 × 50**(C × H × W)에 맞춰 셉니다. 채널 수 C = 3: 모델의 첫 층에서 가져왔습니다."),
])
def test_a_pasted_model_brings_its_input_channels(locale, said):
    # The course example counts a 128 × 40 × 50 input; a pasted Conv2d(3, ...) used to give a green
    # "holds your layers" beside a red channel error and every metric at 0 (issue 22).
    at = params_page(locale=locale, query={"lang": locale})
    at.text_area(key=keys.PARAMS_SOURCE).input(PASTED).run()
    at.button(key=keys.PARAMS_USE_SOURCE).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.number_input(key=keys.params_input("c", "course_example")).value == 3
    assert at.success and said in texts(at)
    total = 3 * 3 * 3 * 16 + 16 + 3 * 3 * 16 * 32 + 32 + 32 * 10 * 12 * 10 + 10
    assert metric(at, {"en": "Parameters", "ko": "파라미터"}[locale]).value == f"{total:,}"


def test_a_pasted_model_without_a_channel_naming_first_layer_keeps_the_fields():
    at = params_page()
    at.text_area(key=keys.PARAMS_SOURCE).input("model = nn.Sequential(nn.ReLU(), nn.MaxPool2d(2))").run()
    at.button(key=keys.PARAMS_USE_SOURCE).click().run()
    assert not at.exception and not at.error
    assert at.number_input(key=keys.params_input("c", "course_example")).value == 128
    assert "Counted for an input of **128 × 40 × 50** (C × H × W), the size above" in texts(at)
