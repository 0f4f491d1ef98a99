"""API messages in French (issue 14.4): numbers written the French way, French spacing, no English cause quoted."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from messages import NBSP, NNBSP

FR = {"Accept-Language": "fr"}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def test_a_large_count_is_grouped_with_narrow_no_break_spaces(client):
    huge = {"preset": "custom", "architecture": [{"type": "conv2d", "filters": 32}, {"type": "dense", "units": 256}]}
    body = client.post("/api/train/validate", json=huge, headers=FR).json()
    message = body["error"]["message"]
    assert re.search(rf"\d{{1,3}}{NNBSP}\d{{3}}{NNBSP}\d{{3}} paramètres", message), message
    assert f"au plus 500{NNBSP}000" in message and f"paramètres{NNBSP};" in message
    english = client.post("/api/train/validate", json=huge).json()["error"]["message"]
    assert re.search(r"\d{1,3},\d{3},\d{3} parameters", english), english


def test_french_errors_have_french_spacing_and_no_english(client):
    body = client.post("/api/convolve", json={"input": [[1, 2], [3, 4]], "kernel": [[1, 1, 1]] * 3}, headers=FR)
    message = body.json()["error"]["message"]
    assert f"remplissage ({NNBSP}" not in message and f"{NBSP}:" in message and "padded" not in message, message
    edited = client.post("/api/worked-example", json={"y": [0.5, 0.6]}, headers=FR).json()
    message = edited["error"]["message"]
    assert "vecteur de probabilités" in message and "must" not in message, message
    assert edited["error"]["detail"] == {"reason": "worked.input.probabilities"}  # the cause, named by its key
    assert message.startswith(f"Entrée invalide pour l'exemple{NBSP}:"), message


def test_the_validation_summary_uses_french_punctuation(client):
    body = client.post("/api/train/validate", json={"preset": "custom"}, headers=FR).json()
    assert "préréglage custom demande une architecture" in body["error"]["message"]
    assert "|" not in body["error"]["message"]
