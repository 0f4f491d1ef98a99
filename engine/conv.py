"""Convolution (cross-correlation, as the course defines it) — forward and backward side by side.

Forward, for filter f, output position (i, j)::

    O[n, f, i, j] = sum_c sum_m sum_p  X_pad[n, c, i*S + m, j*S + p] * K[f, c, m, p]  +  b[f]

Output size (the course's formula, floor division)::

    H_out = (H - F + 2P) / S + 1

Backward, given G = dL/dO of shape (N, F, H_out, W_out)::

    dL/dK[f, c, m, p] = sum_n sum_i sum_j G[n, f, i, j] * X_pad[n, c, i*S + m, j*S + p]   (X correlated with G)
    dL/db[f]          = sum_n sum_i sum_j G[n, f, i, j]
    dL/dX             = "full" convolution of G with the 180°-rotated kernel (then the padding is cut off)

Fast path, forward: im2col. A strided view gives every window without copying; one reshape copies them into a
matrix ``cols`` of shape (N, C*F_h*F_w, H_out*W_out) — one row per (channel, kernel row, kernel col), one column
per output position — and the convolution becomes one matrix product per image, ``K (F, C*F_h*F_w) @ cols``,
which lands directly in the (N, F, H_out, W_out) layout (no transpose of the output).

A batch goes through it a few images at a time (:func:`window_chunks`), so that the copied windows are still in
the CPU's cache when the product reads them; a single image's windows are few and kept whole. At stride 1 a batch
uses the *wide* layout (:func:`wide_view`): the windows' rows are taken over the padded width, so each row of
``cols`` is one contiguous slice of the image (a few long copies instead of many short ones), and the few extra
columns this computes are cut off (:func:`convolve_wide`; backward: :func:`wide_gradient`,
:func:`input_gradient_wide`).

Backward: dL/dK = Σ_n G[n] @ cols[n]ᵀ, one product per image, on the kept windows or on windows rebuilt chunk by
chunk from the padded input (:func:`kernel_gradient_in_chunks`). dL/dX, the full convolution, is done in bulk too,
see :func:`input_gradient` — loops run over kernel rows and columns (5 + 5 for LeNet), never over pixels.

Why one file of over 400 lines: one layer, its formulas and the helpers that make it fast, each helper next to the
others it shares the window layouts with; split, a reader would chase one convolution through several files.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from .base import Layer, pair

Padding = tuple[int, int, int, int]  # top, bottom, left, right


def resolve_padding(padding, kernel: tuple[int, int], stride: tuple[int, int], size: tuple[int, int]) -> Padding:
    """Turn ``0``, ``2``, ``(1, 2)``, ``"valid"`` or ``"same"`` into explicit (top, bottom, left, right) pads.

    ``"same"`` keeps ``ceil(H / S)`` outputs, padding the extra row/column at the bottom/right when the total
    padding is odd (the TensorFlow convention)."""
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "valid":
            return (0, 0, 0, 0)
        if mode == "same":
            pads = []
            for k, s, n in zip(kernel, stride, size):
                total = max((math.ceil(n / s) - 1) * s + k - n, 0)
                pads += [total // 2, total - total // 2]
            return (pads[0], pads[1], pads[2], pads[3])
        raise ValueError(f'padding must be an integer, a pair, "valid" or "same", got {padding!r}')
    ph, pw = pair(padding, "padding")
    if ph < 0 or pw < 0:
        raise ValueError(f"padding must not be negative, got {padding!r}")
    return (ph, ph, pw, pw)


def output_size(n: int, f: int, p_total: int, s: int) -> int:
    """The course's formula ``(N - F + 2P) / S + 1`` (floored); ``p_total`` is both sides added (= 2P)."""
    if s <= 0:
        raise ValueError(f"stride must be at least 1, got {s}")
    if f > n + p_total:
        raise ValueError(f"the kernel ({f}) is larger than the padded input ({n} + {p_total} = {n + p_total})")
    return (n - f + p_total) // s + 1


