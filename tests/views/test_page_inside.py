"""AppTest: the pixel inspector on the Image Kernels page, and the Inside a Conv Layer page."""
from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

import convviz
from convviz.features.maps import CONV1, CONV2, POOL, network
from convviz.sliding.windows import output_size
from tests.conftest import open_app, texts
from tests.kernel_shown import shows_kernel

KERNELS = "views/image_kernels.py"
INSIDE = "views/inside_conv.py"


def png_bytes(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, "PNG")
    return buf.getvalue()


def open_tab(at, name: str):
    """Open a tab of the Inside page (only the open tab runs), as a click on it does."""

    at.session_state["inside_tab"] = name
    at.query_params["inside_tab"] = name  # a click's callback writes the URL too, and the URL wins
    return at.run()


def open_inspector(at):
    """Open the pixel inspector's expander (it computes nothing while closed)."""
    if not any(n.key == "kernels_px_row" for n in at.number_input):
        at.session_state["kernels_inspect"] = True
        at.run()
    return at


def pick(at, row: int, col: int):
    open_inspector(at)
    at.number_input(key="kernels_px_row").set_value(row)
    at.number_input(key="kernels_px_col").set_value(col)
    return at.run()


def written_result(at) -> tuple[int, int, list[int]]:
    """(row, col, values) from 'Output pixel (row r, column c) = **v**' (or '**(r, g, b)**')."""
    m = re.search(r"Output pixel \(row (\d+), column (\d+)\) = \*\*\(?([\d, ]+)\)?\*\*", texts(at))
    assert m, texts(at)
    return int(m[1]), int(m[2]), [int(v) for v in m[3].split(",")]


@pytest.fixture(scope="module")
def kernels_app():
    at = open_app(KERNELS)
    at.selectbox(key="kernels_preset").set_value("outline").run()
    assert not at.exception
    return at


