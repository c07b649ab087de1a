"""AppTest for the Image Kernels page: samples, uploads, every preset, custom kernels, bad uploads."""
import io

import numpy as np
import pytest
from PIL import Image

import convviz
from convviz.pictures.images import working_size
from tests.conftest import open_app, open_link, texts
from tests.kernel_shown import shows_kernel
from ui.common.photo import WORKING_PIXELS

PAGE = "views/image_kernels.py"


def jpeg_bytes(w=640, h=480, quality=85) -> bytes:
    rng = np.random.default_rng(3)
    a = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def png_bytes(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, "PNG")
    return buf.getvalue()


def images(at):
    return at.get("image")


def captions(at) -> str:
    return "\n".join(c for im in images(at) for c in im.captions)


def upload(at, name, data, mime):
    """Upload as a student does: choose "Upload" (and "Upload another photo" if one is in), drop the file."""
    at.segmented_control(key="kernels_source").set_value("upload").run()
    if any(b.key == "kernels_upload_another" for b in at.button):
        at.button(key="kernels_upload_another").click().run()
    at.file_uploader(key="kernels_upload").upload(name, data, mime).run()
    return at


def test_app_starts_on_home_and_lists_pages():
    at = open_app()
    assert not at.exception
    assert "ConvViz" in texts(at) or at.title


def test_sample_default_shows_before_and_after():
    at = open_app(PAGE)
    assert not at.exception and not at.error
    alts = [im.proto.imgs[0].alt for im in images(at)]
    assert "The original picture" in alts and "The picture filtered with the Emboss kernel" in alts
    assert "Emboss" in texts(at) and "clipped to black" in captions(at)
    assert at.session_state["cv_picture"].image.shape[2] == 3


@pytest.mark.parametrize("preset", [*convviz.KERNEL_INFO, "custom"])
def test_every_preset_renders(preset):
    at = open_app(PAGE)
    at.selectbox(key="kernels_preset").set_value(preset).run()
    assert not at.exception and not at.error
    if preset != "custom":
        assert shows_kernel(at, convviz.make_kernel(preset, convviz.KERNEL_INFO[preset].sizes[0]))


def test_blur_size_changes_kernel():
    at = open_app(PAGE)
    at.selectbox(key="kernels_preset").set_value("gaussian_blur").run()
    at.select_slider(key="kernels_size").set_value(7).run()
    assert not at.exception
    assert shows_kernel(at, convviz.make_kernel("gaussian_blur", 7))


def test_upload_png_is_used_exactly():
    a = np.random.default_rng(5).integers(0, 256, (60, 80, 3), dtype=np.uint8)
    at = upload(open_app(PAGE), "tiny.png", png_bytes(a), "image/png")
    assert not at.exception and not at.error
    np.testing.assert_array_equal(at.session_state["cv_picture"].image, a)


def test_upload_large_jpeg_uses_working_copy():
    at = upload(open_app(PAGE), "phone.jpg", jpeg_bytes(2400, 1800), "image/jpeg")
    assert not at.exception and not at.error
    h, w, _ = at.session_state["cv_picture"].image.shape
    assert (h, w) == working_size((1800, 2400), WORKING_PIXELS) and abs(w / h - 4 / 3) < 0.01


def test_bad_upload_keeps_previous_image_and_settings():
    a = np.full((40, 50, 3), 200, np.uint8)
    at = open_app(PAGE)
    at.selectbox(key="kernels_preset").set_value("outline").run()
    at.toggle(key="kernels_flip").set_value(True).run()
    upload(at, "good.png", png_bytes(a), "image/png")
    assert not at.file_uploader, "a decoded upload replaces the uploader (no per-rerun copy of the file)"
    assert "good.png" in texts(at)
    upload(at, "notes.png", b"this is not a png", "image/png")
    assert not at.exception
    assert any("not an image we can read" in e.value for e in at.error)
    np.testing.assert_array_equal(at.session_state["cv_picture"].image, a)  # previous picture kept
    assert at.selectbox(key="kernels_preset").value == "outline"
    assert at.toggle(key="kernels_flip").value is True
    assert "good.png" in captions(at)


def test_custom_kernel_edit_and_invalid_cell():
    at = open_app(PAGE)
    at.selectbox(key="kernels_preset").set_value("custom").run()
    at.session_state["kernels_custom_3"] = {"edited_rows": {1: {"2": 2.5}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception and not at.error
    assert shows_kernel(at, [[-1, -1, -1], [-1, 2.5, -1], [-1, -1, -1]])
    at.session_state["kernels_custom_3"] = {"edited_rows": {0: {"1": None}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert any("finite" in e.value or "number" in e.value for e in at.error)


def test_options_modes_flip_display_and_grey():
    at = open_app(PAGE)
    for mode in convviz.filters.boundary.MODES:
        at.selectbox(key="kernels_mode").set_value(mode).run()
        assert not at.exception
    at.segmented_control(key="kernels_signed").set_value("midgrey").run()
    at.toggle(key="kernels_grey").set_value(True).run()
    assert not at.exception and not at.error
    assert "mid-grey = 0, black = -255" in captions(at)
    assert at.session_state["cv_picture"].image.ndim == 3  # the working copy stays colour; only the view is grey


def test_korean_page_has_korean_labels():
    at = open_app(PAGE, locale="ko-KR")
    assert not at.exception
    assert at.selectbox(key="kernels_preset").label == "미리 정의된 커널"


def test_custom_kernel_round_trips_through_the_url():
    at = open_app(PAGE)
    at.selectbox(key="kernels_preset").set_value("custom").run()
    at.session_state["kernels_custom_3"] = {"edited_rows": {0: {"1": 7.0}}, "added_rows": [], "deleted_rows": []}
    at.run()
    link = at.query_params["kernels_custom"]
    link = link[-1] if isinstance(link, list) else link
    assert link == "7,-1,-1;-1,8,-1;-1,-1,-1"
    again = open_link(PAGE, {"kernels_preset": "Custom…", "kernels_custom": link})
    assert not again.exception and not again.error
    assert shows_kernel(again, [[7, -1, -1], [-1, 8, -1], [-1, -1, -1]])


def test_bad_custom_kernel_link_falls_back_with_notice():
    at = open_link(PAGE, {"kernels_preset": "Custom…", "kernels_custom": "1,2;nan,<script>"})
    assert not at.exception
    assert shows_kernel(at, [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])  # the starting kernel
    assert "kernels_custom" in texts(at)  # the bad-link notice names the parameter
