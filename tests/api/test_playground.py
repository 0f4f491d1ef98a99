"""GET /api/samples and GET /api/activations."""

from __future__ import annotations

import numpy as np
import pytest

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


@pytest.mark.parametrize(
    "kind,x,y,dy",
    [
        ("relu", [-1, 0, 2], [0, 0, 2], [0, 0, 1]),
        ("leaky_relu", [-1, 2], [-0.1, 2], [0.1, 1]),
        ("sigmoid", [0], [0.5], [0.25]),
        ("tanh", [0], [0], [1]),
    ],
)
def test_activation_values_and_derivatives(client, kind, x, y, dy):
    body = client.get(f"/api/activations?kind={kind}&x_min=-5&x_max=5&points=11").json()
    grid = dict(zip(body["x"], zip(body["y"], body["derivative"])))
    for xi, yi, di in zip(x, y, dy):
        assert grid[xi] == pytest.approx((yi, di), abs=1e-4)
    assert body["formula"]


def test_activation_alpha_and_heaviside(client):
    body = client.get("/api/activations?kind=leaky_relu&alpha=0.3&x_min=-1&x_max=1&points=3").json()
    assert body["alpha"] == 0.3 and body["y"][0] == pytest.approx(-0.3)
    step = client.get("/api/activations?kind=heaviside&points=5").json()
    assert step["derivative"] is None and step["y"] == [0, 0, 1, 1, 1]
    assert client.get("/api/activations?kind=relu&alpha=0.5").json()["alpha"] is None


@pytest.mark.parametrize(
    "query", ["kind=softplus", "points=1", "points=100000", "x_min=3&x_max=1", "alpha=-1", "x_min=nan", "alpha=inf"]
)
def test_activation_bad_queries(client, query):
    assert_error(client.get(f"/api/activations?{query}"), 422)
