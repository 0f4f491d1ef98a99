"""Request and response models of /api/architectures (the famous CNNs measured layer by layer) and the "your stack"
calculator."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .common import RequestModel, ResponseModel


class ArchitectureSummary(ResponseModel):
    key: str = Field(examples=["vgg16"])
    name: str = Field(examples=["VGG-16"])
    year: int = Field(examples=[2014])
    paper: str
    top1: float | None = Field(description="ImageNet top-1 accuracy (%) published in the paper; null if none")
    top1_source: str = Field(description="where the paper gives it (or why there is none)")
    torchvision_top1: float | None = Field(description="top-1 (%) torchvision measured for the network counted here")
    torchvision: str | None = Field(description="torchvision's builder of the same network")
    default_input: int = Field(description="side of the default square input", examples=[224])


class ArchitectureListItem(ArchitectureSummary):
    input_shape: list[int]
    params: int = Field(description="trainable parameters", examples=[138357544])
    macs: int = Field(description="multiply-adds for one image (convolutions and dense layers)")
    activation_bytes: int = Field(description="bytes of all layers' outputs for one image in float32")
    layer_count: int


class ArchitectureList(ResponseModel):
    architectures: list[ArchitectureListItem]


class SizeStep(ResponseModel):
    """One spatial axis through (N − F + 2P)/S + 1; ``p`` is both sides' padding added (2P)."""

    n: int
    f: int
    p: int
    s: int
    quotient: float = Field(description="(n − f + p)/s before rounding")
    exact: bool
    rounding: Literal["floor", "ceil"]
    out: int


class LayerRow(ResponseModel):
    name: str = Field(examples=["layer1.0.conv1"])
    type: str = Field(examples=["conv2d"])
    depth: int = Field(description="nesting: 0 at the top, +1 inside each residual/concat/se block")
    input_shape: list[int]
    output_shape: list[int]
    params: int
    macs: int
    activations: int = Field(description="values this layer outputs for one image")
    activation_bytes: int
    numpy: bool = Field(description="the engine also runs this layer in NumPy (forward and backward)")
    detail: str
    sizes: list[SizeStep] = Field(description="the output-size formula per axis (one when both axes agree)")
    block: bool = Field(description="the merge of a block (add, concat, rescale), after its branches' rows")
    block_params: int | None = None
    block_macs: int | None = None
    line: int | None = Field(None, description="the stack's line this layer comes from (your stack only)")


class LayerTable(ResponseModel):
    input_shape: list[int]
    output_shape: list[int]
    layers: list[LayerRow]
    total_params: int
    total_macs: int
    total_activations: int
    total_activation_bytes: int


class ArchitectureDetail(LayerTable, ArchitectureSummary):
    pass


Side = Annotated[int, Field(strict=True, ge=1, le=4096)]


class StackRequest(RequestModel):
    input_shape: Annotated[list[Side], Field(min_length=3, max_length=3, examples=[[3, 224, 224]])]
    text: str = Field(
        max_length=20_000,
        description="one layer per line, e.g. 'conv 64 3 s1 p1', 'maxpool 2', 'bn', 'relu', 'gap', 'dense 10'",
        examples=["conv 64 7 s2 p3\nbn\nrelu\nmaxpool 3 s2 p1\ngap\nflatten\ndense 1000"],
    )


class StackResponse(LayerTable):
    spec: list[dict]
    lines: list[int]
