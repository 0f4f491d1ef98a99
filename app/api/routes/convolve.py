from __future__ import annotations

from fastapi import APIRouter, Depends

from ...core.config import Settings
from ...core.i18n import Lang
from ...schemas.common import ERROR_RESPONSES
from ...schemas.sliding import ConvolveRequest, ConvolveResponse
from ...services import sliding
from ..deps import get_lang, get_settings

router = APIRouter(tags=["playground"], responses=ERROR_RESPONSES)


@router.post(
    "/convolve",
    response_model=ConvolveResponse,
    summary="Convolve a small input, with the output-size formula and every position's products",
)
def convolve(req: ConvolveRequest, settings: Settings = Depends(get_settings), lang: Lang = Depends(get_lang)):
    return sliding.convolve(req, settings, lang)
