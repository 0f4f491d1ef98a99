"""Fixtures and helpers of the classroom pages' browser tests (test_steps.py, test_example.py, test_playground.py).

A real ``convstep serve`` (``benchmarks/load.py``'s :class:`ServerProcess`) on a free port and Debian's headless
Chromium driven by Playwright, at the projector's 1280×720. Every console error and uncaught exception fails the
test that caused it. Import the fixtures into a test module: ``from classroom_pages import browser, page, server``.
(They are the same as the drawing lab's; once tests/browser/conftest.py provides them, these can go.)
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks.load import ServerProcess  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PROJECTOR = {"width": 1280, "height": 720}
requires_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists() and not shutil.which("chromium"),
                                       reason="Debian chromium not installed")


@pytest.fixture(scope="module")
def server():
    with ServerProcess() as live:
        yield live


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport=PROJECTOR, locale="en-US")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    page.base = server.url
    page.expected_console = []  # substrings of console errors a test causes on purpose (a refused request)
    yield page
    context.close()
    unexpected = [p for p in problems if not any(e in p for e in page.expected_console)]
    assert unexpected == [], unexpected


def numbers(text: str) -> list[float]:
    """The numbers in a text as the pages print them (− for minus, 1e−3 style exponents)."""
    import re

    return [float(m.replace("−", "-")) for m in re.findall(r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?", text)]
