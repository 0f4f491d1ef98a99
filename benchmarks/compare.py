"""Time the engine of another commit against the working tree's, in one process, in turns.

    python benchmarks/compare.py                       # against the commit that created engine/conv.py
    python benchmarks/compare.py --base HEAD~1 --repeats 9 --json

The base engine is unpacked from ``git archive BASE engine`` into a temporary folder and imported as the package
``engine_base`` (the engine only uses relative imports), so both run on the same data, in the same process, and
every figure is timed in turns (base, current, base, current, ...): a change of load on a shared machine hits both
alike, and the ratios stay meaningful even when absolute figures swing by ±25 %.

BLAS threads: importing the current engine caps OpenBLAS at one thread (engine/blas.py). ``--base-threads 2``
times the base with two, as NumPy runs by default on a 2-core machine (what the first engine did).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import Batches, Contender, interleaved_medians, load_digits  # noqa: E402

import engine  # noqa: E402


def first_engine_commit() -> str:
    out = subprocess.run(
        ["git", "log", "--diff-filter=A", "--format=%h", "--", "engine/conv.py"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return out[-1]


def import_engine_at(commit: str, folder: Path):
    """The ``engine`` package of ``commit``, imported as ``engine_base``."""
    archive = subprocess.run(["git", "archive", commit, "engine"], cwd=REPO_ROOT, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python >= 3.11.4: refuse links and paths outside the folder
            tar.extractall(folder, filter="data")
        else:  # pragma: no cover - our own repository's archive
            tar.extractall(folder)
    (folder / "engine").rename(folder / "engine_base")
    sys.path.insert(0, str(folder))
    return importlib.import_module("engine_base")


def workloads(E, x, y) -> dict[str, tuple[Callable[[], Any], int, int | None]]:
    """name -> (call, calls per timing, images per call; None: the figure is milliseconds per call)."""
    # a training step does not need the gradient of the pixels; older engines cannot skip it
    fast = {"input_grad": False} if "input_grad" in inspect.signature(E.Sequential.loss_and_grads).parameters else {}
    train_model, train_opt = E.build_preset("lenet").train(), E.SGD(0.01, momentum=0.9)
    train_batches = Batches(x, y, 64)

    def train_step():
        xb, yb = train_batches.next()
        train_model.loss_and_grads(xb, yb, **fast)
        train_opt.step(train_model)

    served = E.build_preset("lenet").eval()
    infer_batches, images = Batches(x, y, 256), Batches(x, y, 1)
    seed_model, seed_opt = E.build_preset("seed").train(), E.SGD(0.01)

    def seed_step():
        xb, yb = images.next()
        seed_model.loss_and_grads(xb, yb, **fast)
        seed_opt.step(seed_model)

    return {
        "lenet_train_img_per_s": (train_step, 10, 64),
        "lenet_infer_img_per_s": (lambda: served.forward(infer_batches.next()[0]), 3, 256),
        "single_forward_trace_ms": (lambda: E.forward_trace(served, x[7, 0]), 20, None),
        "single_backward_trace_ms": (lambda: E.backward_trace(served, x[7, 0], int(y[7])), 10, None),
        "seed_step_per_s": (seed_step, 200, 1),
    }


def compare(base: str, repeats: int, base_threads: int) -> dict[str, Any]:
    from threadpoolctl import threadpool_limits

    x, y = load_digits()
    with tempfile.TemporaryDirectory() as tmp:
        base_engine = import_engine_at(base, Path(tmp))
        jobs = {"base": workloads(base_engine, x, y), "current": workloads(engine, x, y)}
        threads = {"base": base_threads, "current": 1}

        def use_threads(n: int) -> None:
            threadpool_limits(n, user_api="blas")
            if base_threads > 1 and n == 1:
                # OpenBLAS's helper threads keep spinning ~0.1 s after their last product: let them fall asleep,
                # or they would slow down whatever is timed next
                time.sleep(0.3)

        result: dict[str, Any] = {"base": base, "base_blas_threads": base_threads, "repeats": repeats}
        for metric in jobs["current"]:
            contenders = {
                name: Contender(work[metric][0], work[metric][1], lambda n=threads[name]: use_threads(n))
                for name, work in jobs.items()
            }
            seconds = interleaved_medians(contenders, repeats)
            per_call = jobs["current"][metric][2]
            for name, s in seconds.items():
                result[f"{name}_{metric}"] = per_call / s if per_call else 1e3 * s
            result[f"speedup_{metric}"] = seconds["base"] / seconds["current"]
        threadpool_limits(1, user_api="blas")
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base", help="a commit (default: the one that created engine/conv.py)")
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--base-threads", type=int, default=1, help="OpenBLAS threads for the base engine (default 1)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    result = compare(args.base or first_engine_commit(), args.repeats, args.base_threads)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for metric in (
            "lenet_train_img_per_s",
            "lenet_infer_img_per_s",
            "single_forward_trace_ms",
            "single_backward_trace_ms",
            "seed_step_per_s",
        ):
            print(
                f"{metric:26s} base {result['base_' + metric]:10.1f}   current {result['current_' + metric]:10.1f}"
                f"   speedup {result['speedup_' + metric]:5.2f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
