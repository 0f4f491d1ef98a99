from __future__ import annotations

from fastapi import APIRouter, Depends

from ...core.config import Settings
from ...core.i18n import Lang
from ...schemas.common import ERROR_RESPONSES
from ...schemas.sliding import PoolRequest, PoolResponse
from ...services import sliding
from ..deps import get_lang, get_settings

router = APIRouter(tags=["playground"], responses=ERROR_RESPONSES)


@router.post(
    "/pool", response_model=PoolResponse, summary="Max/average/sum pooling of a small input, with the arg-max positions"
)
def pool(req: PoolRequest, settings: Settings = Depends(get_settings), lang: Lang = Depends(get_lang)):
    return sliding.pool(req, settings, lang)
