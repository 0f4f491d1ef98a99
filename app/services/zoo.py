"""The famous architectures (engine/zoo.py) and the "your stack" calculator, measured by engine/shapes.py.

* :func:`catalogue`: every architecture's name, year, totals at its default input and published accuracy.
* :func:`detail`: one architecture's layer table for a square input of a chosen size.
* :func:`measure_stack`: the layers a student typed, one per line (syntax below), measured on their input.

Stack syntax, one layer per line (``#`` starts a comment): a layer type, then its numbers::

    conv 64 3 s2 p1     64 filters 3×3, stride 2, padding 1 (also: k3, g4 = 4 groups, same, nobias)
    dwconv 3 s2 p1      depthwise 3×3
    maxpool 3 s2 p1     window 3 (also avgpool; ceil rounds the size up)
    bn | relu | tanh | sigmoid | silu | softmax | leaky_relu | gap | flatten
    lrn 5 | dropout 0.5 | se 16 | adaptive 7 | dense 1000 (or fc 1000)

Shape errors are 422s naming the layer (and the line), in the catalogues' words (``messages/``).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from engine.shapes import ShapeError, measure
from engine.zoo import ARCHITECTURES, Architecture
from messages import CATALOGUES, LANGS, both, format_number, message

from ..core.errors import ApiError

MAX_STACK_LINES = 200
MAX_STACK_NUMBER = 1_000_000


def _summary(arch: Architecture) -> dict[str, Any]:
    return {
        "key": arch.key,
        "name": arch.name,
        "year": arch.year,
        "paper": arch.paper,
        "top1": arch.top1,
        "top1_source": arch.top1_source,
        "torchvision_top1": arch.torchvision_top1,
        "torchvision": arch.torchvision,
        "default_input": arch.input_shape[1],
    }


@functools.lru_cache(maxsize=1)
def catalogue() -> list[dict[str, Any]]:
    out = []
    for arch in ARCHITECTURES.values():
        m = arch.measure()
        out.append(
            {
                **_summary(arch),
                "input_shape": list(m.input_shape),
                "params": m.total_params,
                "macs": m.total_macs,
                "activation_bytes": m.total_activation_bytes,
                "layer_count": len(m.rows),
            }
        )
    return out


def _table(m, extra: dict[str, Any]) -> dict[str, Any]:
    return {
        **extra,
        "input_shape": list(m.input_shape),
        "output_shape": list(m.output_shape),
        "layers": [row.as_dict() for row in m.rows],
        "total_params": m.total_params,
        "total_macs": m.total_macs,
        "total_activations": m.total_activations,
        "total_activation_bytes": m.total_activation_bytes,
    }


@functools.lru_cache(maxsize=16)  # ResNet-152's table is ~500 rows: keep a few sizes, not every one asked
def _detail_cached(key: str, size: int) -> dict[str, Any]:
    arch = ARCHITECTURES[key]
    return _table(arch.measure(size), _summary(arch))


def detail(key: str, size: int | None) -> dict[str, Any]:
    arch = ARCHITECTURES.get(key)
    if arch is None:
        raise ApiError.keyed(
            404,
            "not_found",
            "error.architecture_not_found",
            {"known": list(ARCHITECTURES)},
            name=key[:40],
            known=", ".join(ARCHITECTURES),
        )
    size = size or arch.input_shape[1]
    try:
        return _detail_cached(key, size)
    except ShapeError as exc:
        raise shape_error(exc, arch.name, size) from None


# -- errors, in the catalogues' words (messages/: error.shape.<engine code>, error.shape_error, error.stack_syntax) --
def _shape_text(value: Any, lang: str) -> str:
    """(1577088,) -> "1,577,088" ("1 577 088" in French), (64, 5, 5) -> "64×5×5", a list -> "… and …"."""
    if isinstance(value, tuple):
        return "×".join(format_number(int(v), lang) for v in value)
    if isinstance(value, list):
        return functools.reduce(
            lambda a, b: message("error.shape.and", lang, a=a, b=b), (_shape_text(v, lang) for v in value)
        )
    return str(value)


def _in_each_language(value: Any) -> Any:
    """Shapes and lists written for each language's reader ({"en": ..., "fr": ...}); other values as they are."""
    return {lang: _shape_text(value, lang) for lang in LANGS} if isinstance(value, (tuple, list)) else value


def shape_error(exc: ShapeError, what: Any, size: int | None = None, line: int | None = None) -> ApiError:
    """A 422 naming the layer (and the line or the input size): the engine's ``code`` and numbers, written by the
    catalogue's ``error.shape.<code>``. ``what`` is a name, or ``{"en": ..., "fr": ...}``."""
    params = {k: _in_each_language(v) for k, v in exc.params.items()}
    if exc.code == "too_large":
        params["total"] = int(exc.params["n"]) + int(exc.params["p"])
    if exc.code == "connections":
        params["last"] = int(exc.params.get("channels", 1)) - 1
    if f"error.shape.{exc.code}" in CATALOGUES["en"]:
        reason = both(f"error.shape.{exc.code}", **params)
    else:  # an error the engine has no code for: its own English words, a general French sentence
        reason = {"en": exc.reason, "fr": message("error.shape.invalid", "fr")}
    detail = {"layer": exc.path, "index": exc.index, "line": line, "reason": exc.code}
    where = {"line": line} if line else {"size": size} if size else {}
    key = "error.shape_error.line" if line else "error.shape_error.at_size" if size else "error.shape_error"
    return ApiError.invalid_input("shape_error", key, detail, what=what, layer=exc.path or "?", reason=reason, **where)


