"""Faults: broken model files at start-up, training jobs that crash, are stopped mid-epoch or outlive the server,
clients that vanish in the middle of an event stream, and clients that send or read very slowly.

Each case runs against a real ``convstep serve`` process (except the crash, injected in-process), and each ends
with the same question: does the server still serve everyone else, with nothing left behind?
"""

from __future__ import annotations

import io
import os
import signal
import socket
import struct
import threading
import time

import httpx
import numpy as np
import pytest

from app.core.config import Settings
from app.main import create_app
from engine import Sequential, build_preset
from tests.api.helpers import StrictClient, assert_error
from tests.api.test_train import parse_sse
from tests.support.waiting import finished, wait_for

from .conftest import assert_no_traceback, raw_connection, read_http_response

DIGIT_IMAGE = (
    [[0.0] * 28 for _ in range(8)]
    + [[0.0] * 12 + [1.0] * 4 + [0.0] * 12 for _ in range(12)]
    + [[0.0] * 28 for _ in range(8)]
)  # a "1": a vertical bar
# about 90 minibatches per epoch: a job is easily caught in the middle of one
MID_EPOCH_JOB = {"preset": "seed", "train_size": 1000, "epochs": 4, "batch_size": 8, "snapshot_every": 20}
# long enough to still be running whenever the test acts (it is always stopped well before its end)
LONG_JOB = {"preset": "lenet", "train_size": 5000, "epochs": 20, "batch_size": 8, "snapshot_every": 50}
STOP_BOUND_S = 30  # a hung server is a failure; how fast it stops is the benchmark's business


def job_state(http: httpx.Client, job_id: str) -> dict:
    return http.get(f"/api/train/{job_id}").json()


class EventStream:
    """A raw SSE connection: read events as they come, then vanish like a closed laptop (TCP reset)."""

    def __init__(self, server, job_id: str, last_event_id: int | None = None):
        self.sock = raw_connection(server, timeout=60)
        extra = f"Last-Event-ID: {last_event_id}\r\n" if last_event_id is not None else ""
        self.sock.sendall(f"GET /api/train/{job_id}/events HTTP/1.1\r\nHost: x\r\n{extra}\r\n".encode())
        self.received = b""

    def events(self) -> list[dict]:
        # chunked transfer: the chunk-size lines are not SSE fields, drop them before parsing
        text = self.received.split(b"\r\n\r\n", 1)[-1].decode(errors="replace")
        lines = [line for line in text.split("\r\n") if not _is_chunk_size(line)]
        return parse_sse("".join(lines))

    def read_until(self, condition) -> list[dict]:
        while not condition(self.events()):
            data = self.sock.recv(65536)
            if not data:
                break
            self.received += data
        return self.events()

    def reset(self) -> None:
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


def _is_chunk_size(line: str) -> bool:
    return bool(line) and len(line) <= 8 and all(c in "0123456789abcdefABCDEF" for c in line)


