"""Slips of the document that are not a printed number — expressions, labels, loose notation, text (sections III–V)
— and bugs of the course's from-scratch code (sections V–VI), each written from the computed values.

Each slip is worded as what it is: a wrong value, a wrong formula, loose notation, a nit; a figure that the
conversion of the document to text garbled is said to be unreadable, not wrong. Words: ``worked.text_slip.*`` and
``worked.code.*`` in :mod:`messages`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from messages import Num, both, message

from ..conv import Conv2D
from ..pooling import MaxPool2D
from .numbers import fmt, written_neuron


def _slip(step: str, kind: str, name: str, document: str, computed: str, key: str, **params) -> dict[str, Any]:
    """A slip that is not a number: ``document`` quotes the document (its own notation), ``computed`` is the
    correct version; ``*_text`` are the same written for each language's reader."""
    return {
        "step": step,
        "kind": kind,
        "name": name,
        "label": both(f"worked.name.{key}"),
        "document": document,
        "computed": computed,
        "explanation": both(f"worked.text_slip.{key}", **params),
    }


def text_slips(v: dict[str, Any]) -> list[dict[str, Any]]:
    """The slips of sections III–V that are not a printed number, in the order of the document."""
    W, b, x, z = v["W"], v["b"], v["x"], v["z"]
    written_z1 = x[0] * W[0, 0] + x[1] * W[0, 0] + b[0]
    written_z2 = x[0] * W[1, 0] + x[1] * W[1, 1] - b[0]
    w12_doc = -0.3 - 0.01 * 5.36  # the document's own figures for w12_new
    rot = {name: np.rot90(v[name], 2).tolist() for name in ("f1", "f2")}
    slips = [
        _slip(
            "dense",
            "formula",
            "z1 expression",
            "Z1 = (10 × 0.5) + (8 × 0.5) + 1.2 = 3.8",
            written_neuron(0, x, W, b, z),
            "z1_expression",
            written=written_z1,
        ),
        _slip(
            "dense",
            "formula",
            "z2 expression",
            "Z2 = (10 × −0.2) + (8 × 0.7) − 1.2 = 3.1",
            written_neuron(1, x, W, b, z),
            "z2_expression",
            written=written_z2,
        ),
        _slip(
            "dL_dz",
            "notation",
            "∂L/∂z2 label",
            "∂L/∂z = 0.33 − 1 = −0.67",
            f"∂L/∂z2 = {fmt(v['y_hat'][1])} − {fmt(v['y'][1])} = {fmt(v['dL_dz'][1])}",
            "dz2_label",
        ),
        _slip(
            "dL_dW",
            "notation",
            "∂z_i/∂w",
            "∂L/∂w_f = ∂L/∂z_i · ∂z_i/∂w_f  with  ∂z_i/∂w_f = x_i",
            "∂L/∂W[i,j] = ∂L/∂z_i · x_j   (∂z_i/∂W[i,j] = x_j)",
            "dz_dw",
        ),
        _slip(
            "dL_dx",
            "text",
            "IV.3 heading",
            message("worked.quote.iv3_heading"),
            "∂L/∂x = Wᵀ · ∂L/∂z   (x = Flatten(P))",
            "iv3_heading",
        ),
        _slip(
            "dL_dx",
            "formula",
            "∂L/∂x formula",
            "∂L/∂x_i = ∂L/∂z_i · w1 + ∂L/∂z_i · w2  (with ∂z_i/∂x_i = w_i); then ∂L/∂x = … twice",
            "∂L/∂x_j = ∂L/∂z1 · W[1,j] + ∂L/∂z2 · W[2,j]   (Wᵀ · ∂L/∂z)",
            "dx_formula",
        ),
        _slip(
            "dL_df1",
            "notation",
            "∂L/∂f operator",
            "∂L/∂f1 = X × [[0, 0], [0.469, 0]],  ∂L/∂f2 = X × [[0, 0], [−0.67, 0]]",
            "∂L/∂f1 = X ∗ G1   (Conv(X, G1))",
            "df_operator",
        ),
        _slip(
            "rotate_filters",
            "notation",
            "rot180(f1) label",
            "Filter rotation 180° : Pour f1 = [[-1, 2], [0, 1]]",
            f"rot180(f1) = {fmt(rot['f1'])}",
            "rot180_f1",
            rotated=rot["f1"],
            original=v["f1"],
        ),
        _slip(
            "rotate_filters",
            "notation",
            "rot180(f2) label",
            "f2 = [[1, 0], [2, -1]]",
            f"rot180(f2) = {fmt(rot['f2'])}",
            "rot180_f2",
            rotated=rot["f2"],
            original=v["f2"],
        ),
        _slip(
            "dX2",
            "unreadable",
            "X′1, X′2 drawings",
            "X′1, X′2: step-by-step figures (… ⇒ ⑤)",
            f"X′1 = {fmt(v['X1_prime'].tolist())}, X′2 = {fmt(v['X2_prime'].tolist())}",
            "drawings_unreadable",
        ),
        _slip(
            "dL_dX",
            "notation",
            "∂L/∂x_10 names",
            "∂L/∂x_10 = 1.139, ∂L/∂x_11 = −1.34, ∂L/∂x_20 = 0.938, ∂L/∂x_21 = −1.139",
            "∂L/∂X[1,0], ∂L/∂X[1,1], ∂L/∂X[2,0], ∂L/∂X[2,1]",
            "dx_names",
        ),
        _slip(
            "update_W",
            "nit",
            "w12_new",
            "w12_new = −0.3 − 0.01 × 5.36 = −0.353",
            f"−0.3 − 0.0536 = {fmt(w12_doc)}",
            "w12_rounding",
            value=Num(w12_doc, 4),
            exact=Num(float(v["W_new"][0, 1]), 5),
        ),
    ]
    return slips


