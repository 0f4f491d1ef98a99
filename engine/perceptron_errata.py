"""The slips of the course's perceptron chapter (seed 001), each shown on numbers the engine computes.

Same style as the worked example's errata (``engine/worked_example/slips.py``): what the document writes, the
correct value beside it, and why they differ, in English and French. The words are ``perceptron.erratum.*`` and
``perceptron.quote.section.*`` in :mod:`messages`; the numbers are written by its ``format_number``. Every entry::

    {id, page ("neuron" | "mlp"), section (the document's heading), kind ("formula" | "notation" | "code" |
     "note"), name, document {en, fr}, computed {en, fr}, explanation {en, fr}, values {...raw numbers...}}

``document``/``computed`` are display strings (decimal comma in French); ``values`` holds the numbers behind them
for programs and tests. Nothing here is typed in: every number comes from the engine's layers or from the
document's own code run on the example.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from messages import both, message

from . import mlp
from .activations import ReLU


def _erratum(
    page: str, section: str, kind: str, name: str, key: str, values: dict[str, Any], **extra
) -> dict[str, Any]:
    """One slip: ``section`` names the document's heading (``perceptron.quote.section.*``, quoted verbatim), the
    three texts are ``perceptron.erratum.<key>.*`` in :mod:`messages`, filled with ``values`` (and ``extra``) written
    in each language's numbers."""
    words = {**values, **extra}
    return {
        "page": page,
        "section": message(f"perceptron.quote.section.{section}"),
        "kind": kind,
        "name": name,
        **{
            field: both(f"perceptron.erratum.{key}.{field}", **words)
            for field in ("document", "computed", "explanation")
        },
        "values": values,
    }


def _dL_dA() -> dict[str, Any]:
    a, y = 0.8, 0.0
    wrong = -y / a + (1 - y) / a
    right = -y / a + (1 - y) / (1 - a)

    def loss(p: float) -> float:
        return -(y * np.log(p) + (1 - y) * np.log(1 - p))

    h = 1e-6
    numeric = (loss(a + h) - loss(a - h)) / (2 * h)
    values = {"y": y, "A": a, "document": wrong, "correct": right, "central_difference": numeric}
    return _erratum("mlp", "back_propagation", "formula", "∂L/∂A", "dL_dA", values, a=a)


def _relu_backward() -> dict[str, Any]:
    x = np.array([-2.0, 3.0, 1.0, -0.5])
    g = np.array([0.5, -1.0, 2.0, -0.3])
    course = g.copy()
    course[course <= 0] = 0  # the annex's Relu.retropropagation, verbatim
    relu = ReLU()
    relu.training = True
    relu.forward(x[None])
    right = relu.backward(g[None])[0]
    values = {"x": x.tolist(), "grad_output": g.tolist(), "document": course.tolist(), "correct": right.tolist()}
    return _erratum("mlp", "annex_relu", "code", "Relu.retropropagation", "relu_backward", values)


def _dense_backward() -> dict[str, Any]:
    W = np.array([[0.5, -0.3], [-0.2, 0.7]])
    x = np.array([[1.0], [2.0]])
    g = np.array([[0.4], [-0.6]])
    eta = 0.5
    right = W.T @ g
    updated = W - eta * (g @ x.T)  # the annex updates self.poids first ...
    course = updated.T @ g  # ... then returns np.dot(self.poids.T, grad_sortie)
    values = {
        "W": W.tolist(),
        "x": x.ravel().tolist(),
        "grad_output": g.ravel().tolist(),
        "learning_rate": eta,
        "document": course.ravel().tolist(),
        "correct": right.ravel().tolist(),
    }
    return _erratum("mlp", "annex_dense", "code", "Dense.retropropagation", "dense_backward", values)


def _bias_sum() -> dict[str, Any]:
    X, y = mlp.xor()
    params = mlp.initialisation([2, 2, 1], seed=0)
    A, _ = mlp.forward_propagation(X, params)
    grads = mlp.back_propagation(y, params, A)
    m = y.shape[1]
    as_written = grads["dZ2"] / m
    right = grads["db2"]
    values = {"document": as_written.ravel().tolist(), "correct": right.ravel().tolist(), "m": m}
    return _erratum("mlp", "back_propagation_general", "formula", "∂L/∂B^[C]", "bias_sum", values)


def _dZ_dW() -> dict[str, Any]:
    return _erratum("mlp", "back_propagation", "notation", "∂Z/∂W", "dZ_dW", {})


def _log_loss_brackets() -> dict[str, Any]:
    return _erratum("neuron", "log_loss", "notation", "Log Loss", "log_loss_brackets", {})


def _gradient_indices() -> dict[str, Any]:
    return _erratum("neuron", "gradients", "notation", "∂L/∂w_j", "gradient_indices", {})


def _heaviside_at_zero() -> dict[str, Any]:
    return _erratum("neuron", "activation_summary", "note", "H(0)", "heaviside_at_zero", {})


def _dropout_at_test() -> dict[str, Any]:
    rng = np.random.default_rng(0)
    x = np.ones(6)
    q = 0.5
    first = x * rng.binomial(1, 1 - q, size=x.shape)  # the annex's propagation_directe, twice on the same input
    second = x * rng.binomial(1, 1 - q, size=x.shape)
    values = {"first": first.tolist(), "second": second.tolist(), "q": q}
    return _erratum("mlp", "annex_dropout", "code", "Dropout.propagation_directe", "dropout_at_test", values, x=x)


def chapter_errata() -> list[dict[str, Any]]:
    """Every slip of the perceptron chapter, numbered from 1 (neuron page first, then MLP)."""
    errata = [
        _log_loss_brackets(),
        _gradient_indices(),
        _heaviside_at_zero(),
        _dL_dA(),
        _dZ_dW(),
        _bias_sum(),
        _relu_backward(),
        _dense_backward(),
        _dropout_at_test(),
    ]
    for number, erratum in enumerate(errata, start=1):
        erratum["id"] = number
    return errata
