"""The packed form of a trace: the same numbers as the plain JSON, a quarter of the bytes on a classroom's Wi-Fi.

Why one file of over 400 lines: the encoder and its Python decoder are two halves of one format; each kind is
written and read side by side, so a change to one is seen against the other.

/api/forward and /api/backward answer in plain JSON (nested lists, 4 significant digits) unless the client asks
for ``application/vnd.convstep.packed+json`` (``Accept`` header) or ``?arrays=packed``. The packed answer is the
plain one with its larger arrays (:data:`PACK_MIN_VALUES` numbers or more) replaced by objects whose
``"$packed"`` key says how to rebuild them:

* ``"dec4"``: floats as decimals ``m · 10^e`` — ``m`` int16 little-endian (``"m"``, base64), ``e`` int8
  (``"e"``, base64). Rebuilt as ``m / 10^(−e)`` (``m · 10^e`` for e ≥ 0; the decimal ``"{m}e{e}"`` parsed when
  |e| > 22), which is, bit for bit, the double the plain JSON holds: the plain answer rounds every number to
  4 significant digits, so each one *is* such a decimal, and three bytes hold it exactly.
* ``"u8"``, ``"u16"``, ``"i32"``: integer arrays (preprocessing pictures), ``"data"`` base64.
* ``"window"``: a max pooling's arg-max coordinates (C, H_out, W_out, 2) as the index k of the chosen cell inside
  each window (u8 ``"data"``), with ``"size"`` and ``"stride"``: row = i·S_h + k // F_w, col = j·S_w + k % F_w.
* ``"ref"``: an array the client already has, or computes from one it has: ``"op": "same"`` (the array at the
  JSON pointer ``"of"``, reshaped: a flatten's output, a gradient handed from one layer to the next), ``"relu"``
  (max(x, 0) of it) or ``"take"`` (max pooling: ``of[c, at[c, i, j, 0], at[c, i, j, 1]]`` with the arg-max
  coordinates ``"at"``), ``"complement"`` (255 − x: the inverted picture) or ``"delta"`` (a picture as the one
  before it, or its complement if ``"complement"``, plus u8 differences modulo 256, ``"data"``). The server emits one only after checking that it
  rebuilds the array exactly.
* ``"conv"``: a convolution's output from what the client already has — its input (the JSON pointer ``"of"``)
  and the layer's weights K and b as the client received them (``"layer"``: the layer's pointer; a drawing update
  asked with ``include_params: false`` has no weights in it, so the decoder is given the ones the first answer
  brought: ``unpack(body, weights)``, ``unpackArrays(json, weights)``). Both sides compute the same prediction
  with the same double operations in the same order (:func:`conv_prediction`: for each (c, m, n) in turn,
  ``acc = acc + K[f, c, m, n] · X[c, i·S+m, j·S+n]`` over the zero-padded input, then ``+ b[f]``), scale it by the
  exponent the number has (``"de"``, int8: the correction to the exponent of the prediction itself,
  :func:`predicted_exponents`; or ``"e"``, the exponents as they are) and round it (``floor(q + 0.5)``); ``"r"`` (int8) is what to add to get
  ``m``, or −128 when the next integer of ``"x"`` is ``m`` itself. The value is then ``m · 10^e`` as for ``"dec4"``.
  ``"sum"`` is the sum of K's then b's values, added one by one in order (:func:`weights_sum`): a decoder given
  weights that are not those (a model changed since they were kept) refuses them rather than rebuild wrong numbers.
  The prediction is only a guess (rounded weights and input, another summation order than the server's float32):
  the residuals carry the exact digits, and they are mostly 0 — a third of the bytes of ``"dec4"`` once gzipped.

Every packed object has ``"shape"``. ``unpack`` (here, and ``unpackArrays`` in static/js/lib/tensor.js) gives
back the plain JSON: tests compare the two, and the decoded numbers with the float32 trace.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
from fastapi import Request

PACKED_MEDIA_TYPE = "application/vnd.convstep.packed+json"
#: smaller arrays (probabilities, logits) stay nested lists: packing would not pay for its own keys
PACK_MIN_VALUES = 32
_EXACT_POWERS = 22  # 10ⁿ is an exact double up to n = 22
_POW10 = 10.0 ** np.arange(_EXACT_POWERS + 1)


def wants_packed(request: Request) -> bool:
    """``?arrays=packed`` or ``?arrays=nested`` decide; otherwise the packed form if ``Accept`` names it."""
    choice = request.query_params.get("arrays")
    if choice in ("packed", "nested"):
        return choice == "packed"
    return PACKED_MEDIA_TYPE in request.headers.get("accept", "")


@dataclass
class Derived:
    """A hint from the trace builder: the array at ``target[key]`` may be rebuilt by ``op`` from the array at
    the JSON pointer ``of`` (and ``at`` for ``take``). :func:`pack` checks it before trusting it."""

    op: str
    of: str
    at: str | None = None
    size: tuple[int, int] | None = None  # "window": the pooling's window and stride
    stride: tuple[int, int] | None = None
    weights: tuple[np.ndarray, np.ndarray | None] | None = None  # "conv": K and b as the client has them
    padding: tuple[int, int] | None = None  # "conv"
    layer: str | None = None  # "conv": the layer's JSON pointer (its "params" hold K and b)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# -- decimals ------------------------------------------------------------------------------------------------------
def decimal_parts(values: np.ndarray, digits: int = 4) -> tuple[np.ndarray, np.ndarray] | None:
    """Numbers already rounded to ``digits`` significant digits -> (m int16, e int8) with value = m·10^e, or None
    when some number is not such a decimal in range (then the array stays a nested list)."""
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    if not np.isfinite(v).all():
        return None
    magnitude = np.abs(v)
    nonzero = magnitude > 0
    magnitude[~nonzero] = 1.0
    e = np.floor(np.log10(magnitude)).astype(np.int64) - (digits - 1)
    e[~nonzero] = 0
    if e.min(initial=0) < -127 or e.max(initial=0) > 127:
        return None
    m = np.rint(scale_by_power(v, -e)).astype(np.int64)
    if np.abs(m).max(initial=0) > 32767:
        return None
    m16, e8 = m.astype(np.int16), e.astype(np.int8)
    if not np.array_equal(decimal_values(m16, e8), v):  # what the client will compute must be the JSON's double
        return None
    return m16, e8


def scale_by_power(v: np.ndarray, n: np.ndarray) -> np.ndarray:
    """v · 10ⁿ element-wise, with exact powers of ten (a multiplication for n ≥ 0, a division for n < 0)."""
    power = 10.0 ** np.abs(n).astype(np.float64)
    small = np.abs(n) <= _EXACT_POWERS
    power[small] = _POW10[np.abs(n[small])]
    return np.where(n >= 0, v * power, v / power)


def decimal_values(m: np.ndarray, e: np.ndarray) -> np.ndarray:
    """The doubles ``m · 10^e`` as the clients compute them (see the module docstring)."""
    m = m.astype(np.float64)
    e = e.astype(np.int64)
    out = scale_by_power(m, e)
    extreme = np.abs(e) > _EXACT_POWERS
    if extreme.any():
        out[extreme] = [float(f"{int(mi)}e{int(ei)}") for mi, ei in zip(m[extreme], e[extreme])]
    return out


# -- packing -------------------------------------------------------------------------------------------------------
def pack_array(a: np.ndarray) -> dict[str, Any] | None:
    """One array as a packed object, or None if it stays a nested list (small, boolean, out of range)."""
    if a.size < PACK_MIN_VALUES or a.dtype.kind == "b":
        return None
    shape = list(a.shape)
    if a.dtype.kind in "iu":
        lo, hi = int(a.min()), int(a.max())
        for name, dtype in (("u8", "<u1"), ("u16", "<u2"), ("i32", "<i4")):
            info = np.iinfo(dtype)
            if info.min <= lo and hi <= info.max:
                return {"$packed": name, "shape": shape, "data": b64(a.astype(dtype).tobytes())}
        return None
    parts = decimal_parts(a)
    if parts is None:
        return None
    m, e = parts
    return {"$packed": "dec4", "shape": shape, "m": b64(m.astype("<i2").tobytes()), "e": b64(e.tobytes())}


# -- a convolution predicted from its input and weights ---------------------------------------------------------------
def conv_prediction(x: np.ndarray, K: np.ndarray, b: np.ndarray | None, stride, padding) -> np.ndarray:
    """(C, H, W) input, (F, C, kh, kw) weights -> (F, H_out, W_out) in float64, every element computed by the same
    sequence of double operations as ``convPrediction`` in static/js/lib/tensor.js (so both give the same bits):
    acc = 0, then acc = acc + K[f, c, m, n] · X_padded[c, i·S_h + m, j·S_w + n] for c, m, n in that order, then
    acc + b[f]. Vectorised over (f, i, j) only: NumPy's element-wise + and · round each result once, as JS does."""
    x = np.asarray(x, dtype=np.float64)
    K = np.asarray(K, dtype=np.float64)
    channels, height, width = x.shape
    filters, _, kh, kw = K.shape
    (sh, sw), (ph, pw) = stride, padding
    xp = np.zeros((channels, height + 2 * ph, width + 2 * pw))
    xp[:, ph : ph + height, pw : pw + width] = x
    ho, wo = (height + 2 * ph - kh) // sh + 1, (width + 2 * pw - kw) // sw + 1
    acc = np.zeros((filters, ho, wo))
    for c in range(channels):
        for m in range(kh):
            for n in range(kw):
                window = xp[c, m : m + sh * (ho - 1) + 1 : sh, n : n + sw * (wo - 1) + 1 : sw]
                acc = acc + K[:, c, m, n, None, None] * window[None]
    if b is not None:
        acc = acc + np.asarray(b, dtype=np.float64).reshape(-1)[:, None, None]
    return acc


