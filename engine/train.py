"""Training loop and evaluation.

One epoch, as the course writes it, but on minibatches of B images at once::

    shuffle the training set (a new order every epoch)
    for each minibatch (x, y):
        x  ← augment(x)                     small random shifts, rotations, scaling, stroke thickness
        ŷ  = model(x)                       forward pass (dropout active: model.train())
        L  = −(1/B) Σ ln ŷ[y]               softmax + cross-entropy, fused: dL/dz = (ŷ − y) / B
        backward pass                       every layer fills its grads
        θ  ← optimiser step(θ, dL/dθ)       SGD (momentum) or Adam, learning rate η(t) from the schedule
    evaluate on the validation split        model.eval(): no dropout, no augmentation

Everything random (initial weights aside, which the model's own seed fixes) comes from one seed: the shuffling
order, the augmentation and the dropout masks. Same seed, same data, same settings → the same weights, bit for bit.

Progress is reported to ``callback(event)`` with plain dicts (JSON-able, so the web app can stream them)::

    {"type": "batch", "epoch", "epochs", "batch", "batches", "loss", "accuracy", "batch_loss",
     "learning_rate", "images_per_s", "elapsed"}
    {"type": "epoch", "epoch", "epochs", "train_loss", "train_accuracy", "val_loss", "val_accuracy",
     "learning_rate", "images_per_s", "seconds", "elapsed"}

``loss``/``accuracy`` in a batch event are the running means over the epoch so far (what a progress bar shows);
epochs and batches count from 1; ``val_*`` are ``None`` without a validation set.

``should_stop()`` is polled before every minibatch: when it returns True, :func:`train` stops and returns a
:class:`TrainResult` with ``cancelled=True`` (the model keeps the weights of the last completed step).
A loss that becomes NaN or infinite raises :class:`TrainingDiverged`; the model's weights are then unusable.
"""

from __future__ import annotations

import functools
import inspect
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .dense import Dropout
from .losses import softmax_cross_entropy
from .model import Sequential
from .optim import make_optimizer
from .parallel import ParallelGrads

#: learning rates that work for the presets when none is given
DEFAULT_LEARNING_RATES = {"adam": 1e-3, "sgd": 0.05}
LR_SCHEDULES = ("constant", "cosine", "step")

# every bundled model trains with Adam and a cosine learning-rate schedule, without weight decay
_ADAM_COSINE = {"optimizer": "adam", "lr_schedule": "cosine", "weight_decay": 0.0}

#: how ``convstep train`` trains each preset by default; these settings with seed 0 reproduce the bundled weights
#: in engine/weights/. Chosen on the validation split only (500 digits, several seeds), never on the test set:
#: lenet gained from 60 epochs over 40 (99.2 % vs 98.6 % mean validation accuracy), not from elastic warps or 80
#: epochs; the tiny seed model (one 3×3 filter) wants gentle distortions (92.0 % vs 90.0 % without augmentation
#: and 91.2 % with ±1.5 px, ±10°).
TRAINING_DEFAULTS: dict[str, dict[str, Any]] = {
    "lenet": {**_ADAM_COSINE, "epochs": 60, "batch_size": 64, "learning_rate": 2e-3, "augment": True},
    "seed": {
        **_ADAM_COSINE,
        "epochs": 40,
        "batch_size": 32,
        "learning_rate": 5e-3,
        "augment": {"max_shift": 1.0, "max_rotation_deg": 8.0, "scale_range": (0.92, 1.08), "thickness_prob": 0.3},
    },
    # the perceptron chapter's 784-16-16-16-10 sigmoid MLP: η = 0.002, 0.005 and 0.01 all reach 90 % validation
    # accuracy (89.6–90.2 %, 450 digits); the middle one is kept
    "mlp": {**_ADAM_COSINE, "epochs": 40, "batch_size": 32, "learning_rate": 5e-3, "augment": False},
}


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite: the weights have blown up (usually a learning rate that is too high)."""

    def __init__(self, epoch: int, batch: int, loss: float, learning_rate: float):
        self.epoch, self.batch, self.loss, self.learning_rate = epoch, batch, loss, learning_rate
        what = "NaN" if math.isnan(loss) else "infinite"
        super().__init__(
            f"the loss became {what} at epoch {epoch} batch {batch}: the learning rate is probably "
            f"too high (it was {learning_rate:g}); try a smaller one"
        )


@dataclass
class EpochRecord:
    """What one epoch did. Training figures are running means over the epoch's (augmented) minibatches."""

    epoch: int
    train_loss: float
    train_accuracy: float
    val_loss: float | None
    val_accuracy: float | None
    learning_rate: float  # at the end of the epoch
    seconds: float  # training time of the epoch (validation excluded)
    images_per_s: float


