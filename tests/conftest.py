"""Fixtures shared by every test folder.

``browser``: Debian's headless Chromium (``/usr/bin/chromium``, never a downloaded browser) driven by Playwright,
one per test session. The browser tests (tests/browser) and the browser security tests (tests/reliability) use it;
mark such tests with ``requires_chromium`` (from ``tests/support/pagetools.py``) so they skip cleanly where
Chromium is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# real services started by fixtures (tests/support): the redis_server fixture
pytest_plugins = ("tests.support.redis_server",)

CHROMIUM = "/usr/bin/chromium"
# what the probe of this machine found necessary: no sandbox as root, no GPU, and no background connections
# (the machine's closed network refuses them, many at a time)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
