"""Engine traces (NumPy) -> the JSON of /api/forward and /api/backward (ARCHITECTURE.md, JSON conventions)."""
from __future__ import annotations

import threading
import weakref
from typing import Any, Literal

import numpy as np

from engine import backward_trace, forward_trace
from engine.preprocess import PreprocessStep

from .encoding import MAX_INLINE_VALUES, png_data_url, round_number, tensor_dict, to_list
from .images import encode_step_image


def encode_steps(steps: list[PreprocessStep], step_images: Literal["array", "png"] = "array") -> list[dict[str, Any]]:
    return [{"name": s.name, "title_en": s.title_en, "title_fr": s.title_fr,
             "image": png_data_url(s.image) if step_images == "png" else encode_step_image(s.image),
             "info": s.info} for s in steps]


def _extra(extra: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in extra.items()}


# A served model's weights never change (requests work on forks), so their JSON is computed once per model.
_params_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_params_lock = threading.Lock()


def params_json(model, include_values: bool = True) -> dict[str, dict[str, Any]]:
    """``{layer name: {param: {shape, values, stats}}}`` of a served model, cached."""
    key = "values" if include_values else "stats"
    with _params_lock:
        cached = _params_cache.setdefault(model, {})
    if key not in cached:
        inline = MAX_INLINE_VALUES if include_values else 0
        cached[key] = {layer.name: tensor_dict(layer.params, max_values=inline) for layer in model.layers}
    return cached[key]


def forward_json(model, x: np.ndarray, include_params: bool = True) -> dict[str, Any]:
    """Every layer's output and parameters for one input ``x`` (C, H, W)."""
    trace = forward_trace(model, x)
    params = params_json(model, include_params)
    layers = [{
        "index": e["index"], "name": e["name"], "type": e["type"], "formula": e["formula"], "config": e["config"],
        "geometry": e["geometry"], "input_shape": e["input_shape"], "output_shape": e["output_shape"],
        "output": to_list(e["output"]), "params": params[e["name"]], "extra": _extra(e["extra"]),
    } for e in trace["layers"]]
    return {"input": to_list(trace["input"]), "input_shape": trace["input_shape"], "layers": layers,
            "logits": to_list(trace["logits"]) if "logits" in trace else None,
            "probabilities": to_list(trace["probabilities"]), "label": trace["label"]}


def backward_json(model, x: np.ndarray, label: int, learning_rate: float, steps: int,
                  include_params: bool = True) -> dict[str, Any]:
    """Loss, every gradient, and ``steps`` SGD steps on a copy (the served model is not touched)."""
    trace = backward_trace(model, x, label, learning_rate=learning_rate, steps=steps)
    inline = MAX_INLINE_VALUES if include_params else 0
    sgd = trace["sgd_step"]
    layers = [{"index": e["index"], "name": e["name"], "type": e["type"], "grad_output": to_list(e["grad_output"]),
               "grad_input": to_list(e["grad_input"]), "grads": tensor_dict(e["grads"])} for e in trace["layers"]]
    return {
        "label": trace["label"], "target": to_list(trace["target"]), "loss": round_number(trace["loss"]),
        "probabilities": to_list(trace["probabilities"]), "dL_dz": to_list(trace["dL_dz"]),
        "grad_image": to_list(trace["grad_image"]), "input": to_list(np.asarray(x)), "layers": layers,
        "sgd_step": {
            "learning_rate": sgd["learning_rate"], "steps": sgd["steps"],
            "probabilities_before": to_list(sgd["probabilities_before"]),
            "probabilities_after": to_list(sgd["probabilities_after"]),
            "loss_before": round_number(sgd["loss_before"]), "loss_after": round_number(sgd["loss_after"]),
            "history": [{"step": h["step"], "loss": round_number(h["loss"]),
                         "probability": round_number(h["probability"])} for h in sgd["history"]],
            "params_after": {name: tensor_dict(p, max_values=inline) for name, p in sgd["params_after"].items()},
            "deltas": {name: tensor_dict(p) for name, p in sgd["deltas"].items()},
        },
    }
