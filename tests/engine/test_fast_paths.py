"""The shortcuts the engine takes for speed give the same numbers as the long way round.

* ``loss_and_grads(..., input_grad=False)`` skips the gradient of the pixels: every parameter gradient must be
  identical, and the models below cover first layers with and without parameters (conv, dense after flatten,
  pooling before a strided convolution).
* max pooling finds its arg-max with the maxima in training mode, only when asked in eval mode (inference);
  ReLU keeps its mask in training mode, its output in eval mode: the numbers must not depend on the mode.
* the SGD preview reuses one pass for "loss after step k" and "gradient of step k + 1".
* a convolution in eval mode (inference) works a few images at a time through one reused window buffer and keeps
  only its padded input; its numbers, and the gradients of a backward pass after it, must not change.
* ``engine.blas`` caps BLAS threads (the reason is in its docstring); the cap is configurable.
No timing here: speed is measured by benchmarks/run.py.
"""

from __future__ import annotations

import numpy as np
import pytest

import engine.conv as conv_module
from engine import Conv2D, MaxPool2D, ReLU, Sequential, backward_trace, build_preset
from engine.blas import blas_info, limit_blas_threads
from engine.losses import softmax_cross_entropy
from engine.model import running_order

MODELS = {
    "lenet": lambda dtype: build_preset("lenet", dtype=dtype),
    "seed": lambda dtype: build_preset("seed", dtype=dtype),
    "mlp": lambda dtype: Sequential.from_spec(
        [
            {"type": "flatten"},
            {"type": "dense", "units": 7},
            {"type": "tanh"},
            {"type": "dense", "units": 10},
            {"type": "softmax"},
        ],
        dtype=dtype,
    ),
    "pool-first": lambda dtype: Sequential.from_spec(
        [
            {"type": "avgpool", "size": 2},
            {"type": "conv2d", "filters": 3, "kernel_size": 3, "stride": (2, 1)},
            {"type": "relu"},
            {"type": "flatten"},
            {"type": "dense", "units": 10},
            {"type": "softmax"},
        ],
        dtype=dtype,
    ),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(MODELS))
def test_skipping_the_input_gradient_keeps_every_parameter_gradient(rng, name, dtype):
    full = MODELS[name](dtype)
    fast = full.copy()
    x = rng.random((5, *full.input_shape)).astype(dtype)
    y = rng.integers(0, 10, 5)
    loss, probs, dx = full.loss_and_grads(x, y)
    loss_fast, probs_fast, dx_fast = fast.loss_and_grads(x, y, input_grad=False)
    assert dx_fast is None and dx.shape == x.shape
    assert loss_fast == loss
    np.testing.assert_array_equal(probs_fast, probs)
    for a, b in zip(full.layers, fast.layers):
        assert a.grads.keys() == b.grads.keys() == a.params.keys()
        for key in a.grads:
            assert b.grads[key].dtype == dtype
            np.testing.assert_array_equal(b.grads[key], a.grads[key], err_msg=f"{name}: {a.name}.{key}")


def test_backward_without_input_gradient_stops_at_the_first_layer_with_parameters(rng):
    model = MODELS["pool-first"](np.float64)
    x = rng.random((2, *model.input_shape))
    z = model.logits(x)
    _, _, dz = softmax_cross_entropy(z, np.array([1, 2]))
    pool = model.layers[0]
    pool.cache = {"sentinel": True}  # a pooling layer below the first parameters is never backpropagated
    assert model.backward(dz, start=len(model.layers) - 1, input_grad=False) is None
    assert pool.cache == {"sentinel": True}
    assert set(model.layers[1].grads) == {"K", "b"}


def test_a_model_without_parameters_has_nothing_to_backpropagate(rng):
    model = Sequential.from_spec([{"type": "flatten"}, {"type": "softmax"}], input_shape=(1, 2, 5))
    x = rng.random((3, 1, 2, 5)).astype(np.float32)
    loss, probs, dx = model.loss_and_grads(x, np.array([0, 4, 9]), input_grad=False)
    assert dx is None and np.isfinite(loss) and probs.shape == (3, 10)


