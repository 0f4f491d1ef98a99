"""/api/neuron/*: one neuron (sigmoid), its log loss and gradient descent, in the course's layout (float64)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from ..core.errors import validation_error
from .common import BoundedFloat, RequestModel

MAX_POINTS = 400
MAX_STEPS = 1000
Point = Annotated[list[BoundedFloat], Field(min_length=2, max_length=2)]
Label = Literal[0, 1]


class NeuronData(RequestModel):
    points: list[Point] = Field(
        min_length=1,
        max_length=MAX_POINTS,
        description="X: one 2-D point per row (m × 2).",
        examples=[[[0, 1], [2, 1]]],
    )
    labels: list[Label] = Field(
        min_length=1, max_length=MAX_POINTS, description="y: 0 or 1 per point.", examples=[[0, 1]]
    )
    W: Point = Field(description="The weights [w1, w2].", examples=[[0.5, -0.5]])
    b: BoundedFloat = Field(0.0, description="The bias.")
    learning_rate: float = Field(0.5, gt=0, le=1000, description="η.")

    @model_validator(mode="after")
    def _same_length(self):
        if len(self.points) != len(self.labels):
            raise validation_error("validation.points_labels_length", points=len(self.points), labels=len(self.labels))
        return self


class NeuronStepRequest(NeuronData):
    pass


class NeuronDescentRequest(NeuronData):
    steps: int = Field(50, ge=1, le=MAX_STEPS, strict=True, description="How many steps of gradient descent.")
    surface_size: int = Field(41, ge=5, le=81, strict=True, description="Grid side of the loss surface (w1, w2).")


class NeuronStepResponse(BaseModel):
    m: int
    Z: list[float] = Field(description="Z = X·W + b, one per point.")
    A: list[float] = Field(description="A = σ(Z).")
    heaviside: list[float] = Field(description="H(Z): the formal neuron's 0/1 output.")
    A_minus_y: list[float]
    loss: float = Field(description="L = −(1/m) Σ [y·ln a + (1 − y)·ln(1 − a)].")
    dW: list[float] = Field(description="∂L/∂W = (1/m)·Xᵀ(A − y).")
    db: float = Field(description="∂L/∂b = (1/m)·Σ(A − y).")
    W_next: list[float]
    b_next: float
    loss_next: float
    accuracy: float
    critical_learning_rate: float | None = Field(
        description="2/λ_max of the loss's Hessian here: a larger η overshoots the valley (the cost oscillates)."
    )


class DescentPoint(BaseModel):
    step: int
    W: list[float]
    b: float
    loss: float
    accuracy: float


class LossSurface(BaseModel):
    w1: list[float]
    w2: list[float]
    b: float = Field(description="The bias the surface is drawn for (the last step's).")
    loss: list[list[float]] = Field(description="Rows follow w2, columns w1.")


class NeuronDescentResponse(BaseModel):
    history: list[DescentPoint]
    surface: LossSurface
    critical_learning_rate: float | None = Field(description="At the start point (see the step response).")


class CloudsResponse(BaseModel):
    points: list[list[float]]
    labels: list[int]


class ScalingRun(BaseModel):
    cost: list[float] = Field(description="The course's LogLoss (with ε = 1e−10) at each step.")
    overflows: list[int] = Field(description="How many e^(−z) overflowed to inf at each step.")
    saturated: list[int] = Field(description="How many a were exactly 0 or 1 at each step.")
    z_abs_max: list[float]
    accuracy: float
    x_max: float


class ScalingResponse(BaseModel):
    m: int
    n: int
    digits: list[int]
    learning_rate: float
    exp_overflow_threshold: float = Field(description="e^x overflows float64 above this x (ln of the largest double).")
    raw: ScalingRun
    scaled: ScalingRun


class ErrataResponse(BaseModel):
    errata: list[dict[str, Any]]
