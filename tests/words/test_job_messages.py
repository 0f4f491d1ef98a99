"""The live-training jobs' failures take their words from the catalogues: French written as French, and a failure
stored as JSON (the Redis backend) reads back the same in both languages."""

from __future__ import annotations

import json

from app.core.errors import english_reason
from app.services.jobs.errors import JobError, LossExploded, diverged_error, worker_lost_error
from messages import MINUS, NBSP


def _roundtrip(error: JobError) -> JobError:
    return JobError.from_record(json.loads(json.dumps(error.to_record())))


def test_a_diverged_run_is_explained_in_french_with_decimal_commas():
    error = diverged_error(LossExploded(epoch=1, batch=2, loss=93_712.4, learning_rate=0.5), "sgd")
    fr = error.to_dict("fr")["message"]
    en = error.to_dict("en")["message"]
    assert "lot 2" in fr and "93\u202f700" in fr and "2,3" in fr and "(0,5)" in fr and "0,05" in fr
    assert f"a divergé{NBSP}:" in fr and "." not in fr.replace(". ", "").rstrip(".")
    assert "batch 2" in en and "93,700" in en and "(0.5)" in en and "e.g. 0.05" in en
    assert error.detail == {"epoch": 1, "batch": 2, "learning_rate": 0.5, "suggested_learning_rate": 0.05}
    back = _roundtrip(error)
    assert back.to_dict("fr") == error.to_dict("fr") and back.to_dict("en") == error.to_dict("en")


def test_huge_and_tiny_numbers_stay_short():
    exc = LossExploded(3, 4, 3.36e30, 1e6)
    fr = diverged_error(exc, "sgd").to_dict("fr")["message"]
    assert "3,36e+30" in fr and "(1e+06)" in fr
    small = diverged_error(LossExploded(1, 1, 2000.0, 1e-5), "adam").to_dict("fr")["message"]
    assert f"1e{MINUS}06" in small  # the suggested rate, a tenth of 1e-05


def test_an_english_reason_is_named_not_quoted_in_french():
    exc = ValueError("could not broadcast input array from shape (3,) into shape (2,)")
    error = JobError("training_error", detail={"reason": str(exc)}, reason=english_reason(exc))
    assert "could not broadcast" in error.to_dict("en")["message"]
    fr = error.to_dict("fr")["message"]
    assert "broadcast" not in fr and "ValueError" in fr and "detail.reason" in fr
    assert _roundtrip(error).to_dict("fr") == error.to_dict("fr")


def test_a_failure_stored_by_an_older_version_still_reads():
    record = {"code": "worker_lost", "en": "Gone.", "fr": "Parti : relancez.", "detail": None}
    error = JobError.from_record(record)
    assert error.to_dict("en") == {"code": "worker_lost", "message": "Gone.", "detail": None}
    assert error.to_dict("fr")["message"] == f"Parti{NBSP}: relancez."
    assert _roundtrip(worker_lost_error()).to_dict("fr")["message"].startswith("Le processus d'entraînement")
