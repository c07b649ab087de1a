"""AppTest of the branching presets on Parameter Counts: read-only tree table, totals, the trend chart."""
from __future__ import annotations

import pytest

from convviz import ARCHITECTURES, summarize
from convviz.numbers import format_count
from tests.conftest import texts
from tests.views.test_page_params import metric, params_page
from ui.common import keys

TREES = [n for n, a in ARCHITECTURES.items() if a.branching]


@pytest.mark.parametrize("name", TREES)
def test_branching_preset_shows_its_total_and_a_read_only_tree(name):
    at = params_page(query={keys.PARAMS_ARCH: name})
    arch = ARCHITECTURES[name]
    summary = summarize(arch.layers, arch.input_shape)
    assert metric(at, "Parameters").value == format_count(summary.total_params)
    assert not at.error
    # no editor: a note says why, and the tree table has one line per row, indented by depth
    assert not [df for df in at.dataframe if "type" in df.value.columns]
    assert any("cannot hold it" in i.value for i in at.info)
    assert any("read-only" in s.value for s in at.subheader)
    table = [df.value for df in at.dataframe if "path" in df.value.columns][0]
    assert list(table["path"]) == [r.path for r in summary.rows]
    assert table["layer"].str.startswith("\u2003").sum() == sum(1 for r in summary.rows if r.depth)


def test_resnet50_in_korean_and_its_code():
    at = params_page(locale="ko", query={keys.PARAMS_ARCH: "resnet50"})
    assert "25,557,032" in texts(at)
    assert "class Residual(nn.Module):" in at.code[0].value
    assert not at.exception


def test_a_bad_input_shape_names_the_block():
    at = params_page(query={keys.PARAMS_ARCH: "googlenet"})
    at.number_input(key=keys.params_input("c", "googlenet")).set_value(4).run()
    assert not at.exception
    assert at.error and "channels" in at.error[0].value


def test_trend_chart_is_on_the_page_in_both_languages():
    for locale, title in (("en", "The trend"), ("ko", "흐름")):
        at = params_page(locale=locale)
        assert any(title in s.value for s in at.subheader)
        assert not at.exception


def test_dense_instead_on_a_branching_preset():
    at = params_page(query={keys.PARAMS_ARCH: "resnet18"})
    at.toggle(key=keys.PARAMS_DENSE).set_value(True).run()
    assert not at.exception and not at.error
    assert any(m.label == "Dense instead" for m in at.metric)


def test_the_tree_table_has_memory_and_operations_and_a_block_sums_its_layers():
    at = params_page(query={keys.PARAMS_ARCH: "resnet18"})
    table = [df.value for df in at.dataframe if "path" in df.value.columns][0]
    assert {"act", "act_batch", "param_mem", "macs"} <= set(table.columns)
    first_block = table[table["layer"].str.startswith("▼")].iloc[0]
    inside = table[table["path"].str.startswith(first_block["path"] + ".")]
    assert first_block["macs"] == inside["macs"].sum() and first_block["params"] == inside["params"].sum()


def test_a_pasted_branching_model_is_counted_as_a_read_only_tree():
    from convviz import to_pytorch

    arch = ARCHITECTURES["resnet18"]
    at = params_page(query={keys.PARAMS_ARCH: "lenet5"})
    at.text_area(key=keys.PARAMS_SOURCE).input(to_pytorch(arch.layers, input_shape=arch.input_shape))
    at.button(key=keys.PARAMS_USE_SOURCE).click().run()
    for axis, size in zip("chw", arch.input_shape):
        at.number_input(key=keys.params_input(axis, "lenet5")).set_value(size).run()
    assert not at.exception and not at.error
    assert metric(at, "Parameters").value == "11,689,512"
    assert any("shown read-only below, as a tree" in s.value for s in at.success)
    assert any("read-only" in s.value for s in at.subheader)
    assert keys.PARAMS_TABLE not in at.query_params  # a tree does not travel in a link
    at.button(key=keys.PARAMS_RESET_TABLE).click().run()  # back to LeNet-5's own editable table
    assert [df for df in at.dataframe if "path" not in df.value.columns]
    assert not any("read-only" in s.value for s in at.subheader)


def test_a_small_dense_share_is_called_the_trend_and_one_layer_is_singular():
    at = params_page(query={keys.PARAMS_ARCH: "resnet50"})
    share = metric(at, "Share of dense layers")
    assert share.value == "8.0%" and share.delta == "in 1 Linear layer"
    assert any(i.value.startswith("Only **8.0%** of the parameters") for i in at.info)
    at = params_page(query={keys.PARAMS_ARCH: "alexnet"})
    assert any(i.value.startswith("The dense (Linear) layers hold **96.0%**") for i in at.info)
