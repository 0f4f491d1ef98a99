"""The course's hand-worked example (seed 000, sections III–IV), recomputed step by step by the engine.

The course works one forward and one backward pass by hand on a tiny network::

    X (3×3) ─ f1, f2 (2×2, no bias) ─ ReLU ─ 2×2 max pooling ─ flatten (2) ─ z = W·x + b ─ softmax ─ ŷ
    loss L = −Σ y_i ln ŷ_i with y = [0, 1], then one gradient-descent step with η = 0.01.

:func:`compute_worked_example` runs that pass with the engine's own layers (the ``worked-example`` preset in
float64) and returns every intermediate number, each step with its formula, a short explanation in English and
French, the cells it involves (windows, arg-max, rotated kernels...) and — only when the inputs are the
document's — the values the document prints beside the computed ones.

Every printed number is classified against the computed value at the precision it is printed with:

* ``match``     it is the computed value, rounded to the digits the document shows;
* ``rounding``  it differs only because the document rounds ŷ to 0.67 / 0.33 and carries that rounding into
                every later step (the same formulas run from the document's rounded ŷ give the printed value);
* ``mismatch``  neither: a real slip, listed in the step's ``mismatches`` with a short explanation.

Integers are printed by the document for exact values only, so an integer must be exact to match.
Slips that are not a number (a wrong expression, a wrong label, a garbled drawing, bugs of the course's code in
sections V–VI) are listed too, and everything ends up in the result's ``errata``.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from typing import Any

import numpy as np

from .conv import Conv2D, conv_output_shape
from .losses import softmax_cross_entropy
from .pooling import MaxPool2D
from .presets import (
    WORKED_B,
    WORKED_ETA,
    WORKED_F1,
    WORKED_F2,
    WORKED_W,
    WORKED_X,
    WORKED_Y,
    build_preset,
    set_worked_example_weights,
)

#: the document's inputs (sections III–IV)
DOCUMENT_INPUTS: dict[str, Any] = {
    "X": WORKED_X,
    "f1": WORKED_F1,
    "f2": WORKED_F2,
    "W": WORKED_W,
    "b": WORKED_B,
    "y": WORKED_Y,
    "eta": WORKED_ETA,
}

#: shape of each input (the network's geometry is the document's: 3×3 input, 2×2 filters, global 2×2 pooling)
INPUT_SHAPES: dict[str, tuple[int, ...]] = {"X": (3, 3), "f1": (2, 2), "f2": (2, 2), "W": (2, 2), "b": (2,), "y": (2,)}

#: the document's printed ŷ: the start of the rounding it carries through the backward pass
DOCUMENT_Y_HAT = ("0.67", "0.33")


class WorkedExampleInputError(ValueError):
    """An input of the worked example has the wrong shape, is not a finite number, or is so large that the
    computation overflows."""


# ------------------------------------------------------------------------------------------------------------
# What the document prints (quoted, not computed): per step, (printed name, key of the computed value, text).
# ------------------------------------------------------------------------------------------------------------
DOCUMENT_VALUES: dict[str, list[tuple[str, str, Any]]] = {
    "output_size": [("height", "height", "2"), ("width", "width", "2")],
    "conv_o1": [("O1", "O1", [["0", "9"], ["10", "3"]])],
    "conv_o2": [("O2", "O2", [["4", "7"], ["8", "-1"]])],
    "relu": [("ReLU(O1)", "relu_O1", [["0", "9"], ["10", "3"]]), ("ReLU(O2)", "relu_O2", [["4", "7"], ["8", "0"]])],
    "max_pool": [("max pooling 1", "max_pooling_1", "10"), ("max pooling 2", "max_pooling_2", "8")],
    "flatten": [("x", "x", ["10", "8"])],
    "dense": [("z", "z", ["3.8", "3.1"])],
    "softmax": [("ŷ", "y_hat", list(DOCUMENT_Y_HAT))],
    "loss": [("L", "loss", "0.48")],
    "dL_dz": [("∂L/∂z", "dL_dz", ["0.67", "-0.67"])],
    "dL_dW": [("∂L/∂W", "dL_dW", [["6.7", "5.36"], ["-6.7", "-5.36"]])],
    "dL_db": [("∂L/∂b", "dL_db", ["0.67", "-0.67"])],
    "dL_dx": [("∂L/∂x", "dL_dx", ["0.469", "-0.67"])],
    "pool_backward": [
        ("dmax pooling 1", "dmax_pooling_1", [["0", "0"], ["0.469", "0"]]),
        ("dmax pooling 2", "dmax_pooling_2", [["0", "0"], ["-0.67", "0"]]),
    ],
    "dL_df1": [
        ("∂L/∂f1", "dL_df1", [["0.938", "2.345"], ["1.876", "0"]]),
        ("F1′", "dL_df1", [["0.938", "2.45"], ["1.876", "0"]]),
        ("gradient in F1′ = Conv(X, ·)", "G1", [["0", "0"], ["0.67", "0"]]),
    ],
    "dL_df2": [
        ("∂L/∂f2", "dL_df2", [["-1.34", "-3.35"], ["-2.68", "0"]]),
        ("F2′", "dL_df2", [["-1.34", "-3.35"], ["-2.68", "0"]]),
        ("gradient in F2′ = Conv(X, ·)", "G2", [["0", "0"], ["-0.67", "0"]]),
    ],
    "rotate_filters": [
        ("rot180(f1)", "rot180_f1", [["-1", "2"], ["0", "1"]]),
        ("rot180(f2)", "rot180_f2", [["1", "0"], ["2", "-1"]]),
    ],
    "dX1": [
        ("X′1 (drawing)", "X1_prime", [["0", "0", "0"], ["0.469", "0", "0"], ["0.938", "-0.469", "0"]]),
        ("X′1", "X1_prime", [["0", "0", "0"], ["0.469", "0", "0"], ["0.938", "0.469", "0"]]),
    ],
    "dX2": [("X′2", "X2_prime", [["0", "0", "0"], ["0.67", "-1.34", "0"], ["0", "0.67", "0"]])],
    "dL_dX": [("∂L/∂X = X′", "dL_dX", [["0", "0", "0"], ["1.139", "-1.34", "0"], ["0.938", "-1.139", "0"]])],
    "update_W": [("W_new", "W_new", [["0.433", "-0.353"], ["-0.133", "0.7536"]])],
    "update_b": [("b_new", "b_new", ["1.193", "-0.493"])],
    "update_f1": [
        ("∂L/∂f1 used in the update", "dL_df1", [["0.98", "2.45"], ["1.98", "0"]]),
        ("f1_new", "f1_new", [["0.99", "-0.0245"], ["1.98", "-1"]]),
    ],
    "update_f2": [
        ("∂L/∂f2 used in the update", "dL_df2", [["-1.34", "-3.35"], ["-2.68", "0"]]),
        ("f2_new", "f2_new", [["-0.99", "2.033"], ["0.0268", "1"]]),
    ],
}

Text = dict[str, str]


def _t(en: str, fr: str) -> Text:
    return {"en": en, "fr": fr}


# Why each printed number that is neither the computed value nor its carried rounding is wrong.
# Keyed by (step id, printed name, index); the {braces} are filled with computed values.
SLIP_EXPLANATIONS: dict[tuple[str, str, tuple[int, ...] | None], Text] = {
    ("loss", "L", None): _t(
        "The document takes the base-10 logarithm: −log10(0.33) = {doc_log10}. Cross-entropy uses the natural "
        "logarithm (as the course's own code does with np.log): −ln({y2}) = {loss}.",
        "Le document prend le logarithme décimal : −log10(0,33) = {doc_log10}. L'entropie croisée utilise le "
        "logarithme népérien (comme le code du cours, np.log) : −ln({y2}) = {loss}.",
    ),
    ("dL_df1", "F1′", (0, 1)): _t(
        "Copy slip: F1′ repeats ∂L/∂f1 but writes 2.45 for 2.345 (= 5 × 0.469); the exact value is {value}.",
        "Erreur de recopie : F1′ reprend ∂L/∂f1 mais écrit 2,45 au lieu de 2,345 (= 5 × 0,469) ; la valeur exacte "
        "est {value}.",
    ),
    ("dL_df1", "gradient in F1′ = Conv(X, ·)", (1, 0)): _t(
        "F1′ is written as Conv(X, [[0, 0], [0.67, 0]]): 0.67 is the gradient of the other map. The gradient routed "
        "to O1 is ∂L/∂x1 = {value} (0.469 in the document); with 0.67 the result would be 1.34, 3.35, 2.68.",
        "F1′ est écrit Conv(X, [[0, 0], [0,67, 0]]) : 0,67 est le gradient de l'autre carte. Le gradient renvoyé "
        "vers O1 est ∂L/∂x1 = {value} (0,469 dans le document) ; avec 0,67 on obtiendrait 1,34, 3,35, 2,68.",
    ),
    ("dX1", "X′1", (2, 1)): _t(
        "Sign lost: X′1(2,1) = 0.469 × f1(1,1) = 0.469 × (−1) = −0.469 (exact {value}); the drawing just above has "
        "−0.469, and the sum ∂L/∂X uses the right sign.",
        "Signe perdu : X′1(2,1) = 0,469 × f1(1,1) = 0,469 × (−1) = −0,469 (exact {value}) ; le dessin juste au-dessus "
        "porte −0,469, et la somme ∂L/∂X utilise le bon signe.",
    ),
    ("dX2", "X′2", (2, 1)): _t(
        "Sign lost: X(2,1) met f2(1,1) = 1 at the output (1,0), whose gradient is −0.67, so X′2(2,1) = −0.67 × 1 = "
        "−0.67 (exact {value}); the sum ∂L/∂X uses the right sign.",
        "Signe perdu : X(2,1) a rencontré f2(1,1) = 1 à la sortie (1,0), dont le gradient vaut −0,67, donc "
        "X′2(2,1) = −0,67 × 1 = −0,67 (exact {value}) ; la somme ∂L/∂X utilise le bon signe.",
    ),
    ("update_f1", "∂L/∂f1 used in the update", (0, 0)): _t(
        "The update uses 0.98, a value that appears in no step: ∂L/∂f1(0,0) = 2 × 0.469 = 0.938 (exact {value}). "
        "f1_new(0,0) still rounds to 0.99 by luck.",
        "La mise à jour utilise 0,98, valeur qui n'apparaît dans aucune étape : ∂L/∂f1(0,0) = 2 × 0,469 = 0,938 "
        "(exact {value}). f1_new(0,0) s'arrondit quand même à 0,99, par chance.",
    ),
    ("update_f1", "∂L/∂f1 used in the update", (0, 1)): _t(
        "The update uses 2.45, the miscopied value of F1′: ∂L/∂f1(0,1) = 5 × 0.469 = 2.345 (exact {value}).",
        "La mise à jour utilise 2,45, la valeur mal recopiée dans F1′ : ∂L/∂f1(0,1) = 5 × 0,469 = 2,345 "
        "(exact {value}).",
    ),
    ("update_f1", "∂L/∂f1 used in the update", (1, 0)): _t(
        "The update uses 1.98, a value that appears in no step: ∂L/∂f1(1,0) = 4 × 0.469 = 1.876 (exact {value}). "
        "f1_new(1,0) still rounds to 1.98 by luck.",
        "La mise à jour utilise 1,98, valeur qui n'apparaît dans aucune étape : ∂L/∂f1(1,0) = 4 × 0,469 = 1,876 "
        "(exact {value}). f1_new(1,0) s'arrondit quand même à 1,98, par chance.",
    ),
    ("update_f1", "f1_new", (0, 1)): _t(
        "Because of the wrong gradient 2.45: 0 − 0.01 × 2.345 = −0.02345 (exact {value}), not −0.0245.",
        "À cause du gradient erroné 2,45 : 0 − 0,01 × 2,345 = −0,02345 (exact {value}), et non −0,0245.",
    ),
}

GENERIC_SLIP = _t(
    "The document prints {document}; the computed value is {value}.",
    "Le document affiche {document} ; la valeur calculée est {value}.",
)


# ------------------------------------------------------------------------------------------------------------
# Numbers: parsing the document's digits, formatting ours
# ------------------------------------------------------------------------------------------------------------
def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _tolerance(text: str) -> float:
    """Half a unit of the last printed digit; integers are printed for exact values only."""
    d = _decimals(text)
    return 1e-9 if d == 0 else 0.5 * 10.0 ** (-d) + 1e-12


def _parse(printed) -> Any:
    if isinstance(printed, str):
        return float(printed)
    return [_parse(p) for p in printed]


def _flat_printed(printed) -> list[tuple[tuple[int, ...], str]]:
    """[(index, text)] of a printed scalar/vector/matrix; the index is () for a scalar."""
    if isinstance(printed, str):
        return [((), printed)]
    out = []
    for i, item in enumerate(printed):
        out += [((i, *idx), text) for idx, text in _flat_printed(item)]
    return out


def fmt(value, digits: int = 4) -> str:
    """A number (or nested list) for people: at most ``digits`` decimals, trailing zeros dropped, no −0."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(fmt(v, digits) for v in value) + "]"
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value)).lower()
    v = float(value)
    text = f"{v:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _py(value) -> Any:
    """NumPy -> plain Python floats/lists (full precision), JSON-able."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {k: _py(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_py(v) for v in value]
    return value


# ------------------------------------------------------------------------------------------------------------
# Inputs
# ------------------------------------------------------------------------------------------------------------
def _as_array(name: str, value, default) -> np.ndarray:
    value = default if value is None else value
    if name == "y" and isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        if not 0 <= int(value) < 2:
            raise WorkedExampleInputError("y as a label must be 0 or 1")
        value = [1.0 if i == int(value) else 0.0 for i in range(2)]
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise WorkedExampleInputError(f"{name} must be numbers, got {value!r}") from None
    shape = INPUT_SHAPES[name]
    if arr.shape != shape:
        what = " × ".join(map(str, shape)) + (" matrix" if len(shape) == 2 else " vector")
        raise WorkedExampleInputError(f"{name} must be a {what}, got shape {list(arr.shape)}")
    if not np.all(np.isfinite(arr)):
        raise WorkedExampleInputError(f"{name} must contain finite numbers only")
    return arr


def _validated_inputs(X, f1, f2, W, b, y, eta) -> dict[str, Any]:
    given = {"X": X, "f1": f1, "f2": f2, "W": W, "b": b, "y": y}
    inputs: dict[str, Any] = {k: _as_array(k, v, DOCUMENT_INPUTS[k]) for k, v in given.items()}
    if np.any(inputs["y"] < 0) or abs(inputs["y"].sum() - 1) > 1e-9:
        raise WorkedExampleInputError("y must be a probability vector (non-negative, summing to 1), e.g. [0, 1]")
    eta = DOCUMENT_INPUTS["eta"] if eta is None else eta
    if (
        isinstance(eta, bool)
        or not isinstance(eta, (int, float, np.integer, np.floating))
        or not (math.isfinite(eta) and eta > 0)
    ):
        raise WorkedExampleInputError(f"eta (the learning rate) must be a positive number, got {eta!r}")
    inputs["eta"] = float(eta)
    return inputs


def uses_document_inputs(inputs: dict[str, Any]) -> bool:
    """True when every input equals the document's (only then are the printed values compared)."""
    return all(
        np.array_equal(np.asarray(inputs[k], dtype=np.float64), np.asarray(v, dtype=np.float64))
        for k, v in DOCUMENT_INPUTS.items()
    )


