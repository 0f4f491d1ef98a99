"""Numerical gradient check: compare backpropagation with central differences.

For a parameter θ_k::

    dL/dθ_k ≈ (L(θ_k + ε) − L(θ_k − ε)) / (2ε)

computed in float64 so the comparison is meaningful. The relative error
``|a − n| / max(|a|, |n|, 1e-12)`` should be tiny (≲ 1e-6) when the analytic gradient is right. Near a kink
(ReLU at 0, ties in max pooling) the numerical estimate can legitimately differ; ``kink`` flags those cases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .model import Sequential


def numerical_gradient(f: Callable[[], float], array: np.ndarray, index: tuple, eps: float = 1e-5) -> float:
    """Central difference of ``f()`` with respect to ``array[index]`` (the array is restored afterwards)."""
    old = array[index]
    array[index] = old + eps
    plus = f()
    array[index] = old - eps
    minus = f()
    array[index] = old
    return (plus - minus) / (2 * eps)


def relative_error(a: float, n: float) -> float:
    return abs(a - n) / max(abs(a), abs(n), 1e-12)


def gradcheck(
    model: Sequential,
    x,
    label: int,
    layer: str,
    param: str,
    indices: list[tuple] | None = None,
    count: int = 5,
    eps: float = 1e-5,
    seed: int = 0,
) -> dict[str, Any]:
    """Analytic vs numerical gradient of the cross-entropy loss for chosen entries of ``layer.param``.

    ``indices``: explicit positions (tuples); otherwise ``count`` random ones (seeded). The served model is
    not touched: the check runs on a float64 copy."""
    m = model.astype(np.float64).eval()
    target = m.layer(layer)
    if param not in target.params:
        raise KeyError(f"layer {layer!r} has no parameter {param!r} (it has: {', '.join(target.params) or 'none'})")
    arr = target.params[param]
    batch = m.as_batch(np.asarray(x, dtype=np.float64))
    y = np.array([label])
    loss, _, _ = m.loss_and_grads(batch, y)
    analytic = target.grads[param].copy()
    if indices is None:
        rng = np.random.default_rng(seed)
        flat = rng.choice(arr.size, size=min(count, arr.size), replace=False)
        indices = [tuple(int(i) for i in np.unravel_index(k, arr.shape)) for k in flat]
    checks = []
    for idx in indices:
        idx = tuple(int(i) for i in idx)
        if len(idx) != arr.ndim or any(not 0 <= i < s for i, s in zip(idx, arr.shape)):
            raise IndexError(f"index {list(idx)} is outside {layer}.{param} of shape {list(arr.shape)}")
        num = numerical_gradient(lambda: m.loss_and_grads(batch, y)[0], arr, idx, eps)
        a = float(analytic[idx])
        checks.append(
            {
                "index": list(idx),
                "value": float(arr[idx]),
                "analytic": a,
                "numerical": float(num),
                "abs_error": abs(a - num),
                "relative_error": relative_error(a, num),
            }
        )
    return {
        "layer": layer,
        "param": param,
        "shape": list(arr.shape),
        "loss": loss,
        "eps": eps,
        "checks": checks,
        "max_relative_error": max((c["relative_error"] for c in checks), default=0.0),
    }
