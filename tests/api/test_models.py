"""GET /api/models (and the per-model lookups), and the model registry behind them (app/api/routes/models.py)."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from app.core.config import Settings
from app.core.errors import ApiError
from app.services.models import ModelRegistry
from engine import build_preset

from .helpers import assert_error, make_client


def test_models_list_describes_architectures(client):
    body = client.get("/api/models").json()
    assert body["default"] == "lenet"
    models = {m["id"]: m for m in body["models"]}
    assert {"lenet", "seed", "worked-example"} <= set(models)
    lenet = models["lenet"]
    assert lenet["default"] is True and lenet["source"] == "bundled"
    assert lenet["input_shape"] == [1, 28, 28] and lenet["num_classes"] == 10
    conv1 = lenet["layers"][0]
    assert conv1["name"] == "conv1" and conv1["type"] == "conv2d"
    assert conv1["output_shape"] == [8, 28, 28]
    assert conv1["param_shapes"] == {"K": [8, 1, 5, 5], "b": [8]}
    assert conv1["params"] == 8 * 25 + 8
    assert lenet["param_count"] == sum(layer["params"] for layer in lenet["layers"])
    assert models["worked-example"]["input_kind"] == "raw"
    assert models["worked-example"]["input_shape"] == [1, 3, 3]


def test_one_model(client):
    assert client.get("/api/models/seed").json()["layers"][0]["param_shapes"] == {"K": [1, 1, 3, 3]}


@pytest.mark.parametrize(
    "model_id", ["nope", "LENET", "lenet.npz", "..", "%2e%2e", "..%2Fetc%2Fpasswd", "a" * 200, "lenet%00"]
)
def test_unknown_or_path_like_model_ids_are_404(client, model_id):
    error = assert_error(client.get(f"/api/models/{model_id}"), 404)
    assert error["code"] in ("unknown_model", "not_found")


def test_param_rows_and_whole_tensors(client):
    whole = client.get("/api/models/lenet/params/conv1/K").json()
    assert whole["shape"] == [8, 1, 5, 5] and np.array(whole["values"]).shape == (8, 1, 5, 5)
    row = client.get("/api/models/lenet/params/fc1/W?row=3").json()
    assert row["row"] == 3 and len(row["values"]) == 400
    assert row["stats"]["abs_max"] >= max(abs(v) for v in row["values"])
    assert_error(client.get("/api/models/lenet/params/fc1/W?row=120"), 422, "row_out_of_range")
    assert_error(client.get("/api/models/lenet/params/fc1/W?row=-1"), 422)
    assert_error(client.get("/api/models/lenet/params/nope/W"), 404, "unknown_layer")
    assert_error(client.get("/api/models/lenet/params/fc1/K"), 404, "unknown_param")


def test_big_tensor_without_row_is_refused_above_the_limit():
    client = make_client(max_param_values=10_000)
    assert_error(client.get("/api/models/lenet/params/fc1/W"), 422, "tensor_too_large")
    assert client.get("/api/models/lenet/params/fc1/W?row=0").status_code == 200


def test_receptive_field(client):
    # conv1 (5×5, same padding) at (0, 0) sees rows/cols −2..2, clipped to 0..2
    field = client.get("/api/models/lenet/receptive-field?layer=conv1&row=0&col=0").json()
    assert (field["top"], field["left"], field["bottom"], field["right"]) == (0, 0, 2, 2)
    # pool2 (5×5) at (4, 4): the bottom-right corner of the 28×28 input
    field = client.get("/api/models/lenet/receptive-field?layer=pool2&row=4&col=4").json()
    assert field["bottom"] == 27 and field["right"] == 27 and not field["full"]
    assert client.get("/api/models/lenet/receptive-field?layer=fc1").json()["full"] is True
    assert_error(client.get("/api/models/lenet/receptive-field?layer=conv1&row=28&col=0"), 422, "position_out_of_range")


def test_folder_models_load_and_corrupt_files_are_skipped(tmp_path, caplog):
    extra = build_preset("seed", seed=7)
    extra.save(tmp_path / "my-seed.npz", description="a seed trained by me", test_accuracy=0.5)
    (tmp_path / "broken.npz").write_bytes(b"PK\x03\x04 this is not a zip file")
    good = (tmp_path / "my-seed.npz").read_bytes()
    (tmp_path / "truncated.npz").write_bytes(good[: len(good) // 2])
    (tmp_path / "Bad Name.npz").write_bytes(good)
    with caplog.at_level(logging.WARNING, logger="convstep.models"):
        client = make_client(model_dir=tmp_path)
    ids = [m["id"] for m in client.get("/api/models").json()["models"]]
    assert "my-seed" in ids and "broken" not in ids and "truncated" not in ids
    assert "lenet" in ids  # the bundled model still serves
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "broken.npz" in messages and "truncated.npz" in messages and "Bad Name.npz" in messages
    info = client.get("/api/models/my-seed").json()
    assert info["source"] == "folder" and info["test_accuracy"] == 0.5
    assert info["description"] == "a seed trained by me"
    stored = np.array(client.get("/api/models/my-seed/params/conv/K").json()["values"])
    np.testing.assert_allclose(stored, extra.layer("conv").params["K"], rtol=1e-3)


def test_model_file_becomes_the_default(tmp_path):
    build_preset("seed", seed=3).save(tmp_path / "mine.npz")
    client = make_client(model_file=tmp_path / "mine.npz")
    assert client.get("/api/health").json()["default_model"] == "mine"


def test_missing_default_falls_back_to_lenet():
    client = make_client(default_model="does-not-exist")
    assert client.get("/api/health").json()["default_model"] == "lenet"


def test_register_get_remove():
    registry = ModelRegistry.from_settings(Settings())
    model = build_preset("seed", seed=1)
    entry = registry.register("live-1", model, {"epochs": 1}, source="training")
    assert registry.get("live-1") is entry and entry.metadata["epochs"] == 1 and entry.source == "training"
    with pytest.raises(ValueError):
        registry.register("../evil", model)
    with pytest.raises(ValueError):
        registry.register("lenet", model)
    assert registry.remove("live-1") and not registry.remove("lenet")
    with pytest.raises(ApiError) as info:
        registry.get("live-1")
    assert info.value.status == 404 and info.value.code == "unknown_model"


def test_registered_model_is_served():
    client = make_client()
    client.app.state.registry.register("live-2", build_preset("seed", seed=2), {"note": "from a test"})
    assert client.get("/api/models/live-2").json()["source"] == "training"
