"""Flatten, fully-connected (Dense), Dropout and Softmax layers."""

from __future__ import annotations

import numpy as np

from .base import Layer, OutputDerivativeLayer


class Flatten(Layer):
    """(N, C, H, W) -> (N, C·H·W), row-major: channel by channel, each map row by row (the course's loop
    ``for i: for j: vector[index] = map[i, j]``). Backward reshapes the gradient back.
    Loop versions: :func:`engine.oracles.flatten` and :func:`engine.oracles.unflatten`."""

    kind = "flatten"
    formula = "x[c·H·W + i·W + j] = P[c, i, j]"

    def output_shape(self, input_shape):
        return (int(np.prod(input_shape)),)

    def forward(self, x):
        self.cache = {"x_shape": x.shape}
        return x.reshape(x.shape[0], -1)

    def backward(self, grad, input_grad: bool = True):
        return grad.reshape(self.cache["x_shape"]) if input_grad else None


class Dense(Layer):
    """Fully-connected layer: z = W·x + b.

    Shapes: x (N, D_in), W (D_out, D_in) (one row per neuron, as in the course), b (D_out,), z (N, D_out).
    Backward, given G = dL/dz (N, D_out)::

        dL/dW = Gᵀ · x      (D_out, D_in)   — for one sample, the outer product (ŷ − y) xᵀ
        dL/db = Σ_n G        (D_out,)
        dL/dx = G · W        (N, D_in)       — i.e. Wᵀ · dL/dz for one sample

    Loop versions: :func:`engine.oracles.fully_connected` and :func:`engine.oracles.fully_connected_backward`.
    """

    kind = "dense"
    formula = "z = W·x + b"

    def __init__(self, units: int, use_bias: bool = True, name=None):
        super().__init__(name)
        if not isinstance(units, (int, np.integer)) or units < 1:
            raise ValueError(f"units must be a positive integer, got {units!r}")
        self.units = int(units)
        self.use_bias = bool(use_bias)

    def config(self):
        return {"units": self.units, "use_bias": self.use_bias}

    def output_shape(self, input_shape):
        if len(input_shape) != 1:
            raise ValueError(
                f"{self.name}: a dense layer needs a vector input (add a flatten layer), got {input_shape}"
            )
        return (self.units,)

    def build(self, input_shape, rng, dtype=np.float32):
        out = self.output_shape(input_shape)
        d_in = input_shape[0]
        self.params["W"] = (rng.standard_normal((self.units, d_in)) * np.sqrt(2.0 / d_in)).astype(dtype)
        if self.use_bias:
            self.params["b"] = np.zeros(self.units, dtype=dtype)
        return out

    def forward(self, x):
        self.cache = {"x": x}
        z = x @ self.params["W"].T
        if self.use_bias:
            z += self.params["b"]
        return z

    def backward(self, grad, input_grad: bool = True):
        """``input_grad=False`` fills the parameter gradients only and returns None (first layer of a step)."""
        x = self.cache["x"]
        # np.dot, not @: for one sample this is an outer product (inner dimension 1), for which np.matmul
        # takes a slow non-BLAS loop (~10x slower); np.dot hands it to BLAS
        self.grads["W"] = np.dot(grad.T, x)
        if self.use_bias:
            self.grads["b"] = grad.sum(axis=0)
        return grad @ self.params["W"] if input_grad else None


class Dropout(Layer):
    """Inverted dropout, active only while training: each unit is kept with probability 1 − p and scaled by
    1/(1 − p), so nothing changes at inference time (identity). Backward applies the same mask.
    Loop version: :func:`engine.oracles.dropout` (forward and backward alike)."""

    kind = "dropout"
    formula = "y = x · m / (1 − p),  m ~ Bernoulli(1 − p)"

    def __init__(self, rate: float = 0.5, seed: int | None = None, name=None):
        super().__init__(name)
        if not 0 <= rate < 1:
            raise ValueError(f"dropout rate must be in [0, 1), got {rate!r}")
        self.rate = float(rate)
        self.rng = np.random.default_rng(seed)

    def config(self):
        return {"rate": self.rate}

    def forward(self, x):
        if not self.training or self.rate == 0:
            self.cache = {"mask": None}
            return x
        keep = 1.0 - self.rate
        mask = (self.rng.random(x.shape) < keep).astype(x.dtype) / x.dtype.type(keep)
        self.cache = {"mask": mask}
        return x * mask

    def backward(self, grad, input_grad: bool = True):
        if not input_grad:
            return None
        mask = self.cache["mask"]
        return grad if mask is None else grad * mask


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """softmax(z)_i = exp(z_i − max z) / Σ_j exp(z_j − max z) — subtracting the max changes nothing
    mathematically and keeps exp() from overflowing for huge logits."""
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


class Softmax(OutputDerivativeLayer):
    """ŷ = softmax(z), shape (N, K) -> (N, K).

    Standalone backward uses the Jacobian-vector product dL/dz = ŷ ⊙ (g − Σ_k g_k ŷ_k). In training the model
    fuses softmax with cross-entropy instead, where this simplifies to dL/dz = ŷ − y.
    Loop versions: :func:`engine.oracles.softmax` and :func:`engine.oracles.softmax_backward`."""

    kind = "softmax"
    formula = "ŷ_i = exp(z_i) / Σ_j exp(z_j)"

    def function(self, z):
        return softmax(z)

    def grad_from_output(self, grad, y):
        return y * (grad - (grad * y).sum(axis=-1, keepdims=True))
