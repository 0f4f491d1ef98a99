"""The floor of a one-image SGD step of the course's seed model in NumPy: every layer fused by hand, no checks.

Not part of the engine (the engine keeps one small readable class per layer): a yardstick for benchmarks/run.py.
It answers "how fast could a NumPy step of this tiny model be at all?". With a 1×28×28 input and one 3×3 filter,
a step is ~45 NumPy calls whatever they compute, each costing about a microsecond of dispatch, so this is the
speed that per-call overhead allows; the engine's ``seed_step_per_s`` is compared with it in the same run.

Same computation as ``Sequential.loss_and_grads(..., input_grad=False)`` + ``SGD.step`` on the ``seed`` preset
(float32): conv 3×3 pad 1 (no bias) -> ReLU -> 2×2 max pooling (first maximum on ties) -> dense 196→10 -> softmax
+ cross-entropy; plain SGD on K, W, b.
"""

from __future__ import annotations

import numpy as np


class FusedSeedStep:
    """``step(image (28, 28), label)`` updates ``K`` (3, 3), ``W`` (10, 196) and ``b`` (10,) in place."""

    def __init__(self, K: np.ndarray, W: np.ndarray, b: np.ndarray, learning_rate: float = 0.01):
        self.K, self.W, self.b = (np.array(p, dtype=np.float32) for p in (K, W, b))
        self.learning_rate = np.float32(learning_rate)
        self.padded = np.zeros((30, 30), np.float32)  # the border stays 0: padding 1
        self.eye = np.eye(10, dtype=np.float32)
        self.cells = np.arange(4, dtype=np.uint8)[:, None]

    def step(self, image: np.ndarray, label: int) -> None:
        K, W, b, lr = self.K, self.W, self.b, self.learning_rate
        self.padded[1:29, 1:29] = image
        s = self.padded.itemsize
        # im2col: 9 rows (kernel cell), 784 columns (output pixel)
        cols = np.ndarray((3, 3, 28, 28), np.float32, self.padded, 0, (30 * s, s, 30 * s, s)).reshape(9, 784)
        conv = K.reshape(9) @ cols
        mask = conv > 0
        relu = conv * mask
        # 2×2 windows as 4 contiguous rows (cell m·2 + p), running maximum and first arg-max
        rows = relu.reshape(14, 2, 14, 2).transpose(1, 3, 0, 2).reshape(4, 196)
        pooled = np.maximum(rows[0], rows[1])
        arg = (rows[1] > rows[0]).view(np.uint8)
        for k in (2, 3):
            better = (rows[k] > pooled).view(np.uint8)
            np.maximum(pooled, rows[k], out=pooled)
            better *= np.uint8(k)
            np.maximum(arg, better, out=arg)
        z = W @ pooled + b
        e = np.exp(z - z.max())
        dz = e / e.sum() - self.eye[label]
        d_pooled = dz @ W
        d_rows = (arg == self.cells) * d_pooled  # each window's gradient to its arg-max cell
        d_conv = d_rows.reshape(2, 2, 14, 14).transpose(2, 0, 3, 1).reshape(784) * mask
        K -= lr * (cols @ d_conv).reshape(3, 3)
        W -= lr * np.outer(dz, pooled)
        b -= lr * dz