@pytest.mark.parametrize("size, stride", [(2, None), (3, 1), ((2, 3), 2)])
def test_max_pooling_and_relu_give_the_same_numbers_in_training_and_eval_mode(rng, size, stride):
    x = np.round(rng.standard_normal((2, 3, 7, 8)) * 2).astype(np.float32)  # many ties and zeros
    for make in (lambda: MaxPool2D(size, stride), ReLU):
        evaluating, training = make(), make()
        training.training = True
        out = evaluating.forward(x)
        np.testing.assert_array_equal(training.forward(x), out)
        grad = rng.standard_normal(out.shape).astype(np.float32)
        np.testing.assert_array_equal(training.backward(grad), evaluating.backward(grad))
    pool = MaxPool2D(size, stride)
    pool.forward(x)
    assert "argmax" not in pool.cache  # eval mode: not computed until asked
    expected = _training_argmax(x, size, stride)
    np.testing.assert_array_equal(pool.argmax(), expected)
    assert pool.argmax_positions().shape == (*expected.shape, 2)


def test_max_pooling_windows_of_more_than_256_cells_keep_their_arg_max(rng):
    x = rng.standard_normal((2, 3, 17, 18)).astype(np.float32)  # 17×17 windows: 289 cells, indices past uint8
    for training in (True, False):
        pool = MaxPool2D(17, 1)
        pool.training = training
        out = pool.forward(x)
        grad = rng.standard_normal(out.shape).astype(np.float32)
        dx = pool.backward(grad)
        for n, c, j in np.ndindex(2, 3, 2):
            window = x[n, c, :, j : j + 17]
            flat = int(np.argmax(window))
            assert pool.argmax()[n, c, 0, j] == flat and out[n, c, 0, j] == window.max()
        for n, c in np.ndindex(2, 3):  # overlapping windows: each cell gets the sum of the G routed to it
            expected = np.zeros((17, 18), np.float32)
            for j in range(2):
                r, col = divmod(int(pool.argmax()[n, c, 0, j]), 17)
                expected[r, j + col] += grad[n, c, 0, j]
            np.testing.assert_allclose(dx[n, c], expected)


def _training_argmax(x, size, stride):
    pool = MaxPool2D(size, stride)
    pool.training = True
    pool.forward(x)
    return pool.cache["argmax"]


@pytest.mark.parametrize("steps", [1, 3])
def test_sgd_preview_history_equals_plain_sgd_steps_done_by_hand(rng, steps):
    model = build_preset("seed", dtype=np.float64)
    x = rng.random((28, 28))
    label, eta = 7, 0.05
    trace = backward_trace(model, x, label, learning_rate=eta, steps=steps)
    manual = model.copy()
    batch, y = x[None, None], np.array([label])
    for step in range(steps):
        manual.loss_and_grads(batch, y)
        for layer in manual.layers:
            for key in layer.params:
                layer.params[key] = layer.params[key] - eta * layer.grads[key]
        loss, probs, _ = manual.loss_and_grads(batch, y)
        assert trace["sgd_step"]["history"][step]["loss"] == pytest.approx(loss, rel=1e-12)
        assert trace["sgd_step"]["history"][step]["probability"] == pytest.approx(probs[0, label], rel=1e-12)
    after = trace["sgd_step"]["params_after"]
    for layer in manual.layers:
        for key, value in layer.params.items():
            np.testing.assert_allclose(after[layer.name][key], value, rtol=1e-12, atol=1e-15)
    # the served model is untouched
    np.testing.assert_array_equal(
        model.layer("fc").params["W"], build_preset("seed", dtype=np.float64).layer("fc").params["W"]
    )


def test_blas_thread_limit_follows_the_environment(monkeypatch):
    try:
        monkeypatch.setenv("CONVSTEP_BLAS_THREADS", "0")
        assert limit_blas_threads() is None  # 0: leave BLAS alone
        monkeypatch.setenv("CONVSTEP_BLAS_THREADS", "two")
        with pytest.raises(ValueError, match="CONVSTEP_BLAS_THREADS"):
            limit_blas_threads()
        monkeypatch.delenv("CONVSTEP_BLAS_THREADS")
        assert limit_blas_threads() == 1
        if blas_info():  # NumPy built against a BLAS that threadpoolctl sees
            assert all(lib["num_threads"] == 1 for lib in blas_info())
    finally:
        limit_blas_threads(1)


