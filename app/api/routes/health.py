from __future__ import annotations

from fastapi import APIRouter, Depends

import engine

from ...schemas.models import HealthResponse
from ...services.models import ModelRegistry
from ..deps import get_registry

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthResponse, summary="Is the server up, and which model is the default")
async def health(registry: ModelRegistry = Depends(get_registry)):
    return {
        "status": "ok",
        "version": engine.__version__,
        "default_model": registry.default_id,
        "models": len(registry.ids()),
    }
