"""`convstep serve`: options, environment, and a real server answering on loopback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app.cli import main, serve_environment
from engine import build_preset


def _parse_serve(argv):
    captured = {}

    def fake_serve(args):
        captured["args"] = args
        return 0

    import app.cli as cli

    original = cli.cmd_serve
    cli.cmd_serve = fake_serve
    try:
        assert main(["serve", *argv]) == 0
    finally:
        cli.cmd_serve = original
    return captured["args"]


def test_serve_options(tmp_path):
    args = _parse_serve(["--host", "0.0.0.0", "--port", "9000", "--workers", "2", "--model", "seed"])
    assert (args.host, args.port, args.workers) == ("0.0.0.0", 9000, 2)
    assert serve_environment(args) == {"CONVSTEP_DEFAULT_MODEL": "seed"}
    build_preset("seed").save(tmp_path / "mine.npz")
    args = _parse_serve(["--model", str(tmp_path / "mine.npz"), "--model-dir", str(tmp_path)])
    env = serve_environment(args)
    assert env["CONVSTEP_MODEL_FILE"] == str((tmp_path / "mine.npz").resolve())
    assert env["CONVSTEP_MODEL_DIR"] == str(tmp_path.resolve())


def test_bad_serve_options_are_usage_errors(capsys):
    for argv in (["serve", "--port", "0"], ["serve", "--workers", "0"], ["serve", "--port", "http"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2


def test_engine_commands_are_still_there(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("serve", "train", "evaluate", "predict", "summary", "example"):
        assert command in out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_real_server_answers():
    port = _free_port()
    script = Path(sys.executable).with_name("convstep")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "app.cli"]
    env = {**os.environ, "CONVSTEP_MAX_BATCH_IMAGES": "7"}
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port), "--model", "seed", "--log-level", "warning"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as response:
                    health = json.load(response)
                    headers = response.headers
                break
            except OSError as exc:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.stdout.read().decode()) from exc
                time.sleep(0.2)
        assert health["default_model"] == "seed"
        assert headers["X-Content-Type-Options"] == "nosniff"
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/predict",
            method="POST",
            data=json.dumps({"images": [[[0]]] * 8}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(request, timeout=10)
        assert info.value.code == 422  # the limit came from the environment
        assert json.load(info.value)["error"]["code"] == "too_many_images"
    finally:
        server.terminate()
        server.wait(timeout=15)
