"""What every ConvStep answer must look like, as plain functions (used by the tests) and as Schemathesis checks
(loaded by test_fuzz.py through ``SCHEMATHESIS_HOOKS``, run on every response of the fuzzing run)."""

from __future__ import annotations

import json
from collections.abc import Mapping

import schemathesis

# every response, errors included (app/core/security.py)
REQUIRED_HEADERS = {
    "content-security-policy": "script-src 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
INTERNALS = ("Traceback", 'File "/', "pydantic_core", "<built-in", "object at 0x", "site-packages")


def error_answer_problem(status: int, content_type: str, content: bytes) -> str | None:
    """None when a 4xx is JSON ``{"error": {"code", "message", "detail"}}`` whose message is a sentence a student
    can read (not a bare status, not a Python repr, no traceback); else what is wrong."""
    if not 400 <= status < 500:
        return None
    if not content_type.startswith("application/json"):
        return f"{status} answered with {content_type!r}, not JSON"
    try:
        error = json.loads(content)["error"]
        code, message = error["code"], error["message"]
    except (ValueError, KeyError, TypeError):
        return f"{status} without the error shape: {content[:300]!r}"
    if set(error) != {"code", "message", "detail"}:
        return f"unexpected error fields: {sorted(error)}"
    if not isinstance(code, str) or not code:
        return f"error without a code: {error!r}"
    if not isinstance(message, str) or len(message.split()) < 3:
        return f"error message too short to help anyone: {message!r}"
    leaks = [leak for leak in INTERNALS if leak in message]
    if leaks:
        return f"error message leaks internals ({leaks}): {message!r}"
    return None


def missing_security_headers(headers: Mapping[str, str]) -> list[str]:
    """The required security headers that ``headers`` (lower-case names) lacks or weakens."""
    return [f"{name}: {needle}" for name, needle in REQUIRED_HEADERS.items() if needle not in headers.get(name, "")]


def _first(headers, name: str) -> str:
    values = headers.get(name) or []
    return values[0] if values else ""


@schemathesis.check
def readable_client_error(ctx, response, case):
    problem = error_answer_problem(response.status_code, _first(response.headers, "content-type"), response.content)
    if problem:
        raise AssertionError(problem)
    return None


@schemathesis.check
def security_headers_everywhere(ctx, response, case):
    missing = missing_security_headers({name: _first(response.headers, name) for name in REQUIRED_HEADERS})
    if missing:
        raise AssertionError(f"{response.status_code} answer without {', '.join(missing)}")
    return None
