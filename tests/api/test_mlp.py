"""/api/mlp over real HTTP calls (app/api/routes/mlp.py), each number against an independent computation."""

from __future__ import annotations

import numpy as np
import pytest

from .helpers import assert_error

POINTS = [[0.0, 1.0], [2.0, 1.0], [-1.0, -0.5], [1.5, 2.0], [-2.0, 0.3]]
LABELS = [0, 1, 0, 1, 0]


def test_mlp_train_xor(client):
    got = client.post(
        "/api/mlp/train", json={"dataset": "xor", "hidden": [4], "epochs": 1500, "learning_rate": 2}
    ).json()
    assert got["accuracy"] == 1.0 and got["single_neuron"]["accuracy"] <= 0.75
    assert len(got["units"]) == 4 and got["dimensions"] == [2, 4, 1]
    prob = np.array(got["grid"]["prob"])
    assert prob.shape == (41, 41) and prob.min() < 0.1 and prob.max() > 0.9
    assert got["history"][0]["loss"] > got["history"][-1]["loss"]


def test_mlp_step_is_the_recurrence(client):
    params = client.post(
        "/api/mlp/train", json={"dataset": "xor", "n": 4, "noise": 0, "hidden": [3], "epochs": 0}
    ).json()["params"]
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float).T
    y = np.array([[0, 1, 1, 0]], dtype=float)
    got = client.post(
        "/api/mlp/step", json={"points": X.T.tolist(), "labels": [0, 1, 1, 0], "params": params, "learning_rate": 1}
    ).json()
    W1, b1 = np.array(params[0]["W"]), np.array(params[0]["b"])[:, None]
    W2, b2 = np.array(params[1]["W"]), np.array(params[1]["b"])[:, None]
    A1 = 1 / (1 + np.exp(-(W1 @ X + b1)))
    A2 = 1 / (1 + np.exp(-(W2 @ A1 + b2)))
    dZ2 = A2 - y
    dZ1 = (W2.T @ dZ2) * A1 * (1 - A1)
    h1, h2 = got["layers"]
    np.testing.assert_allclose(h2["dZ"], dZ2)
    np.testing.assert_allclose(h1["dZ"], dZ1)
    np.testing.assert_allclose(h1["dW"], dZ1 @ X.T / 4)
    np.testing.assert_allclose(h2["dW"], dZ2 @ A1.T / 4)
    np.testing.assert_allclose(h1["db"], dZ1.mean(axis=1))
    assert got["loss_next"] < got["loss"]


def test_mlp_step_refuses_bad_shapes(client):
    bad = [{"W": [[1, 2], [3, 4]], "b": [0, 0]}, {"W": [[1, 2, 3]], "b": [0]}]
    r = client.post("/api/mlp/step", json={"points": [[0, 0]], "labels": [0], "params": bad})
    assert_error(r, 422)


def test_mlp_step_takes_many_steps_first(client):
    params = client.post(
        "/api/mlp/train", json={"dataset": "xor", "n": 4, "noise": 0, "hidden": [2], "epochs": 0, "seed": 1}
    ).json()["params"]
    xor = {"points": [[0, 0], [0, 1], [1, 0], [1, 1]], "labels": [0, 1, 1, 0], "learning_rate": 2}
    one = client.post("/api/mlp/step", json={**xor, "params": params}).json()
    # walking 3 single steps by hand lands where steps=3 starts its last step
    p = params
    for _ in range(2):
        p = client.post("/api/mlp/step", json={**xor, "params": p}).json()["params_next"]
    three = client.post("/api/mlp/step", json={**xor, "params": params, "steps": 3}).json()
    np.testing.assert_allclose(np.array(three["params"][0]["W"]), np.array(p[0]["W"]), rtol=1e-12)
    assert three["loss"] < one["loss"]


def test_the_course_mlp_is_served_and_trainable(client):
    models = {m["id"]: m for m in client.get("/api/models").json()["models"]}
    assert "mlp" in models
    summary = client.get("/api/models/mlp").json()
    kinds = [layer["type"] for layer in summary["layers"]]
    assert "conv2d" not in kinds and kinds.count("sigmoid") == 3
    r = client.post("/api/train/validate", json={"preset": "mlp"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["architecture"]["param_count"] == 784 * 16 + 16 + 16 * 16 + 16 + 16 * 16 + 16 + 16 * 10 + 10


@pytest.mark.parametrize(
    ("url", "body", "en", "fr"),
    [
        (
            "/api/neuron/step",
            {"points": [[0, 1], [1, 1]], "labels": [0], "W": [0, 0]},
            "points and labels must have the same length (2 ≠ 1)",
            "points et labels doivent avoir la même longueur (2 ≠ 1)",
        ),
        (
            "/api/mlp/step",
            {"points": [[0, 1]], "labels": [0], "params": [{"W": [[1, 2]], "b": [0, 1]}]},
            "layer 1: W must be 1×2 and b of length 1",
            "couche 1\u00a0: W doit être 1×2 et b de longueur 1",
        ),
        (
            "/api/mlp/step",
            {"points": [[0, 1]], "labels": [0], "params": [{"W": [[1, 2], [1, 1]], "b": [0, 1]}]},
            "the last layer must have one unit",
            "la dernière couche doit avoir une unité",
        ),
    ],
)
def test_inconsistent_shapes_are_explained_in_each_language(client, url, body, en, fr):
    for lang, sentence in (("en", en), ("fr", fr)):
        response = client.post(f"{url}?lang={lang}", json=body)
        assert response.status_code == 422 and sentence in response.json()["error"]["message"]
