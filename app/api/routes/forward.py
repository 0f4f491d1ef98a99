from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from ...core.config import Settings
from ...schemas.common import ERROR_RESPONSES
from ...schemas.trace import ForwardRequest, ForwardResponse
from ...services.encoding import ArrayJSONResponse
from ...services.models import ModelRegistry
from ...services.packing import wants_packed
from ...services.traces import forward_json, traced_input
from ..deps import get_registry, get_settings

router = APIRouter(tags=["trace"], responses=ERROR_RESPONSES)


# The answer (~40,000 numbers) is built with NumPy arrays and written by orjson, returned as a Response: FastAPI
# then neither validates nor re-serialises it. ForwardResponse still declares it (OpenAPI, docs, schema-driven
# tests), and services/traces.py builds it in that model's shape and key order. It is gzipped here, with ISA-L
# (services/encoding.py), ~4x faster than the GZip middleware would.
@router.post(
    "/forward",
    response_model=ForwardResponse,
    response_class=ArrayJSONResponse,
    summary="Every number of the forward pass: preprocessing, each layer's output and parameters",
)
def forward(
    request: Request,
    req: ForwardRequest,
    settings: Settings = Depends(get_settings),
    registry: ModelRegistry = Depends(get_registry),
):
    entry = registry.get(req.model)
    array, steps = traced_input(req, entry, settings.max_image_pixels)
    answer = forward_json(
        entry.id,
        entry.model,
        array,
        steps,
        req.include_params,
        packed=wants_packed(request),
    )
    return answer.compressed_for(request, settings)
