"""Optimisers: they turn gradients into parameter updates (in place, on the model being trained).

SGD with momentum:   v ← μ·v − η·g;   θ ← θ + v           (μ = 0 is the course's plain θ ← θ − η·g)
Adam:                m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²
                     θ ← θ − η · m̂ / (√v̂ + ε),   m̂ = m / (1 − β1ᵗ),  v̂ = v / (1 − β2ᵗ)
"""

from __future__ import annotations

import numpy as np


class SGD:
    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0, weight_decay: float = 0.0):
        if learning_rate <= 0:
            raise ValueError("learning_rate must be positive")
        if not 0 <= momentum < 1:
            raise ValueError("momentum must be in [0, 1)")
        self.learning_rate = float(learning_rate)
        self.momentum = float(momentum)
        self.weight_decay = float(weight_decay)
        self.velocity: dict[int, np.ndarray] = {}

    def step(self, model) -> None:
        lr, momentum, weight_decay = self.learning_rate, self.momentum, self.weight_decay
        for layer, name, value in model.parameters():
            g = layer.grads[name]
            if weight_decay and name in ("W", "K"):
                g = g + weight_decay * value
            if momentum:
                v = self.velocity.get(id(value))
                if v is None:  # not setdefault(): it would build a new zero array on every call
                    v = self.velocity[id(value)] = np.zeros_like(value)
                v *= momentum
                v -= lr * g
                value += v
            else:
                value -= lr * g


class Adam:
    def __init__(
        self,
        learning_rate: float = 1e-3,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ):
        if learning_rate <= 0:
            raise ValueError("learning_rate must be positive")
        self.learning_rate = float(learning_rate)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.weight_decay = float(weight_decay)
        self.t = 0
        self.m: dict[int, np.ndarray] = {}
        self.v: dict[int, np.ndarray] = {}

    def step(self, model) -> None:
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        # bias corrections folded into the step size
        lr_t = self.learning_rate * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        for layer, name, value in model.parameters():
            g = layer.grads[name]
            if self.weight_decay and name in ("W", "K"):
                g = g + self.weight_decay * value
            if id(value) not in self.m:  # first step (setdefault would build two zero arrays on every step)
                self.m[id(value)], self.v[id(value)] = np.zeros_like(value), np.zeros_like(value)
            m, v = self.m[id(value)], self.v[id(value)]
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * (g * g)
            value -= (lr_t * m / (np.sqrt(v) + self.eps)).astype(value.dtype, copy=False)


def make_optimizer(name: str, learning_rate: float, momentum: float = 0.9, weight_decay: float = 0.0):
    name = name.lower()
    if name == "sgd":
        return SGD(learning_rate, momentum=momentum, weight_decay=weight_decay)
    if name == "adam":
        return Adam(learning_rate, weight_decay=weight_decay)
    raise ValueError(f"unknown optimizer {name!r} (use 'sgd' or 'adam')")
