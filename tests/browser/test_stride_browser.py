"""Stride and Padding in real Chromium: the teacher's 7x7 / 3x3 / stride 2 / padding 1 lesson.

Play, pause, step to the fourth step, check the nine highlighted input cells, their weights
and the sum, hover and click output cells, download the GIF; screenshot for the README.
"""
import io

import pytest
from PIL import Image

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

LESSON = ("/stride?stride_in_h=7&stride_in_w=7&stride_k_h=3&stride_k_w=3&stride_stride=2"
          "&stride_padding=1&lang=en")


def open_lesson(page, server_url):
    page.goto(server_url + LESSON)
    wait_for_app(page)
    # A fresh server sometimes answers the very first deep link with a "Page not found" dialog
    # (Streamlit resolves pages only after the first run); a reload opens the page normally.
    if page.locator('[data-testid="stDialog"]').count():
        page.reload()
        wait_for_app(page)
    player = page.frame_locator('iframe[title="Stride and padding"]')
    player.locator('[data-testid="cv-step"]').wait_for()
    return player


def step_number(player) -> int:
    text = player.locator('[data-testid="cv-step"]').inner_text()     # "Step 4 / 16"
    return int(text.split()[1])


def highlighted(player, cls="win") -> set[tuple[int, int]]:
    cells = player.locator(f'g.cell.{cls}')
    return {(int(cells.nth(i).get_attribute("data-r")), int(cells.nth(i).get_attribute("data-c")))
            for i in range(cells.count())}


def test_play_pause_step_and_the_fourth_step(page, server_url):
    player = open_lesson(page, server_url)
    assert page.get_by_text("output 4 × 4 (16 steps)").is_visible()
    assert player.locator('[data-testid="cv-step"]').inner_text() == "Step 1 / 16"

    # play: the steps advance by themselves (no server round trip), pause: they stop
    player.locator('[data-testid="cv-play"]').click()
    page.wait_for_function(
        "() => { const f = document.querySelector('iframe[title=\"Stride and padding\"]');"
        " return f && Number(f.contentDocument.body.dataset.step) >= 2; }", timeout=10_000)
    player.locator('[data-testid="cv-play"]').click()
    paused_at = step_number(player)
    assert paused_at >= 3 and player.locator("body").get_attribute("data-playing") == "0"
    page.wait_for_timeout(1500)
    assert step_number(player) == paused_at

    # back to the start, then three steps forward: the fourth step
    player.locator('[data-testid="cv-first"]').click()
    for _ in range(3):
        player.locator('[data-testid="cv-next"]').click()
    assert player.locator('[data-testid="cv-step"]').inner_text() == "Step 4 / 16"
    # the nine input cells under the kernel: padded rows 0-2, columns 6-8 (stride 2 * 3 = 6)
    fourth = highlighted(player)
    assert fourth == {(r, c) for r in range(3) for c in range(6, 9)}
    weights = player.locator("g.cell.win text.w").all_text_contents()
    assert sorted(weights) == sorted(["×1", "×0", "×−1"] * 3)
    equation = player.locator('[data-testid="cv-eq"]').inner_text()
    assert equation.startswith("y[0, 3] = ") and equation.count("·") == 9
    total = equation.rsplit("=", 1)[1].strip()
    current = player.locator("g.out.cur")
    assert current.count() == 1 and current.get_attribute("data-k") == "3"
    assert current.locator("text").text_content() == total
    running = player.locator('[data-testid="cv-terms"] tr.run td').all_inner_texts()
    assert len(running) == 9 and running[-1] == total

    # one more step: the window jumps to the next row of outputs
    player.locator('[data-testid="cv-next"]').click()
    assert highlighted(player) == {(r, c) for r in range(2, 5) for c in range(3)}
    assert highlighted(player) != fourth
    player.locator('[data-testid="cv-prev"]').click()
    assert highlighted(player) == fourth

    # hover an output cell: its source cells light up (in blue, dashed), the step stays
    player.locator('g.out[data-k="15"]').hover()
    assert highlighted(player, "peek") == {(r, c) for r in range(6, 9) for c in range(6, 9)}
    assert player.locator('[data-testid="cv-eq"]').inner_text().startswith("y[3, 3] = ")
    assert step_number(player) == 4
    # click an output cell: jump to its step
    player.locator('g.out[data-k="10"]').click()
    assert step_number(player) == 11
    assert highlighted(player) == {(r, c) for r in range(4, 7) for c in range(4, 7)}

    # keyboard: arrow keys step as well
    player.locator("svg").click(position={"x": 5, "y": 5})
    page.keyboard.press("ArrowLeft")
    assert step_number(player) == 10

    # the README screenshot: step 4, formula above the player
    player.locator('[data-testid="cv-scrub"]').fill("3")
    assert step_number(player) == 4
    page.mouse.move(0, 0)
    page.get_by_role("heading", name="Output size").evaluate("h => h.scrollIntoView({block: 'start'})")
    page.mouse.wheel(0, -40)                     # keep the heading clear of the app's top bar
    page.wait_for_timeout(400)
    screenshot(page, "stride_padding")


def test_download_gif_for_a_slide(page, server_url):
    open_lesson(page, server_url)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download the animation (GIF)").click()
    assert info.value.suggested_filename == "conv_7x7_k3x3_s2_p1.gif"
    gif = Image.open(io.BytesIO(open(info.value.path(), "rb").read()))
    assert gif.format == "GIF" and gif.size == (1280, 720)
    assert gif.n_frames == 17                      # 16 steps and the finished output


def test_impossible_geometry_in_the_browser(page, server_url):
    page.goto(server_url + "/stride?stride_in_h=2&stride_in_w=2&stride_k_h=5&stride_k_w=5"
              "&stride_padding=0&lang=en")
    wait_for_app(page)
    if page.locator('[data-testid="stDialog"]').count():
        page.reload()
        wait_for_app(page)
    alert = page.get_by_text("Make the kernel or the dilation smaller, or add padding")
    alert.wait_for()
    assert "Height and width: the kernel (5 cells, dilation 1) covers 5 cells" in alert.inner_text()
    assert page.locator('iframe[title="Stride and padding"]').count() == 0
    # the 1-D section keeps working
    page.locator('iframe[title="In one dimension: the notes\' first formula"]').wait_for()