# ------------------------------------------------------------------------------------------------------------
# The passes, with the engine's layers
# ------------------------------------------------------------------------------------------------------------
def correlation_positions(image: np.ndarray, kernel: np.ndarray) -> list[dict[str, Any]]:
    """For each output (i, j) of ``image ∗ kernel`` (valid cross-correlation, stride 1): the window, the
    element-wise products and their sum — the course's way of writing one output value out."""
    kh, kw = kernel.shape
    ho, wo = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    out = []
    for i in range(ho):
        for j in range(wo):
            window = image[i : i + kh, j : j + kw]
            products = window * kernel
            out.append(
                {
                    "output": [i, j],
                    "rows": [i, i + kh - 1],
                    "cols": [j, j + kw - 1],
                    "window": window.tolist(),
                    "products": products.tolist(),
                    "sum": float(products.sum()),
                }
            )
    return out


def _forward(inputs: dict[str, Any]):
    """Forward pass of the ``worked-example`` preset (float64) with the given weights; returns the model and
    every layer's output (batch axis kept)."""
    model = build_preset("worked-example", dtype=np.float64)
    set_worked_example_weights(model, f1=inputs["f1"], f2=inputs["f2"], W=inputs["W"], b=inputs["b"])
    outputs = {"input": inputs["X"][None, None]}
    previous = outputs["input"]
    for layer in model.layers[:-1]:  # the softmax is fused with the loss below
        previous = outputs[layer.name] = layer.forward(previous)
    return model, outputs


