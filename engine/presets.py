"""Ready-made architectures.

* ``lenet``  — the default model behind the drawing lab, LeNet-*style* (not LeNet-5): two 5×5 convolutions,
  each followed by ReLU and 2×2 max pooling, then fully-connected layers with dropout and a 10-way softmax
  (28×28 → 8@28×28 → 8@14×14 → 16@10×10 → 16@5×5 → 400 → 120 → 84 → 10). LeNet-5 (LeCun et al., 1998) has
  6 then 16 maps, average pooling ("subsampling" with a weight and a bias) and tanh/sigmoid activations.
* ``seed``   — the course's from-scratch model, exactly: one 3×3 filter with padding 1 (no bias, as in the
  course's code), ReLU, 2×2 max pooling, flatten (196), dense 196→10, softmax.
* ``mlp``    — the perceptron chapter's network (seed 001): 784 → 16 → 16 → 16 → 10 with sigmoids, no
  convolution (its annex trains ``reseau_de_neurone(hidden_layers=(16, 16, 16))``); a softmax output for 10 digits
  where the chapter's binary task has one sigmoid.
* ``worked-example`` — the course's hand-worked example: a 3×3 input, filters f1, f2 (no bias), ReLU, global
  2×2 max pooling, dense 2→2 with W, b, softmax.
"""

from __future__ import annotations

import numpy as np

from .model import Sequential

LENET = [
    {"type": "conv2d", "name": "conv1", "filters": 8, "kernel_size": 5, "padding": "same"},
    {"type": "relu", "name": "relu1"},
    {"type": "maxpool", "name": "pool1", "size": 2, "stride": 2},
    {"type": "conv2d", "name": "conv2", "filters": 16, "kernel_size": 5, "padding": "valid"},
    {"type": "relu", "name": "relu2"},
    {"type": "maxpool", "name": "pool2", "size": 2, "stride": 2},
    {"type": "flatten", "name": "flatten"},
    {"type": "dense", "name": "fc1", "units": 120},
    {"type": "relu", "name": "relu3"},
    {"type": "dropout", "name": "dropout", "rate": 0.25},
    {"type": "dense", "name": "fc2", "units": 84},
    {"type": "relu", "name": "relu4"},
    {"type": "dense", "name": "fc3", "units": 10},
    {"type": "softmax", "name": "softmax"},
]


def course_cnn(filters: int, kernel_size: int, padding: int, classes: int) -> list[dict]:
    """The course's smallest CNN: one convolution (no bias), ReLU, 2×2 max pooling, one dense layer, softmax."""
    return [
        {
            "type": "conv2d",
            "name": "conv",
            "filters": filters,
            "kernel_size": kernel_size,
            "padding": padding,
            "use_bias": False,
        },
        {"type": "relu", "name": "relu"},
        {"type": "maxpool", "name": "pool", "size": 2, "stride": 2},
        {"type": "flatten", "name": "flatten"},
        {"type": "dense", "name": "fc", "units": classes},
        {"type": "softmax", "name": "softmax"},
    ]


SEED = course_cnn(filters=1, kernel_size=3, padding=1, classes=10)

MLP = [
    {"type": "flatten", "name": "flatten"},
    {"type": "dense", "name": "fc1", "units": 16},
    {"type": "sigmoid", "name": "sigmoid1"},
    {"type": "dense", "name": "fc2", "units": 16},
    {"type": "sigmoid", "name": "sigmoid2"},
    {"type": "dense", "name": "fc3", "units": 16},
    {"type": "sigmoid", "name": "sigmoid3"},
    {"type": "dense", "name": "fc4", "units": 10},
    {"type": "softmax", "name": "softmax"},
]

WORKED_EXAMPLE = course_cnn(filters=2, kernel_size=2, padding=0, classes=2)

# The numbers of the course's worked example (seed 000, sections III–IV).
WORKED_X = [[1, 0, 3], [2, 5, 1], [4, 0, 2]]
WORKED_F1 = [[1, 0], [2, -1]]
WORKED_F2 = [[-1, 2], [0, 1]]
WORKED_W = [[0.5, -0.3], [-0.2, 0.7]]
WORKED_B = [1.2, -0.5]
WORKED_Y = [0, 1]
WORKED_ETA = 0.01

PRESETS = {
    "lenet": (
        LENET,
        (1, 28, 28),
        "LeNet-style CNN (not LeNet-5): 8 then 16 filters 5×5, each with ReLU and 2×2 max pooling, FC 400→120→84→10 "
        "with dropout; LeNet-5 has 6 then 16 maps, average pooling (subsampling) and tanh/sigmoid",
    ),
    "seed": (
        SEED,
        (1, 28, 28),
        "The course's from-scratch model: one 3×3 filter (padding 1), ReLU, 2×2 max-pool, FC 196→10",
    ),
    "mlp": (
        MLP,
        (1, 28, 28),
        "The perceptron chapter's MLP: 784 → 16 → 16 → 16 → 10 with sigmoids (dense layers only)",
    ),
    "worked-example": (
        WORKED_EXAMPLE,
        (1, 3, 3),
        "The course's hand-worked example: 3×3 input, two 2×2 filters, FC 2→2",
    ),
}


def build_preset(name: str, seed: int = 0, dtype=np.float32) -> Sequential:
    """A freshly initialised model of a preset (``worked-example`` comes with the course's weights)."""
    if name not in PRESETS:
        raise KeyError(f"unknown preset {name!r}; known: {', '.join(PRESETS)}")
    spec, input_shape, description = PRESETS[name]
    model = Sequential.from_spec(
        spec, input_shape=input_shape, seed=seed, dtype=dtype, metadata={"preset": name, "description": description}
    )
    if name == "worked-example":
        set_worked_example_weights(model)
    return model


def set_worked_example_weights(model: Sequential, f1=WORKED_F1, f2=WORKED_F2, W=WORKED_W, b=WORKED_B) -> Sequential:
    dt = model.dtype
    model.layer("conv").params["K"] = np.array([[f1], [f2]], dtype=dt)
    model.layer("fc").params["W"] = np.array(W, dtype=dt)
    model.layer("fc").params["b"] = np.array(b, dtype=dt)
    return model
