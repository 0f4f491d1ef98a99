"""The packed form of the traces (app/services/packing.py; static/js/lib/tensor.js decodes it in the browser).

What matters: a packed answer decodes to the plain JSON number for number (in Python and in the front end's own
decoder, run by Node), those numbers are the float32 trace at the 4 significant digits the pages show, plain JSON
stays the default for API users, and the packed answer is much lighter on the wire.
"""

from __future__ import annotations

import base64
import gzip
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from app.services.encoding import round_significant
from app.services.images import prepare_image
from app.services.packing import (
    PACKED_MEDIA_TYPE,
    Derived,
    Packer,
    conv_exponents,
    conv_mantissas,
    conv_prediction,
    conv_residuals,
    decimal_parts,
    decimal_values,
    pack_array,
    predicted_exponents,
    unpack,
    window_coords,
    window_indices,
)
from engine import forward_trace

from .helpers import data_url, drawn_digit, png_bytes

ROOT = Path(__file__).resolve().parents[2]
PACKED = {"accept": f"{PACKED_MEDIA_TYPE}, application/json;q=0.9"}


def both(client, path, body):
    plain = client.post(path, json=body)
    packed = client.post(path, json=body, headers=PACKED)
    assert plain.status_code == packed.status_code == 200, packed.text[:300]
    return plain, packed


@pytest.fixture(scope="module")
def traces(client, digit_url):
    """Plain and packed answers of the three trace requests the pages make."""
    forward = {"image": digit_url, "preprocess": True}
    return {
        "forward": both(client, "/api/forward", forward),
        "forward_update": both(client, "/api/forward", {**forward, "include_params": False}),
        "backward": both(client, "/api/backward", {**forward, "label": 3, "steps": 2}),
    }


def weights_of(forward: dict) -> dict:
    """{layer name: {param: values}}: what a page keeps from its first forward answer (lib/api.js)."""
    return {layer["name"]: {k: p["values"] for k, p in layer["params"].items()} for layer in forward["layers"]}


@pytest.fixture(scope="module")
def weights(traces):
    return weights_of(traces["forward"][0].json())


@pytest.mark.parametrize("name", ["forward", "forward_update", "backward"])
def test_packed_answer_decodes_to_the_plain_json(traces, weights, name):
    plain, packed = traces[name]
    assert packed.headers["content-type"].startswith(PACKED_MEDIA_TYPE)
    assert "accept" in packed.headers["vary"].lower()
    assert plain.headers["content-type"].startswith("application/json")
    body = packed.json()
    kinds = {v["$packed"] for v in _packed_objects(body)}
    assert {"dec4", "ref"} <= kinds  # it really is packed: decimals, and arrays rebuilt from others
    if name.startswith("forward"):
        assert "conv" in kinds  # convolutions as corrections to what their input and weights predict
    # the drawing update came without the weights: it is decoded with those of the first answer
    assert unpack(body, weights if name == "forward_update" else None) == plain.json()


def test_packed_numbers_are_the_float32_trace_at_display_precision(client, traces, weights, digit_url):
    """Every number of every layer output: exactly the trace rounded to 4 significant digits (what the pages
    print with fmt()), so within half a unit of the 4th digit of the float32 value."""
    decoded = unpack(traces["forward_update"][1].json(), weights)
    entry = client.app.state.registry.get("lenet")
    x = prepare_image(digit_url, entry, preprocess_image=True, max_pixels=10**7).array  # the exact float32 input
    trace = forward_trace(entry.model, x)
    pairs = [(decoded["input"], trace["input"])] + [
        (d["output"], e["output"]) for d, e in zip(decoded["layers"], trace["layers"])
    ]
    assert len(pairs) == 15
    for (layer, exact), name in zip(pairs, ["input"] + [layer["name"] for layer in decoded["layers"]]):
        got = np.asarray(layer, dtype=np.float64)
        want = np.asarray(exact, dtype=np.float32).astype(np.float64)
        assert got.shape == want.shape, name
        assert np.array_equal(got, round_significant(want)), name
        magnitude = np.abs(want)
        unit = 10.0 ** (np.floor(np.log10(np.where(magnitude > 0, magnitude, 1.0))) - 3)
        assert np.all(np.abs(got - want) <= 0.5 * unit * (1 + 1e-9)), name