def _backward(model, outputs, dz: np.ndarray, inputs: dict[str, Any]) -> dict[str, np.ndarray]:
    """Backward pass from dL/dz through the engine's layers, the per-filter parts X′1, X′2 of dL/dX, and one
    gradient-descent step θ ← θ − η·dL/dθ. Run twice: from the exact ŷ, and from the document's rounded ŷ."""
    conv, relu, pool, flatten, fc = (model.layer(n) for n in ("conv", "relu", "pool", "flatten", "fc"))
    d_x = fc.backward(dz[None])
    d_w, d_b = fc.grads["W"].copy(), fc.grads["b"].copy()
    d_pooled = flatten.backward(d_x)
    d_relu = pool.backward(d_pooled)  # max pooling routes each gradient to its arg-max
    d_conv = relu.backward(d_relu)  # ReLU lets it through where O > 0
    d_image = conv.backward(d_conv)
    d_kernels = conv.grads["K"].copy()
    # X′_f: the part of dL/dX that comes through filter f alone (the course draws them one by one)
    part = conv.fork()
    part.forward(outputs["input"])
    parts = []
    for f in range(2):
        only_f = np.zeros_like(d_conv)
        only_f[:, f] = d_conv[:, f]
        parts.append(part.backward(only_f)[0, 0])
    eta = inputs["eta"]
    return {
        "dL_dz": dz,
        "dL_dW": d_w,
        "dL_db": d_b,
        "dL_dx": d_x[0],
        "dmax_pooling_1": d_relu[0, 0],
        "dmax_pooling_2": d_relu[0, 1],
        "G1": d_conv[0, 0],
        "G2": d_conv[0, 1],
        "dL_df1": d_kernels[0, 0],
        "dL_df2": d_kernels[1, 0],
        "X1_prime": parts[0],
        "X2_prime": parts[1],
        "dL_dX": d_image[0, 0],
        "W_new": inputs["W"] - eta * d_w,
        "b_new": inputs["b"] - eta * d_b,
        "f1_new": inputs["f1"] - eta * d_kernels[0, 0],
        "f2_new": inputs["f2"] - eta * d_kernels[1, 0],
    }


# ------------------------------------------------------------------------------------------------------------
# The steps
# ------------------------------------------------------------------------------------------------------------
def _step(
    step_id: str,
    section: str,
    title: Text,
    formula: str,
    explanation: Text,
    inputs: dict,
    values: dict,
    highlight: dict | None = None,
) -> dict[str, Any]:
    return {
        "id": step_id,
        "section": section,
        "title": title,
        "formula": formula,
        "explanation": explanation,
        "inputs": _py(inputs),
        "values": _py(values),
        "document": None,
        "comparisons": [],
        "mismatches": [],
        "highlight": _py(highlight or {}),
    }


def par(value) -> str:
    """A number as written in a sum: negative ones in parentheses, ``8 × (-0.3)``."""
    return fmt(value) if float(value) >= 0 else f"({fmt(value)})"


def written_neuron(i: int, x, W, b, z) -> str:
    """``z1 = (10 × 0.5) + (8 × (-0.3)) + 1.2 = 3.8`` for neuron ``i`` (0-based)."""
    return f"z{i + 1} = ({fmt(x[0])} × {par(W[i, 0])}) + ({fmt(x[1])} × {par(W[i, 1])}) + {par(b[i])} = {fmt(z[i])}"


def _positions(mask: np.ndarray) -> list[list[int]]:
    return [list(map(int, p)) for p in np.argwhere(mask)]


def _relu_backward_explanation(O: np.ndarray, argmax: np.ndarray) -> Text:
    at_max = [float(O[k][tuple(argmax[k])]) for k in range(2)]
    en = (
        "ReLU passes the gradient where its input was positive and blocks it elsewhere (the document skips this step). "
    )
    fr = (
        "ReLU laisse passer le gradient là où son entrée était positive et le bloque ailleurs (le document saute "
        "cette étape). "
    )
    maxima = f"O1 = {fmt(at_max[0])}, O2 = {fmt(at_max[1])}"
    if all(v > 0 for v in at_max):
        return _t(
            en + f"Here both maxima are positive ({maxima}): nothing is blocked.",
            fr + f"Ici les deux maxima sont positifs ({maxima}) : rien n'est bloqué.",
        )
    return _t(
        en + f"Here a maximum is not positive ({maxima}): its gradient stops at ReLU and that filter learns "
        "nothing from this image.",
        fr + f"Ici un maximum n'est pas positif ({maxima}) : son gradient s'arrête à ReLU et ce filtre "
        "n'apprend rien de cette image.",
    )


