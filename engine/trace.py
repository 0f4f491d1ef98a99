"""Traces: every number of one forward and one backward pass, layer by layer, for one image.

The web app and the CLI show these; nothing here changes the model passed in (all passes run on
``model.fork()``, and the SGD preview replaces arrays on a fork instead of writing into the served weights).

``forward_trace`` -> dict::

    input            (C, H, W) array
    layers[]         index, name, type, formula, config, geometry, input_shape, output_shape, output (no batch
                     axis), params {name: array}, extra (max-pooling arg-max positions, ReLU zero share, ...)
    logits, probabilities, label

``backward_trace`` -> dict::

    label, target (one-hot), loss (natural log), probabilities, dL_dz (= ŷ − y)
    layers[]         index, name, type, grad_output (dL/d output), grad_input (dL/d input), grads {name: dL/dθ}
    sgd_step         learning_rate, steps, params_after, deltas, probabilities_before/after, loss_after,
                     history (probability of the label and loss after each step)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .activations import ReLU
from .losses import one_hot, softmax_cross_entropy
from .model import Sequential
from .pooling import MaxPool2D


def _single(model: Sequential, x) -> np.ndarray:
    batch = model.as_batch(x)
    if batch.shape[0] != 1:
        raise ValueError(f"a trace is for one image, got a batch of {batch.shape[0]}")
    return batch


def forward_trace(model: Sequential, x) -> dict[str, Any]:
    m = model.fork().eval()
    out = _single(m, x)
    trace: dict[str, Any] = {"input": out[0], "input_shape": list(m.input_shape), "layers": []}
    in_shape = list(m.input_shape)
    for i, layer in enumerate(m.layers):
        y = layer.forward(out)
        entry = {
            "index": i,
            "name": layer.name,
            "type": layer.kind,
            "formula": layer.formula,
            "config": layer.config(),
            "geometry": layer.geometry(),
            "input_shape": in_shape,
            "output_shape": list(y.shape[1:]),
            "output": y[0],
            "params": dict(layer.params),
            "extra": {},
        }
        if isinstance(layer, MaxPool2D):
            entry["extra"]["argmax"] = layer.argmax_positions()[0]
        if isinstance(layer, ReLU):
            entry["extra"]["zero_fraction"] = float(1.0 - (y > 0).mean())
            entry["extra"]["negatives_zeroed"] = int((out <= 0).sum() - (out == 0).sum())
        trace["layers"].append(entry)
        in_shape = list(y.shape[1:])
        out = y
    probs = out[0]
    if m.ends_with_softmax:
        z = trace["layers"][-2]["output"] if len(trace["layers"]) > 1 else probs
        trace["logits"] = z
    trace["probabilities"] = probs
    trace["label"] = int(np.argmax(probs))
    return trace


def _check_label(model: Sequential, label) -> int:
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label < model.num_classes:
        raise ValueError(f"label must be an integer in 0..{model.num_classes - 1}, got {label!r}")
    return int(label)


def backward_trace(model: Sequential, x, label: int, learning_rate: float = 0.01, steps: int = 1) -> dict[str, Any]:
    """Loss and gradients for one image and its true ``label``, plus ``steps`` SGD steps on a copy."""
    if not model.ends_with_softmax:
        raise ValueError("a backward trace needs a model that ends with softmax")
    label = _check_label(model, label)
    if not (learning_rate > 0 and np.isfinite(learning_rate)):
        raise ValueError("learning_rate must be a positive number")
    m = model.fork().eval()
    batch = _single(m, x)
    n_layers = len(m.layers)
    inputs = [batch]
    for layer in m.layers[:-1]:
        inputs.append(layer.forward(inputs[-1]))
    z = inputs[-1]
    loss, probs, dz = softmax_cross_entropy(z, np.array([label]))
    target = one_hot([label], m.num_classes, m.dtype)[0]
    entries: list[dict[str, Any]] = [None] * n_layers  # type: ignore[list-item]
    # the softmax layer: dL/dŷ = −y/ŷ comes in, ŷ − y goes out (softmax and cross-entropy fused)
    with np.errstate(divide="ignore"):
        d_yhat = -target / np.maximum(probs[0], np.finfo(m.dtype).tiny)
    sm = m.layers[-1]
    entries[-1] = {
        "index": n_layers - 1,
        "name": sm.name,
        "type": sm.kind,
        "grad_output": d_yhat,
        "grad_input": dz[0],
        "grads": {},
    }
    grad = dz
    for i in range(n_layers - 2, -1, -1):
        layer = m.layers[i]
        g_in = layer.backward(grad)
        entries[i] = {
            "index": i,
            "name": layer.name,
            "type": layer.kind,
            "grad_output": grad[0],
            "grad_input": g_in[0],
            "grads": dict(layer.grads),
        }
        grad = g_in
    result = {
        "label": label,
        "target": target,
        "loss": loss,
        "probabilities": probs[0],
        "dL_dz": dz[0],
        "layers": entries,
        "grad_image": grad[0],
        "sgd_step": sgd_preview(m, batch, label, learning_rate, steps, first_grads=[dict(l.grads) for l in m.layers]),
    }
    result["sgd_step"]["probabilities_before"] = probs[0]
    result["sgd_step"]["loss_before"] = loss
    return result


def sgd_preview(
    model: Sequential, x, label: int, learning_rate: float, steps: int = 1, first_grads: list[dict] | None = None
) -> dict[str, Any]:
    """Plain SGD steps θ ← θ − η·dL/dθ on a copy of ``model``; returns the new parameters and their effect."""
    if not 1 <= int(steps) <= 100:
        raise ValueError("steps must be between 1 and 100")
    work = model.fork().eval()
    batch = work.as_batch(x)
    y = np.array([label])
    history = []
    if first_grads is None:
        work.loss_and_grads(batch, y, input_grad=False)
        first_grads = [dict(l.grads) for l in work.layers]
    grads = first_grads
    eta = np.asarray(learning_rate, dtype=work.dtype)  # a NumPy scalar of the model's dtype: no float64 upcast
    for step in range(int(steps)):
        for layer, g in zip(work.layers, grads):
            # new arrays, never in-place: the original model shares these arrays
            layer.params = {k: (v - eta * g[k]).astype(v.dtype, copy=False) for k, v in layer.params.items()}
        if step + 1 < steps:  # the gradients at the new weights are the next step's (one pass gives both)
            loss_after, probs_after, _ = work.loss_and_grads(batch, y, input_grad=False)
            grads = [dict(l.grads) for l in work.layers]
        else:  # last step: only its effect is shown, a forward pass is enough
            loss_after, probs_after, _ = softmax_cross_entropy(work.logits(batch), y)
        history.append({"step": step + 1, "loss": loss_after, "probability": float(probs_after[0, label])})
    params_after = {l.name: dict(l.params) for l in work.layers if l.params}
    deltas = {
        l.name: {k: l.params[k] - orig.params[k] for k in l.params}
        for l, orig in zip(work.layers, model.layers)
        if l.params
    }
    return {
        "learning_rate": float(learning_rate),
        "steps": int(steps),
        "params_after": params_after,
        "deltas": deltas,
        "probabilities_after": probs_after[0],
        "loss_after": loss_after,
        "history": history,
    }


def receptive_field(model: Sequential, layer_index: int, row: int, col: int) -> dict[str, Any]:
    """The input pixels that can influence unit (row, col) of layer ``layer_index``'s output.

    Walks down through the spatial layers: an output range [a, b] of a layer with kernel k, stride s and
    padding p reads the input range [a·s − p, b·s − p + k − 1]. After a flatten or dense layer, every unit sees
    the whole input. Returns the (clipped) rectangle in input pixel coordinates, inclusive."""
    if not 0 <= layer_index < len(model.layers):
        raise ValueError(f"layer_index must be in 0..{len(model.layers) - 1}")
    _, h, w = model.input_shape if len(model.input_shape) == 3 else (1, 1, model.input_shape[0])
    full = {"top": 0, "left": 0, "bottom": h - 1, "right": w - 1, "full": True}
    r0 = r1 = int(row)
    c0 = c1 = int(col)
    for layer in reversed(model.layers[: layer_index + 1]):
        if layer.kind in ("flatten", "dense", "softmax"):
            return full
        geo = layer.geometry()
        if geo is None:  # element-wise layer: same position
            continue
        (kh, kw), (sh, sw), (ph, pw) = geo["kernel"], geo["stride"], geo["padding"]
        r0, r1 = r0 * sh - ph, r1 * sh - ph + kh - 1
        c0, c1 = c0 * sw - pw, c1 * sw - pw + kw - 1
    return {"top": max(r0, 0), "left": max(c0, 0), "bottom": min(r1, h - 1), "right": min(c1, w - 1), "full": False}
