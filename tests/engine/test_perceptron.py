"""One neuron and the MLP of the perceptron chapter, against independent computations: the course's loops
(engine/oracles.py), central differences, and the engine's own layers."""

from __future__ import annotations

import numpy as np
import pytest

from engine import Dense, Sequential, Sigmoid, binary_cross_entropy, mlp, oracles, perceptron
from engine.perceptron_errata import chapter_errata


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((17, 3))
    y = (rng.random(17) < 0.5).astype(float)
    W = rng.standard_normal(3)
    return X, y, W, 0.3


def test_vectorised_gradients_match_the_course_loops(data):
    X, y, W, b = data
    Z, A = perceptron.forward(X, perceptron.column(W), b)
    dW, db = perceptron.gradients(A, X, perceptron.column(y))
    dW_loop, db_loop = oracles.neuron_gradients_loop(X, y, A)
    np.testing.assert_allclose(dW, dW_loop, rtol=1e-12)
    assert db == pytest.approx(db_loop, rel=1e-12)
    assert perceptron.log_loss(Z, perceptron.column(y)) == pytest.approx(oracles.neuron_log_loss_loop(y, A), rel=1e-12)
    assert perceptron.log_loss(Z, perceptron.column(y)) == pytest.approx(
        binary_cross_entropy(A.ravel(), y)[0], rel=1e-9
    )


def test_gradients_are_the_slope_of_the_loss(data):
    X, y, W, b = data
    s = perceptron.step(X, y, W, b, 0.1)
    h = 1e-6

    def loss(W, b):
        Z, _ = perceptron.forward(X, perceptron.column(W), b)
        return perceptron.log_loss(Z, perceptron.column(y))

    for j in range(3):
        e = np.eye(3)[j] * h
        assert s["dW"][j, 0] == pytest.approx((loss(W + e, b) - loss(W - e, b)) / (2 * h), rel=1e-6)
    assert s["db"] == pytest.approx((loss(W, b + h) - loss(W, b - h)) / (2 * h), rel=1e-6)
    np.testing.assert_allclose(s["W_next"].ravel(), W - 0.1 * s["dW"].ravel())
    assert s["loss_next"] == pytest.approx(loss(s["W_next"].ravel(), s["b_next"]))


def test_loss_surface_is_the_loss_at_each_grid_point():
    X, y = perceptron.two_clouds(10, seed=1)
    w1, w2 = np.linspace(-3, 3, 7), np.linspace(-2, 4, 5)
    surface = perceptron.loss_surface(X, y, 0.4, w1, w2)
    assert surface.shape == (5, 7)
    Z, _ = perceptron.forward(X, perceptron.column([w1[2], w2[3]]), 0.4)
    assert surface[3, 2] == pytest.approx(perceptron.log_loss(Z, perceptron.column(y)))


def test_descent_matches_repeated_steps_and_lowers_the_loss():
    X, y = perceptron.two_clouds(10, seed=2)
    history = perceptron.descend(X, y, [-2, -2], 0.0, 0.5, 5)
    W, b = np.array([-2.0, -2.0]), 0.0
    for k in range(5):
        s = perceptron.step(X, y, W, b, 0.5)
        assert history[k]["loss"] == pytest.approx(s["loss"])
        W, b = s["W_next"].ravel(), s["b_next"]
    np.testing.assert_allclose(history[5]["W"], W)
    assert [h["loss"] for h in history] == sorted((h["loss"] for h in history), reverse=True)


def test_learning_rate_above_the_critical_one_makes_the_cost_bounce():
    X, y = perceptron.two_clouds(15, seed=0)
    end = perceptron.descend(X, y, [0, 0], 0.0, 2.0, 3000)[-1]  # near the minimum
    critical = perceptron.step(X, y, end["W"], end["b"], 1.0)["critical_learning_rate"]
    calm = [h["loss"] for h in perceptron.descend(X, y, end["W"], end["b"], 0.5 * critical, 40)]
    wild = [h["loss"] for h in perceptron.descend(X, y, end["W"], end["b"], 3 * critical, 40)]
    assert all(b <= a + 1e-12 for a, b in zip(calm, calm[1:]))
    assert any(b > a + 1e-3 for a, b in zip(wild, wild[1:]))


