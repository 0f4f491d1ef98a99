"""The course's loop implementations, kept as readable references ("test oracles").

These functions follow section V of the course (``convolution``, ``pooling``, ``max_pooling_backward``,
``conv_backward``) line by line, on one 2-D map at a time, with explicit Python loops. They are slow on purpose:
the vectorised layers of the engine must give the same numbers, and the tests check that they do.

Two deliberate differences from the printed code, each a bug fix:

* ``max_pooling_backward``: the course's ``break`` only leaves the inner loop, so a window with two equal maxima
  in different rows receives the gradient twice. Here exactly one position (the first in row-major order) gets it.
* ``conv_backward``: the course loops over every position of the padded input and every output; this version
  is the same computation, written as "add G[m, n]·K to the window it came from", which is easier to check.
"""

from __future__ import annotations

import math

import numpy as np


def add_padding(input_matrix: np.ndarray, padding: int) -> np.ndarray:
    if padding > 0:
        return np.pad(input_matrix, pad_width=padding, mode="constant", constant_values=0)
    return input_matrix


def convolution(input_matrix, kernel, stride=1, padding=0) -> np.ndarray:
    """One map, one kernel: ``feature_map[i, j] = sum(window * kernel)`` (course, V.2)."""
    input_matrix = add_padding(np.asarray(input_matrix, dtype=np.float64), padding)
    kernel = np.asarray(kernel, dtype=np.float64)
    input_height, input_width = input_matrix.shape
    kernel_height, kernel_width = kernel.shape
    output_height = (input_height - kernel_height) // stride + 1
    output_width = (input_width - kernel_width) // stride + 1
    feature_map = np.zeros((output_height, output_width))
    for i in range(output_height):
        for j in range(output_width):
            start_i, start_j = i * stride, j * stride
            window = input_matrix[start_i : start_i + kernel_height, start_j : start_j + kernel_width]
            feature_map[i, j] = np.sum(window * kernel)
    return feature_map


def convolution_multichannel(x, kernels, bias=None, stride=1, padding=0) -> np.ndarray:
    """(C, H, W) input, (F, C, kh, kw) kernels -> (F, H_out, W_out): each filter sums its channels
    (the course's RGB example: one sum per channel, then the three sums added, plus the bias)."""
    x = np.asarray(x, dtype=np.float64)
    kernels = np.asarray(kernels, dtype=np.float64)
    maps = []
    for f in range(kernels.shape[0]):
        total = sum(convolution(x[c], kernels[f, c], stride, padding) for c in range(x.shape[0]))
        maps.append(total + (0.0 if bias is None else bias[f]))
    return np.stack(maps)


def pooling(activated_map, pooling_size=2, stride=2, mode="max") -> np.ndarray:
    """Course V.4, extended to average and sum pooling."""
    activated_map = np.asarray(activated_map, dtype=np.float64)
    reduce = {"max": np.max, "avg": np.mean, "sum": np.sum}[mode]
    output_height = (activated_map.shape[0] - pooling_size) // stride + 1
    output_width = (activated_map.shape[1] - pooling_size) // stride + 1
    pooled_map = np.zeros((output_height, output_width))
    for i in range(output_height):
        for j in range(output_width):
            start_i, start_j = i * stride, j * stride
            window = activated_map[start_i : start_i + pooling_size, start_j : start_j + pooling_size]
            pooled_map[i, j] = reduce(window)
    return pooled_map


def pooling_backward(dl_dpool, activated_map, pooling_size=2, stride=2, mode="max") -> np.ndarray:
    """Course IV.3 / ``max_pooling_backward`` (first maximum only), plus average and sum pooling."""
    activated_map = np.asarray(activated_map, dtype=np.float64)
    dl_dmap = np.zeros_like(activated_map)
    output_height, output_width = dl_dpool.shape
    for i in range(output_height):
        for j in range(output_width):
            start_i, start_j = i * stride, j * stride
            window = activated_map[start_i : start_i + pooling_size, start_j : start_j + pooling_size]
            if mode == "max":
                max_value = np.max(window)
                found = False
                for m in range(pooling_size):
                    for n in range(pooling_size):
                        if window[m, n] == max_value and not found:
                            dl_dmap[start_i + m, start_j + n] += dl_dpool[i, j]
                            found = True
            else:
                share = dl_dpool[i, j] / (pooling_size * pooling_size) if mode == "avg" else dl_dpool[i, j]
                for m in range(pooling_size):
                    for n in range(pooling_size):
                        dl_dmap[start_i + m, start_j + n] += share
    return dl_dmap


