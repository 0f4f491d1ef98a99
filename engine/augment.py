"""Data augmentation: random small distortions of the training digits.

People do not draw like the 5,000 MNIST digits we train on: their digits are
a bit shifted, tilted, bigger or smaller, drawn with a thicker or thinner pen.
Showing the network randomly distorted copies of the training digits at each
epoch teaches it to ignore those differences (and fights over-fitting).

:func:`augment_batch` applies, per image:

1. **pen thickness** (on a fraction of the images): a grey *dilation*
   (each pixel takes the max of itself and its 4 neighbours: the stroke
   grows) or *erosion* (min over a 2×2 window: the stroke loses about one
   pixel), blended with the original by a random amount;
2. an **affine transform** — rotation, scaling, translation — and optionally a
   smooth random **elastic** warp, computed by *inverse mapping*: for each
   output pixel we compute where it comes from in the input and read the
   input there with **bilinear interpolation**.

Everything is vectorised over the batch: one NumPy expression computes the
source coordinates of all N×28×28 output pixels, one gather reads them.
"""

from __future__ import annotations

import numpy as np

__all__ = ["augment_batch", "affine_grid", "bilinear_sample"]

_CROSS = [(0, 0), (-1, 0), (1, 0), (0, -1), (0, 1)]  # a pixel and its 4 neighbours
_SQUARE2 = [(0, 0), (0, 1), (1, 0), (1, 1)]  # a 2×2 window
_CHUNK = 256  # images transformed at a time


def _shifted(x: np.ndarray, offsets) -> np.ndarray:
    """(len(offsets), N, H, W): copies of the batch ``x`` (N, H, W) shifted by
    each (dy, dx), with zeros (background) coming in at the edges."""
    n, h, w = x.shape
    p = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    return np.stack([p[:, 1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w] for dy, dx in offsets])


def affine_grid(shape, angles, scales, shifts) -> tuple[np.ndarray, np.ndarray]:
    """Source coordinates of every output pixel, for a batch of affine maps.

    ``shape`` = (N, H, W); ``angles`` (N,) radians (clockwise on screen),
    ``scales`` (N,), ``shifts`` (N, 2) as (dy, dx) pixels.

    The forward map turns a point p of the input into
    ``c + s·R(θ)·(p − c) + t`` (c = image centre). To *fill* the output we
    need the inverse: output pixel q reads the input at
    ``p = c + R(−θ)·(q − c − t) / s``.
    Returns (src_y, src_x), each (N, H, W) float32.
    """
    n, h, w = shape
    cy, cx = (h - 1) / 2.0, (w - 1) / 2.0
    cos = (np.cos(angles) / scales).astype(np.float32)[:, None, None]
    sin = (np.sin(angles) / scales).astype(np.float32)[:, None, None]
    shifts = np.asarray(shifts, np.float32)
    qy = np.arange(h, dtype=np.float32)[None, :, None] - cy - shifts[:, 0, None, None]
    qx = np.arange(w, dtype=np.float32)[None, None, :] - cx - shifts[:, 1, None, None]
    # R(−θ) in (row, col) coordinates; rows point down, so a positive θ turns
    # the digit clockwise as seen on screen.
    src_y = cos * qy - sin * qx + cy
    src_x = sin * qy + cos * qx + cx
    return src_y, src_x


def bilinear_sample(x: np.ndarray, src_y: np.ndarray, src_x: np.ndarray) -> np.ndarray:
    """Read the batch ``x`` (N, H, W) at fractional coordinates, bilinearly.

    ``src_y``, ``src_x``: (N, H', W'). Outside the image reads as 0
    (background). The value at (y, x) mixes the 4 surrounding pixels with
    weights (1−fy)(1−fx), (1−fy)fx, fy(1−fx), fy·fx where fy, fx are the
    fractional parts. Implemented as one gather on the flattened,
    zero-padded batch: no loop over images or pixels.
    """
    n, h, w = x.shape
    # a 1-pixel frame of zeros lets every neighbour index stay valid
    padded = np.zeros((n, h + 2, w + 2), np.float32)
    padded[:, 1:-1, 1:-1] = x
    flat = padded.reshape(-1)
    row = w + 2  # length of a padded row

    sy = np.clip(src_y, -1.0, h)  # far outside → on the zero frame
    sx = np.clip(src_x, -1.0, w)
    y0 = np.clip(np.floor(sy), -1, h - 1)  # top-left neighbour...
    x0 = np.clip(np.floor(sx), -1, w - 1)
    fy, fx = sy - y0, sx - x0  # ...and the fractional parts, in [0, 1]

    # flat index of the top-left neighbour: start of its image in the padded
    # batch + (y0 + 1) rows + (x0 + 1) columns (the +1s skip the zero frame)
    start = np.arange(n, dtype=np.int32) * ((h + 2) * row) + row + 1
    start = start.reshape(-1, *([1] * (src_y.ndim - 1)))
    i00 = (y0 * row + x0).astype(np.int32) + start
    v00, v01 = np.take(flat, i00), np.take(flat, i00 + 1)
    v10, v11 = np.take(flat, i00 + row), np.take(flat, i00 + row + 1)
    top = v00 + fx * (v01 - v00)  # = (1 − fx)·v00 + fx·v01
    bottom = v10 + fx * (v11 - v10)
    return (top + fy * (bottom - top)).astype(np.float32, copy=False)


