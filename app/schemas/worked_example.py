"""GET/POST /api/worked-example: the course's hand-worked example, step by step (full float64 precision)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from .common import BoundedFloat, RequestModel, WholeNumber

Vector2 = Annotated[list[BoundedFloat], Field(min_length=2, max_length=2)]
Matrix2 = Annotated[list[Vector2], Field(min_length=2, max_length=2)]
Vector3 = Annotated[list[BoundedFloat], Field(min_length=3, max_length=3)]
Matrix3 = Annotated[list[Vector3], Field(min_length=3, max_length=3)]


class WorkedExampleRequest(RequestModel):
    """Every field is optional: what is left out keeps the document's value."""

    X: Matrix3 | None = Field(None, description="The 3×3 input.", examples=[[[1, 0, 3], [2, 5, 1], [4, 0, 2]]])
    f1: Matrix2 | None = Field(None, description="First 2×2 filter.", examples=[[[1, 0], [2, -1]]])
    f2: Matrix2 | None = Field(None, description="Second 2×2 filter.", examples=[[[-1, 2], [0, 1]]])
    W: Matrix2 | None = Field(
        None, description="Dense weights (2×2, z = W·x + b).", examples=[[[0.5, -0.3], [-0.2, 0.7]]]
    )
    b: Vector2 | None = Field(None, description="Dense biases.", examples=[[1.2, -0.5]])
    y: (
        Annotated[WholeNumber, Field(ge=0, le=1)]
        | Annotated[list[Annotated[float, Field(ge=0, le=1, strict=True)]], Field(min_length=2, max_length=2)]
        | None
    ) = Field(
        None,
        description="The target: a label 0/1 or a probability vector summing to 1, like [0, 1].",
        examples=[[0, 1]],
    )
    eta: float | None = Field(None, gt=0, le=100, description="Learning rate η.", examples=[0.01])


class WorkedExampleStep(BaseModel):
    id: str = Field(examples=["loss"])
    section: str = Field(description="Section of the course, e.g. IV.1.")
    title: dict[str, str] = Field(description="{en, fr}.")
    formula: str
    explanation: dict[str, str] = Field(description="{en, fr}.")
    inputs: dict[str, Any]
    values: dict[str, Any] = Field(description="The computed values (float64).")
    document: dict[str, Any] | None = Field(None, description="What the document prints (document inputs only).")
    comparisons: list[dict[str, Any]] = Field(default_factory=list)
    mismatches: list[dict[str, Any]] = Field(default_factory=list)
    highlight: dict[str, Any] = Field(default_factory=dict, description="Cells involved (windows, arg-max...).")


class WorkedExampleResponse(BaseModel):
    inputs: dict[str, Any]
    uses_document_inputs: bool = Field(description="Only then are the document's printed values compared.")
    steps: list[WorkedExampleStep]
    errata: list[dict[str, Any]] = Field(description="Every slip of the document, with its explanation.")
