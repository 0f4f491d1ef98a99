"""Live training through Redis + RQ (CONVSTEP_REDIS_URL) with a real redis-server and real `convstep worker`
processes: the queue and its places, streams and models stored in Redis, cancelling waiting and running jobs,
the fine-tuning hooks, Redis unreachable at start and lost while serving."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
import redis

from app.core.config import Settings
from app.main import create_app
from app.services.jobs.redis_backend import Keys
from engine import Sequential
from tests.support.redis_server import REPO_ROOT, RedisServer, TrainingWorker, free_port
from tests.support.waiting import finished, wait_for

from .helpers import StrictClient, assert_error
from .test_train import LONG, TINY, parse_sse, read_events


@pytest.fixture
def redis_app(redis_server):
    """(client, redis server): an app whose jobs go through the test's own redis-server (no worker yet)."""
    app = create_app(Settings(redis_url=redis_server.url))
    client = StrictClient(app)
    yield client, redis_server
    app.state.jobs.shutdown()


@pytest.fixture(scope="module")
def shared_redis():
    """A redis-server with one idle `convstep worker` for the tests of this module that need a worker at once
    (starting a worker costs seconds: parsing the training digits). The tests run one after the other, so the
    worker is idle at the start of each."""
    from tests.support.redis_server import redis_available

    if not redis_available():
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run does it)")
    with RedisServer() as server, TrainingWorker(server.url) as worker:
        yield server, worker


@pytest.fixture
def worker_app(shared_redis):
    server, worker = shared_redis
    app = create_app(Settings(redis_url=server.url))
    yield StrictClient(app), worker
    app.state.jobs.shutdown()


def test_jobs_wait_in_redis_until_a_worker_runs_them_in_order(redis_app, digit_url):
    client, server = redis_app
    jobs = [client.post("/api/train", json=TINY).json() for _ in range(3)]
    assert [j["state"] for j in jobs] == ["queued"] * 3 and [j["queue_position"] for j in jobs] == [1, 2, 3]
    listed = client.get("/api/train").json()
    assert (listed["queued"], listed["running"], listed["limit"]) == (3, 0, 0)  # no worker yet: they wait

    with TrainingWorker(server.url, burst=True) as worker:
        assert worker.proc.wait(180) == 0, worker.log_text()
    ends = [client.get(f"/api/train/{j['id']}").json() for j in jobs]
    assert [e["state"] for e in ends] == ["finished"] * 3
    assert ends[0]["started_at"] <= ends[1]["started_at"] <= ends[2]["started_at"]

    # the last job's stream: it moved up the line (3rd, 2nd, 1st), ran, and ended, numbered without a gap
    events = read_events(client, jobs[2]["id"])
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    states = [(e["data"]["state"], e["data"].get("queue_position")) for e in events if e["event"] == "state"]
    assert states == [("queued", 3), ("queued", 2), ("queued", 1), ("running", None)]
    assert events[-1]["event"] == "end" and events[-1]["data"]["state"] == "finished"
    k = len(events) // 2
    resumed = read_events(client, jobs[2]["id"], headers={"Last-Event-ID": str(k)})
    assert [e["id"] for e in resumed] == [e["id"] for e in events[k:]]

    # the model lives in Redis (.npz, expiring with the job) and is served by id
    model_id = ends[0]["model_id"]
    r = redis.Redis.from_url(server.url)
    assert 0 < r.ttl(Keys.model(model_id)) <= 3600 and 0 < r.ttl(Keys.job(jobs[0]["id"])) <= 3600
    assert client.post("/api/predict", json={"image": digit_url, "model": model_id}).status_code == 200
    download = client.get(f"/api/train/{jobs[0]['id']}/model")
    loaded = Sequential.load(io.BytesIO(download.content))
    assert loaded.metadata["job"] == jobs[0]["id"]
    assert client.get(f"/api/models/{model_id}").json()["source"] == "training"  # what the lab asks for ?model=


def test_cancelling_a_waiting_job_moves_the_line_and_a_running_one_stops(worker_app):
    client, worker = worker_app
    running = client.post("/api/train", json=LONG).json()
    waiting = [client.post("/api/train", json=TINY).json() for _ in range(2)]
    if True:  # the shared worker takes the long job; the two others wait behind it
        wait_for(lambda: client.get(f"/api/train/{running['id']}").json()["progress"]["batch"] >= 2, what="batches")
        assert [client.get(f"/api/train/{w['id']}").json()["queue_position"] for w in waiting] == [1, 2]
        gone = client.delete(f"/api/train/{waiting[0]['id']}")
        assert gone.status_code == 200 and gone.json()["state"] == "cancelled"
        assert client.get(f"/api/train/{waiting[1]['id']}").json()["queue_position"] == 1
        stopping = client.delete(f"/api/train/{running['id']}")
        assert stopping.status_code == 202
        end = finished(client, running["id"], 60)
        assert end["state"] == "cancelled" and end["result"]["epochs_completed"] < LONG["epochs"]
        assert finished(client, waiting[1]["id"])["state"] == "finished"
        assert worker.proc.poll() is None
    events = read_events(client, waiting[0]["id"])
    assert [e["event"] for e in events] == ["state", "state", "end"]  # queued 2nd, 1st, then cancelled


