from __future__ import annotations

import numpy as np
from fastapi import APIRouter, Depends

from ...core.config import Settings
from ...core.errors import ApiError
from ...schemas.common import ERROR_RESPONSES
from ...schemas.predict import PredictRequest, PredictResponse
from ...services.encoding import to_list
from ...services.images import prepare_image
from ...services.models import ModelRegistry
from ..deps import get_registry, get_settings

router = APIRouter(tags=["inference"], responses=ERROR_RESPONSES)


@router.post("/predict", response_model=PredictResponse, summary="The digit(s) and the 10 probabilities")
def predict(
    req: PredictRequest, settings: Settings = Depends(get_settings), registry: ModelRegistry = Depends(get_registry)
):
    entry = registry.get(req.model)
    batch = req.images is not None
    images = req.images if batch else [req.image]
    limit = settings.max_batch_images
    if len(images) > limit:
        raise ApiError.invalid_input(
            "too_many_images", "error.too_many_images", {"max_batch_images": limit}, n_images=len(images), limit=limit
        )
    inputs = np.stack(
        [
            prepare_image(
                image,
                entry,
                preprocess_image=req.preprocess,
                max_pixels=settings.max_image_pixels,
                index=i if batch else None,
            ).array
            for i, image in enumerate(images)
        ]
    )
    probabilities = entry.fork().predict_proba(inputs)
    return {
        "model": entry.id,
        "predictions": [{"label": int(p.argmax()), "probabilities": to_list(p)} for p in probabilities],
    }
