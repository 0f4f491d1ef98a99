"""Shared pieces of the request and response models."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from ..services.models import SLUG_PATTERN

# a small PNG of a handwritten "1" (28×28), the example image of the OpenAPI docs
EXAMPLE_DIGIT_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABwAAAAcCAAAAABXZoBIAAAANUlEQVR42mNgGGjwH5XLiC6HLMCEWx+KJIYckiSm"
    "HJIkIz5JBkYMeSZcLkeXZBiVpKrkQAAAddMFJlkqKYkAAAAASUVORK5CYII="
)


class RequestModel(BaseModel):
    """Requests refuse unknown fields (typos are errors, not silently ignored) and NaN/Infinity, which Python's
    JSON parser would otherwise let through."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ResponseModel(BaseModel):
    model_config = ConfigDict(extra="allow")


# Numbers a client sends are bounded: products and sums of them stay far from float overflow
MAX_ABS_VALUE = 1e6
# strict: true/false are not numbers (pydantic would otherwise read them as 1/0)
BoundedFloat = Annotated[float, Field(ge=-MAX_ABS_VALUE, le=MAX_ABS_VALUE, strict=True)]
WholeNumber = Annotated[int, Field(strict=True)]

ModelId = Annotated[
    str,
    Field(
        pattern=SLUG_PATTERN,
        max_length=64,
        examples=["lenet"],
        description="A model id from GET /api/models (default: the server's default model).",
    ),
]

ImageInput = Annotated[
    Annotated[str, Field(min_length=1)]
    | Annotated[list[Annotated[list[BoundedFloat], Field(min_length=1)]], Field(min_length=1)],
    Field(
        description="A PNG/JPEG data URL or bare base64 string (what a canvas gives), or a 2-D array of grey "
        "levels, 0–255 or 0–1 (light ink on a dark background, or the reverse: preprocessing "
        "detects it).",
        examples=[EXAMPLE_DIGIT_PNG],
    ),
]

PreprocessFlag = Annotated[
    bool,
    Field(
        strict=True,
        description="true: MNIST-style preprocessing (crop, scale to 20 px, centre in 28×28). false: the image must "
        "already have the model's input size (28×28) and is used as is.",
    ),
]

# nested lists of numbers, any depth (a layer output is (C, H, W), a dense output (D,))
NestedNumbers = Annotated[list[Any], Field(description="Nested lists of numbers rounded to 4 significant digits.")]


class ErrorInfo(BaseModel):
    code: str = Field(
        description="Stable machine-readable code, e.g. blank_image, unknown_model.", examples=["blank_image"]
    )
    message: str = Field(
        description="What went wrong, for a person (French with Accept-Language: fr).",
        examples=["The drawing is blank: draw a digit first."],
    )
    detail: Any = Field(None, description="Extra facts (per-field messages, limits, the failing index...).")


class ErrorResponse(BaseModel):
    error: ErrorInfo


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in [
        (400, "Unreadable request"),
        (404, "Unknown model, layer or parameter"),
        (413, "Body or image too large"),
        (422, "Invalid input"),
    ]
}


class TensorStats(BaseModel):
    min: float
    max: float
    mean: float
    std: float
    abs_max: float


class Tensor(BaseModel):
    """A parameter or gradient: its values are inlined up to 20,000 entries."""

    shape: list[int]
    values: list[Any] | None = Field(
        description="Nested lists (4 significant digits), or null for tensors over 20,000 entries: fetch those with "
        "GET /api/models/{id}/params/{layer}/{param}?row=k."
    )
    stats: TensorStats