# -- broken model files ---------------------------------------------------------------------------------------------
def test_corrupt_and_truncated_model_files_at_startup(start_server, tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    good = build_preset("seed")
    good.save(folder / "good.npz")
    data = (folder / "good.npz").read_bytes()
    (folder / "truncated.npz").write_bytes(data[: len(data) // 2])
    (folder / "garbage.npz").write_bytes(np.random.default_rng(0).bytes(5000))
    (folder / "empty.npz").write_bytes(b"")
    np.savez(folder / "pickled.npz", spec=np.array([{"evil": "object"}], dtype=object))
    np.savez(folder / "arrays-only.npz", K=np.zeros((2, 2)))
    (folder / "Not A Slug!.npz").write_bytes(data)
    (folder / "directory.npz").mkdir()
    (folder / "passwd.npz").symlink_to("/etc/passwd")
    lonely = tmp_path / "default-model.npz"  # CONVSTEP_MODEL_FILE: a broken file meant to be the default
    lonely.write_bytes(data[:100])
    before = sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file() and not p.is_symlink())

    server = start_server(env={"CONVSTEP_MODEL_DIR": str(folder), "CONVSTEP_MODEL_FILE": str(lonely)})
    log = server.log_text()
    for name in (
        "truncated.npz",
        "garbage.npz",
        "empty.npz",
        "pickled.npz",
        "arrays-only.npz",
        "Not A Slug!.npz",
        "passwd.npz",
        "default-model.npz",
    ):
        line = next((line for line in log.splitlines() if name in line), None)
        assert line is not None, f"no start-up message names {name}:\n{log}"
        assert "skipped" in line or "not a valid" in line, line
    assert_no_traceback(server)

    with httpx.Client(base_url=server.url, timeout=60) as http:
        models = http.get("/api/models").json()
        ids = {m["id"] for m in models["models"]}
        assert ids == {"lenet", "seed", "mlp", "worked-example", "good"}, ids
        assert models["default"] == "lenet"  # the broken default model fell back to the bundled one
        for model in (None, "good"):
            answer = http.post("/api/predict", json={"image": DIGIT_IMAGE, "model": model})
            assert answer.status_code == 200, answer.text
        assert_error(http.post("/api/predict", json={"image": DIGIT_IMAGE, "model": "truncated"}), 404, "unknown_model")
    after = sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file() and not p.is_symlink())
    assert after == before  # the server only reads the folder


# -- training jobs that crash, are stopped, or outlive the server ---------------------------------------------------
def test_a_training_job_that_raises_fails_cleanly(monkeypatch):
    """A bug inside the training loop (not the client's fault): the job ends "failed" with a message that
    reveals no internals, its thread ends, no half-trained model is served, and the app keeps answering."""
    import app.services.jobs.runner as jobs

    real_train = jobs.train

    def train_that_breaks(*args, callback, **kwargs):
        def breaking_callback(event):
            callback(event)
            if event["type"] == "batch" and event["batch"] == 5:
                raise RuntimeError("simulated bug: secret internal state 0xdeadbeef")

        return real_train(*args, callback=breaking_callback, **kwargs)

    monkeypatch.setattr(jobs, "train", train_that_breaks)
    with StrictClient(create_app(Settings(max_training_jobs=1))) as client:
        job = client.post("/api/train", json=MID_EPOCH_JOB).json()
        status = wait_for(
            lambda: (
                (s := client.get(f"/api/train/{job['id']}").json())["state"] != "running"
                and s["state"] != "queued"
                and s
            ),
            what="the job to fail",
        )
        assert status["state"] == "failed"
        assert status["error"]["code"] == "internal_error"
        assert "deadbeef" not in str(status) and "Traceback" not in str(status)
        assert status["model_id"] is None and f"trained-{job['id']}" not in client.app.state.registry
        thread = client.app.state.jobs.backend._jobs[job["id"]].thread
        wait_for(lambda: not thread.is_alive(), what="the job's thread to end")
        events = parse_sse(client.get(f"/api/train/{job['id']}/events").text)
        assert events[-1]["event"] == "end" and events[-1]["data"]["state"] == "failed"
        # the slot is free and the server serves
        assert client.post("/api/predict", json={"image": DIGIT_IMAGE}).status_code == 200
        again = client.post("/api/train", json={**MID_EPOCH_JOB, "epochs": 1})
        assert again.status_code == 202
        client.delete(f"/api/train/{again.json()['id']}")
    assert not [t.name for t in threading.enumerate() if t.name.startswith("convstep-train")]


def test_a_job_stopped_mid_epoch_keeps_a_whole_model(server, http):
    job = http.post("/api/train", json=MID_EPOCH_JOB).json()
    stream = EventStream(server, job["id"])
    try:
        batches = [
            e
            for e in stream.read_until(lambda ev: any(e["event"] == "batch" and e["data"]["batch"] >= 10 for e in ev))
            if e["event"] == "batch"
        ]
        assert batches and batches[-1]["data"]["epoch"] == 1
        stopped = http.delete(f"/api/train/{job['id']}")
        assert stopped.status_code == 202  # stopping: the minibatch in progress finishes first
        events = stream.read_until(lambda ev: ev and ev[-1]["event"] == "end")
    finally:
        stream.sock.close()
    assert events[-1]["event"] == "end" and events[-1]["data"]["state"] == "cancelled"
    status = finished(http, job["id"])
    assert status["state"] == "cancelled"
    assert status["progress"]["epoch"] == 1 and status["progress"]["batch"] < status["progress"]["batches"]
    # the model of the steps taken is whole: it downloads as a valid .npz, loads safely and predicts
    download = http.get(f"/api/train/{job['id']}/model")
    assert download.status_code == 200
    model = Sequential.load(io.BytesIO(download.content))  # allow_pickle=False inside
    assert model.metadata["job"] == job["id"]
    answer = http.post("/api/predict", json={"image": DIGIT_IMAGE, "model": status["model_id"]})
    assert answer.status_code == 200


def writable_regular_files(pid: int) -> list[str]:
    """Regular files ``pid`` holds open for writing (from /proc/<pid>/fd and fdinfo's open flags)."""
    found = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            with open(f"/proc/{pid}/fdinfo/{fd}") as info:
                flags = int(next(line for line in info if line.startswith("flags:")).split()[1], 8)
        except (OSError, StopIteration):
            continue
        if target.startswith("/") and os.path.isfile(target) and flags & (os.O_WRONLY | os.O_RDWR):
            found.append(target)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_while_training_with_an_open_stream(start_server, tmp_path, workers):
    """What `docker stop` or systemd does: SIGTERM to the server while a job trains and a browser watches it.
    The server must exit by itself (no hung thread, no stream holding it open) and write nothing."""
    models = tmp_path / "models"
    models.mkdir()
    # log level info: uvicorn then says when each worker's app has finished its shutdown
    # training on several workers must be asked for explicitly (it is off by default there)
    env = {"CONVSTEP_MODEL_DIR": str(models), "CONVSTEP_MAX_TRAINING_JOBS": "2"}
    server = start_server(workers=workers, env=env, log_level="info")
    with httpx.Client(base_url=server.url, timeout=60) as http:
        job = http.post("/api/train", json=LONG_JOB).json()
        stream = EventStream(server, job["id"])
        stream.read_until(lambda ev: any(e["event"] == "batch" for e in ev))
        log_path = str(server.log_path)
        for pid in _tree(server):
            assert [f for f in writable_regular_files(pid) if f != log_path] == [], f"process {pid} writes files"

    server.terminate()  # SIGTERM to the main process only, as a process manager sends it
    try:
        server.proc.wait(timeout=STOP_BOUND_S)
    except Exception:
        pytest.fail(f"the server ignored SIGTERM for {STOP_BOUND_S} s:\n{server.log_text()[-3000:]}")
    # uvicorn re-raises the signal once it has shut down gracefully: "killed by SIGTERM" is its normal exit
    assert server.proc.returncode in (0, -signal.SIGTERM), server.log_text()[-3000:]
    # the watching browser saw its stream end (not hang), and nothing was written
    stream.sock.settimeout(10)
    while data := _recv_or_empty(stream.sock):
        stream.received += data
    stream.sock.close()
    assert list(models.iterdir()) == []
    log = server.log_text()
    assert log.count("Application shutdown complete") == workers, log[-3000:]  # every job was stopped and joined
    assert "still running at shutdown" not in log
    assert_no_traceback(server)


@pytest.mark.slow
def test_several_workers_turn_live_training_off(start_server):
    """A job lives in the worker that started it, so `--workers 2` turns training off instead of answering
    404 for half of the follow-up requests."""
    server = start_server(workers=2)
    with httpx.Client(base_url=server.url, timeout=60) as http:
        answer = http.post("/api/train", json=LONG_JOB)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "training_disabled"
    assert "several worker processes" in answer.json()["error"]["message"]


def _tree(server) -> list[int]:
    from tests.support.live_server import process_tree

    return process_tree(server.pid)


def _recv_or_empty(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except (TimeoutError, ConnectionResetError):
        return b""


# -- clients that vanish -------------------------------------------------------------------------------------------------
def test_clients_vanishing_mid_stream_leave_the_job_and_server_unharmed(server, http):
    job = http.post("/api/train", json={**MID_EPOCH_JOB, "epochs": 2}).json()
    seen = 0
    for _ in range(5):  # five browsers close in the middle of the stream, each at a different point
        stream = EventStream(server, job["id"], last_event_id=seen or None)
        events = stream.read_until(lambda ev: len(ev) >= 2)
        stream.reset()
        assert events and events[0]["id"] == seen + 1  # each one resumed where the last one stopped
        seen = events[-1]["id"]
        assert http.get("/api/health").status_code == 200
    status = finished(http, job["id"])
    assert status["state"] == "finished", status.get("error")
    rest = parse_sse(http.get(f"/api/train/{job['id']}/events", headers={"Last-Event-ID": str(seen)}).text)
    assert rest[0]["id"] == seen + 1 and rest[-1]["event"] == "end"
    assert http.post("/api/predict", json={"image": DIGIT_IMAGE, "model": status["model_id"]}).status_code == 200


# -- slow clients ---------------------------------------------------------------------------------------------------------
def test_slow_senders_do_not_hold_up_other_clients(server, http):
    """Ten clients dribble their request (headers or body) a few bytes at a time; everyone else is served."""
    body = b'{"image": [[0, 1], [1, 0]]}'
    stop = threading.Event()
    answers: list[int] = []

    def dribble(headers_too: bool) -> None:
        head = (
            b"POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)
        )
        with raw_connection(server) as sock:
            if not headers_too:
                sock.sendall(head)
            for i, byte in enumerate((head if headers_too else b"") + body):
                sock.sendall(bytes([byte]))
                if i < 20:
                    stop.wait(0.15)
            status, headers, content = read_http_response(sock)
            answers.append(status)

    slow = [threading.Thread(target=dribble, args=(i % 2 == 0,)) for i in range(10)]
    for t in slow:
        t.start()
    time.sleep(0.5)
    try:
        for _ in range(5):  # while they dribble, others get answers
            assert http.post("/api/predict", json={"image": DIGIT_IMAGE}).status_code == 200
            assert http.get("/api/models").status_code == 200
    finally:
        stop.set()
        for t in slow:
            t.join(60)
    assert sorted(answers) == [422] * 10  # each slow request was answered in the end (a blank drawing)


def test_a_client_that_reads_slowly_does_not_hold_up_others(server, http):
    """A client asks for a ~300 kB trace and reads nothing for a while: its answer waits in buffers, the server
    serves others, and the whole answer arrives when the client reads at last."""
    sock = raw_connection(server)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    try:
        body = (f'{{"image": {DIGIT_IMAGE}, "preprocess": false}}').encode()
        sock.sendall(
            b"POST /api/forward HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body) + body
        )
        time.sleep(1.0)  # the answer is ready and stuck in the socket buffers
        for _ in range(5):
            assert http.post("/api/predict", json={"image": DIGIT_IMAGE}).status_code == 200
        status, headers, content = read_http_response(sock)
    finally:
        sock.close()
    assert status == 200 and len(content) > 100_000
    assert content.endswith(b"}")
