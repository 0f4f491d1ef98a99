"""A class training at once on the scaled-out deployment: real `convstep serve` processes (one with 2 web
workers, one more replica) and 2 `convstep worker` processes on a real redis-server. 30 students' jobs all
finish, spread over both training workers; a stream followed on one replica resumes on the other; every finished
model is served by every web process; a worker killed with SIGKILL mid-job ends it `worker_lost` (stream
closed by an `end` event) and a restarted worker picks up the waiting jobs."""

from __future__ import annotations

import signal
import threading
import time

import httpx
import pytest
import redis

from app.services.jobs.redis_backend import Keys
from tests.api.helpers import data_url, drawn_digit, png_bytes
from tests.api.test_train import LONG, TINY, parse_sse
from tests.support.live_server import ServerProcess
from tests.support.redis_server import RedisServer, TrainingWorker, redis_available
from tests.support.waiting import finished, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():
    if not redis_available():
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run does it)")
    with RedisServer() as store:
        env = {"CONVSTEP_REDIS_URL": store.url}
        with (
            ServerProcess(workers=2, env=env) as web,
            ServerProcess(workers=1, env=env) as replica,
            TrainingWorker(store.url) as a,
            TrainingWorker(store.url) as b,
        ):
            yield {"store": store, "web": web, "replica": replica, "workers": [a, b]}


def test_thirty_students_at_once_all_finish_on_both_workers(cluster):
    web, replica = cluster["web"], cluster["replica"]
    results: dict[int, dict] = {}
    errors: list[str] = []

    def student(i: int) -> None:
        try:
            with httpx.Client(timeout=300) as http:
                answer = http.post(
                    f"{web.url}/api/train", json={**TINY, "seed": i}, headers={"X-Client-Id": f"student-{i:04d}"}
                )
                assert answer.status_code == 202, answer.text
                job = answer.json()
                # follow the stream: the first events on the 2-worker server, the rest on the other replica
                first = []
                with http.stream("GET", f"{web.url}/api/train/{job['id']}/events") as response:
                    text = ""
                    for chunk in response.iter_text():
                        text += chunk
                        first = parse_sse(text)
                        if first and (len(first) >= 2 or first[-1]["event"] == "end"):
                            break
                rest = []
                if first[-1]["event"] != "end":
                    resumed = http.get(
                        f"{replica.url}/api/train/{job['id']}/events", headers={"Last-Event-ID": str(first[-1]["id"])}
                    )
                    rest = parse_sse(resumed.text)
                events = first + rest
                assert [e["id"] for e in events] == list(range(1, len(events) + 1))
                results[i] = {"job": job, "events": events}
        except Exception as exc:  # collected: the assertion below names them
            errors.append(f"student {i}: {exc!r}")

    threads = [threading.Thread(target=student, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    assert errors == [] and len(results) == 30
    ends = [r["events"][-1]["data"] for r in results.values()]
    assert [e["state"] for e in ends] == ["finished"] * 30
    # waiting students saw their place in line
    assert any(
        e["data"].get("queue_position", 0) > 1 for r in results.values() for e in r["events"] if e["event"] == "state"
    )

    store = redis.Redis.from_url(cluster["store"].url)
    workers = {store.hget(Keys.job(e["id"]), "worker") for e in ends}
    assert len(workers) == 2, workers  # both training workers took jobs

    # every finished model is usable from every web process (8 tries on the 2-worker server reach both)
    image = data_url(png_bytes(drawn_digit()))
    with httpx.Client(timeout=60) as http:
        for end in ends[:5]:
            for base in [web.url] * 8 + [replica.url]:
                answer = http.post(f"{base}/api/predict", json={"image": image, "model": end["model_id"]})
                assert answer.status_code == 200, answer.text
            assert http.get(f"{replica.url}/api/train/{end['id']}/model").status_code == 200


def test_a_worker_killed_mid_job_ends_it_worker_lost_and_a_new_worker_takes_the_line(cluster):
    web, store = cluster["web"], cluster["store"]
    a, b = cluster["workers"]
    with httpx.Client(base_url=web.url, timeout=60) as http:
        # both workers busy with a long job each
        long_jobs = [http.post("/api/train", json=LONG).json() for _ in range(2)]
        client = redis.Redis.from_url(store.url)
        wait_for(lambda: all(client.hget(Keys.job(j["id"]), "worker") for j in long_jobs), 120, "both taken")

        victim_pid = a.pid
        victim_job = next(
            j for j in long_jobs if client.hget(Keys.job(j["id"]), "worker").endswith(f":{victim_pid}".encode())
        )
        other_job = next(j for j in long_jobs if j is not victim_job)
        a.kill(signal.SIGKILL)
        # the promise, not a speed measure: the job ends "worker_lost" within 60 s of the kill
        status = finished(http, victim_job["id"], timeout=60)
        assert status["state"] == "failed" and status["error"]["code"] == "worker_lost"
        events = parse_sse(http.get(f"/api/train/{victim_job['id']}/events").text)
        assert events[-1]["event"] == "end" and sum(e["event"] == "end" for e in events) == 1
        assert "stopped without finishing" in status["error"]["message"]
        assert http.get(f"/api/train/{other_job['id']}").json()["state"] in ("running", "finished")  # unaffected

        # no worker left: a job waits; a restarted worker picks it up
        http.delete(f"/api/train/{other_job['id']}")
        finished(http, other_job["id"], timeout=60)  # the stop
        b.kill(signal.SIGKILL)
        waiting = http.post("/api/train", json=TINY).json()
        time.sleep(2)
        assert http.get(f"/api/train/{waiting['id']}").json()["queue_position"] == 1
        a.start()
        end = finished(http, waiting["id"], timeout=180)
        assert end["state"] == "finished"
        assert client.hget(Keys.job(waiting["id"]), "worker").endswith(f":{a.pid}".encode())
        b.start()
