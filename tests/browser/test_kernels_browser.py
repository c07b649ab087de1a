"""Image Kernels in real Chromium: upload a 12 MP photo, pick emboss, see the result, download."""
import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from convviz.pictures.images import working_size
from tests.browser.conftest import screenshot, wait_for_app
from ui.common.photo import WORKING_PIXELS

pytestmark = pytest.mark.browser


def phone_photo(path, w=4000, h=3000) -> None:
    """A synthetic 12 MP 'phone photo' with edges, as a JPEG."""
    y, x = np.mgrid[0:h:1, 0:w:1]
    rgb = np.stack([x * 255 // w, y * 255 // h, (x + y) * 255 // (w + h)], -1).astype(np.uint8)
    im = Image.fromarray(rgb)
    draw = ImageDraw.Draw(im)
    for i in range(10):
        draw.ellipse([350 * i, 250 * i, 350 * i + 700, 250 * i + 700], outline=(255, 255, 255), width=40)
    im.save(path, quality=85)


def choose(pg, label: str, option: str) -> None:
    pg.get_by_label(label).first.click()
    pg.get_by_role("option", name=option, exact=True).click()
    wait_for_app(pg)


def test_upload_emboss_and_download(page, server_url, tmp_path):
    photo = tmp_path / "my_phone_photo.jpg"
    phone_photo(photo)
    page.goto(f"{server_url}/kernels")
    wait_for_app(page)
    page.get_by_role("radio", name="Upload", exact=True).click()
    wait_for_app(page)
    page.locator('input[type="file"]').set_input_files(str(photo))
    page.get_by_text("my_phone_photo.jpg").first.wait_for()
    wait_for_app(page)
    choose(page, "Preset", "Outline")
    choose(page, "Preset", "Emboss")
    after = page.get_by_role("img", name="The picture filtered with the Emboss kernel")
    after.wait_for()
    assert after.evaluate("img => img.complete && img.naturalWidth > 400")
    h, w = working_size((3000, 4000), WORKING_PIXELS)
    assert page.get_by_text(f"Before: my_phone_photo.jpg ({w} × {h})").is_visible()
    assert page.get_by_text("Exception").count() == 0

    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download full-size PNG").click()
    data = open(info.value.path(), "rb").read()
    assert info.value.suggested_filename == "my_phone_photo_emboss.png"
    assert Image.open(io.BytesIO(data)).size == (4000, 3000)

    # Back to a sample picture with the outline kernel: the README's screenshot.
    page.get_by_role("radio", name="Sample", exact=True).click()
    wait_for_app(page)
    choose(page, "Preset", "Outline")
    page.get_by_role("img", name="The picture filtered with the Outline kernel").wait_for()
    page.get_by_text("Before: cat.jpg").first.wait_for()
    screenshot(page, "image_kernels")