def conv_output_shape(in_hw, kernel, stride, padding) -> tuple[int, int]:
    kh, kw = pair(kernel, "kernel_size")
    sh, sw = pair(stride, "stride")
    if sh <= 0 or sw <= 0:
        raise ValueError(f"stride must be at least 1, got {stride!r}")
    t, b, l, r = resolve_padding(padding, (kh, kw), (sh, sw), tuple(in_hw))
    return output_size(in_hw[0], kh, t + b, sh), output_size(in_hw[1], kw, l + r, sw)


def pad_images(x: np.ndarray, pads: Padding) -> np.ndarray:
    """Zero-pad the two last axes of (N, C, H, W). The result is always C-contiguous (no copy when there is
    nothing to pad and ``x`` already is); ``np.zeros`` + one slice assignment, several times cheaper than
    ``np.pad`` on one 28×28 image."""
    t, b, l, r = pads
    if t == b == l == r == 0:
        return np.ascontiguousarray(x)
    n, c, h, w = x.shape
    out = np.zeros((n, c, h + t + b, w + l + r), dtype=x.dtype)
    out[:, :, t : t + h, l : l + w] = x
    return out


def unpad(x: np.ndarray, pads: Padding) -> np.ndarray:
    t, b, l, r = pads
    h, w = x.shape[2], x.shape[3]
    return x[:, :, t : h - b, l : w - r]


def im2col(x_pad: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], out_hw: tuple[int, int]) -> np.ndarray:
    """(N, C, H_pad, W_pad) -> cols (N, C*F_h*F_w, H_out*W_out) with ``cols[n, (c, m, p), (i, j)] =
    X_pad[n, c, i*S_h + m, j*S_w + p]``.

    The windows are a strided view of the contiguous padded batch (axes N, C, m, p, i, j; nothing copied);
    the reshape copies them once, with the output column j as the innermost, contiguous axis."""
    n, c = x_pad.shape[:2]
    (kh, kw), (ho, wo) = kernel, out_hw
    return im2col_view(x_pad, kernel, stride, out_hw).reshape(n, c * kh * kw, ho * wo)


def im2col_view(x_pad: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], out_hw: tuple[int, int]):
    """The windows of a C-contiguous (N, C, H_pad, W_pad) as a strided view (N, C, F_h, F_w, H_out, W_out):
    ``view[n, c, m, p, i, j] = X_pad[n, c, i*S_h + m, j*S_w + p]``, nothing copied."""
    (kh, kw), (sh, sw), (ho, wo) = kernel, stride, out_hw
    n, c = x_pad.shape[:2]
    s_n, s_c, s_h, s_w = x_pad.strides
    # np.ndarray on the buffer is as_strided without its per-call overhead (µs that matter for one image);
    # numpy checks that the view stays inside the buffer
    return np.ndarray((n, c, kh, kw, ho, wo), x_pad.dtype, x_pad, 0, (s_n, s_c, s_h, s_w, sh * s_h, sw * s_w))


#: bytes of windows copied at a time by :func:`window_chunks`: small enough to stay in the CPU's cache
CHUNK_BYTES = 1 << 20


def wide_view(x_pad: np.ndarray, kernel: tuple[int, int], out_hw: tuple[int, int]) -> np.ndarray:
    """The windows of a stride-1 convolution in the *wide* layout, a strided view (N, C, F_h, F_w, H_out·W_pad) of
    a C-contiguous (N, C, H_pad + 1, W_pad) — padded with one extra zero row at the bottom (:func:`wide_pads`)::

        view[n, c, m, p, s] = X_flat[n, c, s + m·W_pad + p]        (X_flat: each image's rows end to end)

    Column s = i·W_pad + j is the output (i, j) for j < W_out; the other W_pad − W_out columns of each row are
    windows that wrap onto the next row: finite junk, cut off after the product (:func:`crop_wide`) and multiplied
    by zeros in backward. Why: every row (c, m, p) of this matrix is one *contiguous* slice of the image, so
    copying the windows moves runs of H_out·W_pad numbers instead of W_out at a time (3–4× faster for LeNet), for
    W_pad / W_out more columns in the product (1.14× for LeNet's first layer, 1.4× for its second). The extra
    row keeps the last row's junk windows inside the buffer."""
    (kh, kw), (ho, _) = kernel, out_hw
    n, c, _, wp = x_pad.shape
    s_n, s_c, s_h, s_w = x_pad.strides
    return np.ndarray((n, c, kh, kw, ho * wp), x_pad.dtype, x_pad, 0, (s_n, s_c, s_h, s_w, s_w))


