"""Fixtures for the multi-replica tests: Debian's HAProxy (required under CI=true) and Chromium."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import require_tool

HAPROXY_HINT = ("deploy tests need HAProxy: `sudo apt-get install -y haproxy` (Debian's package; "
                "deploy/local.sh installs it itself when run as root)")


def haproxy_path() -> str | None:
    for candidate in (os.environ.get("HAPROXY"), shutil.which("haproxy"), "/usr/sbin/haproxy"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def haproxy() -> str:
    return require_tool(haproxy_path(), HAPROXY_HINT)


@pytest.fixture(scope="session")
def chromium_browser(browser):
    """The run's one Chromium (``tests/conftest.py``)."""
    return browser