def _build_steps(inputs, outputs, pool_layer: MaxPool2D, back: dict, after: dict) -> list[dict[str, Any]]:
    X, f1, f2, W, b, y, eta = (inputs[k] for k in ("X", "f1", "f2", "W", "b", "y", "eta"))
    O = outputs["conv"][0]
    R = outputs["relu"][0]
    P = outputs["pool"][0]
    x = outputs["flatten"][0]
    z = outputs["fc"][0]
    y_hat, loss = after["y_hat"], after["loss"]
    argmax = pool_layer.argmax_positions()[0, :, 0, 0]  # (2 maps, (row, col))
    ho, wo = conv_output_shape(X.shape, f1.shape, 1, 0)
    rot1, rot2 = np.rot90(f1, 2), np.rot90(f2, 2)
    z_written = ", ".join(written_neuron(i, x, W, b, z) for i in range(2)) + "."
    dz = back["dL_dz"]
    dx_written = (
        ", ".join(
            f"∂L/∂x{j + 1} = {par(dz[0])} × {par(W[0, j])} + {par(dz[1])} × {par(W[1, j])} = {fmt(back['dL_dx'][j])}"
            for j in range(2)
        )
        + "."
    )
    steps = [
        _step(
            "output_size",
            "III.1",
            _t("Output size of the convolution", "Taille de sortie de la convolution"),
            f"H_out = (H − F + 2P) / S + 1 = ({X.shape[0]} − {f1.shape[0]} + 2·0) / 1 + 1",
            _t(
                f"A 2×2 filter slides over the 3×3 input with stride 1 and no padding: it fits in {ho} positions "
                f"per row and {wo} per column, so each feature map is {ho}×{wo}.",
                f"Un filtre 2×2 glisse sur l'entrée 3×3 avec un pas de 1 et sans padding : il tient dans {ho} "
                f"positions par ligne et {wo} par colonne, donc chaque carte de caractéristiques est {ho}×{wo}.",
            ),
            {"H": X.shape[0], "W": X.shape[1], "F": f1.shape[0], "P": 0, "S": 1},
            {"height": ho, "width": wo},
        ),
    ]
    for k, (name, kernel) in enumerate((("f1", f1), ("f2", f2)), start=1):
        steps.append(
            _step(
                f"conv_o{k}",
                "III.1",
                _t(f"Convolution O{k} = X ∗ {name}", f"Convolution O{k} = X ∗ {name}"),
                f"O{k}[i,j] = Σ_m Σ_n X[i+m, j+n] · {name}[m,n]",
                _t(
                    f"Place {name} on each 2×2 window of X, multiply cell by cell and add the four products. As in the "
                    "course, this 'convolution' is a cross-correlation: the kernel is not flipped.",
                    f"On pose {name} sur chaque fenêtre 2×2 de X, on multiplie case par case et on additionne les quatre "
                    "produits. Comme dans le cours, cette « convolution » est une corrélation croisée : le noyau n'est "
                    "pas retourné.",
                ),
                {"X": X, name: kernel},
                {f"O{k}": O[k - 1], "positions": correlation_positions(X, kernel)},
                {
                    "input": "X",
                    "kernel": name,
                    "windows": [
                        {"output": p["output"], "rows": p["rows"], "cols": p["cols"]}
                        for p in correlation_positions(X, kernel)
                    ],
                },
            )
        )
    steps += [
        _step(
            "relu",
            "III.2",
            _t("ReLU activation", "Activation ReLU"),
            "ReLU(O) = max(0, O)",
            _t(
                "Negative values become 0, the others pass unchanged.",
                "Les valeurs négatives deviennent 0, les autres passent telles quelles.",
            ),
            {"O1": O[0], "O2": O[1]},
            {"relu_O1": R[0], "relu_O2": R[1]},
            {"zeroed": {"O1": _positions(O[0] <= 0), "O2": _positions(O[1] <= 0)}},
        ),
        _step(
            "max_pool",
            "III.3",
            _t("Max pooling (2×2, the whole map)", "Max pooling (2×2, toute la carte)"),
            "P = max(ReLU(O))",
            _t(
                "Each 2×2 map keeps its largest value. The position of the maximum is remembered: the backward pass "
                "will send the gradient there (first maximum in reading order if there is a tie).",
                "Chaque carte 2×2 garde sa plus grande valeur. La position du maximum est retenue : la "
                "rétropropagation y renverra le gradient (premier maximum dans l'ordre de lecture en cas d'égalité).",
            ),
            {"ReLU(O1)": R[0], "ReLU(O2)": R[1]},
            {"max_pooling_1": P[0, 0, 0], "max_pooling_2": P[1, 0, 0], "argmax_1": argmax[0], "argmax_2": argmax[1]},
            {"argmax": {"O1": argmax[0], "O2": argmax[1]}},
        ),
        _step(
            "flatten",
            "III.4",
            _t("Flattening", "Aplatissement (flatten)"),
            "x = Flatten(P) = [P1, P2]",
            _t(
                "The two pooled values are stacked into the vector x.",
                "Les deux valeurs après pooling sont empilées dans le vecteur x.",
            ),
            {"P1": P[0, 0, 0], "P2": P[1, 0, 0]},
            {"x": x},
        ),
        _step(
            "dense",
            "III.5",
            _t("Fully connected layer z = W·x + b", "Couche entièrement connectée z = W·x + b"),
            "z_i = W[i,0]·x_0 + W[i,1]·x_1 + b_i",
            _t(
                "Each output neuron multiplies x by its row of W and adds its bias: " + z_written,
                "Chaque neurone de sortie multiplie x par sa ligne de W et ajoute son biais : " + z_written,
            ),
            {"W": W, "x": x, "b": b},
            {"z": z, "terms": W * x[None, :], "bias": b},
            {"rows": {"z1": [0], "z2": [1]}},
        ),
        _step(
            "softmax",
            "III.6",
            _t("Softmax", "Softmax"),
            "ŷ_i = e^(z_i) / Σ_j e^(z_j)",
            _t(
                "Exponentials made into probabilities that add up to 1.",
                "Les exponentielles sont normalisées en probabilités dont la somme vaut 1.",
            ),
            {"z": z},
            {"exp_z": np.exp(z), "y_hat": y_hat},
        ),
        _step(
            "loss",
            "IV.1",
            _t("Cross-entropy loss", "Perte d'entropie croisée"),
            "L = −Σ_i y_i · ln(ŷ_i)",
            _t(
                "With a one-hot target only the true class counts: L = −ln(ŷ of the true class). The logarithm is "
                "the natural one (ln).",
                "Avec une cible one-hot seule la vraie classe compte : L = −ln(ŷ de la vraie classe). Le logarithme "
                "est le logarithme népérien (ln).",
            ),
            {"y": y, "y_hat": y_hat},
            {"loss": loss},
        ),
        _step(
            "dL_dz",
            "IV.2",
            _t("Gradient with respect to the logits", "Gradient par rapport aux logits"),
            "∂L/∂z_i = ŷ_i − y_i",
            _t(
                "Softmax and cross-entropy together have this very simple derivative.",
                "Softmax et entropie croisée ensemble ont cette dérivée très simple.",
            ),
            {"y_hat": y_hat, "y": y},
            {"dL_dz": back["dL_dz"]},
        ),
        _step(
            "dL_dW",
            "IV.2",
            _t("Gradient of the weights", "Gradient des poids"),
            "∂L/∂W[i,j] = ∂L/∂z_i · x_j   (∂L/∂W = ∂L/∂z · xᵀ)",
            _t(
                "Weight W[i,j] multiplies x_j inside z_i, so its gradient is ∂L/∂z_i times x_j.",
                "Le poids W[i,j] multiplie x_j dans z_i, donc son gradient est ∂L/∂z_i fois x_j.",
            ),
            {"dL_dz": back["dL_dz"], "x": x},
            {"dL_dW": back["dL_dW"]},
            {"outer": ["dL_dz", "x"]},
        ),
        _step(
            "dL_db",
            "IV.2",
            _t("Gradient of the biases", "Gradient des biais"),
            "∂L/∂b_i = ∂L/∂z_i",
            _t("A bias is added to z_i with weight 1.", "Un biais est ajouté à z_i avec un poids de 1."),
            {"dL_dz": back["dL_dz"]},
            {"dL_db": back["dL_db"]},
        ),
        _step(
            "dL_dx",
            "IV.3",
            _t("Gradient with respect to the flattened vector", "Gradient par rapport au vecteur aplati"),
            "∂L/∂x_j = Σ_i ∂L/∂z_i · W[i,j]   (Wᵀ · ∂L/∂z)",
            _t(
                "x_j feeds both neurons, so its gradient adds both paths: " + dx_written,
                "x_j alimente les deux neurones, son gradient additionne donc les deux chemins : " + dx_written,
            ),
            {"W": W, "dL_dz": back["dL_dz"]},
            {"dL_dx": back["dL_dx"]},
        ),
        _step(
            "pool_backward",
            "IV.3",
            _t("Back through max pooling", "Retour à travers le max pooling"),
            "dmax_k[i,j] = ∂L/∂x_k if (i,j) = argmax_k, else 0",
            _t(
                "Only the maximum influenced the output, so it receives the whole gradient; the other cells get 0.",
                "Seul le maximum a influencé la sortie : il reçoit tout le gradient, les autres cases reçoivent 0.",
            ),
            {"dL_dx": back["dL_dx"], "argmax_1": argmax[0], "argmax_2": argmax[1]},
            {"dmax_pooling_1": back["dmax_pooling_1"], "dmax_pooling_2": back["dmax_pooling_2"]},
            {"routed_to": {"map1": argmax[0], "map2": argmax[1]}},
        ),
        _step(
            "relu_backward",
            "IV.4",
            _t("Back through ReLU", "Retour à travers ReLU"),
            "G_k = dmax pooling k · [O_k > 0]",
            _relu_backward_explanation(O, argmax),
            {
                "dmax_pooling_1": back["dmax_pooling_1"],
                "dmax_pooling_2": back["dmax_pooling_2"],
                "O1": O[0],
                "O2": O[1],
            },
            {
                "mask_1": (O[0] > 0).astype(float),
                "mask_2": (O[1] > 0).astype(float),
                "G1": back["G1"],
                "G2": back["G2"],
            },
            {
                "blocked": {
                    "map1": _positions((O[0] <= 0) & (back["dmax_pooling_1"] != 0)),
                    "map2": _positions((O[1] <= 0) & (back["dmax_pooling_2"] != 0)),
                }
            },
        ),
    ]
    for k, name in enumerate(("f1", "f2"), start=1):
        G = back[f"G{k}"]
        steps.append(
            _step(
                f"dL_d{name}",
                "IV.4",
                _t(f"Gradient of the filter {name}", f"Gradient du filtre {name}"),
                f"∂L/∂{name}[m,n] = Σ_i Σ_j G{k}[i,j] · X[i+m, j+n]   (X ∗ G{k})",
                _t(
                    f"Each weight of {name} met, at every output position, one pixel of X: its gradient adds those pixels "
                    f"weighted by the gradient G{k} of the output. This is X correlated with G{k}.",
                    f"Chaque poids de {name} a rencontré, à chaque position de sortie, un pixel de X : son gradient "
                    f"additionne ces pixels pondérés par le gradient G{k} de la sortie. C'est X corrélé avec G{k}.",
                ),
                {"X": X, f"G{k}": G},
                {f"dL_d{name}": back[f"dL_d{name}"], f"G{k}": G, "positions": correlation_positions(X, G)},
                {"input": "X", "gradient": f"G{k}", "nonzero": _positions(G != 0)},
            )
        )
    steps.append(
        _step(
            "rotate_filters",
            "IV.4",
            _t("Filters rotated by 180°", "Filtres tournés de 180°"),
            "rot180(f)[m,n] = f[1−m, 1−n]",
            _t(
                "To send the gradient back to the image, each filter is turned upside down and left to right.",
                "Pour renvoyer le gradient vers l'image, chaque filtre est retourné haut-bas et gauche-droite.",
            ),
            {"f1": f1, "f2": f2},
            {"rot180_f1": rot1, "rot180_f2": rot2},
            {"rotated": {"f1": rot1, "f2": rot2}},
        )
    )
    for k, (name, rot) in enumerate((("f1", rot1), ("f2", rot2)), start=1):
        padded = np.pad(back[f"G{k}"], 1)
        steps.append(
            _step(
                f"dX{k}",
                "IV.4",
                _t(
                    f"X′{k}: full convolution of G{k} with rot180({name})",
                    f"X′{k} : convolution complète de G{k} avec rot180({name})",
                ),
                f"X′{k} = full conv(G{k}, rot180({name})) = pad(G{k}, 1) ∗ rot180({name})",
                _t(
                    f"Pad G{k} with a border of zeros and slide the rotated filter over it: each pixel of X receives the "
                    f"gradient of every output it contributed to, weighted by the {name} entry that multiplied it.",
                    f"On entoure G{k} d'une bordure de zéros et on y fait glisser le filtre tourné : chaque pixel de X "
                    f"reçoit le gradient de chaque sortie à laquelle il a contribué, pondéré par le coefficient de {name} "
                    "qui l'a multiplié.",
                ),
                {f"G{k}": back[f"G{k}"], f"rot180_{name}": rot},
                {
                    f"X{k}_prime": back[f"X{k}_prime"],
                    f"padded_G{k}": padded,
                    "positions": correlation_positions(padded, rot),
                },
                {
                    "padded_gradient": f"padded_G{k}",
                    "rotated_kernel": rot,
                    "nonzero": _positions(back[f"X{k}_prime"] != 0),
                },
            )
        )
    steps += [
        _step(
            "dL_dX",
            "IV.4",
            _t("Gradient with respect to the input image", "Gradient par rapport à l'image d'entrée"),
            "∂L/∂X = X′1 + X′2",
            _t(
                "X fed both filters, so the two contributions add up.",
                "X alimente les deux filtres : les deux contributions s'additionnent.",
            ),
            {"X1_prime": back["X1_prime"], "X2_prime": back["X2_prime"]},
            {"dL_dX": back["dL_dX"]},
        ),
        _step(
            "update_W",
            "IV.5",
            _t("Gradient descent on W", "Descente de gradient sur W"),
            "W_new = W − η · ∂L/∂W",
            _t(
                f"Each weight moves against its gradient, by η = {fmt(eta, 6)} times it.",
                f"Chaque poids se déplace à l'opposé de son gradient, de η = {fmt(eta, 6)} fois celui-ci.",
            ),
            {"W": W, "dL_dW": back["dL_dW"], "eta": eta},
            {"W_new": back["W_new"]},
        ),
        _step(
            "update_b",
            "IV.5",
            _t("Gradient descent on b", "Descente de gradient sur b"),
            "b_new = b − η · ∂L/∂b",
            _t("Same rule for the biases.", "Même règle pour les biais."),
            {"b": b, "dL_db": back["dL_db"], "eta": eta},
            {"b_new": back["b_new"]},
        ),
    ]
    for name in ("f1", "f2"):
        steps.append(
            _step(
                f"update_{name}",
                "IV.5",
                _t(f"Gradient descent on {name}", f"Descente de gradient sur {name}"),
                f"{name}_new = {name} − η · ∂L/∂{name}",
                _t(
                    "The filters learn with the same rule. Weights whose gradient is 0 do not move.",
                    "Les filtres apprennent avec la même règle. Les poids dont le gradient est nul ne bougent pas.",
                ),
                {name: inputs[name], f"dL_d{name}": back[f"dL_d{name}"], "eta": eta},
                {f"{name}_new": back[f"{name}_new"]},
                {"changed": _positions(back[f"dL_d{name}"] != 0)},
            )
        )
    steps.append(
        _step(
            "after_update",
            "IV.5",
            _t("After the step: the same input again", "Après le pas : la même entrée à nouveau"),
            "L_new = −Σ_i y_i · ln(softmax(W_new · x_new + b_new)_i)",
            _t(
                "Running the forward pass again with the updated weights shows what one step of learning did: the "
                "probability of the true class goes up and the loss goes down (for a small enough η).",
                "Refaire la propagation avant avec les poids mis à jour montre l'effet d'un pas d'apprentissage : la "
                "probabilité de la vraie classe monte et la perte baisse (pour un η assez petit).",
            ),
            {"f1_new": back["f1_new"], "f2_new": back["f2_new"], "W_new": back["W_new"], "b_new": back["b_new"]},
            {
                "z_new": after["z_new"],
                "y_hat_new": after["y_hat_new"],
                "loss_new": after["loss_new"],
                "loss_change": after["loss_new"] - loss,
            },
        )
    )
    return steps


