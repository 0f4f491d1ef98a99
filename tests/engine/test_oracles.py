"""The vectorised layers must give exactly what the course's loop implementations (engine/oracles.py) give."""

from __future__ import annotations

import numpy as np
import pytest

from engine import SGD, AvgPool2D, Conv2D, MaxPool2D, SumPool2D, build_preset, oracles

POOLS = {"max": MaxPool2D, "avg": AvgPool2D, "sum": SumPool2D}


def conv_layer(K, b=None, stride=1, padding=0):
    f, c, kh, kw = K.shape
    layer = Conv2D(f, (kh, kw), stride, padding, use_bias=b is not None)
    layer.build((c, 8, 8), np.random.default_rng(0), np.float64)
    layer.params["K"] = K
    if b is not None:
        layer.params["b"] = b
    return layer


# -- convolution -----------------------------------------------------------------------------------------------
def test_single_channel_convolution_equals_the_course_loop(rng):
    x = rng.standard_normal((7, 6))
    kernel = rng.standard_normal((3, 3))
    layer = conv_layer(kernel[None, None])
    np.testing.assert_allclose(layer.forward(x[None, None])[0, 0], oracles.convolution(x, kernel), atol=1e-12)


@pytest.mark.parametrize(
    "c,f,kernel,stride,padding",
    [
        (1, 1, (3, 3), 1, 1),  # the seed model's convolution
        (3, 2, (3, 3), 1, 0),  # RGB, two filters
        (2, 4, (2, 3), 2, 1),
        (3, 3, (5, 5), 1, 2),
        (1, 2, (4, 2), 3, 0),
    ],
)
def test_multichannel_convolution_forward_and_backward_equal_the_loops(rng, c, f, kernel, stride, padding):
    x = rng.standard_normal((c, 9, 8))
    K = rng.standard_normal((f, c, *kernel))
    b = rng.standard_normal(f)
    layer = conv_layer(K, b, stride, padding)
    out = layer.forward(x[None])[0]
    np.testing.assert_allclose(out, oracles.convolution_multichannel(x, K, b, stride, padding), atol=1e-12)

    G = rng.standard_normal(out.shape)
    dx = layer.backward(G[None])[0]
    expected_dx = np.zeros_like(x)
    expected_dK = np.zeros_like(K)
    for fi in range(f):
        for ci in range(c):
            dxi, dKi = oracles.conv_backward(G[fi], x[ci], K[fi, ci], stride, padding)
            expected_dx[ci] += dxi  # every filter sends gradient back to every channel
            expected_dK[fi, ci] = dKi
    np.testing.assert_allclose(dx, expected_dx, atol=1e-12)
    np.testing.assert_allclose(layer.grads["K"], expected_dK, atol=1e-12)
    np.testing.assert_allclose(layer.grads["b"], G.sum(axis=(1, 2)), atol=1e-12)


@pytest.mark.parametrize("kernel", [(2, 2), (3, 3), (2, 3)])
def test_input_gradient_is_the_full_convolution_with_the_rotated_kernel(rng, kernel):
    x = rng.standard_normal((5, 6))
    K = rng.standard_normal(kernel)
    layer = conv_layer(K[None, None])
    G = rng.standard_normal(layer.forward(x[None, None]).shape[2:])
    dx = layer.backward(G[None, None])[0, 0]
    np.testing.assert_allclose(dx, oracles.full_convolution(G, K), atol=1e-12)


# -- pooling ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("training", [False, True])  # max pooling takes other paths (arg-max now or later)
@pytest.mark.parametrize("mode", ["max", "avg", "sum"])
@pytest.mark.parametrize("size,stride,h,w", [(2, 2, 6, 6), (2, 2, 7, 5), (3, 2, 7, 7), (2, 1, 5, 4), (2, 3, 8, 8)])
def test_pooling_forward_and_backward_equal_the_loops(rng, mode, size, stride, h, w, training):
    x = rng.standard_normal((2, 3, h, w))
    layer = POOLS[mode](size, stride)
    layer.training = training
    out = layer.forward(x)
    G = rng.standard_normal(out.shape)
    dx = layer.backward(G)
    for n in range(2):
        for c in range(3):
            np.testing.assert_allclose(out[n, c], oracles.pooling(x[n, c], size, stride, mode), atol=1e-12)
            np.testing.assert_allclose(
                dx[n, c], oracles.pooling_backward(G[n, c], x[n, c], size, stride, mode), atol=1e-12
            )


