"""/api/mlp/*: a small multilayer perceptron in the course's notation (sigmoids, log loss), float64."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from ..core.errors import validation_error
from .common import BoundedFloat, RequestModel
from .neuron import Label, Point

MAX_HIDDEN_LAYERS = 3
MAX_UNITS = 16
MAX_EPOCHS = 5000
MAX_STEP_POINTS = 32


class MlpTrainRequest(RequestModel):
    dataset: Literal["xor", "circles"] = "xor"
    n: int = Field(
        40, ge=4, le=400, strict=True, description="circles: points in all; xor: 4 × points per corner (rounded down)."
    )
    noise: float = Field(0.1, ge=0, le=0.5, strict=True, description="Gaussian noise on the points.")
    hidden: list[Annotated[int, Field(ge=1, le=MAX_UNITS, strict=True)]] = Field(
        [4], max_length=MAX_HIDDEN_LAYERS, description="Hidden layer widths ([] = one neuron)."
    )
    learning_rate: float = Field(1.0, gt=0, le=100)
    epochs: int = Field(1000, ge=0, le=MAX_EPOCHS, strict=True)
    seed: int = Field(0, ge=0, le=2**31 - 1, strict=True)
    grid_size: int = Field(41, ge=5, le=81, strict=True)


class Layer(BaseModel):
    W: list[list[float]]
    b: list[float]


class LayerIn(RequestModel):
    W: list[Annotated[list[BoundedFloat], Field(min_length=1, max_length=MAX_UNITS)]] = Field(
        min_length=1, max_length=MAX_UNITS
    )
    b: list[BoundedFloat] = Field(min_length=1, max_length=MAX_UNITS)


class UnitBoundary(BaseModel):
    unit: int
    w: list[float]
    b: float


class MlpTrainResponse(BaseModel):
    points: list[list[float]]
    labels: list[int]
    dimensions: list[int]
    history: list[dict[str, float]] = Field(description="{epoch, loss, accuracy}, at most 200 of them.")
    params: list[Layer]
    units: list[UnitBoundary] = Field(description="The first hidden layer's lines w·x + b = 0.")
    grid: dict[str, list] = Field(description="{xs, ys, prob}: the network's output over the plane (rows = ys).")
    loss: float
    accuracy: float
    single_neuron: dict[str, float] = Field(description="One neuron trained the same way: {loss, accuracy}.")


class MlpStepRequest(RequestModel):
    points: list[Point] = Field(min_length=1, max_length=MAX_STEP_POINTS)
    labels: list[Label] = Field(min_length=1, max_length=MAX_STEP_POINTS)
    params: list[LayerIn] = Field(min_length=1, max_length=MAX_HIDDEN_LAYERS + 1)
    learning_rate: float = Field(1.0, gt=0, le=100)
    steps: int = Field(
        1,
        ge=1,
        le=1000,
        strict=True,
        description="Take steps − 1 updates first, then show every number of the last one.",
    )

    @model_validator(mode="after")
    def _shapes(self):
        if len(self.points) != len(self.labels):
            raise validation_error("validation.points_labels_length", points=len(self.points), labels=len(self.labels))
        width = 2
        for l, layer in enumerate(self.params, start=1):
            rows = len(layer.W)
            if any(len(r) != width for r in layer.W) or len(layer.b) != rows:
                raise validation_error("validation.mlp_layer_shape", layer=l, rows=rows, width=width)
            width = rows
        if width != 1:
            raise validation_error("validation.mlp_last_layer")
        return self


class StepLayer(BaseModel):
    l: int
    Z: list[list[float]]
    A: list[list[float]]
    dZ: list[list[float]]
    WtdZ: list[list[float]] | None = Field(None, description="W^[l+1]ᵀ·dZ^[l+1] (hidden layers).")
    dsig: list[list[float]] | None = Field(None, description="A^[l](1 − A^[l]) (hidden layers).")
    dW: list[list[float]]
    db: list[float]


class MlpStepResponse(BaseModel):
    m: int
    params: list[Layer] = Field(description="The parameters this step starts from (after steps − 1 updates).")
    loss: float
    layers: list[StepLayer]
    params_next: list[Layer]
    loss_next: float