@dataclass
class TrainResult:
    history: list[EpochRecord] = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def epochs_completed(self) -> int:
        return len(self.history)

    @property
    def last(self) -> EpochRecord | None:
        return self.history[-1] if self.history else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "history": [asdict(r) for r in self.history],
            "cancelled": self.cancelled,
            "seconds": self.seconds,
            "settings": dict(self.settings),
        }

    def summary(self) -> dict[str, Any]:
        """The settings and final figures, to store in a model's metadata."""
        last = self.last
        return {
            **self.settings,
            "epochs_completed": self.epochs_completed,
            "cancelled": self.cancelled,
            "train_seconds": round(self.seconds, 1),
            "train_accuracy": None if last is None else round(last.train_accuracy, 5),
            "val_accuracy": None if last is None or last.val_accuracy is None else round(last.val_accuracy, 5),
        }


# -- learning-rate schedules ------------------------------------------------------------------------------------
def learning_rate_at(schedule: str | Callable[[float], float], base: float, progress: float) -> float:
    """η at ``progress`` ∈ [0, 1) of the run (0 = first step).

    * ``constant``: η
    * ``cosine``:   η · ½(1 + cos(π·progress))   — smoothly from η down to ~0 at the end
    * ``step``:     η, then η/10 after half of the run, η/100 after three quarters
    * a callable ``f(progress) -> factor``: η · f(progress)
    """
    if callable(schedule):
        return base * float(schedule(progress))
    if schedule == "constant":
        return base
    if schedule == "cosine":
        return base * 0.5 * (1.0 + math.cos(math.pi * progress))
    if schedule == "step":
        return base * (1.0 if progress < 0.5 else 0.1 if progress < 0.75 else 0.01)
    raise ValueError(f"unknown learning-rate schedule {schedule!r}; use one of {', '.join(LR_SCHEDULES)}")


# -- helpers ----------------------------------------------------------------------------------------------------
def as_model_input(model: Sequential, x) -> np.ndarray:
    """Images as the model's batch shape (N, C, H, W), in the model's dtype; (N, H, W) and flat (N, H·W)
    grayscale images are reshaped. Pixel values must already be in [0, 1]."""
    x = np.asarray(x)
    n = x.shape[0] if x.ndim else 0
    if x.ndim == 2 and x.shape[1] == int(np.prod(model.input_shape)) and len(model.input_shape) == 3:
        x = x.reshape((n,) + model.input_shape)
    elif x.ndim == len(model.input_shape) and model.input_shape[0] == 1 and x.shape[1:] == model.input_shape[1:]:
        x = x[:, None]
    if x.shape[1:] != model.input_shape:
        raise ValueError(f"expected images of shape (N, {', '.join(map(str, model.input_shape))}), got {x.shape}")
    x = x.astype(model.dtype, copy=False)
    if x.size and (float(x.max()) > 1.0 + 1e-6 or float(x.min()) < -1e-6):
        raise ValueError(
            f"pixel values must be in [0, 1] (got {float(x.min()):g}..{float(x.max()):g}); divide 0–255 images by 255"
        )
    return x


def as_labels(y, n: int, num_classes: int) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != n:
        raise ValueError(f"expected {n} integer labels, got an array of shape {y.shape}")
    if y.size and not np.issubdtype(y.dtype, np.integer):
        if not np.all(np.equal(np.mod(y, 1), 0)):
            raise ValueError("labels must be integers")
    y = y.astype(np.int64)
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(f"labels must be in 0..{num_classes - 1}, got {y.min()}..{y.max()}")
    return y