def weights_sum(K: np.ndarray, b: np.ndarray | None) -> float:
    """acc = acc + v over K's values, then b's, in order: the same double in Python and in JS (weightsSum)."""
    acc = 0.0
    for v in np.asarray(K, dtype=np.float64).reshape(-1).tolist():
        acc = acc + v
    if b is not None:
        for v in np.asarray(b, dtype=np.float64).reshape(-1).tolist():
            acc = acc + v
    return acc


def predicted_mantissas(prediction: np.ndarray, e: np.ndarray) -> np.ndarray:
    """floor(p · 10^(−e) + 0.5) with an exact power of ten (0 where |e| > 22 or the result is not finite)."""
    p = prediction.reshape(-1)
    e = e.astype(np.int64)
    small = np.abs(e) <= _EXACT_POWERS
    power = _POW10[np.where(small, np.abs(e), 0)]
    q = np.where(e < 0, p * power, p / power)
    q = np.where(small & np.isfinite(q) & (np.abs(q) < 2**53), np.floor(q + 0.5), 0.0)
    return q.astype(np.int64)


def conv_residuals(value: np.ndarray, prediction: np.ndarray) -> dict[str, Any] | None:
    """The ``e``, ``r``, ``x`` of a ``conv`` object for ``value`` (already rounded to 4 digits), or None."""
    parts = decimal_parts(value)
    if parts is None or prediction.size != value.size:
        return None
    m, e = parts
    r = m.astype(np.int64) - predicted_mantissas(prediction, e)
    escaped = np.abs(r) > 127
    r8 = np.where(escaped, -128, r).astype(np.int8)
    parts = {"r": b64(r8.tobytes()), "x": m[escaped].astype(int).tolist()}
    de = e.astype(np.int64) - predicted_exponents(prediction)
    if np.abs(de).max(initial=0) <= 127:  # the exponents as corrections too (almost all 0), else as they are
        return {"de": b64(de.astype(np.int8).tobytes()), **parts}
    return {"e": b64(e.tobytes()), **parts}


