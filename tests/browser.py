"""A real headless Chromium for the site's tests, driven by Playwright, with axe-core.

Debian's `chromium` is used (Playwright's own browser download does not work offline), and
axe-core is installed from npm into `.venv/axe` by `make` (`make system-deps`). Where either
is missing the tests skip and say which and how to install it; in CI (`CI=true`) they fail
instead, because CI must run them.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[1]
AXE = Path(sys.prefix) / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",  # else it reaches for Google's hosts at every start
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_browser() -> tuple[str, str]:
    """Chromium's path and axe-core's source, or skip (fail in CI) saying what is missing."""
    path = chromium_path()
    if path is None:
        _missing("Chromium is not installed: `make system-deps` (apt-get install chromium)")
    if not AXE.is_file():
        _missing(f"axe-core is not installed at {AXE}: run `make system-deps`")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("Playwright is not installed: pip install -e '.[dev]'")
    assert path is not None
    return path, AXE.read_text(encoding="utf-8")


def _missing(why: str) -> NoReturn:
    if in_ci():
        pytest.fail(f"CI must run the browser tests, but {why}")
    pytest.skip(why)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
