"""The worked example's inputs: the document's by default, or a student's edits, checked."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from messages import message

from .document import DOCUMENT_INPUTS, INPUT_SHAPES


class WorkedExampleInputError(ValueError):
    """An input of the worked example has the wrong shape, is not a finite number, or is so large that the
    computation overflows. ``key`` and ``params`` name the reason in the catalogues (``worked.input.*``), so the
    API answers it in the reader's language; ``str()`` is the English sentence."""

    def __init__(self, key: str, **params: Any):
        self.key, self.params = f"worked.input.{key}", params
        super().__init__(message(self.key, "en", **params))


def _as_array(name: str, value, default) -> np.ndarray:
    value = default if value is None else value
    if name == "y" and isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        if not 0 <= int(value) < 2:
            raise WorkedExampleInputError("label")
        value = [1.0 if i == int(value) else 0.0 for i in range(2)]
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise WorkedExampleInputError("not_numbers", name=name, value=repr(value)) from None
    shape = INPUT_SHAPES[name]
    if arr.shape != shape:
        kind = "matrix" if len(shape) == 2 else "vector"
        raise WorkedExampleInputError(kind, name=name, size=" × ".join(map(str, shape)), shape=str(list(arr.shape)))
    if not np.all(np.isfinite(arr)):
        raise WorkedExampleInputError("not_finite", name=name)
    return arr


def _validated_inputs(X, f1, f2, W, b, y, eta) -> dict[str, Any]:
    given = {"X": X, "f1": f1, "f2": f2, "W": W, "b": b, "y": y}
    inputs: dict[str, Any] = {k: _as_array(k, v, DOCUMENT_INPUTS[k]) for k, v in given.items()}
    if np.any(inputs["y"] < 0) or abs(inputs["y"].sum() - 1) > 1e-9:
        raise WorkedExampleInputError("probabilities")
    eta = DOCUMENT_INPUTS["eta"] if eta is None else eta
    if (
        isinstance(eta, bool)
        or not isinstance(eta, (int, float, np.integer, np.floating))
        or not (math.isfinite(eta) and eta > 0)
    ):
        raise WorkedExampleInputError("eta", value=repr(eta))
    inputs["eta"] = float(eta)
    return inputs


def uses_document_inputs(inputs: dict[str, Any]) -> bool:
    """True when every input equals the document's (only then are the printed values compared)."""
    return all(
        np.array_equal(np.asarray(inputs[k], dtype=np.float64), np.asarray(v, dtype=np.float64))
        for k, v in DOCUMENT_INPUTS.items()
    )
