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

Overlapping windows (stride < size) add their contributions.

Vectorised by looping over the F_h*F_w offsets inside the window, never over pixels: the value every window
holds at offset (m, p) is one strided view ``X[:, :, m::S, p::S]`` of shape (N, C, H_out, W_out), so a 2×2 max
pooling is three element-wise maxima of four views — no window tensor is ever copied, whatever the stride.
"""
from __future__ import annotations

import functools
import itertools

import numpy as np

from .base import Layer, pair
from .conv import output_size


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

    def _offsets(self, x):
        """For each window offset (m, p), in row-major order: the (N, C, H_out, W_out) strided view
        ``x[:, :, i*S + m, j*S + p]`` — the value every window holds at that offset."""
        return [x[index] for index in window_indices(x.shape[2:], self.size, self.stride)]

    def _window_sum(self, x):
        """Σ over the window offsets: the sum of every window at once, (N, C, H_out, W_out)."""
        total = None
        for values in self._offsets(x):
            if total is None:
                total = values.copy()
            else:
                total += values
        return total

    @property
    def overlapping(self) -> bool:
        """Do windows share cells (stride < size)? If not, each input cell gets at most one gradient."""
        return self.stride[0] < self.size[0] or self.stride[1] < self.size[1]

    def _scatter(self, shares, dtype):
        """Send one (N, C, H_out, W_out) gradient per window offset back to the (N, C, H, W) input: cells
        shared by overlapping windows add up; without overlap each cell is written once (no read-add)."""
        dx = np.zeros(self.cache["x_shape"], dtype=dtype)
        for target, share in zip(self._offsets(dx), shares):
            if self.overlapping:
                target += share
            else:
                target[...] = share
        return dx


@functools.lru_cache(maxsize=256)
def window_indices(in_hw: tuple[int, int], size: tuple[int, int], stride: tuple[int, int]) -> tuple[tuple, ...]:
    """The index ``[:, :, m::S_h, p::S_w]`` (cut to H_out × W_out) of every window offset (m, p), row-major.
    Memoised: the same few shapes come back on every call, and building slices is most of the cost of
    pooling one small image."""
    (kh, kw), (sh, sw) = size, stride
    ho, wo = output_size(in_hw[0], kh, 0, sh), output_size(in_hw[1], kw, 0, sw)
    everything = slice(None)
    return tuple((everything, everything, slice(m, m + sh * (ho - 1) + 1, sh), slice(p, p + sw * (wo - 1) + 1, sw))
                 for m in range(kh) for p in range(kw))


class MaxPool2D(_Pool2D):
    """Max pooling. Input (N, C, H, W) -> (N, C, H_out, W_out).

    :meth:`argmax` gives, for each output, the flat index (row-major, inside its window) of the chosen maximum,
    kept in ``cache["argmax"]``. In training mode it is found together with the maxima (backward will need it);
    in eval mode only when asked — by ``backward`` or :meth:`argmax_positions` — so that inference computes the
    maxima alone (3x less work)."""

    kind = "maxpool"
    mode = "max"
    formula = "P[i,j] = max(X[i·S : i·S+F, j·S : j·S+F])"

    def forward(self, x):
        """The element-wise maximum of the window offsets' views."""
        if self.training:
            out, arg = self._max_and_argmax(x)
            self.cache = {"argmax": arg, "x_shape": x.shape}
            return out
        self.cache = {"x": x, "x_shape": x.shape}  # for argmax(), if it is ever asked for
        offsets = self._offsets(x)
        out = offsets[0].copy()
        for values in offsets[1:]:
            np.maximum(out, values, out=out)
        return out

    def _max_and_argmax(self, x):
        """A running maximum over the offsets k = 0, 1, ... (row-major), remembering where it was."""
        index_type = np.min_scalar_type(self.size[0] * self.size[1] - 1)  # uint8 up to 16×16 windows
        offsets = self._offsets(x)
        best, arg = offsets[0].copy(), np.zeros(offsets[0].shape, dtype=index_type)
        for k, values in enumerate(offsets[1:], start=1):
            better = values > best  # strictly greater: ties keep the first maximum
            np.maximum(best, values, out=best)
            # offsets come in increasing order, so a newly found maximum always has the largest index so far;
            # arithmetic instead of np.where/copyto(where=), which branch per element and are ~10x slower
            np.maximum(arg, better * index_type.type(k), out=arg)
        return best, arg

    def argmax(self) -> np.ndarray:
        """(N, C, H_out, W_out) index of the first maximum of each window, in row-major order."""
        if "argmax" not in self.cache:
            self.cache["argmax"] = self._max_and_argmax(self.cache["x"])[1]
        return self.cache["argmax"]

    def backward(self, grad):
        """Each window's G goes to its arg-max only: dX[k-th cell of every window] = G · [argmax == k]."""
        arg = self.argmax()
        return self._scatter((grad * (arg == k) for k in range(self.size[0] * self.size[1])), grad.dtype)

    def argmax_positions(self) -> np.ndarray:
        """For the last forward: (N, C, Ho, Wo, 2) input coordinates (row, col) of each chosen maximum."""
        arg = self.argmax()
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
        self.cache = {"x_shape": x.shape}
        return self._window_sum(x) / (self.size[0] * self.size[1])

    def backward(self, grad):
        kk = self.size[0] * self.size[1]
        return self._scatter(itertools.repeat(grad / kk, kk), grad.dtype)


class SumPool2D(_Pool2D):
    """Sum pooling: P = sum of the window; each input cell receives G."""

    kind = "sumpool"
    mode = "sum"
    formula = "P[i,j] = Σ X[i·S : i·S+F, j·S : j·S+F]"

    def forward(self, x):
        self.cache = {"x_shape": x.shape}
        return self._window_sum(x)

    def backward(self, grad):
        return self._scatter(itertools.repeat(grad, self.size[0] * self.size[1]), grad.dtype)


POOLS = {cls.mode: cls for cls in (MaxPool2D, AvgPool2D, SumPool2D)}
