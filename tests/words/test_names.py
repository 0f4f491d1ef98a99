"""Names that do not mislead (issue 14.5): the `lenet` preset is LeNet-style, and every place that names it says
how it differs from LeNet-5 (6 maps, average pooling, tanh/sigmoid)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from engine.presets import PRESETS

ROOT = Path(__file__).resolve().parents[2]


def _says_lenet_style(text: str) -> bool:
    return "LeNet-style" in text and "LeNet-5" in text and "6" in text and "average pooling" in text


def test_the_preset_and_the_api_say_lenet_style():
    assert _says_lenet_style(PRESETS["lenet"][2])
    with TestClient(create_app()) as client:
        lenet = next(m for m in client.get("/api/models").json()["models"] if m["id"] == "lenet")
        assert _says_lenet_style(lenet["description"])
        schema = json.dumps(client.get("/openapi.json").json())
        assert "LeNet-style CNN" in schema and "LeNet-5 itself has 6 maps" in schema


def test_the_readme_says_lenet_style():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "LeNet-*style*, not LeNet-5" in readme and "average pooling" in readme


@pytest.mark.skipif(shutil.which("node") is None, reason="node reads the browser's dictionaries")
@pytest.mark.parametrize(("lang", "style", "five"), [("en", "LeNet-style", "LeNet-5"), ("fr", "type LeNet", "LeNet-5")])
def test_the_pages_name_it_lenet_style(lang, style, five):
    script = (
        f"import d from '{(ROOT / 'static/js/i18n' / f'{lang}.js').as_posix()}';"
        f"import tr from '{(ROOT / 'static/js/i18n' / f'train.{lang}.js').as_posix()}';"
        "console.log(JSON.stringify({...d, ...tr}))"
    )
    words = json.loads(
        subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True).stdout
    )
    assert style in words["model.name.lenet"] and five in words["model.note.lenet"]
    assert style.lower() in words["train.preset.lenet"].lower() and five in words["train.preset.lenet_hint"]
