"""Shared helpers for the engine tests: numerical gradients of a single layer, float64 throughout."""

from __future__ import annotations

import numpy as np
import pytest

from engine.gradcheck import numerical_gradient


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(1234)


def numerical_grad(f, array: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar ``f()`` with respect to every entry of ``array`` (edited in place and
    restored)."""
    grad = np.zeros_like(array, dtype=np.float64)
    for index in np.ndindex(array.shape):
        grad[index] = numerical_gradient(f, array, index, eps)
    return grad


def assert_close_grad(analytic: np.ndarray, numerical: np.ndarray, what: str, tol: float = 1e-6) -> None:
    """Relative error max|a − n| / max(1, max|n|) — absolute near zero, relative for large gradients."""
    assert analytic.shape == numerical.shape, what
    scale = max(1.0, float(np.abs(numerical).max(initial=0.0)))
    err = float(np.abs(analytic - numerical).max(initial=0.0)) / scale
    assert err < tol, f"{what}: relative error {err:.2e}\nanalytic\n{analytic}\nnumerical\n{numerical}"


def check_layer_gradients(layer, x: np.ndarray, rng: np.random.Generator, before_forward=None, tol: float = 1e-6):
    """Gradient check of one layer with the scalar L = Σ forward(x) ⊙ R (R random): backward(R) must equal the
    numerical dL/dx, and ``layer.grads`` the numerical dL/dθ for every parameter θ.

    ``before_forward()`` runs before every forward pass (e.g. to reset a dropout layer's random generator, so
    every pass uses the same mask)."""
    prepare = before_forward or (lambda: None)
    prepare()
    out = layer.forward(x)
    weights = rng.standard_normal(out.shape)
    dx = layer.backward(weights.copy())
    grads = {k: v.copy() for k, v in layer.grads.items()}

    def loss() -> float:
        prepare()
        return float((layer.forward(x) * weights).sum())

    assert_close_grad(dx, numerical_grad(loss, x), f"{layer!r} dL/dx", tol)
    assert set(grads) == set(layer.params), f"{layer!r} must give a gradient for each parameter"
    for name, value in layer.params.items():
        assert grads[name].shape == value.shape
        assert_close_grad(grads[name], numerical_grad(loss, value), f"{layer!r} dL/d{name}", tol)
    return out, dx


class GradientTools:
    """The helpers above, handed to tests by the ``gc`` fixture (test modules do not import conftest)."""

    numerical = staticmethod(numerical_grad)
    assert_close = staticmethod(assert_close_grad)
    check_layer = staticmethod(check_layer_gradients)


@pytest.fixture
def gc() -> GradientTools:
    return GradientTools()
