"""POST /api/forward and POST /api/backward: every number of one pass, layer by layer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from ..core.config import MAX_BACKWARD_STEPS
from .common import EXAMPLE_DIGIT_PNG, ImageInput, ModelId, NestedNumbers, PreprocessFlag, RequestModel, Tensor


class ForwardRequest(RequestModel):
    image: ImageInput
    model: ModelId | None = None
    preprocess: PreprocessFlag = True
    step_images: Literal["array", "png"] = Field(
        "array",
        description="How preprocessing pictures come back: grey levels 0–255 as nested lists, or PNG data URLs.",
    )
    include_params: bool = Field(
        True,
        strict=True,
        description="false: parameter tensors come with shape and stats only (values null) — for repeated calls "
        "while drawing, the weights do not change (GET /api/models/{id}/params/… has them).",
    )

    model_config = {"json_schema_extra": {"examples": [{"image": EXAMPLE_DIGIT_PNG}]}}


class BackwardRequest(ForwardRequest):
    label: int = Field(
        ge=0,
        le=9,
        strict=True,
        description="The true class of the image (0–9; the worked example has 0–1).",
        examples=[1],
    )
    learning_rate: float = Field(0.01, gt=0, le=10, description="η of the SGD preview θ ← θ − η·dL/dθ.")
    steps: int = Field(
        1,
        ge=1,
        le=MAX_BACKWARD_STEPS,
        strict=True,
        description="SGD steps repeated on the copy (watch the true class rise).",
    )

    model_config = {"json_schema_extra": {"examples": [{"image": EXAMPLE_DIGIT_PNG, "label": 1, "steps": 5}]}}


class PreprocessingStep(BaseModel):
    name: str = Field(examples=["cropped"])
    title_en: str
    title_fr: str
    image: list[list[int]] | str = Field(
        description="The picture after this step: grey levels 0–255 (at most 56 px a side) or a PNG data URL."
    )
    info: dict[str, Any] = Field(description="The numbers of this step (bounding box, scale, centre of mass...).")


class ForwardLayer(BaseModel):
    index: int
    name: str
    type: str
    formula: str
    config: dict[str, Any]
    geometry: dict[str, Any] | None = Field(description="kernel, stride and padding of spatial layers.")
    input_shape: list[int]
    output_shape: list[int]
    output: NestedNumbers
    params: dict[str, Tensor] = Field(description="K, W, b: {shape, values (null above 20,000), stats}.")
    extra: dict[str, Any] = Field(
        description="maxpool: argmax (C, Ho, Wo, 2) input coordinates of each maximum; relu: zero_fraction."
    )


class ForwardResponse(BaseModel):
    model: str
    preprocessing: list[PreprocessingStep] = Field(description='Empty with "preprocess": false.')
    input: NestedNumbers = Field(description="The network input (C, H, W), e.g. 1×28×28 in [0, 1].")
    input_shape: list[int]
    layers: list[ForwardLayer]
    logits: list[float] | None = Field(description="The scores z before the final softmax.")
    probabilities: list[float]
    label: int


class BackwardLayer(BaseModel):
    index: int
    name: str
    type: str
    grad_output: NestedNumbers = Field(description="dL/d(output of this layer).")
    grad_input: NestedNumbers = Field(description="dL/d(input of this layer) = the previous layer's grad_output.")
    grads: dict[str, Tensor] = Field(description="dL/dK, dL/dW, dL/db.")


class HistoryPoint(BaseModel):
    step: int
    loss: float
    probability: float = Field(description="Probability of the true label after this step.")


class SgdStep(BaseModel):
    learning_rate: float
    steps: int
    probabilities_before: list[float]
    probabilities_after: list[float]
    loss_before: float
    loss_after: float
    history: list[HistoryPoint]
    params_after: dict[str, dict[str, Tensor]] = Field(description="layer -> parameter -> new values.")
    deltas: dict[str, dict[str, Tensor]] = Field(description="layer -> parameter -> change (after − before).")


class BackwardResponse(BaseModel):
    model: str
    label: int
    target: list[float] = Field(description="One-hot y.")
    loss: float = Field(description="Cross-entropy −log ŷ[label] (natural log).")
    probabilities: list[float]
    dL_dz: list[float] = Field(description="ŷ − y, the gradient of the loss at the logits.")
    grad_image: NestedNumbers = Field(description="dL/d(input image): which pixels would raise the loss.")
    input: NestedNumbers
    preprocessing: list[PreprocessingStep]
    layers: list[BackwardLayer]
    sgd_step: SgdStep
