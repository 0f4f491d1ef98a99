"""GET/POST /api/worked-example: the course's hand-worked example through the API."""

from __future__ import annotations

import pytest

from .helpers import assert_error


def _step(body, step_id):
    return next(s for s in body["steps"] if s["id"] == step_id)


def test_the_documents_numbers_and_the_computed_ones(client):
    body = client.get("/api/worked-example").json()
    assert body["uses_document_inputs"] is True
    assert body["inputs"]["X"] == [[1, 0, 3], [2, 5, 1], [4, 0, 2]]
    loss = _step(body, "loss")
    # full precision: −ln(0.33181) = 1.10319 with the natural log; the document prints 0.48 (log base 10)
    assert loss["values"]["loss"] == pytest.approx(1.103186, abs=1e-6)
    assert loss["document"]["L"] == 0.48
    assert loss["mismatches"] and "log" in loss["mismatches"][0]["explanation"]["en"]
    assert loss["title"]["fr"] and loss["explanation"]["fr"]
    assert _step(body, "dense")["values"]["z"] == pytest.approx([3.8, 3.1])
    assert body["errata"], "the document's slips are listed"


def test_edited_inputs_are_recomputed(client):
    body = client.post("/api/worked-example", json={"W": [[1, 0], [0, 1]], "b": [0, 0], "y": 0, "eta": 0.1}).json()
    assert body["uses_document_inputs"] is False and body["errata"] == []
    # x = [10, 8] (the max-pooled maps), z = W·x + b = x
    assert _step(body, "dense")["values"]["z"] == pytest.approx([10, 8])
    assert body["inputs"]["y"] == [1, 0] and body["inputs"]["eta"] == 0.1
    assert client.post("/api/worked-example", json={}).json()["uses_document_inputs"] is True


@pytest.mark.parametrize(
    "payload",
    [
        {"X": [[1, 2], [3, 4]]},
        {"f1": [[1, 0, 0], [2, -1, 0]]},
        {"y": 2},
        {"y": [0.5, 0.6]},
        {"eta": 0},
        {"b": [1, "x"]},
        {"W": [[1e300, 0], [0, 1]]},
        {"unknown": 1},
    ],
)
def test_bad_inputs(client, payload):
    response = client.post("/api/worked-example", json=payload)
    assert_error(response, 422)


def test_forward_of_the_worked_example_model_gives_the_courses_maps(client):
    """The same network as a served model: O1 and O2 are the document's feature maps."""
    body = client.post(
        "/api/forward",
        json={"image": [[1, 0, 3], [2, 5, 1], [4, 0, 2]], "model": "worked-example", "preprocess": False},
    ).json()
    conv = body["layers"][0]
    assert conv["output"] == [[[0, 9], [10, 3]], [[4, 7], [8, -1]]]
    assert body["layers"][1]["output"] == [[[0, 9], [10, 3]], [[4, 7], [8, 0]]]  # ReLU
    assert body["logits"] == pytest.approx([3.8, 3.1])
