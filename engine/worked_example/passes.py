"""The worked example's forward and backward passes, run by the engine's own layers (float64)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..presets import build_preset, set_worked_example_weights


def correlation_positions(image: np.ndarray, kernel: np.ndarray) -> list[dict[str, Any]]:
    """For each output (i, j) of ``image ∗ kernel`` (valid cross-correlation, stride 1): the window, the
    element-wise products and their sum — the course's way of writing one output value out."""
    kh, kw = kernel.shape
    ho, wo = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    out = []
    for i in range(ho):
        for j in range(wo):
            window = image[i : i + kh, j : j + kw]
            products = window * kernel
            out.append(
                {
                    "output": [i, j],
                    "rows": [i, i + kh - 1],
                    "cols": [j, j + kw - 1],
                    "window": window.tolist(),
                    "products": products.tolist(),
                    "sum": float(products.sum()),
                }
            )
    return out


def _forward(inputs: dict[str, Any]):
    """Forward pass of the ``worked-example`` preset (float64) with the given weights; returns the model and
    every layer's output (batch axis kept)."""
    model = build_preset("worked-example", dtype=np.float64)
    set_worked_example_weights(model, f1=inputs["f1"], f2=inputs["f2"], W=inputs["W"], b=inputs["b"])
    outputs = {"input": inputs["X"][None, None]}
    previous = outputs["input"]
    for layer in model.layers[:-1]:  # the softmax is fused with the loss below
        previous = outputs[layer.name] = layer.forward(previous)
    return model, outputs


def _backward(model, outputs, dz: np.ndarray, inputs: dict[str, Any]) -> dict[str, np.ndarray]:
    """Backward pass from dL/dz through the engine's layers, the per-filter parts X′1, X′2 of dL/dX, and one
    gradient-descent step θ ← θ − η·dL/dθ. Run twice: from the exact ŷ, and from the document's rounded ŷ."""
    conv, relu, pool, flatten, fc = (model.layer(n) for n in ("conv", "relu", "pool", "flatten", "fc"))
    d_x = fc.backward(dz[None])
    d_w, d_b = fc.grads["W"].copy(), fc.grads["b"].copy()
    d_pooled = flatten.backward(d_x)
    d_relu = pool.backward(d_pooled)  # max pooling routes each gradient to its arg-max
    d_conv = relu.backward(d_relu)  # ReLU lets it through where O > 0
    d_image = conv.backward(d_conv)
    d_kernels = conv.grads["K"].copy()
    # X′_f: the part of dL/dX that comes through filter f alone (the course draws them one by one)
    part = conv.fork()
    part.forward(outputs["input"])
    parts = []
    for f in range(2):
        only_f = np.zeros_like(d_conv)
        only_f[:, f] = d_conv[:, f]
        parts.append(part.backward(only_f)[0, 0])
    eta = inputs["eta"]
    return {
        "dL_dz": dz,
        "dL_dW": d_w,
        "dL_db": d_b,
        "dL_dx": d_x[0],
        "dmax_pooling_1": d_relu[0, 0],
        "dmax_pooling_2": d_relu[0, 1],
        "G1": d_conv[0, 0],
        "G2": d_conv[0, 1],
        "dL_df1": d_kernels[0, 0],
        "dL_df2": d_kernels[1, 0],
        "X1_prime": parts[0],
        "X2_prime": parts[1],
        "dL_dX": d_image[0, 0],
        "W_new": inputs["W"] - eta * d_w,
        "b_new": inputs["b"] - eta * d_b,
        "f1_new": inputs["f1"] - eta * d_kernels[0, 0],
        "f2_new": inputs["f2"] - eta * d_kernels[1, 0],
    }
