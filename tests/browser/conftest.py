"""Fixtures of the browser tests: a real ``convstep serve`` and a page that fails on any console error.

* ``server`` (per module): ``tests/support/live_server.py``'s :class:`ServerProcess` on a free 127.0.0.1 port, with the
  environment of the ``server_env`` fixture (override it in a module to change settings).
* ``page``: a fresh browser context at the ``viewport`` fixture's size (the projector's 1280×720 by default),
  ``page.base`` = the server's URL. Every console error and uncaught exception fails the test that caused it,
  except those containing a substring the test appended to ``page.expected_console`` (a refused request on
  purpose).
"""

from __future__ import annotations

import pytest

from tests.support.live_server import ServerProcess
from tests.support.pagetools import PROJECTOR


@pytest.fixture(scope="module")
def server_env() -> dict[str, str]:
    return {}


@pytest.fixture(scope="module")
def server(server_env):
    with ServerProcess(env=server_env) as live:
        yield live


@pytest.fixture
def viewport() -> dict[str, int]:
    return PROJECTOR


@pytest.fixture
def page(browser, server, viewport):
    context = browser.new_context(viewport=viewport, locale="en-US")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    page.base = server.url
    page.expected_console = []
    yield page
    context.close()
    unexpected = [p for p in problems if not any(e in p for e in page.expected_console)]
    assert unexpected == [], unexpected
