"""GET /api/architectures, /api/architectures/{name}?input=, POST /api/architectures/stack (real HTTP through the
app, FR/EN errors)."""

from __future__ import annotations

import pytest

from .helpers import assert_error


def test_list_has_the_ten_networks_with_totals(client):
    items = {a["key"]: a for a in client.get("/api/architectures").json()["architectures"]}
    assert list(items) == [
        "lenet5",
        "alexnet",
        "vgg16",
        "vgg19",
        "googlenet",
        "resnet18",
        "resnet50",
        "resnet152",
        "densenet121",
        "efficientnet_b0",
    ]
    assert items["vgg16"]["params"] == 138_357_544 and items["resnet50"]["params"] == 25_557_032
    assert items["vgg16"]["year"] == 2014 and items["vgg16"]["top1"] == 75.2
    assert items["googlenet"]["top1"] is None and "top-5" in items["googlenet"]["top1_source"]
    assert items["lenet5"]["input_shape"] == [1, 32, 32]
    assert [a["year"] for a in items.values()] == sorted(a["year"] for a in items.values())


def test_detail_rows_add_up_and_show_the_floor(client):
    body = client.get("/api/architectures/alexnet?input=224").json()
    rows = body["layers"]
    assert body["total_params"] == sum(r["params"] for r in rows) == 61_100_840
    assert body["total_macs"] == sum(r["macs"] for r in rows)
    first = rows[0]
    assert first["output_shape"] == [64, 55, 55]
    assert first["sizes"] == [
        {"n": 224, "f": 11, "p": 4, "s": 4, "quotient": 54.25, "exact": False, "rounding": "floor", "out": 55}
    ]
    assert first["activation_bytes"] == 64 * 55 * 55 * 4 and first["numpy"] is True
    assert {"name", "type", "output_shape", "params", "macs"} <= set(first)


def test_input_size_changes_shapes_not_adaptive_params(client):
    small = client.get("/api/architectures/resnet50?input=112").json()
    big = client.get("/api/architectures/resnet50").json()
    assert small["total_params"] == big["total_params"]
    # a quarter of the pixels: almost exactly a quarter of the convolution work (the 1×1 head excepted)
    assert small["total_macs"] < big["total_macs"] / 3.5
    assert big["layers"][0]["output_shape"] == [64, 112, 112] and small["layers"][0]["output_shape"] == [64, 56, 56]


def test_residual_blocks_come_after_their_branches(client):
    rows = client.get("/api/architectures/resnet18").json()["layers"]
    i = next(k for k, r in enumerate(rows) if r["name"] == "layer2.0")
    block = rows[i]
    assert block["block"] and block["type"] == "residual" and block["output_shape"] == [128, 28, 28]
    inner = [r for r in rows[:i] if r["name"].startswith("layer2.0.")]
    assert [r["name"] for r in inner][-2:] == ["layer2.0.shortcut.conv", "layer2.0.shortcut.bn"]
    assert block["block_params"] == sum(r["params"] for r in inner)


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/architectures/resnet51", 404, "not_found"),
        ("/api/architectures/vgg16?input=0", 422, None),
        ("/api/architectures/vgg16?input=abc", 422, None),
        ("/api/architectures/vgg16?input=99999", 422, None),
        ("/api/architectures/lenet5?input=16", 422, "shape_error"),
    ],
)
def test_bad_requests_are_4xx(client, url, status, code):
    assert_error(client.get(url), status, code)


def test_too_small_input_is_explained_in_both_languages(client):
    en = assert_error(client.get("/api/architectures/lenet5?input=20"), 422, "shape_error")
    assert (
        "LeNet-5 at 20×20" in en["message"]
        and "C5" in en["message"]
        and "larger than the padded input" in en["message"]
    )
    fr = assert_error(client.get("/api/architectures/lenet5?input=20&lang=fr"), 422, "shape_error")
    assert "la couche C5 ne convient pas" in fr["message"] and "dépasse" in fr["message"]
    assert en["detail"]["layer"] == "C5" and en["detail"]["reason"] == "too_large"