@pytest.mark.parametrize("where", ["corner", "edge", "centre"])
def test_inspector_matches_filter_image(kernels_app, where):
    at = kernels_app
    image = at.session_state["cv_picture"].image
    h, w = image.shape[:2]
    row, col = {"corner": (0, 0), "edge": (h // 3, w - 1), "centre": (h // 2, w // 2)}[where]
    pick(at, row, col)
    assert not at.exception and not at.warning
    k = convviz.make_kernel("outline")
    assert shows_kernel(at, k)
    expected = convviz.filter_image(image, k, mode="reflect")[row, col]
    assert written_result(at) == (row, col, [int(v) for v in expected])
    body = texts(at)
    assert "✓ The pixel of the result picture above holds the same value" in body
    # Border cells are announced only where the kernel hangs over the border.
    assert ("Dashed, hatched cells lie outside the picture" in body) == (where != "centre")
    # One sum line per colour channel.
    assert len(re.findall(r"Σ = -?[\d.]+ → rounded to -?\d+", body)) == 3


def test_inspector_true_convolution_constant_border_greyscale():
    at = open_app(KERNELS)
    at.selectbox(key="kernels_mode").set_value("constant")
    at.toggle(key="kernels_flip").set_value(True)
    at.toggle(key="kernels_grey").set_value(True)
    at.run()
    pick(at, 0, 1)
    assert not at.exception
    grey = convviz.to_grey(at.session_state["cv_picture"].image)
    expected = convviz.filter_image(grey, convviz.make_kernel("emboss"), mode="constant", flip=True)[0, 1]
    assert written_result(at) == (0, 1, [int(expected)])
    assert "the kernel rotated 180°" in texts(at)
    assert len(re.findall(r"Σ = ", texts(at))) == 1


def test_inspector_signed_display_is_explained():
    at = open_app(KERNELS)
    at.selectbox(key="kernels_preset").set_value("sobel_x")
    at.segmented_control(key="kernels_signed").set_value("midgrey").run()
    pick(at, 5, 5)
    assert not at.exception and not at.warning
    body = texts(at)
    assert "Shown with zero = mid-grey" in body and "✓" in body


def test_inspector_in_korean_and_after_switching_to_a_smaller_picture():
    at = open_app(KERNELS, locale="ko-KR")
    image = at.session_state["cv_picture"].image
    pick(at, image.shape[0] - 1, image.shape[1] - 1)
    assert not at.exception
    assert any(e.label == "픽셀 검사기" for e in at.expander)
    # A much smaller upload: the remembered row / column are brought back inside it.
    at.segmented_control(key="kernels_source").set_value("upload").run()
    assert at.number_input(key="kernels_px_row").value == image.shape[0] - 1  # still open
    small = np.random.default_rng(2).integers(0, 256, (20, 30, 3), dtype=np.uint8)
    at.file_uploader(key="kernels_upload").upload("small.png", png_bytes(small), "image/png").run()
    assert not at.exception
    assert at.number_input(key="kernels_px_row").value == 19
    assert at.number_input(key="kernels_px_col").value == 29


def test_channels_view_counts_parameters():
    at = open_app(INSIDE)
    assert not at.exception and not at.error
    body = texts(at)
    assert "(3, H, W) = (3, " in body
    assert "3·3·3·4 + 4 = **112**" in body
    at.slider(key="inside_cout").set_value(8)
    at.segmented_control(key="inside_k").set_value(5)
    at.toggle(key="inside_bias").set_value(False)
    at.run()
    at.selectbox(key="inside_out").set_value(7).run()
    assert not at.exception
    body = texts(at)
    assert "5·5·3·8 = **600**" in body and "**(8, 3, 5, 5)**" in body
    assert "Output channel 7 = R ∗ slice R" in body


@pytest.mark.parametrize("preset", ["grey", "swap", "sepia", "custom"])
def test_one_by_one_view(preset):
    at = open_app(INSIDE)
    assert not any(b.key == "inside_mix" for b in at.selectbox), "a closed tab does not run"
    open_tab(at, "mix")
    at.selectbox(key="inside_mix").set_value(preset).run()
    assert not at.exception and not at.error
    body = texts(at)
    c_out = 1 if preset == "grey" else 3
    assert f"→ output **({c_out}, " in body
    assert f"1·1·3·{c_out} = **{3 * c_out}**" in body
    if preset == "grey":
        m = re.search(r"\(R, G, B\) = \((\d+), (\d+), (\d+)\)", body)
        r, g, b = map(int, m.groups())
        value = re.search(r"output channel 0 = .* = \*\*([\d.]+)\*\*", body)[1]
        assert float(value) == pytest.approx(0.299 * r + 0.587 * g + 0.114 * b, abs=0.01)


def test_feature_maps_of_an_uploaded_photo():
    at = open_app(KERNELS)
    at.segmented_control(key="kernels_source").set_value("upload").run()
    photo = np.random.default_rng(9).integers(0, 256, (90, 240, 3), dtype=np.uint8)
    at.file_uploader(key="kernels_upload").upload("my_face.png", png_bytes(photo), "image/png").run()
    assert not at.exception
    at.switch_page(INSIDE).run()
    open_tab(at, "maps")
    assert not at.exception and not at.error
    body = texts(at)
    assert "my_face.png from the Image Kernels page" in body
    h0, w0 = 60, 160                                   # 90 x 240 reduced to a longest side of 160
    dims = []
    for n in (h0, w0):
        n1 = output_size(n, CONV1["kernel_size"], padding=CONV1["padding"])
        n2 = output_size(n1, POOL["kernel_size"], stride=POOL["kernel_size"])
        dims.append((n1, n2, output_size(n2, CONV2["kernel_size"], padding=CONV2["padding"])))
    c1, c2 = network(False)["conv1_weight"].shape[0], network(False)["conv2_weight"].shape[0]
    chain = (f"Input (1, {h0}, {w0}) → Conv 1 (before ReLU) ({c1}, {dims[0][0]}, {dims[1][0]}) → "
             f"ReLU 1 ({c1}, {dims[0][0]}, {dims[1][0]}) → Max pool ({c1}, {dims[0][1]}, {dims[1][1]}) → "
             f"Conv 2 (before ReLU) ({c2}, {dims[0][2]}, {dims[1][2]}) → ReLU 2 ({c2}, {dims[0][2]}, {dims[1][2]})")
    assert chain in body
    at.toggle(key="inside_fm_colour").set_value(True).run()
    assert not at.exception
    assert "Input (3, 60, 160)" in texts(at)
    for how in ("clip", "abs", "midgrey"):
        at.segmented_control(key="inside_signed").set_value(how).run()
        assert not at.exception


@pytest.mark.parametrize("shape, size, maps", [
    # a 1-pixel-high strip: every tab shows its shapes; the network says why it cannot pool one row
    ((1, 400, 3), "192 × 1", None),
    # a 2 x 2 photo: shown as it is, scaled up to the network's 160 x 160 input for the feature maps
    ((2, 2, 3), "2 × 2", "Shapes: Input (1, 160, 160) → Conv 1 (before ReLU) (6, 160, 160)"),
])
def test_thin_or_tiny_photos_do_not_break_the_page(shape, size, maps):
    at = open_app(KERNELS)
    at.segmented_control(key="kernels_source").set_value("upload").run()
    at.file_uploader(key="kernels_upload").upload("thin.png", png_bytes(np.full(shape, 90, np.uint8)),
                                                   "image/png").run()
    assert not at.exception
    at.switch_page(INSIDE).run()
    assert not at.exception and not at.error
    w, h = (int(n) for n in size.split(" × "))  # "W × H", as the caption writes it
    body = texts(at)
    assert f"Photo: thin.png from the Image Kernels page, reduced to {size} pixels" in body
    assert f"Output: (4, {h}, {w}) with padding 1." in body  # the demo layer keeps the size ("same")
    open_tab(at, "mix")
    assert not at.exception and not at.error
    assert f"Input (3, {h}, {w}) → output **(1, {h}, {w})**" in texts(at)
    assert "output channel 0 = 0.299·90 + 0.587·90 + 0.114·90 = **90**" in texts(at)  # the grey pixel's mix
    open_tab(at, "maps")
    assert not at.exception
    if maps is None:
        assert [e.value for e in at.error] == ["The network cannot run on this photo: Height: the kernel (2 cells, "
                                               "dilation 1) covers 2 cells, but the padded input has only 1. Make the "
                                               "kernel or the dilation smaller, or add padding."]
    else:
        assert not at.error and maps in texts(at)


def test_inside_page_in_korean_without_kernels_page():
    at = open_app(INSIDE, locale="ko-KR")
    assert not at.exception and not at.error
    assert "파라미터 수" in texts(at)
    at.session_state["inside_tab"] = "maps"
    at.run()
    assert not at.exception and not at.error
    assert "특성 맵" in texts(at) and "모양" in texts(at)


def test_inspector_is_closed_and_costs_nothing_until_opened():
    at = open_app(KERNELS)
    assert not at.exception
    assert [e.label for e in at.expander if e.label == "Pixel inspector"], "the inspector is offered"
    assert not any(n.key == "kernels_px_row" for n in at.number_input), "nothing of it is built while closed"
    assert "Σ = " not in texts(at)
    open_inspector(at)
    assert not at.exception and "Σ = " in texts(at)
    # It stays open across a kernel change and follows it.
    at.selectbox(key="kernels_preset").set_value("sharpen").run()
    assert "Σ = " in texts(at)
    row, col, values = written_result(at)
    image = at.session_state["cv_picture"].image
    assert values == [int(v) for v in convviz.filter_image(image, convviz.make_kernel("sharpen"))[row, col]]


def test_a_link_can_open_the_inspector():
    from tests.conftest import open_link

    at = open_link(KERNELS, {"kernels_inspect": "true", "kernels_px_row": "3", "kernels_px_col": "4"})
    assert not at.exception
    assert written_result(at)[:2] == (3, 4)
