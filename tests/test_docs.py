"""Docs that cannot drift: the README's model table comes from the bundled models, ARCHITECTURE.md names every module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_SUFFIXES = {".py", ".js", ".html", ".css"}


def test_readme_model_table_matches_the_bundled_models():
    """Epochs, parameters and MNIST test accuracy in README.md are those stored in engine/weights/*.npz."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "readme_models.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def _source_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    untracked = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return sorted(
        path
        for path in set(listed) | set(untracked)
        if Path(path).suffix in SOURCE_SUFFIXES
        and not path.startswith(("tests/", "static/vendor/", "node_modules/"))
        and Path(path).name != "__init__.py"
        and (ROOT / path).exists()
    )


def test_architecture_names_every_source_file():
    """A newcomer finds any module from docs/ARCHITECTURE.md: each source file is named there by its path."""
    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = [path for path in _source_files() if path not in doc]
    assert not missing, f"docs/ARCHITECTURE.md does not name: {missing}"
