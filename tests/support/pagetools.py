"""Helpers of the browser tests (the fixtures are in conftest.py and tests/conftest.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
PROJECTOR = {"width": 1280, "height": 720}
requires_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not shutil.which("chromium"), reason="Debian chromium not installed"
)


def numbers(text: str) -> list[float]:
    """The numbers in a text as the pages print them (− for minus, 1e−3 style exponents)."""
    return [float(m.replace("−", "-")) for m in re.findall(r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?", text)]


def i18n_mismatches(page, en_module: str, fr_module: str) -> dict:
    """Compare two dictionaries of static/js/i18n/ in the page: keys only in one, and keys whose {placeholders}
    differ (a translation that forgot a number). ``page`` must be on a ConvStep page (same origin)."""
    return page.evaluate(
        """async ([enPath, frPath]) => {
        const en = (await import(enPath)).default;
        const fr = (await import(frPath)).default;
        const missing = (a, b) => Object.keys(a).filter((k) => !(k in b));
        const placeholders = (s) => (s.match(/\\{\\w+\\}/g) || []).sort().join();
        return { onlyEn: missing(en, fr), onlyFr: missing(fr, en), count: Object.keys(en).length,
                 params: Object.keys(en).filter((k) => k in fr && placeholders(en[k]) !== placeholders(fr[k])) };
    }""",
        [f"/static/js/i18n/{en_module}", f"/static/js/i18n/{fr_module}"],
    )


def draw(page, strokes, steps: int = 8, pad: str = "#pad") -> None:
    """Draw with the mouse on the drawing pad, as a student would: each stroke a list of (x, y) points in
    fractions of the pad's size, pen down at the first, moved through the others (``steps`` mouse events each)."""
    canvas = page.locator(pad)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    for points in strokes:
        x0, y0 = points[0]
        page.mouse.move(box["x"] + x0 * box["width"], box["y"] + y0 * box["height"])
        page.mouse.down()
        for x, y in points[1:]:
            page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=steps)
        page.mouse.up()


def wait_for_verdict(page) -> None:
    """Wait until the lab shows its predicted digit and the page's requests have settled."""
    page.wait_for_function("() => /^[0-9]$/.test(document.querySelector('#verdict-digit').textContent.trim())")
    page.wait_for_load_state("networkidle")
