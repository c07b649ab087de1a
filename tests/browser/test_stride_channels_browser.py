"""Issue 15 on the Stride and Padding page, in real Chromium: the multi-channel step player,
groups from standard to depthwise, your own typed grid in the player, predict-then-reveal,
in presentation mode and in Korean. Screenshots for the README."""
import tomllib

import pytest

from tests.browser.conftest import edit_grid_cell, screenshot, wait_for_app
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

EN = tomllib.loads((ROOT / "locales/en/stride.toml").read_text())
KO = tomllib.loads((ROOT / "locales/ko/stride.toml").read_text())


def goto(page, url):
    page.goto(url)
    wait_for_app(page)
    if page.locator('[data-testid="stDialog"]').count():
        page.reload()
        wait_for_app(page)


def channel_player(page, strings=EN):
    player = page.frame_locator(f'iframe[title="{strings["channels_title"]}"]')
    player.locator('[data-testid="cv-step"]').wait_for()
    return player


def body(player, attr):
    return player.locator("body").get_attribute(f"data-{attr}")


def test_step_through_the_multichannel_player(page, server_url):
    goto(page, server_url + "/stride?stride_channels=true&stride_c_in=3&stride_c_out=2&lang=en")
    player = channel_player(page)
    step = player.locator('[data-testid="cv-step"]')
    assert step.inner_text() == "Step 1 / 10"           # 2 outputs x (3 channels + sum + bias)
    assert body(player, "layout") == "row"
    # channel 0 of output 0: its nine window cells are the current ones, its products in the table
    assert body(player, "phase") == "channel" and body(player, "out") == "0"
    assert player.locator('g.chan[data-c="0"] g.cell.now').count() == 9
    assert player.locator("g.cell.now").count() == 9
    assert player.locator("g.cell.win").count() == 27    # the window in all three channels it reads
    assert player.locator('[data-testid="cv-eq"]').inner_text().startswith("y[0, 0, 0] (channel 0): ")
    assert len(player.locator('[data-testid="cv-terms"] tr.prod td').all_inner_texts()) == 9
    sums = []
    for c in range(3):
        eq = player.locator('[data-testid="cv-eq"]').inner_text()
        sums.append(eq.rsplit("= ", 1)[1])
        assert player.locator(f'g.chan[data-c="{c}"] g.cell.now').count() == 9
        player.locator('[data-testid="cv-next"]').click()
    # the sum across channels adds exactly the three channel sums
    assert body(player, "phase") == "sum"
    eq = player.locator('[data-testid="cv-eq"]').inner_text()
    assert eq.split("): ", 1)[1].split(" = ")[0] == " + ".join(s if not s.startswith("−") else f"({s})" for s in sums)
    total = eq.rsplit("= ", 1)[1]
    out0 = player.locator('g.out[data-o="0"] text')
    assert not out0.is_visible()                          # not computed yet
    player.locator('[data-testid="cv-next"]').click()
    assert body(player, "phase") == "bias"
    eq = player.locator('[data-testid="cv-eq"]').inner_text()
    assert eq.split("): ", 1)[1].startswith(total + " + ")
    result = eq.rsplit("= ", 1)[1]
    assert out0.is_visible() and out0.text_content() == result
    # output channel 1: new kernel slices, output 0 stays shown
    player.locator('[data-testid="cv-next"]').click()
    assert body(player, "out") == "1" and step.inner_text() == "Step 6 / 10"
    assert player.locator("text", has_text="w[1, 2]").count() == 1
    assert out0.is_visible()
    # play runs on its own, pause stops
    player.locator('[data-testid="cv-play"]').click()
    page.wait_for_function(
        "() => { const f = document.querySelector('iframe[title=\"Channels and groups: kernels with depth\"]');"
        " return f && Number(f.contentDocument.body.dataset.step) >= 7; }", timeout=10_000)
    player.locator('[data-testid="cv-play"]').click()
    assert body(player, "playing") == "0"
    player.locator('[data-testid="cv-scrub"]').fill("3")
    page.get_by_text("Output channel 0 reads").scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    screenshot(page, "stride_channels")


