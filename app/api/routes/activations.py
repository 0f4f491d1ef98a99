"""Activation functions and their derivatives on a grid (for the playground's plots)."""

from __future__ import annotations

from typing import Literal

import numpy as np
from fastapi import APIRouter, Query

from engine.activations import ACTIVATIONS, activation_curve

from ...core.errors import ApiError
from ...schemas.common import ERROR_RESPONSES
from ...schemas.playground import ActivationCurve
from ...services.encoding import to_list

router = APIRouter(tags=["playground"], responses=ERROR_RESPONSES)

ActivationKind = Literal["relu", "leaky_relu", "elu", "sigmoid", "tanh", "heaviside"]
DEFAULT_ALPHA = {"leaky_relu": 0.1, "elu": 1.0}


@router.get("/activations", response_model=ActivationCurve, summary="f(x) and f′(x) of an activation on a grid")
def get_activation(
    kind: ActivationKind = Query("relu"),
    alpha: float | None = Query(None, ge=0, le=10, description="α of leaky_relu (0.1) and elu (1)."),
    x_min: float = Query(-5.0, ge=-100, le=100),
    x_max: float = Query(5.0, ge=-100, le=100),
    points: int = Query(201, ge=2, le=2001),
):
    if x_max <= x_min:
        raise ApiError.invalid_input("invalid_range", "error.invalid_range")
    used_alpha = (alpha if alpha is not None else DEFAULT_ALPHA[kind]) if kind in DEFAULT_ALPHA else None
    x = np.linspace(x_min, x_max, points)
    y, dy = activation_curve(kind, x, used_alpha)
    return {
        "kind": kind,
        "formula": ACTIVATIONS[kind].formula,
        "alpha": used_alpha,
        "x": to_list(x),
        "y": to_list(y),
        "derivative": None if dy is None else to_list(dy),
    }
