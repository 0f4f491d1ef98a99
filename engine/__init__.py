"""ConvStep's NumPy CNN engine: layers with exact forward and backward passes, models, traces and training.

Pure NumPy (Pillow for image decoding/resampling): it never imports the web framework.

    from engine import build_preset, forward_trace
    model = build_preset("lenet")
"""

from .activations import ELU, Heaviside, LeakyReLU, ReLU, Sigmoid, Tanh
from .allocator import keep_freed_memory
from .base import Layer, NotDifferentiableError
from .blas import limit_blas_threads
from .conv import Conv2D, conv_output_shape
from .dense import Dense, Dropout, Flatten, Softmax, softmax
from .gradcheck import gradcheck
from .losses import binary_cross_entropy, cross_entropy, mean_squared_error, one_hot, softmax_cross_entropy
from .model import ModelFileError, Sequential
from .optim import SGD, Adam, make_optimizer
from .pooling import AvgPool2D, MaxPool2D, SumPool2D
from .presets import PRESETS, build_preset
from .trace import backward_trace, forward_trace, receptive_field, sgd_preview

keep_freed_memory()  # no fresh pages (and page faults) for every step's arrays (why: engine/allocator.py)
limit_blas_threads()  # one BLAS thread unless $CONVSTEP_BLAS_THREADS says otherwise (why: engine/blas.py)

__all__ = [
    "Adam",
    "AvgPool2D",
    "Conv2D",
    "Dense",
    "Dropout",
    "ELU",
    "Flatten",
    "Heaviside",
    "Layer",
    "LeakyReLU",
    "MaxPool2D",
    "ModelFileError",
    "NotDifferentiableError",
    "PRESETS",
    "ReLU",
    "SGD",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "SumPool2D",
    "Tanh",
    "backward_trace",
    "binary_cross_entropy",
    "build_preset",
    "conv_output_shape",
    "cross_entropy",
    "forward_trace",
    "gradcheck",
    "make_optimizer",
    "mean_squared_error",
    "one_hot",
    "receptive_field",
    "sgd_preview",
    "softmax",
    "softmax_cross_entropy",
]

__version__ = "0.1.0"