# -- "your stack" ----------------------------------------------------------------------------------------------------
_KIND_WORDS = {
    "conv": "conv2d",
    "conv2d": "conv2d",
    "dwconv": "dwconv2d",
    "dwconv2d": "dwconv2d",
    "depthwise": "dwconv2d",
    "maxpool": "maxpool",
    "avgpool": "avgpool",
    "bn": "batchnorm",
    "batchnorm": "batchnorm",
    "gap": "global_avgpool",
    "global_avgpool": "global_avgpool",
    "adaptive": "adaptive_avgpool",
    "adaptive_avgpool": "adaptive_avgpool",
    "fc": "dense",
    "dense": "dense",
    "linear": "dense",
    "lrn": "lrn",
    "dropout": "dropout",
    "flatten": "flatten",
    "se": "se",
    **{a: a for a in ("relu", "leaky_relu", "tanh", "sigmoid", "silu", "softmax")},
}
# the bare numbers each type takes, in order
_POSITIONAL = {
    "conv2d": ("filters", "kernel_size"),
    "dwconv2d": ("kernel_size",),
    "maxpool": ("size",),
    "avgpool": ("size",),
    "adaptive_avgpool": ("output",),
    "dense": ("units",),
    "lrn": ("size",),
    "dropout": ("rate",),
    "se": ("squeeze",),
}
_FLAG = re.compile(r"^(k|s|p|g)(\d+)$")
_FLAGS = {"k": "kernel_size", "s": "stride", "p": "padding", "g": "groups"}


def _line_error(line: int, text: str, reason: str, **params: Any) -> ApiError:
    """A 422 for a line the parser cannot read: the catalogue's ``error.stack_syntax.<reason>``."""
    return ApiError.invalid_input(
        "stack_syntax",
        None,
        {"line": line},
        line=line,
        text=repr(text),
        reason=both(f"error.stack_syntax.{reason}", **params),
    )


def _whole(digits: str, line: int, shown: str) -> int:
    """A whole number of the stack, at most MAX_STACK_NUMBER (a size beyond any network, and no 4,000-digit
    integers to convert)."""
    if len(digits) > 7 or int(digits) > MAX_STACK_NUMBER:
        raise _line_error(line, shown, "too_big", largest=MAX_STACK_NUMBER)
    return int(digits)


def parse_stack(text: str) -> tuple[list[dict[str, Any]], list[int]]:
    """The typed layers -> (engine spec, the line number of each layer)."""
    spec: list[dict[str, Any]] = []
    lines: list[int] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].lower()
        words = line.split()
        if not words:
            continue
        shown = raw.strip()[:40]
        kind = _KIND_WORDS.get(words[0])
        # a comma separates numbers ("conv 64, 3"), except in a dropout rate written the French way ("0,5")
        words = line.replace(",", ".").split() if kind == "dropout" else line.replace(",", " ").split()
        if kind is None:
            raise _line_error(number, shown, "unknown_type", word=words[0], known=", ".join(sorted(set(_KIND_WORDS))))
        layer: dict[str, Any] = {"type": kind}
        positional = list(_POSITIONAL.get(kind, ()))
        for word in words[1:]:
            flag = _FLAG.match(word)
            if flag and kind in ("conv2d", "dwconv2d", "maxpool", "avgpool"):
                key = _FLAGS[flag.group(1)]
                if key == "kernel_size" and kind in ("maxpool", "avgpool"):
                    key = "size"
                if key == "groups" and kind != "conv2d":
                    raise _line_error(number, shown, "groups")
                layer[key] = _whole(flag.group(2), number, shown)
                if key in positional:
                    positional.remove(key)
            elif word in ("same", "valid") and kind in ("conv2d", "dwconv2d"):
                layer["padding"] = word
            elif word == "ceil" and kind in ("maxpool", "avgpool"):
                layer["ceil_mode"] = True
            elif word == "nobias" and kind in ("conv2d", "dwconv2d", "dense"):
                layer["use_bias"] = False
            elif positional and kind == "dropout" and re.fullmatch(r"\d{1,3}(\.\d{1,6})?", word):
                rate = float(word)
                if not 0 <= rate < 1:
                    raise _line_error(number, shown, "dropout_rate")
                layer[positional.pop(0)] = rate
            elif positional and re.fullmatch(r"\d+", word):
                layer[positional.pop(0)] = _whole(word, number, shown)
            else:
                raise _line_error(number, shown, "not_understood", word=word)
        if kind == "conv2d" and "filters" not in layer:
            raise _line_error(number, shown, "filters")
        if kind in ("dense", "se") and len(layer) == 1:
            raise _line_error(number, shown, "units", kind=words[0])
        spec.append(layer)
        lines.append(number)
        if len(spec) > MAX_STACK_LINES:
            raise _line_error(number, shown, "too_many_lines", largest=MAX_STACK_LINES)
    if not spec:
        raise ApiError.invalid_input("stack_syntax", "error.stack_syntax.empty")
    return spec, lines


def measure_stack(input_shape: list[int], text: str) -> dict[str, Any]:
    spec, lines = parse_stack(text)
    try:
        m = measure(spec, tuple(input_shape))
    except ShapeError as exc:
        line = lines[exc.index] if exc.index is not None else None
        raise shape_error(exc, both("error.shape_error.your_stack"), None, line) from None
    out = _table(m, {"spec": spec, "lines": lines})
    for row, line in zip((r for r in out["layers"] if r["depth"] == 0), lines):
        row["line"] = line
    return out
