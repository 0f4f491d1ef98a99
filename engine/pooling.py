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
pooling is three element-wise maxima of four views, whatever the stride. Max pooling in training mode, which
also tracks the arg-max (three operations per offset), first copies those views into contiguous rows
(:func:`window_rows`), on which each operation is cheaper. Backward writes each offset's share into a strided
view of dL/dX; max pooling without overlap sends each window's gradient straight to its arg-max cell (one
indexed write, :func:`window_flat_indices`).

Loop versions: :func:`engine.oracles.pooling` and :func:`engine.oracles.pooling_backward` (the course's V.4 and
``max_pooling_backward``, one map at a time). Pooling has no parameters: ``backward(grad, input_grad=False)``
returns None.
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
        ``x[:, :, i*S + m, j*S + p]`` — the cells every window has at that offset."""
        return [x[index] for index in window_indices(x.shape[2:], self.size, self.stride)]

    def _rows(self, x):
        return window_rows(x, self.size, self.stride)

    def _window_reduce(self, x, combine):
        """``combine`` (np.add, np.maximum) the window offsets' views in order k = 0, 1, ...: (N, C, H_out, W_out).
        Without an arg-max to track, this beats copying :func:`window_rows` first (one pass over x less)."""
        offsets = self._offsets(x)
        total = offsets[0].copy()
        for values in offsets[1:]:
            combine(total, values, out=total)
        return total

    @property
    def overlapping(self) -> bool:
        """Do windows share cells (stride < size)? If not, each input cell gets at most one gradient."""
        return self.stride[0] < self.size[0] or self.stride[1] < self.size[1]

    def _scatter(self, shares, dtype):
        """Send one (N, C, H_out, W_out) gradient per window offset back to the (N, C, H, W) input: cells shared
        by overlapping windows add up; without overlap each cell is written once (no read-add)."""
        dx = np.zeros(self.cache["x_shape"], dtype=dtype)
        overlapping = self.overlapping
        for target, share in zip(self._offsets(dx), shares):
            if overlapping:
                target += share
            else:
                target[...] = share
        return dx


def window_rows(x: np.ndarray, size: tuple[int, int], stride: tuple[int, int]) -> np.ndarray:
    """(N, C, H, W) -> rows (F_h·F_w, N, C, H_out, W_out) with ``rows[m·F_w + p, n, c, i, j] =
    x[n, c, i·S_h + m, j·S_w + p]``: row k holds what every window has at its k-th cell (row-major in the window).

    As in im2col, the windows are a strided view of x (nothing copied) and one reshape copies them once — with the
    window offset first, so that each row is contiguous and pooling is a few element-wise operations on whole rows
    (contiguous rows are several times cheaper to combine than strided views of x). Read-only use: for windows
    one cell wide the reshape may keep a view of x."""
    x = np.ascontiguousarray(x)
    view_shape, view_strides, rows_shape = window_rows_layout(x.shape, x.itemsize, size, stride)
    # np.ndarray on the buffer is as_strided without its per-call overhead; numpy checks the view stays inside
    return np.ndarray(view_shape, x.dtype, x, 0, view_strides).reshape(rows_shape)


@functools.lru_cache(maxsize=256)
def window_rows_layout(x_shape: tuple[int, ...], itemsize: int, size: tuple[int, int], stride: tuple[int, int]):
    """Shape and strides of the windows' view (F_h, F_w, N, C, H_out, W_out) of a C-contiguous x, and the rows'
    shape — memoised, like every geometry here: for one small image, working them out costs more than pooling."""
    (kh, kw), (sh, sw) = size, stride
    n, c, h, w = x_shape
    ho, wo = output_size(h, kh, 0, sh), output_size(w, kw, 0, sw)
    s_w, s_h, s_c, s_n = itemsize, itemsize * w, itemsize * w * h, itemsize * w * h * c
    return (kh, kw, n, c, ho, wo), (s_h, s_w, s_n, s_c, sh * s_h, sw * s_w), (kh * kw, n, c, ho, wo)


@functools.lru_cache(maxsize=256)
def window_indices(in_hw: tuple[int, int], size: tuple[int, int], stride: tuple[int, int]) -> tuple[tuple, ...]:
    """The index ``[:, :, m::S_h, p::S_w]`` (cut to H_out × W_out) of every window offset (m, p), row-major.
    Memoised: the same few shapes come back on every call, and building slices is most of the cost of
    pooling one small image."""
    (kh, kw), (sh, sw) = size, stride
    ho, wo = output_size(in_hw[0], kh, 0, sh), output_size(in_hw[1], kw, 0, sw)
    everything = slice(None)
    return tuple(
        (everything, everything, slice(m, m + sh * (ho - 1) + 1, sh), slice(p, p + sw * (wo - 1) + 1, sw))
        for m in range(kh)
        for p in range(kw)
    )


@functools.lru_cache(maxsize=16)
def window_flat_indices(x_shape: tuple[int, ...], size: tuple[int, int], stride: tuple[int, int]):
    """For an input of shape (N, C, H, W): the flat index of every window's top-left cell, (N, C, H_out, W_out),
    and the flat offset m·W + p of each cell k = m·F_w + p inside a window, (F_h·F_w,). Read-only and memoised
    (a few shapes come back on every step; building them costs more than the scatter they serve)."""
    n, c, h, w = x_shape
    (kh, kw), (sh, sw) = size, stride
    ho, wo = output_size(h, kh, 0, sh), output_size(w, kw, 0, sw)
    origins = (
        (np.arange(n * c) * (h * w)).reshape(n, c, 1, 1) + (np.arange(ho) * (sh * w))[:, None] + np.arange(wo) * sw
    )
    cell_offsets = (np.arange(kh)[:, None] * w + np.arange(kw)).ravel()
    origins.flags.writeable = cell_offsets.flags.writeable = False
    return origins, cell_offsets


def max_and_argmax(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The maximum of every window and the index k of its first maximum, from the window rows (F_h·F_w, ...) of
    :func:`window_rows`. The readable version, with the same numbers::

        best = rows.max(axis=0)
        arg = rows.argmax(axis=0)          # the first maximum in row-major order: ties keep the first

    The fast path is a running maximum over k = 0, 1, ... with uint8 arithmetic for the index (see the comments):
    argmax over the first axis of a small stack is a slow strided loop in NumPy."""
    # uint8 up to 16×16 windows (np.min_scalar_type costs more than a 2×2 pooling of one small map)
    index_type = np.uint8 if len(rows) <= 256 else np.min_scalar_type(len(rows) - 1).type
    if len(rows) == 1:  # 1×1 windows: every value is its own maximum
        return rows[0].copy(), np.zeros(rows.shape[1:], dtype=index_type)
    best = np.maximum(rows[0], rows[1])
    arg = (rows[1] > rows[0]).astype(index_type)  # strictly greater: ties keep the first maximum
    for k in range(2, len(rows)):
        better = rows[k] > best  # strictly greater: ties keep the first maximum
        np.maximum(best, rows[k], out=best)
        # rows come in increasing order, so a newly found maximum always has the largest index so far:
        # arg = max(arg, better·k), arithmetic instead of np.where/copyto(where=), which branch per element
        # and are ~10-30x slower; ``better`` as 0/1 bytes (a view, not a cast) avoids a slow bool × integer
        np.maximum(arg, better.view(np.uint8) * index_type(k), out=arg)
    return best, arg


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
        """The maximum of each window: P[n, c, i, j] = max over (m, p) of X[n, c, i·S + m, j·S + p] — in training
        mode with its arg-max (:func:`max_and_argmax` on :func:`window_rows`), in eval mode the maxima alone."""
        if self.training:
            out, arg = max_and_argmax(self._rows(x))
            self.cache = {"argmax": arg, "x_shape": x.shape}
            return out
        self.cache = {"x": x, "x_shape": x.shape}  # for argmax(), if it is ever asked for
        return self._window_reduce(x, np.maximum)

    def argmax(self) -> np.ndarray:
        """(N, C, H_out, W_out) index of the first maximum of each window, in row-major order."""
        if "argmax" not in self.cache:
            self.cache["argmax"] = max_and_argmax(self._rows(self.cache["x"]))[1]
        return self.cache["argmax"]

    def backward(self, grad, input_grad: bool = True):
        """Each window's G goes to its arg-max only: dX[k-th cell of every window] = G · [argmax == k].

        Without overlap, every window sends its G to one cell of its own, whose flat index in X is the window's
        origin (top-left cell) plus the offset of its k-th cell: one scatter write, whatever the window size."""
        if not input_grad:
            return None
        arg = self.argmax()
        if self.overlapping:
            return self._scatter((grad * (arg == k) for k in range(self.size[0] * self.size[1])), grad.dtype)
        origins, cell_offsets = window_flat_indices(self.cache["x_shape"], self.size, self.stride)
        chosen = cell_offsets.take(arg)
        chosen += origins
        dx = np.zeros(self.cache["x_shape"], dtype=grad.dtype)
        dx.ravel()[chosen] = grad
        return dx

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
        return self._window_reduce(x, np.add) / (self.size[0] * self.size[1])

    def backward(self, grad, input_grad: bool = True):
        if not input_grad:
            return None
        kk = self.size[0] * self.size[1]
        return self._scatter(itertools.repeat(grad / kk, kk), grad.dtype)


class SumPool2D(_Pool2D):
    """Sum pooling: P = sum of the window; each input cell receives G."""

    kind = "sumpool"
    mode = "sum"
    formula = "P[i,j] = Σ X[i·S : i·S+F, j·S : j·S+F]"

    def forward(self, x):
        self.cache = {"x_shape": x.shape}
        return self._window_reduce(x, np.add)

    def backward(self, grad, input_grad: bool = True):
        if not input_grad:
            return None
        return self._scatter(itertools.repeat(grad, self.size[0] * self.size[1]), grad.dtype)


POOLS = {cls.mode: cls for cls in (MaxPool2D, AvgPool2D, SumPool2D)}
