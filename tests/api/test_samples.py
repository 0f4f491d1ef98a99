"""GET /api/samples: the bundled held-out MNIST digits (app/api/routes/samples.py)."""

from __future__ import annotations

import numpy as np

from .helpers import assert_error


def test_samples_as_arrays_and_pngs(client):
    body = client.get("/api/samples").json()
    samples = body["samples"]
    assert len(samples) >= 10 and {s["label"] for s in samples} == set(range(10))
    image = np.array(samples[0]["image"])
    assert image.shape == (28, 28) and 0 <= image.min() and image.max() <= 255 and image.max() > 100
    sevens = client.get("/api/samples?label=7&format=png").json()["samples"]
    assert sevens and all(s["label"] == 7 and s["image"].startswith("data:image/png;base64,") for s in sevens)
    assert_error(client.get("/api/samples?label=10"), 422)


def test_a_sample_can_be_sent_back(client):
    sample = client.get("/api/samples?label=3").json()["samples"][0]
    body = client.post("/api/predict", json={"image": sample["image"], "preprocess": False}).json()
    assert len(body["predictions"][0]["probabilities"]) == 10
