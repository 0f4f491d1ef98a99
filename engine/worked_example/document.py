"""What the course document prints for its worked example (quoted, never computed): its inputs and, per step,
the printed values in the digits it shows."""

from __future__ import annotations

from typing import Any

from messages import both

from ..presets import WORKED_B, WORKED_ETA, WORKED_F1, WORKED_F2, WORKED_W, WORKED_X, WORKED_Y

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

#: printed names that are words, not notation: their catalogue key (``worked.name.<key>``) for each reader
NAME_KEYS: dict[str, str] = {
    "height": "height",
    "width": "width",
    "max pooling 1": "max_pooling_1",
    "max pooling 2": "max_pooling_2",
    "dmax pooling 1": "dmax_pooling_1",
    "dmax pooling 2": "dmax_pooling_2",
    "gradient in F1′ = Conv(X, ·)": "gradient_in_f1_prime",
    "gradient in F2′ = Conv(X, ·)": "gradient_in_f2_prime",
    "X′1 (drawing)": "x1_prime_drawing",
    "∂L/∂f1 used in the update": "df1_in_update",
    "∂L/∂f2 used in the update": "df2_in_update",
}


def name_label(name: str) -> dict[str, str]:
    """``{"en", "fr"}`` label of a printed name: from the catalogue for words, the name itself for notation."""
    key = NAME_KEYS.get(name)
    return both(f"worked.name.{key}") if key else {"en": name, "fr": name}
