"""/api/neuron over real HTTP calls (app/api/routes/neuron.py), each number against an independent computation."""

from __future__ import annotations

import numpy as np
import pytest

from .helpers import assert_error

POINTS = [[0.0, 1.0], [2.0, 1.0], [-1.0, -0.5], [1.5, 2.0], [-2.0, 0.3]]
LABELS = [0, 1, 0, 1, 0]


def test_neuron_step_numbers(client):
    body = {"points": POINTS, "labels": LABELS, "W": [0.5, -0.25], "b": 0.1, "learning_rate": 0.7}
    r = client.post("/api/neuron/step", json=body)
    assert r.status_code == 200
    got = r.json()
    X, y = np.array(POINTS), np.array(LABELS, dtype=float)
    z = X @ np.array([0.5, -0.25]) + 0.1
    a = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(got["Z"], z)
    np.testing.assert_allclose(got["A"], a)
    assert got["heaviside"] == (z >= 0).astype(float).tolist()
    assert got["loss"] == pytest.approx(-np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))
    dW = sum((a[i] - y[i]) * X[i] for i in range(5)) / 5
    np.testing.assert_allclose(got["dW"], dW)
    assert got["db"] == pytest.approx(np.mean(a - y))
    np.testing.assert_allclose(got["W_next"], np.array([0.5, -0.25]) - 0.7 * dW)
    assert got["critical_learning_rate"] > 0


def test_neuron_descent_path_and_surface(client):
    body = {"points": POINTS, "labels": LABELS, "W": [-1, 1], "b": 0, "learning_rate": 0.5, "steps": 20}
    got = client.post("/api/neuron/descent", json={**body, "surface_size": 11}).json()
    assert len(got["history"]) == 21 and got["history"][0]["W"] == [-1, 1]
    s = got["surface"]
    assert len(s["loss"]) == 11 and len(s["loss"][0]) == 11
    X, y = np.array(POINTS), np.array(LABELS, dtype=float)
    z = X @ np.array([s["w1"][3], s["w2"][7]]) + s["b"]
    assert s["loss"][7][3] == pytest.approx(np.mean(np.log1p(np.exp(z)) - y * z))
    path = np.array([h["W"] for h in got["history"]])
    assert s["w1"][0] <= path[:, 0].min() and s["w1"][-1] >= path[:, 0].max()


def test_neuron_bad_input_is_a_clear_422(client):
    r = client.post("/api/neuron/step", json={"points": POINTS, "labels": [0, 1], "W": [0, 0]})
    assert_error(r, 422)
    assert_error(client.post("/api/neuron/step", json={"points": POINTS, "labels": [2] * 5, "W": [0, 0]}), 422)
    assert_error(
        client.post("/api/neuron/descent", json={"points": POINTS, "labels": LABELS, "W": [0, 0], "steps": 10**6}), 422
    )


def test_neuron_clouds_are_seeded(client):
    a, b = client.get("/api/neuron/clouds?seed=4").json(), client.get("/api/neuron/clouds?seed=4").json()
    assert a == b and set(a["labels"]) == {0, 1}
    assert client.get("/api/neuron/clouds?seed=5").json() != a


def test_scaling_case_study(client):
    got = client.get("/api/neuron/scaling?steps=5").json()
    assert got["n"] == 784 and got["raw"]["x_max"] == 255 and got["scaled"]["x_max"] <= 1
    assert got["raw"]["overflows"][0] > 0 and max(got["raw"]["z_abs_max"]) > got["exp_overflow_threshold"]
    assert max(got["scaled"]["overflows"]) == 0 and max(got["scaled"]["saturated"]) == 0


def test_chapter_errata(client):
    errata = client.get("/api/neuron/errata").json()["errata"]
    names = {e["name"] for e in errata}
    assert {"∂L/∂A", "Relu.retropropagation", "Dense.retropropagation"} <= names and len(errata) >= 6
    for e in errata:
        assert set(e["document"]) == set(e["computed"]) == set(e["explanation"]) == {"en", "fr"}