@pytest.mark.parametrize("size,stride", [(2, 2), (3, 1), (2, 1)])
def test_max_pooling_ties_send_the_whole_gradient_to_the_first_maximum(rng, size, stride):
    x = rng.integers(0, 3, size=(1, 2, 6, 6)).astype(np.float64)  # lots of ties
    layer = MaxPool2D(size, stride)
    out = layer.forward(x)
    G = rng.standard_normal(out.shape)
    dx = layer.backward(G)
    for c in range(2):
        np.testing.assert_allclose(dx[0, c], oracles.pooling_backward(G[0, c], x[0, c], size, stride, "max"))
    np.testing.assert_allclose(dx.sum(), G.sum())  # no gradient created or lost


def test_max_pooling_tie_in_two_rows_goes_to_the_first_in_row_major_order():
    # the course's `break` only leaves the inner loop: it would route this gradient to both 7s
    x = np.array([[[[7.0, 2.0], [7.0, 1.0]]]])
    layer = MaxPool2D(2)
    layer.forward(x)
    dx = layer.backward(np.array([[[[3.0]]]]))
    np.testing.assert_array_equal(dx[0, 0], [[3.0, 0.0], [0.0, 0.0]])
    np.testing.assert_array_equal(layer.argmax_positions()[0, 0, 0, 0], [0, 0])
    x = np.array([[[[1.0, 5.0], [5.0, 5.0]]]])
    layer.forward(x)
    np.testing.assert_array_equal(layer.backward(np.ones((1, 1, 1, 1)))[0, 0], [[0, 1], [0, 0]])


def test_argmax_positions_are_input_coordinates(rng):
    x = rng.standard_normal((1, 1, 6, 6))
    layer = MaxPool2D(3, 2)
    out = layer.forward(x)
    pos = layer.argmax_positions()[0, 0]
    for i in range(out.shape[2]):
        for j in range(out.shape[3]):
            r, c = pos[i, j]
            assert 2 * i <= r < 2 * i + 3 and 2 * j <= c < 2 * j + 3
            assert x[0, 0, r, c] == out[0, 0, i, j]


# -- the seed model: one SGD step, vectorised vs the course's loop -----------------------------------------
@pytest.mark.parametrize("label", [0, 7])
def test_seed_preset_training_step_equals_the_course_loop(label):
    model = build_preset("seed", seed=3, dtype=np.float64)
    rng = np.random.default_rng(11)
    image = rng.random((28, 28))
    model.layer("fc").params["b"] = rng.standard_normal(10) * 0.1  # non-zero biases, as after some training
    kernel = model.layer("conv").params["K"][0, 0].copy()
    weights = model.layer("fc").params["W"].copy()
    biases = model.layer("fc").params["b"].copy()

    loss, _, _ = model.loss_and_grads(image, np.array([label]))
    SGD(learning_rate=0.01).step(model)
    ref_loss, ref_kernel, ref_weights, ref_biases = oracles.seed_sgd_step(image, label, kernel, weights, biases, 0.01)

    assert loss == pytest.approx(ref_loss, abs=1e-9)
    np.testing.assert_allclose(model.layer("conv").params["K"][0, 0], ref_kernel, atol=1e-12)
    np.testing.assert_allclose(model.layer("fc").params["W"], ref_weights, atol=1e-12)
    np.testing.assert_allclose(model.layer("fc").params["b"], ref_biases, atol=1e-12)
    assert not np.allclose(ref_kernel, kernel)  # the step really changed the filter


