"""Real-browser fixtures: ``streamlit run`` on a free loopback port, Debian's Chromium via Playwright.

Without Chromium the browser tests skip with a hint; under ``CI=true`` a missing browser fails.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]
HINT = ("browser tests need Chromium: `sudo apt-get install chromium` (or set CONVVIZ_CHROMIUM "
        "to a Chromium binary); playwright comes from requirements-dev.txt")


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CONVVIZ_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _require_chromium() -> str:
    from tests.conftest import require_tool

    return require_tool(chromium_path(), HINT)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

#: How the test server writes its log: time, level, logger, message.
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: A log line at WARNING or above (what the app must not cause during the browser tests).
_LOG_PROBLEM = re.compile(r"^\d{4}-\d\d-\d\d [\d:.,]+ (WARNING|ERROR|CRITICAL) ")


def log_problems(text: str) -> list[str]:
    r"""The lines of a ``streamlit run`` log that report a warning, an error or a traceback.

    One line per problem: a traceback is named by its first and last line (Streamlit's warnings
    carry a stack: ``stack_info=True``), so the report stays short and every problem is seen once.

    >>> log_problems("  You can now view your Streamlit app\n2026-01-01 10:00:00.1 WARNING x: careful\n"
    ...              "Stack (most recent call last):\n  File a\n2026-01-01 10:00:00.2 INFO y: started")
    ['2026-01-01 10:00:00.1 WARNING x: careful']
    >>> log_problems("Traceback (most recent call last):\n  File x\nValueError: bad\n")
    ['Traceback (most recent call last): ... ValueError: bad']
    >>> log_problems("  Local URL: http://127.0.0.1:1\n  Stopping...\n")
    []
    """
    problems, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("Traceback (most recent call last)"):
            j = i + 1
            while j < len(lines) and (lines[j].startswith((" ", "\t")) or not lines[j].strip()):
                j += 1
            last = lines[j] if j < len(lines) else ""
            problems.append(f"{line} ... {last}".rstrip())
            i = j + 1
            continue
        if line.startswith("Stack (most recent call last)"):  # the stack of a warning (listed above it)
            i += 1
            while i < len(lines) and (lines[i].startswith((" ", "\t")) or not lines[i].strip()):
                i += 1
            continue
        if _LOG_PROBLEM.search(line):
            problems.append(line.strip())
        i += 1
    return problems


@contextlib.contextmanager
def streamlit_server(env: dict[str, str] | None = None, script: str = "app.py"):
    """A fresh ``streamlit run app.py`` (or another ``script`` of the repository, such as a test's
    harness page) on a free loopback port: its URL; stopped by PID afterwards."""
    port = _free_port()
    (ROOT / "tests" / "artifacts").mkdir(parents=True, exist_ok=True)
    log = open(ROOT / "tests" / "artifacts" / f"streamlit-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false",
         # The level in every line (Streamlit's default format has none), so log_problems can find warnings.
         "--logger.messageFormat", LOG_FORMAT],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not become healthy; see {log.name}")
            time.sleep(0.3)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
    problems = log_problems(Path(log.name).read_text(errors="replace"))
    if problems:
        pytest.fail(f"the server logged {len(problems)} warning(s) or error(s) during the browser tests "
                    f"(see {log.name}):\n" + "\n".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def server_url():
    """URL of a fresh ``streamlit run app.py`` on loopback, shared by the session's tests."""
    _require_chromium()
    with streamlit_server() as url:
        yield url


@pytest.fixture
def page(browser, server_url):
    """A fresh browser context (its own cookies / session) with a classroom-laptop viewport.

    No warm-up visit: the first session of a fresh server may open any page (app pages live in
    ``views/``, not ``pages/``, see tests/browser/test_first_visit_browser.py).
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def wait_for_app(pg) -> None:
    """Wait until Streamlit has finished the current script run."""
    pg.wait_for_selector('[data-testid="stApp"]')
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelector('[data-testid=\"stMain\"]')", timeout=30_000)
    pg.wait_for_timeout(300)


def _settled_box(pg, locator) -> dict:
    """``locator``'s bounding box once it stays the same for 100 ms (after an animation or a reflow)."""
    previous = None
    for _ in range(50):
        box = locator.bounding_box()
        if box is not None and box == previous:
            return box
        previous = box
        pg.wait_for_timeout(100)
    assert previous is not None, "the element has no box"
    return previous


def edit_grid_cell(pg, canvas, *, x: float, y: float, right: int = 0, text: str, attempts: int = 8) -> None:
    """Type ``text`` into a data editor's cell and commit it (Streamlit reruns with the edit).

    The cell is the one at (``x``, ``y``) px in the grid's ``canvas``, then ``right`` columns further
    (the columns' widths vary, the arrow keys do not). A click on the canvas can land before the grid
    listens to the keyboard, so the gesture is repeated, from the click, until the grid's cell editor
    (``#portal``) is open; only then is anything typed, so an early click never edits another cell.
    """
    overlay = pg.locator("#portal textarea, #portal input").first
    for _ in range(attempts):
        canvas.scroll_into_view_if_needed()
        box = _settled_box(pg, canvas)  # an expander that just opened is still moving the grid
        pg.mouse.click(box["x"] + x, box["y"] + y)
        for _ in range(right):
            pg.keyboard.press("ArrowRight")
        pg.keyboard.press("Enter")  # opens the cell editor
        try:
            overlay.wait_for(state="visible", timeout=2_000)
            break
        except PlaywrightTimeoutError:
            pg.keyboard.press("Escape")
            pg.wait_for_timeout(500)
    else:
        raise AssertionError(f"the grid's cell editor did not open in {attempts} tries")
    pg.keyboard.press("Control+A")
    pg.keyboard.type(text)
    pg.wait_for_function("v => { const e = document.querySelector('#portal textarea, #portal input');"
                         " return e && e.value === v; }", arg=text)
    pg.keyboard.press("Enter")  # commit


def screenshot(pg, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = SCREENSHOTS / f"{name}.png"
    pg.screenshot(path=str(out), full_page=False)
    return out
