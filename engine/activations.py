"""Element-wise activation functions, each with its derivative right next to it.

Every activation keeps the shape: ``(N, ...) -> (N, ...)``. Backward multiplies the upstream gradient by the
local derivative (chain rule): ``dL/dx = dL/dy * f'(x)``. Loop versions: :func:`engine.oracles.activation` and
:func:`engine.oracles.activation_backward` (one number at a time). Activations have no parameters, so
``backward(grad, input_grad=False)`` has nothing to compute and returns None.
"""

from __future__ import annotations

import numpy as np

from .base import Layer, NotDifferentiableError, OutputDerivativeLayer


class ReLU(Layer):
    """ReLU(x) = max(0, x);  ReLU'(x) = 1 if x > 0 else 0 (the course's mask ``dL_dconv[conv_output <= 0] = 0``).

    Loop version: :func:`engine.oracles.relu` (the course's), ``oracles.activation(x, "relu")``."""

    kind = "relu"
    formula = "ReLU(x) = max(0, x)"

    def forward(self, x):
        y = np.maximum(x, 0)
        # the mask x > 0 (= y > 0) is built now in training mode, while x is in the CPU cache; in eval mode only
        # if backward is called, so that inference makes one pass, not two
        self.cache = {"mask": x > 0} if self.training else {"y": y}
        return y

    def backward(self, grad, input_grad: bool = True):
        if not input_grad:
            return None
        mask = self.cache["mask"] if "mask" in self.cache else self.cache["y"] > 0
        # multiplying by the 0/1 mask, not np.where: where() branches per element and is ~6x slower
        return grad * mask


class _WithAlpha(Layer):
    """An activation with one number α (LeakyReLU's slope, ELU's saturation), kept in its config."""

    default_alpha = 0.1

    def __init__(self, alpha: float | None = None, name=None):
        super().__init__(name)
        self.alpha = float(self.default_alpha if alpha is None else alpha)

    def config(self):
        return {"alpha": self.alpha}


class LeakyReLU(_WithAlpha):
    """LeakyReLU(x) = x if x > 0 else α·x (α = 0.1 as in the course); derivative 1 or α.
    Loop version: ``oracles.activation(x, "leaky_relu", α)``."""

    kind = "leaky_relu"
    formula = "LeakyReLU(x) = x si x > 0, sinon α·x"
    default_alpha = 0.1

    def forward(self, x):
        mask = x > 0
        self.cache = {"mask": mask}
        return np.where(mask, x, x * x.dtype.type(self.alpha))

    def backward(self, grad, input_grad: bool = True):
        if not input_grad:
            return None
        return np.where(self.cache["mask"], grad, grad * grad.dtype.type(self.alpha))


class ELU(_WithAlpha):
    """ELU(x) = x if x > 0 else α·(eˣ − 1); derivative 1 or α·eˣ (= ELU(x) + α).
    Loop version: ``oracles.activation(x, "elu", α)``."""

    kind = "elu"
    formula = "ELU(x) = x si x > 0, sinon α·(eˣ − 1)"
    default_alpha = 1.0

    def forward(self, x):
        mask = x > 0
        a = x.dtype.type(self.alpha)
        neg = a * np.expm1(np.minimum(x, 0))  # minimum() avoids overflow warnings for large positive x
        y = np.where(mask, x, neg)
        self.cache = {"mask": mask, "neg": neg}
        return y

    def backward(self, grad, input_grad: bool = True):
        if not input_grad:
            return None
        a = grad.dtype.type(self.alpha)
        return np.where(self.cache["mask"], grad, grad * (self.cache["neg"] + a))


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + e^{−x}), computed without overflow for large |x|."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


class Sigmoid(OutputDerivativeLayer):
    """σ(x) = 1 / (1 + e^{−x});  σ'(x) = σ(x)·(1 − σ(x)).  Loop version: ``oracles.activation(x, "sigmoid")``."""

    kind = "sigmoid"
    formula = "σ(x) = 1 / (1 + e^(−x))"

    def function(self, x):
        return sigmoid(x)

    def grad_from_output(self, grad, y):
        return grad * y * (1 - y)


class Tanh(OutputDerivativeLayer):
    """tanh(x) = (eˣ − e^{−x}) / (eˣ + e^{−x});  tanh'(x) = 1 − tanh²(x).
    Loop version: ``oracles.activation(x, "tanh")``."""

    kind = "tanh"
    formula = "tanh(x) = (eˣ − e^(−x)) / (eˣ + e^(−x))"

    def function(self, x):
        return np.tanh(x)

    def grad_from_output(self, grad, y):
        return grad * (1 - y**2)


class Heaviside(Layer):
    """Step function of the perceptron: H(x) = 1 if x ≥ 0 else 0.

    Its derivative is 0 everywhere (and undefined at 0), so no gradient can flow through it: this is why the
    multilayer perceptron replaced it with sigmoid/tanh/ReLU. Backward raises a clear error.
    Loop version: ``oracles.activation(x, "heaviside")``."""

    kind = "heaviside"
    formula = "H(x) = 1 si x ≥ 0, sinon 0"

    def forward(self, x):
        return (x >= 0).astype(x.dtype)

    def backward(self, grad, input_grad: bool = True):
        if not input_grad:  # nothing to learn here, and nothing asked to flow through
            return None
        raise NotDifferentiableError(
            "Heaviside (step) has no useful derivative (0 everywhere, undefined at 0): backpropagation cannot "
            "go through it. Use sigmoid, tanh or ReLU to train with gradients."
        )


ACTIVATIONS = {cls.kind: cls for cls in (ReLU, LeakyReLU, ELU, Sigmoid, Tanh, Heaviside)}


def activation_curve(kind: str, x: np.ndarray, alpha: float | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """Values and derivative of an activation on a grid ``x`` (for plots). Heaviside's derivative is None."""
    cls = ACTIVATIONS[kind]
    layer = cls(alpha=alpha) if alpha is not None and kind in ("leaky_relu", "elu") else cls()
    x = np.asarray(x, dtype=np.float64)
    y = layer.forward(x)
    if kind == "heaviside":
        return y, None
    return y, layer.backward(np.ones_like(x))