def predicted_exponents(prediction: np.ndarray) -> np.ndarray:
    """k − 3 with 10^k ≤ |p| < 10^(k+1), found by comparisons with exact powers of ten (no log10, whose last bit
    differs between libraries): k = the largest j ≤ 22 with |p| ≥ 10^j, or −(the smallest n ≤ 22 with
    |p| · 10^n ≥ 1) below 1 (−23 if none, and for 0); as ``predictedExponents`` in lib/tensor.js."""
    a = np.abs(prediction.reshape(-1))
    k = np.full(a.shape, -23, dtype=np.int64)
    for j in range(_EXACT_POWERS + 1):
        k[a >= _POW10[j]] = j
    for n in range(_EXACT_POWERS, 0, -1):
        k[(a < 1.0) & (a * _POW10[n] >= 1.0)] = -n
    return k - 3


def conv_exponents(obj: dict[str, Any], prediction: np.ndarray) -> np.ndarray:
    """The exponents of a ``conv`` object: ``"e"`` as they are, or ``"de"`` added to the predicted ones."""
    if "e" in obj:
        return np.frombuffer(base64.b64decode(obj["e"]), dtype=np.int8)
    de = np.frombuffer(base64.b64decode(obj["de"]), dtype=np.int8).astype(np.int64)
    return (predicted_exponents(prediction) + de).astype(np.int8)


