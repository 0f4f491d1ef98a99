"""Gradient checks (central differences, float64) for every layer and every loss, on random shapes."""

from __future__ import annotations

import numpy as np
import pytest

from engine import (
    ELU,
    AvgPool2D,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    LeakyReLU,
    MaxPool2D,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    SumPool2D,
    Tanh,
    binary_cross_entropy,
    build_preset,
    cross_entropy,
    gradcheck,
    mean_squared_error,
    softmax_cross_entropy,
)
from engine.gradcheck import relative_error


def built(layer, input_shape, seed=0):
    layer.build(tuple(input_shape), np.random.default_rng(seed), np.float64)
    return layer


def away_from_zero(rng, shape, gap=0.05):
    """Random values with |x| ≥ gap: no ReLU-type kink within reach of the finite differences."""
    x = rng.standard_normal(shape)
    return np.where(x >= 0, x + gap, x - gap)


def distinct_values(rng, shape):
    """A random permutation of well-separated values: no ties inside a pooling window, no kink in reach."""
    return rng.permutation(np.arange(int(np.prod(shape)), dtype=np.float64)).reshape(shape) * 0.1 + 0.05


# -- convolution -----------------------------------------------------------------------------------------------
CONV_CASES = [
    # (N, C, H, W, filters, kernel, stride, padding, bias)
    (2, 1, 5, 5, 1, 3, 1, 0, True),
    (2, 3, 6, 5, 4, (3, 2), 1, 1, True),
    (1, 2, 7, 7, 3, 3, 2, 0, True),
    (2, 2, 6, 7, 2, (2, 3), 2, "same", True),
    (1, 3, 5, 6, 2, 3, (2, 1), (1, 2), False),
    (2, 1, 4, 4, 2, 5, 1, "same", True),  # kernel larger than the image: only "same" padding makes it fit
    (1, 2, 8, 6, 3, (1, 4), (3, 2), 1, True),
    (3, 1, 6, 6, 2, 2, 2, "valid", False),
]


@pytest.mark.parametrize("n,c,h,w,filters,kernel,stride,padding,bias", CONV_CASES)
def test_conv2d_gradients(gc, rng, n, c, h, w, filters, kernel, stride, padding, bias):
    layer = built(Conv2D(filters, kernel, stride, padding, use_bias=bias), (c, h, w))
    if bias:
        layer.params["b"] = rng.standard_normal(filters)  # a zero bias would hide a wrong bias gradient
    out, dx = gc.check_layer(layer, rng.standard_normal((n, c, h, w)), rng)
    assert out.shape == (n, *layer.output_shape((c, h, w)))
    assert dx.shape == (n, c, h, w)


@pytest.mark.parametrize("seed", range(6))
def test_conv2d_gradients_random_shapes(gc, seed):
    rng = np.random.default_rng(100 + seed)
    c, filters = rng.integers(1, 4, size=2)
    kernel = tuple(int(k) for k in rng.integers(1, 4, size=2))
    stride = tuple(int(s) for s in rng.integers(1, 3, size=2))
    padding = [0, 1, "same", (int(rng.integers(0, 3)), int(rng.integers(0, 3)))][seed % 4]
    h, w = (int(v) for v in rng.integers(4, 8, size=2))
    layer = built(Conv2D(int(filters), kernel, stride, padding), (int(c), h, w))
    layer.params["b"] = rng.standard_normal(int(filters))
    gc.check_layer(layer, rng.standard_normal((2, int(c), h, w)), rng)


# -- activations -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "layer", [ReLU(), LeakyReLU(), LeakyReLU(alpha=0.3), ELU(), ELU(alpha=0.5), Sigmoid(), Tanh()], ids=repr
)
@pytest.mark.parametrize("shape", [(3, 7), (2, 3, 4, 5)])
def test_activation_gradients(gc, rng, layer, shape):
    gc.check_layer(layer, away_from_zero(rng, shape) * 2, rng)


# -- pooling ---------------------------------------------------------------------------------------------------
POOL_CASES = [
    # (size, stride, H, W): stride = size (tiling and not), stride < size (overlap), stride > size (gaps)
    (2, 2, 4, 6),
    (2, 2, 5, 7),
    (3, 3, 6, 6),
    (3, 2, 7, 5),
    (2, 1, 4, 5),
    (2, 3, 8, 7),
    ((2, 3), (1, 2), 5, 8),
    ((3, 1), (3, 1), 6, 4),
]


@pytest.mark.parametrize("cls", [MaxPool2D, AvgPool2D, SumPool2D])
@pytest.mark.parametrize("size,stride,h,w", POOL_CASES)
def test_pooling_gradients(gc, rng, cls, size, stride, h, w):
    layer = cls(size, stride)
    x = distinct_values(rng, (2, 3, h, w))
    out, dx = gc.check_layer(layer, x, rng)
    assert out.shape == (2, *layer.output_shape((3, h, w)))


