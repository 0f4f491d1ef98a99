"""Why a job failed, in the reader's language: :class:`JobError` (what an :class:`~app.core.errors.ApiError` holds,
without an HTTP status) and the explanation of a diverged run."""

from __future__ import annotations

import math
from typing import Any

from engine.train import DEFAULT_LEARNING_RATES, TrainingDiverged
from messages import LANGS, MINUS, both, format_number, french_typography, message

from ...core.i18n import Lang

#: a mean cross-entropy this far above chance (ln 10 ≈ 2.3) only happens when the weights have blown up: the run
#: is stopped as diverged even while the numbers are still finite
EXPLODED_LOSS = 1000.0


class LossExploded(TrainingDiverged):
    """The loss is finite but absurdly high (see :data:`EXPLODED_LOSS`): same cause, same advice."""

    def __init__(self, epoch: int, batch: int, loss: float, learning_rate: float):
        RuntimeError.__init__(self, f"the loss exploded to {loss:.3g} at epoch {epoch} batch {batch}")
        self.epoch, self.batch, self.loss, self.learning_rate = epoch, batch, loss, learning_rate


class JobError(Exception):
    """Why a job failed: a code, the catalogue's sentence (``key``, default ``job_error.<code>``, and its
    parameters) rendered in the reader's language, and a machine-readable ``detail``."""

    def __init__(self, code: str, key: str | None = None, detail: Any = None, **params: Any):
        self.code, self.key, self.params, self.detail = code, key or f"job_error.{code}", params, detail
        super().__init__(message(self.key, "en", **params))

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        return {"code": self.code, "message": message(self.key, lang, **self.params), "detail": self.detail}

    def to_record(self) -> dict[str, Any]:
        """Key and parameters (JSON), for a backend that stores the job outside this process."""
        return {"code": self.code, "key": self.key, "params": self.params, "detail": self.detail}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> JobError:
        if "key" not in record:  # stored by an older version, its two sentences written out: shown as they were
            text = {"en": record.get("en", ""), "fr": french_typography(record.get("fr") or record.get("en", ""))}
            return cls(record["code"], "job_error.recorded", record.get("detail"), text=text)
        return cls(record["code"], record["key"], record.get("detail"), **(record.get("params") or {}))


def worker_lost_error() -> JobError:
    return JobError("worker_lost")


def _written(x: float, spec: str = "g") -> dict[str, str]:
    """``x`` to ``spec``'s precision, already written in each language (a job's parameters are stored as JSON by
    the Redis backend): 0.05 / 0,05; 93,700 / 93 700; very large or small ones in scientific notation, 1e+06 and
    3.36e+30 / 3,36e+30."""
    rounded = float(format(x, spec))
    if not math.isfinite(rounded) or (rounded != 0 and not 1e-4 <= abs(rounded) < 1e6):
        text = format(rounded, "g")
        return {"en": text, "fr": text.replace(".", ",").replace("-", MINUS)}
    return {lang: format_number(rounded, lang, 8) for lang in LANGS}


def diverged_error(exc: TrainingDiverged, optimizer: str) -> JobError:
    chance = math.log(10)  # the loss of a network answering 1/10 for every digit
    if math.isnan(exc.loss):
        what = both("job_error.training_diverged.nan")
    elif math.isinf(exc.loss):
        what = both("job_error.training_diverged.inf")
    else:
        what = both("job_error.training_diverged.value", loss=_written(exc.loss, ".3g"), chance=_written(chance, ".1f"))
    lr = exc.learning_rate
    suggestion = min(lr / 10, DEFAULT_LEARNING_RATES[optimizer])
    return JobError(
        "training_diverged",
        detail={"epoch": exc.epoch, "batch": exc.batch, "learning_rate": lr, "suggested_learning_rate": suggestion},
        epoch=exc.epoch,
        batch=exc.batch,
        what=what,
        lr=_written(lr),
        suggestion=_written(suggestion),
    )
