"""Shared fixtures: AppTest factory and a guard against untranslated strings."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def open_app(page: str | None = None, *, locale: str | None = None,
             query: dict[str, str] | None = None, timeout: float = 60) -> AppTest:
    """Run ``app.py`` as a browser would, optionally switching to ``page`` (``"pages/x.py"``).

    With ``page`` and ``query`` this opens a shared link: the session first loads the default
    page, then the link's page and its query arrive together in one page-changing run (as
    ``tests/test_share.open_link``). Without ``page`` the query goes to the default page.
    """
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if locale:
        at.context["locale"] = locale
    if page is None:
        at.query_params.update(query or {})
    at.run()
    if page is not None:
        if query:
            at.query_params.clear()
            at.query_params.update(query)
        at.switch_page(page)
        at.run()
    return at


@pytest.fixture
def app():
    """Factory fixture: ``app("pages/image_kernels.py")`` returns a run AppTest."""
    return open_app


@pytest.fixture(autouse=True)
def _no_missing_translations():
    from ui import i18n

    i18n.MISSING.clear()
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
