"""POST /api/forward, /api/backward and /api/gradcheck: every number of one pass, through the API."""

from __future__ import annotations

import numpy as np
import pytest

from engine import backward_trace, forward_trace
from engine.image_input import decode_data_url
from engine.preprocess import preprocess

from .helpers import assert_error


def _served(client, model_id="lenet"):
    return client.app.state.registry.get(model_id).model


def test_forward_trace_layers_and_conventions(client, digit_url):
    body = client.post("/api/forward", json={"image": digit_url}).json()
    assert body["model"] == "lenet" and body["input_shape"] == [1, 28, 28]
    assert np.array(body["input"]).shape == (1, 28, 28)
    names = [layer["name"] for layer in body["layers"]]
    assert names[:3] == ["conv1", "relu1", "pool1"] and names[-1] == "softmax"
    for layer in body["layers"]:
        assert list(np.array(layer["output"]).shape) == layer["output_shape"], layer["name"]
    conv1 = body["layers"][0]
    assert conv1["formula"] and conv1["geometry"]["kernel"] == [5, 5]
    assert conv1["params"]["K"]["shape"] == [8, 1, 5, 5]
    assert np.array(conv1["params"]["K"]["values"]).shape == (8, 1, 5, 5)
    fc1 = next(layer for layer in body["layers"] if layer["name"] == "fc1")
    assert fc1["params"]["W"]["values"] is None  # 48,000 values: fetched by row instead
    assert set(fc1["params"]["W"]["stats"]) == {"min", "max", "mean", "std", "abs_max"}
    pool1 = body["layers"][2]
    assert np.array(pool1["extra"]["argmax"]).shape == (8, 14, 14, 2)
    assert 0 <= body["layers"][1]["extra"]["zero_fraction"] <= 1
    assert len(body["logits"]) == 10 and body["label"] == int(np.argmax(body["probabilities"]))
    # 4 significant digits: short numbers
    assert all(
        len(repr(v).lstrip("-").replace(".", "").lstrip("0").split("e")[0]) <= 4
        for v in np.ravel(conv1["output"]).tolist()
    )


def test_forward_preprocessing_steps(client, digit_url):
    steps = client.post("/api/forward", json={"image": digit_url}).json()["preprocessing"]
    assert [s["name"] for s in steps][-1] == "centered"
    for step in steps:
        image = np.array(step["image"])
        assert image.ndim == 2 and max(image.shape) <= 56 and image.min() >= 0 and image.max() <= 255
        assert step["title_en"] and step["title_fr"]
    cropped = next(s for s in steps if s["name"] == "cropped")
    assert len(cropped["info"]["bbox"]) == 4
    png = client.post("/api/forward", json={"image": digit_url, "step_images": "png"}).json()["preprocessing"]
    assert all(s["image"].startswith("data:image/png;base64,") for s in png)


def test_forward_without_params(client, digit_url):
    body = client.post("/api/forward", json={"image": digit_url, "include_params": False}).json()
    conv1 = body["layers"][0]
    assert conv1["params"]["K"]["values"] is None and conv1["params"]["K"]["shape"] == [8, 1, 5, 5]


def test_forward_matches_the_engine(client, digit_url):
    body = client.post("/api/forward", json={"image": digit_url}).json()
    x = preprocess(decode_data_url(digit_url)).image
    np.testing.assert_allclose(body["input"][0], x, rtol=1e-3, atol=1e-6)
    trace = forward_trace(_served(client), x)
    for ours, theirs in zip(body["layers"], trace["layers"]):
        np.testing.assert_allclose(ours["output"], theirs["output"], rtol=1e-3, atol=1e-6, err_msg=ours["name"])


def test_round_trip_forward_agrees_with_predict_on_mnist(client, mnist_digits):
    images, _ = mnist_digits
    predictions = client.post("/api/predict", json={"images": images.tolist(), "preprocess": False}).json()
    for image, prediction in zip(images, predictions["predictions"]):
        body = client.post("/api/forward", json={"image": image.tolist(), "preprocess": False}).json()
        assert body["preprocessing"] == []
        np.testing.assert_allclose(body["input"][0], image / 255.0, atol=1e-4)
        assert body["label"] == prediction["label"]
        np.testing.assert_allclose(body["probabilities"], prediction["probabilities"], rtol=2e-3, atol=1e-6)
        np.testing.assert_allclose(body["layers"][-1]["output"], body["probabilities"])


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


def test_concurrent_requests_share_the_model_safely(client, mnist_digits):
    """Every request works on its own fork of the served model: answers under concurrency equal sequential ones."""
    from concurrent.futures import ThreadPoolExecutor

    images = [image.tolist() for image in mnist_digits[0][:6]]

    def forward(image):
        return client.post("/api/forward", json={"image": image, "preprocess": False, "include_params": False}).json()[
            "layers"
        ]

    def backward(image):
        return client.post("/api/backward", json={"image": image, "label": 4, "preprocess": False}).json()["loss"]

    expected = [(forward(image), backward(image)) for image in images]
    with ThreadPoolExecutor(max_workers=6) as pool:
        got = list(pool.map(lambda image: (forward(image), backward(image)), images * 2))
    assert got == expected * 2


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
