"""GET /api/samples and GET /api/activations."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Sample(BaseModel):
    index: int
    label: int = Field(description="The true digit.")
    image: list[list[int]] | str = Field(description="28×28 grey levels 0–255 (light ink on black), or a PNG data URL.")


class SamplesResponse(BaseModel):
    source: str = Field(description="Where the digits come from.")
    samples: list[Sample]


class ActivationCurve(BaseModel):
    kind: str = Field(examples=["relu"])
    formula: str
    alpha: float | None = Field(description="α of leaky_relu and elu.")
    x: list[float]
    y: list[float] = Field(description="f(x).")
    derivative: list[float] | None = Field(description="f′(x); null for heaviside (no useful derivative).")
