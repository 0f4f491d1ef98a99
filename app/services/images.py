"""A request's image -> the model's input array, through the engine's MNIST-style preprocessing.

An *image* is a PNG/JPEG data URL or bare base64 string (what a canvas gives), or a 2-D array of grey levels
(0–255 or 0–1). Uploaded bytes stay in memory (never written to disk) and are size-checked before they are
decompressed. Every engine error becomes an :class:`ApiError` with an English and a French message.
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

from ..core.errors import ApiError
from .encoding import to_uint8
from .models import ModelEntry

STEP_IMAGE_MAX_SIDE = 56  # preprocessing pictures are shown small: 56 px keeps them sharp and the answer light


@dataclass
class PreparedImage:
    """``array``: the network input for one sample, shape ``model.input_shape``; ``steps``: what preprocessing did."""

    array: np.ndarray
    steps: list[PreprocessStep] = field(default_factory=list)


def _prefix(index: int | None) -> tuple[str, str]:
    return ("", "") if index is None else (f"Image {index}: ", f"Image {index} : ")


def _translate(exc: ValueError, max_pixels: int, index: int | None) -> ApiError:
    en, fr = _prefix(index)
    detail: dict[str, Any] = {"reason": str(exc)}
    if index is not None:
        detail["index"] = index
    if isinstance(exc, BlankImageError):
        return ApiError.invalid(
            "blank_image",
            f"{en}the drawing is blank: draw a digit first.",
            f"{fr}le dessin est vide : dessinez d'abord un chiffre.",
            detail,
        )
    if isinstance(exc, ImageTooLargeError):
        limit_en, limit_fr = f"{max_pixels:,}", f"{max_pixels:,}".replace(",", "\u202f")
        return ApiError(
            413,
            "image_too_large",
            f"{en}the image is too large (at most {limit_en} pixels): send a smaller image.",
            f"{fr}image trop grande (au plus {limit_fr} pixels) : envoyez une image plus petite.",
            {**detail, "max_pixels": max_pixels},
        )
    if isinstance(exc, ImageDecodeError):
        return ApiError.invalid(
            "invalid_image",
            f"{en}not a readable image ({exc}). Send a PNG or JPEG.",
            f"{fr}image illisible : envoyez un PNG ou un JPEG (fichier corrompu, tronqué ou d'un autre type).",
            detail,
        )
    return ApiError.invalid("invalid_image", f"{en}unusable image: {exc}.", f"{fr}image inutilisable : {exc}.", detail)


def array_from_lists(
    rows: list, what_en: str = "image", what_fr: str = "l'image", index: int | None = None
) -> np.ndarray:
    """Nested lists from JSON -> a float64 array; ragged, empty or non-finite input is a 422."""
    en, fr = _prefix(index)
    try:
        a = np.array(rows, dtype=np.float64)
    except (ValueError, TypeError):
        raise ApiError.invalid(
            "ragged_array",
            f"{en}the rows of the {what_en} do not all have the same length.",
            f"{fr}les lignes de {what_fr} n'ont pas toutes la même longueur.",
            {"index": index} if index is not None else None,
        ) from None
    if a.size == 0:
        raise ApiError.invalid("empty_array", f"{en}the {what_en} is empty.", f"{fr}{what_fr} est vide.")
    if not np.isfinite(a).all():
        raise ApiError.invalid(
            "not_finite",
            f"{en}the {what_en} contains NaN or infinite values.",
            f"{fr}{what_fr} contient des valeurs NaN ou infinies.",
        )
    return a


def _input_hw(entry: ModelEntry) -> tuple[int, int, int]:
    shape = entry.model.input_shape
    if len(shape) != 3:
        raise ApiError.invalid(
            "unsupported_model",
            f"Model {entry.id!r} does not take images.",
            f"Le modèle {entry.id!r} ne prend pas d'images.",
        )
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
    en, fr = _prefix(index)
    try:
        source: Image.Image | np.ndarray
        if isinstance(image, str):
            source = decode_data_url(image, max_pixels=max_pixels)
        else:
            source = array_from_lists(image, index=index)
            if source.ndim != 2:
                raise ApiError.invalid(
                    "wrong_shape",
                    f"{en}an image array must be 2-D (rows of numbers).",
                    f"{fr}un tableau d'image doit être en 2-D (des lignes de nombres).",
                )
            if source.size > max_pixels:
                raise ImageTooLargeError(
                    f"image too large: {source.shape[1]}×{source.shape[0]} pixels (limit {max_pixels:,})"
                )
        if preprocess_image:
            if (c, h, w) != (1, 28, 28):
                raise ApiError.invalid(
                    "preprocess_unsupported",
                    f'{en}model {entry.id!r} takes a {c}×{h}×{w} input: send it as an array with "preprocess": false.',
                    f"{fr}le modèle {entry.id!r} prend une entrée {c}×{h}×{w} : envoyez-la en tableau avec "
                    '"preprocess": false.',
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
    en, fr = _prefix(index)
    grey = to_grayscale(source) if isinstance(source, Image.Image) else np.asarray(source, dtype=np.float64)
    if grey.shape != (h, w) or c != 1:
        raise ApiError.invalid(
            "wrong_shape",
            f'{en}with "preprocess": false the image must be {h}×{w}, got {"×".join(map(str, grey.shape))}.',
            f'{fr}avec "preprocess": false l\'image doit faire {h}×{w}, reçu {"×".join(map(str, grey.shape))}.',
            {"expected": [h, w], "got": list(grey.shape)},
        )
    if entry.input_kind == "mnist" and not isinstance(source, Image.Image):
        lo, hi = float(grey.min()), float(grey.max())
        if lo < 0 or hi > 255:
            raise ApiError.invalid(
                "out_of_range",
                f"{en}pixel values must be between 0 and 255 (or 0 and 1).",
                f"{fr}les valeurs des pixels doivent être entre 0 et 255 (ou 0 et 1).",
                {"min": lo, "max": hi},
            )
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
