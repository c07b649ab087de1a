"""AppTest of the Parameter Counts page: presets, edits, the dense toggle, errors, both languages."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from convviz import ARCHITECTURES, summarize, to_pytorch
from tests.conftest import ROOT, open_app, texts

PAGE = "views/parameter_counts.py"
PRESETS = [name for name in ARCHITECTURES if name != "resnet_plain"]


def params_page(*, locale: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    """The page as a browser opening ``/params?...`` would show it."""
    at = open_app(locale=locale)
    at.switch_page(PAGE)
    for key, value in (query or {}).items():  # bound widgets read the URL on their first run
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str):
    found = [m for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}: {[m.label for m in at.metric]}"
    return found[0]


def edit(at: AppTest, edited=None, added=None, deleted=None) -> AppTest:
    at.session_state["params_editor"] = {"edited_rows": edited or {}, "added_rows": added or [],
                                         "deleted_rows": deleted or []}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def summary_table(at: AppTest):
    """The layer-by-layer dataframe (the one with a "formula" column)."""
    frames = [df.value for df in at.dataframe if "formula" in df.value.columns]
    assert len(frames) == 1
    return frames[0]


def test_course_example_shows_73728():
    at = params_page()
    assert metric(at, "Without biases").value == "73,728"
    assert metric(at, "Parameters").value == "73,792" and metric(at, "Parameters").delta == "73.8 thousand"
    table = summary_table(at)
    assert list(table["formula"]) == ["3 × 3 × 128 × 64 = 73,728"]
    assert list(table["output"]) == ["64 × 40 × 50"]
    assert "3 × 3 × 128 × 64 = 73,728 + 64 biases" in texts(at)  # the callout
    assert "kernel height × kernel width × input channels × output channels" in texts(at)  # in words
    layers = ARCHITECTURES["course_example"].layers
    assert at.code[0].value.strip() == to_pytorch(layers, input_shape=(128, 40, 50)).strip()
    assert not at.error


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset(name):
    at = params_page()
    at.selectbox(key="params_arch").set_value(name).run()
    assert not at.exception and not at.error
    arch = ARCHITECTURES[name]
    s = summarize(arch.layers, arch.input_shape)
    assert metric(at, "Parameters").value == f"{s.total_params:,}"
    assert metric(at, "Without biases").value == f"{s.total_weights:,}"
    table = summary_table(at)
    assert len(table) == len(s.rows)  # one line per layer; a branching preset adds a line per block
    assert list(table["params"]) == [r.params for r in s.rows]
    assert at.number_input(key=f"params_in_h_{name}").value == arch.input_shape[1]


def test_alexnet_dense_share_from_the_url():
    at = params_page(query={"params_arch": "AlexNet (torchvision)"})
    assert at.selectbox(key="params_arch").value == "alexnet"
    share = metric(at, "Share of dense layers")
    assert share.value == "96.0%" and share.delta == "in 3 Linear layers"
    assert metric(at, "Parameters").value == "61,100,840"
    macs = metric(at, "Multiply-adds per image")  # both conventions: ours, and torchinfo's with biases
    assert macs.value == "714,188,480" and "714,682,664" in macs.help
    assert any("96.0%" in i.value and "dense (Linear) layers hold" in i.value for i in at.info)
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")


def test_dense_instead_jumps_to_billions():
    at = params_page()
    at.toggle(key="params_dense").set_value(True).run()
    dense = metric(at, "Dense instead")
    assert dense.value == "32,768,128,000" and dense.delta == "32.8 billion"
    assert metric(at, "× more parameters (biases included)").value == "× 444,061"
    swaps = [df.value for df in at.dataframe if "tensors" in df.value.columns][0]
    assert list(swaps["dense"]) == ["(128 · 40 · 50) × (64 · 40 · 50) = 32,768,000,000"]
    assert list(swaps["tensors"]) == ["128 × 40 × 50 → 64 × 40 × 50"]
    # Two factors side by side, each saying what it compares (issue 22): totals with biases, weights only.
    assert list(swaps["factor"]) == ["× 444,444"]
    columns = json.loads([df for df in at.dataframe if "tensors" in df.value.columns][0].proto.columns)
    assert columns["factor"]["label"] == "× more weights"


def test_dense_toggle_from_the_url_and_a_stack_without_convs():
    at = params_page(query={"params_dense": "true", "params_arch": "LeNet-5 (1998)"})
    assert at.toggle(key="params_dense").value
    dense_total = 61_706 - 156 - 2_416 + (1024 * 4704 + 4704) + (1176 * 1600 + 1600)
    assert metric(at, "Dense instead").value == f"{dense_total:,}"
    edit(at, deleted=[0, 3])  # drop both convs: nothing left to replace
    assert "This stack has no conv layers to replace." in texts(at)


def test_korean():
    at = params_page(locale="ko-KR")
    assert at.title[0].value == "파라미터 개수"
    at.toggle(key="params_dense").set_value(True).run()
    assert metric(at, "완전 연결로").delta == "328억"
    at.selectbox(key="params_arch").set_value("alexnet").run()
    assert metric(at, "파라미터").delta == "6,110만"
    assert any("완전 연결(Linear) 층이" in i.value and "96.0%" in i.value for i in at.info)


def test_edit_add_reorder_delete():
    at = params_page()
    edit(at, edited={0: {"out": 32}})
    assert metric(at, "Parameters").value == f"{3 * 3 * 128 * 32 + 32:,}"
    # add a classifier after the conv: In of the Linear is taken from the flattened 32 x 40 x 50
    edit(at, edited={0: {"out": 32}},
         added=[{"type": "ReLU"}, {"type": "Flatten"}, {"type": "Linear", "out": 10}])
    table = summary_table(at)
    assert list(table["layer"]) == ["Conv2d", "ReLU", "Flatten", "Linear"]
    assert table["params"].iloc[3] == 32 * 40 * 50 * 10 + 10
    # reorder: "#" 0.5 puts the ReLU first
    edit(at, edited={0: {"out": 32}},
         added=[{"order": 0.5, "type": "ReLU"}, {"type": "Flatten"}, {"type": "Linear", "out": 10}])
    assert list(summary_table(at)["layer"]) == ["ReLU", "Conv2d", "Flatten", "Linear"]
    # an empty new row is ignored until it gets a type
    edit(at, added=[{}])
    assert list(summary_table(at)["layer"]) == ["Conv2d"] and not at.error


def test_vgg16_edit_input_size():
    at = params_page()
    at.selectbox(key="params_arch").set_value("vgg16").run()
    at.number_input(key="params_in_h_vgg16").set_value(32).run()
    at.number_input(key="params_in_w_vgg16").set_value(32).run()
    # the adaptive pool makes the classifier independent of the input size: same count, fewer MACs
    assert metric(at, "Parameters").value == "138,357,544"
    assert metric(at, "Multiply-adds per image").value != "15,470,264,320"


def test_invalid_stack_points_at_the_row_and_keeps_the_rows_before():
    at = params_page()
    at.selectbox(key="params_arch").set_value("lenet5").run()
    edit(at, edited={7: {"in": 100}})  # the first Linear: 16 x 5 x 5 = 400 features come in
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Row #8 (Linear): In is 100 but the input has 400 features. Set it to 400, or leave In empty."]
    assert "The summary below shows the 7 layers before that row." in texts(at)
    assert list(summary_table(at)["layer"]) == ["Conv2d", "Tanh", "AvgPool2d", "Conv2d", "Tanh", "AvgPool2d",
                                                 "Flatten"]
    assert metric(at, "Parameters").value == "2,572"
    assert "nn.Flatten()" in at.code[0].value and "nn.Linear" not in at.code[0].value


@pytest.mark.parametrize("edited, message", [
    ({0: {"kernel": "abc"}}, "Row #1 (Conv2d): Kernel must be a number or two numbers like 3x5, got 'abc'."),
    ({0: {"kernel": "43"}}, "Row #1 (Conv2d): Height: the kernel (43 cells, dilation 1) covers 43 cells, but the "
                            "padded input has only 42."),
    ({0: {"stride": "2", "padding": "same"}}, "Row #1 (Conv2d): Padding 'same' only works with stride 1"),
    ({0: {"groups": 3}}, "Row #1 (Conv2d): In (128) must be divisible by groups (3)."),
    ({0: {"type": "Linear"}}, "Row #1 (Linear): Linear needs a flat input but gets 128 × 40 × 50."),
    ({0: {"type": None}}, "Row #1: Pick a layer type in the Layer column."),
    ({0: {"out": None}}, "Row #1 (Conv2d): Conv2d needs a value in the 'Out' column."),
])
def test_bad_cells_show_translated_errors(edited, message):
    at = params_page()
    edit(at, edited=edited)
    assert not at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith(message)


def test_korean_error_message():
    at = params_page(locale="ko-KR")
    edit(at, edited={0: {"kernel": "43"}})
    assert at.error[0].value.startswith("1번 행 (Conv2d): 높이: 커널(43칸, 팽창 1)이 43칸에 걸치는데")
    assert "아래 요약은 그 행 앞의 층 0개를 보여 줍니다." in texts(at)


def test_empty_stack():
    at = params_page()
    edit(at, deleted=[0])
    assert not at.exception and not at.error
    assert metric(at, "Parameters").value == "0"
    assert "No layers yet: add one in the table above." in texts(at)


# ---------------------------------------------------------------- helpers and locale coverage

# Every error code's message in both languages, with the placeholders its raises provide:
# tests/test_errors.py (one registry, one table for all pages).


@pytest.mark.parametrize("lang, n, words", [
    ("en", 999, "999"), ("en", 73_792, "73.8 thousand"), ("en", 999_950, "1 million"),
    ("en", 138_357_544, "138 million"), ("en", 32_768_128_000, "32.8 billion"),
    ("ko", 9_999, "9,999"), ("ko", 73_792, "7.38만"), ("ko", 61_100_840, "6,110만"),
    ("ko", 100_000_000, "1억"), ("ko", 32_768_128_000, "328억"), ("ko", 99_995_000, "1억"),
])
def test_numbers_in_words(monkeypatch, lang, n, words):
    from ui.common import i18n
    from ui.params.words import in_words

    monkeypatch.setattr(i18n, "current_language", lambda: lang)
    assert in_words(n) == words


def test_page_is_thin():
    text = (ROOT / PAGE).read_text()
    assert "import numpy" not in text and "import pandas" not in text
    assert re.search(r'choice\("selectbox", .*?key=keys.PARAMS_ARCH', text, re.S)  # in the URL by id (ui.common.choice)
    assert re.search(r'key=keys.PARAMS_DENSE, bind="query-params"', text)
    assert Path(ROOT / "locales" / "ko" / "params.toml").exists()
