"""Engine traces (NumPy) -> the JSON of /api/forward and /api/backward (ARCHITECTURE.md, JSON conventions).

The answers are built with NumPy arrays in them, rounded all at once by a :class:`RoundingBatch`, and written by
orjson (:class:`ArrayJSONResponse`): the keys come in the order of the declared response models (ForwardResponse,
BackwardResponse), so the JSON is the same as pydantic would write from them, without the Python lists.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, Literal

import numpy as np
import orjson

from engine import backward_trace, forward_trace
from engine.preprocess import PreprocessStep

from .encoding import MAX_INLINE_VALUES, ArrayJSONResponse, RoundingBatch, array_json, png_data_url, round_significant
from .images import encode_step_image, prepare_image
from .packing import PACKED_MEDIA_TYPE, Derived, Packer, pack_fragment


def encode_steps(steps: list[PreprocessStep], step_images: Literal["array", "png"] = "array") -> list[dict[str, Any]]:
    return [
        {
            "name": s.name,
            "title_en": s.title_en,
            "title_fr": s.title_fr,
            "image": png_data_url(s.image) if step_images == "png" else encode_step_image(s.image),
            "info": s.info,
        }
        for s in steps
    ]


def traced_input(req, entry, max_pixels: int) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """The model's input and the preprocessing steps' JSON of a ForwardRequest or BackwardRequest (their common
    fields ``image``, ``preprocess``, ``step_images``): the one start of /api/forward and /api/backward."""
    prepared = prepare_image(
        req.image, entry, preprocess_image=req.preprocess, max_pixels=max_pixels, record_steps=True
    )
    return prepared.array, encode_steps(prepared.steps, req.step_images)


def _extra(extra: dict[str, Any]) -> dict[str, Any]:
    """A layer's extras (max pooling's integer arg-max positions, ReLU's counts) as they are: nothing to round."""
    return {k: (np.ascontiguousarray(v) if isinstance(v, np.ndarray) else v) for k, v in extra.items()}


# A served model's weights never change (requests work on forks), so their JSON is computed once per model.
_params_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_params_lock = threading.Lock()


def params_json(model, include_values: bool = True, packed: bool = False) -> dict[str, orjson.Fragment]:
    """``{layer name: JSON of {param: {shape, values, stats}}}`` of a served model, serialised once and cached
    (orjson fragments: a LeNet's ~14,000 weights are not written again for every request); ``packed``: in the
    packed form (services/packing.py)."""
    key = ("values" if include_values else "stats") + ("/packed" if packed else "")
    with _params_lock:
        cached = _params_cache.setdefault(model, {})
    if key not in cached:
        inline = MAX_INLINE_VALUES if include_values else 0
        batch, layers = RoundingBatch(), {}
        for layer in model.layers:
            batch.put_tensors(layers, layer.name, layer.params, max_values=inline)
        batch.run()
        encode = pack_fragment if packed else (lambda tensors: orjson.Fragment(array_json(tensors)))
        cached[key] = {name: encode(tensors) for name, tensors in layers.items()}
    return cached[key]


def rounded_weights(model, layer_name: str) -> tuple[np.ndarray, np.ndarray | None] | None:
    """A convolution's K and b as a client holds them (the 4-digit doubles of its params JSON), cached per model;
    None when the JSON leaves the values out (too many)."""
    with _params_lock:
        cached = _params_cache.setdefault(model, {}).setdefault("rounded", {})
    if layer_name not in cached:
        params = next(layer.params for layer in model.layers if layer.name == layer_name)
        K, b = params.get("K"), params.get("b")
        if K is None or K.size > MAX_INLINE_VALUES:
            cached[layer_name] = None
        else:
            cached[layer_name] = (round_significant(K), None if b is None else round_significant(b))
    return cached[layer_name]


