"""The network a training request asks for: a preset, or a custom stack turned into an engine spec and checked.

A custom stack lists the hidden layers; the server completes it::

    [conv2d, relu, maxpool, dense 32, relu]
      -> conv1, relu1, maxpool1, flatten (added), dense1 32, relu2, dense2 10 (added), softmax (added)

Checks, each a 422 with an English/French message naming the layer (numbered from 1 as in the request):
convolutions and pooling come before the image is flattened; every layer's output is non-empty (a kernel or
window larger than its input is refused with both sizes); and the whole network stays small enough to train on a
shared server: at most :data:`MAX_PARAMS` parameters, :data:`MAX_MACS_PER_IMAGE` multiply-adds per image and
:data:`MAX_BATCH_MEMORY_BYTES` of cached activations per minibatch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine import PRESETS, Sequential, build_preset
from engine.conv import Conv2D
from engine.shapes import measure
from messages import both

from ..core.errors import ApiError

INPUT_SHAPE = (1, 28, 28)
NUM_CLASSES = 10
# LeNet (the largest preset): 62,558 parameters, 0.54 M multiply-adds and ~0.47 MB of cached values per image
# (119 MB for a minibatch of 256). The caps leave custom stacks about 8× LeNet's size, no more.
MAX_PARAMS = 500_000
MAX_MACS_PER_IMAGE = 4_000_000
MAX_BATCH_MEMORY_BYTES = 256 * 1024 * 1024
_SPATIAL = ("conv2d", "maxpool", "avgpool")


@dataclass
class Network:
    """A freshly initialised model, and what to tell the client about it."""

    model: Sequential
    preset: str
    added: list[bool]  # per model layer: added by the server (not in the request)
    macs_per_image: int
    cache_bytes_per_image: int

    @property
    def first_conv(self) -> Conv2D | None:
        return next((layer for layer in self.model.layers if isinstance(layer, Conv2D)), None)

    def summary(self) -> dict[str, Any]:
        first = self.first_conv
        return {
            "preset": self.preset,
            "input_shape": list(self.model.input_shape),
            "layers": [{**row, "index": i, "added": self.added[i]} for i, row in enumerate(self.model.summary_rows())],
            "param_count": self.model.param_count(),
            "macs_per_image": self.macs_per_image,
            "has_conv": first is not None,
            "first_conv": first.name if first is not None else None,
        }


def _invalid(reason: str, detail: dict[str, Any] | None = None, **params: Any) -> ApiError:
    """A 422 ``invalid_architecture`` whose message is the catalogue's ``architecture.<reason>``."""
    return ApiError.invalid_input("invalid_architecture", f"architecture.{reason}", detail or None, **params)


def custom_spec(layers: list[Any]) -> tuple[list[dict[str, Any]], list[int | None]]:
    """The request's layers (pydantic models or dicts) -> an engine spec, and for each spec entry the request
    index it came from (None for the layers the server adds: flatten, the output layer, softmax)."""
    spec: list[dict[str, Any]] = []
    origin: list[int | None] = []
    flat = False
    for i, layer in enumerate(layers):
        entry = dict(layer) if isinstance(layer, dict) else layer.model_dump()
        kind = entry["type"]
        if kind in _SPATIAL and flat:
            raise _invalid("after_flatten", {"index": i}, layer=str(i + 1), kind=kind)
        if kind == "flatten":
            if flat:
                raise _invalid("second_flatten", {"index": i}, layer=str(i + 1))
            flat = True
        elif kind == "dense" and not flat:
            spec.append({"type": "flatten"})
            origin.append(None)
            flat = True
        if kind in ("maxpool", "avgpool") and entry.get("stride") is None:
            entry.pop("stride", None)
        spec.append(entry)
        origin.append(i)
    if not flat:
        spec.append({"type": "flatten"})
        origin.append(None)
    spec += [{"type": "dense", "units": NUM_CLASSES}, {"type": "softmax"}]
    origin += [None, None]
    return spec, origin


