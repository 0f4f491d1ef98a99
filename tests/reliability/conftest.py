"""Fixtures for the reliability tests: real ``convstep serve`` processes on free ports of 127.0.0.1.

Every server here is a subprocess started and stopped by a fixture (``tests/support/live_server.py``'s
:class:`ServerProcess`), configured through ``CONVSTEP_*`` environment variables, and reached over real sockets:
what is tested is the whole stack a school server runs (uvicorn's HTTP parser, the middleware, the app).

After every test that used the shared ``server``, :func:`server_stays_healthy` checks that it still answers
``/api/health`` and that its log holds no traceback: whatever a test threw at it, it must keep serving.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.live_server import ServerProcess

from .fuzz_checks import error_answer_problem, missing_security_headers

ROOT = Path(__file__).resolve().parents[2]

# one training job at a time, so that tests which go beyond the limit reach it quickly
SHARED_SERVER_ENV = {"CONVSTEP_MAX_TRAINING_JOBS": "1", "CONVSTEP_MAX_QUEUED_JOBS": "2"}
TRACEBACK_MARKERS = ("Traceback (most recent call last)", "Exception in ASGI application")


@pytest.fixture(scope="session")
def server() -> Iterator[ServerProcess]:
    """One live server shared by the tests that do not need special settings."""
    with ServerProcess(env=SHARED_SERVER_ENV) as live:
        yield live


@pytest.fixture
def start_server() -> Iterator[Callable[..., ServerProcess]]:
    """``start_server(workers=1, env={...}, args=[...])`` -> a started server, stopped after the test."""
    started: list[ServerProcess] = []

    def start(**options) -> ServerProcess:
        live = ServerProcess(**options)
        started.append(live)
        return live.start()

    yield start
    for live in started:
        live.cleanup()


@pytest.fixture
def http(server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def assert_sound_answer(status: int, headers, content: bytes, what: str = "") -> None:
    """Never a 5xx; a 4xx is the JSON error shape with a readable message; the security headers are there."""
    headers = {k.lower(): v for k, v in dict(headers).items()}
    assert status < 500, f"{what}: server error {status}: {content[:500]!r}"
    problem = error_answer_problem(status, headers.get("content-type", ""), content)
    assert problem is None, f"{what}: {problem}"
    assert not missing_security_headers(headers), f"{what}: missing {missing_security_headers(headers)}"


def raw_connection(live: ServerProcess, timeout: float = 30.0) -> socket.socket:
    """A plain TCP connection to the server, for requests no HTTP library would send."""
    return socket.create_connection(("127.0.0.1", live.port), timeout=timeout)


def read_http_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Reads one HTTP/1.1 response (Content-Length or chunked) from ``sock``: (status, headers, body)."""
    reader = sock.makefile("rb")
    status_line = reader.readline()
    assert status_line.startswith(b"HTTP/1.1 "), status_line
    headers: dict[str, str] = {}
    for line in iter(reader.readline, b"\r\n"):
        assert line, "connection closed inside the headers"
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        body = b""
        while size := int(reader.readline().split(b";")[0], 16):
            body += reader.read(size)
            reader.readline()
        reader.readline()
    else:
        body = reader.read(int(headers.get("content-length", "0")))
    return int(status_line.split()[1]), headers, body


def assert_no_traceback(live: ServerProcess) -> None:
    log = live.log_text()
    for marker in TRACEBACK_MARKERS:
        assert marker not in log, f"the server logged an error:\n{log[-4000:]}"


@pytest.fixture(autouse=True)
def server_stays_healthy(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "server" not in request.fixturenames:
        return
    live: ServerProcess = request.getfixturevalue("server")
    assert live.proc is not None and live.proc.poll() is None, f"the server died:\n{live.log_text()[-4000:]}"
    assert httpx.get(f"{live.url}/api/health", timeout=30).status_code == 200
    assert_no_traceback(live)
