"""A real ``redis-server`` (Debian's package) for tests: a free 127.0.0.1 port, a temporary folder, persistence off.

    with RedisServer() as redis_srv:      # or the ``redis_server`` pytest fixture (skips if redis-server is missing)
        redis_srv.url                     # redis://127.0.0.1:<port>/0
        redis_srv.stop(); redis_srv.start()   # a restart, same port (empty: nothing is saved)

``TrainingWorker`` runs ``convstep worker`` against it in its own process group, output in a log file.
Both are used by the tests of the Redis job backend and by ``benchmarks/class_training.py``; other services'
tests can reuse them (register this module in ``pytest_plugins`` to get the fixture).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_available() -> bool:
    return Path(REDIS_SERVER).is_file() and os.access(REDIS_SERVER, os.X_OK)


class RedisServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="convstep-redis-"))
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 20.0) -> RedisServer:
        log = open(self.dir / "redis.log", "ab")  # the child keeps its own copy of the descriptor
        self.proc = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.dir),
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while not self.ping():
            if self.proc.poll() is not None:
                raise RuntimeError(f"redis-server exited: {(self.dir / 'redis.log').read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not answer PING")
            time.sleep(0.05)
        return self

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.cleanup()


class TrainingWorker:
    """``convstep worker`` against ``url``, in its own process group (SIGKILL it like a crashed machine)."""

    def __init__(self, url: str, *, burst: bool = False, env: dict[str, str] | None = None, name: str | None = None):
        self.url, self.burst, self.env, self.name = url, burst, env or {}, name
        fd, path = tempfile.mkstemp(prefix="convstep-worker-", suffix=".log")
        os.close(fd)
        self.log_path = Path(path)
        self.proc: subprocess.Popen | None = None

    def start(self) -> TrainingWorker:
        command = [sys.executable, "-m", "app.cli", "worker", "--redis-url", self.url, "--log-level", "warning"]
        if self.burst:
            command.append("--burst")
        if self.name:
            command += ["--name", self.name]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                command,
                cwd=REPO_ROOT,
                env={**os.environ, **self.env, "PYTHONUNBUFFERED": "1"},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def pid(self) -> int:
        return self.proc.pid

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            self.proc.wait(30)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.is_file() else ""

    def stop(self) -> None:
        """SIGTERM: a worker finishes its current job first, then exits."""
        self.kill(signal.SIGTERM)

    def cleanup(self) -> None:
        try:
            if self.proc is not None and self.proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(30)
        finally:
            self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> TrainingWorker:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.cleanup()


@pytest.fixture
def redis_server():
    """A fresh redis-server for one test (persistence off), stopped and removed afterwards."""
    if not redis_available():
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run does it)")
    with RedisServer() as server:
        yield server
