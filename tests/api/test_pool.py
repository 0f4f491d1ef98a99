"""POST /api/pool: max, average and sum pooling, window by window (app/api/routes/pool.py)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.oracles import pooling

from .helpers import assert_error


def test_max_pool_with_argmax(client):
    x = [[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 0], [1, 2, 2, 4]]
    body = client.post("/api/pool", json={"input": x, "mode": "max", "size": 2}).json()
    assert body["output"] == [[6, 5], [3, 4]] and body["stride"] == [2, 2]
    assert body["argmax"] == [[[1, 1], [1, 2]], [[2, 0], [3, 3]]]
    assert body["formula"]["height"] == "(4 − 2 + 2·0)/2 + 1 = 2"
    first = body["positions"][0]
    assert first["window"] == [[1, 3], [4, 6]] and first["value"] == 6 and first["argmax"] == [1, 1]


@pytest.mark.parametrize("mode", ["max", "avg", "sum"])
def test_pool_modes_match_the_course_loops(client, mode):
    x = np.random.default_rng(1).normal(size=(7, 7)).round(2)
    body = client.post("/api/pool", json={"input": x.tolist(), "mode": mode, "size": 3, "stride": 2}).json()
    np.testing.assert_allclose(body["output"], pooling(x, 3, 2, mode), rtol=1e-3)
    assert (body["argmax"] is None) == (mode != "max")


def test_pool_1d_and_3d(client):
    body = client.post("/api/pool", json={"input": [1, 5, 2, 0, 3], "size": 2}).json()
    assert body["output"] == [5, 2] and body["argmax"] == [1, 2]
    assert "the last column" in body["note"]
    body = client.post("/api/pool", json={"input": [[[1, 2], [3, 4]], [[8, 7], [6, 5]]], "size": 2}).json()
    assert body["output"] == [[[4]], [[8]]] and body["argmax"] == [[[[1, 1]]], [[[0, 0]]]]
    assert body["positions"][0]["value"] == [4, 8]


@pytest.mark.parametrize(
    "payload",
    [
        {"input": [[1, 2], [3, 4]], "size": 3},
        {"input": [[1, 2], [3, 4]], "size": 0},
        {"input": [[1, 2], [3, 4]], "stride": 0},
        {"input": [[1, 2], [3, 4]], "mode": "median"},
        {"input": [[1, 2], [3, float("nan")]]},
    ],
)
def test_pool_bad_requests(client, payload):
    import json

    response = client.post("/api/pool", content=json.dumps(payload), headers={"Content-Type": "application/json"})
    assert_error(response, 422)


def test_convolve_and_pool_answer_exact_float64_values(client):
    """A student who computes 12.345678 by hand must read 12.345678 (no 4-significant-digit rounding)."""
    x = [[12.345678, 0.000123456, 1.0], [2.5, -3.14159265, 7.0], [0.1, 0.2, 0.3]]
    body = client.post("/api/convolve", json={"input": x, "kernel": [[1.0]], "bias": 0.0}).json()
    assert body["output"][0][0] == 12.345678 and body["output"][1][1] == -3.14159265
    assert body["positions"][0]["value"] == 12.345678 and body["positions"][0]["window"] == [[12.345678]]
    assert body["output"][0][1] == 0.000123456
    body = client.post("/api/convolve", json={"input": x, "kernel": [[1.0, 1.0], [1.0, 1.0]], "bias": 0.001}).json()
    expected = np.array([[np.sum(np.array(x)[i : i + 2, j : j + 2]) + 0.001 for j in range(2)] for i in range(2)])
    assert body["output"] == expected.tolist()  # bit for bit: float64 sums, not rounded
    pooled = client.post("/api/pool", json={"input": x, "size": 1, "mode": "max"}).json()
    assert pooled["output"][0][0] == 12.345678 and pooled["positions"][0]["value"] == 12.345678