# ------------------------------------------------------------------------------------------------------------
# Comparing with the document
# ------------------------------------------------------------------------------------------------------------
def _classify(printed: str, computed: float, carried: float | None) -> str:
    tol = _tolerance(printed)
    value = float(printed)
    if abs(value - computed) <= tol:
        return "match"
    if carried is not None and abs(value - carried) <= tol:
        return "rounding"
    return "mismatch"


def _explain(template: Text, **numbers) -> Text:
    shown = {k: fmt(v, 5) if not isinstance(v, str) else v for k, v in numbers.items()}
    return {lang: text.format(**shown) for lang, text in template.items()}


def _compare_step(step: dict[str, Any], computed: dict[str, Any], carried: dict[str, Any]) -> None:
    """Fill ``document``, ``comparisons`` and ``mismatches`` of one step from DOCUMENT_VALUES."""
    entries = DOCUMENT_VALUES.get(step["id"])
    if not entries:
        return
    step["document"] = {name: _parse(printed) for name, _, printed in entries}
    for name, key, printed in entries:
        value = np.asarray(computed[key], dtype=np.float64)
        chain = carried.get(key)
        cells = []
        for index, text in _flat_printed(printed):
            c = float(value[index]) if index else float(value)
            carried_value = None if chain is None else float(np.asarray(chain)[index] if index else chain)
            status = _classify(text, c, carried_value)
            cells.append((index, status))
            if status == "mismatch":
                template = SLIP_EXPLANATIONS.get((step["id"], name, index or None), GENERIC_SLIP)
                extra = (
                    {
                        "doc_log10": -math.log10(float(DOCUMENT_Y_HAT[1])),
                        "y2": computed["y_hat"][1],
                        "loss": computed["loss"],
                    }
                    if step["id"] == "loss"
                    else {}
                )
                mismatch = {
                    "name": name,
                    "kind": "value",
                    "computed": c,
                    "document": float(text),
                    "explanation": _explain(template, value=c, document=text, **extra),
                }
                if index:
                    mismatch["index"] = list(index)
                step["mismatches"].append(mismatch)
        worst = max((s for _, s in cells), key=["match", "rounding", "mismatch"].index)
        cell_status = _nest(printed, dict(cells))
        step["comparisons"].append(
            {
                "name": name,
                "key": key,
                "document": _parse(printed),
                "computed": _py(value),
                "status": worst,
                "cell_status": cell_status,
            }
        )


def _nest(printed, statuses: dict, prefix: tuple = ()) -> Any:
    if isinstance(printed, str):
        return statuses[prefix]
    return [_nest(p, statuses, (*prefix, i)) for i, p in enumerate(printed)]


