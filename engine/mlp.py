"""A multilayer perceptron in the course's notation (seed 001, its section towards neural networks): sigmoid units,
one sigmoid output, log loss, full-batch gradient descent.

Shapes (the course's, one sample per *column*): X = A^[0] (n0, m), W^[l] (n_l, n_{l−1}), b^[l] (n_l, 1)::

    Z^[l] = W^[l]·A^[l−1] + b^[l],   A^[l] = σ(Z^[l])
    dZ^[L] = A^[L] − y                                        (sigmoid + log loss)
    ∂L/∂W^[l] = (1/m)·dZ^[l]·A^[l−1]ᵀ,   ∂L/∂b^[l] = (1/m)·Σ_columns dZ^[l]
    dZ^[l] = (W^[l+1]ᵀ·dZ^[l+1]) ⊙ A^[l](1 − A^[l])           (the recurrence: the course's "base^[C−1]")

The course's own ``back_propagation`` loop is ``engine/oracles.py``'s ``course_back_propagation``; the tests also
check these gradients against central differences and against the engine's Sequential layers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .activations import sigmoid

Params = dict[str, np.ndarray]


def initialisation(dimensions: list[int], seed: int = 0) -> Params:
    """W^[l] ~ N(0, 1)·√(1/n_{l−1}) and b^[l] = 0 for l = 1..L. The course draws W and b from N(0, 1); scaling by
    √(1/n) keeps σ away from its flat ends at the start, so small nets on XOR start learning at once."""
    rng = np.random.default_rng(seed)
    params: Params = {}
    for l in range(1, len(dimensions)):
        params[f"W{l}"] = rng.standard_normal((dimensions[l], dimensions[l - 1])) / np.sqrt(dimensions[l - 1])
        params[f"b{l}"] = np.zeros((dimensions[l], 1))
    return params


def n_layers(params: Params) -> int:
    return len(params) // 2


def forward_propagation(X: np.ndarray, params: Params) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(activations {A0 … AL}, pre-activations {Z1 … ZL}); X is (n0, m)."""
    A = {"A0": X}
    Z = {}
    for l in range(1, n_layers(params) + 1):
        Z[f"Z{l}"] = params[f"W{l}"] @ A[f"A{l - 1}"] + params[f"b{l}"]
        A[f"A{l}"] = sigmoid(Z[f"Z{l}"])
    return A, Z


def log_loss(ZL: np.ndarray, y: np.ndarray) -> float:
    """L = (1/m) Σ [ln(1 + e^z) − y·z] on the output's pre-activation (= the log loss of σ(z), computed stably)."""
    return float(np.mean(np.logaddexp(0.0, ZL) - y * ZL))


def back_propagation(y: np.ndarray, params: Params, A: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Every dZ^[l], ∂L/∂W^[l], ∂L/∂b^[l], and the two factors of the recurrence (``WtdZ{l}`` = W^[l+1]ᵀ·dZ^[l+1]
    and ``dsig{l}`` = A^[l](1 − A^[l])) for l < L."""
    L = n_layers(params)
    m = y.shape[1]
    out: dict[str, np.ndarray] = {f"dZ{L}": A[f"A{L}"] - y}
    for l in range(L, 0, -1):
        dZ = out[f"dZ{l}"]
        out[f"dW{l}"] = dZ @ A[f"A{l - 1}"].T / m
        out[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
        if l > 1:
            prev = A[f"A{l - 1}"]
            out[f"WtdZ{l - 1}"] = params[f"W{l}"].T @ dZ
            out[f"dsig{l - 1}"] = prev * (1 - prev)
            out[f"dZ{l - 1}"] = out[f"WtdZ{l - 1}"] * out[f"dsig{l - 1}"]
    return out


def update(params: Params, grads: dict[str, np.ndarray], learning_rate: float) -> Params:
    return {k: v - learning_rate * grads[f"d{k}"] for k, v in params.items()}


def predict_proba(X: np.ndarray, params: Params) -> np.ndarray:
    A, _ = forward_propagation(X, params)
    return A[f"A{n_layers(params)}"]


def train(
    X: np.ndarray, y: np.ndarray, hidden: list[int], learning_rate: float, epochs: int, seed: int = 0
) -> tuple[Params, list[dict[str, float]]]:
    """Full-batch gradient descent from :func:`initialisation`; history of {epoch, loss, accuracy} (before each
    update, then after the last one). X (n0, m), y (1, m)."""
    params = initialisation([X.shape[0], *hidden, y.shape[0]], seed)
    history = []
    L = n_layers(params)
    for epoch in range(epochs + 1):
        A, Z = forward_propagation(X, params)
        history.append(
            {
                "epoch": epoch,
                "loss": log_loss(Z[f"Z{L}"], y),
                "accuracy": float(np.mean((A[f"A{L}"] >= 0.5) == (y == 1))),
            }
        )
        if epoch < epochs:
            params = update(params, back_propagation(y, params, A), learning_rate)
    return params, history


def grid(lo: float, hi: float, size: int) -> np.ndarray:
    return np.linspace(lo, hi, size)


def probability_map(params: Params, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The network's output over a grid of 2-D inputs: (len(ys), len(xs)), row = y."""
    gx, gy = np.meshgrid(xs, ys)
    P = predict_proba(np.stack([gx.ravel(), gy.ravel()]), params)
    return P.reshape(len(ys), len(xs))


# -- data sets a single neuron cannot separate ------------------------------------------------------------------------
def xor(n_per_corner: int = 1, noise: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """XOR: class 1 at (0, 1) and (1, 0), class 0 at (0, 0) and (1, 1); ``n_per_corner`` points around each corner
    with Gaussian ``noise`` (1 and 0: the four points of the truth table). X (2, m), y (1, m)."""
    rng = np.random.default_rng(seed)
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    labels = np.array([0.0, 1.0, 1.0, 0.0])
    X = np.repeat(corners, n_per_corner, axis=0) + noise * rng.standard_normal((4 * n_per_corner, 2))
    return X.T, np.repeat(labels, n_per_corner)[None, :]


def circles(n: int = 100, noise: float = 0.08, factor: float = 0.5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric circles (like scikit-learn's ``make_circles``): the outer one (radius 1) is class 0, the
    inner one (radius ``factor``) class 1; ``n`` points in all. X (2, n), y (1, n)."""
    rng = np.random.default_rng(seed)
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.concatenate(
        [np.stack([np.cos(t_out), np.sin(t_out)], 1), factor * np.stack([np.cos(t_in), np.sin(t_in)], 1)]
    )
    X += noise * rng.standard_normal(X.shape)
    y = np.concatenate([np.zeros(n_out), np.ones(n_in)])
    return X.T, y[None, :]


DATASETS = {"xor": xor, "circles": circles}


def unit_boundaries(params: Params) -> list[dict[str, Any]]:
    """The first hidden layer's units, each a line w1·x1 + w2·x2 + b = 0 in the input plane (2-D inputs)."""
    W, b = params["W1"], params["b1"]
    return [{"unit": k, "w": W[k].tolist(), "b": float(b[k, 0])} for k in range(W.shape[0])]
