"""The public entry point: the worked example computed step by step, compared with the document when its inputs
are the document's."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..losses import softmax_cross_entropy
from .compare import _document_errata
from .inputs import WorkedExampleInputError, _validated_inputs, uses_document_inputs
from .numbers import _py
from .passes import _backward, _forward
from .steps import _build_steps


def compute_worked_example(X=None, f1=None, f2=None, W=None, b=None, y=None, eta=None) -> dict[str, Any]:
    """The course's worked example, step by step, computed by the engine (float64).

    Every argument defaults to the document's value (``DOCUMENT_INPUTS``): X (3×3), f1, f2 (2×2), W (2×2),
    b (2,), y (one-hot or probabilities, or a label 0/1), eta (> 0). Raises :class:`WorkedExampleInputError`
    for a wrong shape or a non-finite value.

    Returns ``{"inputs", "uses_document_inputs", "steps", "errata"}``; each step is ``{id, section, title,
    formula, explanation, inputs, values, document, comparisons, mismatches, highlight}``. ``document``,
    ``comparisons``, ``mismatches`` and ``errata`` are only filled when the inputs are the document's.
    Inputs so large that the computation overflows are a :class:`WorkedExampleInputError` too."""
    inputs = _validated_inputs(X, f1, f2, W, b, y, eta)
    try:
        # huge inputs (1e200) would overflow to inf/NaN somewhere along the way: say so instead of returning them
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            return _compute(inputs)
    except FloatingPointError:
        raise WorkedExampleInputError("overflow") from None


def _compute(inputs: dict[str, Any]) -> dict[str, Any]:
    model, outputs = _forward(inputs)
    z = outputs["fc"][0]
    loss, probs, dz = softmax_cross_entropy(z, inputs["y"][None])
    back = _backward(model, outputs, dz[0], inputs)
    # one more forward pass with the updated weights: what the step changed
    updated = {**inputs, "f1": back["f1_new"], "f2": back["f2_new"], "W": back["W_new"], "b": back["b_new"]}
    _, outputs_new = _forward(updated)
    loss_new, probs_new, _ = softmax_cross_entropy(outputs_new["fc"][0], inputs["y"][None])
    after = {
        "y_hat": probs[0],
        "loss": loss,
        "z_new": outputs_new["fc"][0],
        "y_hat_new": probs_new[0],
        "loss_new": loss_new,
    }
    steps = _build_steps(inputs, outputs, model.layer("pool"), back, after)
    document = uses_document_inputs(inputs)
    errata: list[dict[str, Any]] = []
    if document:
        errata = _document_errata(steps, inputs, model, outputs, back)
    return {"inputs": _py(inputs), "uses_document_inputs": document, "steps": steps, "errata": errata}
