"""Forward semantics, shapes, dtypes and error messages of the engine's layers (gradients: test_gradcheck.py)."""

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
    Heaviside,
    LeakyReLU,
    MaxPool2D,
    NotDifferentiableError,
    ReLU,
    Sigmoid,
    Softmax,
    SumPool2D,
    Tanh,
    conv_output_shape,
    oracles,
    softmax,
)
from engine.activations import activation_curve
from engine.conv import resolve_padding


def built(layer, input_shape, dtype=np.float64):
    layer.build(tuple(input_shape), np.random.default_rng(0), dtype)
    return layer


# -- convolution geometry --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "hw,kernel,stride,padding,expected",
    [
        ((28, 28), 5, 1, 0, (24, 24)),  # the course's example (section II)
        ((3, 3), 2, 1, 0, (2, 2)),  # the worked example
        ((28, 28), 3, 1, 1, (28, 28)),  # the seed model
        ((28, 28), 5, 1, "same", (28, 28)),
        ((7, 8), 3, 2, "same", (4, 4)),  # "same" keeps ceil(H / S)
        ((7, 7), 3, 2, 0, (3, 3)),  # floor((7 − 3) / 2) + 1
        ((6, 9), (2, 3), (1, 3), (1, 0), (7, 3)),
        ((5, 5), 5, 1, "valid", (1, 1)),
    ],
)
def test_conv_output_shape_follows_the_course_formula(hw, kernel, stride, padding, expected):
    assert conv_output_shape(hw, kernel, stride, padding) == expected


def test_same_padding_puts_the_odd_pixel_at_the_bottom_right():
    assert resolve_padding("same", (4, 4), (1, 1), (8, 8)) == (1, 2, 1, 2)
    assert resolve_padding("same", (3, 3), (1, 1), (8, 8)) == (1, 1, 1, 1)
    assert resolve_padding("valid", (3, 3), (1, 1), (8, 8)) == (0, 0, 0, 0)
    assert resolve_padding((1, 2), (3, 3), (1, 1), (8, 8)) == (1, 1, 2, 2)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"filters": 0}, "filters"),
        ({"filters": 2, "kernel_size": 0}, "kernel_size"),
        ({"filters": 2, "stride": 0}, "stride"),
        ({"filters": 2, "padding": -1}, "negative"),
        ({"filters": 2, "padding": "full"}, "padding"),
        ({"filters": 2, "kernel_size": (1, 2, 3)}, "kernel_size"),
    ],
)
def test_conv2d_rejects_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):  # at construction, or at the latest when it is built
        built(Conv2D(**kwargs), (1, 8, 8))


def test_conv_kernel_larger_than_the_padded_input_is_a_clear_error():
    with pytest.raises(ValueError, match="larger than the padded input"):
        conv_output_shape((4, 4), 5, 1, 0)


def test_conv2d_forward_adds_the_bias_per_filter_and_checks_channels():
    layer = built(Conv2D(2, 2, use_bias=True), (1, 3, 3))
    layer.params["K"] = np.zeros((2, 1, 2, 2))
    layer.params["b"] = np.array([1.5, -2.0])
    out = layer.forward(np.ones((1, 1, 3, 3)))
    np.testing.assert_array_equal(out[0, 0], np.full((2, 2), 1.5))
    np.testing.assert_array_equal(out[0, 1], np.full((2, 2), -2.0))
    with pytest.raises(ValueError, match="expected input"):
        layer.forward(np.ones((1, 2, 3, 3)))