def forward_json(
    model_id: str,
    model,
    x: np.ndarray,
    preprocessing: list[dict[str, Any]],
    include_params: bool = True,
    packed: bool = False,
) -> ArrayJSONResponse:
    """The ForwardResponse: every layer's output and parameters for one input ``x`` (C, H, W); ``packed``: in
    the packed form (services/packing.py), where a ReLU's or a max pooling's output is rebuilt from the layer
    before it."""
    trace = forward_trace(model, x)
    params = params_json(model, include_params, packed)
    batch, packer = RoundingBatch(), Packer()
    body: dict[str, Any] = {"model": model_id, "preprocessing": preprocessing}
    for k in range(1, len(preprocessing)):  # each picture differs little from the one before it
        packer.hint(preprocessing[k], "image", Derived("delta", f"/preprocessing/{k - 1}/image"))
    batch.put(body, "input", trace["input"])
    body["input_shape"] = trace["input_shape"]
    body["layers"] = []
    previous = "/input"
    for k, e in enumerate(trace["layers"]):
        layer = {
            key: e[key]
            for key in ("index", "name", "type", "formula", "config", "geometry", "input_shape", "output_shape")
        }
        batch.put(layer, "output", e["output"])
        layer["params"] = params[e["name"]]
        layer["extra"] = _extra(e["extra"])
        weights = rounded_weights(model, e["name"]) if e["type"] == "conv2d" and packed else None
        if weights is not None and e.get("geometry"):
            geometry = e["geometry"]
            conv = Derived("conv", previous, weights=weights, stride=tuple(geometry["stride"]))
            conv.padding, conv.layer = tuple(geometry["padding"]), f"/layers/{k}"
            packer.hint(layer, "output", conv)
        elif e["type"] == "relu":
            packer.hint(layer, "output", Derived("relu", previous))
        elif e["type"] in ("flatten", "dropout"):  # the same numbers (dropout is the identity at inference)
            packer.hint(layer, "output", Derived("same", previous))
        elif e["type"] == "maxpool" and "argmax" in e["extra"]:
            packer.hint(layer, "output", Derived("take", previous, f"/layers/{k}/extra/argmax"))
            size, stride = e["config"]["size"], e["config"]["stride"]
            packer.hint(layer["extra"], "argmax", Derived("window", "", size=size, stride=stride))
        previous = f"/layers/{k}/output"
        body["layers"].append(layer)
    if "logits" in trace:
        batch.put(body, "logits", trace["logits"])
    else:
        body["logits"] = None
    batch.put(body, "probabilities", trace["probabilities"])
    body["label"] = trace["label"]
    batch.run()
    return packed_response(packer.pack(body)) if packed else ArrayJSONResponse(body)


def packed_response(body: Any) -> ArrayJSONResponse:
    """A packed answer: its own media type, and ``Vary: Accept`` (the same URL answers plain JSON too)."""
    response = ArrayJSONResponse(body, media_type=PACKED_MEDIA_TYPE)
    response.headers["vary"] = "Accept"
    return response


def backward_json(
    model_id: str,
    model,
    x: np.ndarray,
    label: int,
    learning_rate: float,
    steps: int,
    preprocessing: list[dict[str, Any]],
    include_params: bool = True,
    packed: bool = False,
) -> ArrayJSONResponse:
    """The BackwardResponse: loss, every gradient, and ``steps`` SGD steps on a copy (the served model is not
    touched); ``packed``: in the packed form (services/packing.py), where a layer's grad_output is the
    grad_input of the layer above, sent once."""
    trace = backward_trace(model, x, label, learning_rate=learning_rate, steps=steps)
    inline = MAX_INLINE_VALUES if include_params else 0
    sgd = trace["sgd_step"]
    batch = RoundingBatch()
    body: dict[str, Any] = {"model": model_id, "label": trace["label"]}
    batch.put(body, "target", trace["target"])
    batch.put_number(body, "loss", trace["loss"])
    for key in ("probabilities", "dL_dz", "grad_image"):
        batch.put(body, key, trace[key])
    batch.put(body, "input", np.asarray(x))
    body["preprocessing"] = preprocessing
    body["layers"] = []
    for e in trace["layers"]:
        layer = {key: e[key] for key in ("index", "name", "type")}
        batch.put(layer, "grad_output", e["grad_output"])
        batch.put(layer, "grad_input", e["grad_input"])
        batch.put_tensors(layer, "grads", e["grads"])
        body["layers"].append(layer)
    step: dict[str, Any] = {"learning_rate": float(sgd["learning_rate"]), "steps": int(sgd["steps"])}
    batch.put(step, "probabilities_before", sgd["probabilities_before"])
    batch.put(step, "probabilities_after", sgd["probabilities_after"])
    batch.put_number(step, "loss_before", sgd["loss_before"])
    batch.put_number(step, "loss_after", sgd["loss_after"])
    step["history"] = []
    for h in sgd["history"]:
        point = {"step": h["step"]}
        batch.put_number(point, "loss", h["loss"])
        batch.put_number(point, "probability", h["probability"])
        step["history"].append(point)
    step["params_after"], step["deltas"] = {}, {}
    for name, params in sgd["params_after"].items():
        batch.put_tensors(step["params_after"], name, params, max_values=inline)
    for name, deltas in sgd["deltas"].items():
        batch.put_tensors(step["deltas"], name, deltas)
    body["sgd_step"] = step
    batch.run()
    return packed_response(Packer().pack(body)) if packed else ArrayJSONResponse(body)
