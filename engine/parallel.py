"""Data parallelism on one machine: a minibatch's forward and backward passes split across cores.

The readable version is :meth:`Sequential.loss_and_grads` on the whole minibatch. This module computes the same
thing on ``threads`` slices of it at once and combines the results::

    L  = Σ_k (n_k / n) · L_k            the mean loss of the batch, from each slice's mean loss
    ∂L/∂θ = Σ_k (n_k / n) · ∂L_k/∂θ     likewise for every parameter's gradient

Training (:class:`ParallelGrads`): the calling thread computes the first slice on a ``model.fork()``, and one helper
*process* per other slice computes its own, each with a copy of the model whose weights are views of a shared
memory map. Every step the model's weights are copied there (LeNet: 62,000 numbers, a few µs), each helper gets
its slice through a pipe and writes its gradients back into the map. The optimiser updates the model itself, as
with one thread.

Why processes, not threads: a LeNet step at a slice of 32 images holds Python's global lock for about a sixth of
its time (the layers' Python code and NumPy's small operations between the big ones). Two threads run the same
layers at the same moment, so they queue for the lock together: measured on the 2-core development machine, each
slice ran 1.45× slower beside the other than alone, and two threads were only 1.1–1.25× faster than one. Two
processes in the same lockstep ran each slice 1.03–1.05× slower than alone. Starting a helper costs about a
second (a fresh interpreter imports NumPy and the engine), once per training run.

Inference (:func:`forward_in_slices`) stays on threads: a forward pass is mostly large products with the lock let
go, and sending 256 images to another process would cost what it saves.

The split changes only the order of floating-point additions (a last-bit difference from the single-thread
step); dropout draws its masks per slice from the slice's own random stream, so a run is reproducible for a
given thread count.
"""

from __future__ import annotations

import mmap
import os
import pickle
import signal
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .dense import Dropout

if TYPE_CHECKING:  # engine/model.py imports this module for predict_proba
    from .model import Sequential

#: below this many images per thread, the threads' overhead costs more than the second core brings
MIN_SLICE = 16

#: how long a helper process may take to stop
HELPER_TIMEOUT_S = 60.0


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


class SharedArrays:
    """The model's parameters, and one set of gradients per helper process, in one shared memory map.

    ``layout`` lists, in ``model.parameters()`` order, each array's (layer index, name, shape); ``params`` and
    ``grads[k]`` are NumPy views of the map in that order. The map lives in a file under /dev/shm (RAM) when there
    is one; the file is deleted as soon as every helper has mapped it, so nothing is left behind if a process dies."""

    def __init__(self, model: Sequential, helpers: int):
        self.dtype = np.dtype(model.dtype)
        self.layout = [
            (i, name, value.shape) for i, layer in enumerate(model.layers) for name, value in layer.params.items()
        ]
        self.count = sum(int(np.prod(shape)) for _, _, shape in self.layout)
        size = max(1, self.count * self.dtype.itemsize * (1 + helpers))
        directory = "/dev/shm" if os.path.isdir("/dev/shm") else None
        fd, self.path = tempfile.mkstemp(prefix="convstep-grads-", dir=directory)
        try:
            os.ftruncate(fd, size)
            self.map = mmap.mmap(fd, size)
        finally:
            os.close(fd)
        self.params = self.views(0)
        self.grads = [self.views(1 + k) for k in range(helpers)]

    @classmethod
    def attach(cls, path: str, dtype: str, layout: list, count: int, helpers: int) -> SharedArrays:
        """The same map, opened by a helper process."""
        shared = object.__new__(cls)
        shared.dtype, shared.layout, shared.count, shared.path = np.dtype(dtype), layout, count, path
        with open(path, "r+b") as file:
            shared.map = mmap.mmap(file.fileno(), 0)
        shared.params = shared.views(0)
        shared.grads = [shared.views(1 + k) for k in range(helpers)]
        return shared

    def views(self, block: int) -> list[np.ndarray]:
        out, offset = [], block * self.count * self.dtype.itemsize
        for _, _, shape in self.layout:
            view = np.ndarray(shape, self.dtype, self.map, offset)
            out.append(view)
            offset += view.nbytes
        return out

    def forget_file(self) -> None:
        """Delete the file (the processes that mapped it keep the memory until they unmap it). Best effort: where a
        mapped file cannot be deleted (Windows), it is left in the temporary folder."""
        try:
            os.unlink(self.path)
        except OSError:
            pass


