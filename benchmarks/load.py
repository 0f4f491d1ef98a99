"""Load a live ``convstep serve`` with concurrent clients: errors, latency, throughput and the server's memory.

(Over 400 lines: a self-contained script — server start, clients, measurements, JSON report — meant to run alone.)

    python benchmarks/load.py                       # 32 clients × 20 s × 3 rounds, --workers 1 then --workers 2
    python benchmarks/load.py --clients 8 --seconds 5 --rounds 2 --workers 1
    python benchmarks/load.py --url http://127.0.0.1:8000     # a server already running on this machine

Each client is a thread with its own keep-alive connection that sends, in turn, ``POST /api/predict``,
``/api/forward`` and ``/api/backward`` with real handwritten digits (the bundled held-out MNIST samples,
``engine/weights/samples.npz``) drawn the way the drawing pad exports them: a 280×280 PNG data URL, dark ink on
white. The server is started here (``convstep serve --workers N`` on a free port of 127.0.0.1, its own process
group) and its memory is read from ``/proc/<pid>/status`` (VmRSS summed over the server's process tree: the
uvicorn supervisor and its workers) before and after every round.

The JSON printed has, per worker count: for each round and endpoint the requests, errors, latency p50/p90/p99
and throughput, the RSS before/after each round, and the RSS growth from the end of round 1 (models loaded,
caches and allocator arenas warm) to the end of the last round, checked against a stated bound
(``--rss-bound-mb``, default 48 MB per worker process). The exit code is 1 when any request failed or the
memory grew past the bound.

``measure_api`` (forward latency from one client, predict throughput from many) is what ``benchmarks/run.py``
records. Requests only ever go to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root: tests.support

from tests.support.live_server import (  # noqa: E402  (the harness, shared with the tests)
    DEFAULT_RSS_BOUND_MB_PER_PROCESS,
    LOAD_ENDPOINTS,
    REPO_ROOT,
    ServerProcess,
    _connection,
    digit_png_data_url,
    endpoint_bodies,
    live_server,
    load_rounds,
    percentile,
    real_digits,
    request,
    run_load,
    sample_digit,
)


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
    return {
        "api_forward_p50_ms": 1e3 * statistics.median(times),
        "api_forward_p99_ms": 1e3 * percentile(times, 99),
        "api_forward_requests": len(times),
        "api_forward_response_bytes": raw,
        "api_forward_response_gzip_bytes": wire,
    }


PACKED_ACCEPT = "application/vnd.convstep.packed+json, application/json;q=0.9"


def wire_bytes(url: str, method: str, path: str, payload: dict | None = None, packed: bool = True) -> int:
    """Bytes of one answer as a browser receives it (gzip accepted; packed traces when ``packed``)."""
    headers = {"Accept-Encoding": "gzip", "Accept": PACKED_ACCEPT if packed else "application/json"}
    body = json.dumps(payload).encode() if payload is not None else None
    status, data, _ = request(url, method, path, body, headers)
    if status != 200:
        raise RuntimeError(f"{method} {path} answered {status}: {data[:300]!r}")
    return len(data)


def lesson_wire(url: str, image: str) -> dict[str, Any]:
    """What the pages download, compressed as on the wire, now and as they did before the packed form:

    * a drawing update in the lab: one POST /api/forward without the weights (they came with the first answer)
      — before: with them (the lab re-downloaded them every time) and plain JSON;
    * a whole /steps lesson: the models and samples lists, the forward pass with the weights, the backward pass
      (without params_after, which no page shows) and the row of fc1's weights its dense step fetches — before:
      plain JSON, params_after included."""
    forward = {"image": image, "preprocess": True}
    update = wire_bytes(url, "POST", "/api/forward", {**forward, "include_params": False})
    update_before = wire_bytes(url, "POST", "/api/forward", forward, packed=False)
    lists = wire_bytes(url, "GET", "/api/models") + wire_bytes(url, "GET", "/api/samples")
    row = wire_bytes(url, "GET", "/api/models/lenet/params/fc1/W?row=0")
    lesson = lists + row
    lesson += wire_bytes(url, "POST", "/api/forward", forward)
    lesson += wire_bytes(url, "POST", "/api/backward", {**forward, "label": 3, "include_params": False})
    lesson_before = lists + row
    lesson_before += wire_bytes(url, "POST", "/api/forward", forward, packed=False)
    lesson_before += wire_bytes(url, "POST", "/api/backward", {**forward, "label": 3}, packed=False)
    return {
        "api_forward_update_wire_bytes": update,
        "api_forward_update_wire_bytes_before": update_before,
        "steps_lesson_wire_bytes": lesson,
        "steps_lesson_wire_bytes_before": lesson_before,
    }


def predict_throughput(
    url: str, body: bytes, clients: int = 16, seconds: float = 10.0, max_requests: int = 20000
) -> dict[str, Any]:
    """``clients`` keep-alive clients POST /api/predict as fast as answers come: completed requests per second."""
    outcome = run_load(url, {"/api/predict": [body]}, clients=clients, seconds=seconds, max_requests=max_requests)
    predict = outcome["endpoints"]["/api/predict"]
    return {
        "api_predict_req_per_s": predict["req_per_s"],
        "api_predict_clients": clients,
        "api_predict_requests": predict["ok"],
        "api_predict_errors": predict["errors"],
        "api_predict_p50_ms": predict["p50_ms"],
    }


def measure_api(
    url: str | None = None, *, workers: int = 2, clients: int = 16, seconds: float = 10.0, forward_requests: int = 200
) -> dict[str, Any]:
    """All API figures, against ``url`` or a server started here (``--workers``)."""
    data_url = digit_png_data_url(sample_digit())
    forward_body = json.dumps({"image": data_url, "preprocess": True}).encode()
    predict_body = json.dumps({"image": data_url, "preprocess": True}).encode()
    with contextlib.nullcontext(url) if url else live_server(workers) as base:
        result = {"api_workers": None if url else workers, "api_request_bytes": len(forward_body)}
        result.update(forward_latency(base, forward_body, forward_requests))
        result.update(lesson_wire(base, data_url))
        result.update(predict_throughput(base, predict_body, clients, seconds))
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", help="load a server already running on this machine (no memory figures)")
    p.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1, 2],
        help="worker counts of the servers started here, one after the other (default: 1 2)",
    )
    p.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    p.add_argument("--seconds", type=float, default=20.0, help="duration of one round (default 20)")
    p.add_argument("--rounds", type=int, default=3, help="rounds per server, RSS read around each (default 3)")
    p.add_argument("--digits", type=int, default=12, help="distinct real digits sent (default 12)")
    p.add_argument(
        "--rss-bound-mb",
        type=float,
        default=DEFAULT_RSS_BOUND_MB_PER_PROCESS,
        help="allowed RSS growth after round 1, per server process (default %(default)s MB)",
    )
    args = p.parse_args(argv)
    sys.path.insert(0, str(REPO_ROOT))
    bodies = endpoint_bodies(real_digits(args.digits))
    config = {
        "clients": args.clients,
        "seconds_per_round": args.seconds,
        "rounds": args.rounds,
        "endpoints": list(LOAD_ENDPOINTS),
        "digits": args.digits,
        "cpus": os.cpu_count(),
        "load_average_before": [round(v, 2) for v in os.getloadavg()],
    }
    if args.url:
        runs = [
            {
                "url": args.url,
                "rounds": [
                    run_load(args.url, bodies, clients=args.clients, seconds=args.seconds) for _ in range(args.rounds)
                ],
            }
        ]
        ok = all(r["errors"] == 0 for r in runs[0]["rounds"])
    else:
        runs = []
        for workers in args.workers:
            with ServerProcess(workers=workers) as server:
                runs.append(
                    load_rounds(
                        server,
                        bodies,
                        clients=args.clients,
                        seconds=args.seconds,
                        rounds=args.rounds,
                        rss_bound_mb_per_process=args.rss_bound_mb,
                    )
                )
        ok = all(run["errors"] == 0 and run["rss_flat"] for run in runs)
    print(json.dumps({"config": config, "runs": runs, "ok": ok}, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