def test_the_front_end_decoder_gives_the_plain_json(traces, weights, tmp_path):
    """static/js/lib/tensor.js's unpackArrays, run by Node on the real answers: the same JSON, number for number."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = tmp_path / "decode.mjs"
    tensor_js = (ROOT / "static" / "js" / "lib" / "tensor.js").as_uri()
    script.write_text(
        f"import {{ unpackArrays }} from {json.dumps(tensor_js)};\n"
        "import { readFileSync } from 'node:fs';\n"
        "const packed = JSON.parse(readFileSync(process.argv[2], 'utf8'));\n"
        "const weights = process.argv[3] ? JSON.parse(readFileSync(process.argv[3], 'utf8')) : null;\n"
        "process.stdout.write(JSON.stringify(unpackArrays(packed, weights)));\n"
    )
    weights_file = tmp_path / "weights.json"
    weights_file.write_text(json.dumps(weights))
    for name, (plain, packed) in traces.items():
        source = tmp_path / f"{name}.json"
        source.write_bytes(packed.content)
        run = subprocess.run(
            [node, "--experimental-default-type=module", str(script), str(source)]
            + ([str(weights_file)] if name == "forward_update" else []),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        assert json.loads(run.stdout) == plain.json(), name


def test_plain_json_stays_the_default_and_the_query_parameter_decides(client, digit_url):
    body = {"image": digit_url, "include_params": False}
    default = client.post("/api/forward", json=body)
    assert default.headers["content-type"].startswith("application/json")
    assert isinstance(default.json()["layers"][0]["output"], list)
    asked = client.post("/api/forward?arrays=packed", json=body)
    assert asked.headers["content-type"].startswith(PACKED_MEDIA_TYPE)
    refused = client.post("/api/forward?arrays=nested", json=body, headers=PACKED)
    assert refused.headers["content-type"].startswith("application/json")
    assert refused.json() == default.json()


def test_a_drawing_update_is_much_lighter_on_the_wire(traces):
    plain, packed = traces["forward_update"]
    plain_gz, packed_gz = len(gzip.compress(plain.content, 6)), len(gzip.compress(packed.content, 6))
    assert packed_gz < plain_gz / 1.5 and packed_gz <= 20_000, (plain_gz, packed_gz)


def test_convolutions_as_corrections_take_far_fewer_bytes_than_decimals(traces):
    """Each convolution's corrections gzip to under half its 4-digit decimals ("dec4") — the same numbers."""
    plain, packed = traces["forward_update"]
    for k, layer in enumerate(packed.json()["layers"]):
        if layer["type"] != "conv2d":
            continue
        assert layer["output"]["$packed"] == "conv"
        as_decimals = pack_array(round_significant(np.asarray(plain.json()["layers"][k]["output"])))
        conv_gz, dec4_gz = (len(gzip.compress(json.dumps(o).encode(), 6)) for o in (layer["output"], as_decimals))
        assert conv_gz < dec4_gz / 2, (layer["name"], conv_gz, dec4_gz)


def test_a_wrong_hint_is_never_trusted():
    """The packer checks a hint before using it: a 'relu' that is not max(x, 0) stays a full array."""
    x = np.linspace(-1, 1, 64).reshape(1, 8, 8)
    body = {"a": round_significant(x), "b": round_significant(np.abs(x))}
    packer = Packer()
    packer.hint(body, "b", Derived("relu", "/a"))
    packed = packer.pack(body)
    assert packed["b"]["$packed"] == "dec4"
    assert unpack(packed) == {k: v.tolist() for k, v in body.items()}


@pytest.mark.parametrize("stride, padding, bias", [((1, 1), (2, 2), True), ((2, 1), (0, 1), False)])
def test_a_convolution_is_rebuilt_exactly_from_its_input_and_weights(stride, padding, bias):
    """Residuals from the prediction rebuild every 4-digit number, also far from the prediction (escaped)."""
    rng = np.random.default_rng(3)
    x = round_significant(rng.standard_normal((2, 9, 8)))
    K = rng.standard_normal((3, 2, 3, 3)).astype(np.float32)
    b = rng.standard_normal(3).astype(np.float32) if bias else None
    exact = (
        np.stack(  # float32, another summation order than the prediction's
            [conv_prediction(x.astype(np.float32), K[f : f + 1], None, stride, padding)[0] for f in range(3)]
        ).astype(np.float32)
        + (b[:, None, None] if bias else 0)
    )
    out = round_significant(exact)
    out.reshape(-1)[:3] = [1e-9, -7.5e4, 0.0]  # far from any prediction: sent as they are
    kept = (round_significant(K), round_significant(b) if bias else None)
    body = {"x": x, "layer": {"name": "c", "params": {}}, "out": out}
    body["layer"]["params"] = {"K": {"values": kept[0]}} | ({"b": {"values": kept[1]}} if bias else {})
    packer = Packer()
    hint = Derived("conv", "/x", weights=kept, stride=stride, padding=padding, layer="/layer")
    packer.hint(body, "out", hint)
    packed = packer.pack(body)
    assert packed["out"]["$packed"] == "conv" and len(packed["out"]["x"]) >= 2
    assert np.array_equal(np.asarray(unpack(packed)["out"]), out)
    # an answer asked without the weights: decoded with the kept ones, refused with others
    packed["layer"]["params"] = {k: {"values": None} for k in packed["layer"]["params"]}
    kept_json = {"c": {k: v.tolist() for k, v in zip(("K", "b"), kept) if v is not None}}
    assert np.array_equal(np.asarray(unpack(packed, kept_json)["out"]), out)
    stale = {"c": {**kept_json["c"], "K": (kept[0] * 1.001).tolist()}}
    with pytest.raises(ValueError, match="not the weights"):
        unpack(packed, stale)
    with pytest.raises(ValueError, match="weights are needed"):
        unpack(packed)