def conv_mantissas(prediction: np.ndarray, e: np.ndarray, r: np.ndarray, x: list[int]) -> np.ndarray:
    """The inverse of :func:`conv_residuals`: the mantissas m."""
    m = predicted_mantissas(prediction, e) + r.astype(np.int64)
    escaped = r == -128
    m[escaped] = np.asarray(x, dtype=np.int64)
    return m


def resolve(body: Any, pointer: str) -> Any:
    """The value at a JSON pointer (RFC 6901, ``/layers/0/output``) inside ``body``."""
    node = body
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def derived_array(op: str, source: np.ndarray, at: np.ndarray | None) -> np.ndarray | None:
    """What a ``ref`` of kind ``op`` rebuilds from ``source`` (flat values compared by the caller)."""
    if op == "same":
        return source
    if op == "relu":
        return np.maximum(source, 0.0) + 0.0
    if op == "complement":
        return 255 - source
    if op == "take" and at is not None and source.ndim == 3 and at.ndim == 4 and at.shape[0] == source.shape[0]:
        channels = np.arange(source.shape[0])[:, None, None]
        return source[channels, at[..., 0], at[..., 1]]
    return None


class Packer:
    """Packs a finished JSON-bound answer (after :meth:`RoundingBatch.run`): see the module docstring.

    ``hint(target, key, Derived(...))`` while building, ``pack(body)`` at the end. Arrays seen twice become a
    ``same`` reference to the first (the gradient one layer hands to the next, a flatten's output)."""

    def __init__(self) -> None:
        self._hints: dict[tuple[int, str], Derived] = {}

    def hint(self, target: dict, key: str, derived: Derived) -> None:
        self._hints[(id(target), key)] = derived

    def pack(self, body: Any) -> Any:
        seen: dict[tuple[str, int, bytes], str] = {}

        def array_at(pointer: str) -> np.ndarray | None:
            try:
                value = resolve(body, pointer)
            except (KeyError, IndexError, ValueError, TypeError):
                return None
            return value if isinstance(value, np.ndarray) else None

        def walk(node: Any, pointer: str) -> Any:
            if isinstance(node, dict):
                out = {}
                for key, value in node.items():
                    child = f"{pointer}/{key}"
                    hint = self._hints.get((id(node), key))
                    if isinstance(value, np.ndarray) and hint is not None:
                        ref = self._try_ref(value, hint, array_at)
                        if ref is not None:
                            out[key] = ref
                            seen.setdefault((value.dtype.kind, value.size, value.tobytes()), child)
                            continue
                    out[key] = walk(value, child)
                return out
            if isinstance(node, list):
                return [walk(value, f"{pointer}/{k}") for k, value in enumerate(node)]
            if isinstance(node, np.ndarray):
                if node.size < PACK_MIN_VALUES:
                    return node
                key = (node.dtype.kind, node.size, np.ascontiguousarray(node).tobytes())
                if key in seen:
                    return {"$packed": "ref", "shape": list(node.shape), "op": "same", "of": seen[key]}
                packed = pack_array(node)
                if packed is None:
                    return node
                seen[key] = pointer
                return packed
            return node

        return walk(body, "")

    @staticmethod
    def _try_ref(value: np.ndarray, hint: Derived, array_at) -> dict[str, Any] | None:
        value = np.ascontiguousarray(value)
        if hint.op == "window":
            k = window_indices(value, hint.size, hint.stride)
            if k is None or not np.array_equal(window_coords(k, hint.size, hint.stride), value):
                return None
            return {
                "$packed": "window",
                "shape": list(value.shape),
                "size": list(hint.size),
                "stride": list(hint.stride),
                "data": b64(k.tobytes()),
            }
        if hint.op == "conv":
            source = array_at(hint.of)
            if source is None or source.ndim != 3 or hint.weights is None or value.ndim != 3:
                return None
            K, b = hint.weights
            prediction = conv_prediction(source, K, b, hint.stride, hint.padding)
            if prediction.shape != value.shape:
                return None
            parts = conv_residuals(value, prediction)
            if parts is None:
                return None
            e = conv_exponents(parts, prediction)
            r = np.frombuffer(base64.b64decode(parts["r"]), dtype=np.int8)
            rebuilt = decimal_values(conv_mantissas(prediction, e, r, parts["x"]), e)
            if not np.array_equal(rebuilt, value.reshape(-1)):
                return None
            return {
                "$packed": "conv",
                "shape": list(value.shape),
                "of": hint.of,
                "layer": hint.layer,
                "stride": list(hint.stride),
                "padding": list(hint.padding),
                "sum": weights_sum(K, b),
                **parts,
            }
        if hint.op == "delta":  # a picture from the one before it: its complement, or u8 differences
            source = array_at(hint.of)
            if source is None or source.shape != value.shape or value.dtype.kind not in "iu" or value.size < 1:
                return None
            if source.min() < 0 or source.max() > 255 or value.min() < 0 or value.max() > 255:
                return None
            if np.array_equal(255 - source, value):
                return {"$packed": "ref", "shape": list(value.shape), "op": "complement", "of": hint.of}
            # differences from the picture before, or from its complement (an inverted picture): the fewer not 0
            plain = ((value.astype(np.int64) - source) % 256).astype(np.uint8)
            flipped = ((value.astype(np.int64) - (255 - source.astype(np.int64))) % 256).astype(np.uint8)
            complement = np.count_nonzero(flipped) < np.count_nonzero(plain)
            d = flipped if complement else plain
            packed = {"$packed": "delta", "shape": list(value.shape), "of": hint.of, "data": b64(d.tobytes())}
            if complement:
                packed["complement"] = True
            return packed
        source = array_at(hint.of)
        at = array_at(hint.at) if hint.at else None
        if source is None or value.size < PACK_MIN_VALUES:
            return None
        rebuilt = derived_array(hint.op, source, at)
        if rebuilt is None or rebuilt.size != value.size or not np.array_equal(rebuilt.reshape(-1), value.reshape(-1)):
            return None
        ref = {"$packed": "ref", "shape": list(value.shape), "op": hint.op, "of": hint.of}
        if hint.at:
            ref["at"] = hint.at
        return ref


