"""What the job manager asks of a backend (in-process threads, or Redis + RQ workers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from engine import Sequential

from .plan import Plan


@dataclass
class Submission:
    """A checked job, ready to queue."""

    plan: Plan
    client_id: str | None = None
    init_model: tuple[str, Sequential] | None = None  # (id, model) whose weights the job starts from
    extra_data: str | None = None  # a data-source key such as "class:ABC234"
    register_as: str | None = None  # the model id of the result (default trained-<job id>)


@dataclass
class QueueCounts:
    running: int
    queued: int
    client_active: int  # queued or running jobs of the submitting client (0 without a client id)


class JobBackend(Protocol):
    """Where jobs wait, run and are kept. Job views (returned by submit/get/jobs) offer ``id``, ``state``,
    ``active``, ``model_id``, ``status(lang)``, ``astatus(lang)``, ``model_bytes()`` and the stream methods of
    :mod:`.sse`. Methods may raise :class:`~app.core.errors.ApiError` (503 when the backend is unreachable)."""

    name: str
    max_running: int
    ttl_s: float
    streams_closed: bool

    def counts(self, client_id: str | None) -> QueueCounts: ...
    def submit(self, submission: Submission) -> Any: ...
    def get(self, job_id: str) -> Any | None: ...
    def jobs(self) -> list[Any]: ...
    def cancel(self, job_id: str) -> Any | None: ...
    def estimated_wait(self) -> float | None: ...
    def close_streams(self) -> None: ...
    def shutdown(self, timeout: float = 30.0) -> list[str]: ...
