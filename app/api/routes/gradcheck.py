from __future__ import annotations

from fastapi import APIRouter, Depends

from engine import gradcheck as engine_gradcheck

from ...core.config import Settings
from ...core.errors import ApiError
from ...schemas.common import ERROR_RESPONSES
from ...schemas.gradcheck import GradcheckRequest, GradcheckResponse
from ...services.images import prepare_image
from ...services.models import ModelRegistry
from ..deps import get_registry, get_settings

router = APIRouter(tags=["trace"], responses=ERROR_RESPONSES)


@router.post(
    "/gradcheck",
    response_model=GradcheckResponse,
    summary="Backpropagation vs central differences for chosen parameter entries (float64)",
)
def gradcheck(
    req: GradcheckRequest, settings: Settings = Depends(get_settings), registry: ModelRegistry = Depends(get_registry)
):
    entry = registry.get(req.model)
    entry.check_label(req.label)
    limit = settings.max_gradcheck_entries
    if (len(req.indices) if req.indices is not None else req.count) > limit:
        raise ApiError.invalid_input("too_many_entries", "error.too_many_entries", limit=limit)
    shape = entry.param(req.layer, req.param).shape
    for idx in req.indices or []:
        if len(idx) != len(shape) or any(i >= s for i, s in zip(idx, shape)):
            raise ApiError.invalid_input(
                "index_out_of_range",
                "error.index_out_of_range",
                idx=idx,
                layer=req.layer,
                param=req.param,
                shape=list(shape),
            )
    prepared = prepare_image(req.image, entry, preprocess_image=req.preprocess, max_pixels=settings.max_image_pixels)
    result = engine_gradcheck(
        entry.model,
        prepared.array,
        req.label,
        req.layer,
        req.param,
        indices=[tuple(i) for i in req.indices] if req.indices is not None else None,
        count=req.count,
        eps=req.eps,
        seed=req.seed,
    )
    return {"model": entry.id, **result}
