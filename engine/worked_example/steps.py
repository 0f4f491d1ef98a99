"""The worked example as a list of steps: formula, explanation, inputs, values and what to highlight.

Titles and explanations come from the catalogues (``worked.<step>.title`` / ``worked.<step>.explanation`` in
:mod:`messages`); numbers inside them are written in each reader's language.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from messages import Num, both

from ..conv import conv_output_shape
from ..pooling import MaxPool2D
from .numbers import _positions, _py, in_each_language, par, written_neuron
from .passes import correlation_positions


def _step(
    step_id: str,
    section: str,
    formula: str,
    inputs: dict,
    values: dict,
    highlight: dict | None = None,
    key: str | None = None,
    explanation_key: str | None = None,
    **params: Any,
) -> dict[str, Any]:
    """One step; its words are the catalogue's ``worked.<key>.title`` and ``.explanation`` (key: the step id)."""
    key = key or step_id
    return {
        "id": step_id,
        "section": section,
        "title": both(f"worked.{key}.title", **params),
        "formula": formula,
        "explanation": both(explanation_key or f"worked.{key}.explanation", **params),
        "inputs": _py(inputs),
        "values": _py(values),
        "document": None,
        "comparisons": [],
        "mismatches": [],
        "highlight": _py(highlight or {}),
    }


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
    z_written = in_each_language(lambda lang: ", ".join(written_neuron(i, x, W, b, z, lang) for i in range(2)))
    dz = back["dL_dz"]
    dx_written = in_each_language(
        lambda lang: ", ".join(
            f"∂L/∂x{j + 1} = {par(dz[0], lang)} × {par(W[0, j], lang)} + {par(dz[1], lang)} × {par(W[1, j], lang)}"
            f" = {par(back['dL_dx'][j], lang).strip('()')}"
            for j in range(2)
        )
    )
    at_max = [float(O[k][tuple(argmax[k])]) for k in range(2)]
    steps = [
        _step(
            "output_size",
            "III.1",
            f"H_out = (H − F + 2P) / S + 1 = ({X.shape[0]} − {f1.shape[0]} + 2·0) / 1 + 1",
            {"H": X.shape[0], "W": X.shape[1], "F": f1.shape[0], "P": 0, "S": 1},
            {"height": ho, "width": wo},
            ho=ho,
            wo=wo,
        ),
    ]
    for k, (name, kernel) in enumerate((("f1", f1), ("f2", f2)), start=1):
        steps.append(
            _step(
                f"conv_o{k}",
                "III.1",
                f"O{k}[i,j] = Σ_m Σ_n X[i+m, j+n] · {name}[m,n]",
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
                key="conv",
                k=str(k),
                name=name,
            )
        )
    steps += [
        _step(
            "relu",
            "III.2",
            "ReLU(O) = max(0, O)",
            {"O1": O[0], "O2": O[1]},
            {"relu_O1": R[0], "relu_O2": R[1]},
            {"zeroed": {"O1": _positions(O[0] <= 0), "O2": _positions(O[1] <= 0)}},
        ),
        _step(
            "max_pool",
            "III.3",
            "P = max(ReLU(O))",
            {"ReLU(O1)": R[0], "ReLU(O2)": R[1]},
            {"max_pooling_1": P[0, 0, 0], "max_pooling_2": P[1, 0, 0], "argmax_1": argmax[0], "argmax_2": argmax[1]},
            {"argmax": {"O1": argmax[0], "O2": argmax[1]}},
        ),
        _step(
            "flatten",
            "III.4",
            "x = Flatten(P) = [P1, P2]",
            {"P1": P[0, 0, 0], "P2": P[1, 0, 0]},
            {"x": x},
        ),
        _step(
            "dense",
            "III.5",
            "z_i = W[i,0]·x_0 + W[i,1]·x_1 + b_i",
            {"W": W, "x": x, "b": b},
            {"z": z, "terms": W * x[None, :], "bias": b},
            {"rows": {"z1": [0], "z2": [1]}},
            written=z_written,
        ),
        _step("softmax", "III.6", "ŷ_i = e^(z_i) / Σ_j e^(z_j)", {"z": z}, {"exp_z": np.exp(z), "y_hat": y_hat}),
        _step("loss", "IV.1", "L = −Σ_i y_i · ln(ŷ_i)", {"y": y, "y_hat": y_hat}, {"loss": loss}),
        _step("dL_dz", "IV.2", "∂L/∂z_i = ŷ_i − y_i", {"y_hat": y_hat, "y": y}, {"dL_dz": back["dL_dz"]}),
        _step(
            "dL_dW",
            "IV.2",
            "∂L/∂W[i,j] = ∂L/∂z_i · x_j   (∂L/∂W = ∂L/∂z · xᵀ)",
            {"dL_dz": back["dL_dz"], "x": x},
            {"dL_dW": back["dL_dW"]},
            {"outer": ["dL_dz", "x"]},
        ),
        _step("dL_db", "IV.2", "∂L/∂b_i = ∂L/∂z_i", {"dL_dz": back["dL_dz"]}, {"dL_db": back["dL_db"]}),
        _step(
            "dL_dx",
            "IV.3",
            "∂L/∂x_j = Σ_i ∂L/∂z_i · W[i,j]   (Wᵀ · ∂L/∂z)",
            {"W": W, "dL_dz": back["dL_dz"]},
            {"dL_dx": back["dL_dx"]},
            written=dx_written,
        ),
        _step(
            "pool_backward",
            "IV.3",
            "dmax_k[i,j] = ∂L/∂x_k if (i,j) = argmax_k, else 0",
            {"dL_dx": back["dL_dx"], "argmax_1": argmax[0], "argmax_2": argmax[1]},
            {"dmax_pooling_1": back["dmax_pooling_1"], "dmax_pooling_2": back["dmax_pooling_2"]},
            {"routed_to": {"map1": argmax[0], "map2": argmax[1]}},
        ),
        _step(
            "relu_backward",
            "IV.4",
            "G_k = dmax pooling k · [O_k > 0]",
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
            explanation_key="worked.relu_backward.explanation_"
            + ("passed" if all(v > 0 for v in at_max) else "blocked"),
            o1=at_max[0],
            o2=at_max[1],
        ),
    ]
    for k, name in enumerate(("f1", "f2"), start=1):
        G = back[f"G{k}"]
        steps.append(
            _step(
                f"dL_d{name}",
                "IV.4",
                f"∂L/∂{name}[m,n] = Σ_i Σ_j G{k}[i,j] · X[i+m, j+n]   (X ∗ G{k})",
                {"X": X, f"G{k}": G},
                {f"dL_d{name}": back[f"dL_d{name}"], f"G{k}": G, "positions": correlation_positions(X, G)},
                {"input": "X", "gradient": f"G{k}", "nonzero": _positions(G != 0)},
                key="dL_df",
                k=str(k),
                name=name,
            )
        )
    steps.append(
        _step(
            "rotate_filters",
            "IV.4",
            "rot180(f)[m,n] = f[1−m, 1−n]",
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
                f"X′{k} = full conv(G{k}, rot180({name})) = pad(G{k}, 1) ∗ rot180({name})",
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
                key="dX",
                k=str(k),
                name=name,
            )
        )
    steps += [
        _step(
            "dL_dX",
            "IV.4",
            "∂L/∂X = X′1 + X′2",
            {"X1_prime": back["X1_prime"], "X2_prime": back["X2_prime"]},
            {"dL_dX": back["dL_dX"]},
        ),
        _step(
            "update_W",
            "IV.5",
            "W_new = W − η · ∂L/∂W",
            {"W": W, "dL_dW": back["dL_dW"], "eta": eta},
            {"W_new": back["W_new"]},
            eta=Num(eta, 6),
        ),
        _step(
            "update_b",
            "IV.5",
            "b_new = b − η · ∂L/∂b",
            {"b": b, "dL_db": back["dL_db"], "eta": eta},
            {"b_new": back["b_new"]},
        ),
    ]
    for name in ("f1", "f2"):
        steps.append(
            _step(
                f"update_{name}",
                "IV.5",
                f"{name}_new = {name} − η · ∂L/∂{name}",
                {name: inputs[name], f"dL_d{name}": back[f"dL_d{name}"], "eta": eta},
                {f"{name}_new": back[f"{name}_new"]},
                {"changed": _positions(back[f"dL_d{name}"] != 0)},
                key="update_f",
                name=name,
            )
        )
    steps.append(
        _step(
            "after_update",
            "IV.5",
            "L_new = −Σ_i y_i · ln(softmax(W_new · x_new + b_new)_i)",
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
