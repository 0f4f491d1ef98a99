"""Property-based fuzzing of the whole REST API from its own OpenAPI schema, against a live server.

Schemathesis (``schemathesis run``) reads ``/openapi.json`` from a real ``convstep serve`` on 127.0.0.1 and runs
its four phases on every operation: the schema's examples, boundary "coverage" cases, random valid and invalid
requests (fuzzing) and stateful sequences that follow the responses (a model id from ``GET /api/models`` reused
in ``GET /api/models/{id}``...). Every response must pass every built-in check but one, plus ConvStep's own
(``fuzz_checks.py``):

* no 5xx (``not_a_server_error``); every status, content type, header and body matches what the schema declares
  for that operation (so every route declares its 4xx answers with the error model);
* schema-violating requests are refused (``negative_data_rejection``); a 405 lists the allowed methods;
* every 4xx is the JSON error shape with a readable message; every answer carries the security headers.

Left out, each for a reason:

* ``positive_data_acceptance`` (every schema-valid request must succeed). JSON Schema cannot say "a decodable
  PNG", "x_max above x_min", "a position inside the layer's output" or "a kernel no larger than the padded
  input": such requests are schema-valid and rightly answered 422 with a message, which the checks above verify.
* ``use_after_free`` (a DELETEd resource must be 404 afterwards). ``DELETE /api/train/{id}`` *stops* a job; the
  stopped job, its events and its partial model stay readable until the job expires (CONVSTEP_TRAINING_JOB_TTL_S),
  as the API documents.

Bounded: ``CONVSTEP_FUZZ_EXAMPLES`` examples per operation and phase (default 25, about a minute on two busy
cores), one training job at a time (more get a 429), a hard time limit on the whole run. The seed is random
(printed in the report); replay a failure with ``CONVSTEP_FUZZ_SEED=<seed>``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SHARED_SERVER_ENV

HERE = Path(__file__).resolve().parent
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
EXAMPLES = int(os.environ.get("CONVSTEP_FUZZ_EXAMPLES", "25"))
RUN_TIME_LIMIT_S = 400  # a hang is a failure, not a stuck CI job


@pytest.fixture(scope="module")
def fuzzed_server(tmp_path_factory):
    """A server of its own: whatever the fuzzer creates (training jobs...) stays away from the other tests."""
    from tests.support.live_server import ServerProcess

    with ServerProcess(env=SHARED_SERVER_ENV) as live:
        yield live


@pytest.mark.slow
def test_the_whole_api_survives_schema_driven_fuzzing(fuzzed_server, tmp_path):
    assert SCHEMATHESIS.is_file(), "schemathesis is missing: pip install -e '.[test]'"
    command = [
        str(SCHEMATHESIS),
        "--no-color",
        "run",
        f"{fuzzed_server.url}/openapi.json",
        "--checks",
        "all",
        "--exclude-checks",
        "positive_data_acceptance,use_after_free",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(EXAMPLES),
        "--workers",
        "1",
        "--request-timeout",
        "60",
        "--suppress-health-check",
        "too_slow",
        "--output-truncate",
        "true",
    ]
    if os.environ.get("CONVSTEP_FUZZ_SEED"):
        command += ["--seed", os.environ["CONVSTEP_FUZZ_SEED"]]
    # run in a scratch folder: Schemathesis and Hypothesis keep their databases in the working directory
    env = {**os.environ, "SCHEMATHESIS_HOOKS": str(HERE / "fuzz_checks.py")}
    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=RUN_TIME_LIMIT_S)
    report = run.stdout + run.stderr
    assert run.returncode == 0, f"Schemathesis found problems:\n{report[-20000:]}"
    # the run really covered the API (a schema that failed to load would also "pass" nothing)
    assert "Operations:" in report and "0 selected" not in report
    assert "generated" in report and " 0 generated" not in report, report[-3000:]
    assert fuzzed_server.proc.poll() is None, "the server died during fuzzing"
    from .conftest import assert_no_traceback

    assert_no_traceback(fuzzed_server)
