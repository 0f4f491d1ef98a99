"""Classes: /api/classes and its drawings."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from ..services.classes import DEVICE_PATTERN
from .common import EXAMPLE_DIGIT_PNG, ImageInput, RequestModel, WholeNumber
from .predict import Prediction

DeviceId = Annotated[
    str,
    Field(
        pattern=DEVICE_PATTERN,
        description="The random id the student's browser made for itself (8–64 letters, digits, - and _): no "
        "account, no name.",
        examples=["d3v1c3-4b5c6d7e"],
    ),
]
Digit = Annotated[WholeNumber, Field(ge=0, le=9, description="The digit the student was asked to draw.")]


class ClassCreated(BaseModel):
    code: str = Field(description="6 characters without look-alikes (no 0/O, 1/I/L).", examples=["K7TQ3M"])
    teacher_token: str = Field(description="The teacher's secret: shown once, stored only hashed on the server.")
    join_url: str = Field(description="What students open (or scan) to join.")
    dashboard_url: str = Field(description="The teacher's dashboard (send the token as Authorization: Bearer).")


class ClassPublic(BaseModel):
    code: str
    prompt: int = Field(description="The digit to draw next (the class's least drawn).")
    model: str = Field(description="The model that reads the class's drawings.")


class DrawingRequest(RequestModel):
    image: ImageInput
    label: Digit
    device_id: DeviceId

    model_config = {
        "json_schema_extra": {"examples": [{"image": EXAMPLE_DIGIT_PNG, "label": 1, "device_id": "abcd1234"}]}
    }


class DrawingCreated(BaseModel):
    id: str
    model: str
    prediction: Prediction
    next_prompt: int = Field(description="The digit to draw next.")


class DrawingInfo(BaseModel):
    id: str
    label: int
    created_at: str
    prediction: Prediction
    p_label: float = Field(description="The probability the model gives to the drawing's label.")
    model: str
    image_url: str = Field(description="The original drawing (grey PNG); its random id is the only key to it.")


class DrawingList(BaseModel):
    total: int
    drawings: list[DrawingInfo]


class TrainingInfo(BaseModel):
    job: str | None = Field(description="The class's last training job (GET /api/train/{job} follows it).")
    state: str | None = Field(None, description="queued, running, finished, failed, cancelled (null: none known).")
    fraction: float | None = Field(None, description="How much of the training is done (0–1).")
    error: str | None = None
    error_code: str | None = None
    class_model: str | None = Field(description="class-<code> once the class has learnt its handwriting.")
    result: dict | None = Field(
        description="mode, epochs, heldout (held-out drawings), and once adopted: model, extra_eval "
        "{heldout_before, heldout_after, val_before, val_after}."
    )
    min_drawings: int | None = Field(None, description="Drawings needed before the class can learn.")


class ClassSummary(BaseModel):
    code: str
    revision: int = Field(description="Goes up with every change of the class's data.")
    students: int = Field(description="Distinct devices that drew.")
    drawings: int
    per_label: list[int] = Field(description="Drawings per digit 0–9.")
    accuracy: float | None = Field(description="The class model's accuracy on the class's drawings (null: none yet).")
    confusion: list[list[int]] = Field(description="10×10: row = digit asked, column = digit read.")
    model: str
    hardest: list[DrawingInfo] = Field(description="The drawings with the lowest probability of their label.")
    training: TrainingInfo
    expires_at: str = Field(description="When the class is deleted unless it is used again.")


class LearnRequest(RequestModel):
    mode: Literal["finetune", "fresh"] = Field(
        "finetune", description="finetune: start from the class's current model; fresh: train a new network."
    )
    epochs: int = Field(2, ge=1, le=20)


ExportFormat = Literal["npz", "idx"]
