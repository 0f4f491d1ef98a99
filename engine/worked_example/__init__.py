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
Slips that are not a number (a wrong expression, a wrong label, a lost sign, bugs of the course's code in
sections V–VI) are listed too, and everything ends up in the result's ``errata``.

The package, one job per module: :mod:`.document` (what the document prints), :mod:`.inputs` (checking a
student's edits), :mod:`.passes` (the forward and backward passes with the engine's layers), :mod:`.steps` (the
steps shown to people), :mod:`.compare` (printed number against computed value), :mod:`.slips` (slips that are
not a number, and the course code's bugs), :mod:`.compute` (the public entry point), :mod:`.tables` (terminal
tables), :mod:`.numbers` (writing numbers). The words are in the server-side catalogues (:mod:`messages`).
"""

from .compare import steps_by_id
from .compute import compute_worked_example
from .document import DOCUMENT_INPUTS, DOCUMENT_VALUES, DOCUMENT_Y_HAT, INPUT_SHAPES
from .inputs import WorkedExampleInputError, uses_document_inputs
from .numbers import fmt, par, written_neuron
from .passes import correlation_positions
from .tables import format_tables, render_table

__all__ = [
    "DOCUMENT_INPUTS",
    "DOCUMENT_VALUES",
    "DOCUMENT_Y_HAT",
    "INPUT_SHAPES",
    "WorkedExampleInputError",
    "compute_worked_example",
    "correlation_positions",
    "fmt",
    "format_tables",
    "par",
    "render_table",
    "steps_by_id",
    "uses_document_inputs",
    "written_neuron",
]