def test_the_hooks_work_through_redis_fine_tuning_and_a_named_model(worker_app, shared_redis):
    client, worker = worker_app
    from app.schemas.train import TrainRequest

    manager = client.app.state.jobs
    first = manager.submit(TrainRequest(**TINY), register_as="class-redis1")
    assert finished(client, first.id)["model_id"] == "class-redis1"
    r = redis.Redis.from_url(shared_redis[0].url)
    assert r.ttl(Keys.model("class-redis1")) == -1  # a chosen name stays until replaced
    before = client.get("/api/models/class-redis1").json()["metadata"]["job"]
    second = manager.submit(TrainRequest(**TINY), init_model="class-redis1", register_as="class-redis1")
    assert finished(client, second.id)["state"] == "finished"
    wait_for(lambda: client.get("/api/models/class-redis1").json()["metadata"]["job"] == second.id, 10, "reload")
    assert before == first.id
    assert client.get("/api/models/class-redis1").json()["metadata"]["init_model"] == "class-redis1"


def test_redis_unreachable_at_start_is_a_clear_error_without_the_password():
    url = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    with pytest.raises(RuntimeError) as error:
        create_app(Settings(redis_url=url))
    message = str(error.value)
    assert "cannot reach Redis at redis://:***@127.0.0.1:" in message and "hunter2" not in message
    for command in (["serve", "--port", str(free_port())], ["worker"]):
        result = subprocess.run(
            [sys.executable, "-m", "app.cli", *command],
            cwd=REPO_ROOT,
            env={"CONVSTEP_REDIS_URL": url, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1, result.stderr
        assert "cannot reach Redis at redis://:***@" in result.stderr and "hunter2" not in result.stderr


def test_redis_lost_while_serving_makes_training_503_and_it_comes_back_with_its_worker(digit_url):
    server = RedisServer().start()
    worker = None
    try:
        app = create_app(Settings(redis_url=server.url))
        client = StrictClient(app)
        plain = __import__("fastapi.testclient", fromlist=["TestClient"]).TestClient(app)  # 503 is expected here
        worker = TrainingWorker(server.url).start()  # a long-lived worker: it must come back with Redis too
        wait_for(lambda: client.get("/api/train").json()["limit"] == 1, 120, "the worker to register")
        job = client.post("/api/train", json=TINY).json()
        finished(client, job["id"])
        server.stop()
        for method, path in [
            ("POST", "/api/train"),
            ("GET", f"/api/train/{job['id']}"),
            ("GET", "/api/train"),
            ("DELETE", f"/api/train/{job['id']}"),
        ]:
            response = plain.request(method, path, json=TINY if method == "POST" else None)
            error = assert_error(response, 503, "training_unavailable")
            assert "try again" in error["message"]
        assert plain.post("/api/train", json=TINY).headers["retry-after"] == "30"
        # everything else still works
        assert client.get("/api/health").status_code == 200
        assert client.post("/api/predict", json={"image": digit_url}).status_code == 200
        assert client.get("/train").status_code == 200

        server.start()  # same port, empty (persistence is off): training is back, the worker reconnects
        again = client.post("/api/train", json=TINY).json()
        assert finished(client, again["id"])["state"] == "finished" and worker.proc.poll() is None
        worker.cleanup()
        assert_error(plain.get(f"/api/train/{job['id']}"), 404, "unknown_job")  # lost with Redis' memory
        app.state.jobs.shutdown()
    finally:
        if worker is not None:
            worker.cleanup()
        server.cleanup()


def test_a_stream_follows_the_job_live(worker_app):
    """The SSE stream waits on the Redis stream (XREAD) while a worker trains: events arrive as they come."""
    client, _ = worker_app
    job = client.post("/api/train", json={**TINY, "epochs": 2}).json()
    events = parse_sse(client.get(f"/api/train/{job['id']}/events").text)  # blocks until the end
    assert events[-1]["event"] == "end" and events[-1]["data"]["state"] == "finished"
    assert sum(e["event"] == "epoch" for e in events) == 2