def test_depthwise_reads_one_channel_per_output(page, server_url):
    goto(page, server_url + "/stride?stride_channels=true&stride_c_in=3&stride_c_out=3&stride_groups=3&lang=en")
    player = channel_player(page)
    assert player.locator('[data-testid="cv-step"]').inner_text() == "Step 1 / 9"   # 3 x (1 + sum + bias)
    assert player.locator("g.chan.unread").count() == 2
    assert player.locator("g.cell.win").count() == 9
    player.locator('[data-testid="cv-last"]').click()
    assert body(player, "out") == "2"
    assert player.locator('g.chan.unread[data-c="2"]').count() == 0
    # back to standard with the segmented control: every output reads every channel again
    page.get_by_role("radio", name="standard (1)").click()
    wait_for_app(page)
    assert "stride_groups=3" not in page.url       # the default (standard) leaves the link
    player = channel_player(page)
    assert player.locator("g.chan.unread").count() == 0
    assert player.locator('[data-testid="cv-step"]').inner_text() == "Step 1 / 15"
    page.get_by_text("18,432").first.wait_for()
    page.get_by_text("A line for every input channel").scroll_into_view_if_needed()
    screenshot(page, "stride_groups")


def test_type_your_own_grid_and_see_it_in_the_player(page, server_url):
    goto(page, server_url + "/stride?stride_values=typed&stride_weights=typed&stride_padding=0&stride_stride=1"
         "&lang=en")
    box = page.get_by_role("textbox", name=EN["typed_values"])
    box.fill("1,2,3;4,5,6;7,8,9")
    box.press("Enter")
    wait_for_app(page)
    page.wait_for_function("() => location.search.includes('stride_typed_values=1%2C2%2C3%3B4%2C5%2C6%3B7%2C8%2C9')"
                           " || location.search.includes('stride_typed_values=1,2,3;4,5,6;7,8,9')")
    kbox = page.get_by_role("textbox", name=EN["typed_weights"])
    kbox.fill("1,0;0,-1")
    kbox.press("Enter")
    wait_for_app(page)
    player = page.frame_locator('iframe[title="Stride and padding"]')
    player.locator('[data-testid="cv-step"]').wait_for()
    assert player.locator('[data-testid="cv-step"]').inner_text() == "Step 1 / 4"
    assert player.locator('g.cell[data-r="2"][data-c="2"] text.v').text_content() == "9"
    assert player.locator('[data-testid="cv-eq"]').inner_text() == "y[0, 0] = 1·1 + 2·0 + 4·0 + 5·(−1) = −4"
    assert page.get_by_text("input 3 × 3, kernel 2 × 2").is_visible()
    # a bad value: a translated message, the student's text kept, the page keeps working
    box = page.get_by_role("textbox", name=EN["typed_values"])
    box.fill("1,2;3,x")
    box.press("Enter")
    wait_for_app(page)
    page.get_by_text('row 2, column 2 is "x"').wait_for()
    assert box.input_value() == "1,2;3,x"
    # the data editor shows the first channel of a good grid; its toolbar does not cover the text box
    box.fill("1,2;3,4")
    box.press("Enter")
    wait_for_app(page)
    editor = page.locator('[data-testid="stDataFrame"]').first
    editor.wait_for()
    eb, tb = editor.bounding_box(), box.bounding_box()
    assert eb["y"] >= tb["y"] + tb["height"]
    # edit a cell in the table: double-click, type, Enter; the text (and the player) follow
    # the value and weight choices are all on screen (they wrap, no option scrolled out of sight)
    assert page.get_by_role("radio", name="Type your own", exact=True).count() == 2
    for name in ("Random", "Vertical edges", "Type your own"):
        for option in page.get_by_role("radio", name=name, exact=True).all():
            ob = option.bounding_box()
            assert ob["x"] >= 300 and ob["x"] + ob["width"] <= 1400, (name, ob)
    # hovering the editor shows no toolbar over the text box
    editor.hover()
    assert page.locator('[data-testid="stElementToolbar"]:visible').count() == 0
    # row 0, column 0: the grid's cell editor opens and takes just what was typed
    edit_grid_cell(page, editor.locator('[data-testid="data-grid-canvas"]'), x=60, y=52, text="7")
    page.mouse.click(5, 5)
    wait_for_app(page)
    page.wait_for_function(
        "() => { const i = [...document.querySelectorAll('input')].find(e => e.getAttribute('aria-label')"
        " && e.getAttribute('aria-label').startsWith('Your input values')); return i && i.value !== '1,2;3,4'; }",
        timeout=15_000)
    edited = page.get_by_role("textbox", name=EN["typed_values"]).input_value()
    assert edited == "7,2;3,4", edited
    player = page.frame_locator('iframe[title="Stride and padding"]')
    player.locator('[data-testid="cv-step"]').wait_for()
    assert "7" in player.locator('g.cell text.v').all_text_contents()
    page.get_by_role("textbox", name=EN["typed_values"]).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, "stride_typed")


