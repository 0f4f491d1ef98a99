"""GET /api/health (app/api/routes/health.py)."""

from __future__ import annotations


def test_health(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["default_model"] == "lenet"
    assert body["models"] >= 3
