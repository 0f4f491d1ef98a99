"""Turn a drawing or a photo into a 28×28 MNIST-like input, step by step.

Why one file of over 400 lines: one recipe, seven small steps read top to bottom; splitting it would scatter the recipe and
its constants. (Decoding uploads is :mod:`engine.image_input`'s job.)

MNIST digits were made like this (LeCun et al.): the black-and-white NIST
scans were size-normalised so that the digit fits in a **20×20 box** (keeping
the aspect ratio, with anti-aliasing, which creates grey levels), then placed
in a **28×28 frame** so that the **centre of mass** of the ink sits at the
centre of the frame. Ink is light (1.0) on a dark background (0.0).

A network trained on MNIST only works well on inputs made the same way, so
:func:`preprocess` reproduces that recipe and records every sub-step (with a
small picture and a few numbers) so that the app can show them to students:

1. ``grayscale``  colour → one channel (mean of R, G, B); transparency handled.
2. ``inverted``   MNIST is light-on-dark: if the background is light, invert.
3. ``denoised``   subtract the background level, stretch the contrast so the
                  ink peaks at 1.0, zero the faint noise and isolated specks.
4. ``cropped``    cut the image down to the bounding box of the ink.
5. ``scaled``     resize so that the longest side is 20 px (anti-aliased).
6. ``stroke``     make the pen width MNIST-like (≈ 2.3 px): a big digit drawn
                  with a thin pen would otherwise become a faint hairline.
7. ``centered``   paste in 28×28 with the centre of mass at (14, 14).

An input that already is an MNIST digit (28×28) skips steps 5 and 6.

Everything is NumPy array arithmetic (no Python loop over pixels); Pillow is
used only to resample images; decoding uploads (bytes, data URLs) is
:mod:`engine.image_input`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from messages import message

from .image_input import DEFAULT_MAX_PIXELS, ImageTooLargeError

__all__ = [
    "BlankImageError",
    "PreprocessStep",
    "PreprocessResult",
    "to_grayscale",
    "estimate_stroke_width",
    "preprocess",
]

# --------------------------------------------------------------------------
# Constants (the numbers of the recipe, in one place)
# --------------------------------------------------------------------------

WORK_MAX_SIDE = 1024  # big photos are first shrunk to this (plenty for 20 px)
RECORD_MAX_SIDE = 112  # the pictures kept in the step record are this small

BOX = 20  # MNIST: the digit fits in a 20×20 box ...
FRAME = 28  # ... inside a 28×28 frame ...
CENTER = 14.0  # ... with its centre of mass at (row 14, col 14).
# (Measured on the MNIST test set: mean centre of mass = (13.99, 14.00) when
#  pixels are indexed 0..27.)

MIN_CONTRAST = 0.08  # below this the "ink" is indistinguishable from paper
NOISE_FLOOR = 0.1  # after stretching, values below this are noise

# Pen width in the 20-px box, measured with estimate_stroke_width() on MNIST
# test digits passed through this pipeline: median 2.24 px; 5 % of them are
# thinner than 1.45 px and 5 % thicker than 3.54 px. Inside [MIN, MAX] we
# leave the pen alone (≈ 90 % of MNIST); outside we bring it to TARGET.
STROKE_TARGET = 2.3
STROKE_MIN = 1.4  # thinner than this: thicken (dilate)
STROKE_MAX = 3.5  # thicker than this: thin (erode)
SUPERSAMPLE = 4  # stroke changes are done on a 4× finer grid (0.25 px steps)


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


class BlankImageError(ValueError):
    """The image contains no ink (nothing was drawn)."""


# --------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------


@dataclass
class PreprocessStep:
    """One recorded sub-step.

    ``image`` is float32 in [0, 1] (small: at most 112 px on its long side);
    ``info`` holds the numbers worth showing (JSON-friendly Python types).
    """

    name: str
    image: np.ndarray
    info: dict = field(default_factory=dict)

    def title(self, lang: str = "en") -> str:
        """The step's title for people (catalogue key ``preprocess.<name>``)."""
        return message(f"preprocess.{self.name}", lang)

    @property
    def title_en(self) -> str:
        return self.title("en")

    @property
    def title_fr(self) -> str:
        return self.title("fr")


