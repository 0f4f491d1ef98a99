"""Docs that cannot drift: the README's model table comes from the bundled models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_model_table_matches_the_bundled_models():
    """Epochs, parameters and MNIST test accuracy in README.md are those stored in engine/weights/*.npz."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "readme_models.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