def test_predict_then_reveal(page, server_url):
    goto(page, server_url + "/stride?stride_predict=true&lang=en")
    page.get_by_text(EN["predict_wait"]).wait_for()
    assert page.locator('iframe[title="Stride and padding"]').count() == 0
    assert page.get_by_text("(16 steps)").count() == 0
    page.get_by_role("spinbutton", name=EN["guess_h"]).fill("4")
    page.get_by_role("spinbutton", name=EN["guess_h"]).press("Enter")
    wait_for_app(page)
    assert page.locator('iframe[title="Stride and padding"]').count() == 0
    page.get_by_role("spinbutton", name=EN["guess_w"]).fill("3")
    page.get_by_role("spinbutton", name=EN["guess_w"]).press("Enter")
    wait_for_app(page)
    page.get_by_text("Not quite: you said 4 × 3").wait_for()
    page.locator('iframe[title="Stride and padding"]').wait_for()
    assert "stride_guess" not in page.url  # a guess stays on this screen: never in the address or a link
    page.get_by_role("spinbutton", name=EN["guess_w"]).fill("4")
    page.get_by_role("spinbutton", name=EN["guess_w"]).press("Enter")
    wait_for_app(page)
    page.get_by_text("Right! The output is").wait_for()
    page.get_by_text("Right! The output is").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, "stride_predict")


def test_channels_in_korean_presentation_mode(page, server_url):
    # (no predict mode: while a guess is pending the channel player, which shows the output, waits for it)
    goto(page, server_url + "/stride?stride_channels=true&stride_c_in=3&stride_c_out=3&stride_groups=3"
         "&lang=ko&present=true")
    player = channel_player(page, KO)
    assert player.locator('[data-testid="cv-eq"]').inner_text().startswith("y[0, 0, 0] (채널 0): ")
    # the player fits its frame: no horizontal scrollbar inside
    frame = page.locator(f'iframe[title="{KO["channels_title"]}"]')
    width = frame.evaluate("f => [f.contentDocument.documentElement.scrollWidth, f.clientWidth]")
    assert width[0] <= width[1] + 1, width
    frame.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, "stride_channels_ko_present")


def test_channel_player_and_typed_editors_on_a_phone(page, server_url):
    page.set_viewport_size({"width": 390, "height": 844})
    goto(page, server_url + "/stride?stride_channels=true&stride_values=typed&stride_weights=typed&lang=ko")
    player = channel_player(page, KO)
    frame = page.locator(f'iframe[title="{KO["channels_title"]}"]')
    sizes = frame.evaluate("f => [f.contentDocument.documentElement.scrollWidth, f.clientWidth,"
                           " f.getBoundingClientRect().right]")
    assert sizes[0] <= sizes[1] + 1 and sizes[2] <= 390, sizes
    assert body(player, "layout") == "stacked"            # one channel per row: numbers stay readable
    cell = player.locator('g.chan[data-c="0"] g.cell rect').first.bounding_box()
    assert cell["width"] >= 24, cell
    player.locator('[data-testid="cv-next"]').click()
    assert player.locator('[data-testid="cv-step"]').inner_text().startswith("2 /")
    # the typed boxes and their tables stay inside the screen
    for name in (KO["typed_values"], KO["typed_weights"]):
        box = page.get_by_role("textbox", name=name).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)
    frame.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, "phone_stride_channels")


def test_nine_products_fit_a_phone(page, server_url):
    page.set_viewport_size({"width": 390, "height": 844})
    goto(page, server_url + "/stride?stride_channels=true&stride_c_in=3&stride_c_out=2&lang=ko")
    player = channel_player(page, KO)
    player.locator('[data-testid="cv-terms"] table').wait_for()
    assert player.locator('[data-testid="cv-terms"] td').count() >= 9  # a 3 x 3 kernel: nine products
    frame = page.locator(f'iframe[title="{KO["channels_title"]}"]')
    widths = frame.evaluate("f => { const t = f.contentDocument.getElementById('cv-terms');"
                            " return [t.scrollWidth, t.clientWidth]; }")
    assert widths[0] <= widths[1] + 1, widths  # nothing hidden to the right of the table