def test_exponents_far_from_the_prediction_are_sent_as_they_are():
    value = round_significant(np.array([1.234e-124, 5.678, -0.04321] + [1.0] * 40))
    for prediction, key in ((value * 1.0001, "de"), (np.full(value.shape, 1e20), "e")):
        parts = conv_residuals(value, prediction)
        assert key in parts and ({"e", "de"} - {key}).isdisjoint(parts)
        e = conv_exponents(parts, prediction)
        r = np.frombuffer(base64.b64decode(parts["r"]), dtype=np.int8)
        assert np.array_equal(decimal_values(conv_mantissas(prediction, e, r, parts["x"]), e), value)
    assert np.array_equal(
        predicted_exponents(np.array([0.0, 1e-30, 9.999e-5, 1e-4, 0.5, 1.0, 99.99, 1e22, 1e30])),
        np.array([-26, -26, -8, -7, -4, -3, -2, 19, 19]),
    )


def test_the_front_end_refuses_weights_that_are_not_the_answers(traces, weights, tmp_path):
    """Kept weights of a model that changed since: lib/tensor.js throws StaleWeightsError (lib/api.js then asks
    again with the weights) rather than show wrong numbers."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    tensor_js = (ROOT / "static" / "js" / "lib" / "tensor.js").as_uri()
    stale = json.loads(json.dumps(weights))
    stale["conv2"]["b"][0] += 0.001
    script = tmp_path / "stale.mjs"
    script.write_text(
        f"import {{ unpackArrays, StaleWeightsError }} from {json.dumps(tensor_js)};\n"
        f"const packed = {traces['forward_update'][1].text};\n"
        f"for (const weights of [{json.dumps(stale)}, null]) {{\n"
        "  try { unpackArrays(packed, weights); console.log('decoded'); }\n"
        "  catch (err) { console.log(err instanceof StaleWeightsError ? 'stale' : String(err)); }\n"
        "}\n"
    )
    run = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["stale", "stale"]


@pytest.mark.parametrize(
    "values",
    [
        [0.0, 1.0, -1.0, 0.1235, 9.9995, 1e-30, -3.4e38, 123456789.0, 0.0001234, 2.5e-23, 7.0e22, 1e23],
        np.random.default_rng(0).standard_normal(500) * 10.0 ** np.random.default_rng(1).integers(-30, 30, 500),
    ],
)
def test_decimals_rebuild_the_rounded_doubles_exactly(values):
    rounded = round_significant(np.asarray(values, dtype=np.float64))
    m, e = decimal_parts(rounded)
    assert np.array_equal(decimal_values(m, e), rounded)


def test_arg_max_coordinates_as_window_indices():
    rng = np.random.default_rng(0)
    k = rng.integers(0, 4, (3, 5, 6))
    coords = window_coords(k, (2, 2), (2, 2))
    assert coords.shape == (3, 5, 6, 2)
    assert np.array_equal(window_indices(coords, (2, 2), (2, 2)), k)
    assert window_indices(coords + 2, (2, 2), (2, 2)) is None  # outside its window: not packable


def test_preprocessing_pictures_are_exact_grey_levels(client, weights):
    white_on_black = data_url(png_bytes(drawn_digit(background=0)))
    plain, packed = both(client, "/api/forward", {"image": white_on_black, "include_params": False})
    decoded = unpack(packed.json(), weights)
    assert decoded["preprocessing"] == plain.json()["preprocessing"]
    assert all(isinstance(v, int) for v in np.ravel(decoded["preprocessing"][0]["image"]).tolist())


def _packed_objects(node):
    if isinstance(node, dict):
        if "$packed" in node:
            yield node
        else:
            for v in node.values():
                yield from _packed_objects(v)
    elif isinstance(node, list):
        for v in node:
            yield from _packed_objects(v)
