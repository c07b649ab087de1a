"""Issue 13 logic (the browser side is in tests/browser/test_classroom_browser.py)."""
from __future__ import annotations

import numpy as np
import pytest

import convviz
from convviz.numbers import common_denominator, kernel_text
from convviz.pictures.images import size_notes
from tests.conftest import open_app, open_link, texts
from ui.common import choice
from ui.common.bounded import clamp, in_range
from ui.common.formula import formula_markdown
from ui.common.i18n import catalog, speaking, t
from ui.kernels.widgets import empty_cells, kernel_table_html

KERNELS, STRIDE, PARAMS = "views/image_kernels.py", "views/stride_padding.py", "views/parameter_counts.py"


def test_find_option_takes_ids_and_labels_in_any_language():
    label = lambda n: t(f"kernels.presets.{n}.name")  # noqa: E731
    options = list(convviz.KERNEL_INFO)
    assert choice.find_option("sobel_x", options, label) == "sobel_x"
    assert choice.find_option(catalog("en")["kernels.presets.sobel_x.name"], options, label) == "sobel_x"
    assert choice.find_option(catalog("ko")["kernels.presets.sobel_x.name"], options, label) == "sobel_x"
    with pytest.raises(KeyError):
        choice.find_option("<script>", options, label)


def test_speaking_is_temporary():
    with speaking("ko"):
        assert t("common.nav.home") == catalog("ko")["common.nav.home"]
    with speaking("en"):
        assert t("common.nav.home") == catalog("en")["common.nav.home"]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_links_carry_ids_and_old_label_links_still_open(lang):
    at = open_link(KERNELS, {"lang": lang, "kernels_preset": "sobel_x", "kernels_mode": "wrap"})
    assert at.selectbox(key="kernels_preset").value == "sobel_x" and at.selectbox(key="kernels_mode").value == "wrap"
    assert not at.warning
    old = open_link(KERNELS, {"lang": lang, "kernels_preset": catalog("en")["kernels.presets.sobel_x.name"]})
    assert old.selectbox(key="kernels_preset").value == "sobel_x" and not old.warning
    assert old.query_params["kernels_preset"] in ("sobel_x", ["sobel_x"])


def test_language_switch_keeps_the_choice():
    at = open_app(KERNELS, locale="en-US")
    at.selectbox(key="kernels_preset").set_value("sobel_x").run()
    at.segmented_control(key="lang").set_value("ko").run()
    assert at.selectbox(key="kernels_preset").value == "sobel_x"
    assert at.selectbox(key="kernels_preset").format_func("sobel_x") == catalog("ko")["kernels.presets.sobel_x.name"]
    assert at.query_params["kernels_preset"] in ("sobel_x", ["sobel_x"])


def test_formula_markdown_pieces_and_hidden_numbers():
    parts = convviz.transposed_size_parts(3, 3, stride=2, padding=1, output_padding=1)
    assert parts[-1] == "6"
    assert formula_markdown("H", parts).endswith("$\\displaystyle = 6$")
    assert formula_markdown("H", parts, numbers=False).count("$") == 2


def test_stride_page_shows_no_dependent_number_after_an_error():
    at = open_link(STRIDE, {"lang": "en", "stride_op": "transposed", "stride_output_padding": "2"})
    assert len(at.error) == 1
    text = texts(at)
    assert "= 11" not in text and "\\displaystyle =" not in text
    pool = open_link(STRIDE, {"lang": "en", "stride_op": "max", "stride_padding": "2"})
    assert len(pool.error) == 1 and not pool.warning and "\\displaystyle =" not in texts(pool)


def test_out_of_range_numbers_are_clamped_with_a_note():
    assert clamp(9, 1, 4) == 4 and in_range("4", 1, 4) and not in_range("9", 1, 4)
    at = open_app(STRIDE, locale="en-US")
    at.number_input(key="stride_stride").set_value(9).run()
    assert at.number_input(key="stride_stride").value == 4
    assert any("9 → 4" in c.value for c in at.caption)


def test_kernel_text_is_short_and_exact_where_possible():
    assert common_denominator(convviz.make_kernel("gaussian_blur", 7)) == 4096
    assert kernel_text(convviz.make_kernel("box_blur", 15)).scale == "1/225"
    big = kernel_text(convviz.make_kernel("gaussian_blur", 15))
    assert big.scale == "10^-4" and max(len(c) for row in big.cells for c in row) <= 3
    html = kernel_table_html(convviz.make_kernel("gaussian_blur", 15), "Kernel")
    assert ">3.7" not in html and "overflow-x:auto" in html  # exact values only in tooltips


def test_empty_kernel_cell_is_named_not_nan():
    assert empty_cells(np.array([[1.0, np.nan], [0.0, 1.0]])) == [(1, 2)]


def test_size_notes():
    assert size_notes((750, 1000), (3000, 4000)) == ["reduced"]
    assert size_notes((20, 20000), (20, 20000)) == ["very_wide"]


def test_layer_errors_use_column_words_and_new_rows_have_no_placeholder():
    from ui.common import layer_table as table

    bare = convviz.LayerError("x", code="size_text", param="kernel_size", value="abc")
    err = bare.at_layer(1, "Conv2d")
    assert "kernel_size" not in table.error_text(err, ["1"]) and "Kernel" in table.error_text(err, ["1"])
    text = table.error_text(bare.at_layer(1, "?"), [table.NEW_ROW])
    assert "—" not in text and "?" not in text and text.startswith(t("common.table.err.new_row"))
