"""The famous CNN architectures measured layer by layer with the course's formulas, and the "your stack"
calculator (engine/shapes.py, engine/zoo.py, app/services/zoo.py)."""

from __future__ import annotations

from fastapi import APIRouter, Query

from ...schemas.architectures import ArchitectureDetail, ArchitectureList, StackRequest, StackResponse
from ...schemas.common import ERROR_RESPONSES
from ...services import zoo

router = APIRouter(tags=["architectures"], responses=ERROR_RESPONSES)


@router.get(
    "/architectures",
    response_model=ArchitectureList,
    summary="LeNet-5 to EfficientNet-B0: year, parameters, multiply-adds, published top-1",
)
def list_architectures():
    return {"architectures": zoo.catalogue()}


@router.post(
    "/architectures/stack",
    response_model=StackResponse,
    summary="Your stack: layers typed one per line, with every shape, parameter and multiply-add",
)
def stack(req: StackRequest):
    return zoo.measure_stack(req.input_shape, req.text)


@router.get(
    "/architectures/{name}",
    response_model=ArchitectureDetail,
    summary="One architecture's layer table: output sizes by (N − F + 2P)/S + 1, parameters, multiply-adds",
)
def architecture(
    name: str,
    input: int | None = Query(None, ge=1, le=2048, description="side of the square input (default: the paper's)"),  # noqa: A002
):
    return zoo.detail(name, input)
