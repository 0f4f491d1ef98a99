"""POST /api/gradcheck: backpropagation checked against finite differences."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from ..core.config import MAX_GRADCHECK_ENTRIES
from .common import EXAMPLE_DIGIT_PNG, ImageInput, ModelId, PreprocessFlag, RequestModel

ParamIndex = Annotated[list[Annotated[int, Field(ge=0, strict=True)]], Field(min_length=1, max_length=4)]


class GradcheckRequest(RequestModel):
    image: ImageInput
    label: int = Field(ge=0, le=9, strict=True, examples=[1])
    model: ModelId | None = None
    preprocess: PreprocessFlag = True
    layer: str = Field(max_length=64, description="Layer name, e.g. conv1 (see GET /api/models).", examples=["conv1"])
    param: str = Field("K", max_length=8, description="K (kernels), W (weights) or b (biases).", examples=["K"])
    indices: list[ParamIndex] | None = Field(
        None,
        max_length=MAX_GRADCHECK_ENTRIES,
        description="Entries to check, e.g. [[0, 0, 2, 2]]; default: `count` random ones.",
    )
    count: int = Field(
        5,
        ge=1,
        le=MAX_GRADCHECK_ENTRIES,
        strict=True,
        description="How many random entries (when no indices are given).",
    )
    eps: float = Field(1e-5, ge=1e-8, le=1e-2, description="ε of the central difference (L(θ+ε) − L(θ−ε)) / 2ε.")
    seed: int = Field(0, ge=0, le=2**31 - 1, strict=True, description="Picks the random entries.")

    model_config = {
        "json_schema_extra": {
            "examples": [{"image": EXAMPLE_DIGIT_PNG, "label": 1, "layer": "conv1", "param": "K", "count": 3}]
        }
    }


class GradcheckEntry(BaseModel):
    index: list[int]
    value: float = Field(description="The parameter's value.")
    analytic: float = Field(description="dL/dθ from backpropagation.")
    numerical: float = Field(description="(L(θ+ε) − L(θ−ε)) / 2ε.")
    abs_error: float
    relative_error: float = Field(description="|a − n| / max(|a|, |n|); ≲ 1e-6 when backpropagation is right.")


class GradcheckResponse(BaseModel):
    model: str
    layer: str
    param: str
    shape: list[int]
    loss: float
    eps: float
    checks: list[GradcheckEntry]
    max_relative_error: float