# Slips that are not a printed number: expressions, labels, notation and drawings of sections III–IV.
# (step id, kind, name, the document's text, the correct text written from the computed values, explanation)
TextSlip = tuple[str, str, str, str, Callable[[], str], Text]


def _text_slips(v: dict[str, Any]) -> list[TextSlip]:
    W, b, x, z = v["W"], v["b"], v["x"], v["z"]
    written_z1 = x[0] * W[0, 0] + x[1] * W[0, 0] + b[0]
    written_z2 = x[0] * W[1, 0] + x[1] * W[1, 1] - b[0]
    return [
        (
            "dense",
            "formula",
            "z1 expression",
            "Z1 = (10 × 0.5) + (8 × 0.5) + 1.2 = 3.8",
            lambda: written_neuron(0, x, W, b, z),
            _t(
                f"The second weight of neuron 1 is −0.3, not 0.5: the expression as written gives {fmt(written_z1)}; "
                "the printed result 3.8 is right.",
                f"Le second poids du neurone 1 vaut −0,3 et non 0,5 : l'expression telle qu'écrite donne "
                f"{fmt(written_z1)} ; le résultat imprimé 3,8 est juste.",
            ),
        ),
        (
            "dense",
            "formula",
            "z2 expression",
            "Z2 = (10 × −0.2) + (8 × 0.7) − 1.2 = 3.1",
            lambda: written_neuron(1, x, W, b, z),
            _t(
                f"The bias of neuron 2 is −0.5, not −1.2 (the bias of neuron 1 with a minus sign): as written the "
                f"expression gives {fmt(written_z2)}; the printed result 3.1 is right.",
                f"Le biais du neurone 2 vaut −0,5 et non −1,2 (le biais du neurone 1 avec un signe moins) : telle "
                f"qu'écrite l'expression donne {fmt(written_z2)} ; le résultat imprimé 3,1 est juste.",
            ),
        ),
        (
            "dL_dz",
            "notation",
            "∂L/∂z2 label",
            "∂L/∂z = 0.33 − 1 = −0.67",
            lambda: f"∂L/∂z2 = {fmt(v['y_hat'][1])} − {fmt(v['y'][1])} = {fmt(v['dL_dz'][1])}",
            _t(
                "The index is missing: this line is ∂L/∂z2 (the value is right).",
                "L'indice manque : cette ligne est ∂L/∂z2 (la valeur est juste).",
            ),
        ),
        (
            "dL_dW",
            "notation",
            "∂z_i/∂w",
            "∂L/∂w_f = ∂L/∂z_i · ∂z_i/∂w_f  with  ∂z_i/∂w_f = x_i",
            lambda: "∂L/∂W[i,j] = ∂L/∂z_i · x_j   (∂z_i/∂W[i,j] = x_j)",
            _t(
                "The weight W[i,j] multiplies x_j, so ∂z_i/∂W[i,j] = x_j, not x_i (the numbers that follow are right).",
                "Le poids W[i,j] multiplie x_j, donc ∂z_i/∂W[i,j] = x_j et non x_i (les nombres qui suivent sont "
                "justes).",
            ),
        ),
        (
            "dL_dx",
            "formula",
            "∂L/∂x formula",
            "∂L/∂x_i = ∂L/∂z_i · w1 + ∂L/∂z_i · w2  (with ∂z_i/∂x_i = w_i); then ∂L/∂x = … twice",
            lambda: "∂L/∂x_j = ∂L/∂z1 · W[1,j] + ∂L/∂z2 · W[2,j]   (Wᵀ · ∂L/∂z)",
            _t(
                "x_j feeds both z1 and z2, so the sum runs over the two neurons (∂L/∂z1 and ∂L/∂z2, not ∂L/∂z_i twice), "
                "and the two results lack their index (∂L/∂x1, ∂L/∂x2). The numbers 0.469 and −0.67 use the right sum.",
                "x_j alimente z1 et z2 : la somme porte sur les deux neurones (∂L/∂z1 et ∂L/∂z2, pas deux fois "
                "∂L/∂z_i), et les deux résultats n'ont pas d'indice (∂L/∂x1, ∂L/∂x2). Les nombres 0,469 et −0,67 "
                "utilisent la bonne somme.",
            ),
        ),
        (
            "dL_df1",
            "notation",
            "∂L/∂f operator",
            "∂L/∂f1 = X × [[0, 0], [0.469, 0]]  (and the same for f2)",
            lambda: "∂L/∂f1 = X ∗ G1   (cross-correlation, as the document later writes Conv(X, ·))",
            _t(
                "'×' suggests a matrix product, which is not even defined between a 3×3 and a 2×2 matrix: it is the "
                "same sliding-window operation as the forward convolution.",
                "« × » évoque un produit matriciel, qui n'est même pas défini entre une matrice 3×3 et une matrice 2×2 : "
                "c'est la même opération de fenêtre glissante que la convolution avant.",
            ),
        ),
        (
            "rotate_filters",
            "label",
            "rot180(f1) label",
            "Pour f1 = [[-1, 2], [0, 1]]",
            lambda: f"rot180(f1) = {fmt(np.rot90(v['f1'], 2).tolist())}",
            _t(
                "This matrix is f1 turned by 180°, not f1 (f1 = [[1, 0], [2, -1]]); it happens to equal f2, which makes "
                "the label especially confusing.",
                "Cette matrice est f1 tourné de 180°, pas f1 (f1 = [[1, 0], [2, -1]]) ; elle se trouve être égale à f2, "
                "ce qui rend l'étiquette particulièrement trompeuse.",
            ),
        ),
        (
            "rotate_filters",
            "label",
            "rot180(f2) label",
            "f2 = [[1, 0], [2, -1]]",
            lambda: f"rot180(f2) = {fmt(np.rot90(v['f2'], 2).tolist())}",
            _t(
                "This matrix is f2 turned by 180° (it happens to equal f1), not f2 = [[-1, 2], [0, 1]].",
                "Cette matrice est f2 tourné de 180° (elle se trouve être égale à f1), pas f2 = [[-1, 2], [0, 1]].",
            ),
        ),
        (
            "dX2",
            "drawing",
            "X′2 drawing",
            "intermediate drawing of X′2: '… ⇒ (5)' and a 3×2 matrix [[0, 0], [0.67, -1.34], [0, 0.67]]",
            lambda: f"X′2 = {fmt(v['X2_prime'].tolist())}",
            _t(
                "The step-by-step drawing of X′2 ends on a circled '5' instead of a result, and its last matrix has "
                "lost a column and the sign of −0.67.",
                "Le dessin pas à pas de X′2 se termine par un « 5 » entouré au lieu d'un résultat, et sa dernière "
                "matrice a perdu une colonne et le signe de −0,67.",
            ),
        ),
        (
            "dL_dX",
            "notation",
            "∂L/∂x_10 names",
            "∂L/∂x_10 = 1.139, ∂L/∂x_11 = −1.34, ∂L/∂x_20 = 0.938, ∂L/∂x_21 = −1.139",
            lambda: "∂L/∂X[1,0], ∂L/∂X[1,1], ∂L/∂X[2,0], ∂L/∂X[2,1]",
            _t(
                "Lower-case x named the flattened vector [10, 8] earlier; these are entries of ∂L/∂X, the gradient of "
                "the input image.",
                "Le x minuscule désignait plus haut le vecteur aplati [10, 8] ; ce sont des éléments de ∂L/∂X, le "
                "gradient de l'image d'entrée.",
            ),
        ),
    ]