def _augmenter(augment) -> tuple[Callable[[np.ndarray, np.random.Generator], np.ndarray] | None, dict | None]:
    """``augment`` is False/None (off), True (engine.augment's defaults), a dict of options for
    ``engine.augment.augment_batch`` or a callable ``f(x, rng) -> x``. Returns (function, settings)."""
    if augment is None or augment is False:
        return None, None
    if callable(augment):
        return augment, {"function": getattr(augment, "__name__", "custom")}
    from .augment import augment_batch  # imported here: training without augmentation does not need it

    options = {} if augment is True else dict(augment)
    known = {
        name: param.default
        for name, param in inspect.signature(augment_batch).parameters.items()
        if param.kind is inspect.Parameter.KEYWORD_ONLY
    }
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ValueError(f"unknown augmentation option(s) {', '.join(unknown)}; known: {', '.join(known)}")
    # the settings record every option, defaults included, so a saved model says exactly how it was trained
    settings = {name: list(v) if isinstance(v, tuple) else v for name, v in {**known, **options}.items()}
    # a partial, not a lambda: it pickles, so helper processes can augment their own slices (engine/parallel.py)
    return functools.partial(augment_batch, **options), settings


# -- evaluation ---------------------------------------------------------------------------------------------------
def evaluate(model: Sequential, x, y, batch_size: int = 512) -> dict[str, Any]:
    """Accuracy, mean cross-entropy and confusion matrix of ``model`` on (x, y), in inference mode.

    ``confusion[t][p]`` counts the images of true class t predicted as p (rows sum to the class counts, the whole
    matrix to N). Works on a fork of the model: the caller's model (mode, caches) is left untouched."""
    net = model.fork().eval()
    x = as_model_input(net, x)
    y = as_labels(y, len(x), net.num_classes)
    k = net.num_classes
    confusion = np.zeros((k, k), dtype=np.int64)
    total_loss = 0.0
    for i in range(0, len(x), batch_size):
        xb, yb = x[i : i + batch_size], y[i : i + batch_size]
        loss, probs, _ = softmax_cross_entropy(net.logits(xb), yb)
        total_loss += loss * len(xb)
        np.add.at(confusion, (yb, probs.argmax(axis=1)), 1)
    n = len(x)
    return {
        "n": n,
        "accuracy": float(np.trace(confusion) / n) if n else 0.0,
        "loss": total_loss / n if n else 0.0,
        "confusion": confusion.tolist(),
    }


