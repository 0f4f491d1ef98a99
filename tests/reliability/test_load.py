"""The short CI variant of ``benchmarks/load.py``: concurrent clients on /api/predict, /api/forward and
/api/backward with real digits, against a live server with one worker and with two.

Behaviour, not speed: every request must succeed, and the server's memory must stay flat over repeated rounds
(growth after the first round below a generous bound). Latencies are measured but never asserted (they belong to
``python benchmarks/load.py``)."""

from __future__ import annotations

import pytest

from tests.support.live_server import LOAD_ENDPOINTS, endpoint_bodies, load_rounds, real_digits

CLIENTS = 8
SECONDS = 4.0
ROUNDS = 3
RSS_BOUND_MB_PER_PROCESS = 64.0


@pytest.fixture(scope="module")
def bodies():
    return endpoint_bodies(real_digits(10))


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_concurrent_clients_get_answers_and_memory_stays_flat(start_server, bodies, workers):
    server = start_server(workers=workers)
    result = load_rounds(
        server,
        bodies,
        clients=CLIENTS,
        seconds=SECONDS,
        rounds=ROUNDS,
        rss_bound_mb_per_process=RSS_BOUND_MB_PER_PROCESS,
    )
    assert result["server_processes"] >= workers
    for round_ in result["rounds"]:
        for path in LOAD_ENDPOINTS:
            tally = round_["endpoints"][path]
            assert tally["errors"] == 0, (path, tally["error_samples"])
            assert tally["ok"] > 0, f"{path} got no answer in round {round_['round']}"
    rss = [(r["rss_before_mb"], r["rss_after_mb"]) for r in result["rounds"]]
    assert result["rss_flat"], (
        f"RSS grew {result['rss_growth_after_round_1_mb']} MB after round 1 "
        f"(bound {result['rss_growth_bound_mb']} MB): {rss}"
    )
    assert server.proc.poll() is None
    assert "Traceback" not in server.log_text()