def test_stack_measures_typed_layers(client):
    text = "conv 64, 7 s2 p3  # the stem of ResNet\nbn\nrelu\nmaxpool 3 s2 p1\nconv 32 3 g4 p1\ndwconv 3 s2 p1\nse 8\ngap\nflatten\nfc 10"
    body = client.post("/api/architectures/stack", json={"input_shape": [3, 224, 224], "text": text}).json()
    top = [r for r in body["layers"] if r["depth"] == 0]
    assert [r["output_shape"] for r in top] == [
        [64, 112, 112],
        [64, 112, 112],
        [64, 112, 112],
        [64, 56, 56],
        [32, 56, 56],
        [32, 28, 28],
        [32, 28, 28],
        [32, 1, 1],
        [32],
        [10],
    ]
    assert [r["line"] for r in top] == list(range(1, 11))
    assert top[0]["params"] == 64 * 3 * 49 + 64 and top[4]["params"] == 32 * 16 * 9 + 32
    assert top[0]["sizes"][0]["quotient"] == 111.5 and top[3]["sizes"][0]["quotient"] == 55.5
    assert body["total_params"] == sum(r["params"] for r in body["layers"])
    rates = client.post(
        "/api/architectures/stack", json={"input_shape": [8, 1, 1], "text": "dropout 0,25\ndropout 0.5"}
    )
    assert [layer["rate"] for layer in rates.json()["spec"]] == [0.25, 0.5]


@pytest.mark.parametrize(
    ("text", "code", "line", "en", "fr"),
    [
        ("conv 8 3\nwarp 3", "stack_syntax", 2, "unknown layer type 'warp'", "type de couche inconnu"),
        ("conv 3", "stack_syntax", 1, None, None),  # one number is the filter count: the kernel then defaults to 3
        ("conv 8 3\nmaxpool 2 q4", "stack_syntax", 2, "'q4' is not understood", "n'est pas compris"),
        ("conv 8 3\n\nflatten\nconv 4 3", "shape_error", 4, "needs an image", "a besoin d'une image"),
        ("conv 8 30", "shape_error", 1, "larger than the padded input", "dépasse"),
        ("dense 10", "shape_error", 1, "vector input", "vecteur"),
        ("", "stack_syntax", None, "at least one layer", "au moins une couche"),
        ("conv 3.5 3", "stack_syntax", 1, "'3.5' is not understood", "n'est pas compris"),
        ("dense " + "9" * 400, "stack_syntax", 1, "numbers go up to 1,000,000", "jusqu'à 1\u202f000\u202f000"),
        ("conv 8 k99999999", "stack_syntax", 1, "numbers go up to", "jusqu'à"),
        ("dropout 1.5", "stack_syntax", 1, "between 0 and 1", "entre 0 et 1"),
    ],
)
def test_stack_errors_name_the_line(client, text, code, line, en, fr):
    response = client.post("/api/architectures/stack", json={"input_shape": [1, 28, 28], "text": text})
    if en is None:
        assert response.status_code == 200
        return
    error = assert_error(response, 422, code)
    assert en in error["message"] and (error["detail"] or {}).get("line") == line
    french = client.post("/api/architectures/stack?lang=fr", json={"input_shape": [1, 28, 28], "text": text})
    assert fr in assert_error(french, 422, code)["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"input_shape": [1, 28], "text": "relu"},
        {"input_shape": [1, 28, 0], "text": "relu"},
        {"input_shape": [1, 28, 28.5], "text": "relu"},
        {"input_shape": [1, 28, 28], "text": "relu", "extra": 1},
        {"input_shape": [1, 28, 28], "text": "x" * 20_001},
    ],
)
def test_stack_refuses_malformed_requests(client, body):
    assert_error(client.post("/api/architectures/stack", json=body), 422)
