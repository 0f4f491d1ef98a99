"""A class at full speed on a live ``convstep serve`` (what ``make run`` starts: one worker, default settings):
60 students × 10 drawings in a minute while the teacher's dashboard follows over Server-Sent Events.

    python benchmarks/class_load.py                          # SQLite (a temp CONVSTEP_DATA_DIR)
    python benchmarks/class_load.py --postgres               # the same on a throwaway PostgreSQL cluster
    python benchmarks/class_load.py --students 30 --drawings 5 --seconds 30
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/class_load.py     # without the machine's BLAS hints

Each student is a thread with its own keep-alive connection and device id: it joins (``GET …/join``), then sends its
drawings (a 280×280 PNG data URL, dark ink on white, as the phone's pad exports them; the digit it is asked for)
spread evenly over ``--seconds`` with a random start, so the class sends ``students × drawings / seconds`` drawings
a second. The teacher's dashboard reads ``GET /api/classes/{code}/events`` the whole time.

Measured: errors (any answer but 201), drawing latency p50/p90/p99/max, and the **dashboard lag**: for every
accepted drawing, the time from its 201 to the first summary event that counts at least as many drawings as had
been accepted at that moment (0 when the dashboard had it first; p50/p99/max). The JSON's ``ok`` is true when there was no error and the lag never
passed ``--max-lag`` (2 s); the exit code is 1 otherwise. Requests only ever go to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.support.handwriting import font_digit_url  # noqa: E402
from tests.support.live_server import ServerProcess, _connection, percentile, request, rss_bytes  # noqa: E402


def summary_stream(url: str, code: str, token: str, events: list, stop: threading.Event, ready: threading.Event):
    """Read the dashboard's event stream; append (arrival time, drawings) for every summary event."""
    conn = _connection(url, timeout=120)
    conn.request("GET", f"/api/classes/{code}/events", headers={"Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    assert response.status == 200, response.status
    ready.set()
    buffer = b""
    while not stop.is_set():
        chunk = response.read1(65536)
        if not chunk:
            break
        buffer += chunk
        while b"\n\n" in buffer:
            block, buffer = buffer.split(b"\n\n", 1)
            lines = block.decode().split("\n")
            if "event: summary" in lines:
                data = json.loads(next(line[6:] for line in lines if line.startswith("data: ")))
                events.append((time.monotonic(), data["drawings"]))
    conn.close()


def run(url: str, students: int, drawings: int, seconds: float, seed: int = 0) -> dict:
    status, body, _ = request(url, "POST", "/api/classes", b"{}")
    assert status == 201, body
    created = json.loads(body)
    code, token = created["code"], created["teacher_token"]
    images = {(d, v): font_digit_url(d, v) for d in range(10) for v in range(8)}

    events: list[tuple[float, int]] = []
    stop, ready = threading.Event(), threading.Event()
    reader = threading.Thread(target=summary_stream, args=(url, code, token, events, stop, ready), daemon=True)
    reader.start()
    ready.wait(30)

    lock = threading.Lock()
    accepted: list[float] = []  # 201 arrival times, in order
    latencies: list[float] = []
    errors: dict[str, int] = {}
    rng = random.Random(seed)
    interval = seconds / drawings
    offsets = [rng.uniform(0, interval) for _ in range(students)]
    t0 = time.monotonic() + 1.0

    def student(i: int) -> None:
        device = f"bench-device-{i:04d}"
        conn: http.client.HTTPConnection = _connection(url, timeout=60)
        headers = {"X-Device-Id": device}
        st, body, _ = request(url, "GET", f"/api/classes/{code}/join", headers=headers, conn=conn)
        prompt = json.loads(body)["prompt"] if st == 200 else 0
        for k in range(drawings):
            wait = t0 + offsets[i] + k * interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            payload = {"image": images[(prompt, (i + k) % 8)], "label": prompt, "device_id": device}
            start = time.monotonic()
            data = json.dumps(payload).encode()
            st, body = 0, b""
            for attempt in range(2):
                try:
                    st, body, _ = request(url, "POST", f"/api/classes/{code}/drawings", data, conn=conn)
                    break
                except (OSError, http.client.HTTPException) as exc:
                    # the server closes a keep-alive connection idle for 5 s (uvicorn's default) and a phone waits
                    # ~6 s between drawings: like a browser, send again once on a new connection
                    conn.close()
                    conn = _connection(url, timeout=60)
                    st, body = 0, f"{type(exc).__name__} (attempt {attempt + 1})".encode()
            done = time.monotonic()
            with lock:
                if st == 201:
                    accepted.append(done)
                    latencies.append(done - start)
                    prompt = json.loads(body)["next_prompt"]
                else:
                    key = f"{st} {body[:80].decode(errors='replace')}"
                    errors[key] = errors.get(key, 0) + 1
        conn.close()

    threads = [threading.Thread(target=student, args=(i,)) for i in range(students)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    time.sleep(3.0)  # let the dashboard catch up with the last drawings
    stop.set()

    lags = []
    for n, done in enumerate(sorted(accepted), start=1):
        # the first summary counting n drawings (it may arrive before the n-th student reads its 201: lag 0)
        seen = next((t for t, count in events if count >= n), None)
        lags.append(max(0.0, seen - done) if seen is not None else float("inf"))
    status, body, _ = request(url, "GET", f"/api/classes/{code}", headers={"Authorization": f"Bearer {token}"})
    final = json.loads(body)
    request(url, "DELETE", f"/api/classes/{code}", headers={"Authorization": f"Bearer {token}"})
    ms = lambda values, q: round(1000 * percentile(values, q), 1) if values else None  # noqa: E731
    return {
        "students": students,
        "drawings_per_student": drawings,
        "seconds_asked": seconds,
        "seconds_taken": round(elapsed, 2),
        "sent": students * drawings,
        "accepted": len(accepted),
        "errors": errors,
        "drawings_per_s": round(len(accepted) / elapsed, 2),
        "latency_ms": {"p50": ms(latencies, 50), "p90": ms(latencies, 90), "p99": ms(latencies, 99)}
        | {"max": round(1000 * max(latencies), 1) if latencies else None},
        "dashboard_events": len(events),
        "dashboard_lag_ms": {"p50": ms(lags, 50), "p99": ms(lags, 99), "max": ms(lags, 100)},
        "final_summary": {k: final[k] for k in ("students", "drawings", "per_label", "accuracy")},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--drawings", type=int, default=10, help="per student")
    parser.add_argument("--seconds", type=float, default=60.0, help="over how long each student sends them")
    parser.add_argument("--max-lag", type=float, default=2.0, help="seconds the dashboard may be behind")
    parser.add_argument("--postgres", action="store_true", help="on a throwaway PostgreSQL server")
    parser.add_argument("--url", help="a server already running on this machine (its own settings)")
    args = parser.parse_args(argv)

    config = {k: v for k, v in vars(args).items() if k != "url"} | {
        "backend": "postgresql" if args.postgres else "sqlite"
    }
    if args.url:
        result = run(args.url, args.students, args.drawings, args.seconds)
        rss = None
    else:
        with tempfile.TemporaryDirectory(prefix="convstep-class-load-") as data:
            env = {"CONVSTEP_DATA_DIR": data}
            pg = None
            if args.postgres:
                from tests.support.postgres_server import PostgresServer

                pg = PostgresServer().start()
                env["CONVSTEP_DATABASE_URL"] = pg.url
            try:
                with ServerProcess(env=env) as server:
                    result = run(server.url, args.students, args.drawings, args.seconds)
                    rss = round(rss_bytes(server.pid) / 2**20, 1)
            finally:
                if pg is not None:
                    pg.stop()
    result["server_rss_mb"] = rss
    result["load_average_1min"] = round(os.getloadavg()[0], 2)  # the machine is shared: read the figures with it
    ok = not result["errors"] and result["accepted"] == result["sent"]
    ok = (
        ok
        and result["dashboard_lag_ms"]["max"] is not None
        and result["dashboard_lag_ms"]["max"] <= 1000 * args.max_lag
    )
    print(json.dumps({"config": config, "result": result, "ok": ok}, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
