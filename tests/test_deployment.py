"""compose.yaml and the Dockerfile, checked without Docker (no Docker engine runs where the tests run).

The file is read as Docker Compose reads it (YAML, merge keys), then each service is run here as a plain process,
with the command and the environment the file gives it — only the host names and ports become this machine's
free ones: a Redis server, the web service with its 2 worker processes and the 2 training workers. A job
submitted to the web service must be run by a training worker and its model served by the web service."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import redis
import yaml

from tests.api.test_train import TINY
from tests.support.live_server import digit_png_data_url, real_digits
from tests.support.redis_server import REDIS_SERVER, REPO_ROOT, free_port, redis_available
from tests.support.waiting import wait_for

COMPOSE = yaml.safe_load((REPO_ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (REPO_ROOT / "Dockerfile").read_text()


def option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_compose_describes_web_trainers_and_redis_on_the_dockerfiles_image():
    assert set(SERVICES) == {"web", "trainer", "redis"}
    web, trainer = SERVICES["web"], SERVICES["trainer"]
    assert web["command"][:2] == ["convstep", "serve"] and option(web["command"], "--workers") == "2"
    assert trainer["command"] == ["convstep", "worker"] and trainer["deploy"]["replicas"] == 2
    for service in (web, trainer):  # both run the image the Dockerfile builds, and find Redis by its service name
        assert service["build"] == "." and service["environment"]["CONVSTEP_REDIS_URL"] == "redis://redis:6379/0"
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
    port = option(web["command"], "--port")
    assert f"EXPOSE {port}" in DOCKERFILE and web["ports"] == [f"{port}:{port}"]
    # `convstep` in the image is the script pyproject.toml installs (`pip install -e .` in the Dockerfile)
    assert 'convstep = "app.cli:main"' in (REPO_ROOT / "pyproject.toml").read_text()
    assert "pip install -e ." in DOCKERFILE
    assert SERVICES["redis"]["command"][0] == "redis-server"


class Services:
    """The compose services as local processes (each in its own process group, stopped at the end)."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.procs: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(self.tmp / f"{name}-{len(self.procs)}.log", "wb")  # the child keeps its own descriptor
        proc = subprocess.Popen(
            argv, cwd=REPO_ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.procs.append((name, proc))
        return proc

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.tmp.glob("*.log")))

    def stop(self) -> None:
        for _, proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for _, proc in self.procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)


def convstep(command: list[str]) -> list[str]:
    """``convstep …`` as this venv runs it (the installed script is ``app.cli:main``)."""
    assert command[0] == "convstep"
    return [sys.executable, "-m", "app.cli", *command[1:]]


@pytest.mark.skipif(not redis_available(), reason="redis-server is not installed (.ci/run installs it)")
def test_the_compose_services_run_as_written(tmp_path):
    services = Services(tmp_path)
    redis_port, web_port = free_port(), free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"

    def environment(service: dict) -> dict[str, str]:
        env = {k: str(v) for k, v in service["environment"].items()}
        env["CONVSTEP_REDIS_URL"] = env["CONVSTEP_REDIS_URL"].replace(
            "redis://redis:6379", f"redis://127.0.0.1:{redis_port}"
        )
        env["CONVSTEP_DATA_DIR"] = str(tmp_path / "data")
        return env

    try:
        # redis: its own command (append-only file on), here on a free port in the test's folder
        services.start(
            "redis",
            [
                REDIS_SERVER,
                *SERVICES["redis"]["command"][1:],
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(tmp_path),
            ],
            {},
        )

        def redis_up() -> bool:
            try:
                return redis.Redis.from_url(redis_url, socket_timeout=1).ping()
            except redis.exceptions.ConnectionError:
                return False

        wait_for(redis_up, 30, "redis")

        web = SERVICES["web"]
        command = [*web["command"]]
        command[command.index("--host") + 1] = "127.0.0.1"
        command[command.index("--port") + 1] = str(web_port)
        services.start("web", convstep(command), environment(web))
        for _ in range(SERVICES["trainer"]["deploy"]["replicas"]):
            services.start("trainer", convstep(SERVICES["trainer"]["command"]), environment(SERVICES["trainer"]))

        base = f"http://127.0.0.1:{web_port}"
        with httpx.Client(base_url=base, timeout=30) as http:

            def healthy() -> bool:
                try:
                    return http.get("/api/health").status_code == 200
                except httpx.TransportError:
                    return False

            wait_for(healthy, 60, "the web service")
            job = http.post("/api/train", json=TINY)
            assert job.status_code == 202, job.text
            job_id = job.json()["id"]
            final = wait_for(
                lambda: (s := http.get(f"/api/train/{job_id}").json())["state"] in ("finished", "failed") and s,
                180,
                "the job run by a training worker",
            )
            assert final["state"] == "finished", services.logs()
            image = digit_png_data_url(real_digits(1)[0][1])
            for _ in range(4):  # answered by either of the 2 web processes: each loads the model from Redis
                answer = http.post("/api/predict", json={"image": image, "model": final["model_id"]})
                assert answer.status_code == 200, answer.text
        assert final["model_id"] == f"trained-{job_id}"
        assert all(proc.poll() is None for _, proc in services.procs), services.logs()
        assert redis.Redis.from_url(redis_url).config_get("appendonly") == {"appendonly": "yes"}  # compose's option
    finally:
        services.stop()
