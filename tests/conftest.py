"""Shared fixtures: AppTest factory and a guard against untranslated strings."""
from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from hypothesis import settings
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent

# Property tests draw the same examples on every run ("ci", the default), so the README's test
# command and CI are green or red for a reason, never by chance. To hunt for new bugs, draw
# fresh ones: HYPOTHESIS_PROFILE=explore python -m pytest (a failure prints its seed to replay).
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def open_app(page: str | None = None, *, locale: str | None = None,
             query: dict[str, str] | None = None, timeout: float = 60) -> AppTest:
    """Run ``app.py`` as a browser would, optionally switching to ``page`` (``"views/x.py"``).

    ``query`` is set before the first run (of the default page). To open a shared link to
    another page, use :func:`open_link`.
    """
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if locale:
        at.context["locale"] = locale
    at.query_params.update(query or {})
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    return at


def open_link(page: str, query: dict, *, locale: str | None = None) -> AppTest:
    """Open a shared link: a new session loads the default page, then ``page`` and ``query``
    arrive together in one page-changing run."""
    at = open_app(None, locale=locale)
    at.query_params.clear()
    at.query_params.update(query)
    at.switch_page(page)
    return at.run()


@pytest.fixture
def app():
    """Factory fixture: ``app("views/image_kernels.py")`` returns a run AppTest."""
    return open_app


@pytest.fixture(autouse=True)
def _no_missing_translations():
    from ui.common import i18n

    i18n.MISSING.clear()
    # The language of the last script run answers calls made outside any run (AppTest's
    # format_func between runs): start every test from the default, whatever ran before it.
    i18n._last_language = i18n.DEFAULT_LANGUAGE
    yield
    missing = sorted(i18n.MISSING)
    i18n.MISSING.clear()
    assert not missing, f"untranslated keys rendered: {missing}"


def texts(at: AppTest) -> str:
    """Every markdown/caption/error/info/warning/success text on the page, joined."""
    parts = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title",
                 "header", "subheader", "text", "latex", "code"):
        parts.extend(str(el.value) for el in getattr(at, kind))
    return "\n".join(parts)


def share_box(at: AppTest) -> tuple[str, list[str]]:
    """The sidebar's "Copy link to this view": ``(the link as the server wrote it, the parameters
    the browser takes from its address bar when the link is used)``, from the copy button's
    ``data-url`` / ``data-live`` (see ``ui/common/copy_button.py``)."""
    found = []
    for el in at.get("iframe"):
        doc = getattr(el.proto, "srcdoc", "")
        button = re.search(r'<button id="copy"[^>]*>', doc)
        if button:
            attrs = dict(re.findall(r'data-(url|live)="([^"]*)"', button.group(0)))
            found.append((html.unescape(attrs["url"]), html.unescape(attrs.get("live", "")).split()))
    assert len(found) == 1, found
    return found[0]


def require_tool(path: str | None, hint: str) -> str:
    """``path`` of a system tool the test needs; without it skip with ``hint`` (fail under ``CI=true``)."""
    if not path:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {hint}")
        pytest.skip(hint)
    return path


@pytest.fixture(scope="session")
def browser():
    """One Chromium (Debian's, through Playwright) for every real-browser test of the run.

    Here, not in ``tests/browser/``, so that ``tests/deploy/`` shares it: Playwright's sync API
    cannot run twice at once in one process.
    """
    from tests.browser.conftest import CHROMIUM_FLAGS, _require_chromium

    path = _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()
