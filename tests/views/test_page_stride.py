"""AppTest for the Stride and Padding page: every operation, errors that explain, both languages."""
import json
import re
import tomllib

import numpy as np
import pytest

from tests.conftest import ROOT, open_app, texts
from ui.common import keys
from ui.common.photo import Picture

PAGE = "views/stride_padding.py"


def players(at):
    """The page's HTML players (the grid, then the 1-D one); other iframes (app chrome) are skipped."""
    return [el.proto.srcdoc for el in at.get("iframe") if 'id="cv-data"' in el.proto.srcdoc]


def player_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="cv-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def set_geometry(at, **values):
    # The operation first: it decides which controls are enabled.
    if "op" in values:
        at.segmented_control(key="stride_op").set_value(values.pop("op")).run()
    for key, value in values.items():
        if key in ("op", "values", "weights"):
            at.segmented_control(key=f"stride_{key}").set_value(value)
        elif key == "padding":
            at.selectbox(key="stride_padding").set_value(value)
        else:
            at.number_input(key=f"stride_{key}").set_value(value)
    return at.run()


@pytest.fixture(scope="module")
def default_page():
    return open_app(PAGE)


def test_default_is_the_classroom_case(default_page):
    at = default_page
    assert not at.exception and not at.error
    text = texts(at)
    assert r"\frac{7 + 2\cdot 1 - 1\cdot(3-1) - 1}{2}" in text and "+ 1$ $\\displaystyle = 4$" in text
    assert "output **4 × 4** (16 steps)" in text
    grid, oned = players(at)
    data = player_data(grid)
    assert len(data["frames"]) == 16 and len(data["frames"][3]["cells"]) == 9
    assert data["kernel"] == [["1", "0", "−1"]] * 3                # the default edge kernel
    assert player_data(oned)["labels"]["result"] == "(f∗g)(t)" and len(player_data(oned)["frames"]) == 7
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download the animation (GIF)", "Download step 1 (PNG)"]
    assert "3×3 kernel with dilation 1 needs **1**" in text


@pytest.mark.parametrize("op, marker", [("conv", "What \"same\" padding needs"),
                                        ("max", "Pooling has no weights"), ("avg", "Pooling has no weights"),
                                        ("transposed", "Spread the input")])
def test_every_operation_renders(op, marker):
    at = set_geometry(open_app(PAGE), op=op)
    assert not at.exception and not at.error
    assert marker in texts(at)
    data = player_data(players(at)[0])
    assert data["op"] == op
    if op == "transposed":
        # 7x7 input, stride 2, padding 1: (7-1)*2 - 2 + 2 + 0 + 1 = 13
        assert len(data["output"]) == 13 and "= **13** output cells" in texts(at)
        assert any(2 in row for row in data["kind"])              # inserted zeros are marked
        assert data["kernel"] == [["−1", "0", "1"]] * 3          # rotated by 180 degrees
    elif op in ("max", "avg"):
        assert data["kernel"] is None and at.segmented_control(key="stride_weights").disabled
        assert at.number_input(key="stride_dilation").disabled
        assert len(data["output"]) == 4                           # floor((7 + 2 - 3) / 2) + 1
    else:
        assert at.number_input(key="stride_output_padding").disabled


@pytest.mark.parametrize("settings, fragment", [
    ({"in_h": 3, "in_w": 3, "k_h": 7, "k_w": 7, "padding": "0"},
     "the kernel (7 cells, dilation 1) covers 7 cells, but the padded input has only 3"),
    ({"padding": "same"}, "Padding 'same' only works with stride 1, as in PyTorch (got stride 2)"),
    ({"op": "max", "padding": "same"}, "\"same\" padding exists only for convolution"),
    ({"op": "max", "padding": "2"}, "Pooling padding may be at most half the kernel size (3 // 2 = 1)"),
    ({"op": "transposed", "output_padding": 3}, "output padding 3 must be smaller than the stride (2)"),
    ({"op": "transposed", "stride": 1, "in_h": 1, "in_w": 1, "k_h": 1, "k_w": 1, "padding": "1"},
     "padding 1 removes the whole output"),
    ({"op": "transposed", "in_h": 20, "in_w": 20},            # (20-1)*2 - 2 + 2 + 1 = 39
     "39 × 39 = 1521 cells, more than the 1024 steps"),
    ({"in_h": 5, "k_h": 3, "dilation": 3, "padding": "0"}, "Make the kernel or the dilation smaller"),
])
def test_impossible_geometry_explains_and_the_rest_still_works(settings, fragment):
    at = set_geometry(open_app(PAGE), **settings)
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and fragment in errors[0], errors
    assert len(players(at)) == 1                               # the 1-D player still works
    assert "Output size" in texts(at)                          # the formula section still renders
    # and fixing the setting brings the grid player back
    at = set_geometry(at, op="conv", padding="1", stride=2, in_h=7, in_w=7, k_h=3, k_w=3, dilation=1)
    assert not at.error and len(players(at)) == 2