def window_indices(coords: np.ndarray, size, stride) -> np.ndarray | None:
    """Arg-max coordinates (C, H_out, W_out, 2) -> the index k = m·F_w + p of each chosen cell in its window,
    or None if some coordinate is not inside its window."""
    if coords.ndim != 4 or coords.shape[-1] != 2 or coords.dtype.kind not in "iu":
        return None
    (kh, kw), (sh, sw) = size, stride
    ho, wo = coords.shape[1], coords.shape[2]
    m = coords[..., 0] - (np.arange(ho) * sh)[:, None]
    p = coords[..., 1] - np.arange(wo) * sw
    if m.min(initial=0) < 0 or m.max(initial=0) >= kh or p.min(initial=0) < 0 or p.max(initial=0) >= kw:
        return None
    if kh * kw > 256:
        return None
    return (m * kw + p).astype(np.uint8)


def window_coords(k: np.ndarray, size, stride) -> np.ndarray:
    """The inverse of :func:`window_indices`: (C, H_out, W_out) indices -> (C, H_out, W_out, 2) coordinates."""
    kw, (sh, sw) = size[1], stride
    k = k.astype(np.int64)
    rows = (np.arange(k.shape[1]) * sh)[:, None] + k // kw
    cols = np.arange(k.shape[2]) * sw + k % kw
    return np.stack([rows, cols], axis=-1)