def _interp_matrix(n_out: int, n_in: int) -> np.ndarray:
    """(n_out, n_in) matrix that linearly interpolates n_in evenly spaced
    values (spanning the whole length) to n_out values."""
    pos = np.linspace(0, n_in - 1, n_out)
    lo = np.minimum(np.floor(pos).astype(int), n_in - 2)
    frac = pos - lo
    m = np.zeros((n_out, n_in), np.float32)
    m[np.arange(n_out), lo] = 1 - frac
    m[np.arange(n_out), lo + 1] = frac
    return m


def _elastic_field(coarse: np.ndarray, h: int, w: int):
    """Smooth displacement fields (dy, dx), each (N, H, W), from random
    displacements ``coarse`` (2, N, g, g) given on a coarse g×g lattice.

    Interpolating the lattice smoothly to every pixel makes neighbouring
    pixels move together, so strokes bend instead of tearing.
    """
    g = coarse.shape[-1]
    uy, ux = _interp_matrix(h, g), _interp_matrix(w, g)
    field = np.einsum("hg,cngk,wk->cnhw", uy, coarse, ux, optimize=True)
    return field[0], field[1]


def _thickness(x: np.ndarray, rng, prob: float) -> np.ndarray:
    """Thicken or thin the pen of a random fraction ``prob`` of the images.

    Dilation: max over the pixel and its 4 neighbours (the stroke grows by
    ~1 px on each side). Erosion: min over a 2×2 window (the stroke loses
    ~1 px in all; a 3×3 window would wipe out MNIST's 2-px strokes; the
    ¼-px drift it causes is nothing next to the random shifts). Each chosen
    image is blended with its dilated/eroded version by a random weight, so
    the change is continuous, not all-or-nothing.
    """
    n = len(x)
    chosen = rng.random(n) < prob
    thicken = rng.random(n) < 0.5
    weight = rng.uniform(0.4, 1.0, n).astype(np.float32)[:, None, None]
    out = x.copy()
    for grow, op, offsets in ((True, np.max, _CROSS), (False, np.min, _SQUARE2)):
        sel = chosen & (thicken == grow)  # the images getting this change
        if sel.any():
            changed = op(_shifted(x[sel], offsets), axis=0)
            out[sel] += weight[sel] * (changed - x[sel])
    return out


def augment_batch(
    x: np.ndarray,
    rng: np.random.Generator | int | None,
    *,
    max_shift: float = 3.0,
    max_rotation_deg: float = 15.0,
    scale_range: tuple[float, float] = (0.85, 1.15),
    thickness_prob: float = 0.3,
    elastic: bool = False,
    elastic_strength: float = 1.5,
) -> np.ndarray:
    """Randomly distorted copies of a batch of digits.

    ``x``: (N, 28, 28) or (N, 1, 28, 28) (any H, W work), values in [0, 1],
    light ink on black. Returns the same shape, float32 in [0, 1]; ``x`` is
    not modified. ``rng``: a ``np.random.Generator`` (or a seed): the same
    generator state gives the same result.

    Per image: shift uniform in ±``max_shift`` px (each axis), rotation in
    ±``max_rotation_deg``, zoom in ``scale_range``; with probability
    ``thickness_prob`` a thicker or thinner pen; if ``elastic``, a smooth
    random warp of up to ~``elastic_strength`` px.
    With all ranges at zero the batch comes back unchanged.
    """
    lo, hi = scale_range
    if max_shift < 0 or max_rotation_deg < 0 or not 0 < lo <= hi:
        raise ValueError("need max_shift ≥ 0, max_rotation_deg ≥ 0 and 0 < scale_range[0] ≤ scale_range[1]")
    if not 0.0 <= thickness_prob <= 1.0:
        raise ValueError("thickness_prob must be in [0, 1]")
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(rng)

    x = np.asarray(x, dtype=np.float32)
    shape = x.shape
    if x.ndim == 4 and shape[1] == 1:
        x = x.reshape(shape[0], shape[2], shape[3])
    elif x.ndim != 3:
        raise ValueError(f"expected (N, H, W) or (N, 1, H, W), got {shape}")
    n, h, w = x.shape

    # the random numbers of the geometry, drawn in a fixed order
    angles = np.deg2rad(rng.uniform(-max_rotation_deg, max_rotation_deg, n))
    scales = rng.uniform(lo, hi, n)
    shifts = rng.uniform(-max_shift, max_shift, (n, 2))
    if elastic:  # random moves of a 4×4 lattice of control points
        lattice = rng.uniform(-elastic_strength, elastic_strength, (2, n, 4, 4))
    if thickness_prob > 0:
        x = _thickness(x, rng, thickness_prob)

    out = np.empty_like(x)
    # Chunks of a few hundred images keep the temporaries in the CPU cache
    # (twice as fast on big batches); the result does not depend on it.
    for i in range(0, n, _CHUNK):
        part = slice(i, i + _CHUNK)
        src_y, src_x = affine_grid(x[part].shape, angles[part], scales[part], shifts[part])
        if elastic:
            dy, dx = _elastic_field(lattice[:, part].astype(np.float32), h, w)
            src_y, src_x = src_y + dy, src_x + dx
        out[part] = bilinear_sample(x[part], src_y, src_x)
    return np.clip(out, 0.0, 1.0).reshape(shape)
