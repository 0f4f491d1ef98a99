"""Every printed number of the document against the computed value: match, carried rounding or slip."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from messages import LANGS, Num, both, message

from .document import DOCUMENT_VALUES, DOCUMENT_Y_HAT, name_label
from .numbers import Text, _flat_printed, _parse, _py, _tolerance, in_each_language, localize_numbers
from .passes import _backward, _forward
from .slips import code_errata, text_slips

# Why each printed number that is neither the computed value nor its carried rounding is wrong: the catalogue key
# (``worked.slip.<key>``), keyed by (step id, printed name, index); the {braces} are filled with computed values.
SLIP_EXPLANATIONS: dict[tuple[str, str, tuple[int, ...] | None], str] = {
    ("loss", "L", None): "log10",
    ("dL_df1", "F1′", (0, 1)): "f1_prime_copy",
    ("dL_df1", "gradient in F1′ = Conv(X, ·)", (1, 0)): "f1_prime_gradient",
    ("dX1", "X′1", (2, 1)): "x1_prime_sign",
    ("dX2", "X′2", (2, 1)): "x2_prime_sign",
    ("update_f1", "∂L/∂f1 used in the update", (0, 0)): "update_f1_00",
    ("update_f1", "∂L/∂f1 used in the update", (0, 1)): "update_f1_01",
    ("update_f1", "∂L/∂f1 used in the update", (1, 0)): "update_f1_10",
    ("update_f1", "f1_new", (0, 1)): "f1_new_01",
}
GENERIC_SLIP = "generic"


def _classify(printed: str, computed: float, carried: float | None) -> str:
    tol = _tolerance(printed)
    value = float(printed)
    if abs(value - computed) <= tol:
        return "match"
    if carried is not None and abs(value - carried) <= tol:
        return "rounding"
    return "mismatch"


def _explain(key: str, **numbers) -> Text:
    return both(f"worked.slip.{key}", **{k: v if isinstance(v, str) else Num(v, 5) for k, v in numbers.items()})


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
                    "label": name_label(name),
                    "kind": "value",
                    "computed": c,
                    "document": float(text),
                    "explanation": _explain(template, value=c, document=float(text), **extra),
                }
                if index:
                    mismatch["index"] = list(index)
                step["mismatches"].append(mismatch)
        worst = max((s for _, s in cells), key=["match", "rounding", "mismatch"].index)
        cell_status = _nest(printed, dict(cells))
        step["comparisons"].append(
            {
                "name": name,
                "label": name_label(name),
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
    pairs = [(a["document"], a["computed"]) for a in firsts if a is not None]
    instead = {
        lang: ", ".join(message("worked.rounding.instead", lang, document=d, computed=c) for d, c in pairs)
        for lang in LANGS
    }
    w22 = next((a for a in affected if a["name"] == "W_new" and a["index"] == [1, 1]), None)
    example = (
        both("worked.rounding.w22", document=w22["document"], computed=Num(w22["computed"], 5))
        if w22 is not None
        else {lang: "" for lang in LANGS}
    )
    y_doc = [float(t) for t in DOCUMENT_Y_HAT]
    explanation = both("worked.rounding.explanation", y1=y_doc[0], y2=y_doc[1], instead=instead)
    return {
        "section": "III.6–IV.5",
        "kind": "rounding",
        "name": f"ŷ rounded to {' / '.join(DOCUMENT_Y_HAT)}",
        "label": both("worked.name.y_hat_rounded", y1=y_doc[0], y2=y_doc[1]),
        "document": [float(t) for t in DOCUMENT_Y_HAT],
        "computed": steps_by_id(steps)["softmax"]["values"]["y_hat"],
        "affected": affected,
        "explanation": {lang: explanation[lang] + example[lang] for lang in LANGS},
    }


def steps_by_id(steps: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in steps}


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
    for slip in text_slips(all_values):
        by_id[slip.pop("step")]["mismatches"].append(slip)
    for step in steps:
        for mismatch in step["mismatches"]:
            errata.append({"section": step["section"], "step": step["id"], **mismatch})
    errata.append(_rounding_note(steps))
    errata += code_errata(all_values, model, outputs)
    for number, erratum in enumerate(errata, start=1):
        erratum["id"] = number
        erratum.setdefault("step", None)
        erratum.setdefault("label", name_label(erratum["name"]))
        for field in ("document", "computed"):  # quotes and formulas, with each language's numbers
            if isinstance(erratum[field], str):
                erratum[f"{field}_text"] = in_each_language(lambda lang, t=erratum[field]: localize_numbers(t, lang))
    return errata