def _explain_shape_error(model: Sequential, origin: list[int | None]) -> ApiError:
    """Walk the (unbuilt) layers' shapes to find the first layer whose output would be empty, in both languages."""
    shape = model.input_shape
    for layer, src in zip(model.layers, origin):
        where = (
            both("architecture.layer_n", n=str(src + 1), kind=layer.kind)
            if src is not None
            else both("architecture.layer_added", kind=layer.kind)
        )
        detail = {"index": src, "input_shape": list(shape)}
        try:
            out = layer.output_shape(shape)
        except ValueError as exc:
            size = f"{shape[1]}×{shape[2]}" if len(shape) == 3 else "×".join(map(str, shape))
            window = getattr(layer, "kernel_size", None) or getattr(layer, "size", None)
            if window is not None:
                what = both("architecture.kernel" if layer.kind == "conv2d" else "architecture.window")
                return _invalid(
                    "does_not_fit", detail, where=where, window=f"{window[0]}×{window[1]}", what=what, size=size
                )
            # the engine's reason is English: French readers get it named in detail.reason
            return _invalid("does_not_fit_other", {**detail, "reason": str(exc)}, where=where)
        if min(out) < 1:
            return _invalid("leaves_nothing", detail, where=where, output=str(out))
        shape = out
    return _invalid("cannot_build")


def _shapes_and_costs(model: Sequential) -> tuple[list[tuple[int, ...]], int, int, int]:
    """The (unbuilt) layers measured by the engine's shape machinery (engine/shapes.py): (output shapes,
    parameters, forward multiply-adds per image, bytes cached for backward per image), before any weight is
    allocated.

    Cached values: every layer holds its output, and backward a gradient of the same size (hence ×2); a
    convolution also caches its im2col matrix, C·kh·kw·Ho·Wo values (its multiply-adds divided by its F filters).
    Raises ValueError (engine.shapes.ShapeError) where a shape does not work."""
    m = measure(model.spec(), model.input_shape)
    values = sum(row.activations for row in m.rows)
    values += sum(row.macs // row.output_shape[0] for row in m.rows if row.type == "conv2d")
    return [row.output_shape for row in m.rows], m.total_params, m.total_macs, 2 * values * model.dtype.itemsize


def _check_size(params: int, macs: int, cache_bytes: int, batch_size: int) -> None:
    if params > MAX_PARAMS:
        raise _invalid(
            "too_many_params", {"param_count": params, "max_params": MAX_PARAMS}, params=params, limit=MAX_PARAMS
        )
    if macs > MAX_MACS_PER_IMAGE:
        raise _invalid(
            "too_many_macs",
            {"macs_per_image": macs, "max_macs_per_image": MAX_MACS_PER_IMAGE},
            macs=macs,
            limit=MAX_MACS_PER_IMAGE,
        )
    if cache_bytes * batch_size > MAX_BATCH_MEMORY_BYTES:
        mb, cap = cache_bytes * batch_size / 2**20, MAX_BATCH_MEMORY_BYTES // 2**20
        detail = {"batch_bytes": cache_bytes * batch_size, "max_batch_bytes": MAX_BATCH_MEMORY_BYTES}
        raise _invalid("batch_memory", detail, batch_size=batch_size, mb=round(mb), cap=cap)


def build_network(preset: str, architecture: list[Any] | None, seed: int, batch_size: int = 1) -> Network:
    """The model a request describes (``architecture``: the request's layer models, preset custom only), freshly
    initialised with ``seed``. A 422 ApiError when it cannot be built or is too big to train here; the size checks
    run before any weight is allocated."""
    if preset != "custom":
        spec, input_shape, _ = PRESETS[preset]
        origin: list[int | None] = list(range(len(spec)))
    else:
        spec, origin = custom_spec(architecture or [])
        input_shape = INPUT_SHAPE
    skeleton = Sequential.from_spec(spec, input_shape=input_shape, build=False)
    try:
        _, params, macs, cache_bytes = _shapes_and_costs(skeleton)
    except ValueError:
        raise _explain_shape_error(skeleton, origin) from None
    _check_size(params, macs, cache_bytes, batch_size)
    if preset != "custom":
        model = build_preset(preset, seed=seed)
    else:
        model = Sequential.from_spec(
            spec, input_shape=input_shape, seed=seed, metadata={"preset": "custom", "description": "custom network"}
        )
    return Network(model, preset, [src is None for src in origin], macs, cache_bytes)


def preset_description(preset: str) -> str:
    return PRESETS[preset][2] if preset in PRESETS else "custom network"
