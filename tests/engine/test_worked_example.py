"""The course's hand-worked example (seed 000, sections III–IV): values, errata, edits, terminal tables."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from engine import oracles
from engine.worked_example import (
    DOCUMENT_INPUTS,
    WorkedExampleInputError,
    compute_worked_example,
    format_tables,
    steps_by_id,
)

STEP_IDS = [
    "output_size",
    "conv_o1",
    "conv_o2",
    "relu",
    "max_pool",
    "flatten",
    "dense",
    "softmax",
    "loss",
    "dL_dz",
    "dL_dW",
    "dL_db",
    "dL_dx",
    "pool_backward",
    "relu_backward",
    "dL_df1",
    "dL_df2",
    "rotate_filters",
    "dX1",
    "dX2",
    "dL_dX",
    "update_W",
    "update_b",
    "update_f1",
    "update_f2",
    "after_update",
]


@pytest.fixture(scope="module")
def result():
    return compute_worked_example()


@pytest.fixture(scope="module")
def steps(result):
    return steps_by_id(result["steps"])


def value(steps, step_id, key):
    return np.asarray(steps[step_id]["values"][key], dtype=np.float64)


# -- the correct values (checked by hand) ---------------------------------------------------------------------
CORRECT = [
    ("output_size", "height", 2),
    ("output_size", "width", 2),
    ("conv_o1", "O1", [[0, 9], [10, 3]]),
    ("conv_o2", "O2", [[4, 7], [8, -1]]),
    ("relu", "relu_O1", [[0, 9], [10, 3]]),
    ("relu", "relu_O2", [[4, 7], [8, 0]]),
    ("max_pool", "max_pooling_1", 10),
    ("max_pool", "max_pooling_2", 8),
    ("max_pool", "argmax_1", [1, 0]),
    ("max_pool", "argmax_2", [1, 0]),
    ("flatten", "x", [10, 8]),
    ("dense", "z", [3.8, 3.1]),
    ("softmax", "y_hat", [0.66819, 0.33181]),
    ("loss", "loss", 1.10319),
    ("dL_dz", "dL_dz", [0.66819, -0.66819]),
    ("dL_dW", "dL_dW", [[6.68188, 5.34550], [-6.68188, -5.34550]]),
    ("dL_db", "dL_db", [0.66819, -0.66819]),
    ("dL_dx", "dL_dx", [0.46773, -0.66819]),
    ("pool_backward", "dmax_pooling_1", [[0, 0], [0.46773, 0]]),
    ("pool_backward", "dmax_pooling_2", [[0, 0], [-0.66819, 0]]),
    ("relu_backward", "G1", [[0, 0], [0.46773, 0]]),
    ("relu_backward", "G2", [[0, 0], [-0.66819, 0]]),
    ("dL_df1", "dL_df1", [[0.93546, 2.33866], [1.87093, 0]]),
    ("dL_df2", "dL_df2", [[-1.33638, -3.34094], [-2.67275, 0]]),
    ("rotate_filters", "rot180_f1", [[-1, 2], [0, 1]]),
    ("rotate_filters", "rot180_f2", [[1, 0], [2, -1]]),
    ("dX1", "X1_prime", [[0, 0, 0], [0.46773, 0, 0], [0.93546, -0.46773, 0]]),
    ("dX2", "X2_prime", [[0, 0, 0], [0.66819, -1.33638, 0], [0, -0.66819, 0]]),
    ("dL_dX", "dL_dX", [[0, 0, 0], [1.13592, -1.33638, 0], [0.93546, -1.13592, 0]]),
    ("update_W", "W_new", [[0.43318, -0.35346], [-0.13318, 0.75346]]),
    ("update_b", "b_new", [1.19332, -0.49332]),
    ("update_f1", "f1_new", [[0.990645, -0.023387], [1.981291, -1]]),
    ("update_f2", "f2_new", [[-0.986636, 2.033409], [0.026728, 1]]),
]


@pytest.mark.parametrize("step_id,key,expected", CORRECT, ids=[f"{s}.{k}" for s, k, _ in CORRECT])
def test_every_value_of_the_example_is_right(steps, step_id, key, expected):
    np.testing.assert_allclose(value(steps, step_id, key), expected, rtol=0, atol=6e-6)


def test_steps_come_in_the_course_order_with_both_languages(result):
    assert [s["id"] for s in result["steps"]] == STEP_IDS
    for step in result["steps"]:
        assert step["section"].startswith(("III.", "IV."))
        for field in ("title", "explanation"):
            assert set(step[field]) == {"en", "fr"} and all(step[field].values()), (step["id"], field)
        assert step["formula"]
        assert step["values"]


def test_the_loss_uses_the_natural_log(steps):
    y_hat = value(steps, "softmax", "y_hat")
    assert value(steps, "loss", "loss") == pytest.approx(-np.log(y_hat[1]), abs=1e-12)
    assert value(steps, "after_update", "loss_new") < value(steps, "loss", "loss")
    assert value(steps, "after_update", "y_hat_new")[1] > y_hat[1]


def test_convolution_steps_write_each_output_position_out(steps):
    X = np.array(DOCUMENT_INPUTS["X"], dtype=float)
    f1 = np.array(DOCUMENT_INPUTS["f1"], dtype=float)
    positions = steps["conv_o1"]["values"]["positions"]
    assert [p["output"] for p in positions] == [[0, 0], [0, 1], [1, 0], [1, 1]]
    p = positions[2]  # O1(1,0) = 2·1 + 5·0 + 4·2 + 0·(−1) = 10
    assert p["window"] == [[2, 5], [4, 0]] and p["products"] == [[2, 0], [8, 0]] and p["sum"] == 10
    for p in positions:
        i, j = p["output"]
        assert p["sum"] == pytest.approx((X[i : i + 2, j : j + 2] * f1).sum())
    windows = steps["conv_o1"]["highlight"]["windows"]
    assert windows[3] == {"output": [1, 1], "rows": [1, 2], "cols": [1, 2]}
    assert steps["max_pool"]["highlight"]["argmax"] == {"O1": [1, 0], "O2": [1, 0]}
    assert steps["rotate_filters"]["highlight"]["rotated"]["f1"] == [[-1, 2], [0, 1]]
    assert steps["relu"]["highlight"]["zeroed"] == {"O1": [[0, 0]], "O2": [[1, 1]]}


def test_the_dense_step_writes_both_components_out(steps):
    terms = value(steps, "dense", "terms")
    np.testing.assert_allclose(terms, [[5.0, -2.4], [-2.0, 5.6]])
    np.testing.assert_allclose(terms.sum(axis=1) + value(steps, "dense", "bias"), [3.8, 3.1])
    text = steps["dense"]["explanation"]["en"]
    assert "(8 × (-0.3)) + 1.2 = 3.8" in text and "(8 × 0.7) + (-0.5) = 3.1" in text


def test_the_full_convolutions_match_the_course_picture(steps):
    for k, f in ((1, "f1"), (2, "f2")):
        G = value(steps, "relu_backward", f"G{k}")
        kernel = np.array(DOCUMENT_INPUTS[f], dtype=float)
        np.testing.assert_allclose(
            value(steps, f"dX{k}", f"X{k}_prime"), oracles.full_convolution(G, kernel), atol=1e-12
        )
    np.testing.assert_allclose(
        value(steps, "dL_dX", "dL_dX"), value(steps, "dX1", "X1_prime") + value(steps, "dX2", "X2_prime"), atol=1e-12
    )


def test_result_is_plain_json(result):
    text = json.dumps(result, allow_nan=False)
    assert json.loads(text)["steps"][8]["values"]["loss"] == pytest.approx(1.1031860488854)


# -- the document's printed values and its slips ------------------------------------------------------------------
# (step, printed name, index, printed value, correct value)
VALUE_SLIPS = {
    ("loss", "L", None): (0.48, 1.10319),
    ("dL_df1", "F1′", (0, 1)): (2.45, 2.33866),
    ("dL_df1", "gradient in F1′ = Conv(X, ·)", (1, 0)): (0.67, 0.46773),
    ("dX1", "X′1", (2, 1)): (0.469, -0.46773),
    ("dX2", "X′2", (2, 1)): (0.67, -0.66819),
    ("update_f1", "∂L/∂f1 used in the update", (0, 0)): (0.98, 0.93546),
    ("update_f1", "∂L/∂f1 used in the update", (0, 1)): (2.45, 2.33866),
    ("update_f1", "∂L/∂f1 used in the update", (1, 0)): (1.98, 1.87093),
    ("update_f1", "f1_new", (0, 1)): (-0.0245, -0.023387),
}
TEXT_SLIPS = {  # (step, kind, name): a fragment of the quoted text
    ("dense", "formula", "z1 expression"): "(8 × 0.5)",
    ("dense", "formula", "z2 expression"): "− 1.2",
    ("dL_dz", "notation", "∂L/∂z2 label"): "∂L/∂z = 0.33",
    ("dL_dW", "notation", "∂z_i/∂w"): "= x_i",
    ("dL_dx", "formula", "∂L/∂x formula"): "∂L/∂z_i · w1 + ∂L/∂z_i · w2",
    ("dL_df1", "notation", "∂L/∂f operator"): "X ×",
    ("rotate_filters", "notation", "rot180(f1) label"): "f1 = [[-1, 2], [0, 1]]",
    ("rotate_filters", "notation", "rot180(f2) label"): "f2 = [[1, 0], [2, -1]]",
    ("dL_dx", "text", "IV.3 heading"): "carte de caractéristiques activée",
    ("dX2", "unreadable", "X′1, X′2 drawings"): "⑤",
    ("dL_dX", "notation", "∂L/∂x_10 names"): "∂L/∂x_10",
    ("update_W", "nit", "w12_new"): "−0.353",
}


def test_every_value_slip_is_listed_with_the_printed_and_the_computed_value(result):
    found = {}
    for e in result["errata"]:
        if e["kind"] == "value":
            found[(e["step"], e["name"], tuple(e["index"]) if "index" in e else None)] = e
    assert found.keys() == VALUE_SLIPS.keys()  # these and no others
    for key, (printed, correct) in VALUE_SLIPS.items():
        e = found[key]
        assert e["document"] == pytest.approx(printed)
        assert e["computed"] == pytest.approx(correct, abs=6e-6)
        assert e["explanation"]["en"] and e["explanation"]["fr"]
        assert e["explanation"]["en"] != e["explanation"]["fr"]


def test_the_loss_erratum_explains_log_base_10(result):
    e = next(e for e in result["errata"] if e.get("step") == "loss")
    assert (
        "log10" in e["explanation"]["en"] and "0.48" in e["explanation"]["en"] and "1.10319" in e["explanation"]["en"]
    )
    assert "népérien" in e["explanation"]["fr"]


def test_every_text_slip_is_listed(result):
    found = {
        (e["step"], e["kind"], e["name"]): e
        for e in result["errata"]
        if e["kind"] in ("formula", "notation", "label", "drawing", "unreadable", "nit") or e.get("step") == "dL_dx"
    }
    assert found.keys() == TEXT_SLIPS.keys()
    for key, fragment in TEXT_SLIPS.items():
        assert fragment in found[key]["document"], key
        assert found[key]["computed"] and found[key]["computed"] != found[key]["document"]
    z1 = found[("dense", "formula", "z1 expression")]
    assert "(8 × (-0.3))" in z1["computed"] and "10.2" in z1["explanation"]["en"]  # what the slip would give
    assert "2.4" in found[("dense", "formula", "z2 expression")]["explanation"]["en"]


def test_rounding_is_one_note_that_lists_every_value_it_affects(result):
    notes = [e for e in result["errata"] if e["kind"] == "rounding"]
    assert len(notes) == 1
    note = notes[0]
    assert note["document"] == [0.67, 0.33]
    affected = {(a["name"], tuple(a["index"])): a for a in note["affected"]}
    assert affected[("W_new", (1, 1))]["document"] == 0.7536  # printed with 4 decimals from 5.36
    assert affected[("W_new", (1, 1))]["computed"] == pytest.approx(0.753455, abs=1e-6)
    assert affected[("∂L/∂x", (0,))]["document"] == 0.469
    assert affected[("∂L/∂X = X′", (1, 0))]["document"] == 1.139
    assert affected[("f2_new", (1, 0))]["document"] == 0.0268
    assert ("∂L/∂W", (0, 1)) in affected and ("∂L/∂f2", (0, 1)) in affected
    assert "0.7536" in note["explanation"]["en"] and "0.75346" in note["explanation"]["en"]
    for a in note["affected"]:  # rounded, never a slip, and never a value the document gets exactly right
        assert abs(a["document"] - a["computed"]) < 0.02


def test_every_printed_value_is_shown_beside_the_computed_one(steps):
    printed = {sid: s["document"] for sid, s in steps.items() if s["document"] is not None}
    assert "relu_backward" not in printed and "after_update" not in printed  # the document skips these
    assert printed["loss"] == {"L": 0.48}
    assert printed["dense"] == {"z": [3.8, 3.1]}
    assert printed["update_W"]["W_new"] == [[0.433, -0.353], [-0.133, 0.7536]]
    assert printed["dL_df1"]["∂L/∂f1"] == [[0.938, 2.345], [1.876, 0]]
    status = {(sid, c["name"]): c["status"] for sid, s in steps.items() for c in s["comparisons"]}
    assert status[("conv_o1", "O1")] == "match"
    assert status[("softmax", "ŷ")] == "match"  # 0.67 / 0.33 are ŷ correctly rounded
    assert status[("dL_dW", "∂L/∂W")] == "rounding"
    assert status[("dL_df2", "F2′")] == "rounding"
    assert status[("dX1", "X′1 (drawing)")] == "rounding"  # the drawing has the right sign
    assert status[("dX1", "X′1")] == "mismatch"
    assert status[("update_b", "b_new")] == "match"
    x1 = next(c for c in steps["dX1"]["comparisons"] if c["name"] == "X′1")
    assert x1["cell_status"][2] == ["rounding", "mismatch", "match"]
    assert x1["cell_status"][1][0] == "rounding"


def test_code_errata_reproduce_what_the_course_code_does(result):
    code = {e["name"]: e for e in result["errata"] if e["kind"] == "code"}
    assert set(code) == {"max_pooling_backward", "compute_gradients", "conv_backward (dx)"}

    # the course's max_pooling_backward, verbatim (section V.9)
    def max_pooling_backward(dl_dpool, activated_map, pooling_size=2, stride=2):
        dl_dmap = np.zeros_like(activated_map)
        output_height, output_width = dl_dpool.shape
        for i in range(output_height):
            for j in range(output_width):
                start_i = i * stride
                start_j = j * stride
                window = activated_map[start_i : start_i + pooling_size, start_j : start_j + pooling_size]
                max_value = np.max(window)
                for m in range(pooling_size):
                    for n in range(pooling_size):
                        if window[m, n] == max_value:
                            dl_dmap[start_i + m, start_j + n] = dl_dpool[i, j]
                            break
        return dl_dmap

    e = code["max_pooling_backward"]
    window = np.array(e["document"]["window"])
    np.testing.assert_array_equal(e["document"]["gradient_routing"], max_pooling_backward(np.ones((1, 1)), window))
    assert np.sum(e["computed"]["gradient_routing"]) == 1

    # the course's conv_backward, verbatim (section V.9)
    def conv_backward(dL_dconv, x, kernel, stride=1, padding=0):
        kernel_rotated = np.rot90(kernel, 2)
        h_x, w_x = x.shape
        h_k, w_k = kernel.shape
        h_out, w_out = dL_dconv.shape
        x_padded = np.pad(x, ((padding, padding), (padding, padding)), mode="constant", constant_values=0)
        dx_padded = np.zeros_like(x_padded)
        dfilter = np.zeros_like(kernel)
        for i in range(h_out):
            for j in range(w_out):
                start_i = i * stride
                start_j = j * stride
                x_window = x_padded[start_i : start_i + h_k, start_j : start_j + w_k]
                dfilter += dL_dconv[i, j] * x_window
        for i in range(h_x + 2 * padding):
            for j in range(w_x + 2 * padding):
                for m in range(h_out):
                    for n in range(w_out):
                        i_out = i - m * stride
                        j_out = j - n * stride
                        if 0 <= i_out < h_k and 0 <= j_out < w_k:
                            dx_padded[i, j] += dL_dconv[m, n] * kernel_rotated[i_out, j_out]
        dx = dx_padded[padding:-padding, padding:-padding] if padding > 0 else dx_padded
        return dx, dfilter

    steps = steps_by_id(result["steps"])
    X = np.array(DOCUMENT_INPUTS["X"], dtype=float)
    course_dx = sum(
        conv_backward(value(steps, "relu_backward", f"G{k}"), X, np.array(DOCUMENT_INPUTS[f], float))[0]
        for k, f in ((1, "f1"), (2, "f2"))
    )
    e = code["conv_backward (dx)"]
    np.testing.assert_allclose(e["document"]["dL_dX"], course_dx, atol=1e-12)
    np.testing.assert_allclose(e["computed"]["dL_dX"], value(steps, "dL_dX", "dL_dX"))
    assert not np.allclose(course_dx, value(steps, "dL_dX", "dL_dX"))

    # compute_gradients divides by m = y_true.shape[0]: the number of classes
    e = code["compute_gradients"]
    assert e["document"]["m"] == 2
    np.testing.assert_allclose(np.array(e["document"]["dL_dW"]) * 2, value(steps, "dL_dW", "dL_dW"))
    assert "10×" in e["explanation"]["en"]
    assert any(e["kind"] == "text" and e["section"] == "VI" for e in result["errata"])  # epochs = 3 vs a 2-epoch log


def test_errata_are_numbered_and_bilingual(result):
    assert [e["id"] for e in result["errata"]] == list(range(1, len(result["errata"]) + 1))
    for e in result["errata"]:
        assert {"section", "kind", "name", "document", "computed", "explanation", "step"} <= e.keys()
        assert e["explanation"]["en"] and e["explanation"]["fr"]


# -- edited inputs ---------------------------------------------------------------------------------------------
def test_editing_an_input_recomputes_and_drops_the_document_comparison():
    X = [row[:] for row in DOCUMENT_INPUTS["X"]]
    X[0][0] = 3
    edited = compute_worked_example(X=X)
    steps = steps_by_id(edited["steps"])
    assert edited["uses_document_inputs"] is False
    assert edited["inputs"]["X"][0][0] == 3
    np.testing.assert_allclose(value(steps, "conv_o1", "O1"), [[2, 9], [10, 3]])  # 3·1 + 0·0 + 2·2 + 5·(−1)
    np.testing.assert_allclose(value(steps, "conv_o2", "O2"), [[2, 7], [8, -1]])  # 3·(−1) + 0·2 + 2·0 + 5·1
    assert edited["errata"] == []
    for step in edited["steps"]:
        assert step["document"] is None and step["mismatches"] == [] and step["comparisons"] == []


def test_an_edit_that_moves_the_maximum_changes_everything_downstream():
    X = [row[:] for row in DOCUMENT_INPUTS["X"]]
    X[2][0] = 6  # O1(1,0) = 2 + 12 = 14 and O2(1,0) = −2 + 10 + 0 + 0 = 8
    steps = steps_by_id(compute_worked_example(X=X)["steps"])
    np.testing.assert_allclose(value(steps, "flatten", "x"), [14, 8])
    z = np.array(DOCUMENT_INPUTS["W"]) @ [14, 8] + DOCUMENT_INPUTS["b"]
    np.testing.assert_allclose(value(steps, "dense", "z"), z)
    y_hat = np.exp(z) / np.exp(z).sum()
    assert value(steps, "loss", "loss") == pytest.approx(-np.log(y_hat[1]))
    np.testing.assert_allclose(
        value(steps, "dL_df1", "dL_df1"), value(steps, "dL_dx", "dL_dx")[0] * np.array([[2, 5], [6, 0]])
    )


@pytest.mark.parametrize("seed", range(3))
def test_random_inputs_agree_with_numerical_derivatives_of_the_loss(seed):
    rng = np.random.default_rng(seed)
    inputs = {
        "X": rng.integers(-3, 6, (3, 3)).astype(float),
        "f1": rng.standard_normal((2, 2)),
        "f2": rng.standard_normal((2, 2)),
        "W": rng.standard_normal((2, 2)),
        "b": rng.standard_normal(2),
        "y": [1.0, 0.0],
        "eta": 0.05,
    }
    steps = steps_by_id(compute_worked_example(**inputs)["steps"])

    def loss(**changed) -> float:
        return compute_worked_example(**{**inputs, **changed})["steps"][8]["values"]["loss"]

    eps = 1e-6
    for name, key in (("f1", "dL_df1"), ("f2", "dL_df2"), ("W", "dL_dW"), ("b", "dL_db"), ("X", "dL_dX")):
        array = np.asarray(inputs[name], dtype=float)
        numerical = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            plus, minus = array.copy(), array.copy()
            plus[index] += eps
            minus[index] -= eps
            numerical[index] = (loss(**{name: plus}) - loss(**{name: minus})) / (2 * eps)
        step_id = {"X": "dL_dX", "W": "dL_dW", "b": "dL_db"}.get(name, key)
        np.testing.assert_allclose(value(steps, step_id, key), numerical, atol=1e-6, err_msg=name)
    np.testing.assert_allclose(value(steps, "update_W", "W_new"), inputs["W"] - 0.05 * value(steps, "dL_dW", "dL_dW"))


def test_a_label_can_stand_for_the_one_hot_target():
    a, b = compute_worked_example(y=1), compute_worked_example(y=[0, 1])
    assert a["steps"][8]["values"] == b["steps"][8]["values"]
    assert a["uses_document_inputs"] is True


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"X": [[1, 2], [3, 4]]}, "X must be a 3 × 3 matrix"),
        ({"f1": [1, 2, 3, 4]}, "f1 must be a 2 × 2 matrix"),
        ({"b": [1, 2, 3]}, "b must be a 2 vector"),
        ({"W": [[1, "a"], [0, 1]]}, "W must be numbers"),
        ({"f2": [[1, float("nan")], [0, 1]]}, "finite"),
        ({"X": [[1, 0, 3], [2, float("inf"), 1], [4, 0, 2]]}, "finite"),
        ({"y": [0.5, 0.6]}, "probability vector"),
        ({"y": [-1, 2]}, "probability vector"),
        ({"y": 2}, "0 or 1"),
        ({"eta": 0}, "positive"),
        ({"eta": -0.1}, "positive"),
        ({"eta": float("nan")}, "positive"),
        ({"eta": "0.01"}, "positive"),
        ({"X": [[1e200] * 3] * 3, "W": [[1e200, 0], [0, 1]]}, "too large"),
    ],
)
def test_bad_inputs_are_clear_errors(kwargs, message):
    with pytest.raises(WorkedExampleInputError, match=message):
        compute_worked_example(**kwargs)
    assert issubclass(WorkedExampleInputError, ValueError)


# -- terminal tables --------------------------------------------------------------------------------------------
def test_format_tables_shows_the_example_and_the_errata(result):
    text = format_tables(result)
    assert "1.1032" in text and "0.48" in text
    assert "Errata of the document" in text
    assert "log10" in text and "✗ slip" in text and "≈ rounded" in text
    loss_row = next(line for line in text.splitlines() if line.startswith("loss (L)"))
    assert "1.1032" in loss_row and "0.48" in loss_row and "✗" in loss_row
    assert max(len(line) for line in text.splitlines()) <= 100
    french = format_tables(result, lang="fr")
    assert "Errata du document" in french and "1,1032" in french and "1.1032" not in french and "népérien" in french
    assert max(len(line) for line in format_tables(result, width=132).splitlines()) <= 132
    assert format_tables(lang="fr") == french  # without a result: the document's example


def test_format_tables_without_the_document_has_no_comparison():
    text = format_tables(compute_worked_example(eta=0.1))
    assert "Document" not in text and "Errata" not in text
    assert "no comparison" in text


# -- errata worded as what they are (issue 14.1) ------------------------------------------------------------------
def _erratum(result, name):
    return next(e for e in result["errata"] if e["name"] == name)


def test_garbled_figures_are_said_unreadable_not_wrong(result):
    names = [e["name"] for e in result["errata"]]
    assert "X′2 drawing" not in names  # no accusation resting on a figure the conversion garbled
    note = _erratum(result, "X′1, X′2 drawings")
    assert note["kind"] == "unreadable"
    assert "cannot be read" in note["explanation"]["en"] and "lire" in note["explanation"]["fr"]
    # the lost signs of the printed X′1 and X′2 stay flagged, as values
    lost = {(e["step"], tuple(e["index"])) for e in result["errata"] if e["kind"] == "value" and "X′" in e["name"]}
    assert lost == {("dX1", (2, 1)), ("dX2", (2, 1))}


def test_rot180_labels_are_loose_notation_under_a_rotation_heading(result):
    for name in ("rot180(f1) label", "rot180(f2) label"):
        e = _erratum(result, name)
        assert e["kind"] == "notation"
        assert "Loose notation" in e["explanation"]["en"] and "values are right" in e["explanation"]["en"]
        assert "Notation approximative" in e["explanation"]["fr"]


def test_the_067_in_f1_prime_is_named_as_dl_dz1(result):
    e = next(e for e in result["errata"] if e["name"] == "gradient in F1′ = Conv(X, ·)")
    assert "0.67 is ∂L/∂z1" in e["explanation"]["en"] and "other map receives −0.67" in e["explanation"]["en"]
    assert "gradient of the other map" not in e["explanation"]["en"]


def test_198_is_the_printed_f1_new_and_245_appears_in_f1_prime(result):
    by_index = {
        tuple(e["index"]): e["explanation"]["en"] for e in result["errata"] if e["name"] == "∂L/∂f1 used in the update"
    }
    assert "printed as f1_new(1,0) on the same line" in by_index[(1, 0)]
    assert "appears in no step" not in " ".join(by_index.values())
    assert "miscopied value of F1′" in by_index[(0, 1)]


def test_new_slips_of_the_000_document_are_flagged(result):
    heading = _erratum(result, "IV.3 heading")
    assert heading["kind"] == "text" and "flattened vector" in heading["explanation"]["en"]
    padding = _erratum(result, "add_padding")
    assert "multiples" in padding["document"] and padding["computed"]["N_out"] == 28
    inverse = _erratum(result, "inverse convolution")
    assert "transposed convolution" in inverse["explanation"]["en"] and "full conv" in inverse["computed"]
    nit = _erratum(result, "w12_new")
    assert nit["kind"] == "nit" and "−0.354" in nit["explanation"]["en"] and "small point" in nit["explanation"]["en"]


def test_french_errata_read_in_french(result):
    """French labels, quotes and numbers: no English step names, decimal commas in every French text."""
    for e in result["errata"]:
        assert e["label"]["fr"] and "used in the update" not in e["label"]["fr"] and "(drawing)" not in e["label"]["fr"]
        for field in ("document_text", "computed_text"):
            if field in e:
                assert not re.search(r"\d\.\d", e[field]["fr"]), e[field]["fr"]
        assert not re.search(r"(?<![\w.])\d+\.\d", e["explanation"]["fr"].replace("np.log", "")), e["explanation"]["fr"]