def conv_backward(dL_dconv, x, kernel, stride=1, padding=0) -> tuple[np.ndarray, np.ndarray]:
    """Course IV.4 / ``conv_backward``: returns (dL/dx, dL/dkernel) for one map and one kernel.

    dL/dkernel = sum over outputs of G[i, j] · (window of x at (i, j))        — x correlated with G
    dL/dx      = sum over outputs of G[i, j] · kernel, added at the window     — full conv with rot180(kernel)
    """
    dL_dconv = np.asarray(dL_dconv, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    h_k, w_k = kernel.shape
    h_out, w_out = dL_dconv.shape
    x_padded = add_padding(x, padding)
    dx_padded = np.zeros_like(x_padded)
    dfilter = np.zeros_like(kernel)
    for i in range(h_out):
        for j in range(w_out):
            start_i, start_j = i * stride, j * stride
            dfilter += dL_dconv[i, j] * x_padded[start_i : start_i + h_k, start_j : start_j + w_k]
            dx_padded[start_i : start_i + h_k, start_j : start_j + w_k] += dL_dconv[i, j] * kernel
    dx = dx_padded[padding : x_padded.shape[0] - padding, padding : x_padded.shape[1] - padding]
    return dx, dfilter


def full_convolution(grad, kernel) -> np.ndarray:
    """The course's picture of dL/dX: pad G with (k − 1) zeros and correlate it with the 180°-rotated kernel."""
    grad = np.asarray(grad, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    rotated = np.rot90(kernel, 2)
    return convolution(np.pad(grad, ((kernel.shape[0] - 1,) * 2, (kernel.shape[1] - 1,) * 2)), rotated)


def relu(feature_map):
    return np.maximum(0, feature_map)


def flatten(pooled_map):
    """Course V.5: row by row into a vector."""
    h, w = pooled_map.shape
    out = np.zeros(h * w)
    index = 0
    for i in range(h):
        for j in range(w):
            out[index] = pooled_map[i, j]
            index += 1
    return out


def fully_connected(flattened_vector, weights, biases):
    return np.dot(weights, flattened_vector) + biases


def softmax(logits):
    exp_values = np.exp(logits - np.max(logits))
    return exp_values / np.sum(exp_values)


def seed_sgd_step(image, label, kernel, weights, biases, learning_rate=0.01):
    """One training step of the course's from-scratch model (section VI), loops and all.

    Returns (loss, new kernel, new weights, new biases). This is the reference for ``seed_loops_step_per_s``.
    """
    y_true = np.zeros(weights.shape[0])
    y_true[label] = 1
    conv_output = convolution(image, kernel, stride=1, padding=1)
    relu_output = relu(conv_output)
    pooled_output = pooling(relu_output, 2, 2)
    flattened_output = flatten(pooled_output)
    logits = fully_connected(flattened_output, weights, biases)
    probs = softmax(logits)
    loss = -np.sum(y_true * np.log(probs + 1e-12))
    dl_dz = probs - y_true
    dl_dw = np.outer(dl_dz, flattened_output)
    dl_db = dl_dz
    dl_dflat = weights.T @ dl_dz
    dl_dpool = dl_dflat.reshape(pooled_output.shape)
    dl_drelu = pooling_backward(dl_dpool, relu_output, 2, 2)
    dl_dconv = dl_drelu.copy()
    dl_dconv[conv_output <= 0] = 0
    _, dfilter = conv_backward(dl_dconv, image, kernel, stride=1, padding=1)
    return (loss, kernel - learning_rate * dfilter, weights - learning_rate * dl_dw, biases - learning_rate * dl_db)


# -- the perceptron chapter (seed 001) --------------------------------------------------------------------------------
def neuron_gradients_loop(X, y, A) -> tuple[np.ndarray, float]:
    """The course's derivation, term by term: ∂L/∂w_j = −(1/m)·Σ_i (y_i − a_i)·x_j^(i) and
    ∂L/∂b = −(1/m)·Σ_i (y_i − a_i), one sample and one weight at a time. X (m, n), y and A (m,) or (m, 1)."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    A = np.asarray(A, dtype=np.float64).reshape(-1)
    m, n = X.shape
    dW = np.zeros((n, 1))
    db = 0.0
    for j in range(n):
        total = 0.0
        for i in range(m):
            total += (y[i] - A[i]) * X[i, j]
        dW[j, 0] = -total / m
    for i in range(m):
        db += y[i] - A[i]
    return dW, -db / m


def neuron_log_loss_loop(y, A) -> float:
    """L = −(1/m)·Σ_i [y_i·ln a_i + (1 − y_i)·ln(1 − a_i)], one sample at a time (no ε)."""
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    A = np.asarray(A, dtype=np.float64).reshape(-1)
    total = 0.0
    for yi, ai in zip(y, A):
        total += yi * np.log(ai) + (1 - yi) * np.log(1 - ai)
    return -total / y.size


def course_back_propagation(y, parametres, activations) -> dict[str, np.ndarray]:
    """The course's ``back_propagation`` (annex 3), with its keys: dZ = A^[C] − y, then for c = C … 1:
    dW_c = (1/m)·dZ·A^[c−1]ᵀ, db_c = (1/m)·Σ dZ (per row), and dZ = W_cᵀ·dZ · A^[c−1](1 − A^[c−1])."""
    m = y.shape[1]
    C = len(parametres) // 2
    dZ = activations["A" + str(C)] - y
    gradients = {}
    for c in reversed(range(1, C + 1)):
        gradients["dW" + str(c)] = 1 / m * np.dot(dZ, activations["A" + str(c - 1)].T)
        gradients["db" + str(c)] = 1 / m * np.sum(dZ, axis=1, keepdims=True)
        if c > 1:
            A = activations["A" + str(c - 1)]
            dZ = np.dot(parametres["W" + str(c)].T, dZ) * A * (1 - A)
    return gradients


# -- the other layers, one number at a time (not in the course's code; written the same way) ----------------------
def activation(values, kind: str, alpha: float | None = None) -> np.ndarray:
    """f(x) entry by entry for ReLU, LeakyReLU (α = 0.1), ELU (α = 1), sigmoid, tanh and Heaviside (course III)."""
    values = np.asarray(values, dtype=np.float64)
    out = np.zeros(values.shape)
    for index, x in np.ndenumerate(values):
        if kind == "relu":
            out[index] = x if x > 0 else 0.0
        elif kind == "leaky_relu":
            out[index] = x if x > 0 else (0.1 if alpha is None else alpha) * x
        elif kind == "elu":
            out[index] = x if x > 0 else (1.0 if alpha is None else alpha) * (math.exp(x) - 1)
        elif kind == "sigmoid":
            out[index] = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
        elif kind == "tanh":
            out[index] = math.tanh(x)
        elif kind == "heaviside":
            out[index] = 1.0 if x >= 0 else 0.0
        else:
            raise ValueError(f"unknown activation {kind!r}")
    return out


def activation_backward(grad, values, kind: str, alpha: float | None = None) -> np.ndarray:
    """dL/dx = dL/dy · f'(x), entry by entry (the chain rule): f' is 1/0 for ReLU (the course's mask
    ``dL_dconv[conv_output <= 0] = 0``), 1/α for LeakyReLU, 1/α·eˣ for ELU, σ(1 − σ), 1 − tanh²."""
    grad = np.asarray(grad, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    out = np.zeros(values.shape)
    for index, x in np.ndenumerate(values):
        if kind == "relu":
            slope = 1.0 if x > 0 else 0.0
        elif kind == "leaky_relu":
            slope = 1.0 if x > 0 else (0.1 if alpha is None else alpha)
        elif kind == "elu":
            slope = 1.0 if x > 0 else (1.0 if alpha is None else alpha) * math.exp(x)
        elif kind == "sigmoid":
            s = activation(np.array([x]), "sigmoid")[0]
            slope = s * (1 - s)
        elif kind == "tanh":
            slope = 1 - math.tanh(x) ** 2
        else:
            raise ValueError(f"no derivative for {kind!r}")
        out[index] = grad[index] * slope
    return out


def unflatten(vector, shape) -> np.ndarray:
    """The inverse of :func:`flatten` (what the backward pass of a flatten layer does): the vector back into maps."""
    out = np.zeros(shape)
    index = 0
    for position in np.ndindex(*shape):
        out[position] = vector[index]
        index += 1
    return out


def fully_connected_backward(grad, flattened_vector, weights):
    """Course IV.2, one sample: dL/dW[k, j] = G[k]·x[j] (the outer product (ŷ − y) xᵀ), dL/db = G,
    dL/dx[j] = Σ_k W[k, j]·G[k] (Wᵀ·G). Returns (dL/dx, dL/dW, dL/db)."""
    grad = np.asarray(grad, dtype=np.float64)
    x = np.asarray(flattened_vector, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    d_out, d_in = weights.shape
    d_weights = np.zeros((d_out, d_in))
    d_x = np.zeros(d_in)
    for k in range(d_out):
        for j in range(d_in):
            d_weights[k, j] = grad[k] * x[j]
            d_x[j] += weights[k, j] * grad[k]
    return d_x, d_weights, grad.copy()


def softmax_backward(grad, probabilities):
    """dL/dz[i] = Σ_j dL/dŷ[j] · ∂ŷ[j]/∂z[i], with the Jacobian ∂ŷ[j]/∂z[i] = ŷ[j]·(δ_ij − ŷ[i])."""
    grad = np.asarray(grad, dtype=np.float64)
    y = np.asarray(probabilities, dtype=np.float64)
    out = np.zeros(len(y))
    for i in range(len(y)):
        for j in range(len(y)):
            out[i] += grad[j] * y[j] * ((1.0 if i == j else 0.0) - y[i])
    return out


def dropout(values, keep_mask, rate: float) -> np.ndarray:
    """Inverted dropout with a given mask (1 = kept): y = x · m / (1 − p), entry by entry; backward is the same
    formula applied to the gradient."""
    values = np.asarray(values, dtype=np.float64)
    out = np.zeros(values.shape)
    for index, x in np.ndenumerate(values):
        out[index] = x * keep_mask[index] / (1 - rate)
    return out
