from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from ...core.config import Settings
from ...core.errors import ApiError
from ...schemas.common import ERROR_RESPONSES
from ...schemas.trace import BackwardRequest, BackwardResponse
from ...services.encoding import ArrayJSONResponse
from ...services.models import ModelRegistry
from ...services.packing import wants_packed
from ...services.traces import backward_json, traced_input
from ..deps import get_registry, get_settings

router = APIRouter(tags=["trace"], responses=ERROR_RESPONSES)


# Built with NumPy arrays and written by orjson, as /api/forward (see forward.py): BackwardResponse declares it.
@router.post(
    "/backward",
    response_model=BackwardResponse,
    response_class=ArrayJSONResponse,
    summary="Loss, every gradient, and SGD steps on a copy (the served model never changes)",
)
def backward(
    request: Request,
    req: BackwardRequest,
    settings: Settings = Depends(get_settings),
    registry: ModelRegistry = Depends(get_registry),
):
    entry = registry.get(req.model)
    entry.check_label(req.label)
    if req.steps > settings.max_backward_steps:
        raise ApiError.invalid_input(
            "too_many_steps", "error.too_many_steps", max_backward_steps=settings.max_backward_steps
        )
    if not entry.model.ends_with_softmax:
        raise ApiError.invalid_input("not_trainable", "error.not_trainable", model=repr(entry.id))
    array, steps = traced_input(req, entry, settings.max_image_pixels)
    answer = backward_json(
        entry.id,
        entry.model,
        array,
        req.label,
        req.learning_rate,
        req.steps,
        steps,
        req.include_params,
        packed=wants_packed(request),
    )
    return answer.compressed_for(request, settings)