def test_unnormalised_pixels_overflow_exp_and_minmax_scaling_does_not():
    rng = np.random.default_rng(0)
    raw = np.rint(rng.random((40, 300)) * 255) * (rng.random((40, 300)) < 0.3)
    y = (rng.random(40) < 0.5).astype(float)
    run = perceptron.course_training(raw, y, 0.1, 5)
    assert run["overflows"][0] > 0 and run["z_abs_max"][0] > perceptron.EXP_OVERFLOW
    # saturated: every a is 0 or 1, the cost only counts −ln(ε) ≈ 23.03 per misclassified sample
    wrong = 1 - run["accuracy"] if run["saturated"][-1] == 40 else None
    if wrong is not None:
        assert run["cost"][-1] == pytest.approx(-np.log(perceptron.COURSE_EPSILON) * wrong, rel=1e-3)
    scaled = perceptron.course_training(perceptron.minmax_scale(raw, 0, 255), y, 0.1, 5)
    assert max(scaled["overflows"]) == 0 and max(scaled["z_abs_max"]) < perceptron.EXP_OVERFLOW


@pytest.mark.parametrize("hidden", [[2], [4, 3], [16, 16, 16]])
def test_mlp_backpropagation_matches_the_course_code_and_central_differences(hidden):
    X, y = mlp.circles(12, seed=1)
    params = mlp.initialisation([2, *hidden, 1], seed=5)
    A, Z = mlp.forward_propagation(X, params)
    grads = mlp.back_propagation(y, params, A)
    course = oracles.course_back_propagation(y, params, A)
    for key, value in course.items():
        np.testing.assert_allclose(grads[key], value, rtol=1e-12)
    L = mlp.n_layers(params)
    h = 1e-6
    for key in ("W1", f"b{L}"):
        P = params[key]
        idx = (0, 0)
        plus = {**params, key: P.copy()}
        minus = {**params, key: P.copy()}
        plus[key][idx] += h
        minus[key][idx] -= h
        f = lambda p: mlp.log_loss(mlp.forward_propagation(X, p)[1][f"Z{L}"], y)  # noqa: E731
        assert grads[f"d{key}"][idx] == pytest.approx((f(plus) - f(minus)) / (2 * h), rel=1e-5, abs=1e-10)


def test_mlp_gradients_match_the_engine_layers():
    X, y = mlp.xor()
    params = mlp.initialisation([2, 3, 1], seed=2)
    grads = mlp.back_propagation(y, params, mlp.forward_propagation(X, params)[0])
    spec = [{"type": "dense", "units": 3}, {"type": "sigmoid"}, {"type": "dense", "units": 1}, {"type": "sigmoid"}]
    model = Sequential.from_spec(spec, input_shape=(2,), dtype=np.float64)
    dense = [layer for layer in model.layers if isinstance(layer, Dense)]
    for k, layer in enumerate(dense, start=1):
        layer.params["W"] = params[f"W{k}"].copy()
        layer.params["b"] = params[f"b{k}"].ravel().copy()
    out = model.forward(X.T)
    loss, grad = binary_cross_entropy(out, y.T)
    for layer in reversed(model.layers):
        grad = layer.backward(grad)
    assert isinstance(model.layers[-1], Sigmoid)
    for k, layer in enumerate(dense, start=1):
        np.testing.assert_allclose(layer.grads["W"], grads[f"dW{k}"], rtol=1e-6)
        np.testing.assert_allclose(layer.grads["b"], grads[f"db{k}"].ravel(), rtol=1e-6)


def test_a_hidden_layer_separates_xor_and_one_neuron_cannot():
    X, y = mlp.xor(10, 0.1, seed=0)
    _, history = mlp.train(X, y, [4], 2.0, 1500, seed=0)
    assert history[-1]["accuracy"] == 1.0
    single = perceptron.descend(X.T, y.ravel(), [0, 0], 0.0, 2.0, 1500)[-1]
    assert single["accuracy"] <= 0.75


def test_errata_show_the_document_beside_independent_numbers():
    errata = {e["name"]: e for e in chapter_errata()}
    assert len(errata) >= 6 and {"∂L/∂A", "Relu.retropropagation"} <= set(errata)
    dA = errata["∂L/∂A"]["values"]
    assert dA["correct"] == pytest.approx(dA["central_difference"], rel=1e-6) and dA["document"] != dA["correct"]
    relu = errata["Relu.retropropagation"]["values"]
    x, g = np.array(relu["x"]), np.array(relu["grad_output"])
    assert relu["correct"] == (g * (x > 0)).tolist() and relu["document"] != relu["correct"]
    dense = errata["Dense.retropropagation"]["values"]
    np.testing.assert_allclose(dense["correct"], np.array(dense["W"]).T @ np.array(dense["grad_output"]))
    bias = errata["∂L/∂B^[C]"]["values"]
    assert sum(bias["document"]) == pytest.approx(bias["correct"][0])
    for e in errata.values():
        assert e["explanation"]["fr"] and e["explanation"]["en"] != e["explanation"]["fr"]
        for text in (e["document"]["fr"], e["computed"]["fr"], e["explanation"]["fr"]):
            assert not any(f" {p}" in text for p in ":;?!%"), text  # French: a no-break space before them
