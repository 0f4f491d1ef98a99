"""POST /api/convolve: a kernel sliding over a small input, position by position (app/api/routes/convolve.py)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.oracles import convolution, convolution_multichannel

from .helpers import assert_error


def test_course_1d_example_with_stride_2(client):
    body = client.post(
        "/api/convolve", json={"input": [0, 1, 2, -1, 1, -3, 0], "kernel": [1, 0, -1], "stride": 2}
    ).json()
    assert body["output"] == [-2, 1, 1] and body["output_shape"] == [3]
    assert body["formula"]["height"] is None
    assert body["formula"]["width"] == "(7 − 3 + 2·0)/2 + 1 = 3"
    assert body["note"] is None
    first = body["positions"][0]
    assert first["window"] == [0, 1, 2] and first["products"] == [0, 0, -2] and first["value"] == -2
    assert [p["origin"] for p in body["positions"]] == [[0, 0], [0, 2], [0, 4]]


def test_2d_with_padding_matches_the_course_loops(client):
    x = np.arange(25, dtype=float).reshape(5, 5) - 12
    k = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=float)
    body = client.post(
        "/api/convolve", json={"input": x.tolist(), "kernel": k.tolist(), "padding": 1, "bias": 0.5}
    ).json()
    np.testing.assert_allclose(body["output"], convolution(x, k, 1, 1) + 0.5)
    assert body["formula"]["height"] == "(5 − 3 + 2·1)/1 + 1 = 5"
    assert np.array(body["padded_input"]).shape == (7, 7)
    assert body["total_positions"] == 25 and len(body["positions"]) == 25 and not body["truncated"]
    p = body["positions"][6]  # (1, 1)
    assert p["position"] == [1, 1] and p["sum"] + p["bias"] == pytest.approx(p["value"])
    np.testing.assert_allclose(np.array(p["window"]) * k, p["products"])


def test_rgb_input_sums_the_channels(client):
    rng = np.random.default_rng(0)
    x = rng.integers(-3, 4, size=(3, 4, 4)).astype(float)
    k = rng.integers(-1, 2, size=(3, 2, 2)).astype(float)
    body = client.post("/api/convolve", json={"input": x.tolist(), "kernel": k.tolist(), "bias": 1}).json()
    np.testing.assert_allclose(body["output"], convolution_multichannel(x, k[None], [1.0])[0])
    first = body["positions"][0]
    assert len(first["channel_sums"]) == 3 and sum(first["channel_sums"]) == pytest.approx(first["sum"])
    assert np.array(first["window"]).shape == (3, 2, 2)


def test_uneven_stride_is_explained_not_refused(client):
    body = client.post(
        "/api/convolve", json={"input": np.ones((6, 6)).tolist(), "kernel": np.ones((3, 3)).tolist(), "stride": 2}
    ).json()
    assert body["output_shape"] == [2, 2]
    assert body["formula"]["width"] == "⌊(6 − 3 + 2·0)/2⌋ + 1 = 2"
    assert "the last row" in body["note"] and "the last column" in body["note"]
    fr = client.post(
        "/api/convolve?lang=fr",
        json={"input": np.ones((6, 6)).tolist(), "kernel": np.ones((3, 3)).tolist(), "stride": 2},
    ).json()
    assert "arrondie" in fr["note"]


def test_same_padding_and_pairs(client):
    body = client.post(
        "/api/convolve",
        json={
            "input": np.ones((5, 6)).tolist(),
            "kernel": np.ones((2, 3)).tolist(),
            "stride": [1, 2],
            "padding": "same",
        },
    ).json()
    assert body["output_shape"] == [5, 3]
    assert body["padding"] == [0, 1, 0, 1]
    assert body["formula"]["height"] == "(5 − 2 + 0 + 1)/1 + 1 = 5"


def test_positions_are_bounded_and_selectable(small_client):
    x = np.ones((8, 8)).tolist()
    body = small_client.post("/api/convolve", json={"input": x, "kernel": [[1]]}).json()
    assert body["total_positions"] == 64 and len(body["positions"]) == 4 and body["truncated"]
    body = small_client.post("/api/convolve", json={"input": x, "kernel": [[1]], "positions": [[7, 7], [0, 3]]}).json()
    assert [p["position"] for p in body["positions"]] == [[7, 7], [0, 3]]
    assert_error(
        small_client.post("/api/convolve", json={"input": x, "kernel": [[1]], "positions": [[8, 0]]}),
        422,
        "position_out_of_range",
    )
    assert_error(
        small_client.post("/api/convolve", json={"input": x, "kernel": [[1]], "positions": [[0, 0]] * 7}),
        422,
        "too_many_positions",
    )


@pytest.mark.parametrize(
    "payload,code",
    [
        ({"input": [[1, 2], [3, 4]], "kernel": [[1, 1, 1], [1, 1, 1], [1, 1, 1]]}, "kernel_larger_than_input"),
        ({"input": [1, 2], "kernel": [1, 1, 1], "padding": "valid"}, "kernel_larger_than_input"),
        ({"input": [[1, 2], [3, 4]], "kernel": [[1]], "stride": 0}, "invalid_request"),
        ({"input": [[1, 2], [3, 4]], "kernel": [[1]], "stride": [1, 0]}, "invalid_request"),
        ({"input": [[1, 2], [3, 4]], "kernel": [[1]], "padding": -1}, "invalid_request"),
        ({"input": [[1, 2], [3, 4]], "kernel": [[1]], "padding": "full"}, "invalid_request"),
        ({"input": [[1, 2], [3]], "kernel": [[1]]}, "ragged_array"),
        ({"input": [[1, 2], [3, 4]], "kernel": [1]}, "shape_mismatch"),
        ({"input": [[[1, 2]], [[3, 4]]], "kernel": [[[1]]]}, "shape_mismatch"),
        ({"input": [[[1]]] * 5, "kernel": [[[1]]] * 5}, "too_many_channels"),
        ({"input": [1, 2, 3], "kernel": [1], "stride": [1, 2]}, "invalid_stride"),
        ({"input": [], "kernel": [1]}, "invalid_request"),
        ({"input": [[]], "kernel": [[1]]}, "invalid_request"),
        ({"input": [[1]], "kernel": [[1]], "positions": [[0, False]]}, "invalid_request"),
        ({"input": [[True]], "kernel": [[1]]}, "invalid_request"),
        ({"input": [[1, 2], [3, 4]], "kernel": [[1]], "bias": 1e9}, "invalid_request"),
        ({"input": [[1, 2], [3, 4]]}, "invalid_request"),
    ],
)
def test_convolve_bad_requests(client, payload, code):
    assert_error(client.post("/api/convolve", json=payload), 422, code)


def test_limits_from_settings(small_client):
    assert_error(
        small_client.post("/api/convolve", json={"input": np.ones((9, 9)).tolist(), "kernel": [[1]]}),
        422,
        "input_too_large",
    )
    assert_error(
        small_client.post(
            "/api/convolve", json={"input": np.ones((8, 8)).tolist(), "kernel": np.ones((6, 6)).tolist()}
        ),
        422,
        "kernel_too_large",
    )
    assert_error(
        small_client.post("/api/convolve", json={"input": np.ones((8, 8)).tolist(), "kernel": [[1]], "padding": 6}),
        422,
        "padding_too_large",
    )
