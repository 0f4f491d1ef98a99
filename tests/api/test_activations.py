"""GET /api/activations: the course's activation functions and their derivatives on a grid (app/api/routes/activations.py)."""

from __future__ import annotations

import pytest

from .helpers import assert_error


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
