"""Pooling layers: max, average and sum, with window size and stride.

Forward, for each channel and output position (i, j), over the window ``W_ij = X[i*S : i*S+F, j*S : j*S+F]``::

    max pooling:      P[i, j] = max(W_ij)
    average pooling:  P[i, j] = mean(W_ij)
    sum pooling:      P[i, j] = sum(W_ij)

Backward (G = dL/dP):

* max: the whole gradient G[i, j] goes to the arg-max of the window, zero elsewhere. Ties go to the first
  maximum in row-major order, so the routing is deterministic (the course's loop, without its ``break`` bug
  that only leaves the inner loop).
* average: each cell of the window receives G[i, j] / F²;  sum: each cell receives G[i, j].

Overlapping windows (stride < size) add their contributions. Fast path: when the windows tile the map exactly
(stride == size and the size divides H and W) a single reshape gives the windows; otherwise sliding windows.
"""
from __future__ import annotations

import numpy as np

from .base import Layer, pair
from .conv import output_size, scatter_windows, windows


class _Pool2D(Layer):
    mode = "max"

    def __init__(self, size=2, stride=None, name=None):
        super().__init__(name)
        self.size = pair(size, "pool size")
        self.stride = pair(stride if stride is not None else size, "pool stride")
        if min(self.size) < 1:
            raise ValueError(f"pool size must be at least 1, got {size!r}")
        if min(self.stride) < 1:
            raise ValueError(f"stride must be at least 1, got {stride!r}")

    def config(self):
        return {"size": list(self.size), "stride": list(self.stride)}

    def geometry(self):
        return {"kernel": list(self.size), "stride": list(self.stride), "padding": [0, 0]}

    def output_shape(self, input_shape):
        c, h, w = input_shape
        return (c, output_size(h, self.size[0], 0, self.stride[0]), output_size(w, self.size[1], 0, self.stride[1]))

    def _windows(self, x):
        """(N, C, H, W) -> windows (N, C, Ho, Wo, kh*kw) and whether they tile the map (reshape fast path)."""
        n, c, h, w = x.shape
        kh, kw = self.size
        _, ho, wo = self.output_shape((c, h, w))
        tiles = self.size == self.stride and h == ho * kh and w == wo * kw
        if tiles:
            win = x.reshape(n, c, ho, kh, wo, kw).transpose(0, 1, 2, 4, 3, 5)
        else:
            win = windows(x, self.size, self.stride)[:, :, :ho, :wo]
        return win.reshape(n, c, ho, wo, kh * kw), tiles

    def _scatter(self, d_win, x_shape, tiles):
        """Send window gradients (N, C, Ho, Wo, kh*kw) back to an (N, C, H, W) map."""
        n, c, ho, wo, _ = d_win.shape
        kh, kw = self.size
        d_win = d_win.reshape(n, c, ho, wo, kh, kw)
        if tiles:
            return d_win.transpose(0, 1, 2, 4, 3, 5).reshape(x_shape)
        return scatter_windows(d_win, x_shape, self.stride)


class MaxPool2D(_Pool2D):
    """Max pooling. Input (N, C, H, W) -> (N, C, H_out, W_out); ``cache["argmax"]`` holds, for each output,
    the flat index (row-major, inside its window) of the chosen maximum."""

    kind = "maxpool"
    mode = "max"
    formula = "P[i,j] = max(X[i·S : i·S+F, j·S : j·S+F])"

    def forward(self, x):
        win, tiles = self._windows(x)
        arg = win.argmax(axis=-1)  # first maximum in row-major order
        out = np.take_along_axis(win, arg[..., None], axis=-1)[..., 0]
        self.cache = {"argmax": arg, "x_shape": x.shape, "tiles": tiles}
        return out

    def backward(self, grad):
        arg = self.cache["argmax"]
        kk = self.size[0] * self.size[1]
        d_win = np.zeros((*arg.shape, kk), dtype=grad.dtype)
        np.put_along_axis(d_win, arg[..., None], grad[..., None], axis=-1)
        return self._scatter(d_win, self.cache["x_shape"], self.cache["tiles"])

    def argmax_positions(self) -> np.ndarray:
        """For the last forward: (N, C, Ho, Wo, 2) input coordinates (row, col) of each chosen maximum."""
        arg = self.cache["argmax"]
        kh, kw = self.size
        sh, sw = self.stride
        ho, wo = arg.shape[2], arg.shape[3]
        rows = np.arange(ho)[:, None] * sh + arg // kw
        cols = np.arange(wo)[None, :] * sw + arg % kw
        return np.stack([rows, cols], axis=-1)


class AvgPool2D(_Pool2D):
    """Average pooling: P = mean of the window; each input cell receives G / (F_h·F_w)."""

    kind = "avgpool"
    mode = "avg"
    formula = "P[i,j] = moyenne(X[i·S : i·S+F, j·S : j·S+F])"

    def forward(self, x):
        win, tiles = self._windows(x)
        self.cache = {"x_shape": x.shape, "tiles": tiles, "out_shape": win.shape[:-1]}
        return win.mean(axis=-1)

    def backward(self, grad):
        kk = self.size[0] * self.size[1]
        d_win = np.broadcast_to((grad / kk)[..., None], (*grad.shape, kk))
        return self._scatter(np.ascontiguousarray(d_win), self.cache["x_shape"], self.cache["tiles"])


class SumPool2D(_Pool2D):
    """Sum pooling: P = sum of the window; each input cell receives G."""

    kind = "sumpool"
    mode = "sum"
    formula = "P[i,j] = Σ X[i·S : i·S+F, j·S : j·S+F]"

    def forward(self, x):
        win, tiles = self._windows(x)
        self.cache = {"x_shape": x.shape, "tiles": tiles}
        return win.sum(axis=-1)

    def backward(self, grad):
        kk = self.size[0] * self.size[1]
        d_win = np.broadcast_to(grad[..., None], (*grad.shape, kk))
        return self._scatter(np.ascontiguousarray(d_win), self.cache["x_shape"], self.cache["tiles"])


POOLS = {cls.mode: cls for cls in (MaxPool2D, AvgPool2D, SumPool2D)}
