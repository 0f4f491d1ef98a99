"""One artificial neuron, as in the course's chapter on the perceptron (seed 001): sigmoid output, log loss and
vectorised gradient descent, in the course's own layout and names.

Shapes (the course's): X (m, n) one sample per row, W (n, 1), b a scalar, y (m, 1)::

    Z = X·W + b          (m, 1)
    A = σ(Z)             (m, 1)      σ(z) = 1 / (1 + e^(−z))
    L = −(1/m) Σ [y·ln A + (1 − y)·ln(1 − A)]
    ∂L/∂W = (1/m)·Xᵀ(A − y)   (n, 1)
    ∂L/∂b = (1/m)·Σ(A − y)
    W ← W − η·∂L/∂W,   b ← b − η·∂L/∂b

The loss is computed from Z as the course's own derivation writes it, L = (1/m) Σ [ln(1 + e^z) − y·z], with
``np.logaddexp``: exact, and finite even where σ(z) rounds to 0 or 1 (the course adds ε = 1e−10 inside the logs
instead; :func:`course_log_loss` keeps that version, and :func:`course_model` the plain ``1/(1 + np.exp(−Z))``
whose overflow the course's case study meets). The loops of the course's derivation are in
``engine/oracles.py`` (``neuron_gradients_loop``), the tests' oracle.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .activations import sigmoid

#: the ε the course adds inside its logarithms, so that none is ln 0
COURSE_EPSILON = 1e-10
#: e^x overflows float64 above this (ln of the largest double)
EXP_OVERFLOW = float(np.log(np.finfo(np.float64).max))


def column(v) -> np.ndarray:
    """Any 1-D or (m, 1) sequence -> a float64 column (m, 1), as the course reshapes y (``y.reshape(m, 1)``)."""
    return np.asarray(v, dtype=np.float64).reshape(-1, 1)


def forward(X: np.ndarray, W: np.ndarray, b: float) -> tuple[np.ndarray, np.ndarray]:
    """Z = X·W + b and A = σ(Z), both (m, 1)."""
    Z = X @ W + b
    return Z, sigmoid(Z)


def heaviside(Z: np.ndarray) -> np.ndarray:
    """The formal neuron's output: 1 if z ≥ 0 else 0 (the course's summary)."""
    return (Z >= 0).astype(np.float64)


def log_loss(Z: np.ndarray, y: np.ndarray) -> float:
    """L = (1/m) Σ [ln(1 + e^z) − y·z]  (= −(1/m) Σ [y·ln a + (1 − y)·ln(1 − a)] with a = σ(z))."""
    return float(np.mean(np.logaddexp(0.0, Z) - y * Z))


def gradients(A: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """∂L/∂W = (1/m)·Xᵀ(A − y) (n, 1) and ∂L/∂b = (1/m)·Σ(A − y)."""
    m = y.shape[0]
    return X.T @ (A - y) / m, float(np.sum(A - y) / m)


def hessian(X: np.ndarray, A: np.ndarray) -> np.ndarray:
    """The loss's curvature in (w1, …, wn, b): H = (1/m)·X̃ᵀ·diag(a(1 − a))·X̃ with X̃ = [X, 1]."""
    Xt = np.hstack([X, np.ones((X.shape[0], 1))])
    s = (A * (1 - A)).reshape(-1)
    return (Xt * s[:, None]).T @ Xt / X.shape[0]


def critical_learning_rate(X: np.ndarray, A: np.ndarray) -> float | None:
    """2/λ_max of the Hessian: near a point where the loss is curved by λ_max, a step η·∇L overshoots the bottom of
    the valley and lands higher on the other side as soon as η > 2/λ_max (the cost then oscillates). None where the
    loss is flat (every a is 0 or 1)."""
    lam = float(np.linalg.eigvalsh(hessian(X, A))[-1])
    return 2.0 / lam if lam > 1e-300 else None


def step(X, y, W, b: float, learning_rate: float) -> dict[str, Any]:
    """One step of gradient descent with every intermediate value (the numbers the /neuron page shows)."""
    X = np.asarray(X, dtype=np.float64)
    y = column(y)
    W = column(W)
    Z, A = forward(X, W, b)
    dW, db = gradients(A, X, y)
    W_next = W - learning_rate * dW
    b_next = float(b - learning_rate * db)
    Z_next, A_next = forward(X, W_next, b_next)
    return {
        "Z": Z,
        "A": A,
        "heaviside": heaviside(Z),
        "A_minus_y": A - y,
        "loss": log_loss(Z, y),
        "dW": dW,
        "db": db,
        "W_next": W_next,
        "b_next": b_next,
        "loss_next": log_loss(Z_next, y),
        "accuracy": float(np.mean((A >= 0.5) == (y == 1))),
        "critical_learning_rate": critical_learning_rate(X, A),
    }


