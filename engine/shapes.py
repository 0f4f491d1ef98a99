"""Shape-only layers: what each layer does to a tensor's shape, and what it costs — without any weights.

Why one file of over 400 lines: the table of layer kinds and their options, the shape-and-cost rule of each and the walk through
blocks (residual, concat, SE) belong together; split, the table and its rules would drift apart.

A network is measured from its spec (a list of layer dicts, the same format as :class:`engine.model.Sequential`,
plus the kinds below), for one image of per-sample shape (C, H, W)::

    measure([{"type": "conv2d", "filters": 64, "kernel_size": 11, "stride": 4, "padding": 2}], (3, 224, 224))
      -> one row: output (64, 55, 55), since (224 − 11 + 2·2)/4 + 1 = 55.25 is floored to 55

Every spatial size comes from the course's formula ``(N − F + 2P)/S + 1`` (:func:`engine.conv.output_size`, the
same function the NumPy layers use), and each row keeps the numbers that went into it, so the page can show the
floor where the division is not exact. Costs, per layer and for one image:

* **params**: the layer's trainable numbers (PyTorch's ``parameters()``: batch norm counts γ and β, not its
  running statistics).
* **macs**: multiply-adds of convolutions and dense layers (the convention of torchvision's ``_ops``, of the
  papers' "FLOPs" and of the course): conv ``F·(C/g)·kh·kw·Ho·Wo``, dense ``out·in``. Additions, pooling,
  activations and normalisation count 0.
* **activations**: the values the layer outputs (× 4 bytes in float32).

Layer kinds (``numpy``: the engine also has a NumPy layer with forward and backward for it):

==================  ===================================================================  ========================
kind                what it does to (C, H, W)                                            numpy
==================  ===================================================================  ========================
conv2d              F filters kh×kw, stride, padding; ``groups`` g splits C and F in g    yes when g = 1, no
                    groups; ``connections`` lists the input maps each filter sees         connection table
                    (LeNet-5's C3)
dwconv2d            depthwise: one kh×kw filter per channel (g = C), × ``multiplier``     no
maxpool, avgpool,   window, stride, ``padding``, ``ceil_mode`` (round up: GoogLeNet)      yes without padding /
sumpool                                                                                   ceil_mode
subsample           LeNet-5's S layers: average × a trained coefficient + a bias          no
adaptive_avgpool    averages to a fixed ``output`` size (torchvision's AlexNet, VGG)      no
global_avgpool      (C, H, W) -> (C, 1, 1)                                                no
batchnorm           per channel: (x − μ)/σ · γ + β                                        no
lrn                 local response normalisation across ``size`` channels (AlexNet)      no
relu, leaky_relu,   element-wise                                                          yes (silu: no)
elu, tanh, sigmoid,
silu, heaviside,
softmax
dropout, flatten    dropout keeps the shape; flatten -> (C·H·W,)                          yes
dense               ``units`` outputs                                                     yes
rbf                 LeNet-5's output: one Euclidean RBF unit per class, ‖x − wᵢ‖²          no
residual            ``branches``: [body, shortcut] (shortcut [] = identity), added        no
concat              ``branches`` side by side, concatenated along channels ([] = input)   no
se                  squeeze-and-excitation: global pool, 1×1 conv to ``squeeze``, act,      no
                    1×1 conv back to C, sigmoid, channels rescaled
==================  ===================================================================  ========================
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .base import pair
from .conv import output_size, resolve_padding

BYTES_PER_VALUE = 4  # float32
ACTIVATIONS = ("relu", "leaky_relu", "elu", "tanh", "sigmoid", "silu", "heaviside", "softmax")
NUMPY_ACTIVATIONS = ("relu", "leaky_relu", "elu", "tanh", "sigmoid", "heaviside", "softmax")
BLOCKS = ("residual", "concat", "se")


class LayerError(ValueError):
    """Why one layer does not fit: ``code`` ("too_large", "needs_image", ...) and the numbers involved, so that
    the web app can say it in French as well."""

    def __init__(self, code: str, message: str, **params: Any):
        super().__init__(message)
        self.code = code
        self.params = params


class ShapeError(ValueError):
    """A layer that cannot take its input (kernel larger than the image, channels that do not match...).
    ``path`` names the layer ("layer1.0.conv1"), ``index`` its position in the top-level spec; ``code`` and
    ``params`` come from the :class:`LayerError` ("invalid" for other errors, such as a malformed option)."""

    def __init__(self, message: str, path: str = "", index: int | None = None, code="invalid", params=None):
        super().__init__(f"{path}: {message}" if path else message)
        self.reason = message
        self.path = path
        self.index = index
        self.code = code
        self.params = params or {}

    @classmethod
    def wrap(cls, exc: ValueError, path: str, index: int | None) -> ShapeError:
        return cls(str(exc), path, index, getattr(exc, "code", "invalid"), getattr(exc, "params", None))


@dataclass
class SizeStep:
    """One spatial axis through the course's formula: out = (n − f + p)/s + 1, floored (or rounded up with
    ``ceil``); ``p`` is the padding of both sides added (2P)."""

    n: int
    f: int
    p: int
    s: int
    out: int
    ceil: bool = False

    @property
    def exact(self) -> bool:
        return (self.n - self.f + self.p) % self.s == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "f": self.f,
            "p": self.p,
            "s": self.s,
            "quotient": (self.n - self.f + self.p) / self.s,
            "exact": self.exact,
            "rounding": "ceil" if self.ceil else "floor",
            "out": self.out,
        }


def size_step(n: int, f: int, pads: tuple[int, int], s: int, ceil: bool = False) -> SizeStep:
    """The output size along one axis, with what went into it. ``ceil`` rounds up (PyTorch's ``ceil_mode``) but,
    as PyTorch does, drops a last window that would start in the right padding."""
    p = pads[0] + pads[1]
    if f > n + p:
        raise LayerError(
            "too_large", f"the kernel ({f}) is larger than the padded input ({n} + {p} = {n + p})", f=f, n=n, p=p
        )
    out = output_size(n, f, p, s)  # the course's formula, floored
    if ceil and (n - f + p) % s:
        out += 1
        if (out - 1) * s >= n + pads[0]:
            out -= 1
    return SizeStep(n, f, p, s, out, ceil)


@dataclass
class Row:
    """One line of a layer table. Block rows (``residual``, ``concat``, ``se``) come after their branches' rows
    and hold the merge (the addition, the concatenation, the rescaling): their own params and macs are 0, and
    ``block_params``/``block_macs`` add up the whole block."""

    name: str
    type: str
    depth: int
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    params: int = 0
    macs: int = 0
    numpy: bool = False
    sizes: list[SizeStep] = field(default_factory=list)
    detail: str = ""
    block: bool = False
    block_params: int = 0
    block_macs: int = 0

    @property
    def activations(self) -> int:
        return math.prod(self.output_shape)

    @property
    def activation_bytes(self) -> int:
        return self.activations * BYTES_PER_VALUE

    def as_dict(self) -> dict[str, Any]:
        out = {
            "name": self.name,
            "type": self.type,
            "depth": self.depth,
            "input_shape": list(self.input_shape),
            "output_shape": list(self.output_shape),
            "params": self.params,
            "macs": self.macs,
            "activations": self.activations,
            "activation_bytes": self.activation_bytes,
            "numpy": self.numpy,
            "detail": self.detail,
            "sizes": [s.as_dict() for s in self.sizes],
            "block": self.block,
        }
        if self.block:
            out["block_params"], out["block_macs"] = self.block_params, self.block_macs
        return out


@dataclass
class Measurement:
    input_shape: tuple[int, ...]
    rows: list[Row]

    @property
    def output_shape(self) -> tuple[int, ...]:
        return self.rows[-1].output_shape if self.rows else self.input_shape

    @property
    def total_params(self) -> int:
        return sum(r.params for r in self.rows)

    @property
    def total_macs(self) -> int:
        return sum(r.macs for r in self.rows)

    @property
    def total_activations(self) -> int:
        return sum(r.activations for r in self.rows)

    @property
    def total_activation_bytes(self) -> int:
        return self.total_activations * BYTES_PER_VALUE


# -- one layer ----------------------------------------------------------------------------------------------------
_OPTIONS: dict[str, set[str]] = {
    "conv2d": {"filters", "kernel_size", "stride", "padding", "groups", "use_bias", "connections", "in_channels"},
    "dwconv2d": {"kernel_size", "stride", "padding", "multiplier", "use_bias"},
    "maxpool": {"size", "stride", "padding", "ceil_mode"},
    "avgpool": {"size", "stride", "padding", "ceil_mode"},
    "sumpool": {"size", "stride"},
    "subsample": {"size", "stride"},
    "adaptive_avgpool": {"output"},
    "global_avgpool": set(),
    "batchnorm": set(),
    "lrn": {"size"},
    "dropout": {"rate", "seed"},
    "flatten": set(),
    "dense": {"units", "use_bias"},
    "rbf": {"units"},
    **{a: set() for a in ACTIVATIONS},
    "leaky_relu": {"alpha"},
    "elu": {"alpha"},
    "residual": {"branches"},
    "concat": {"branches"},
    "se": {"squeeze", "activation"},
}
ALIASES = {"conv": "conv2d", "fc": "dense", "linear": "dense", "bn": "batchnorm", "gap": "global_avgpool"}
KINDS = tuple(sorted(_OPTIONS))


def _positive(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise LayerError("positive", f"{what} must be a positive integer, got {value!r}", what=what, value=repr(value))
    return value


def _spatial(shape: tuple[int, ...], kind: str) -> tuple[int, int, int]:
    if len(shape) != 3:
        raise LayerError(
            "needs_image",
            f"a {kind} layer needs an image (C, H, W), got {shape} (it comes after a flatten)",
            kind=kind,
            shape=shape,
        )
    return shape  # type: ignore[return-value]


def _window(shape, kernel, stride, padding, ceil=False) -> tuple[int, list[SizeStep]]:
    """A sliding window over (C, H, W): its size kh·kw, and the formula along each axis (one when both agree)."""
    _, h, w = shape
    kh, kw = pair(kernel, "kernel size")
    sh, sw = pair(stride, "stride")
    if min(kh, kw) < 1 or min(sh, sw) < 1:
        raise LayerError("positive", "kernel size and stride must be at least 1", what="kernel_size/stride", value="0")
    t, b, l, r = resolve_padding(padding, (kh, kw), (sh, sw), (h, w))
    steps = [size_step(h, kh, (t, b), sh, ceil), size_step(w, kw, (l, r), sw, ceil)]
    return kh * kw, steps[:1] if steps[0] == steps[1] else steps


def _conv(spec: dict, shape) -> tuple[tuple[int, ...], int, int, list[SizeStep], bool, str]:
    c, h, w = _spatial(shape, "conv2d")
    kind = spec["type"]
    kernel = spec.get("kernel_size", 3)
    if kind == "dwconv2d":
        filters, groups = c * _positive(spec.get("multiplier", 1), "multiplier"), c
    else:
        filters, groups = _positive(spec.get("filters"), "filters"), _positive(spec.get("groups", 1), "groups")
    if spec.get("in_channels") not in (None, c):
        raise LayerError(
            "channels", f"it expects {spec['in_channels']} input channels, got {c}", expected=spec["in_channels"], got=c
        )
    if c % groups or filters % groups:
        raise LayerError(
            "groups",
            f"{groups} groups must divide both the {c} input channels and the {filters} filters",
            groups=groups,
            channels=c,
            filters=filters,
        )
    window, steps = _window(shape, kernel, spec.get("stride", 1), spec.get("padding", 0))
    ho, wo = steps[0].out, steps[-1].out
    bias = bool(spec.get("use_bias", True))
    connections = spec.get("connections")
    if connections is not None:
        if groups != 1 or len(connections) != filters:
            raise LayerError(
                "connections",
                f"a connection table needs one list of input maps per filter ({filters})",
                filters=filters,
                channels=c,
            )
        if any(not m or any(not isinstance(i, int) or not 0 <= i < c for i in m) for m in connections):
            raise LayerError(
                "connections",
                f"each filter's input maps must be channel numbers from 0 to {c - 1}",
                filters=filters,
                channels=c,
            )
        seen = sum(len(m) for m in connections)
        detail = f"maps={seen}/{filters * c}"  # input maps wired / all of them (the connection table)
        return (filters, ho, wo), seen * window + bias * filters, seen * window * ho * wo, steps, False, detail
    per_filter = (c // groups) * window
    params = filters * per_filter + (filters if bias else 0)
    detail = f"g={groups}" if groups > 1 else ""
    return (filters, ho, wo), params, filters * per_filter * ho * wo, steps, groups == 1, detail


def measure_layer(spec: dict, shape: tuple[int, ...]) -> Row:
    """One (non-block) layer on a per-sample input shape -> its row (the name is set by the caller)."""
    kind = spec["type"]
    shape = tuple(shape)
    row = Row(name="", type=kind, depth=0, input_shape=shape, output_shape=shape)
    if kind in ("conv2d", "dwconv2d"):
        row.output_shape, row.params, row.macs, row.sizes, row.numpy, row.detail = _conv(spec, shape)
    elif kind in ("maxpool", "avgpool", "sumpool", "subsample"):
        c, _, _ = _spatial(shape, kind)
        size = spec.get("size", 2)
        padding, ceil = spec.get("padding", 0), bool(spec.get("ceil_mode", False))
        _, row.sizes = _window(shape, size, spec.get("stride") or size, padding, ceil)
        row.output_shape = (c, row.sizes[0].out, row.sizes[-1].out)
        row.numpy = kind != "subsample" and padding in (0, (0, 0), [0, 0], "valid") and not ceil
        if kind == "subsample":
            row.params, row.macs = 2 * c, math.prod(row.output_shape)
    elif kind == "adaptive_avgpool":
        c, _, _ = _spatial(shape, kind)
        oh, ow = pair(spec.get("output", 1), "output size")
        row.output_shape = (c, _positive(oh, "output size"), _positive(ow, "output size"))
    elif kind == "global_avgpool":
        row.output_shape = (_spatial(shape, kind)[0], 1, 1)
    elif kind == "batchnorm":
        row.params = 2 * shape[0]
    elif kind == "lrn":
        _spatial(shape, kind)
        row.detail = f"n={spec.get('size', 5)}"
    elif kind in ACTIVATIONS:
        row.numpy = kind in NUMPY_ACTIVATIONS
    elif kind == "dropout":
        row.numpy = True
    elif kind == "flatten":
        row.output_shape, row.numpy = (math.prod(shape),), True
    elif kind in ("dense", "rbf"):
        if len(shape) != 1:
            raise LayerError(
                "needs_vector",
                f"a {kind} layer needs a vector input (add a flatten layer), got {shape}",
                kind=kind,
                shape=shape,
            )
        units = _positive(spec.get("units"), "units")
        bias = kind == "dense" and bool(spec.get("use_bias", True))
        row.output_shape = (units,)
        row.params, row.macs, row.numpy = units * shape[0] + (units if bias else 0), units * shape[0], kind == "dense"
    else:  # pragma: no cover - normalise() refuses unknown kinds first
        raise ValueError(f"unknown layer type {kind!r}")
    if min(row.output_shape) < 1:
        raise LayerError("empty", f"its output {row.output_shape} would be empty", shape=row.output_shape)
    return row


# -- a whole network ----------------------------------------------------------------------------------------------
def normalise(spec: Any) -> dict:
    """A layer dict with its canonical ``type`` and only known options (ValueError otherwise)."""
    if not isinstance(spec, dict) or "type" not in spec:
        raise LayerError(
            "unknown_type",
            f"each layer must be an object with a 'type', got {spec!r}",
            kind="?",
            known=", ".join(KINDS),
        )
    kind = str(spec["type"]).lower()
    kind = ALIASES.get(kind, kind)
    if kind not in _OPTIONS:
        raise LayerError(
            "unknown_type",
            f"unknown layer type {spec['type']!r}; known: {', '.join(KINDS)}",
            kind=spec["type"],
            known=", ".join(KINDS),
        )
    extra = set(spec) - _OPTIONS[kind] - {"type", "name"}
    if extra:
        raise LayerError(
            "unknown_option",
            f"a {kind} layer has no option {', '.join(sorted(extra))}",
            kind=kind,
            options=", ".join(sorted(extra)),
        )
    return {**spec, "type": kind}


def _se_branches(spec: dict, channels: int) -> list[list[dict]]:
    squeeze = _positive(spec.get("squeeze"), "squeeze")
    act = spec.get("activation", "relu")
    if act not in ACTIVATIONS:
        raise LayerError("unknown_type", f"unknown activation {act!r}", kind=act, known=", ".join(ACTIVATIONS))
    return [
        [],
        [
            {"type": "global_avgpool", "name": "avgpool"},
            {"type": "conv2d", "name": "fc1", "filters": squeeze, "kernel_size": 1},
            {"type": act, "name": "activation"},
            {"type": "conv2d", "name": "fc2", "filters": channels, "kernel_size": 1},
            {"type": "sigmoid", "name": "scale_activation"},
        ],
    ]


def _merge(kind: str, shapes: list[tuple[int, ...]]) -> tuple[int, ...]:
    if kind == "residual":
        if any(s != shapes[0] for s in shapes):
            raise LayerError(
                "residual_shapes",
                f"a residual addition needs equal shapes, got {' and '.join(map(str, shapes))}",
                shapes=shapes,
            )
        return shapes[0]
    if kind == "se":
        return shapes[0]
    if any(len(s) != 3 or s[1:] != shapes[0][1:] for s in shapes):
        raise LayerError(
            "concat_sizes",
            f"a concatenation needs maps of equal size, got {' and '.join(map(str, shapes))}",
            shapes=shapes,
        )
    return (sum(s[0] for s in shapes), *shapes[0][1:])


def _walk(spec: list, shape: tuple[int, ...], prefix: str, depth: int, rows: list[Row], top: bool) -> tuple:
    counts: dict[str, int] = {}
    for index, raw in enumerate(spec):
        where = f"{prefix}{raw.get('name', '') if isinstance(raw, dict) else ''}" or prefix or f"layer {index + 1}"
        try:
            layer = normalise(raw)
        except ValueError as exc:
            raise ShapeError.wrap(exc, where, index if top else None) from None
        kind = layer["type"]
        name = layer.get("name")
        if not name:
            counts[kind] = counts.get(kind, 0) + 1
            name = f"{kind}{counts[kind]}"
        path = f"{prefix}{name}"
        try:
            if kind in BLOCKS:
                first = len(rows)
                branches = _se_branches(layer, shape[0]) if kind == "se" else layer.get("branches")
                if (
                    not isinstance(branches, list)
                    or len(branches) < 2
                    or not all(isinstance(b, list) for b in branches)
                ):
                    raise LayerError(
                        "branches",
                        f"a {kind} block needs a list of at least two branches (a branch [] is the input)",
                        kind=kind,
                    )
                if kind != "residual" and len(shape) != 3:
                    raise LayerError(
                        "needs_image", f"a {kind} block needs an image (C, H, W), got {shape}", kind=kind, shape=shape
                    )
                outs = []
                for b, branch in enumerate(branches):
                    sub = (
                        f"{path}.branch{b + 1}."
                        if kind == "concat"
                        else f"{path}.shortcut."
                        if b and kind == "residual"
                        else f"{path}."
                    )
                    outs.append(_walk(branch, shape, sub, depth + 1, rows, False))
                merged = _merge(kind, outs)
                inner = rows[first:]
                row = Row(path, kind, depth, shape, merged, block=True)
                row.block_params = sum(r.params for r in inner)
                row.block_macs = sum(r.macs for r in inner)
                row.detail = {"residual": "+", "concat": "‖", "se": "×"}[kind]
            else:
                row = measure_layer(layer, shape)
                row.name, row.depth = path, depth
        except ShapeError as exc:
            if top and exc.index is None:
                exc.index = index
            raise
        except ValueError as exc:
            raise ShapeError.wrap(exc, path, index if top else None) from None
        rows.append(row)
        shape = row.output_shape
    return shape


def measure(spec: list, input_shape) -> Measurement:
    """Every layer's shape and costs for one image of per-sample ``input_shape``; ShapeError (a ValueError)
    naming the first layer that does not fit."""
    if not isinstance(spec, list) or not spec:
        raise ShapeError("an architecture is a non-empty list of layers", code="no_layers")
    shape = tuple(int(v) for v in input_shape)
    rows: list[Row] = []
    _walk(spec, shape, "", 0, rows, True)
    return Measurement(shape, rows)
