"""POST /api/backward: the gradients of every layer for a chosen label, and the SGD preview (app/api/routes/backward.py)."""

from __future__ import annotations

import numpy as np
import pytest

from engine import backward_trace

from .helpers import assert_error


def _served(client, model_id="lenet"):
    return client.app.state.registry.get(model_id).model


def test_backward_gradients_and_sgd_preview(client, digit_url):
    # "what if it were a 3?": a label the (trained) model does not already give ~100 %, so it has room to rise
    label = 3
    body = client.post(
        "/api/backward", json={"image": digit_url, "label": label, "learning_rate": 0.05, "steps": 3}
    ).json()
    probs = np.array(body["probabilities"])
    assert body["label"] == label and body["target"][label] == 1 and sum(body["target"]) == 1
    # probabilities travel rounded to 4 significant digits: a confident 0.999998 arrives as 1.0
    assert body["loss"] == pytest.approx(-np.log(probs[label]), rel=1e-3, abs=1e-4)
    np.testing.assert_allclose(body["dL_dz"], probs - np.eye(10)[label], atol=2e-4)
    layers = {layer["name"]: layer for layer in body["layers"]}
    assert layers["conv1"]["grads"]["K"]["shape"] == [8, 1, 5, 5]
    assert np.array(layers["conv1"]["grad_output"]).shape == (8, 28, 28)
    assert np.array(layers["conv1"]["grad_input"]).shape == (1, 28, 28)
    assert np.array(body["grad_image"]).shape == (1, 28, 28)
    sgd = body["sgd_step"]
    assert sgd["steps"] == 3 and [h["step"] for h in sgd["history"]] == [1, 2, 3]
    # gradient descent on this one image makes its true class more likely
    assert sgd["history"][-1]["probability"] > sgd["probabilities_before"][label]
    assert sgd["loss_after"] < sgd["loss_before"]
    K_after = np.array(sgd["params_after"]["conv1"]["K"]["values"])
    K_delta = np.array(sgd["deltas"]["conv1"]["K"]["values"])
    K_before = np.array(client.get("/api/models/lenet/params/conv1/K").json()["values"])
    np.testing.assert_allclose(K_before + K_delta, K_after, atol=2e-3)


def test_backward_one_step_matches_the_engine(client, mnist_digits):
    image = mnist_digits[0][0]
    body = client.post("/api/backward", json={"image": image.tolist(), "label": 3, "preprocess": False}).json()
    trace = backward_trace(_served(client), (image / 255.0).astype(np.float32)[None], 3)
    assert body["loss"] == pytest.approx(trace["loss"], rel=1e-3)
    for ours, theirs in zip(body["layers"], trace["layers"]):
        for name, grad in theirs["grads"].items():
            if ours["grads"][name]["values"] is not None:
                np.testing.assert_allclose(ours["grads"][name]["values"], grad, rtol=1e-3, atol=1e-7)


def test_served_model_is_unchanged_by_backward(client, digit_url):
    model = _served(client)
    before = {f"{layer.name}.{p}": v.copy() for layer, p, v in model.parameters()}
    body = client.post("/api/backward", json={"image": digit_url, "label": 2, "learning_rate": 1.0, "steps": 5}).json()
    assert any(abs(d["stats"]["abs_max"]) > 0 for layer in body["sgd_step"]["deltas"].values() for d in layer.values())
    after = {f"{layer.name}.{p}": v for layer, p, v in model.parameters()}
    for name in before:
        np.testing.assert_array_equal(before[name], after[name], err_msg=name)
    again = client.post("/api/backward", json={"image": digit_url, "label": 2, "learning_rate": 1.0, "steps": 5})
    assert again.json()["loss"] == body["loss"]


@pytest.mark.parametrize(
    "payload,code",
    [
        ({"label": 10}, "invalid_request"),
        ({"label": -1}, "invalid_request"),
        ({"label": 3.5}, "invalid_request"),
        ({}, "invalid_request"),
        ({"label": 1, "steps": 0}, "invalid_request"),
        ({"label": 1, "steps": 51}, "invalid_request"),
        ({"label": 1, "learning_rate": 0}, "invalid_request"),
        ({"label": 1, "learning_rate": -0.1}, "invalid_request"),
        ({"label": 1, "model": "nope"}, "unknown_model"),
    ],
)
def test_backward_bad_requests(client, digit_url, payload, code):
    status = 404 if code == "unknown_model" else 422
    assert_error(client.post("/api/backward", json={"image": digit_url, **payload}), status, code)


def test_label_beyond_the_models_classes(client):
    x = [[1, 0, 3], [2, 5, 1], [4, 0, 2]]
    assert_error(
        client.post("/api/backward", json={"image": x, "label": 2, "model": "worked-example", "preprocess": False}),
        422,
        "invalid_label",
    )


def test_worked_example_model_backward_gives_the_course_loss(client):
    """The course's network on the course's input: the loss is −ln(0.3318) = 1.1032 (the document prints 0.48)."""
    body = client.post(
        "/api/backward",
        json={"image": [[1, 0, 3], [2, 5, 1], [4, 0, 2]], "label": 1, "model": "worked-example", "preprocess": False},
    ).json()
    assert body["loss"] == pytest.approx(1.1032, abs=5e-4)  # 4 significant digits
    fc = next(layer for layer in body["layers"] if layer["name"] == "fc")
    np.testing.assert_allclose(fc["grads"]["W"]["values"], [[6.682, 5.345], [-6.682, -5.345]], atol=2e-3)


def test_backward_of_a_confident_digit_has_right_digits(client, mnist_digits):
    """Issue 14.7 through the API: for a digit the model is sure of (the lab's default label, the predicted one),
    the loss and ŷ_t − 1 shown (4 significant digits) are those of an independent float64 computation."""
    import math

    model = _served(client)
    images = mnist_digits[0][:50]
    probs = model.predict_proba((images / 255.0).astype(np.float32)[:, None])
    k = int(np.argmax(probs.max(axis=1)))
    image, label = images[k], int(probs[k].argmax())
    body = client.post("/api/backward", json={"image": image.tolist(), "label": label, "preprocess": False}).json()
    # float64 reference: logits from the float64 copy of the weights, logsumexp with math.fsum
    m64 = model.astype(np.float64).eval()
    z = m64.logits((image / 255.0).astype(np.float64)[None, None])[0]
    lse = z.max() + math.log(math.fsum(math.exp(v - z.max()) for v in z))
    others = math.fsum(math.exp(v - lse) for j, v in enumerate(z) if j != label)
    assert others < 1e-5  # confident
    assert body["loss"] == pytest.approx(lse - z[label], rel=2e-3)
    assert body["dL_dz"][label] == pytest.approx(-others, rel=2e-3)
