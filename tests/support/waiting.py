"""Waiting in tests for something that happens in another thread or process: poll, never sleep a fixed time.

A timeout here is not a speed assertion: it only keeps a broken test from hanging (or, where an issue promises a
deadline — "within 60 s" — it is that promise)."""

from __future__ import annotations

import time

TERMINAL = ("finished", "failed", "cancelled")  # a training job's final states


def wait_for(condition, timeout: float = 120.0, what: str = "condition"):
    """Poll until condition() is truthy (returns it); fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def finished(client, job_id: str, timeout: float = 120.0) -> dict:
    """The status of training job ``job_id`` once it has ended (finished, failed or cancelled), through ``client``
    (a TestClient or an httpx.Client)."""

    def done():
        status = client.get(f"/api/train/{job_id}").json()
        return status if status["state"] in TERMINAL else None

    return wait_for(done, timeout, f"job {job_id} to end")
