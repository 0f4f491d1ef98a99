"""Helpers of the browser tests (the fixtures are in conftest.py and tests/conftest.py)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
PROJECTOR = {"width": 1280, "height": 720}
requires_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists() and not shutil.which("chromium"),
                                       reason="Debian chromium not installed")


def numbers(text: str) -> list[float]:
    """The numbers in a text as the pages print them (− for minus, 1e−3 style exponents)."""
    return [float(m.replace("−", "-")) for m in re.findall(r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?", text)]