class Channel:
    """Python objects over a pair of byte streams (a helper's stdin and stdout): each message is its pickle's
    length (8 bytes) then the pickle. Pipes of a child process work the same on every system."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    def send(self, obj) -> None:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        self.writer.write(struct.pack("<Q", len(data)) + data)
        self.writer.flush()

    def recv(self):
        header = self._read(8)
        return pickle.loads(self._read(struct.unpack("<Q", header)[0]))

    def _read(self, size: int) -> bytes:
        data = self.reader.read(size)
        if len(data) < size:
            raise EOFError("the other side closed the channel")
        return data


#: what a helper process runs: its first arguments are put in front of sys.path, so that it imports this engine
HELPER_COMMAND = "import sys; sys.path[:0] = sys.argv[1:]; from engine.parallel import helper_main; helper_main()"


def helper_main() -> None:
    """A helper process: compute the gradients of the slices it is sent, write them into the shared map.

    Its messages travel on its stdout, so anything else printed there goes to stderr instead. Ctrl-C in a terminal
    reaches the whole process group: a helper ignores it and stops when the calling process closes its pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    writer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    channel = Channel(sys.stdin.buffer, writer)
    model_bytes, shared_info, augment, index, seed, augment_seed = channel.recv()
    augment_rng = np.random.default_rng(augment_seed)

    from .model import Sequential

    model = Sequential.from_bytes(model_bytes)
    shared = SharedArrays.attach(*shared_info)
    for (i, name, _), view in zip(shared.layout, shared.params):
        view.flags.writeable = False  # only the calling process writes the weights
        model.layers[i].params[name] = view
    _seed_dropout(model, seed)
    channel.send("ready")
    while True:
        try:
            message = channel.recv()
        except EOFError:  # the calling process is gone
            return
        if message is None:
            return
        training, x, y = message
        try:
            if augment is not None:
                x = augment(x, augment_rng).astype(model.dtype, copy=False)
            model.train(training)
            loss, probs, _ = model.loss_and_grads(x, y, input_grad=False)
            for (i, name, _), target in zip(shared.layout, shared.grads[index]):
                np.copyto(target, model.layers[i].grads[name])
            channel.send((loss, probs))
        except Exception as error:  # sent back: the calling process raises it
            channel.send(error)


def _seed_dropout(model: Sequential, seed: np.random.SeedSequence) -> None:
    """Each Dropout layer of ``model`` draws from its own stream spawned from ``seed``."""
    dropouts = [layer for layer in model.layers if isinstance(layer, Dropout)]
    for layer, layer_seed in zip(dropouts, seed.spawn(len(model.layers))):
        layer.rng = np.random.default_rng(layer_seed)