def descend(X, y, W, b: float, learning_rate: float, steps: int) -> list[dict[str, Any]]:
    """``steps`` steps of gradient descent from (W, b): [{step, W, b, loss, accuracy}] for steps 0..steps (the
    loss is the loss at that point, before the update that follows)."""
    X = np.asarray(X, dtype=np.float64)
    y = column(y)
    W = column(W).copy()
    history = []
    for k in range(steps + 1):
        Z, A = forward(X, W, b)
        history.append(
            {
                "step": k,
                "W": W.reshape(-1).copy(),
                "b": float(b),
                "loss": log_loss(Z, y),
                "accuracy": float(np.mean((A >= 0.5) == (y == 1))),
            }
        )
        if k < steps:
            dW, db = gradients(A, X, y)
            W -= learning_rate * dW
            b = float(b - learning_rate * db)
    return history


def loss_surface(X, y, b: float, w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
    """The log loss over a grid of (w1, w2) with b fixed, 2-D inputs only: (len(w2), len(w1)), row = w2."""
    X = np.asarray(X, dtype=np.float64)
    y = column(y)
    # z for every sample and grid point: (m, len(w2), len(w1)); 2-D clouds of a few hundred points only
    Z = X[:, 0, None, None] * w1[None, None, :] + X[:, 1, None, None] * w2[None, :, None] + b
    return np.mean(np.logaddexp(0.0, Z) - y[:, :, None] * Z, axis=0)


def two_clouds(n_per_class: int = 20, seed: int = 0, spread: float = 1.1) -> tuple[np.ndarray, np.ndarray]:
    """Two seeded Gaussian clouds in 2-D (like the course's ``make_blobs``): class 0 around (−1, −0.5), class 1
    around (1, 0.8). Returns X (2n, 2) and y (2n,) of 0/1."""
    rng = np.random.default_rng(seed)
    centres = np.array([[-1.0, -0.5], [1.0, 0.8]])
    X = np.concatenate([centres[c] + spread * rng.standard_normal((n_per_class, 2)) for c in (0, 1)])
    y = np.repeat([0.0, 1.0], n_per_class)
    return X, y


# -- the course's case study: unnormalised pixels and the overflow of exp -------------------------------------------
def course_model(X, W, b) -> tuple[np.ndarray, int]:
    """The course's ``model``: A = 1/(1 + np.exp(−Z)), as printed. Returns A and how many e^(−z) overflowed to
    inf (NumPy's "RuntimeWarning: overflow encountered in exp" of the case study): there A = 1/inf = 0 exactly, so
    ln(A) is −inf without the course's ε."""
    Z = np.asarray(X, dtype=np.float64) @ column(W) + b
    with np.errstate(over="ignore"):
        e = np.exp(-Z)
    return 1 / (1 + e), int(np.count_nonzero(np.isinf(e)))


def course_log_loss(A, y, epsilon: float = COURSE_EPSILON) -> float:
    """The course's ``LogLoss``: −(1/m)·Σ[y·ln(A + ε) + (1 − y)·ln(1 − A + ε)]."""
    A, y = column(A), column(y)
    return float(-np.sum(y * np.log(A + epsilon) + (1 - y) * np.log(1 - A + epsilon)) / y.shape[0])


def minmax_scale(X, lo: float | None = None, hi: float | None = None) -> np.ndarray:
    """X' = (X − Xmin)/(Xmax − Xmin), every value in [0, 1]. ``lo``/``hi`` default to X's own; for 8-bit images
    they are 0 and 255 (the course divides by the training set's max)."""
    X = np.asarray(X, dtype=np.float64)
    lo = float(X.min()) if lo is None else lo
    hi = float(X.max()) if hi is None else hi
    return (X - lo) / (hi - lo if hi > lo else 1.0)


def course_training(X, y, learning_rate: float, steps: int, seed: int = 0) -> dict[str, Any]:
    """The course's ``neurone_artificiel`` loop on X as given: W, b ~ N(0, 1) (``init_w_b``), then ``steps`` times:
    A = course_model, cost = course_log_loss, the vectorised gradients, the update. Records the cost, how many
    exponentials overflowed, how many a are exactly 0 or 1 (saturated) and the largest |z| of each step."""
    X = np.asarray(X, dtype=np.float64)
    y = column(y)
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((X.shape[1], 1))
    b = float(rng.standard_normal())
    cost, overflows, saturated, z_max = [], [], [], []
    for _ in range(steps):
        A, overflow = course_model(X, W, b)
        cost.append(course_log_loss(A, y))
        overflows.append(overflow)
        saturated.append(int(np.count_nonzero((A == 0) | (A == 1))))
        z_max.append(float(np.max(np.abs(X @ W + b))))
        dW, db = gradients(A, X, y)
        W = W - learning_rate * dW
        b = b - learning_rate * db
    A, _ = course_model(X, W, b)
    return {
        "cost": cost,
        "overflows": overflows,
        "saturated": saturated,
        "z_abs_max": z_max,
        "accuracy": float(np.mean((A >= 0.5) == (y == 1))),
        "m": int(y.shape[0]),
    }
