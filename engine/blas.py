"""How many threads NumPy's BLAS (OpenBLAS) may use — one, unless ``CONVSTEP_BLAS_THREADS`` says otherwise.

Why one: the engine's matrix products are small (one per image: (8, 25) @ (25, 784) for LeNet's first layer),
so a second BLAS thread has little to share, and after each product it keeps spinning on a core that the
element-wise work (ReLU, pooling, im2col copies) needs. On a machine whose 2 cores are shared with other
processes it is worse: a product split in two waits for its second half until the scheduler gives the helper
thread a time slice, and small products take 10-100x longer. Measured on the 2-core development machine
(LeNet training at batch 64, wall clock): while it was busy, 2 OpenBLAS threads ran 2.5x slower than 1; when it
was quiet, they were no faster (2,960 vs 3,010 images/s) and used twice the CPU time. The web server's
``--workers 2`` get one core each this way, instead of four spinning threads on two cores.

The limit is applied when the engine is imported, through threadpoolctl (already installed with mlxtend);
``CONVSTEP_BLAS_THREADS=2`` (or any n) sets another limit, ``0`` leaves BLAS alone.
"""

from __future__ import annotations

import os
from typing import Any

ENV_VAR = "CONVSTEP_BLAS_THREADS"
DEFAULT_THREADS = 1


def limit_blas_threads(threads: int | None = None) -> int | None:
    """Cap the BLAS thread pools of this process at ``threads`` (default: ``$CONVSTEP_BLAS_THREADS`` or 1).

    Returns the limit applied, or None when nothing was changed (``0``, or threadpoolctl missing)."""
    if threads is None:
        raw = os.environ.get(ENV_VAR, "").strip()
        try:
            threads = int(raw) if raw else DEFAULT_THREADS
        except ValueError:
            raise ValueError(f"{ENV_VAR} must be an integer (0 = leave BLAS alone), got {raw!r}") from None
    if threads <= 0:
        return None
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with mlxtend's scikit-learn
        return None
    threadpool_limits(limits=threads, user_api="blas")
    return threads


def blas_info() -> list[dict[str, Any]]:
    """The BLAS libraries NumPy loaded, with their thread counts (for benchmark reports)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # pragma: no cover
        return []
    keys = ("internal_api", "version", "num_threads", "architecture", "threading_layer")
    return [{k: lib.get(k) for k in keys} for lib in threadpool_info() if lib.get("user_api") == "blas"]