# -- flatten, dense, dropout, softmax --------------------------------------------------------------------------
def test_flatten_gradients(gc, rng):
    gc.check_layer(Flatten(), rng.standard_normal((2, 3, 4, 5)), rng)


@pytest.mark.parametrize("d_in,units,bias", [(1, 1, True), (7, 3, True), (12, 10, False)])
def test_dense_gradients(gc, rng, d_in, units, bias):
    layer = built(Dense(units, use_bias=bias), (d_in,))
    if bias:
        layer.params["b"] = rng.standard_normal(units)
    gc.check_layer(layer, rng.standard_normal((3, d_in)), rng)


@pytest.mark.parametrize("rate", [0.25, 0.5])
def test_dropout_gradients_in_training_mode_with_a_fixed_mask(gc, rng, rate):
    layer = Dropout(rate)
    layer.training = True

    def same_mask():
        layer.rng = np.random.default_rng(7)  # the same mask on every pass

    x = rng.standard_normal((4, 30))
    out, dx = gc.check_layer(layer, x, rng, before_forward=same_mask)
    dropped = out == 0
    assert 0 < dropped.mean() < 1, "some units are dropped, not all"
    np.testing.assert_allclose(out[~dropped], x[~dropped] / (1 - rate))  # inverted dropout scaling
    assert np.all(dx[dropped] == 0)


def test_dropout_is_the_identity_at_inference(rng):
    layer = Dropout(0.5)
    x = rng.standard_normal((2, 10))
    assert layer.forward(x) is x
    g = rng.standard_normal((2, 10))
    assert layer.backward(g) is g


def test_softmax_layer_gradients(gc, rng):
    gc.check_layer(Softmax(), rng.standard_normal((4, 6)) * 3, rng)


# -- losses ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n,k", [(1, 2), (3, 5), (6, 10)])
@pytest.mark.parametrize("targets", ["labels", "one_hot"])
def test_softmax_cross_entropy_gradient(gc, rng, n, k, targets):
    z = rng.standard_normal((n, k)) * 3
    labels = rng.integers(0, k, size=n)
    y = labels if targets == "labels" else np.eye(k)[labels]
    loss, probs, dz = softmax_cross_entropy(z, y)
    np.testing.assert_allclose(probs.sum(axis=1), 1)
    np.testing.assert_allclose(loss, -np.log(probs[np.arange(n), labels]).mean())
    gc.assert_close(dz, gc.numerical(lambda: softmax_cross_entropy(z, y)[0], z), "softmax_cross_entropy")


def test_softmax_cross_entropy_labels_and_one_hot_agree(rng):
    z = rng.standard_normal((5, 4))
    labels = np.array([0, 3, 1, 1, 2])
    a = softmax_cross_entropy(z, labels)
    b = softmax_cross_entropy(z, np.eye(4)[labels])
    assert a[0] == pytest.approx(b[0])
    np.testing.assert_allclose(a[2], b[2])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("label", [0, 1, 2])
def test_softmax_cross_entropy_is_stable_for_huge_logits(dtype, label):
    z = np.array([[1e4, -1e4, 0.0]], dtype=dtype)
    with np.errstate(
        over="raise", divide="raise", invalid="raise"
    ):  # no overflow, log(0) or 0/0 (underflow to 0 is fine)
        loss, probs, dz = softmax_cross_entropy(z, np.array([label]))
    expected_loss = {0: 0.0, 1: 2e4, 2: 1e4}[label]
    assert np.isfinite(loss) and loss == pytest.approx(expected_loss, abs=1e-6)
    np.testing.assert_allclose(probs[0], [1, 0, 0], atol=1e-30)
    np.testing.assert_allclose(dz[0], np.array([1.0, 0.0, 0.0]) - np.eye(3)[label])
    assert dz.dtype == dtype


@pytest.mark.parametrize("targets", ["labels", "one_hot"])
def test_cross_entropy_on_probabilities_gradient(gc, rng, targets):
    p = rng.uniform(0.05, 1.0, size=(4, 5))
    p /= p.sum(axis=1, keepdims=True)
    labels = np.array([1, 4, 0, 2])
    y = labels if targets == "labels" else np.eye(5)[labels]
    loss, grad = cross_entropy(p, y)
    assert loss == pytest.approx(-np.log(p[np.arange(4), labels]).mean())
    gc.assert_close(grad, gc.numerical(lambda: cross_entropy(p, y)[0], p), "cross_entropy")


def test_cross_entropy_after_softmax_equals_the_fused_gradient(rng):
    z = rng.standard_normal((3, 4))
    labels = np.array([2, 0, 3])
    layer = Softmax()
    probs = layer.forward(z)
    _, d_probs = cross_entropy(probs, labels)
    np.testing.assert_allclose(layer.backward(d_probs), softmax_cross_entropy(z, labels)[2], atol=1e-12)


