"""POST /api/convolve and POST /api/pool: a kernel sliding over a small input, position by position."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from ..core.config import MAX_DETAIL_POSITIONS
from .common import BoundedFloat, RequestModel


def _nonempty(item):
    return Annotated[list[item], Field(min_length=1)]


ArrayND = Annotated[
    _nonempty(BoundedFloat) | _nonempty(_nonempty(BoundedFloat)) | _nonempty(_nonempty(_nonempty(BoundedFloat))),
    Field(description="1-D (a row of numbers), 2-D (H×W) or 3-D (C×H×W, C ≤ 4) array of numbers."),
]
PositiveInt = Annotated[int, Field(ge=1, strict=True)]
NonNegativeInt = Annotated[int, Field(ge=0, strict=True)]
Stride = Annotated[
    PositiveInt | tuple[PositiveInt, PositiveInt], Field(description="S, or [S_rows, S_cols]; at least 1.")
]
Padding = Annotated[
    NonNegativeInt | tuple[NonNegativeInt, NonNegativeInt] | Literal["valid", "same"],
    Field(
        description='Zeros added around the input: P, [P_rows, P_cols], "valid" (0) or "same" '
        "(keeps ⌈N/S⌉ outputs; an odd total puts the extra zero at the "
        "bottom/right)."
    ),
]
Positions = Annotated[
    list[tuple[NonNegativeInt, NonNegativeInt]] | None,
    Field(
        None,
        max_length=MAX_DETAIL_POSITIONS,
        description="Output positions [row, col] to explain (row 0 for 1-D inputs). Default: the first 64 in "
        "reading order.",
    ),
]


class ConvolveRequest(RequestModel):
    input: ArrayND
    kernel: ArrayND = Field(description="Same number of dimensions as the input; a 3-D kernel has the input's C.")
    stride: Stride = 1
    padding: Padding = 0
    bias: BoundedFloat = 0.0
    positions: Positions = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"input": [0, 1, 2, -1, 1, -3, 0], "kernel": [1, 0, -1], "stride": 2},
                {"input": [[1, 0, 3], [2, 5, 1], [4, 0, 2]], "kernel": [[1, 0], [2, -1]]},
            ]
        }
    }


class PoolRequest(RequestModel):
    input: ArrayND
    mode: Literal["max", "avg", "sum"] = "max"
    size: Stride = Field(2, description="Window side F, or [F_rows, F_cols].")
    stride: Stride | None = Field(None, description="Default: the window size (non-overlapping windows).")
    positions: Positions = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"input": [[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 0], [1, 2, 2, 4]], "mode": "max", "size": 2},
            ]
        }
    }


class OutputSizeFormula(BaseModel):
    symbolic: str = Field(examples=["(N − F + 2P)/S + 1"])
    height: str | None = Field(
        description="Rows, with the numbers; null for 1-D inputs.", examples=["(5 − 3 + 2·0)/1 + 1 = 3"]
    )
    width: str = Field(examples=["(5 − 3 + 2·0)/1 + 1 = 3"])


class ConvolvePosition(BaseModel):
    position: list[int] = Field(description="[row, col] of the output.")
    origin: list[int] = Field(description="[row, col] of the window's top-left cell in the padded input.")
    window: list[Any] = Field(description="The input values under the kernel, shaped like the kernel.")
    products: list[Any] = Field(description="window × kernel, element by element.")
    channel_sums: list[float] = Field(description="Sum of the products of each channel.")
    sum: float = Field(description="Sum over all channels.")
    bias: float
    value: float = Field(description="sum + bias = the output at this position.")


class ConvolveResponse(BaseModel):
    output: list[Any] = Field(
        description="Plain nested list, shaped like output_shape: exact float64 values (no rounding)."
    )
    output_shape: list[int]
    input_shape: list[int]
    kernel_shape: list[int]
    padded_input: list[Any] = Field(description="The input with its zero padding, as the kernel sees it.")
    stride: list[int] = Field(description="[rows, cols].")
    padding: list[int] = Field(description="[top, bottom, left, right].")
    formula: OutputSizeFormula
    note: str | None = Field(description="Set when the stride does not divide evenly (the formula's floor).")
    positions: list[ConvolvePosition]
    total_positions: int
    truncated: bool = Field(description="true when only some positions are detailed.")


class PoolPosition(BaseModel):
    position: list[int]
    origin: list[int]
    window: list[Any] = Field(description="Input values in the window (per channel for 3-D inputs).")
    value: float | list[float]
    argmax: list[int] | list[list[int]] | None = Field(
        description="max mode: [row, col] in the input of the chosen maximum (per channel for 3-D inputs)."
    )


class PoolResponse(BaseModel):
    mode: Literal["max", "avg", "sum"]
    output: list[Any] = Field(description="Plain nested list, shaped like output_shape: exact float64 values.")
    output_shape: list[int]
    input_shape: list[int]
    size: list[int]
    stride: list[int]
    formula: OutputSizeFormula
    note: str | None
    argmax: list[Any] | None = Field(
        description="max mode: for each output, the input position of its maximum ([row, col]; a column index for "
        "1-D inputs); ties go to the first in reading order."
    )
    positions: list[PoolPosition]
    total_positions: int
    truncated: bool
