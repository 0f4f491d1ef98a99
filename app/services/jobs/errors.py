"""Why a job failed, in both languages: :class:`JobError` (what an :class:`~app.core.errors.ApiError` holds,
without an HTTP status) and the explanation of a diverged run."""

from __future__ import annotations

import math
from typing import Any

from engine.train import DEFAULT_LEARNING_RATES, TrainingDiverged
from messages import french_typography

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
    """Why a job failed, in both languages."""

    def __init__(self, code: str, message_en: str, message_fr: str, detail: Any = None):
        super().__init__(message_en)
        self.code, self.message_en, self.message_fr, self.detail = code, message_en, message_fr, detail

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": french_typography(self.message_fr) if lang == "fr" else self.message_en,
            "detail": self.detail,
        }

    def to_record(self) -> dict[str, Any]:
        """Both languages, for a backend that stores the job outside this process (JSON)."""
        return {"code": self.code, "en": self.message_en, "fr": self.message_fr, "detail": self.detail}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> JobError:
        return cls(record["code"], record["en"], record["fr"], record.get("detail"))


def worker_lost_error() -> JobError:
    return JobError(
        "worker_lost",
        "The training worker running this job stopped without finishing it (killed, out of memory or its machine "
        "went down). Start the training again.",
        "Le processus d'entraînement qui faisait tourner ce travail s'est arrêté sans le terminer (tué, à court de "
        "mémoire ou sa machine s'est arrêtée). Relancez l'entraînement.",
    )


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