@dataclass
class PreprocessResult:
    """``image``: the network input, float32 (28, 28) in [0, 1].
    ``steps``: the recorded sub-steps, in order (empty if not recorded)."""

    image: np.ndarray
    steps: list[PreprocessStep] = field(default_factory=list)

    def step(self, name: str) -> PreprocessStep:
        """The recorded step called ``name`` (KeyError if absent)."""
        for s in self.steps:
            if s.name == name:
                return s
        raise KeyError(name)


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def _resize(img: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resize a float image to (height, width), anti-aliased.

    Shrinking uses Pillow's BOX filter (= area averaging: each output pixel is
    the mean of the input pixels it covers, which is how a camera sensor or
    the MNIST anti-aliasing behaves). Enlarging uses bilinear interpolation.
    Works on 32-bit float ("F" mode) images, so no precision is lost.
    """
    h, w = img.shape
    if (h, w) == (height, width):
        return img.astype(np.float32, copy=True)
    shrinking = height * width < h * w
    resample = Image.Resampling.BOX if shrinking else Image.Resampling.BILINEAR
    pil = Image.fromarray(np.ascontiguousarray(img, dtype=np.float32))
    out = np.asarray(pil.resize((width, height), resample), dtype=np.float32)
    return np.clip(out, 0.0, None)


def _fit(h: int, w: int, long_side: int) -> tuple[int, int]:
    """Size (h', w') with max(h', w') == long_side and the same aspect ratio."""
    s = long_side / max(h, w)
    return max(1, round(h * s)), max(1, round(w * s))


def _thumbnail(img: np.ndarray, max_side: int = RECORD_MAX_SIDE) -> np.ndarray:
    """A small copy of ``img`` for the step record (float32 in [0, 1])."""
    if max(img.shape) > max_side:
        img = _resize(img, *_fit(*img.shape, max_side))
    return np.clip(img, 0.0, 1.0).astype(np.float32)


def _border(img: np.ndarray) -> np.ndarray:
    """The pixels of the outer frame of the image, as a 1-D array.

    The frame is ~2 % of the smaller side thick (at least 1 px): wide enough
    to be robust on photos, thin enough to usually miss the digit.
    """
    k = max(1, min(img.shape) // 50)
    if min(img.shape) <= 2 * k:
        return img.ravel()
    return np.concatenate([img[:k].ravel(), img[-k:].ravel(), img[k:-k, :k].ravel(), img[k:-k, -k:].ravel()])


def _shifted_stack(img: np.ndarray, offsets, pad_value: float) -> np.ndarray:
    """Stack of copies of ``img`` shifted by each (dy, dx) in ``offsets``.

    Used for 3×3 neighbourhood operations without a loop over pixels:
    e.g. the max over the stack is a 3×3 "max filter" (grey dilation).
    """
    h, w = img.shape
    p = np.pad(img, 1, constant_values=pad_value)
    return np.stack([p[1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w] for dy, dx in offsets])


_SQUARE = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
_CROSS = [(0, 0), (-1, 0), (1, 0), (0, -1), (0, 1)]


def _morph_pass(img: np.ndarray, i: int, grow: bool) -> np.ndarray:
    """One pass of grey dilation (``grow``) or erosion: ink spreads / recedes
    by one pixel.

    Dilation takes the max over a small neighbourhood, erosion the min.
    Alternating a 3×3 square (even passes ``i``) and a 5-pixel cross (odd
    passes) grows an octagon, a cheap approximation of a disk, so the pen
    tip stays round instead of becoming square.
    """
    offsets = _SQUARE if i % 2 == 0 else _CROSS
    op = np.max if grow else np.min
    return op(_shifted_stack(img, offsets, pad_value=0.0), axis=0)


def _ink_bbox(img: np.ndarray) -> tuple[int, int, int, int] | None:
    """(top, left, bottom, right) of the pixels > 0 (bottom/right exclusive)."""
    rows = np.flatnonzero(img.any(axis=1))
    cols = np.flatnonzero(img.any(axis=0))
    if rows.size == 0:
        return None
    return int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1


def _center_of_mass(img: np.ndarray) -> tuple[float, float]:
    """Intensity-weighted mean (row, col) of the image, pixels indexed 0..n-1."""
    total = img.sum()
    rows = np.arange(img.shape[0], dtype=np.float64)
    cols = np.arange(img.shape[1], dtype=np.float64)
    return float(img.sum(axis=1) @ rows / total), float(img.sum(axis=0) @ cols / total)


# --------------------------------------------------------------------------
# 1. To grayscale
# --------------------------------------------------------------------------


def _as_float_array(img, max_side: int | None = None) -> np.ndarray:
    """PIL image or array → float array in [0, 1], shape (H, W) or (H, W, C).

    Accepted: uint8 0–255, other integers 0–255, bool, floats 0–1 (floats
    up to 255 are taken as 0–255). NaN/Inf or other ranges → ValueError.
    A PIL image larger than ``max_side`` is shrunk *before* the conversion to
    float (a 4096² RGBA photo would otherwise take 268 MB as float32).
    """
    if isinstance(img, Image.Image):
        if max_side is not None and max(img.size) > max_side:
            if img.mode not in ("L", "RGB", "RGBA", "F"):
                img = img.convert("RGBA" if _has_alpha(img) else "RGB")
            h, w = _fit(img.height, img.width, max_side)
            img = img.resize((w, h), Image.Resampling.BOX)
        if img.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
            a = np.asarray(img, dtype=np.float64)
            return (a / (255.0 if a.max(initial=0) <= 255 else 65535.0)).astype(np.float32)
        if img.mode == "F":
            img = np.asarray(img, dtype=np.float32)  # checked as a float array below
        else:
            if _has_alpha(img):
                img = img.convert("RGBA")
            elif img.mode not in ("L", "RGB"):
                img = img.convert("RGB")
            return np.asarray(img, dtype=np.float32) / 255.0

    a = np.asarray(img)
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (1, 2, 3, 4)):
        raise ValueError(f"expected an image of shape (H, W) or (H, W, 1|2|3|4), got {a.shape}")
    if a.shape[0] == 0 or a.shape[1] == 0:
        raise ValueError(f"empty image (shape {a.shape})")
    if a.dtype == bool:
        return a.astype(np.float32)
    if np.issubdtype(a.dtype, np.integer):
        if a.min() < 0 or a.max() > 255:
            raise ValueError("integer images must have values in 0..255")
        return a.astype(np.float32) / 255.0
    if not np.issubdtype(a.dtype, np.floating):
        raise ValueError(f"unsupported pixel type {a.dtype}")
    if not np.isfinite(a).all():
        raise ValueError("the image contains NaN or infinite values")
    lo, hi = float(a.min()), float(a.max())
    if lo < -1e-6 or hi > 255.0:
        raise ValueError(f"float images must have values in [0, 1] (got {lo:.3g}..{hi:.3g})")
    scale = 255.0 if hi > 1.0 + 1e-6 else 1.0  # 0–255 floats are accepted too
    return np.clip(a.astype(np.float32) / scale, 0.0, 1.0)


def _has_alpha(img: Image.Image) -> bool:
    """Does this PIL image carry transparency?"""
    return img.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        img.mode in ("P", "L", "RGB") and "transparency" in img.info
    )


def _grayscale(img, max_side: int | None = None) -> tuple[np.ndarray, dict]:
    """:func:`to_grayscale` plus a dict telling what was done."""
    a = _as_float_array(img, max_side)
    info: dict = {"alpha": False}
    if a.ndim == 2:
        return a, info
    channels = a.shape[2]
    if channels in (2, 4):  # the last channel is alpha (opacity)
        color, alpha = a[..., :-1], a[..., -1]
    else:
        color, alpha = a, None
    grey = color.mean(axis=2)  # the course's rule: mean of the channels

    if alpha is not None and alpha.min() < 1.0:
        # Transparent pixels carry no meaningful colour (a canvas usually
        # stores them as black (0,0,0,0)), so we composite the strokes over a
        # background that contrasts with them: dark strokes over white,
        # light strokes over black. Then ink = opacity × stroke contrast and
        # fully transparent = background = no ink.
        weight = alpha.sum()
        stroke = float((grey * alpha).sum() / weight) if weight > 0 else 0.0
        background = 1.0 if stroke < 0.5 else 0.0
        grey = alpha * grey + (1.0 - alpha) * background
        info = {"alpha": True, "composited_on": "white" if background else "black"}
    return grey.astype(np.float32), info


def to_grayscale(img) -> np.ndarray:
    """Any image → float32 (H, W) in [0, 1] (0 = black, 1 = white).

    ``img`` may be a PIL image or an array of shape (H, W), (H, W, 3) RGB or
    (H, W, 4) RGBA, uint8 0–255 or float 0–1.

    * RGB → grey by the **mean** of the three channels (like the course).
    * RGBA with real transparency (some alpha < 255): the strokes are
      composited over a contrasting background, so a transparent canvas
      with dark *or* light strokes both work, and fully transparent pixels
      become background (no ink).
    """
    return _grayscale(img)[0]


# --------------------------------------------------------------------------
# Stroke width
# --------------------------------------------------------------------------


def estimate_stroke_width(ink: np.ndarray, threshold: float = 0.5) -> float:
    """Average pen width (in pixels of ``ink``) of a light-on-dark image.

    A pen stroke of length L and width w has area ≈ L·w and its outline has
    length ≈ 2·L (both sides), so **w ≈ 2·area / perimeter**.

    * area      = number of pixels ≥ ``threshold``;
    * perimeter = number of pixel edges between ink and background. Counting
      edges on the pixel grid over-estimates the length of a slanted or
      curved outline by 4/π on average, so we multiply it by π/4.

    Returns 0.0 if there is no ink. On MNIST (in its 20-px box) this gives a
    median of 2.34 px.
    """
    mask = np.pad(ink >= threshold, 1)
    area = int(mask.sum())
    if area == 0:
        return 0.0
    edges = int((mask[1:] != mask[:-1]).sum() + (mask[:, 1:] != mask[:, :-1]).sum())
    return float(2.0 * area / (edges * np.pi / 4.0))


# --------------------------------------------------------------------------
# 2–7. The pipeline
# --------------------------------------------------------------------------


def _check_size(img, max_pixels: int) -> tuple[int, int]:
    """(height, width) of ``img``; too many pixels → ImageTooLargeError."""
    if isinstance(img, Image.Image):
        w, h = img.size
    else:
        shape = np.shape(img)
        if len(shape) < 2:
            raise ValueError(f"expected a 2-D image, got shape {shape}")
        h, w = shape[:2]
    if h * w > max_pixels:
        raise ImageTooLargeError(f"image too large: {w}×{h} = {w * h:,} pixels (limit {max_pixels:,})")
    if h == 0 or w == 0:
        raise ValueError("empty image (0 pixels)")
    return h, w


def _denoise(img: np.ndarray) -> tuple[np.ndarray, dict]:
    """Background → 0, ink peak → 1, faint noise and lone specks → 0.

    1. The background level and its noise are estimated on the border (the
       median is robust to a digit touching the edge) and subtracted.
    2. The contrast is stretched so that the brightest ink is exactly 1.0.
    3. Soft threshold: values below ``t`` (10 % of the peak, or more if the
       border is noisy) become 0 and the rest is rescaled to keep 0..1
       continuous: v → (v − t) / (1 − t).
    4. Isolated pixels (no ink among their 8 neighbours) are removed: a real
       stroke is never one pixel alone.
    """
    border = _border(img)
    background = float(np.median(border))
    noise = float(1.4826 * np.median(np.abs(border - background)))  # robust σ
    ink = np.clip(img - background, 0.0, None)
    peak = float(ink.max())
    if peak < max(MIN_CONTRAST, 6.0 * noise):  # nothing stands out of the noise
        raise BlankImageError("the image looks blank: draw a digit first")
    ink /= peak
    t = min(0.5, max(NOISE_FLOOR, 4.0 * noise / peak))
    ink = np.clip((ink - t) / (1.0 - t), 0.0, 1.0)

    has_ink = ink > 0
    neighbours = _shifted_stack(has_ink, [o for o in _SQUARE if o != (0, 0)], False)
    lonely = has_ink & ~neighbours.any(axis=0)
    ink[lonely] = 0.0
    info = {
        "background": round(background, 4),
        "contrast": round(peak, 4),
        "threshold": round(t, 4),
        "specks_removed": int(lonely.sum()),
    }
    return ink.astype(np.float32), info


def _to_box(img: np.ndarray, k: int = SUPERSAMPLE) -> tuple[np.ndarray, np.ndarray]:
    """Resize the cropped ink to fit the 20-px box.

    Returns (fine, small): ``fine`` is the digit on a k× finer grid (long
    side 20·k), ``small`` is the 20-px version (each pixel = the mean of a
    k×k block of ``fine``), with its ink peak stretched back to 1.0.
    """
    h, w = _fit(*img.shape, BOX)
    fine = _resize(img, h * k, w * k)
    small = fine.reshape(h, k, w, k).mean(axis=(1, 3))
    return fine, small / max(float(small.max()), 1e-12)


def _normalize_stroke(fine: np.ndarray, small: np.ndarray, width: float):
    """Thicken a too-thin pen / thin a too-thick one, on the k× finer grid.

    ``fine``/``small``: the digit from :func:`_to_box`; ``width``: its pen
    width in 20-px-box pixels. Returns (fine, small, info).

    We grow (or shrink) the ink one fine pixel (¼ box pixel) at a time and
    after each pass put the digit back in its 20-px box and measure the pen
    width again; we keep the pass closest to ``STROKE_TARGET``. Measuring
    after re-boxing matters: growing the pen also makes the digit bigger,
    and shrinking it back to 20 px thins the pen a little again.
    """
    k = SUPERSAMPLE
    best = (abs(width - STROKE_TARGET), fine, small, {"action": "none", "width_after": round(width, 2), "radius": 0.0})
    if STROKE_MIN <= width <= STROKE_MAX:
        return best[1:]  # already within MNIST's range: leave it alone

    grow = width < STROKE_MIN
    max_passes = 3 * k if grow else 2 * k  # erode at most 2 px per side
    if grow:
        # A thin pen comes out of the downscale as a faint, blurry line:
        # first make its core full ink (≥ half the peak → 1.0).
        work = np.clip(fine / (0.5 * float(fine.max())), 0.0, 1.0)
        work = np.pad(work, max_passes)  # room for the ink to grow into
    else:
        work = fine
    for i in range(max_passes):
        work = _morph_pass(work, i, grow)
        bbox = _ink_bbox(work > 0.05)
        if bbox is None:  # eroded away: stop
            break
        t, l, b, r = bbox
        f, s = _to_box(work[t:b, l:r])
        w = estimate_stroke_width(f / f.max()) / k
        if abs(w - STROKE_TARGET) < best[0]:
            info = {
                "action": "dilate" if grow else "erode",
                "radius": (i + 1) / k * (1 if grow else -1),
                "width_after": round(w, 2),
            }
            best = (abs(w - STROKE_TARGET), f, s, info)
        if (w >= STROKE_TARGET) if grow else (w <= STROKE_TARGET):
            break
    return best[1:]


def _center(fine: np.ndarray, k: int = SUPERSAMPLE, origin: tuple[int, int] | None = None) -> tuple[np.ndarray, dict]:
    """Put the digit in the 28×28 frame with its centre of mass at (14, 14).

    ``fine`` is the digit on the k× finer grid. MNIST shifted by whole
    pixels; we position the digit on the fine grid, i.e. to the nearest
    ¼ pixel, then average each k×k block. Two drawings of the same digit
    then line up better. The shift is clipped so no ink leaves the frame.

    ``origin``: where the digit sits before the shift (top, left); default:
    its box in the middle of the frame. With k = 1 (an input that is already
    an MNIST digit, ``origin`` = where it was) the digit only moves if it is
    off by a whole pixel or more, so a real MNIST digit comes out as it is.
    Returns (image float32 (28, 28), info).
    """
    hf, wf = fine.shape
    n = FRAME * k
    top0, left0 = origin if origin is not None else ((n - hf) // 2, (n - wf) // 2)
    cy, cx = _center_of_mass(fine)  # in fine pixels, relative to the digit
    # Fine pixel j has its centre at (j + 0.5) / k − 0.5 in 28-px coordinates,
    # so the frame centre 14 is at fine coordinate (14 + 0.5)·k − 0.5.
    target = (CENTER + 0.5) * k - 0.5
    to_int = round if k > 1 else np.trunc
    top = int(np.clip(top0 + to_int(target - cy - top0), 0, n - hf))
    left = int(np.clip(left0 + to_int(target - cx - left0), 0, n - wf))
    canvas = np.zeros((n, n), np.float32)
    canvas[top : top + hf, left : left + wf] = fine
    out = canvas.reshape(FRAME, k, FRAME, k).mean(axis=(1, 3))
    out = np.clip(out / max(float(out.max()), 1e-12), 0.0, 1.0).astype(np.float32)

    to_frame = lambda v: round((v + 0.5) / k - 0.5, 2)  # noqa: E731
    info = {
        "center_of_mass": [to_frame(cy + top0), to_frame(cx + left0)],  # before
        "shift": [(top - top0) / k, (left - left0) / k],
        "center_of_mass_after": [round(v, 2) for v in _center_of_mass(out)],
    }
    return out, info


def preprocess(
    img,
    *,
    record_steps: bool = True,
    normalize_stroke: bool = True,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> PreprocessResult:
    """Drawing or photo → MNIST-like float32 (28, 28) in [0, 1].

    ``img``: PIL image or array (see :func:`to_grayscale`). An image that is
    already an MNIST digit (28×28, ink about 20 px tall) is not resampled:
    it is only cleaned and, if off-centre by a pixel or more, shifted.
    ``normalize_stroke``: bring the pen width to MNIST's (step 6).
    ``record_steps``: keep the sub-steps (small pictures + numbers) for display.

    Raises :class:`ImageTooLargeError` (more than ``max_pixels``),
    ``ValueError`` (NaN/Inf, bad shape or range) and
    :class:`BlankImageError` (no ink).
    """
    orig_h, orig_w = _check_size(img, max_pixels)
    steps: list[PreprocessStep] = []

    def record(name, image, info):
        if record_steps:
            steps.append(PreprocessStep(name, _thumbnail(image), info))

    # 1. grayscale (big photos are shrunk first: 1024 px is plenty for 20 px)
    grey, info = _grayscale(img, max_side=WORK_MAX_SIDE)
    if max(grey.shape) > WORK_MAX_SIDE:  # (arrays are shrunk here)
        grey = _resize(grey, *_fit(*grey.shape, WORK_MAX_SIDE))
    work_scale = grey.shape[0] / orig_h
    info.update(size=[orig_w, orig_h], work_scale=round(work_scale, 4))
    record("grayscale", grey, info)

    # 2. polarity: MNIST is light ink on a dark background
    border_level = float(np.median(_border(grey)))
    inverted = border_level > 0.5
    if inverted:
        grey = 1.0 - grey
    record(
        "inverted",
        grey,
        {"inverted": bool(inverted), "border_level": round(border_level, 4)},
    )

    # 3. background removal, contrast stretch, noise removal
    ink, info = _denoise(grey)
    record("denoised", ink, info)

    # 4. crop to the ink
    bbox = _ink_bbox(ink)
    if bbox is None:
        raise BlankImageError("no ink found in the image: draw a digit first")
    top, left, bottom, right = bbox
    crop = ink[top:bottom, left:right]
    bbox_orig = [round(v / work_scale) for v in bbox]
    record(
        "cropped",
        crop,
        {"bbox": bbox_orig, "bbox_order": "top, left, bottom, right (input pixels)"},
    )

    # An input that is already a 28×28 digit about 20 px tall is taken as
    # an MNIST digit: resampling it would only blur it, so steps 5–6 are
    # skipped and step 7 shifts it by whole pixels.
    already_mnist = grey.shape == (FRAME, FRAME) and BOX - 3 <= max(crop.shape) <= BOX + 2
    skipped = {"skipped": "already an MNIST-sized digit"} if already_mnist else {}

    # 5. scale the longest side to 20 px
    if already_mnist:
        fine, small, k, scale = crop, crop, 1, 1.0
        origin = (top, left)  # where the digit already is in the frame
    else:
        fine, small = _to_box(crop)
        k, scale = SUPERSAMPLE, BOX / max(crop.shape)  # working px → box px
        origin = None  # the 20-px box in the middle of the frame
    record(
        "scaled",
        small,
        {
            "scale": round(scale * work_scale, 5),  # input pixels → box pixels
            "size": [small.shape[1], small.shape[0]],
            **skipped,
        },
    )

    # 6. pen width (measured on the sharp crop, expressed in box pixels)
    width = estimate_stroke_width(crop) * scale
    if normalize_stroke and not already_mnist:
        fine, small, info = _normalize_stroke(fine, small, width)
    else:
        action = "skipped" if already_mnist else "disabled"
        info = {"action": action, "width_after": round(width, 2), "radius": 0.0}
    info = {"width_before": round(width, 2), "target": STROKE_TARGET, **info}
    record("stroke", small, info)

    # 7. paste in 28×28 with the centre of mass at (14, 14)
    out, info = _center(fine, k, origin)
    record("centered", out, info)
    return PreprocessResult(image=out, steps=steps)
