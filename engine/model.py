"""``Sequential``: a stack of layers built from a JSON-able architecture spec.

A spec is a list of layer dicts, e.g.::

    [{"type": "conv2d", "filters": 8, "kernel_size": 5, "padding": "same"},
     {"type": "relu"}, {"type": "maxpool", "size": 2},
     {"type": "flatten"}, {"type": "dense", "units": 10}, {"type": "softmax"}]

The model knows its per-sample ``input_shape`` (C, H, W), builds each layer's parameters, and can print a
Keras-like summary. A network that ends with ``softmax`` is trained with the fused softmax + cross-entropy
(gradient ŷ − y); ``logits()`` stops just before the softmax for that reason.

Models are saved as ``.npz`` (``allow_pickle=False``): one array per parameter (``param/<layer>/<name>``),
plus the architecture and metadata as JSON text.

Why one file of over 400 lines: the model is one class — building, running, training passes, describing, saving —
and a reader follows a batch through it top to bottom.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import os
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .activations import ELU, Heaviside, LeakyReLU, ReLU, Sigmoid, Tanh
from .base import Layer
from .conv import Conv2D
from .dense import Dense, Dropout, Flatten, Softmax
from .losses import softmax_cross_entropy
from .pooling import AvgPool2D, MaxPool2D, SumPool2D

LAYER_TYPES: dict[str, Callable[..., Layer]] = {
    cls.kind: cls
    for cls in (
        Conv2D,
        ReLU,
        LeakyReLU,
        ELU,
        Sigmoid,
        Tanh,
        Heaviside,
        MaxPool2D,
        AvgPool2D,
        SumPool2D,
        Flatten,
        Dense,
        Dropout,
        Softmax,
    )
}
# friendly aliases accepted in specs
LAYER_ALIASES = {
    "conv": "conv2d",
    "max_pool": "maxpool",
    "avg_pool": "avgpool",
    "sum_pool": "sumpool",
    "fc": "dense",
    "linear": "dense",
    "leakyrelu": "leaky_relu",
}


class ModelFileError(ValueError):
    """A model file that cannot be read (corrupt, truncated, wrong layout)."""


def layer_from_spec(spec: dict[str, Any]) -> Layer:
    if not isinstance(spec, dict) or "type" not in spec:
        raise ValueError(f"each layer spec must be an object with a 'type', got {spec!r}")
    kind = LAYER_ALIASES.get(str(spec["type"]).lower(), str(spec["type"]).lower())
    cls = LAYER_TYPES.get(kind)
    if cls is None:
        raise ValueError(f"unknown layer type {spec['type']!r}; known: {', '.join(sorted(LAYER_TYPES))}")
    kwargs = {k: v for k, v in spec.items() if k != "type"}
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise ValueError(f"bad options for a {kind} layer: {exc}") from None


def running_order(layers: list[Layer]) -> list[Layer]:
    """The order in which :class:`Sequential` runs ``layers``: as given, except that a ReLU followed by a max
    pooling runs after it. Both orders give the same numbers::

        max(ReLU(x) over a window) = ReLU(max(x over the window))          (ReLU never changes which value is largest)

    and backward sends the same gradients: the ReLU mask at each window's arg-max is [max > 0] either way, and a
    window whose numbers are all ≤ 0 sends nothing back in both. Run this way, the ReLU and its mask touch a quarter
    of the numbers (2×2 pooling). Traces run the layers one by one in their own order (engine/trace.py)."""
    order = list(layers)
    for i in range(len(order) - 1):
        if type(order[i]) is ReLU and type(order[i + 1]) is MaxPool2D:
            order[i], order[i + 1] = order[i + 1], order[i]
    return order


class Sequential:
    """Layers applied one after the other. ``input_shape`` is per sample: (C, H, W) or (D,)."""

    def __init__(
        self,
        layers: list[Layer],
        input_shape=(1, 28, 28),
        seed: int = 0,
        dtype=np.float32,
        metadata: dict | None = None,
        build: bool = True,
    ):
        self.layers = list(layers)
        self.input_shape = tuple(int(v) for v in input_shape)
        self.dtype = np.dtype(dtype)
        self.metadata: dict[str, Any] = dict(metadata or {})
        self._name_layers()
        self.shapes: list[tuple[int, ...]] = []
        if build:
            self.build(np.random.default_rng(seed))

    # -- construction -----------------------------------------------------------------------------------
    @classmethod
    def from_spec(cls, spec: list[dict], input_shape=(1, 28, 28), seed: int = 0, dtype=np.float32, **kw) -> Sequential:
        if not isinstance(spec, list) or not spec:
            raise ValueError("an architecture is a non-empty list of layer specs")
        return cls([layer_from_spec(s) for s in spec], input_shape=input_shape, seed=seed, dtype=dtype, **kw)

    def spec(self) -> list[dict]:
        return [layer.spec() for layer in self.layers]

    def _name_layers(self) -> None:
        """Give default names like conv1, relu2, dense1 (unique, numbered per type)."""
        counts: dict[str, int] = {}
        seen: set[str] = set()
        for layer in self.layers:
            if layer.named and layer.name not in seen:
                seen.add(layer.name)
                continue
            base = {"conv2d": "conv"}.get(layer.kind, layer.kind)
            while True:
                counts[base] = counts.get(base, 0) + 1
                name = f"{base}{counts[base]}"
                if name not in seen:
                    break
            layer.name = name
            seen.add(name)

    def build(self, rng: np.random.Generator) -> None:
        shape = self.input_shape
        self.shapes = []
        for layer in self.layers:
            try:
                shape = layer.build(shape, rng, self.dtype)
            except ValueError as exc:
                raise ValueError(f"{layer.name}: {exc}") from None
            if min(shape) < 1:
                raise ValueError(f"{layer.name}: output shape {shape} is empty")
            self.shapes.append(tuple(int(s) for s in shape))

    @property
    def ends_with_softmax(self) -> bool:
        return bool(self.layers) and isinstance(self.layers[-1], Softmax)

    @property
    def num_classes(self) -> int:
        return self.shapes[-1][0]

    # -- parameters --------------------------------------------------------------------------------------
    def parameters(self) -> Iterator[tuple[Layer, str, np.ndarray]]:
        for layer in self.layers:
            for pname, value in layer.params.items():
                yield layer, pname, value

    def param_count(self) -> int:
        return sum(layer.param_count() for layer in self.layers)

    def layer(self, name: str) -> Layer:
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(f"no layer named {name!r}; layers: {', '.join(l.name for l in self.layers)}")

    def train(self, mode: bool = True) -> Sequential:
        for layer in self.layers:
            layer.training = mode
        return self

    def eval(self) -> Sequential:
        return self.train(False)

    def fork(self) -> Sequential:
        """A model whose layers share this model's weights but have their own caches: safe to run a
        forward/backward pass on while other threads use the original (weights must be replaced, not edited)."""
        clone = object.__new__(Sequential)
        clone.__dict__.update(self.__dict__)
        clone.layers = [layer.fork() for layer in self.layers]
        clone.metadata = dict(self.metadata)
        return clone

    def copy(self) -> Sequential:
        """A fully independent copy (parameters copied too)."""
        clone = self.fork()
        for layer in clone.layers:
            layer.params = {k: v.copy() for k, v in layer.params.items()}
        return clone

    def astype(self, dtype) -> Sequential:
        """A copy whose parameters are in ``dtype`` (float64 for gradient checks and the worked example)."""
        clone = self.copy()
        clone.dtype = np.dtype(dtype)
        for layer in clone.layers:
            layer.params = {k: v.astype(dtype) for k, v in layer.params.items()}
        return clone

    # -- passes -------------------------------------------------------------------------------------------
    def as_batch(self, x) -> np.ndarray:
        """``x`` as a batch (N, *input_shape) in the model's dtype: one sample (C, H, W), a 2-D image (H, W) for a
        one-channel model, or a stack of them (N, H, W) are accepted; anything else is a ValueError."""
        x = np.asarray(x, dtype=self.dtype)
        if x.shape[1:] == self.input_shape:  # already a batch: the common case, checked first
            return x
        if x.shape == self.input_shape:
            x = x[None]
        elif len(self.input_shape) == 3 and self.input_shape[0] == 1 and x.shape == self.input_shape[1:]:
            x = x[None, None]
        elif (
            len(self.input_shape) == 3
            and self.input_shape[0] == 1
            and x.ndim == 3
            and x.shape[1:] == self.input_shape[1:]
        ):
            x = x[:, None]
        if x.shape[1:] != self.input_shape:
            raise ValueError(f"expected input of shape (N, {', '.join(map(str, self.input_shape))}), got {x.shape}")
        return x

    def forward(self, x, upto: int | None = None) -> np.ndarray:
        """Run the layers (all of them, or the first ``upto``) on a batch, in :func:`running_order`; returns the
        last output."""
        out = self.as_batch(x)
        for layer in running_order(self.layers[:upto]):
            out = layer.forward(out)
        return out

    def logits(self, x) -> np.ndarray:
        """The scores z before the final softmax (N, K)."""
        return self.forward(x, upto=len(self.layers) - 1 if self.ends_with_softmax else None)

    def predict_proba(self, x, batch_size: int = 512, threads: int = 1) -> np.ndarray:
        """ŷ (N, K) for a batch, ``batch_size`` images at a time; ``threads`` > 1 splits each of those batches
        over that many threads (engine/parallel.py), for the same numbers."""
        x = self.as_batch(x)
        if threads > 1:
            from .parallel import forward_in_slices  # engine/parallel.py imports this module

            outs = [forward_in_slices(self, x[i : i + batch_size], threads) for i in range(0, len(x), batch_size)]
        else:
            outs = [self.forward(x[i : i + batch_size]) for i in range(0, len(x), batch_size)]
        probs = np.concatenate(outs) if outs else np.zeros((0, self.num_classes), self.dtype)
        return probs

    def predict(self, x, batch_size: int = 512, threads: int = 1) -> np.ndarray:
        return self.predict_proba(x, batch_size, threads).argmax(axis=1)

    def backward(self, grad: np.ndarray, start: int | None = None, input_grad: bool = True) -> np.ndarray | None:
        """Backpropagate ``grad`` from the output of layer ``start - 1`` (default: the last layer).

        Returns dL/dx. With ``input_grad=False`` it stops at the first layer that has parameters, without
        computing that layer's input gradient (nothing below it is learnt), and returns None: every layer's
        ``grads`` are the same, for less work (LeNet's first convolution would spend most of its backward pass
        on the gradient of the pixels)."""
        layers = running_order(self.layers[: len(self.layers) if start is None else start])  # as forward ran them
        if input_grad:
            for layer in reversed(layers):
                grad = layer.backward(grad)
            return grad
        first = next((i for i, layer in enumerate(layers) if layer.params), None)
        if first is None:
            return None
        for layer in reversed(layers[first + 1 :]):
            grad = layer.backward(grad)
        layers[first].backward(grad, input_grad=False)  # every layer honours input_grad (engine/base.py)
        return None

    def loss_and_grads(self, x, y, input_grad: bool = True) -> tuple[float, np.ndarray, np.ndarray | None]:
        """Forward, softmax + cross-entropy, backward. Fills every layer's ``grads``.

        Returns (mean loss, probabilities ŷ (N, K), dL/dx (N, ...)); dL/dx is None with ``input_grad=False``,
        what a training loop should ask for (same parameter gradients, a faster step: see :meth:`backward`)."""
        if not self.ends_with_softmax:
            raise ValueError("training needs a model that ends with a softmax layer")
        z = self.logits(x)
        loss, probs, dz = softmax_cross_entropy(z, y)
        self.layers[-1].cache = {"y": probs}
        dx = self.backward(dz, start=len(self.layers) - 1, input_grad=input_grad)
        return loss, probs, dx

    # -- description --------------------------------------------------------------------------------------
    def summary_rows(self) -> list[dict[str, Any]]:
        rows = []
        for layer, shape in zip(self.layers, self.shapes):
            rows.append(
                {
                    "name": layer.name,
                    "type": layer.kind,
                    "output_shape": list(shape),
                    "params": layer.param_count(),
                    "config": layer.config(),
                }
            )
        return rows

    def summary(self) -> str:
        """A table like Keras's ``model.summary()``."""
        lines = [
            f"{'Layer (type)':<28}{'Output shape':<22}{'Param #':>10}",
            "=" * 60,
            f"{'input':<28}{str(self.input_shape):<22}{0:>10}",
        ]
        for row in self.summary_rows():
            label = f"{row['name']} ({row['type']})"
            lines.append(f"{label:<28}{str(tuple(row['output_shape'])):<22}{row['params']:>10,}")
        lines += ["=" * 60, f"Total params: {self.param_count():,}"]
        return "\n".join(lines)

    # -- persistence ----------------------------------------------------------------------------------------
    def state_arrays(self) -> dict[str, np.ndarray]:
        return {f"param/{layer.name}/{p}": v for layer, p, v in self.parameters()}

    def save(self, path_or_file, **extra_metadata) -> None:
        """Save to ``.npz``: parameters, architecture and metadata (no pickles)."""
        meta = {**self.metadata, **extra_metadata}
        meta.setdefault("saved_at", _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"))
        header = {
            "format": "convstep-model",
            "version": 1,
            "input_shape": list(self.input_shape),
            "dtype": self.dtype.name,
            "architecture": self.spec(),
        }
        arrays = {
            "header": np.array(json.dumps(header)),
            "metadata": np.array(json.dumps(meta, default=str)),
            **self.state_arrays(),
        }
        if isinstance(path_or_file, (str, os.PathLike)):
            # write next to the target and rename: a crash never leaves a half-written model file
            path = os.fspath(path_or_file)
            tmp = path + ".tmp"
            with open(tmp, "wb") as fh:
                np.savez_compressed(fh, **arrays)
            os.replace(tmp, path)
        else:
            np.savez_compressed(path_or_file, **arrays)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.save(buf)
        return buf.getvalue()

    @classmethod
    def load(cls, path_or_file) -> Sequential:
        """Load a model saved by :meth:`save`; any problem is a :class:`ModelFileError` with the reason."""
        where = os.fspath(path_or_file) if isinstance(path_or_file, (str, os.PathLike)) else "model data"
        try:
            with np.load(path_or_file, allow_pickle=False) as data:
                files = {k: data[k] for k in data.files}
        except FileNotFoundError:
            raise ModelFileError(f"{where}: no such file") from None
        except Exception as exc:  # zipfile.BadZipFile, ValueError (pickles), EOFError, OSError...
            raise ModelFileError(f"{where}: not a readable .npz model file ({type(exc).__name__}: {exc})") from None
        try:
            header = json.loads(str(files.pop("header")))
            metadata = json.loads(str(files.pop("metadata", np.array("{}"))))
            if header.get("format") != "convstep-model":
                raise ValueError("not a ConvStep model")
            dtype = np.dtype(header.get("dtype", "float32"))
            model = cls.from_spec(
                header["architecture"], input_shape=header["input_shape"], dtype=dtype, metadata=metadata
            )
            expected = model.state_arrays()
            missing = sorted(set(expected) - set(files))
            if missing:
                raise ValueError(f"missing parameters: {', '.join(missing)}")
            for layer, pname, value in list(model.parameters()):
                stored = files[f"param/{layer.name}/{pname}"]
                if stored.shape != value.shape:
                    raise ValueError(f"{layer.name}.{pname} has shape {stored.shape}, expected {value.shape}")
                if not np.all(np.isfinite(stored)):
                    raise ValueError(f"{layer.name}.{pname} contains NaN or infinite values")
                layer.params[pname] = stored.astype(dtype)
        except ModelFileError:
            raise
        except KeyError as exc:
            raise ModelFileError(f"{where}: incomplete model file (missing {exc})") from None
        except (ValueError, TypeError, json.JSONDecodeError) as exc:
            raise ModelFileError(f"{where}: {exc}") from None
        return model

    @classmethod
    def from_bytes(cls, data: bytes) -> Sequential:
        return cls.load(io.BytesIO(data))

    def __repr__(self) -> str:
        return f"Sequential({len(self.layers)} layers, input {self.input_shape}, {self.param_count():,} params)"