def test_conv2d_is_a_cross_correlation_as_in_the_course():
    # the course's O1 = X ∗ f1: the kernel is not flipped
    layer = built(Conv2D(1, 2, use_bias=False), (1, 3, 3))
    layer.params["K"] = np.array([[[[1.0, 0.0], [2.0, -1.0]]]])
    out = layer.forward(np.array([[[[1, 0, 3], [2, 5, 1], [4, 0, 2]]]], dtype=np.float64))
    np.testing.assert_array_equal(out[0, 0], [[0, 9], [10, 3]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_layers_keep_the_dtype(dtype):
    x = np.random.default_rng(0).standard_normal((2, 3, 8, 8)).astype(dtype)
    conv = built(Conv2D(4, 3, padding="same"), (3, 8, 8), dtype)
    y = conv.forward(x)
    assert y.dtype == dtype and conv.backward(np.ones_like(y)).dtype == dtype
    for layer in (ReLU(), LeakyReLU(), ELU(), Sigmoid(), Tanh(), MaxPool2D(2), AvgPool2D(2), SumPool2D(2)):
        out = layer.forward(x)
        assert out.dtype == dtype, layer
        assert layer.backward(np.ones_like(out)).dtype == dtype, layer
    dense = built(Dense(5), (12,), dtype)
    assert dense.forward(x.reshape(2, -1)[:, :12]).dtype == dtype


def test_conv2d_config_rebuilds_the_same_layer():
    layer = Conv2D(3, (2, 3), stride=(2, 1), padding="same", use_bias=False)
    again = Conv2D(**layer.config())
    assert again.config() == layer.config()
    assert layer.spec()["type"] == "conv2d"


# -- activations -----------------------------------------------------------------------------------------------
X = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])


@pytest.mark.parametrize(
    "layer,expected",
    [
        (ReLU(), [0, 0, 0, 0.5, 3]),
        (LeakyReLU(), [-0.2, -0.05, 0, 0.5, 3]),  # α = 0.1 by default, as in the course
        (LeakyReLU(alpha=0.01), [-0.02, -0.005, 0, 0.5, 3]),
        (ELU(), [np.expm1(-2), np.expm1(-0.5), 0, 0.5, 3]),
        (ELU(alpha=2.0), [2 * np.expm1(-2), 2 * np.expm1(-0.5), 0, 0.5, 3]),
        (Sigmoid(), 1 / (1 + np.exp(-X))),
        (Tanh(), np.tanh(X)),
        (Heaviside(), [0, 0, 1, 1, 1]),
    ],
    ids=repr,
)
def test_activation_values(layer, expected):
    np.testing.assert_allclose(layer.forward(X), expected, rtol=1e-12)


def test_relu_blocks_the_gradient_where_the_input_was_not_positive():
    layer = ReLU()
    layer.forward(X)
    np.testing.assert_array_equal(layer.backward(np.ones_like(X)), [0, 0, 0, 1, 1])


