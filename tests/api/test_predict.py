"""POST /api/predict, and every way an image can be bad."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from .helpers import assert_error, bomb_png, data_url, drawn_digit, make_client, png_bytes


def _check_prediction(prediction: dict) -> None:
    probs = prediction["probabilities"]
    assert len(probs) == 10 and all(0 <= p <= 1 for p in probs)
    assert abs(sum(probs) - 1) < 2e-3
    assert prediction["label"] == int(np.argmax(probs))


def test_predict_data_url(client, digit_url):
    body = client.post("/api/predict", json={"image": digit_url}).json()
    assert body["model"] == "lenet" and len(body["predictions"]) == 1
    _check_prediction(body["predictions"][0])


def test_bare_base64_jpeg_and_arrays_give_answers(client):
    drawing = drawn_digit()
    bare = base64.b64encode(png_bytes(drawing)).decode()
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(drawing).convert("RGB").save(buf, format="JPEG", quality=90)
    small = drawing[::10, ::10]  # 28×28, dark ink on white
    images = [bare, data_url(buf.getvalue(), "image/jpeg"), small.tolist(), (small / 255.0).tolist()]
    body = client.post("/api/predict", json={"images": images}).json()
    assert len(body["predictions"]) == 4
    for prediction in body["predictions"]:
        _check_prediction(prediction)
    # the same drawing as 0–255 and 0–1 arrays is the same input
    assert body["predictions"][2] == body["predictions"][3]


def test_light_on_dark_and_dark_on_light_drawings_agree(client):
    dark_on_light = data_url(png_bytes(drawn_digit(background=255)))
    light_on_dark = data_url(png_bytes(drawn_digit(background=0)))
    a, b = client.post("/api/predict", json={"images": [dark_on_light, light_on_dark]}).json()["predictions"]
    np.testing.assert_allclose(a["probabilities"], b["probabilities"], atol=0.02)


def test_other_models(client, digit_url):
    assert client.post("/api/predict", json={"image": digit_url, "model": "seed"}).json()["model"] == "seed"
    body = client.post(
        "/api/predict",
        json={"image": [[1, 0, 3], [2, 5, 1], [4, 0, 2]], "model": "worked-example", "preprocess": False},
    ).json()
    np.testing.assert_allclose(body["predictions"][0]["probabilities"], [0.6682, 0.3318], atol=1e-4)


def test_preprocess_false_needs_the_model_size(client):
    assert_error(
        client.post("/api/predict", json={"image": np.zeros((20, 20)).tolist(), "preprocess": False}),
        422,
        "wrong_shape",
    )
    assert_error(
        client.post("/api/predict", json={"image": [[1, 2], [3, 4]], "model": "worked-example"}),
        422,
        "preprocess_unsupported",
    )
    assert_error(
        client.post("/api/predict", json={"image": np.full((28, 28), 300).tolist(), "preprocess": False}),
        422,
        "out_of_range",
    )


def test_blank_drawing_says_draw_a_digit_first(client):
    blank = data_url(png_bytes(np.full((280, 280), 255)))
    error = assert_error(client.post("/api/predict", json={"image": blank}), 422, "blank_image")
    assert "draw a digit first" in error["message"]
    french = {"Accept-Language": "fr-FR,fr;q=0.9"}
    error = assert_error(client.post("/api/predict", json={"image": blank}, headers=french), 422, "blank_image")
    assert "dessinez d'abord un chiffre" in error["message"]
    assert_error(client.post("/api/predict", json={"image": np.zeros((28, 28)).tolist()}), 422, "blank_image")


@pytest.mark.parametrize(
    "image",
    [
        "hello, world",
        "data:text/plain;base64,aGVsbG8=",
        "data:image/png;base64,!!!notbase64!!!",
        base64.b64encode(b"GIF89a but not really an image").decode(),
        "   ",
    ],
)
def test_not_an_image(client, image):
    assert_error(client.post("/api/predict", json={"image": image}), 422, "invalid_image")


def test_truncated_png(client):
    good = png_bytes(drawn_digit())
    error = assert_error(
        client.post("/api/predict", json={"image": data_url(good[: len(good) // 2])}), 422, "invalid_image"
    )
    assert "PNG" in error["message"]


def test_decompression_bomb(client):
    error = assert_error(client.post("/api/predict", json={"image": data_url(bomb_png())}), 413, "image_too_large")
    assert "too large" in error["message"] and "900000000" in error["detail"]["reason"]


def test_image_over_the_pixel_limit(small_client):
    big = data_url(png_bytes(drawn_digit(size=120)))  # 14,400 pixels > 10,000
    assert_error(small_client.post("/api/predict", json={"image": big}), 413, "image_too_large")
    small = data_url(png_bytes(drawn_digit(size=90)))
    assert small_client.post("/api/predict", json={"image": small}).status_code == 200


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_nan_and_infinity_are_refused(client, literal):
    rows = [[0] * 28 for _ in range(28)]
    text = json.dumps({"image": rows, "preprocess": False}).replace("0", literal, 1)
    assert literal in text
    error = assert_error(
        client.post("/api/predict", content=text, headers={"Content-Type": "application/json"}), 422, "invalid_request"
    )
    assert "NaN" in error["message"] or "infini" in error["message"].lower()


def test_ragged_array(client):
    rows = [[0.0] * 28 for _ in range(28)]
    rows[5] = [0.0] * 27
    error = assert_error(client.post("/api/predict", json={"image": rows}), 422, "ragged_array")
    assert "same length" in error["message"]


@pytest.mark.parametrize(
    "payload",
    [
        {"image": [[[0.5]]]},  # 3-D
        {"image": {"a": 1}},
        {"image": [["a", "b"]]},
        {"images": []},
        {},
        {"image": "x", "images": ["x"]},
        {"image": "x", "colour": "red"},
        {"image": "x", "preprocess": "maybe"},
        {"image": ""},
        {"image": []},
        {"image": [[]]},
        {"image": None},
        {"image": [[True, False]]},
    ],
)
def test_wrong_shapes_and_fields(client, payload):
    assert_error(client.post("/api/predict", json=payload), 422, "invalid_request")


def test_unknown_and_path_like_model(client, digit_url):
    error = assert_error(
        client.post("/api/predict", json={"image": digit_url, "model": "resnet"}), 404, "unknown_model"
    )
    assert "lenet" in error["message"]
    for model in ["../../etc/passwd", "/tmp/x.npz", "lenet.npz", "C:\\models\\x"]:
        assert_error(client.post("/api/predict", json={"image": digit_url, "model": model}), 422, "invalid_request")


def test_too_many_images(client, digit_url):
    tiny = data_url(png_bytes(drawn_digit(size=28)))
    error = assert_error(client.post("/api/predict", json={"images": [tiny] * 257}), 422, "too_many_images")
    assert "256" in error["message"]
    assert len(client.post("/api/predict", json={"images": [tiny] * 256}).json()["predictions"]) == 256


def test_bad_image_in_a_batch_is_named(client, digit_url):
    error = assert_error(client.post("/api/predict", json={"images": [digit_url, "garbage"]}), 422, "invalid_image")
    assert error["detail"]["index"] == 1 and "Image 1" in error["message"]


def test_body_over_the_limit_declared(small_client):
    error = assert_error(small_client.post("/api/predict", json={"image": "A" * 5000}), 413, "body_too_large")
    assert error["detail"]["limit_bytes"] == 4096


def test_body_over_the_limit_streamed(small_client):
    """No Content-Length (chunked upload): the bytes are counted as they arrive."""

    def chunks():
        yield b'{"image": "'
        for _ in range(10):
            yield b"A" * 1000
        yield b'"}'

    response = small_client.post("/api/predict", content=chunks(), headers={"Content-Type": "application/json"})
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert_error(response, 413, "body_too_large")


def test_not_json(client):
    assert_error(
        client.post("/api/predict", content=b"{not json", headers={"Content-Type": "application/json"}),
        422,
        "invalid_request",
    )
    assert client.post(
        "/api/predict", content=b"image=x", headers={"Content-Type": "application/x-www-form-urlencoded"}
    ).status_code in (415, 422)


def test_deeply_nested_json_is_a_clean_4xx(client):
    text = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/predict", content=f'{{"image": {text}}}', headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


@pytest.mark.parametrize(
    "body",
    [
        '{"image": "\\udb29\\udee8"}',
        '{"image": "x", "\\ud800": 1}',
        '{"image": "x", "model": "l\u00e9net"}',
        '{"image": "x", "model": "\ud83d\ude00"}',
        '{"image": "data:image/png;base64,\u00e9\u00e9"}',
    ],
)
def test_unicode_anywhere_is_a_clean_4xx(client, body):
    response = client.post(
        "/api/predict", content=body.encode("utf-8", "surrogatepass"), headers={"Content-Type": "application/json"}
    )
    assert_error(response, 422)


def test_get_is_not_allowed(client):
    assert_error(client.get("/api/predict"), 405, "method_not_allowed")


def test_same_answer_from_a_second_app():
    """No hidden state: two apps answer the same."""
    url = data_url(png_bytes(drawn_digit()))
    a = make_client().post("/api/predict", json={"image": url}).json()
    b = make_client().post("/api/predict", json={"image": url}).json()
    assert a == b