def pack_fragment(content: Any) -> orjson.Fragment:
    """``content`` packed (no hints) and serialised once, for answers cached as orjson fragments."""
    return orjson.Fragment(orjson.dumps(Packer().pack(content), option=orjson.OPT_SERIALIZE_NUMPY))


# -- unpacking (what the front end does; for tests and Python clients) -----------------------------------------------
def unpack(body: Any, weights: dict[str, dict[str, Any]] | None = None) -> Any:
    """The plain JSON (nested lists) of a packed answer: ``unpack(packed) == plain``, number for number.

    ``weights`` ({layer name: {param: values}}, as a forward answer with its weights gave them) is needed when
    the answer was asked without them (``include_params: false``) and holds ``"conv"`` objects."""
    cache: dict[str, np.ndarray] = {}

    def decode(obj: dict[str, Any], root: Any) -> np.ndarray:
        kind, shape = obj["$packed"], obj["shape"]
        if kind == "dec4":
            m = np.frombuffer(base64.b64decode(obj["m"]), dtype="<i2")
            e = np.frombuffer(base64.b64decode(obj["e"]), dtype=np.int8)
            return decimal_values(m, e).reshape(shape)
        if kind in ("u8", "u16", "i32"):
            dtype = {"u8": "<u1", "u16": "<u2", "i32": "<i4"}[kind]
            return np.frombuffer(base64.b64decode(obj["data"]), dtype=dtype).astype(np.int64).reshape(shape)
        if kind == "window":
            k = np.frombuffer(base64.b64decode(obj["data"]), dtype=np.uint8).reshape(shape[:-1])
            return window_coords(k, obj["size"], obj["stride"])
        if kind == "conv":
            layer = resolve(root, obj["layer"])

            def param(name: str) -> np.ndarray | None:
                p = layer["params"].get(name)
                if p is None:
                    return None
                if p.get("values") is not None:
                    return array_of(f"{obj['layer']}/params/{name}/values", root)
                known = (weights or {}).get(layer["name"], {}).get(name)
                if known is None:
                    raise ValueError(f"{layer['name']}.{name}: the weights are needed to decode this answer")
                return np.asarray(known, dtype=np.float64)

            K, b = param("K"), param("b")
            if weights_sum(K, b) != obj["sum"]:
                raise ValueError(f"{layer['name']}: these are not the weights this answer was computed with")
            prediction = conv_prediction(array_of(obj["of"], root), K, b, obj["stride"], obj["padding"])
            e = conv_exponents(obj, prediction)
            r = np.frombuffer(base64.b64decode(obj["r"]), dtype=np.int8)
            return decimal_values(conv_mantissas(prediction, e, r, obj["x"]), e).reshape(shape)
        if kind == "delta":
            d = np.frombuffer(base64.b64decode(obj["data"]), dtype=np.uint8).astype(np.int64)
            base = array_of(obj["of"], root).reshape(-1).astype(np.int64)
            if obj.get("complement"):
                base = 255 - base
            return ((base + d) % 256).reshape(shape)
        if kind == "ref":
            source = array_of(obj["of"], root)
            at = array_of(obj["at"], root) if obj.get("at") else None
            rebuilt = derived_array(obj["op"], source, at)
            if rebuilt is None:
                raise ValueError(f"cannot rebuild {obj!r}")
            return rebuilt.reshape(shape)
        raise ValueError(f"unknown packed kind {kind!r}")

    def array_of(pointer: str, root: Any) -> np.ndarray:
        if pointer not in cache:
            value = resolve(root, pointer)
            cache[pointer] = decode(value, root) if is_packed(value) else np.asarray(value)
        return cache[pointer]

    def walk(node: Any, pointer: str, root: Any) -> Any:
        if is_packed(node):
            return array_of(pointer, root).tolist()
        if isinstance(node, dict):
            return {k: walk(v, f"{pointer}/{k}", root) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, f"{pointer}/{k}", root) for k, v in enumerate(node)]
        return node

    return walk(body, "", body)


def is_packed(value: Any) -> bool:
    return isinstance(value, dict) and "$packed" in value
