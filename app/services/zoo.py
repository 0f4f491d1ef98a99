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

Shape errors are 422s naming the layer (and the line), in English and French.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from engine.shapes import ShapeError, measure
from engine.zoo import ARCHITECTURES, Architecture

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
        raise shape_error(exc, arch.name, arch.name, size) from None


# -- errors in both languages ----------------------------------------------------------------------------------------
_FR = {
    "too_large": "son noyau ou sa fenêtre ({f}) dépasse l'entrée avec remplissage ({n} + {p} = {total})",
    "needs_image": "une couche {kind} a besoin d'une image (C, H, W) ; elle reçoit {shape} (elle vient après flatten)",
    "needs_vector": "une couche {kind} a besoin d'un vecteur (ajoutez flatten) ; elle reçoit {shape}",
    "groups": "{groups} groupes doivent diviser à la fois les {channels} canaux d'entrée et les {filters} filtres",
    "positive": "« {what} » doit être un entier positif (reçu : {value})",
    "connections": "la table de connexions doit donner, pour chacun des {filters} filtres, des cartes de 0 à {last}",
    "empty": "sa sortie {shape} serait vide",
    "channels": "elle attend {expected} canaux d'entrée et en reçoit {got}",
    "unknown_type": "type de couche inconnu « {kind} » ; types connus : {known}",
    "unknown_option": "une couche {kind} n'a pas d'option « {options} »",
    "residual_shapes": "une addition résiduelle demande des formes égales ; elle reçoit {shapes}",
    "concat_sizes": "une concaténation demande des cartes de même taille ; elle reçoit {shapes}",
    "branches": "un bloc {kind} demande une liste d'au moins deux branches (une branche [] est l'entrée)",
    "no_layers": "une architecture est une liste non vide de couches",
    "invalid": "une option de cette couche n'est pas valide",
}


def _shape_text(value: Any) -> str:
    """(1577088,) -> "1 577 088", (64, 5, 5) -> "64×5×5" (French numbers: narrow no-break thousands space)."""
    if isinstance(value, tuple):
        return "×".join(f"{v:,}".replace(",", "\u202f") for v in value)
    if isinstance(value, list):
        return " et ".join(_shape_text(v) for v in value)
    return str(value)


def shape_error(exc: ShapeError, what: str, what_fr: str, size: int | None = None, line: int | None = None) -> ApiError:
    params = {k: _shape_text(v) for k, v in exc.params.items()}
    if exc.code == "too_large":
        params["total"] = int(exc.params["n"]) + int(exc.params["p"])
    if exc.code == "connections":
        params["last"] = int(exc.params.get("channels", 1)) - 1
    reason_fr = _FR.get(exc.code, _FR["invalid"]).format(**params)
    where_en = f"line {line}, " if line else ""
    where_fr = f"ligne {line}, " if line else ""
    at = f" at {size}×{size}" if size else ""
    at_fr = f" en {size}×{size}" if size else ""
    return ApiError.invalid(
        "shape_error",
        f"{what}{at}: {where_en}layer {exc.path or '?'} does not fit: {exc.reason}.",
        f"{what_fr}{at_fr} : {where_fr}la couche {exc.path or '?'} ne convient pas : {reason_fr}.",
        {"layer": exc.path, "index": exc.index, "line": line, "reason": exc.code},
    )


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


def _line_error(line: int, text: str, en: str, fr: str) -> ApiError:
    return ApiError.invalid(
        "stack_syntax",
        f"Line {line} ({text!r}): {en}.",
        f"Ligne {line} ({text!r}) : {fr}.",
        {"line": line},
    )


def _whole(digits: str, line: int, shown: str) -> int:
    """A whole number of the stack, at most MAX_STACK_NUMBER (a size beyond any network, and no 4,000-digit
    integers to convert)."""
    if len(digits) > 7 or int(digits) > MAX_STACK_NUMBER:
        raise _line_error(
            line,
            shown,
            f"numbers go up to {MAX_STACK_NUMBER:,}",
            f"les nombres vont jusqu'à {MAX_STACK_NUMBER:,}".replace(",", "\u202f"),
        )
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
            raise _line_error(
                number,
                shown,
                f"unknown layer type {words[0]!r}; known: {', '.join(sorted(set(_KIND_WORDS)))}",
                f"type de couche inconnu « {words[0]} » ; types connus : {', '.join(sorted(set(_KIND_WORDS)))}",
            )
        layer: dict[str, Any] = {"type": kind}
        positional = list(_POSITIONAL.get(kind, ()))
        for word in words[1:]:
            flag = _FLAG.match(word)
            if flag and kind in ("conv2d", "dwconv2d", "maxpool", "avgpool"):
                key = _FLAGS[flag.group(1)]
                if key == "kernel_size" and kind in ("maxpool", "avgpool"):
                    key = "size"
                if key == "groups" and kind != "conv2d":
                    raise _line_error(number, shown, "only conv takes groups", "seule conv accepte des groupes")
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
                    raise _line_error(
                        number, shown, "a dropout rate is between 0 and 1", "un taux de dropout est entre 0 et 1"
                    )
                layer[positional.pop(0)] = rate
            elif positional and re.fullmatch(r"\d+", word):
                layer[positional.pop(0)] = _whole(word, number, shown)
            else:
                raise _line_error(
                    number, shown, f"{word!r} is not understood here", f"« {word} » n'est pas compris ici"
                )
        if kind == "conv2d" and "filters" not in layer:
            raise _line_error(
                number,
                shown,
                "say how many filters (conv 32 3 = 32 filters 3×3)",
                "indiquez le nombre de filtres (conv 32 3 = 32 filtres 3×3)",
            )
        if kind in ("dense", "se") and len(layer) == 1:
            raise _line_error(
                number, shown, f"say how many units ({words[0]} 10)", f"indiquez le nombre d'unités ({words[0]} 10)"
            )
        spec.append(layer)
        lines.append(number)
        if len(spec) > MAX_STACK_LINES:
            raise _line_error(number, shown, f"at most {MAX_STACK_LINES} layers", f"au plus {MAX_STACK_LINES} couches")
    if not spec:
        raise ApiError.invalid(
            "stack_syntax",
            "Type at least one layer (for example: conv 32 3).",
            "Tapez au moins une couche (par exemple : conv 32 3).",
        )
    return spec, lines


def measure_stack(input_shape: list[int], text: str) -> dict[str, Any]:
    spec, lines = parse_stack(text)
    try:
        m = measure(spec, tuple(input_shape))
    except ShapeError as exc:
        line = lines[exc.index] if exc.index is not None else None
        raise shape_error(exc, "Your stack", "Votre empilement", None, line) from None
    out = _table(m, {"spec": spec, "lines": lines})
    for row, line in zip((r for r in out["layers"] if r["depth"] == 0), lines):
        row["line"] = line
    return out
