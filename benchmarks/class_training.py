"""A whole class trains at once: 30 students press "Start training" together while others draw.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/class_training.py [--students 30]
        [--drawers 5] [--setups a,b] [--rounds 1] [--out class_training.json]

Setups, each started here on free 127.0.0.1 ports and stopped afterwards:

* ``a`` — ``make run`` as shipped: one ``convstep serve`` process, jobs in its threads (running limit: the CPU
  count, the others wait in its in-process queue);
* ``b`` — ``convstep serve --workers 2`` + a ``redis-server`` (persistence off) + 2 ``convstep worker``.

Each student is a thread (of a process of their own, apart from the drawers') that submits the /train page's default job (the seed preset, 1,000 digits, 3 epochs,
batches of 32) with its own ``X-Client-Id`` (answering a 429 as the page does: wait ``Retry-After``, retry), then
follows the job's Server-Sent Events to its ``end`` (like the page). Meanwhile ``--drawers`` clients post real
handwritten digits to ``/api/forward`` (a stroke every 0.3 s, as the drawing lab does), and their latencies are
kept from the first submission to the last job's end (and, for comparison, during 10 s of drawing alone just
before: the machine's baseline at that moment).

Printed (JSON): per setup and round, the time until the last job ended, jobs refused (429) / finished / failed,
the highest place in line a student saw, ``/api/forward`` p50/p95 (ms) during the class, and for ``b`` how many
jobs each training worker ran. Setups alternate within a round (a, b, a, b...) so that the machine's noise hits
both. A benchmark, not a test: it asserts nothing, except that every job ends.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.live_server import ServerProcess, digit_png_data_url, percentile, real_digits  # noqa: E402
from tests.support.redis_server import RedisServer, TrainingWorker  # noqa: E402

DEFAULT_JOB = {  # what /train sends when a student just presses "Start training"
    "preset": "seed",
    "optimizer": "adam",
    "learning_rate": None,
    "momentum": 0.9,
    "lr_schedule": "constant",
    "batch_size": 32,
    "epochs": 3,
    "augment": False,
    "train_size": 1000,
    "val_fraction": 0.2,
    "seed": 0,
    "snapshot_every": 10,
}


def parse_events(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        kind, data = None, None
        for line in block.split("\n"):
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:"):
                data = json.loads(line[5:].strip())
        if kind and data is not None:
            events.append((kind, data))
    return events


def student(base: str, i: int, out: dict) -> None:
    try:
        _student(base, i, out)
    except Exception as exc:  # reported in the JSON: a benchmark that hides failures measures nothing
        out[i] = {"refused": 0, "max_position": 0, "state": None, "error": repr(exc), "ended": time.monotonic()}


def _student(base: str, i: int, out: dict) -> None:
    record = {"refused": 0, "max_position": 0, "state": None}
    with httpx.Client(base_url=base, timeout=600) as http:
        while True:
            answer = http.post(
                "/api/train", json={**DEFAULT_JOB, "seed": i}, headers={"X-Client-Id": f"student{i:06d}"}
            )
            if answer.status_code != 429:
                break
            record["refused"] += 1
            time.sleep(float(answer.headers.get("retry-after", "5")))
        answer.raise_for_status()
        job = answer.json()
        record["max_position"] = job.get("queue_position") or 0
        chunks: list[str] = []
        with http.stream("GET", f"/api/train/{job['id']}/events") as stream:
            tail = ""
            for chunk in stream.iter_text():
                chunks.append(chunk)
                if "event: end" in tail + chunk:  # only the newest text: a phone reads as it comes
                    break
                tail = chunk[-16:]
        text = "".join(chunks)
        for kind, data in parse_events(text):
            if kind == "state" and data.get("queue_position"):
                record["max_position"] = max(record["max_position"], data["queue_position"])
            if kind == "end":
                record["state"] = data["state"]
        record["id"] = job["id"]
        record["ended"] = time.monotonic()
    out[i] = record


def students_in_a_process(base: str, students: int, go, results) -> None:
    """Every student, each a thread of this (separate) process: their phones parse their own streams, so here
    their parsing must not hold the drawers' interpreter lock (it would add its waits to the measured latency).
    The threads start on ``go``, once this process has started and imported everything (a phone has nothing to
    start)."""
    records: dict[int, dict] = {}
    threads = [threading.Thread(target=student, args=(base, i, records)) for i in range(students)]
    results.put("ready")
    go.wait()
    for t in threads:
        t.start()
    for t in threads:
        t.join(1800)
    results.put(records)


class Students:
    """The students' process, started and ready before the class; ``run()`` lets them go and returns their records
    (time.monotonic() is one clock for every process)."""

    def __init__(self, base: str, students: int):
        context = multiprocessing.get_context("spawn")  # not fork: this process runs the drawers' threads
        self.go, self.results = context.Event(), context.Queue()
        self.process = context.Process(target=students_in_a_process, args=(base, students, self.go, self.results))
        self.process.start()
        assert self.results.get(timeout=120) == "ready"

    def run(self) -> dict[int, dict]:
        self.go.set()
        records = self.results.get(timeout=1800)
        self.process.join(60)
        return records


def drawer(base: str, bodies: list[bytes], stop: threading.Event, latencies: list[float]) -> None:
    with httpx.Client(base_url=base, timeout=60, headers={"Content-Type": "application/json"}) as http:
        k = 0
        while not stop.is_set():
            start = time.perf_counter()
            answer = http.post("/api/forward", content=bodies[k % len(bodies)])
            if answer.status_code == 200:
                latencies.append(time.perf_counter() - start)
            k += 1
            stop.wait(0.3)


def run_class(base: str, students: int, drawers: int, bodies: list[bytes]) -> dict:
    class_ = Students(base, students)
    stop = threading.Event()
    latencies: list[float] = []
    draw_threads = [threading.Thread(target=drawer, args=(base, bodies, stop, latencies)) for _ in range(drawers)]
    for t in draw_threads:
        t.start()
    # the drawing alone first: the baseline of this machine at this moment (it is shared and noisy)
    time.sleep(2)
    latencies.clear()
    time.sleep(10)
    baseline = list(latencies)
    latencies.clear()
    start = time.monotonic()
    records = class_.run()
    last_end = max((r["ended"] for r in records.values()), default=time.monotonic())
    during = list(latencies)
    stop.set()
    for t in draw_threads:
        t.join(60)
    states = [r["state"] for r in records.values()]
    errors = sorted({r["error"] for r in records.values() if "error" in r})
    return {
        "errors": errors,
        "students": students,
        "answered": len(records),
        "finished": states.count("finished"),
        "failed_or_cancelled": len(records) - states.count("finished"),
        "refused_429": sum(r["refused"] for r in records.values()),
        "max_queue_position_seen": max((r["max_position"] for r in records.values()), default=0),
        "seconds_until_last_job_ended": round(last_end - start, 1),
        "forward_alone_p50_ms": round(1000 * percentile(baseline, 50), 1) if baseline else None,
        "forward_alone_p95_ms": round(1000 * percentile(baseline, 95), 1) if baseline else None,
        "forward_requests": len(during),
        "forward_p50_ms": round(1000 * percentile(during, 50), 1) if during else None,
        "forward_p95_ms": round(1000 * percentile(during, 95), 1) if during else None,
        "job_ids": [r["id"] for r in records.values() if "id" in r],
    }


def setup_a(args, bodies) -> dict:
    with ServerProcess(workers=1) as web:
        result = run_class(web.url, args.students, args.drawers, bodies)
    result.pop("job_ids")
    return {"setup": "a: make run (1 process, in-process queue)", **result}


def setup_b(args, bodies) -> dict:
    import redis

    with RedisServer() as store:
        env = {"CONVSTEP_REDIS_URL": store.url}
        with ServerProcess(workers=2, env=env) as web, TrainingWorker(store.url) as w1, TrainingWorker(store.url) as w2:
            time.sleep(3)  # the workers parse the training digits before the class starts
            result = run_class(web.url, args.students, args.drawers, bodies)
            if result["errors"]:
                print(web.log_text()[-4000:], file=sys.stderr)
            client = redis.Redis.from_url(store.url)
            per_worker: dict[str, int] = {}
            for job_id in result.pop("job_ids"):
                worker = (client.hget(f"convstep:job:{job_id}", "worker") or b"?").decode()
                per_worker[worker] = per_worker.get(worker, 0) + 1
            served = 0
            image = json.loads(bodies[0])["image"]
            with httpx.Client(base_url=web.url, timeout=60) as http:
                for job_id in list(client.zrange("convstep:jobs", 0, -1))[:10]:
                    model = f"trained-{job_id.decode()}"
                    served += http.post("/api/predict", json={"image": image, "model": model}).status_code == 200
            assert w1.proc.poll() is None and w2.proc.poll() is None
    return {
        "setup": "b: serve --workers 2 + Redis + 2 convstep worker",
        **result,
        "jobs_per_training_worker": sorted(per_worker.values()),
        "models_checked_usable": served,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--drawers", type=int, default=5)
    parser.add_argument("--setups", default="a,b")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    bodies = [
        json.dumps({"image": digit_png_data_url(image), "include_params": False}).encode()
        for _, image in real_digits(12)
    ]
    runs = []
    for round_ in range(args.rounds):
        for name in args.setups.split(","):
            result = (setup_a if name == "a" else setup_b)(args, bodies)
            runs.append({"round": round_ + 1, **result})
            print(json.dumps(runs[-1]), file=sys.stderr)
    report = {
        "benchmark": "class_training",
        "machine": {"cpus": __import__("os").cpu_count()},
        "default_job": DEFAULT_JOB,
        "runs": runs,
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0 if all(r["finished"] == r["students"] for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
