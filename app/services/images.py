"""A request's image -> the model's input array, through the engine's MNIST-style preprocessing.

An *image* is a PNG/JPEG data URL or bare base64 string (what a canvas gives), or a 2-D array of grey levels
(0–255 or 0–1). Uploaded bytes stay in memory (never written to disk) and are size-checked before they are
decompressed. Every engine error becomes a keyed :class:`ApiError` (its words in ``messages/``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PIL import Image

from engine.image_input import ImageDecodeError, ImageTooLargeError, decode_data_url
from engine.preprocess import (
    BlankImageError,
    PreprocessStep,
    preprocess,
    to_grayscale,
)
from messages import LANGS, both, message

from ..core.errors import ApiError
from .encoding import to_uint8
from .models import ModelEntry

STEP_IMAGE_MAX_SIDE = 56  # preprocessing pictures are shown small: 56 px keeps them sharp and the answer light


@dataclass
class PreparedImage:
    """``array``: the network input for one sample, shape ``model.input_shape``; ``steps``: what preprocessing did."""

    array: np.ndarray
    steps: list[PreprocessStep] = field(default_factory=list)


def _prefix(index: int | None) -> dict[str, str]:
    """ "Image 2: " before the message of the image at ``index`` of a batch (nothing for a single image)."""
    return {lang: "" if index is None else message("error.image_prefix", lang, index=str(index)) for lang in LANGS}


def _translate(exc: ValueError, max_pixels: int, index: int | None) -> ApiError:
    prefix = _prefix(index)
    detail: dict[str, Any] = {"reason": str(exc)}  # the engine's own words (English), for programs
    if index is not None:
        detail["index"] = index
    if isinstance(exc, BlankImageError):
        return ApiError.invalid_input("blank_image", detail=detail, prefix=prefix)
    if isinstance(exc, ImageTooLargeError):
        return ApiError.keyed(
            413, "image_too_large", detail={**detail, "max_pixels": max_pixels}, prefix=prefix, limit=max_pixels
        )
    if isinstance(exc, ImageDecodeError):
        return ApiError.invalid_input("invalid_image", detail=detail, prefix=prefix)
    return ApiError.invalid_input("invalid_image", "error.unusable_image", detail, prefix=prefix)


#: how the messages name the array being read (catalogue: sliding.name.image)
WHAT = {"image": both("sliding.name.image")}


def array_from_lists(rows: list, what: dict[str, str] | None = None, index: int | None = None) -> np.ndarray:
    """Nested lists from JSON -> a float64 array; ragged, empty or non-finite input is a 422. ``what`` names the
    array in each language (default: the image)."""
    prefix, what = _prefix(index), what or WHAT["image"]
    try:
        a = np.array(rows, dtype=np.float64)
    except (ValueError, TypeError):
        detail = {"index": index} if index is not None else None
        raise ApiError.invalid_input("ragged_array", detail=detail, prefix=prefix, what=what) from None
    if a.size == 0:
        raise ApiError.invalid_input("empty_array", prefix=prefix, what=what)
    if not np.isfinite(a).all():
        raise ApiError.invalid_input("not_finite", prefix=prefix, what=what)
    return a


def _input_hw(entry: ModelEntry) -> tuple[int, int, int]:
    shape = entry.model.input_shape
    if len(shape) != 3:
        raise ApiError.invalid_input("unsupported_model", "error.unsupported_model", model=repr(entry.id))
    return shape  # type: ignore[return-value]


def prepare_image(
    image: str | list,
    entry: ModelEntry,
    *,
    preprocess_image: bool,
    max_pixels: int,
    record_steps: bool = False,
    index: int | None = None,
) -> PreparedImage:
    """Decode and (optionally) preprocess one image for ``entry``'s model."""
    c, h, w = _input_hw(entry)
    prefix = _prefix(index)
    try:
        source: Image.Image | np.ndarray
        if isinstance(image, str):
            source = decode_data_url(image, max_pixels=max_pixels)
        else:
            source = array_from_lists(image, index=index)
            if source.ndim != 2:
                raise ApiError.invalid_input("wrong_shape", "error.image_not_2d", prefix=prefix)
            if source.size > max_pixels:
                raise ImageTooLargeError(
                    f"image too large: {source.shape[1]}×{source.shape[0]} pixels (limit {max_pixels:,})"
                )
        if preprocess_image:
            if (c, h, w) != (1, 28, 28):
                raise ApiError.invalid_input(
                    "preprocess_unsupported", prefix=prefix, model=repr(entry.id), shape=f"{c}×{h}×{w}"
                )
            result = preprocess(source, record_steps=record_steps, max_pixels=max_pixels)
            return PreparedImage(result.image.reshape(1, 28, 28).astype(np.float32, copy=False), result.steps)
        return PreparedImage(_as_model_input(source, entry, index))
    except ApiError:
        raise
    except ValueError as exc:  # BlankImageError, ImageDecodeError, ImageTooLargeError are ValueErrors too
        raise _translate(exc, max_pixels, index) from None


def _as_model_input(source, entry: ModelEntry, index: int | None) -> np.ndarray:
    """``preprocess: false``: the image must already have the model's input size; it is used as is."""
    c, h, w = _input_hw(entry)
    prefix = _prefix(index)
    grey = to_grayscale(source) if isinstance(source, Image.Image) else np.asarray(source, dtype=np.float64)
    if grey.shape != (h, w) or c != 1:
        raise ApiError.invalid_input(
            "wrong_shape",
            "error.wrong_image_size",
            {"expected": [h, w], "got": list(grey.shape)},
            prefix=prefix,
            expected=f"{h}×{w}",
            got="×".join(map(str, grey.shape)),
        )
    if entry.input_kind == "mnist" and not isinstance(source, Image.Image):
        lo, hi = float(grey.min()), float(grey.max())
        if lo < 0 or hi > 255:
            raise ApiError.invalid_input("out_of_range", detail={"min": lo, "max": hi}, prefix=prefix)
        if hi > 1.0:
            grey = grey / 255.0
    return grey.reshape(1, h, w).astype(entry.model.dtype)


def encode_step_image(image: np.ndarray, max_side: int = STEP_IMAGE_MAX_SIDE) -> np.ndarray:
    """A recorded preprocessing picture -> grey levels 0..255 (uint8, C-contiguous: JSON-ready for orjson), at
    most ``max_side`` px on its long side."""
    a = to_uint8(image)
    height, width = a.shape
    if max(height, width) > max_side:
        scale = max_side / max(height, width)
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        a = np.asarray(Image.fromarray(a).resize(size, Image.Resampling.BOX))
    return np.ascontiguousarray(a)