def test_sigmoid_does_not_overflow_for_huge_inputs():
    with np.errstate(over="raise", invalid="raise"):
        y = Sigmoid().forward(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_allclose(y, [0, 0.5, 1])


def test_heaviside_cannot_be_backpropagated():
    layer = Heaviside()
    layer.forward(X)
    with pytest.raises(NotDifferentiableError, match="Heaviside") as info:
        layer.backward(np.ones_like(X))
    assert "sigmoid" in str(info.value) and "ReLU" in str(info.value)  # says what to use instead


def test_activation_curve_gives_values_and_derivatives():
    x = np.linspace(-3, 3, 13)
    y, dy = activation_curve("leaky_relu", x, alpha=0.2)
    np.testing.assert_allclose(dy, np.where(x > 0, 1.0, 0.2))
    y, dy = activation_curve("sigmoid", x)
    np.testing.assert_allclose(dy, y * (1 - y))
    y, dy = activation_curve("heaviside", x)
    assert dy is None and set(np.unique(y)) == {0.0, 1.0}


# -- pooling ---------------------------------------------------------------------------------------------------
def test_pooling_values_on_the_course_example():
    relu_o2 = np.array([[[[4.0, 7.0], [8.0, 0.0]]]])
    assert MaxPool2D(2).forward(relu_o2).item() == 8
    assert AvgPool2D(2).forward(relu_o2).item() == pytest.approx(4.75)
    assert SumPool2D(2).forward(relu_o2).item() == 19


@pytest.mark.parametrize(
    "size,stride,hw,expected",
    [
        (2, None, (28, 28), (14, 14)),  # stride defaults to the size
        (2, 2, (5, 5), (2, 2)),  # the last row/column is dropped, as in the course's floor division
        (3, 2, (7, 7), (3, 3)),
        (2, 3, (8, 8), (3, 3)),
        ((2, 1), (2, 1), (4, 3), (2, 3)),
    ],
)
def test_pooling_output_shape(size, stride, hw, expected):
    layer = MaxPool2D(size, stride)
    assert layer.output_shape((3, *hw)) == (3, *expected)
    assert layer.forward(np.zeros((1, 3, *hw))).shape == (1, 3, *expected)


def test_pooling_rejects_bad_options_and_too_small_maps():
    with pytest.raises(ValueError, match="size"):
        MaxPool2D(0)
    with pytest.raises(ValueError, match="stride"):
        AvgPool2D(2, 0)
    with pytest.raises(ValueError, match="larger"):
        MaxPool2D(3).output_shape((1, 2, 2))


def test_average_and_sum_pooling_spread_the_gradient():
    x = np.arange(16, dtype=np.float64).reshape(1, 1, 4, 4)
    avg, total = AvgPool2D(2), SumPool2D(2)
    avg.forward(x)
    total.forward(x)
    g = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    np.testing.assert_array_equal(avg.backward(g)[0, 0], np.kron([[1, 2], [3, 4]], np.full((2, 2), 0.25)))
    np.testing.assert_array_equal(total.backward(g)[0, 0], np.kron([[1, 2], [3, 4]], np.ones((2, 2))))


# -- flatten, dense, dropout, softmax --------------------------------------------------------------------------
def test_flatten_is_row_major_channel_by_channel_like_the_course_loop():
    p = np.arange(2 * 3 * 4, dtype=np.float64).reshape(1, 2, 3, 4)
    out = Flatten().forward(p)[0]
    np.testing.assert_array_equal(out, np.concatenate([oracles.flatten(p[0, c]) for c in range(2)]))
    assert Flatten().output_shape((16, 5, 5)) == (400,)


def test_dense_computes_w_x_plus_b_with_one_row_per_neuron():
    layer = built(Dense(2), (2,))
    layer.params["W"] = np.array([[0.5, -0.3], [-0.2, 0.7]])
    layer.params["b"] = np.array([1.2, -0.5])
    np.testing.assert_allclose(layer.forward(np.array([[10.0, 8.0]]))[0], [3.8, 3.1])  # the worked example's z
    assert layer.param_count() == 6


def test_dense_needs_a_vector_input():
    with pytest.raises(ValueError, match="flatten"):
        Dense(3).output_shape((2, 4, 4))
    with pytest.raises(ValueError, match="units"):
        Dense(0)


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5])
def test_dropout_rate_must_be_in_0_1(rate):
    with pytest.raises(ValueError, match="rate"):
        Dropout(rate)


def test_dropout_keeps_the_expected_value_while_training():
    layer = Dropout(0.25, seed=3)
    layer.training = True
    x = np.ones((200, 500))
    y = layer.forward(x)
    assert set(np.unique(y)) == {0.0, 1 / 0.75}
    assert abs(y.mean() - 1.0) < 0.01
    assert abs((y == 0).mean() - 0.25) < 0.01


def test_softmax_is_a_probability_distribution_and_shift_invariant():
    z = np.array([[3.8, 3.1], [1000.0, 1001.0]])
    p = Softmax().forward(z)
    np.testing.assert_allclose(p.sum(axis=1), 1)
    np.testing.assert_allclose(p[0], [0.66818777, 0.33181223], atol=1e-8)  # the worked example's ŷ
    np.testing.assert_allclose(p[1], softmax(np.array([0.0, 1.0])))
    assert np.all(np.isfinite(softmax(np.array([1e4, -1e4, 0.0]))))


def test_layer_fork_shares_parameters_but_not_caches():
    layer = built(Conv2D(2, 3), (1, 5, 5))
    layer.forward(np.zeros((1, 1, 5, 5)))
    clone = layer.fork()
    assert clone.cache == {} and clone.grads == {}
    assert layer.cache  # the original keeps its own cache
    assert np.shares_memory(clone.params["K"], layer.params["K"])
    assert clone.params is not layer.params