def _code_errata(v: dict[str, Any], model, outputs) -> list[dict[str, Any]]:
    """Bugs of the course's from-scratch code (sections V–VI), each shown on the worked example's numbers."""
    # 1. max_pooling_backward: `break` only leaves the inner loop. A tie in two rows of one window:
    window = np.array([[7.0, 2.0], [7.0, 1.0]])
    pool = MaxPool2D(2)
    pool.forward(window[None, None])
    engine_routing = pool.backward(np.ones((1, 1, 1, 1)))[0, 0]
    course_routing = np.zeros_like(window)
    for m in range(2):  # what the course's loop does: the first maximum of *every row* that holds one
        hits = np.flatnonzero(window[m] == window.max())
        if hits.size:
            course_routing[m, hits[0]] = 1.0
    # 2. compute_gradients divides by m = y_true.shape[0] (the number of classes) — dl_dflattened is not divided
    m = v["y"].size
    # 3. conv_backward: dx uses the rotated kernel with the direct indexing i = m·S + i_out, which is the
    #    gradient of a convolution by rot180(kernel). The engine gives that quantity with the rotated filters.
    flipped = Conv2D(2, 2, use_bias=False)
    flipped.build((1, 3, 3), np.random.default_rng(0), np.float64)
    flipped.params["K"] = np.rot90(model.layer("conv").params["K"], 2, axes=(2, 3)).copy()
    flipped.forward(outputs["input"])
    course_dx = flipped.backward(np.stack([v["G1"], v["G2"]])[None])[0, 0]
    return [
        {
            "section": "V.9",
            "kind": "code",
            "name": "max_pooling_backward",
            "document": {"window": window.tolist(), "gradient_routing": course_routing.tolist()},
            "computed": {"window": window.tolist(), "gradient_routing": engine_routing.tolist()},
            "explanation": _t(
                "Its `break` only leaves the inner loop: when two equal maxima sit in different rows of a window, both "
                "receive the gradient (here twice the gradient in total). One position must get it: the first in "
                "reading order.",
                "Son `break` ne quitte que la boucle intérieure : quand deux maxima égaux sont sur deux lignes d'une "
                "fenêtre, les deux reçoivent le gradient (ici deux fois le gradient au total). Une seule position doit "
                "le recevoir : la première dans l'ordre de lecture.",
            ),
        },
        {
            "section": "V.9",
            "kind": "code",
            "name": "compute_gradients",
            "document": {"m": m, "dL_dW": (v["dL_dW"] / m).tolist(), "dL_db": (v["dL_db"] / m).tolist()},
            "computed": {"dL_dW": v["dL_dW"].tolist(), "dL_db": v["dL_db"].tolist()},
            "explanation": _t(
                f"It divides dl_dw and dl_db by m = y_true.shape[0], the number of classes (10 for MNIST, {m} here), "
                "not a batch size: there is one image per step. Its gradients are therefore 10× too small on MNIST, while "
                "dl_dflattened (and so the filter's gradient) is not divided: the dense layer learns with η/10.",
                f"Elle divise dl_dw et dl_db par m = y_true.shape[0], le nombre de classes (10 pour MNIST, {m} ici), et "
                "non une taille de lot : il y a une image par pas. Ses gradients sont donc 10× trop petits sur MNIST, "
                "alors que dl_dflattened (donc le gradient du filtre) n'est pas divisé : la couche dense apprend avec "
                "η/10.",
            ),
        },
        {
            "section": "V.9",
            "kind": "code",
            "name": "conv_backward (dx)",
            "document": {"dL_dX": course_dx.tolist()},
            "computed": {"dL_dX": v["dL_dX"].tolist()},
            "explanation": _t(
                "Its dx loop multiplies dL_dconv[m, n] by kernel_rotated[i − m·S, j − n·S]; with that indexing the "
                "kernel must not be rotated (the rotation belongs to the 'full convolution' view of section IV.4). Its "
                "dx is wrong unless the kernel is symmetric; the training loop only survives because it ignores dx.",
                "Sa boucle dx multiplie dL_dconv[m, n] par kernel_rotated[i − m·S, j − n·S] ; avec cet indiçage le "
                "noyau ne doit pas être tourné (la rotation appartient à la vue « convolution complète » de la section "
                "IV.4). Son dx est faux sauf si le noyau est symétrique ; la boucle d'entraînement ne s'en sort que "
                "parce qu'elle n'utilise pas dx.",
            ),
        },
        {
            "section": "VI",
            "kind": "text",
            "name": "epochs",
            "document": "epochs = 3, but the printed log shows 'Epoch 1/2', 'Epoch 2/2'",
            "computed": "the log of a run with epochs = 3 shows 'Epoch 1/3' … 'Epoch 3/3'",
            "explanation": _t(
                "The code and the printed training log do not match: the log comes from a 2-epoch run.",
                "Le code et le journal d'entraînement imprimé ne correspondent pas : le journal vient "
                "d'une exécution sur 2 époques.",
            ),
        },
    ]


def _rounding_note(steps: list[dict[str, Any]]) -> dict[str, Any]:
    affected = []
    for step in steps:
        for comp in step["comparisons"]:
            statuses = np.array(comp["cell_status"], dtype=object)
            printed, computed = np.asarray(comp["document"]), np.asarray(comp["computed"])
            for index in np.ndindex(statuses.shape):
                if statuses[index] == "rounding":
                    affected.append(
                        {
                            "step": step["id"],
                            "name": comp["name"],
                            "index": list(index),
                            "document": float(printed[index]),
                            "computed": float(computed[index]),
                        }
                    )
    # a few of them, one per backward step, to show the pattern; then the most visible one (4 printed decimals)
    firsts = [next((a for a in affected if a["step"] == sid), None) for sid in ("dL_dx", "dL_dW", "dL_dX")]
    pairs = [(fmt(a["document"]), fmt(a["computed"])) for a in firsts if a is not None]
    list_en = ", ".join(f"{d} instead of {c}" for d, c in pairs)
    list_fr = ", ".join(f"{d} au lieu de {c}" for d, c in pairs).replace(".", ",")
    w22 = next((a for a in affected if a["name"] == "W_new" and a["index"] == [1, 1]), None)
    example_en = example_fr = ""
    if w22 is not None:
        example_en = (
            f" It shows most where 4 decimals are printed: w22_new = {fmt(w22['document'])} comes from "
            f"the rounded gradient, the exact value is {fmt(w22['computed'], 5)}."
        )
        example_fr = (
            f" Cela se voit surtout là où 4 décimales sont imprimées : w22_new = "
            f"{fmt(w22['document']).replace('.', ',')} vient du gradient arrondi, la valeur exacte est "
            f"{fmt(w22['computed'], 5).replace('.', ',')}."
        )
    y_doc = " / ".join(DOCUMENT_Y_HAT)
    return {
        "section": "III.6–IV.5",
        "kind": "rounding",
        "name": f"ŷ rounded to {y_doc}",
        "document": [float(t) for t in DOCUMENT_Y_HAT],
        "computed": steps_by_id(steps)["softmax"]["values"]["y_hat"],
        "affected": affected,
        "explanation": _t(
            f"The document rounds ŷ to {y_doc} and carries the rounding into every later value ({list_en}...). "
            "Those values are right for the rounded ŷ and are not counted as slips." + example_en,
            f"Le document arrondit ŷ à {y_doc.replace('.', ',')} et reporte cet arrondi dans toutes les valeurs "
            f"suivantes ({list_fr}...). Ces valeurs sont justes pour le ŷ arrondi et ne sont pas comptées comme "
            "des erreurs." + example_fr,
        ),
    }


def steps_by_id(steps: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in steps}


# ------------------------------------------------------------------------------------------------------------
# Public API
# ------------------------------------------------------------------------------------------------------------
def compute_worked_example(X=None, f1=None, f2=None, W=None, b=None, y=None, eta=None) -> dict[str, Any]:
    """The course's worked example, step by step, computed by the engine (float64).

    Every argument defaults to the document's value (``DOCUMENT_INPUTS``): X (3×3), f1, f2 (2×2), W (2×2),
    b (2,), y (one-hot or probabilities, or a label 0/1), eta (> 0). Raises :class:`WorkedExampleInputError`
    for a wrong shape or a non-finite value.

    Returns ``{"inputs", "uses_document_inputs", "steps", "errata"}``; each step is ``{id, section, title,
    formula, explanation, inputs, values, document, comparisons, mismatches, highlight}``. ``document``,
    ``comparisons``, ``mismatches`` and ``errata`` are only filled when the inputs are the document's.
    Inputs so large that the computation overflows are a :class:`WorkedExampleInputError` too."""
    inputs = _validated_inputs(X, f1, f2, W, b, y, eta)
    try:
        # huge inputs (1e200) would overflow to inf/NaN somewhere along the way: say so instead of returning them
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            return _compute(inputs)
    except FloatingPointError:
        raise WorkedExampleInputError(
            "the inputs are too large: the computation overflows (use smaller numbers)"
        ) from None