def _code(name: str, section: str, kind: str, document: Any, computed: Any, key: str, **params) -> dict[str, Any]:
    return {
        "section": section,
        "kind": kind,
        "name": name,
        "label": both(f"worked.name.{key}"),
        "document": document,
        "computed": computed,
        "explanation": both(f"worked.code.{key}", **params),
    }


def code_errata(v: dict[str, Any], model, outputs) -> list[dict[str, Any]]:
    """Slips of sections V–VI (the course's from-scratch code and its text), each shown on the example's numbers."""
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
    # 4. add_padding's text: padding keeps the size ("same") — it does not make sizes multiples of the kernel size
    image, kernel = 28, 5
    same_pad = (kernel - 1) // 2
    return [
        _code(
            "add_padding",
            "V.1",
            "text",
            message("worked.quote.add_padding"),
            {"N": image, "F": kernel, "P": same_pad, "N_out": image + 2 * same_pad - kernel + 1},
            "add_padding",
            image=image,
            kernel=kernel,
            padding=same_pad,
        ),
        _code(
            "max_pooling_backward",
            "V.9",
            "code",
            {"window": window.tolist(), "gradient_routing": course_routing.tolist()},
            {"window": window.tolist(), "gradient_routing": engine_routing.tolist()},
            "max_pooling_backward",
        ),
        _code(
            "compute_gradients",
            "V.9",
            "code",
            {"m": m, "dL_dW": (v["dL_dW"] / m).tolist(), "dL_db": (v["dL_db"] / m).tolist()},
            {"dL_dW": v["dL_dW"].tolist(), "dL_db": v["dL_db"].tolist()},
            "compute_gradients",
            m=m,
        ),
        _code(
            "conv_backward (dx)",
            "V.9",
            "code",
            {"dL_dX": course_dx.tolist()},
            {"dL_dX": v["dL_dX"].tolist()},
            "conv_backward_dx",
        ),
        _code(
            "inverse convolution",
            "V.9",
            "text",
            message("worked.quote.inverse_convolution"),
            "dx = full conv(dL_dconv, rot180(kernel))",
            "inverse_convolution",
        ),
        _code(
            "epochs",
            "VI",
            "text",
            "epochs = 3 … Epoch 1/2, Epoch 2/2",
            "epochs = 3 → Epoch 1/3 … Epoch 3/3",
            "epochs",
        ),
    ]


__all__ = ["code_errata", "text_slips"]
