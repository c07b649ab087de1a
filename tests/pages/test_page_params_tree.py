"""AppTest of the branching presets on Parameter Counts: read-only tree table, totals, the trend chart."""
from __future__ import annotations

import pytest

from convviz import ARCHITECTURES, summarize
from convviz.numbers import format_count
from tests.conftest import texts
from tests.pages.test_page_params import metric, params_page
from ui import keys

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