# -- the other layers against their loop versions ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "alpha"), [("relu", None), ("leaky_relu", 0.1), ("elu", 1.0), ("sigmoid", None), ("tanh", None)]
)
def test_activations_equal_their_loop_versions(rng, kind, alpha):
    from engine.activations import ACTIVATIONS

    layer = ACTIVATIONS[kind](alpha=alpha) if alpha is not None else ACTIVATIONS[kind]()
    x = rng.standard_normal((2, 3, 4, 5)) * 3
    x[0, 0, 0, :2] = 0.0  # the kink: both sides of the course's "x > 0"
    g = rng.standard_normal(x.shape)
    np.testing.assert_allclose(layer.forward(x), oracles.activation(x, kind, alpha), rtol=1e-12, atol=1e-15)
    expected = oracles.activation_backward(g, x, kind, alpha)
    np.testing.assert_allclose(layer.backward(g), expected, rtol=1e-12, atol=1e-15)
    assert layer.backward(g, input_grad=False) is None


def test_heaviside_equals_its_loop_version(rng):
    from engine.activations import Heaviside

    x = np.array([[-1.0, 0.0, 2.0, -0.0]])
    np.testing.assert_array_equal(Heaviside().forward(x), oracles.activation(x, "heaviside"))


def test_flatten_and_dense_equal_the_course_loops(rng):
    from engine.dense import Dense, Flatten

    maps = rng.standard_normal((1, 2, 3, 4))
    flatten = Flatten()
    vector = flatten.forward(maps)[0]
    np.testing.assert_array_equal(vector, np.concatenate([oracles.flatten(m) for m in maps[0]]))
    np.testing.assert_array_equal(flatten.backward(vector[None])[0], oracles.unflatten(vector, (2, 3, 4)))

    dense = Dense(5)
    dense.build((24,), rng, np.float64)
    z = dense.forward(vector[None])[0]
    W, b = dense.params["W"], dense.params["b"]
    np.testing.assert_allclose(z, oracles.fully_connected(vector, W, b), rtol=1e-12)
    g = rng.standard_normal(5)
    dx, dW, db = oracles.fully_connected_backward(g, vector, W)
    np.testing.assert_allclose(dense.backward(g[None])[0], dx, rtol=1e-12)
    np.testing.assert_allclose(dense.grads["W"], dW, rtol=1e-12)
    np.testing.assert_allclose(dense.grads["b"], db, rtol=1e-12)


def test_softmax_and_dropout_equal_their_loop_versions(rng):
    from engine.dense import Dropout, Softmax

    z = rng.standard_normal((1, 6))
    softmax = Softmax()
    y = softmax.forward(z)[0]
    np.testing.assert_allclose(y, oracles.softmax(z[0]), rtol=1e-12)
    g = rng.standard_normal(6)
    np.testing.assert_allclose(softmax.backward(g[None])[0], oracles.softmax_backward(g, y), rtol=1e-10, atol=1e-15)

    dropout = Dropout(0.25, seed=3)
    dropout.training = True
    x = rng.standard_normal((4, 7))
    out = dropout.forward(x)
    keep = (out != 0).astype(np.float64)
    np.testing.assert_allclose(out, oracles.dropout(x, keep, 0.25), rtol=1e-12)
    np.testing.assert_allclose(dropout.backward(x), oracles.dropout(x, keep, 0.25), rtol=1e-12)


def test_every_layer_honours_input_grad_false(rng):
    """``backward(grad, input_grad=False)`` returns None and leaves the same parameter gradients: the model relies
    on it for the first layer of a training step, whatever its type (no isinstance checks)."""
    from engine.model import LAYER_TYPES

    shapes = {"dense": (12,), "softmax": (12,), "dropout": (12,)}
    for kind, cls in LAYER_TYPES.items():
        layer = cls(3) if kind in ("conv2d", "dense") else cls()
        shape = shapes.get(kind, (2, 6, 6))
        layer.build(shape, rng, np.float64)
        layer.training = True
        x = rng.standard_normal((2, *shape))
        y = layer.forward(x)
        g = rng.standard_normal(y.shape)
        if kind != "heaviside":
            assert layer.backward(g) is not None, kind
        full = {k: v.copy() for k, v in layer.grads.items()}
        layer.grads = {}
        assert layer.backward(g, input_grad=False) is None, kind
        assert layer.grads.keys() == full.keys(), kind
        for name, value in full.items():
            np.testing.assert_array_equal(layer.grads[name], value)