def test_remainder_warning_when_stride_skips_the_last_row():
    at = set_geometry(open_app(PAGE), in_h=8, in_w=8)         # 8 + 2 - 2 - 1 = 7, odd with stride 2
    assert not at.exception and not at.error
    warnings = [w.value for w in at.warning]
    assert any("= 7 is not a multiple of the stride 2 (remainder 1)" in w for w in warnings)
    at = set_geometry(at, in_h=7, in_w=7)
    assert not at.warning


def test_height_and_width_formulas_when_they_differ():
    at = set_geometry(open_app(PAGE), in_w=9, k_w=5, stride=1, padding="same")
    assert not at.error
    text = texts(at)
    assert "Height" in text and "Width" in text and "output **7 × 9**" in text
    assert "5×5 kernel with dilation 1 needs **2**" in text
    at = set_geometry(at, k_w=4)
    assert "PyTorch puts **1** before and **2** after" in texts(at)


def open_link(query: dict):
    """Open the page from a shared link: the page and its query arrive together in one run."""
    at = open_app(None)
    at.query_params.clear()
    at.query_params.update(query)
    at.switch_page(PAGE)
    return at.run()


def test_query_params_set_the_view():
    at = open_link({"lang": "en", "stride_in_h": "5", "stride_in_w": "5", "stride_stride": "1",
                    "stride_padding": "2", "stride_k_h": "3", "stride_k_w": "3", "stride_op": "Max pool"})
    assert not at.exception
    assert "Pooling padding may be at most half" in at.error[0].value     # max pool, padding 2
    at = open_link({"lang": "en", "stride_in_h": "5", "stride_in_w": "5", "stride_stride": "1",
                    "stride_padding": "2", "stride_k_h": "3", "stride_k_w": "3"})
    assert not at.exception and not at.error
    assert "output **7 × 7**" in texts(at)                    # full padding: 5 + 4 - 2 = 7


def test_values_sources_and_reroll():
    at = set_geometry(open_app(PAGE), values="random")
    first = player_data(players(at)[0])["grid"]
    at.button(key="stride_reroll").click().run()
    assert player_data(players(at)[0])["grid"] != first
    at = set_geometry(at, values="image")
    assert "No picture yet" in texts(at) and not at.error     # falls back to the pattern
    img = np.zeros((40, 40, 3), np.uint8)
    img[:, 20:] = 255
    at.session_state[keys.PICTURE] = Picture(img, "half.png", b"", "half")  # what the Image Kernels page leaves
    at.run()
    assert "No picture yet" not in texts(at)
    grid = player_data(players(at)[0])["grid"]
    assert grid[4][1] == "0" and grid[4][7] == "9"            # dark left, bright right (inside padding 1)


def test_bad_1d_signal_shows_error_and_the_grid_still_works():
    at = open_app(PAGE)
    at.text_input(key="stride_g").set_value("1, two").run()
    assert not at.exception
    assert [e.value for e in at.error] == ['Kernel g: write up to 10 numbers between −1000 and 1000, separated by '
                                           'commas (got "1, two").']
    assert len(players(at)) == 1 and player_data(players(at)[0])["op"] == "conv"


def test_korean_page():
    at = open_link({"lang": "ko"})
    assert not at.exception and not at.error
    text = texts(at)
    assert "스트라이드와 패딩" in text and "출력 크기" in text
    data = player_data(players(at)[0])
    assert data["labels"]["play"] == "재생"
    at = set_geometry(at, in_h=2, in_w=2, padding="0")
    assert "커널이나 팽창을 줄이거나 패딩을 늘리세요" in at.error[0].value


def test_locale_files_have_the_same_keys():
    def keys(d, prefix=""):
        out = set()
        for k, v in d.items():
            out |= keys(v, f"{prefix}{k}.") if isinstance(v, dict) else {prefix + k}
        return out
    cat = {}
    for lang in ("en", "ko"):
        with open(ROOT / "locales" / lang / "stride.toml", "rb") as fh:
            cat[lang] = keys(tomllib.load(fh))
    assert cat["en"] == cat["ko"]


def test_player_html_escapes_everything_interpolated():
    import doctest

    import convviz
    from ui.stride import player as grid_player
    from ui.stride.player import GRID_LABELS, SIGNAL_LABELS, grid_player_html, signal_player_html

    evil = '</script><script>alert(1)</script><!--'
    labels = {k: f"{k} {evil}" for k in GRID_LABELS}
    fs = convviz.conv_frames(np.ones((3, 3), int), np.ones((2, 2), int))
    html = grid_player_html(fs, labels, lang='en"><script>alert(2)</script>')
    # only the player's own two scripts open and close; the label text cannot end one
    assert html.count("<script") == 2 and html.count("</script>") == 2 and "<!--" not in html
    assert '<html lang="en&quot;&gt;&lt;script&gt;' in html
    assert player_data(html)["labels"] == labels           # the text itself survives intact
    one_d = signal_player_html(convviz.conv1d_frames([1, 2], [3]), [1, 2], [3],
                               {k: evil for k in SIGNAL_LABELS})
    assert one_d.count("</script>") == 2
    with pytest.raises(KeyError, match="labels missing"):
        grid_player_html(fs, {"play": "Play"})
    assert doctest.testmod(grid_player).failed == 0