def wide_pads(pads: Padding) -> Padding:
    """The padding of the wide layout: the convolution's own, plus one zero row at the bottom (see :func:`wide_view`)."""
    t, b, l, r = pads
    return (t, b + 1, l, r)


def crop_wide(wide: np.ndarray, out_hw: tuple[int, int]) -> np.ndarray:
    """(N, F, H_out·W_pad) wide-layout outputs -> the (N, F, H_out, W_out) view of the real ones."""
    n, f, length = wide.shape
    ho, wo = out_hw
    return wide.reshape(n, f, ho, length // ho)[..., :wo]


def window_chunks(
    x_pad: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], out_hw: tuple[int, int], wide: bool = False
):
    """``(images, cols)`` for consecutive slices of the batch: ``cols`` is ``im2col(x_pad[images])`` (or, with
    ``wide``, the windows of :func:`wide_view`), copied into one buffer of about :data:`CHUNK_BYTES` that every
    chunk reuses (valid until the next one is yielded).

    Why chunks: a batch's windows are far bigger than the padded input they come from (for 256 digits LeNet's first
    layer would copy 20 MB of them, more than the CPU's cache holds, and read them back from memory for the
    product); ~1 MB at a time stays in the cache between the copy and the product, and the memory no longer grows
    with the batch."""
    n = x_pad.shape[0]
    (kh, kw), (ho, wo) = kernel, out_hw
    rows = x_pad.shape[1] * kh * kw
    columns = ho * x_pad.shape[3] if wide else ho * wo
    step = max(1, min(n, CHUNK_BYTES // max(rows * columns * x_pad.itemsize, 1)))
    buffer = np.empty((step, rows, columns), dtype=x_pad.dtype)
    for start in range(0, n, step):
        stop = min(start + step, n)
        cols = buffer[: stop - start]
        if wide:
            windows = wide_view(x_pad[start:stop], kernel, out_hw)
        else:
            windows = im2col_view(x_pad[start:stop], kernel, stride, out_hw)
        np.copyto(cols.reshape(windows.shape), windows)
        yield slice(start, stop), cols


def convolve_in_chunks(
    x_pad: np.ndarray, k_mat: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], out_hw: tuple[int, int]
) -> np.ndarray:
    """``k_mat (F, C·F_h·F_w) @ im2col(x_pad)`` -> (N, F, H_out·W_out), the same numbers as the one-shot product
    (one product per image either way), computed on the :func:`window_chunks` of the batch."""
    (ho, wo) = out_hw
    out = np.empty((x_pad.shape[0], k_mat.shape[0], ho * wo), dtype=np.result_type(k_mat, x_pad))
    for images, cols in window_chunks(x_pad, kernel, stride, out_hw):
        np.matmul(k_mat, cols, out=out[images])
    return out


def convolve_wide(
    x_pad: np.ndarray, k_mat: np.ndarray, bias: np.ndarray | None, kernel: tuple[int, int], out_hw: tuple[int, int]
) -> np.ndarray:
    """A stride-1 convolution of a batch padded by :func:`wide_pads`: (N, F, H_out, W_out) = ``k_mat (F, C·F_h·F_w)
    @`` the :func:`wide_view` windows, chunk by chunk; each chunk's bias is added and its real columns copied out
    (:func:`crop_wide`) while the products are still in the CPU's cache."""
    n, f, (ho, wo) = x_pad.shape[0], k_mat.shape[0], out_hw
    out = np.empty((n, f, ho, wo), dtype=np.result_type(k_mat, x_pad))
    products = None
    for images, cols in window_chunks(x_pad, kernel, (1, 1), out_hw, wide=True):
        k = images.stop - images.start
        if products is None:
            products = np.empty((k, f, cols.shape[2]), dtype=out.dtype)
        chunk = np.matmul(k_mat, cols, out=products[:k])
        if bias is not None:
            chunk += bias[:, None]  # on the contiguous products: cheaper than while copying the real columns
        out[images] = crop_wide(chunk, out_hw)
    return out


def kernel_gradient_in_chunks(
    x_pad: np.ndarray,
    g: np.ndarray,
    kernel: tuple[int, int],
    stride: tuple[int, int],
    out_hw: tuple[int, int],
    wide: bool = False,
) -> np.ndarray:
    """``Σ_n cols[n] @ G[n]ᵀ`` (C·F_h·F_w, F) — dL/dK, transposed — from the padded input and G (N, F, H_out·W_out),
    on the :func:`window_chunks` of the batch (with ``wide``: the wide windows and G in the wide layout, zero in
    its junk columns, :func:`wide_gradient`).

    Why rebuild the windows: a training step's forward pass would otherwise keep every window of the batch for this
    product (5 MB per layer for LeNet at a batch of 64), and by the time backward reads them they have left the
    CPU's caches; copying them again from the small padded input, chunk by chunk, is cheaper than reading them back
    from memory. The per-image products are added in the same order as ``(cols @ Gᵀ).sum(axis=0)`` (each chunk's
    sum starts from the running total), so the result is the same to the last bit."""
    (kh, kw) = kernel
    rows, f = x_pad.shape[1] * kh * kw, g.shape[1]
    products = None  # [running total, one product per image of the chunk]
    for images, cols in window_chunks(x_pad, kernel, stride, out_hw, wide):
        k = images.stop - images.start
        if products is None:
            products = np.zeros((k + 1, rows, f), dtype=np.result_type(x_pad, g))
        np.matmul(cols, g[images].transpose(0, 2, 1), out=products[1 : k + 1])
        products[0] = products[: k + 1].sum(axis=0)
    return products[0]


def wide_gradient(grad: np.ndarray, width: int, lead: int) -> np.ndarray:
    """G (N, F, H_out, W_out) -> (N, F, lead + H_out·width): each row of G widened to ``width`` with zeros (the
    wide layout's junk columns get no gradient), after ``lead`` zeros (room for :func:`input_gradient_wide`'s
    shifts). The wide G itself is ``result[:, :, lead:]``."""
    n, f, ho, wo = grad.shape
    out = np.zeros((n, f, lead + ho * width), dtype=grad.dtype)
    out[:, :, lead:].reshape(n, f, ho, width)[..., :wo] = grad
    return out


def input_gradient_wide(g_lead: np.ndarray, K: np.ndarray, padded_shape) -> np.ndarray:
    """dL/dX_pad (N, C, H_pad, W_pad) of a stride-1 convolution, from G in the wide layout after F_w − 1 zeros
    (:func:`wide_gradient`) — :func:`input_gradient`'s three steps, with step 1 as one copy:
    ``G_p[n, (f, p), s] = G_wide[n, f, s − p]`` is a view of ``g_lead`` shifted back by p (the zeros before the
    first row and each row's junk columns give the zeros of the spread), so it is copied in runs of H_out·W_pad
    numbers instead of written W_out at a time into zeros."""
    n, f = g_lead.shape[:2]
    kw = K.shape[3]
    length = g_lead.shape[2] - (kw - 1)  # H_out·W_pad
    s_n, s_f, s_s = g_lead.strides
    shifted = np.ndarray((n, f, kw, length), g_lead.dtype, g_lead, (kw - 1) * s_s, (s_n, s_f, -s_s, s_s))
    spread = shifted.reshape(n, f * kw, length)  # the copy: (f, p) rows, each contiguous
    return spread_to_input(spread, K, padded_shape, 1)


def input_gradient(grad: np.ndarray, K: np.ndarray, padded_shape, stride: tuple[int, int]) -> np.ndarray:
    """dL/dX_pad (N, C, H_pad, W_pad) from G = dL/dO (N, F, H_out, W_out) and the kernel K (F, C, F_h, F_w)::

        dL/dX_pad[n, c, i*S_h + m, j*S_w + p] += Σ_f G[n, f, i, j] · K[f, c, m, p]

    — the "full" convolution of G with the 180°-rotated kernel — in three bulk steps:

    1. spread G along the width, once per kernel column p:  G_p[n, (f, p), i, j*S_w + p] = G[n, f, i, j];
    2. one matrix product per image mixes filters and kernel columns, for every (channel, kernel row):
       R[n, (c, m)] = K_t (C·F_h, F·F_w) @ G_p[n] (F·F_w, H_out·W_pad);
    3. each kernel row m goes back to its rows:  dL/dX_pad[n, c, i*S_h + m, :] += R[n, (c, m), i, :].

    Steps 1 and 3 move whole rows (contiguous memory), which is what makes this faster than scattering an
    im2col-shaped gradient back window by window."""
    n, f, ho, wo = grad.shape
    kw = K.shape[3]
    wp = padded_shape[3]
    sh, sw = stride
    spread = np.zeros((n, f, kw, ho, wp), dtype=grad.dtype)
    for p in range(kw):
        spread[:, :, p, :, p : p + sw * (wo - 1) + 1 : sw] = grad
    return spread_to_input(spread.reshape(n, f * kw, ho * wp), K, padded_shape, sh)


def spread_to_input(spread: np.ndarray, K: np.ndarray, padded_shape, stride_h: int) -> np.ndarray:
    """Steps 2 and 3 of :func:`input_gradient` (and :func:`input_gradient_wide`): from the spread gradient
    G_p (N, F·F_w, H_out·W_pad), one product per image mixes filters and kernel columns for every (channel, kernel
    row), ``R[n, (c, m)] = K_t (C·F_h, F·F_w) @ G_p[n]``, then each kernel row m goes back to its rows of
    dL/dX_pad (N, C, H_pad, W_pad): ``dL/dX_pad[n, c, i·S_h + m, :] += R[n, (c, m), i, :]``."""
    n, _, length = spread.shape
    f, c, kh, kw = K.shape
    wp = padded_shape[3]
    ho = length // wp
    k_t = K.transpose(1, 2, 0, 3).reshape(c * kh, f * kw)  # [(c, m), (f, p)]
    rows = (k_t @ spread).reshape(n, c, kh, ho, wp)
    dx_pad = np.zeros((n, c, padded_shape[2], wp), dtype=rows.dtype)
    for m in range(kh):
        dx_pad[:, :, m : m + stride_h * (ho - 1) + 1 : stride_h] += rows[:, :, m]
    return dx_pad


@functools.lru_cache(maxsize=256)
def conv_geometry(
    in_hw: tuple[int, int], kernel: tuple[int, int], stride: tuple[int, int], padding
) -> tuple[Padding, tuple[int, int]]:
    """(pads, (H_out, W_out)) of a convolution — memoised: it is pure, and recomputing it on every call costs
    more than the whole convolution of one 28×28 image."""
    return resolve_padding(padding, kernel, stride, in_hw), conv_output_shape(in_hw, kernel, stride, padding)


class Conv2D(Layer):
    """2-D convolution layer.

    Input ``(N, C, H, W)`` -> output ``(N, F, H_out, W_out)``; kernel ``K`` of shape ``(F, C, F_h, F_w)``,
    bias ``b`` of shape ``(F,)``.

    Loop versions: :func:`engine.oracles.convolution` / :func:`engine.oracles.convolution_multichannel`
    (forward) and :func:`engine.oracles.conv_backward` / :func:`engine.oracles.full_convolution` (backward).
    The speed tricks live in the helpers above: :func:`im2col` (a hand-built strided view of the windows),
    :func:`wide_view` (a stride-1 batch's windows as contiguous slices), :func:`window_chunks` (a batch's windows a
    few images at a time, in one reused buffer) for :func:`convolve_in_chunks` / :func:`convolve_wide` (forward) and
    :func:`kernel_gradient_in_chunks` (dL/dK), :func:`input_gradient` / :func:`input_gradient_wide` (the full
    convolution by rows), :func:`conv_geometry` (cached).
    """

    kind = "conv2d"
    formula = "O[f,i,j] = Σ_c Σ_m Σ_n X[c, i·S+m, j·S+n] · K[f,c,m,n] + b[f]"

    def __init__(
        self,
        filters: int,
        kernel_size=3,
        stride=1,
        padding=0,
        use_bias: bool = True,
        in_channels: int | None = None,
        name: str | None = None,
    ):
        super().__init__(name)
        if not isinstance(filters, (int, np.integer)) or filters < 1:
            raise ValueError(f"filters must be a positive integer, got {filters!r}")
        self.filters = int(filters)
        self.kernel_size = pair(kernel_size, "kernel_size")
        if min(self.kernel_size) < 1:
            raise ValueError(f"kernel_size must be at least 1, got {kernel_size!r}")
        self.stride = pair(stride, "stride")
        if min(self.stride) < 1:
            raise ValueError(f"stride must be at least 1, got {stride!r}")
        if not isinstance(padding, str):
            resolve_padding(padding, self.kernel_size, self.stride, (1, 1))  # validates early
        self.padding = padding if isinstance(padding, str) else pair(padding, "padding")
        self.use_bias = bool(use_bias)
        self.in_channels = in_channels

    # -- building ----------------------------------------------------------------------------------------
    def config(self) -> dict[str, Any]:
        return {
            "filters": self.filters,
            "kernel_size": list(self.kernel_size),
            "stride": list(self.stride),
            "padding": self.padding if isinstance(self.padding, str) else list(self.padding),
            "use_bias": self.use_bias,
        }

    def pads_for(self, hw) -> Padding:
        return resolve_padding(self.padding, self.kernel_size, self.stride, tuple(hw))

    def output_shape(self, input_shape):
        c, h, w = input_shape
        return (self.filters, *conv_output_shape((h, w), self.kernel_size, self.stride, self.padding))

    def geometry(self):
        t, _, l, _ = self.pads_for(getattr(self, "input_hw", (1, 1)))
        return {"kernel": list(self.kernel_size), "stride": list(self.stride), "padding": [t, l]}

    def build(self, input_shape, rng, dtype=np.float32):
        c = input_shape[0]
        if self.in_channels is not None and self.in_channels != c:
            raise ValueError(f"{self.name}: expects {self.in_channels} input channels, got {c}")
        self.in_channels = c
        self.input_hw = tuple(input_shape[1:])
        kh, kw = self.kernel_size
        fan_in = c * kh * kw
        # He initialisation: keeps the variance of activations stable through ReLU layers.
        self.params["K"] = (rng.standard_normal((self.filters, c, kh, kw)) * np.sqrt(2.0 / fan_in)).astype(dtype)
        if self.use_bias:
            self.params["b"] = np.zeros(self.filters, dtype=dtype)
        return self.output_shape(input_shape)

    # -- forward -----------------------------------------------------------------------------------------
    def forward(self, x: np.ndarray) -> np.ndarray:
        """(N, C, H, W) -> (N, F, H_out, W_out):  O[n] = K (F, C·F_h·F_w) @ cols[n] + b."""
        K = self.params["K"]
        f, c, kh, kw = K.shape
        if x.ndim != 4 or x.shape[1] != c:
            raise ValueError(f"{self.name}: expected input (N, {c}, H, W), got {x.shape}")
        n = x.shape[0]
        pads, (ho, wo) = conv_geometry(x.shape[2:], self.kernel_size, self.stride, self.padding)
        window_bytes = n * c * kh * kw * ho * wo * x.itemsize
        bias = self.params["b"] if self.use_bias else None
        self.cache = {"x_shape": x.shape, "pads": pads}
        if window_bytes > CHUNK_BYTES and self.stride == (1, 1):  # a batch: the wide layout (convolve_wide)
            x_pad = pad_images(x, wide_pads(pads))
            self.cache.update(pad_shape=(n, c, x_pad.shape[2] - 1, x_pad.shape[3]), x_pad=x_pad, wide=True)
            return convolve_wide(x_pad, K.reshape(f, -1), bias, self.kernel_size, (ho, wo))
        x_pad = pad_images(x, pads)
        self.cache["pad_shape"] = x_pad.shape
        if window_bytes <= CHUNK_BYTES:  # few windows (one image's trace): copy them once, keep them for backward
            cols = im2col(x_pad, self.kernel_size, self.stride, (ho, wo))  # (N, C*kh*kw, Ho*Wo)
            out = K.reshape(f, -1) @ cols  # (N, F, Ho*Wo): one BLAS product per image
            self.cache["cols"] = cols
        else:  # strided: the same products, a few images at a time (convolve_in_chunks); backward rebuilds them
            out = convolve_in_chunks(x_pad, K.reshape(f, -1), self.kernel_size, self.stride, (ho, wo))
            self.cache["x_pad"] = x_pad
        if bias is not None:
            out += bias[:, None]
        return out.reshape(n, f, ho, wo)

    # -- backward ----------------------------------------------------------------------------------------
    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """dL/dO (N, F, H_out, W_out) -> dL/dX (N, C, H, W); fills grads["K"] (F, C, F_h, F_w) and grads["b"].

        dL/dK = Σ_n G[n] @ cols[n]ᵀ,   dL/db = Σ_{n,i,j} G,   dL/dX: :func:`input_gradient`.
        ``input_grad=False`` skips dL/dX (and returns None): a training step does not need the gradient of the
        pixels, and for a first layer it costs more than the parameter gradients."""
        K = self.params["K"]
        f = K.shape[0]
        n, _, ho, wo = grad.shape
        cols = self.cache.get("cols")
        g = grad.reshape(n, f, ho * wo)  # one column per output position, as in cols
        # X correlated with G, computed as (cols[n] @ G[n]ᵀ)ᵀ: OpenBLAS is faster with the long side first
        if self.cache.get("wide"):  # a batch in the wide layout: G widened with zeros, the windows rebuilt
            g_lead = wide_gradient(grad, self.cache["x_pad"].shape[3], K.shape[3] - 1)
            g_wide = g_lead[:, :, K.shape[3] - 1 :]
            dk_t = kernel_gradient_in_chunks(self.cache["x_pad"], g_wide, self.kernel_size, self.stride, (ho, wo), True)
            self.grads["K"] = dk_t.T.reshape(K.shape)
        elif cols is not None:
            self.grads["K"] = (cols @ g.transpose(0, 2, 1)).sum(axis=0).T.reshape(K.shape)
        else:  # a strided batch: the forward pass kept the padded input, the windows are rebuilt chunk by chunk
            dk_t = kernel_gradient_in_chunks(self.cache["x_pad"], g, self.kernel_size, self.stride, (ho, wo))
            self.grads["K"] = dk_t.T.reshape(K.shape)
        if self.use_bias:
            self.grads["b"] = g.sum(axis=(0, 2))
        if not input_grad:
            return None
        if self.cache.get("wide"):
            return unpad(input_gradient_wide(g_lead, K, self.cache["pad_shape"]), self.cache["pads"])
        return unpad(input_gradient(grad, K, self.cache["pad_shape"], self.stride), self.cache["pads"])
