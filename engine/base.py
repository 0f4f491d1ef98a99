"""The contract every layer follows.

A layer is a small object with

* ``forward(x)``  -> y       (and it remembers, in ``self.cache``, what backward needs)
* ``backward(dy)`` -> dx     (and it fills ``self.grads`` with dL/dparam for each parameter);
  ``backward(dy, input_grad=False)`` fills ``self.grads`` only and returns None — what the first layer of a
  training step is asked (nothing below it learns from dx), honoured by every layer

exactly like Karpathy's micrograd or CS231n's ``layers.py``. Parameters live in ``self.params`` (a dict of
NumPy arrays) and their gradients in ``self.grads`` under the same names. Shapes are batch-first:
images are ``(N, C, H, W)``, vectors ``(N, D)``. Each layer's docstring names its loop version in
``engine/oracles.py`` (the course's code, one number at a time), which the tests compare it with.

Why caches on the object? Because it keeps each layer's forward and backward side by side and easy to read.
The price is that one layer object must not serve two passes at once: the web app therefore works on
``model.fork()`` (new layer objects sharing the same read-only weights) for every request.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class NotDifferentiableError(RuntimeError):
    """Raised when someone tries to backpropagate through a step function (Heaviside)."""


class Layer:
    #: short machine name used in architecture specs ("conv2d", "relu", ...)
    kind: str = "layer"
    #: the formula shown to students, in the course's notation
    formula: str = ""

    def __init__(self, name: str | None = None):
        self.name = name or self.kind
        self.named = name is not None  # an explicit name is kept; default names get numbered (conv1, relu2)
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.cache: dict[str, Any] = {}
        self.training = False

    # -- the two passes -------------------------------------------------------------------------------
    def forward(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:  # pragma: no cover
        """dL/d(output) -> dL/d(input), filling ``self.grads``; None (and no dL/dx work) if not ``input_grad``."""
        raise NotImplementedError

    # -- description ----------------------------------------------------------------------------------
    def build(self, input_shape: tuple[int, ...], rng: np.random.Generator, dtype=np.float32) -> tuple[int, ...]:
        """Create parameters for a per-sample ``input_shape`` and return the per-sample output shape."""
        return self.output_shape(input_shape)

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(input_shape)

    def config(self) -> dict[str, Any]:
        """Hyper-parameters that, with ``kind`` and ``name``, rebuild this layer (JSON-able)."""
        return {}

    def spec(self) -> dict[str, Any]:
        return {"type": self.kind, "name": self.name, **self.config()}

    def geometry(self) -> dict[str, Any] | None:
        """Kernel/stride/padding of spatial layers (for receptive fields); None for the others."""
        return None

    def param_count(self) -> int:
        return int(sum(p.size for p in self.params.values()))

    def fork(self) -> Layer:
        """A new layer object sharing this one's parameter arrays but with its own cache and grads.

        Parameters are shared, not copied: code working on a fork must replace arrays, never write into them.
        The fork holds read-only views, so an in-place update (an optimiser step on a fork) raises instead of
        silently changing the original model's weights.
        """
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.params = {name: read_only(value) for name, value in self.params.items()}
        clone.grads = {}
        clone.cache = {}
        return clone

    def __repr__(self) -> str:
        cfg = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({cfg})"


def read_only(array: np.ndarray) -> np.ndarray:
    """A view of ``array`` that cannot be written through (the array itself stays writeable)."""
    view = array.view()
    view.flags.writeable = False
    return view


def pair(value: int | tuple[int, int] | list[int], what: str) -> tuple[int, int]:
    """``3 -> (3, 3)``; ``(2, 1) -> (2, 1)``; with a readable error otherwise."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value), int(value)
    if (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value)
    ):
        return int(value[0]), int(value[1])
    raise ValueError(f"{what} must be an integer or a pair of integers, got {value!r}")


class OutputDerivativeLayer(Layer):
    """A parameter-free layer y = f(x) whose derivative is best written with its output y (σ' = σ·(1 − σ),
    tanh' = 1 − tanh², softmax's Jacobian): forward keeps y, backward turns dL/dy into dL/dx from it.
    Subclasses write the two formulas, :meth:`function` and :meth:`grad_from_output`."""

    def function(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def grad_from_output(self, grad: np.ndarray, y: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        """dL/dy and y = f(x) -> dL/dx."""
        raise NotImplementedError

    def forward(self, x):
        y = self.function(x)
        self.cache = {"y": y}
        return y

    def backward(self, grad, input_grad: bool = True):
        if not input_grad:  # no parameters: nothing else to compute
            return None
        return self.grad_from_output(grad, self.cache["y"])