@pytest.mark.parametrize(("stride", "padding", "chunk_bytes"), [(1, 2, 1 << 20), (2, 1, 3000), (1, "same", 1)])
def test_convolution_in_chunks_gives_the_training_mode_numbers(rng, monkeypatch, stride, padding, chunk_bytes):
    """Tiny chunk budgets force several chunks (and a last, shorter one; 1 byte: one image at a time)."""
    monkeypatch.setattr(conv_module, "CHUNK_BYTES", chunk_bytes)
    layer = Conv2D(4, kernel_size=3, stride=stride, padding=padding)
    layer.build((3, 11, 9), rng)
    x = rng.standard_normal((7, 3, 11, 9)).astype(np.float32)
    layer.training = True
    expected = layer.forward(x)
    grad = rng.standard_normal(expected.shape).astype(np.float32)
    dx_expected = layer.backward(grad)
    dk_expected = layer.grads["K"].copy()
    layer.training = False
    got = layer.forward(x)
    # inference keeps the padded input, not every window (unless they fit in one chunk: a single image's trace)
    assert ("cols" in layer.cache) == (chunk_bytes >= 1 << 20)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(layer.backward(grad), dx_expected)
    np.testing.assert_array_equal(layer.grads["K"], dk_expected)


@pytest.mark.parametrize(("stride", "padding", "chunk_bytes"), [(1, 2, 1 << 20), (2, 1, 3000), (1, "same", 1)])
def test_the_kernel_gradient_in_chunks_is_the_one_shot_product_to_the_last_bit(
    rng, monkeypatch, stride, padding, chunk_bytes
):
    """A training batch's forward keeps the padded input only; backward rebuilds the windows chunk by chunk (im2col,
    or the wide layout at stride 1) and adds the per-image products in the one-shot order: the same dL/dK, bit for
    bit, as all the windows at once."""
    monkeypatch.setattr(conv_module, "CHUNK_BYTES", chunk_bytes)
    layer = Conv2D(4, kernel_size=3, stride=stride, padding=padding)
    layer.build((3, 11, 9), rng)
    layer.training = True
    x = rng.standard_normal((7, 3, 11, 9)).astype(np.float32)
    out = layer.forward(x)
    grad = rng.standard_normal(out.shape).astype(np.float32)
    layer.backward(grad)
    pads, (ho, wo) = conv_module.conv_geometry(x.shape[2:], layer.kernel_size, layer.stride, layer.padding)
    if layer.cache.get("wide"):
        x_pad = conv_module.pad_images(x, conv_module.wide_pads(pads))
        cols = conv_module.wide_view(x_pad, layer.kernel_size, (ho, wo)).reshape(7, 3 * 9, -1)
        g = conv_module.wide_gradient(grad, x_pad.shape[3], 0)
    else:
        cols = conv_module.im2col(conv_module.pad_images(x, pads), layer.kernel_size, layer.stride, (ho, wo))
        g = grad.reshape(7, 4, ho * wo)
    one_shot = (cols @ g.transpose(0, 2, 1)).sum(axis=0).T.reshape(layer.params["K"].shape)
    np.testing.assert_array_equal(layer.grads["K"], one_shot)
    assert ("cols" in layer.cache) == (chunk_bytes >= 1 << 20)  # a small batch's windows fit in one chunk: kept
    assert bool(layer.cache.get("wide")) == (stride == 1 and chunk_bytes < 1 << 20)


