"""/api/mlp: layers of sigmoid neurons on XOR and two circles (training, the plane's picture, each hidden unit's
line), and one step of backpropagation with every number of the course's recurrence."""

from __future__ import annotations

import numpy as np
from fastapi import APIRouter

from engine import mlp, perceptron

from ...schemas.common import ERROR_RESPONSES
from ...schemas.mlp import MlpStepRequest, MlpStepResponse, MlpTrainRequest, MlpTrainResponse

router = APIRouter(prefix="/mlp", tags=["course: multilayer perceptron"], responses=ERROR_RESPONSES)
MAX_HISTORY = 200


def _dataset(req: MlpTrainRequest) -> tuple[np.ndarray, np.ndarray]:
    if req.dataset == "xor":
        return mlp.xor(max(1, req.n // 4), req.noise, req.seed)
    return mlp.circles(req.n, req.noise, seed=req.seed)


def _layers(params: mlp.Params) -> list[dict]:
    return [
        {"W": params[f"W{l}"].tolist(), "b": params[f"b{l}"].reshape(-1).tolist()}
        for l in range(1, mlp.n_layers(params) + 1)
    ]


@router.post(
    "/train",
    response_model=MlpTrainResponse,
    summary="Train a small MLP (sigmoids, log loss) on XOR or two circles; the plane's picture and each unit's line",
)
def train(req: MlpTrainRequest):
    X, y = _dataset(req)
    params, history = mlp.train(X, y, list(req.hidden), req.learning_rate, req.epochs, req.seed)
    every = max(1, len(history) // MAX_HISTORY)
    kept = history[::every]
    if kept[-1] is not history[-1]:
        kept.append(history[-1])
    lo, hi = X.min(axis=1) - 0.5, X.max(axis=1) + 0.5
    xs, ys = np.linspace(lo[0], hi[0], req.grid_size), np.linspace(lo[1], hi[1], req.grid_size)
    prob = mlp.probability_map(params, xs, ys)
    # one neuron (no hidden layer) trained the same way, for comparison
    single = perceptron.descend(X.T, y.reshape(-1), [0.0, 0.0], 0.0, req.learning_rate, req.epochs)[-1]
    return {
        "points": X.T.tolist(),
        "labels": y.reshape(-1).astype(int).tolist(),
        "dimensions": [2, *req.hidden, 1],
        "history": kept,
        "params": _layers(params),
        "units": mlp.unit_boundaries(params) if req.hidden else [],
        "grid": {"xs": xs.tolist(), "ys": ys.tolist(), "prob": prob.tolist()},
        "loss": history[-1]["loss"],
        "accuracy": history[-1]["accuracy"],
        "single_neuron": {"loss": single["loss"], "accuracy": single["accuracy"]},
    }


@router.post(
    "/step",
    response_model=MlpStepResponse,
    summary="One step of backpropagation: Z, A, dZ = (W^[l+1]ᵀ·dZ^[l+1]) ⊙ A^[l](1 − A^[l]), ∂L/∂W, ∂L/∂b per layer",
)
def step(req: MlpStepRequest):
    X = np.asarray(req.points, dtype=np.float64).T
    y = np.asarray(req.labels, dtype=np.float64)[None, :]
    params: mlp.Params = {}
    for l, layer in enumerate(req.params, start=1):
        params[f"W{l}"] = np.asarray(layer.W, dtype=np.float64)
        params[f"b{l}"] = np.asarray(layer.b, dtype=np.float64)[:, None]
    for _ in range(req.steps - 1):
        A, _ = mlp.forward_propagation(X, params)
        params = mlp.update(params, mlp.back_propagation(y, params, A), req.learning_rate)
    A, Z = mlp.forward_propagation(X, params)
    grads = mlp.back_propagation(y, params, A)
    L = mlp.n_layers(params)
    nxt = mlp.update(params, grads, req.learning_rate)
    _, Z_next = mlp.forward_propagation(X, nxt)
    layers = []
    for l in range(1, L + 1):
        layers.append(
            {
                "l": l,
                "Z": Z[f"Z{l}"].tolist(),
                "A": A[f"A{l}"].tolist(),
                "dZ": grads[f"dZ{l}"].tolist(),
                "WtdZ": grads[f"WtdZ{l}"].tolist() if l < L else None,
                "dsig": grads[f"dsig{l}"].tolist() if l < L else None,
                "dW": grads[f"dW{l}"].tolist(),
                "db": grads[f"db{l}"].reshape(-1).tolist(),
            }
        )
    return {
        "m": X.shape[1],
        "params": _layers(params),
        "loss": mlp.log_loss(Z[f"Z{L}"], y),
        "layers": layers,
        "params_next": _layers(nxt),
        "loss_next": mlp.log_loss(Z_next[f"Z{L}"], y),
    }
