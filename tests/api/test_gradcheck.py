"""POST /api/gradcheck: backpropagation checked against central differences (app/api/routes/gradcheck.py)."""

from __future__ import annotations

import pytest

from .helpers import assert_error


def test_gradcheck(client, digit_url):
    # a wrong label: the bundled model is so sure of the 7 that the true label's gradients (~1e-8) sit near the
    # float64 round-off of central differences; a wrong label's gradients are O(1)
    body = client.post(
        "/api/gradcheck", json={"image": digit_url, "label": 3, "layer": "conv1", "param": "K", "count": 4}
    ).json()
    assert body["shape"] == [8, 1, 5, 5] and len(body["checks"]) == 4
    assert body["max_relative_error"] < 1e-4
    for check in body["checks"]:
        assert check["analytic"] == pytest.approx(check["numerical"], rel=1e-4, abs=1e-9)
    chosen = client.post(
        "/api/gradcheck", json={"image": digit_url, "label": 7, "layer": "fc3", "param": "b", "indices": [[7], [0]]}
    ).json()
    assert [c["index"] for c in chosen["checks"]] == [[7], [0]]
    # for the bias of the last layer dL/db = ŷ − y: negative for the true class
    assert chosen["checks"][0]["analytic"] < 0 < chosen["checks"][1]["analytic"]


@pytest.mark.parametrize(
    "payload,status,code",
    [
        ({"layer": "nope"}, 404, "unknown_layer"),
        ({"layer": "relu1", "param": "K"}, 404, "unknown_param"),
        ({"layer": "conv1", "indices": [[0, 0, 9, 9]]}, 422, "index_out_of_range"),
        ({"layer": "conv1", "indices": [[0, 0]]}, 422, "index_out_of_range"),
        ({"layer": "conv1", "count": 21}, 422, "invalid_request"),
        ({"layer": "conv1", "eps": 0}, 422, "invalid_request"),
    ],
)
def test_gradcheck_bad_requests(client, digit_url, payload, status, code):
    assert_error(client.post("/api/gradcheck", json={"image": digit_url, "label": 1, **payload}), status, code)