@pytest.mark.parametrize(
    ("in_shape", "filters", "kernel", "padding", "use_bias"),
    [
        ((1, 28, 28), 8, 5, "same", True),  # LeNet's first layer
        ((8, 14, 14), 16, 5, "valid", True),  # LeNet's second
        ((3, 11, 9), 4, (3, 2), (1, 2), True),  # a kernel that is not square, uneven padding
        ((2, 7, 12), 3, 4, "same", False),  # an even kernel: "same" pads one more at the bottom and right
        ((3, 6, 6), 2, 1, 0, True),  # 1×1 windows: no junk columns at all
        ((2, 5, 5), 3, 5, "valid", True),  # one output per image
    ],
)
def test_the_wide_layout_gives_the_numbers_of_the_windows_one_by_one(
    rng, monkeypatch, in_shape, filters, kernel, padding, use_bias
):
    """A stride-1 batch goes through the wide layout (each window row a contiguous slice of the padded image,
    junk columns cut off or multiplied by zeros): output, dL/dK, dL/db and dL/dX must be the numbers of the
    im2col path that keeps every window, to float32 rounding (the same products, different BLAS calls)."""
    layer = Conv2D(filters, kernel_size=kernel, padding=padding, use_bias=use_bias)
    layer.build(in_shape, rng)
    if use_bias:
        layer.params["b"] = rng.standard_normal(filters).astype(np.float32)
    layer.training = True
    x = rng.standard_normal((9, *in_shape)).astype(np.float32)
    results = {}
    for budget in (1 << 40, 1):  # every window kept at once (im2col), then the wide layout chunk by chunk
        monkeypatch.setattr(conv_module, "CHUNK_BYTES", budget)
        out = layer.forward(x)
        grad = np.random.default_rng(3).standard_normal(out.shape).astype(np.float32)
        dx = layer.backward(grad)
        results[budget] = (layer.cache.get("wide", False), out, dx, *(layer.grads[k].copy() for k in layer.params))
    (wide_small, *reference), (wide_batch, *got) = results[1 << 40], results[1]
    assert (wide_small, wide_batch) == (False, True)
    for a, b in zip(got, reference):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5 * float(np.abs(b).max()))


@pytest.mark.parametrize(
    "pools",
    [
        [{"type": "maxpool", "size": 2}],  # LeNet's blocks
        [{"type": "maxpool", "size": 3, "stride": 2}],  # overlapping windows: a cell gets several windows' gradients
        [{"type": "maxpool", "size": 2}, {"type": "maxpool", "size": 2}],  # the ReLU moves past both
    ],
)
def test_running_a_relu_after_its_max_pooling_gives_the_layer_by_layer_numbers_to_the_bit(rng, pools):
    """Sequential runs ReLU → max pooling as pooling → ReLU (engine/model.py: running_order). Outputs, every
    parameter gradient and the input gradient must be those of the layers run one by one in their own order — with
    ties and windows that are all ≤ 0 (a bias of −3 makes most of them so; a constant image makes ties)."""
    spec = [{"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": 1}, {"type": "relu"}, *pools]
    spec += [{"type": "flatten"}, {"type": "dense", "units": 10}, {"type": "softmax"}]
    model = Sequential.from_spec(spec, input_shape=(1, 12, 12), seed=2)
    model.layers[0].params["b"][:] = [-3.0, 0.5, 0.0]
    x = rng.standard_normal((6, 1, 12, 12)).astype(np.float32)
    x[0] = 1.0  # a flat image: equal values in every window
    y = np.arange(6) % 10
    model.train()
    loss, probs, dx = model.loss_and_grads(x, y)
    got = {(layer.name, k): g.copy() for layer in model.layers for k, g in layer.grads.items()}

    outs = [x]
    for layer in model.layers[:-1]:  # one by one, in the model's order (as traces do)
        outs.append(layer.forward(outs[-1]))
    loss2, probs2, grad = softmax_cross_entropy(outs[-1], y)
    for layer in reversed(model.layers[:-1]):
        grad = layer.backward(grad)
    assert loss == loss2
    np.testing.assert_array_equal(probs, probs2)
    np.testing.assert_array_equal(dx, grad)
    for layer in model.layers:
        for k, g in layer.grads.items():
            np.testing.assert_array_equal(got[layer.name, k], g, err_msg=f"{layer.name}.{k}")
    assert [type(layer).__name__ for layer in running_order(model.layers[:3])] == ["Conv2D", "MaxPool2D", "ReLU"]
