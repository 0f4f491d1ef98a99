"""The available models, their layers, their (big) parameters by rows, and receptive fields."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from engine import receptive_field

from ...core.config import Settings
from ...core.errors import ApiError
from ...schemas.common import ERROR_RESPONSES
from ...schemas.models import ModelInfo, ModelsResponse, ParamValues, ReceptiveField
from ...services.encoding import tensor_stats, to_list
from ...services.models import ModelEntry, ModelRegistry
from ..deps import get_registry, get_settings

router = APIRouter(tags=["models"], responses=ERROR_RESPONSES)


def model_info(entry: ModelEntry, default_id: str) -> dict:
    model = entry.model
    layers = [
        {
            **row,
            "index": i,
            "formula": layer.formula,
            "param_shapes": {k: list(v.shape) for k, v in layer.params.items()},
        }
        for i, (row, layer) in enumerate(zip(model.summary_rows(), model.layers))
    ]
    return {
        "id": entry.id,
        "description": entry.description,
        "source": entry.source,
        "default": entry.id == default_id,
        "trained": entry.trained,
        "input_shape": list(model.input_shape),
        "input_kind": entry.input_kind,
        "num_classes": model.num_classes,
        "param_count": model.param_count(),
        "layers": layers,
        "test_accuracy": entry.test_accuracy,
        "metadata": entry.metadata,
    }


@router.get("/models", response_model=ModelsResponse, summary="Every available model, with its architecture")
def list_models(registry: ModelRegistry = Depends(get_registry)):
    return {"default": registry.default_id, "models": [model_info(e, registry.default_id) for e in registry.entries()]}


@router.get("/models/{model_id}", response_model=ModelInfo, summary="One model, with its architecture")
def get_model(model_id: str, registry: ModelRegistry = Depends(get_registry)):
    return model_info(registry.get(model_id), registry.default_id)


@router.get(
    "/models/{model_id}/params/{layer}/{param}",
    response_model=ParamValues,
    summary="A parameter tensor's values (by first-axis row for big ones)",
)
def get_param(
    model_id: str,
    layer: str,
    param: str,
    row: int | None = Query(None, ge=0, description="Return only this first-axis slice (a row of W, a filter of K)."),
    registry: ModelRegistry = Depends(get_registry),
    settings: Settings = Depends(get_settings),
):
    entry = registry.get(model_id)
    tensor = entry.param(layer, param)
    if row is not None:
        if row >= tensor.shape[0]:
            raise ApiError.invalid_input("row_out_of_range", "error.row_out_of_range", rows=tensor.shape[0])
        values = to_list(tensor[row])
    elif tensor.size > settings.max_param_values:
        raise ApiError.invalid_input("tensor_too_large", name=f"{layer}.{param}", size=int(tensor.size))
    else:
        values = to_list(tensor)
    return {
        "model": entry.id,
        "layer": layer,
        "param": param,
        "shape": list(tensor.shape),
        "row": row,
        "values": values,
        "stats": tensor_stats(tensor),
    }


@router.get(
    "/models/{model_id}/receptive-field",
    response_model=ReceptiveField,
    summary="The input pixels one unit of a layer can see",
)
def get_receptive_field(
    model_id: str,
    layer: str = Query(description="Layer name, e.g. conv2."),
    row: int = Query(0, ge=0),
    col: int = Query(0, ge=0),
    registry: ModelRegistry = Depends(get_registry),
):
    entry = registry.get(model_id)
    index = entry.model.layers.index(entry.layer(layer))
    shape = entry.model.shapes[index]
    if len(shape) == 3 and (row >= shape[1] or col >= shape[2]):
        raise ApiError.invalid_input(
            "position_out_of_range",
            "error.position_out_of_range.2",
            row=row,
            col=col,
            layer=layer,
            height=shape[1],
            width=shape[2],
        )
    field = receptive_field(entry.model, index, row, col)
    return {"model": entry.id, "layer": layer, "layer_index": index, "row": row, "col": col, **field}
