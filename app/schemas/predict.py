"""POST /api/predict."""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator

from ..core.errors import validation_error
from .common import EXAMPLE_DIGIT_PNG, ImageInput, ModelId, PreprocessFlag, RequestModel


class PredictRequest(RequestModel):
    """Exactly one of ``image`` and ``images``."""

    # not nullable: null is not an image (the default only means "absent")
    image: ImageInput = Field(None, json_schema_extra=lambda s: s.pop("default", None))
    images: list[ImageInput] = Field(
        None,
        min_length=1,
        description="Several images at once (at most 256 by default: CONVSTEP_MAX_BATCH_IMAGES).",
        json_schema_extra=lambda s: s.pop("default", None),
    )
    model: ModelId | None = None
    preprocess: PreprocessFlag = True

    model_config = {
        "json_schema_extra": {
            "examples": [{"image": EXAMPLE_DIGIT_PNG}],
            "oneOf": [{"required": ["image"]}, {"required": ["images"]}],
        }
    }

    @model_validator(mode="after")
    def _one_of_image_images(self):
        if (self.image is None) == (self.images is None):
            raise validation_error("validation.image_or_images")
        return self


class Prediction(BaseModel):
    label: int = Field(description="The most probable digit.", examples=[1])
    probabilities: list[float] = Field(description="Softmax output, one probability per class (4 significant digits).")


class PredictResponse(BaseModel):
    model: str
    predictions: list[Prediction]