def _compute(inputs: dict[str, Any]) -> dict[str, Any]:
    model, outputs = _forward(inputs)
    z = outputs["fc"][0]
    loss, probs, dz = softmax_cross_entropy(z, inputs["y"][None])
    back = _backward(model, outputs, dz[0], inputs)
    # one more forward pass with the updated weights: what the step changed
    updated = {**inputs, "f1": back["f1_new"], "f2": back["f2_new"], "W": back["W_new"], "b": back["b_new"]}
    _, outputs_new = _forward(updated)
    loss_new, probs_new, _ = softmax_cross_entropy(outputs_new["fc"][0], inputs["y"][None])
    after = {
        "y_hat": probs[0],
        "loss": loss,
        "z_new": outputs_new["fc"][0],
        "y_hat_new": probs_new[0],
        "loss_new": loss_new,
    }
    steps = _build_steps(inputs, outputs, model.layer("pool"), back, after)
    document = uses_document_inputs(inputs)
    errata: list[dict[str, Any]] = []
    if document:
        errata = _document_errata(steps, inputs, model, outputs, back)
    return {"inputs": _py(inputs), "uses_document_inputs": document, "steps": steps, "errata": errata}


def _document_errata(steps, inputs, model, outputs, back) -> list[dict[str, Any]]:
    """Compare every step with the document and gather the errata (document inputs only)."""
    computed: dict[str, Any] = {}
    for step in steps:
        computed.update({k: np.asarray(v) for k, v in step["values"].items() if k != "positions"})
    # the same backward pass from the document's rounded ŷ: what its own numbers should have given
    y_hat_doc = np.array([float(t) for t in DOCUMENT_Y_HAT])
    doc_model, doc_outputs = _forward(inputs)
    carried = _backward(doc_model, doc_outputs, y_hat_doc - inputs["y"], inputs)
    by_id = steps_by_id(steps)
    errata: list[dict[str, Any]] = []
    for step in steps:
        _compare_step(step, computed, carried)
    all_values = {**inputs, **computed, **{k: np.asarray(v) for k, v in back.items()}}
    for step_id, kind, name, document, correct, explanation in _text_slips(all_values):
        by_id[step_id]["mismatches"].append(
            {"name": name, "kind": kind, "computed": correct(), "document": document, "explanation": explanation}
        )
    for step in steps:
        for mismatch in step["mismatches"]:
            errata.append({"section": step["section"], "step": step["id"], **mismatch})
    errata.append(_rounding_note(steps))
    errata += _code_errata(all_values, model, outputs)
    for number, erratum in enumerate(errata, start=1):
        erratum["id"] = number
        erratum.setdefault("step", None)
    return errata


# ------------------------------------------------------------------------------------------------------------
# Plain-text tables for a terminal (``convstep example``)
# ------------------------------------------------------------------------------------------------------------
LABELS = {
    "en": {
        "quantity": "Quantity",
        "computed": "Computed",
        "document": "Document",
        "status": "",
        "match": "ok",
        "rounding": "≈ rounded",
        "mismatch": "✗ slip",
        "errata": "Errata of the document",
        "section": "Section",
        "what": "What",
        "correct": "Correct",
        "edited": "(inputs differ from the document's: no comparison with its printed values)",
        "title": "The course's worked example, recomputed by the engine (float64)",
        "formula": "formula",
    },
    "fr": {
        "quantity": "Grandeur",
        "computed": "Calculé",
        "document": "Document",
        "status": "",
        "match": "ok",
        "rounding": "≈ arrondi",
        "mismatch": "✗ erreur",
        "errata": "Errata du document",
        "section": "Section",
        "what": "Quoi",
        "correct": "Correct",
        "edited": "(entrées différentes de celles du document : pas de comparaison avec ses valeurs)",
        "title": "L'exemple du cours, recalculé par le moteur (float64)",
        "formula": "formule",
    },
}


def render_table(
    headers: list[str], rows: list[list[str]], widths: list[int], notes: list[str | None] | None = None, indent: int = 5
) -> str:
    """A plain-text table; cells wrap inside their column width. ``notes[k]`` (optional) is printed under row k,
    wrapped to the table's width — for long explanations that would not fit in a column."""
    total = sum(widths) + 2 * (len(widths) - 1)

    def line(cells: list[str]) -> list[str]:
        wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(cells, widths)]
        height = max(len(w) for w in wrapped)
        return [
            "  ".join(f"{(col[k] if k < len(col) else ''):<{w}}" for col, w in zip(wrapped, widths)).rstrip()
            for k in range(height)
        ]

    out = line(headers)
    out.append("  ".join("─" * w for w in widths))
    for k, row in enumerate(rows):
        out += line(row)
        if notes and notes[k]:
            out += textwrap.wrap(notes[k], total, initial_indent=" " * indent, subsequent_indent=" " * indent)
    return "\n".join(out)


def _value_text(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k} = {fmt(v)}" for k, v in value.items())
    return fmt(value)


#: values shown by the web page (window by window) but too detailed for a terminal table
_TERMINAL_HIDDEN = ("positions", "terms", "bias", "exp_z")


def _step_rows(step: dict[str, Any], L: dict[str, str]) -> list[list[str]]:
    """[quantity, computed, document, status] rows: each computed value, with the document's printed version(s)
    beside it; printed values of a step's inputs (e.g. the gradient an update used) come first."""
    comparisons = step["comparisons"]
    shown = [k for k in step["values"] if k not in _TERMINAL_HIDDEN]
    rows = [
        [c["name"], _value_text(c["computed"]), _value_text(c["document"]), L[c["status"]]]
        for c in comparisons
        if c["key"] not in shown
    ]
    no_print = "—" if step["document"] is not None else ""
    for key in shown:
        printed = [c for c in comparisons if c["key"] == key]
        if not printed:
            rows.append([key, _value_text(step["values"][key]), no_print, ""])
        for n, c in enumerate(printed):
            name = key if c["name"] == key else f"{key} ({c['name']})"
            rows.append(
                [name, _value_text(step["values"][key]) if n == 0 else "″", _value_text(c["document"]), L[c["status"]]]
            )
    return rows


def format_tables(result: dict[str, Any] | None = None, lang: str = "en", width: int = 100) -> str:
    """The whole example, then its errata, as plain-text tables (what ``convstep example`` prints).

    ``result``: from :func:`compute_worked_example` (default: the document's example); ``lang``: "en" or "fr";
    ``width``: the terminal width the tables fit in (at least 80)."""
    result = compute_worked_example() if result is None else result
    lang = lang if lang in LABELS else "en"
    L = LABELS[lang]
    width = max(int(width), 80)
    blocks = [L["title"]]
    if not result["uses_document_inputs"]:
        blocks.append(L["edited"])
    compared = result["uses_document_inputs"]
    free = width - 6 - 11  # three gaps of two, the status column
    step_widths = [free * 26 // 100, free * 42 // 100, 0, 9]
    step_widths[2] = free - step_widths[0] - step_widths[1]
    headers = [L["quantity"], L["computed"], L["document"], L["status"]]
    if not compared:  # nothing printed to compare with: two columns
        step_widths, headers = [step_widths[0], width - step_widths[0] - 2], headers[:2]
    for step in result["steps"]:
        explanation = textwrap.fill(step["explanation"][lang], width, initial_indent="    ", subsequent_indent="    ")
        head = f"{step['section']}  {step['title'][lang]}\n    {step['formula']}\n{explanation}"
        rows = [row[: len(headers)] for row in _step_rows(step, L)]
        table = render_table(headers, rows, step_widths)
        blocks.append(head + "\n" + table)
    if result["errata"]:
        free = width - 8 - 3 - 11
        widths = [3, 11, free * 24 // 100, free * 38 // 100, 0]
        widths[4] = free - widths[2] - widths[3]
        rows, notes = [], []
        for e in result["errata"]:
            what = e["name"] + (f" {e['index']}" if e.get("index") else "")
            rows.append([str(e["id"]), e["section"], what, _value_text(e["document"]), _value_text(e["computed"])])
            notes.append(e["explanation"][lang])
        blocks.append(
            L["errata"]
            + "\n"
            + render_table(["#", L["section"], L["what"], L["document"], L["correct"]], rows, widths, notes)
        )
    return "\n\n".join(blocks) + "\n"