class ParallelGrads:
    """``loss_and_grads(x, y)`` of ``model`` on ``threads`` cores, each on a contiguous slice of the batch: the
    calling thread takes the first slice, ``threads - 1`` helper processes the others (see the module docstring).

    After a call, ``model``'s layers hold the combined gradients in their ``grads`` (what an optimiser reads),
    exactly as after ``model.loss_and_grads(x, y, input_grad=False)``. ``dropout_seeds`` (one
    ``np.random.SeedSequence`` per slice) give each slice its own dropout stream. ``augment`` (``f(x, rng) -> x``),
    if given, distorts each slice in the process that computes it, with its own generator from ``augment_seeds``:
    a training run's augmentation is shared out too. A function that cannot be pickled cannot reach a helper: then
    ``self.augment`` is None and the caller augments the whole batch itself. Use as a context manager, or call
    :meth:`close`, to stop the helpers."""

    def __init__(
        self,
        model: Sequential,
        threads: int,
        dropout_seeds: list[np.random.SeedSequence] | None = None,
        augment: Callable[[np.ndarray, np.random.Generator], np.ndarray] | None = None,
        augment_seeds: list[np.random.SeedSequence] | None = None,
    ):
        if threads < 2:
            raise ValueError("ParallelGrads needs at least 2 threads (use model.loss_and_grads for one)")
        self.model = model
        self.threads = int(threads)
        seeds = dropout_seeds or np.random.SeedSequence().spawn(self.threads)
        self.fork = model.fork()  # the first slice's, in this process
        _seed_dropout(self.fork, seeds[0])
        self.augment = augment if augment is not None and _picklable(augment) else None  # else: the caller's job
        augment_seeds = augment_seeds or np.random.SeedSequence().spawn(self.threads)
        self.augment_rng = np.random.default_rng(augment_seeds[0])
        self.shared = SharedArrays(model, self.threads - 1)
        info = (self.shared.path, self.shared.dtype.str, self.shared.layout, self.shared.count, self.threads - 1)
        engine_parent = str(Path(__file__).resolve().parents[1])
        request = (model.to_bytes(), info, self.augment)
        self.helpers: list[tuple[subprocess.Popen, Channel]] = []
        try:
            for k in range(self.threads - 1):
                process = subprocess.Popen(
                    [sys.executable, "-c", HELPER_COMMAND, engine_parent], stdin=subprocess.PIPE, stdout=subprocess.PIPE
                )
                channel = Channel(process.stdout, process.stdin)
                self.helpers.append((process, channel))
                channel.send((*request, k, seeds[k + 1], augment_seeds[k + 1]))
            for _, channel in self.helpers:
                if self._answer(channel) != "ready":
                    raise RuntimeError("a training helper process did not start")
        except BaseException:
            self.close()
            raise
        finally:
            self.shared.forget_file()

    def slices(self, n: int) -> list[slice]:
        """How a batch of ``n`` is split over this object's threads: :func:`batch_slices`."""
        return batch_slices(n, self.threads)

    def loss_and_grads(self, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """Mean loss and probabilities ŷ (N, K) of the batch; fills ``model``'s gradients."""
        parts = self.slices(len(x))
        training = self.model.layers[0].training
        for (i, name, _), view in zip(self.shared.layout, self.shared.params):  # this step's weights, for the helpers
            np.copyto(view, self.model.layers[i].params[name])
        for (_, channel), part in zip(self.helpers, parts[1:]):
            channel.send((training, np.ascontiguousarray(x[part]), np.ascontiguousarray(y[part])))
        first = x[parts[0]]
        if self.augment is not None:  # while the helpers augment and compute theirs
            first = self.augment(first, self.augment_rng).astype(self.model.dtype, copy=False)
        self.fork.train(training)
        loss0, probs0, _ = self.fork.loss_and_grads(first, y[parts[0]], input_grad=False)
        results = [(loss0, probs0)]
        for _, channel in self.helpers[: len(parts) - 1]:
            results.append(self._answer(channel))
        n = len(x)
        weights = [(s.stop - s.start) / n for s in parts]
        loss = float(sum(w * r[0] for w, r in zip(weights, results)))
        probs = np.concatenate([r[1] for r in results]) if len(results) > 1 else results[0][1]
        for j, (i, name, _) in enumerate(self.shared.layout):
            slices_grads = [self.fork.layers[i].grads[name]] + [
                grads[j] for grads in self.shared.grads[: len(parts) - 1]
            ]
            self.model.layers[i].grads[name] = _weighted_sum(weights, slices_grads)
        return loss, probs

    @staticmethod
    def _answer(channel: Channel):
        """A helper's next message; an exception it sent is raised here."""
        try:
            answer = channel.recv()
        except EOFError:
            raise RuntimeError("a training helper process stopped (its error, if any, is on stderr)") from None
        if isinstance(answer, Exception):
            raise answer
        return answer

    def close(self) -> None:
        """Stop the helper processes (idempotent)."""
        for _, channel in self.helpers:
            try:
                channel.send(None)
            except OSError:  # already gone
                pass
        for process, channel in self.helpers:
            try:
                process.wait(HELPER_TIMEOUT_S)
            except subprocess.TimeoutExpired:  # pragma: no cover - a helper stuck in a step
                process.kill()
                process.wait()
            channel.reader.close()
            channel.writer.close()
        self.helpers = []
        self.shared.forget_file()

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


def _picklable(obj) -> bool:
    try:
        pickle.dumps(obj)
    except Exception:  # lambdas, local functions, open resources...
        return False
    return True


def _weighted_sum(weights: list[float], arrays: list[np.ndarray]) -> np.ndarray:
    """Σ w_k · a_k in the arrays' dtype (a fresh array: the forks overwrite theirs at the next step)."""
    out = arrays[0] * arrays[0].dtype.type(weights[0])
    for w, a in zip(weights[1:], arrays[1:]):
        out += a * a.dtype.type(w)
    return out