@pytest.mark.parametrize("shape", [(5,), (3, 4)])
def test_binary_cross_entropy_gradient(gc, rng, shape):
    p = rng.uniform(0.05, 0.95, size=shape)
    y = rng.integers(0, 2, size=shape).astype(np.float64)
    loss, grad = binary_cross_entropy(p, y)
    assert loss == pytest.approx(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())
    gc.assert_close(grad, gc.numerical(lambda: binary_cross_entropy(p, y)[0], p), "binary_cross_entropy")


def test_binary_cross_entropy_is_finite_at_0_and_1():
    loss, grad = binary_cross_entropy(np.array([0.0, 1.0]), np.array([1.0, 0.0]))
    assert np.isfinite(loss) and loss > 20
    assert np.all(np.isfinite(grad))


@pytest.mark.parametrize("shape", [(6,), (2, 3, 4)])
def test_mean_squared_error_gradient(gc, rng, shape):
    pred, target = rng.standard_normal(shape), rng.standard_normal(shape)
    loss, grad = mean_squared_error(pred, target)
    assert loss == pytest.approx(((pred - target) ** 2).mean())
    gc.assert_close(grad, gc.numerical(lambda: mean_squared_error(pred, target)[0], pred), "mean_squared_error")


# -- whole models: engine.gradcheck --------------------------------------------------------------------------
def small_model():
    spec = [
        {"type": "conv2d", "filters": 3, "kernel_size": 3, "stride": 2, "padding": 1},
        {"type": "leaky_relu"},
        {"type": "conv2d", "filters": 4, "kernel_size": (2, 3), "padding": "same"},
        {"type": "elu"},
        {"type": "avgpool", "size": 2},
        {"type": "flatten"},
        {"type": "dense", "units": 6},
        {"type": "tanh"},
        {"type": "dense", "units": 5},
        {"type": "sigmoid"},
        {"type": "dense", "units": 3},
        {"type": "softmax"},
    ]
    model = Sequential.from_spec(spec, input_shape=(2, 9, 9), seed=3, dtype=np.float64)
    for layer, name, value in model.parameters():
        if name == "b":  # non-zero biases, so that their gradients are really checked
            layer.params["b"] = np.random.default_rng(5).standard_normal(value.shape)
    return model


def test_sequential_gradients_match_central_differences_for_every_parameter(gc, rng):
    model = small_model()
    x = rng.standard_normal((2, 2, 9, 9))
    y = np.array([2, 0])
    _, _, dx = model.loss_and_grads(x, y)
    for layer, name, value in model.parameters():
        analytic = layer.grads[name].copy()
        numerical = gc.numerical(lambda: model.loss_and_grads(x, y)[0], value)
        gc.assert_close(analytic, numerical, f"{layer.name}.{name}")
    gc.assert_close(dx, gc.numerical(lambda: model.loss_and_grads(x, y)[0], x), "dL/dinput")


@pytest.mark.parametrize("layer,param", [("conv1", "K"), ("conv1", "b"), ("conv2", "K"), ("fc1", "W"), ("fc3", "b")])
def test_gradcheck_on_lenet_gives_tiny_relative_errors(layer, param):
    model = build_preset("lenet", seed=1)  # float32: gradcheck works on a float64 copy
    x = np.random.default_rng(2).random((1, 28, 28))
    before = {f"{l.name}.{p}": v.copy() for l, p, v in model.parameters()}
    result = gradcheck(model, x, label=3, layer=layer, param=param, count=6, seed=4)
    assert result["layer"] == layer and result["param"] == param
    assert len(result["checks"]) == 6
    assert result["max_relative_error"] < 1e-5, result["checks"]
    for check in result["checks"]:
        assert abs(check["analytic"] - check["numerical"]) <= 1e-5 * max(1e-3, abs(check["numerical"]))
    for l, p, v in model.parameters():  # the served model is not touched
        np.testing.assert_array_equal(v, before[f"{l.name}.{p}"])


def test_gradcheck_explicit_indices_and_errors():
    model = build_preset("worked-example", dtype=np.float64)
    x = [[1, 0, 3], [2, 5, 1], [4, 0, 2]]
    result = gradcheck(model, x, label=1, layer="fc", param="W", indices=[(0, 0), (1, 1)])
    assert [c["index"] for c in result["checks"]] == [[0, 0], [1, 1]]
    # the course's worked example: dL/dW[0,0] = ŷ1 · x1 = 0.66819 × 10
    assert result["checks"][0]["analytic"] == pytest.approx(6.6818777, abs=1e-6)
    assert result["checks"][0]["numerical"] == pytest.approx(6.6818777, abs=1e-6)
    with pytest.raises(KeyError, match="no parameter"):
        gradcheck(model, x, 1, "relu", "W")
    with pytest.raises(IndexError, match="outside"):
        gradcheck(model, x, 1, "fc", "W", indices=[(2, 0)])


def test_relative_error_definition():
    assert relative_error(1.0, 1.0) == 0
    assert relative_error(1.0, 1.1) == pytest.approx(0.1 / 1.1)
    assert relative_error(0.0, 0.0) == 0