# -- training -----------------------------------------------------------------------------------------------------
def train(
    model: Sequential,
    x_train,
    y_train,
    *,
    x_val=None,
    y_val=None,
    epochs: int,
    batch_size: int = 64,
    optimizer: str = "adam",
    learning_rate: float | None = None,
    momentum: float = 0.9,
    weight_decay: float = 0.0,
    lr_schedule: str | Callable[[float], float] = "cosine",
    augment: bool | dict | Callable = True,
    seed: int = 0,
    callback: Callable[[dict], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    threads: int = 1,
) -> TrainResult:
    """Train ``model`` in place on (x_train, y_train) with minibatches; see the module docstring.

    x: (N, 1, 28, 28), (N, 28, 28) or (N, 784) in [0, 1]; y: integer labels (N,).
    ``optimizer``: "adam" or "sgd" (with ``momentum``); ``learning_rate`` defaults to
    ``DEFAULT_LEARNING_RATES[optimizer]`` and follows ``lr_schedule`` (per step). ``weight_decay`` adds
    λ·θ to the gradient of kernels and weights (not biases). ``threads`` > 1 splits each minibatch over that many
    cores (:mod:`engine.parallel`: this thread and helper processes): faster on several cores, and reproducible for
    a given count (its dropout masks and the order of its sums differ from one thread's). Returns a :class:`TrainResult`."""
    if not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    optimizer = str(optimizer).lower()
    if optimizer not in DEFAULT_LEARNING_RATES:
        raise ValueError(f"unknown optimizer {optimizer!r} (use 'adam' or 'sgd')")
    base_lr = float(DEFAULT_LEARNING_RATES[optimizer] if learning_rate is None else learning_rate)
    if not base_lr > 0 or not math.isfinite(base_lr):
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
    learning_rate_at(lr_schedule, base_lr, 0.0)  # reject an unknown schedule before any work
    if not isinstance(threads, (int, np.integer)) or threads < 1:
        raise ValueError(f"threads must be a positive integer, got {threads!r}")

    x = as_model_input(model, x_train)
    y = as_labels(y_train, len(x), model.num_classes)
    if len(x) == 0:
        raise ValueError("the training set is empty")
    has_val = x_val is not None and y_val is not None and len(y_val) > 0
    if has_val:
        x_val = as_model_input(model, x_val)
        y_val = as_labels(y_val, len(x_val), model.num_classes)
    augment_fn, augment_settings = _augmenter(augment)

    # one seed for everything random; independent streams so that e.g. turning augmentation off
    # does not change the shuffling order
    shuffle_seq, augment_seq, dropout_seq = np.random.SeedSequence(seed).spawn(3)
    shuffle_rng, augment_rng = np.random.default_rng(shuffle_seq), np.random.default_rng(augment_seq)
    for layer, layer_seq in zip(
        [l for l in model.layers if isinstance(l, Dropout)], dropout_seq.spawn(len(model.layers))
    ):
        layer.rng = np.random.default_rng(layer_seq)

    opt = make_optimizer(optimizer, base_lr, momentum=momentum, weight_decay=weight_decay)
    # one thread: the model, as the module docstring reads; more: slices of the batch, each augmented where computed
    parallel = None
    if threads > 1:
        parallel = ParallelGrads(model, threads, dropout_seq.spawn(threads), augment_fn, augment_seq.spawn(threads))
    augment_here = augment_fn if parallel is None or parallel.augment is None else None
    n = len(x)
    batches = -(-n // batch_size)
    total_steps = epochs * batches
    result = TrainResult(
        settings={
            "optimizer": optimizer,
            "learning_rate": base_lr,
            "lr_schedule": getattr(lr_schedule, "__name__", lr_schedule),
            "momentum": momentum if optimizer == "sgd" else None,
            "weight_decay": weight_decay,
            "epochs": int(epochs),
            "batch_size": int(batch_size),
            "augmentation": augment_settings,
            "seed": seed,
            "threads": int(threads),
            "train_size": n,
            "val_size": len(x_val) if has_val else 0,
        }
    )
    emit = callback or (lambda event: None)
    stop = should_stop or (lambda: False)
    start = time.perf_counter()
    step = 0
    try:
        for epoch in range(1, int(epochs) + 1):
            model.train()
            order = shuffle_rng.permutation(n)
            epoch_start = time.perf_counter()
            loss_sum = 0.0
            correct = seen = 0
            lr = base_lr
            for b in range(batches):
                if stop():
                    result.cancelled = True
                    return result
                idx = order[b * batch_size : (b + 1) * batch_size]
                xb, yb = x[idx], y[idx]
                if augment_here is not None:
                    xb = augment_here(xb, augment_rng).astype(model.dtype, copy=False)
                lr = learning_rate_at(lr_schedule, base_lr, step / total_steps)
                # a diverging run overflows before its loss turns NaN: TrainingDiverged says so, not warnings
                with np.errstate(over="ignore", invalid="ignore"):
                    if parallel is None:  # no one needs dL/d(pixels) here
                        loss, probs, _ = model.loss_and_grads(xb, yb, input_grad=False)
                    else:
                        loss, probs = parallel.loss_and_grads(xb, yb)
                    if math.isfinite(loss):
                        opt.learning_rate = lr
                        opt.step(model)
                if not math.isfinite(loss):
                    raise TrainingDiverged(epoch, b + 1, loss, lr)
                step += 1
                loss_sum += loss * len(idx)
                correct += int((probs.argmax(axis=1) == yb).sum())
                seen += len(idx)
                now = time.perf_counter()
                emit(
                    {
                        "type": "batch",
                        "epoch": epoch,
                        "epochs": int(epochs),
                        "batch": b + 1,
                        "batches": batches,
                        "loss": loss_sum / seen,
                        "accuracy": correct / seen,
                        "batch_loss": loss,
                        "learning_rate": lr,
                        "images_per_s": seen / max(now - epoch_start, 1e-9),
                        "elapsed": now - start,
                    }
                )
            seconds = time.perf_counter() - epoch_start
            val = evaluate(model, x_val, y_val) if has_val else None
            record = EpochRecord(
                epoch=epoch,
                train_loss=loss_sum / seen,
                train_accuracy=correct / seen,
                val_loss=val["loss"] if val else None,
                val_accuracy=val["accuracy"] if val else None,
                learning_rate=lr,
                seconds=seconds,
                images_per_s=seen / max(seconds, 1e-9),
            )
            result.history.append(record)
            emit({"type": "epoch", "epochs": int(epochs), **asdict(record), "elapsed": time.perf_counter() - start})
        return result
    finally:
        if parallel is not None:
            parallel.close()
        model.eval()
        result.seconds = time.perf_counter() - start
