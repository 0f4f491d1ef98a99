"""The same networks in PyTorch, to compare with in the same benchmark run — only if PyTorch is installed.

PyTorch is not a dependency of ConvStep (``pip install torch`` by hand in the venv to get these figures).
Each function returns plain callables that ``benchmarks/run.py`` times in turns with ConvStep's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def load_torch():
    """The torch module, or None when it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    return torch


def lenet(nn):
    """ConvStep's ``lenet`` preset, layer for layer (PyTorch applies the softmax inside its loss)."""
    return nn.Sequential(
        nn.Conv2d(1, 8, 5, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120),
        nn.ReLU(),
        nn.Dropout(0.25),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, 10),
    )


def seed(nn):
    """The course's seed model: one 3×3 filter (padding 1, no bias), ReLU, 2×2 max pooling, dense 196 → 10."""
    return nn.Sequential(
        nn.Conv2d(1, 1, 3, padding=1, bias=False), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(196, 10)
    )


def contenders(torch, batches: Callable[[int], Callable[[], tuple[Any, Any]]], threads: int) -> dict[str, Any]:
    """Callables for one thread count: a LeNet SGD step with momentum 0.9 (batch from ``batches(64)``), a LeNet
    inference (``batches(256)``), a per-image plain SGD step of the seed model (``batches(1)``), and
    ``threads()`` which sets the thread count (call it before timing)."""
    from torch import nn

    loss_fn = nn.CrossEntropyLoss()

    def sgd_step(net, next_batch, momentum):
        opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=momentum)

        def step():
            xb, yb = next_batch()
            opt.zero_grad()
            loss_fn(net(xb), yb).backward()
            opt.step()

        return step

    train_net, infer_net = lenet(nn), lenet(nn).eval()
    infer_batch = batches(256)

    def infer():
        with torch.no_grad():
            infer_net(infer_batch()[0])

    return {
        "train": sgd_step(train_net.train(), batches(64), momentum=0.9),
        "infer": infer,
        "seed": sgd_step(seed(nn).train(), batches(1), momentum=0.0),
        "threads": lambda n=threads: torch.set_num_threads(n),
    }


def as_tensors(torch, x: np.ndarray, y: np.ndarray):
    return torch.from_numpy(x), torch.from_numpy(y)
