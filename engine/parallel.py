"""Data parallelism on one machine: a minibatch's forward and backward passes split across threads.

The readable version is :meth:`Sequential.loss_and_grads` on the whole minibatch. This module computes the same
thing on ``threads`` slices of it at once and combines the results::

    L  = Σ_k (n_k / n) · L_k            the mean loss of the batch, from each slice's mean loss
    ∂L/∂θ = Σ_k (n_k / n) · ∂L_k/∂θ     likewise for every parameter's gradient

Why threads and not processes: NumPy lets go of Python's global lock inside its array loops and matrix products,
which are nearly all of a step's time at a minibatch of 64, so two threads keep two cores busy without copying the
weights or the batch between processes. Each thread works on its own ``model.fork()`` (same weight arrays, its
own caches and gradients), so the model itself is never touched while the slices run; the optimiser then
updates the shared weights in place, which every fork sees at the next step.

The split changes only the order of floating-point additions (a last-bit difference from the single-thread
step); dropout draws its masks per slice from the slice's own random stream, so a run is reproducible for a
given thread count.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from .dense import Dropout

if TYPE_CHECKING:  # engine/model.py imports this module for predict_proba
    from .model import Sequential

#: below this many images per thread, the threads' overhead costs more than the second core brings
MIN_SLICE = 16


def default_threads() -> int:
    """The cores this process may run on (its CPU affinity), at most 4: beyond that a LeNet step is too small
    to share."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def batch_slices(n: int, threads: int) -> list[slice]:
    """Contiguous, near-equal slices of a batch of ``n``, one per thread but none smaller than MIN_SLICE (so fewer
    of them for a small batch, and one for a tiny one)."""
    parts = max(1, min(threads, n // MIN_SLICE))
    bounds = np.linspace(0, n, parts + 1).round().astype(int)
    return [slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:])]


class ParallelGrads:
    """``loss_and_grads(x, y)`` of ``model`` on ``threads`` threads, each on a contiguous slice of the batch.

    After a call, ``model``'s layers hold the combined gradients in their ``grads`` (what an optimiser reads),
    exactly as after ``model.loss_and_grads(x, y, input_grad=False)``. ``dropout_seeds`` (one
    ``np.random.SeedSequence`` per thread) give each slice its own dropout stream. Use as a context manager, or
    call :meth:`close`, to stop the threads."""

    def __init__(self, model: Sequential, threads: int, dropout_seeds: list[np.random.SeedSequence] | None = None):
        if threads < 2:
            raise ValueError("ParallelGrads needs at least 2 threads (use model.loss_and_grads for one)")
        self.model = model
        self.threads = int(threads)
        self.forks = [model.fork() for _ in range(self.threads)]
        seeds = dropout_seeds or np.random.SeedSequence().spawn(self.threads)
        for fork, seed in zip(self.forks, seeds):
            for layer, layer_seed in zip(
                [l for l in fork.layers if isinstance(l, Dropout)], seed.spawn(len(fork.layers))
            ):
                layer.rng = np.random.default_rng(layer_seed)
        self.pool = ThreadPoolExecutor(self.threads, thread_name_prefix="convstep-grads")

    def slices(self, n: int) -> list[slice]:
        """How a batch of ``n`` is split over this object's threads: :func:`batch_slices`."""
        return batch_slices(n, self.threads)

    def loss_and_grads(self, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """Mean loss and probabilities ŷ (N, K) of the batch; fills ``model``'s gradients."""
        parts = self.slices(len(x))
        training = self.model.layers[0].training
        for fork in self.forks:
            fork.train(training)

        def run(k: int):
            return self.forks[k].loss_and_grads(x[parts[k]], y[parts[k]], input_grad=False)[:2]

        results = list(self.pool.map(run, range(len(parts))))
        n = len(x)
        weights = [(s.stop - s.start) / n for s in parts]
        loss = float(sum(w * r[0] for w, r in zip(weights, results)))
        probs = np.concatenate([r[1] for r in results]) if len(results) > 1 else results[0][1]
        for i, layer in enumerate(self.model.layers):
            if not layer.params:
                continue
            grads = [self.forks[k].layers[i].grads for k in range(len(parts))]
            layer.grads = {name: _weighted_sum(weights, [g[name] for g in grads]) for name in layer.params}
        return loss, probs

    def close(self) -> None:
        self.pool.shutdown(wait=True)

    def __enter__(self) -> ParallelGrads:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def shared_pool(threads: int) -> ThreadPoolExecutor:
    """One lasting pool of ``threads`` threads per size, for inference (starting threads costs more than a
    small batch's forward pass)."""
    with _pools_lock:
        pool = _pools.get(threads)
        if pool is None:
            pool = _pools[threads] = ThreadPoolExecutor(threads, thread_name_prefix="convstep-forward")
        return pool


def forward_in_slices(model: Sequential, x: np.ndarray, threads: int) -> np.ndarray:
    """``model.forward(x)`` computed on ``threads`` slices of the batch at once, each by its own fork (the model's
    caches are left as they were), sliced by :func:`batch_slices`."""
    parts = batch_slices(len(x), threads)
    if len(parts) == 1:
        return model.fork().forward(x)
    forks = [model.fork() for _ in parts]
    outs = shared_pool(len(parts)).map(lambda k: forks[k].forward(x[parts[k]]), range(len(parts)))
    return np.concatenate(list(outs))


def _weighted_sum(weights: list[float], arrays: list[np.ndarray]) -> np.ndarray:
    """Σ w_k · a_k in the arrays' dtype (a fresh array: the forks overwrite theirs at the next step)."""
    out = arrays[0] * arrays[0].dtype.type(weights[0])
    for w, a in zip(weights[1:], arrays[1:]):
        out += a * a.dtype.type(w)
    return out
