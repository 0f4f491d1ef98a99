"""GET /api/health, GET /api/models and the per-model lookups."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from .common import NestedNumbers, TensorStats


class HealthResponse(BaseModel):
    status: Literal["ok"] = "ok"
    version: str
    default_model: str = Field(examples=["lenet"])
    models: int = Field(description="How many models are available.")


class LayerSummary(BaseModel):
    index: int
    name: str = Field(examples=["conv1"])
    type: str = Field(examples=["conv2d"])
    output_shape: list[int] = Field(description="Per sample, e.g. [8, 28, 28].")
    params: int = Field(description="Number of trainable parameters.")
    param_shapes: dict[str, list[int]] = Field(description='Shape of each parameter, e.g. {"K": [8, 1, 5, 5]}.')
    formula: str
    config: dict[str, Any]


class ModelInfo(BaseModel):
    id: str = Field(examples=["lenet"])
    description: str
    source: Literal["bundled", "preset", "folder", "training"]
    default: bool
    trained: bool = Field(description="false for a freshly initialised model (its predictions are guesses).")
    input_shape: list[int] = Field(examples=[[1, 28, 28]])
    input_kind: Literal["mnist", "raw"] = Field(
        description="mnist: 28×28 grey levels in [0, 1] (0–255 arrays are scaled); raw: numbers used as sent."
    )
    num_classes: int
    param_count: int
    layers: list[LayerSummary]
    test_accuracy: float | None = Field(None, description="Accuracy on the MNIST test set, when measured.")
    metadata: dict[str, Any] = Field(description="Training metadata saved with the model (seed, epochs, ...).")


class ModelsResponse(BaseModel):
    default: str
    models: list[ModelInfo]


class ParamValues(BaseModel):
    model: str
    layer: str
    param: str
    shape: list[int]
    row: int | None = Field(description="The first-axis index returned, or null for the whole tensor.")
    values: NestedNumbers
    stats: TensorStats = Field(description="Statistics of the whole tensor.")


class ReceptiveField(BaseModel):
    model: str
    layer: str
    layer_index: int
    row: int
    col: int
    top: int
    left: int
    bottom: int = Field(description="Inclusive.")
    right: int = Field(description="Inclusive.")
    full: bool = Field(description="true after a flatten/dense layer: every unit sees the whole input.")
