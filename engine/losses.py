"""Loss functions, each returning the loss and its gradient together.

All losses average over the batch (N samples), so for a single sample they are exactly the course's formulas.
The logarithm is the natural logarithm (ln): the course's worked example uses log base 10 by mistake.
"""

from __future__ import annotations

import functools

import numpy as np

from .dense import softmax


def one_hot(labels, num_classes: int, dtype=np.float32) -> np.ndarray:
    """[2, 0] -> [[0,0,1,...], [1,0,0,...]]: rows of the identity matrix, picked in one call."""
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)
    # viewed as unsigned, a negative label becomes huge: one max() checks both ends of the range
    if labels.size and labels.view(np.uint64).max() >= num_classes:
        raise ValueError(f"labels must be in 0..{num_classes - 1}")
    return identity(num_classes, np.dtype(dtype)).take(labels, axis=0)


@functools.lru_cache(maxsize=32)
def identity(k: int, dtype: np.dtype) -> np.ndarray:
    """The (k, k) identity matrix, read-only and memoised (one-hot rows are copied out of it by indexing)."""
    eye = np.eye(k, dtype=dtype)
    eye.flags.writeable = False
    return eye


def as_targets(y, num_classes: int, dtype) -> np.ndarray:
    """Integer labels (N,) or one-hot / probability targets (N, K) -> (N, K) targets."""
    y = np.asarray(y)
    if y.ndim == 1 and y.dtype.kind in "iu":  # integer labels
        return one_hot(y, num_classes, dtype)
    y = y.astype(dtype, copy=False)
    return y.reshape(1, -1) if y.ndim == 1 else y


def softmax_cross_entropy(logits: np.ndarray, y) -> tuple[float, np.ndarray, np.ndarray]:
    """Softmax fused with categorical cross-entropy.

    L = −(1/N) Σ_n Σ_i y_ni · ln ŷ_ni,  with ŷ = softmax(z).  Gradient: dL/dz = (ŷ − y) / N.

    Written so that a confident network gets right numbers, not only finite ones:

    * ln ŷ = z − logsumexp(z), with logsumexp(z) = max(z) + log1p(Σ_{j ≠ argmax} e^(z_j − max z)): huge logits
      (1e4) give a finite loss, and for ŷ_t = 1 − 3·10⁻⁷ the loss ≈ 3·10⁻⁷ keeps its digits (ln of a sum that
      rounds to 1 would lose them all in float32);
    * for a one-hot target, ŷ_t − 1 is computed as −Σ_{j ≠ t} ŷ_j (1 − ŷ_t would cancel catastrophically).

    ``y``: integer labels (N,) or one-hot / probability targets (N, K). Returns (loss, ŷ, dL/dz)."""
    z = logits.reshape(1, -1) if logits.ndim == 1 else logits
    n, k = z.shape
    t = as_targets(y, k, z.dtype)
    top = z.argmax(axis=1)
    rows = np.arange(n)
    shifted = z - z[rows, top][:, None]
    exp_shifted = np.exp(shifted)
    exp_shifted[rows, top] = 0.0  # e^0 = 1 is added back exactly by log1p
    log_probs = shifted - np.log1p(exp_shifted.sum(axis=1, keepdims=True))
    probs = np.exp(log_probs)
    loss = float(-(t * log_probs).sum() / n)
    dz = probs - t
    targets = t == 1
    if targets.any():  # one-hot rows: ŷ_t − 1 = −Σ_{j≠t} ŷ_j, without cancellation
        others = np.where(targets, 0.0, probs).sum(axis=1)
        hot = targets.any(axis=1) & (t.sum(axis=1) == 1)
        dz[hot] = np.where(targets[hot], -others[hot, None], dz[hot])
    if n > 1:  # for one sample, dividing by 1 would cost as much as the subtraction
        dz /= n
    return loss, probs, dz


def cross_entropy(probs: np.ndarray, y, eps: float = 1e-12) -> tuple[float, np.ndarray]:
    """Categorical cross-entropy on probabilities: L = −(1/N) Σ y·ln(ŷ); dL/dŷ = −y / (N·ŷ)."""
    p = probs.reshape(1, -1) if probs.ndim == 1 else probs
    t = as_targets(y, p.shape[1], p.dtype)
    n = p.shape[0]
    clipped = np.clip(p, eps, 1.0)
    return float(-(t * np.log(clipped)).sum() / n), -t / (clipped * n)


def binary_cross_entropy(p: np.ndarray, y: np.ndarray, eps: float = 1e-12) -> tuple[float, np.ndarray]:
    """L = −(1/N) Σ [y·ln p + (1 − y)·ln(1 − p)];  dL/dp = (p − y) / (p(1 − p)·N)."""
    p = np.asarray(p, dtype=np.float64 if np.asarray(p).dtype.kind != "f" else np.asarray(p).dtype)
    y = np.asarray(y, dtype=p.dtype)
    q = np.clip(p, eps, 1 - eps)
    n = p.size
    loss = float(-(y * np.log(q) + (1 - y) * np.log(1 - q)).sum() / n)
    return loss, (q - y) / (q * (1 - q) * n)


def mean_squared_error(pred: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """L = (1/N) Σ (ŷ − y)²  (mean over every element);  dL/dŷ = 2(ŷ − y) / N."""
    pred = np.asarray(pred)
    diff = pred - np.asarray(target, dtype=pred.dtype)
    return float((diff**2).mean()), 2 * diff / diff.size


__all__ = ["one_hot", "softmax", "softmax_cross_entropy", "cross_entropy", "binary_cross_entropy", "mean_squared_error"]
