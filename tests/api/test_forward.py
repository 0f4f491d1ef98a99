"""POST /api/forward: every number of one forward pass, layer by layer (app/api/routes/forward.py)."""

from __future__ import annotations

import numpy as np

from engine import forward_trace
from engine.image_input import decode_data_url
from engine.preprocess import preprocess


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
