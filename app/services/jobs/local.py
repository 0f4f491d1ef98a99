"""The in-process backend (the default, ``make run``): a FIFO queue and runner threads in the web process.

* **Threads, not processes**: NumPy releases the GIL inside its matrix products, the event loop stays free, and
  the trained model is already in the server's registry when the job ends (no copy between processes).
* **Queue**: at most ``max_running`` jobs run at once; the others wait in submission order (state ``queued``) and
  know their place: ``queue_position`` 1 starts next. Whenever the places move (a job starts, a queued one is
  cancelled) every waiting job gets a new ``state`` event with its position and estimated start.
* **Estimated start**: the seconds per batch of the recent runs (or of the running ones, before any has ended),
  times the batches left of the running jobs and of the queued ones ahead, spread over the running slots.
* **Expiry**: a finished job, and its ``trained-<id>`` model, is forgotten ``ttl_s`` seconds after it ends (a
  janitor thread checks), or earlier when more than :data:`MAX_KEPT_JOBS` jobs are kept. A model registered under
  a chosen name (``register_as``) stays until another job replaces it.
"""

from __future__ import annotations

import heapq
import logging
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from ..models import ModelRegistry
from .backend import QueueCounts, Submission
from .runner import Outcome, TrainingRun
from .state import TrainingJob

log = logging.getLogger("convstep.jobs")

TRAINING_NICENESS = 19  # the lowest priority: runner threads yield the CPU to the requests of students who draw
MAX_KEPT_JOBS = 64  # ended jobs kept (with their events and models) before the oldest are dropped early
RECENT_RUNS = 20  # runs whose speed estimates the start of waiting jobs


def lower_thread_priority(niceness: int = TRAINING_NICENESS) -> None:
    """Lower this thread's CPU priority (Linux: a thread has its own nice value). A training job is a batch
    computation, a drawing student waits for an answer: on a busy machine the scheduler should serve the request
    first. Best effort: elsewhere, or if refused, nothing changes."""
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + niceness))
    except (AttributeError, OSError):
        pass


class LocalBackend:
    name = "memory"

    def __init__(
        self,
        registry: ModelRegistry,
        *,
        max_running: int,
        ttl_s: float,
        clock: Callable[[], float] = time.monotonic,
        settings: Any = None,
    ):
        self.registry = registry
        self.max_running = max_running
        self.ttl_s = ttl_s
        self.clock = clock
        self.settings = settings
        self.streams_closed = False
        self._jobs: dict[str, TrainingJob] = {}
        self._queue: deque[TrainingJob] = deque()
        self._running: set[str] = set()
        self._announced: dict[str, int] = {}  # job id -> the position its last state event said
        self._seconds_per_batch: deque[float] = deque(maxlen=RECENT_RUNS)
        self._lock = threading.RLock()
        self._closing = False
        self._janitor_stop = threading.Event()
        self._janitor: threading.Thread | None = None

    # -- counting ------------------------------------------------------------------------------------------------
    def counts(self, client_id: str | None) -> QueueCounts:
        with self._lock:
            mine = 0
            if client_id is not None:
                mine = sum(1 for j in self._jobs.values() if j.active and j.client_id == client_id)
            return QueueCounts(running=len(self._running), queued=len(self._queue), client_active=mine)

    @property
    def closing(self) -> bool:
        return self._closing

    @property
    def disabled(self) -> bool:
        """No running place at all: live training is off on this server."""
        return self.max_running == 0

    # -- submitting and dispatching ----------------------------------------------------------------------------------
    def submit(self, sub: Submission) -> TrainingJob:
        with self._lock:
            job_id = secrets.token_hex(4)
            while job_id in self._jobs:
                job_id = secrets.token_hex(4)
            job = TrainingJob(
                job_id,
                sub.plan,
                self.clock,
                ttl_s=self.ttl_s,
                client_id=sub.client_id,
                model_id=sub.register_as,
                init_model=sub.init_model[0] if sub.init_model else None,
                extra_data=sub.extra_data,
                queue_info=self.queue_info,
            )
            job.init_model_entry = sub.init_model
            self._jobs[job_id] = job
            self._queue.append(job)
            self._announce_locked(job)
            self._dispatch_locked()
        self._start_janitor()
        return job

    def _dispatch_locked(self) -> None:
        started = False
        while self._queue and len(self._running) < self.max_running and not self._closing:
            job = self._queue.popleft()
            self._announced.pop(job.id, None)
            self._running.add(job.id)
            job.thread = threading.Thread(target=self._run, args=(job,), name=f"convstep-train-{job.id}", daemon=True)
            job.thread.start()  # daemon: never blocks interpreter exit; shutdown() joins
            started = True
        if started:
            for waiting in self._queue:
                self._announce_locked(waiting)

    def _announce_locked(self, job: TrainingJob) -> None:
        """A ``state`` event for a waiting job whose place changed (the first one says ``queued``)."""
        position = self._queue.index(job) + 1
        if self._announced.get(job.id) == position:
            return
        self._announced[job.id] = position
        job.append("state", {"state": "queued", "queue_position": position, "starts_in_s": self._starts_in(position)})

    def _run(self, job: TrainingJob) -> None:
        """The runner thread's body: never raises; always ends the job with a final event."""
        lower_thread_priority()
        try:
            if job.cancel_requested.is_set():
                outcome = Outcome("cancelled")
            else:
                run = TrainingRun(
                    job.id,
                    job.plan,
                    job,
                    model_id=job.model_id,
                    init_model=job.init_model_entry,
                    extra_data=job.extra_data,
                    settings=self.settings,
                )
                outcome = run.run()
            if outcome.model is not None:
                self.registry.register(job.model_id, outcome.model, source="training", description=outcome.description)
            if job.started_clock is not None and job.progress.get("batch"):
                done = max(1.0, (job.progress["fraction"] or 0) * job.plan.total_batches)
                with self._lock:
                    self._seconds_per_batch.append((self.clock() - job.started_clock) / done)
        except Exception:  # registering failed: a bug, reported as one
            log.exception("training job %s could not be finished", job.id)
            from .errors import JobError

            outcome = Outcome("failed", error=JobError("internal_error"))
        job.finish(outcome)
        with self._lock:
            self._running.discard(job.id)
            self._dispatch_locked()

    # -- estimated start -------------------------------------------------------------------------------------------
    def _batch_seconds(self) -> float | None:
        if self._seconds_per_batch:
            return sum(self._seconds_per_batch) / len(self._seconds_per_batch)
        rates = []
        for job_id in self._running:
            job = self._jobs[job_id]
            p = job.progress
            steps = (p.get("fraction") or 0) * job.plan.total_batches
            if steps >= 1 and p.get("elapsed_s"):
                rates.append(p["elapsed_s"] / steps)
        return sum(rates) / len(rates) if rates else None

    def _starts_in(self, position: int) -> float | None:
        """Seconds until the job at ``position`` (1: next) starts; None before any speed is known."""
        per_batch = self._batch_seconds()
        if per_batch is None:
            return None if len(self._running) >= self.max_running else 0.0
        slots = []
        for job_id in self._running:
            job = self._jobs[job_id]
            eta = job.progress.get("eta_s")
            slots.append(eta if eta is not None else job.plan.total_batches * per_batch)
        slots += [0.0] * max(0, self.max_running - len(slots))
        heapq.heapify(slots)
        queued = list(self._queue)
        for ahead in queued[: position - 1]:
            heapq.heapreplace(slots, slots[0] + ahead.plan.total_batches * per_batch)
        return round(slots[0], 1) if slots else None

    def queue_info(self, job: TrainingJob) -> tuple[int | None, float | None]:
        with self._lock:
            try:
                position = self._queue.index(job) + 1
            except ValueError:
                return None, None
            return position, self._starts_in(position)

    def estimated_wait(self) -> float | None:
        """Seconds until a place in the line frees (the first waiting job starts): a full queue's Retry-After."""
        with self._lock:
            return self._starts_in(1) if self._queue else 0.0

    # -- reading, cancelling -----------------------------------------------------------------------------------------
    def get(self, job_id: str) -> TrainingJob | None:
        self.sweep()
        return self._jobs.get(job_id)

    def jobs(self) -> list[TrainingJob]:
        self.sweep()
        return sorted(self._jobs.values(), key=lambda j: j.submitted_clock)

    def cancel(self, job_id: str) -> TrainingJob | None:
        """A queued job leaves the queue at once (everyone behind moves up); a running one stops at its next
        minibatch."""
        job = self.get(job_id)
        if job is None:
            return None
        with self._lock:
            if job in self._queue:
                self._queue.remove(job)
                self._announced.pop(job.id, None)
                job.cancel_requested.set()
                job.finish(Outcome("cancelled"))
                for waiting in self._queue:
                    self._announce_locked(waiting)
                return job
        if job.active:
            job.cancel_requested.set()
        return job

    # -- expiry ----------------------------------------------------------------------------------------------------
    def sweep(self) -> list[str]:
        """Forget jobs that ended more than ttl_s ago, and the oldest ended ones beyond MAX_KEPT_JOBS; their
        ``trained-<id>`` models leave the registry. Returns the ids forgotten."""
        now = self.clock()
        with self._lock:
            ended = sorted((j for j in self._jobs.values() if j.ended_clock is not None), key=lambda j: j.ended_clock)
            expired = [j for j in ended if now - j.ended_clock >= self.ttl_s]
            extra = len(ended) - len(expired) - MAX_KEPT_JOBS
            if extra > 0:
                expired += [j for j in ended if j not in expired][:extra]
            for job in expired:
                del self._jobs[job.id]
        for job in expired:
            if job.registered and job.model_id == f"trained-{job.id}":
                self.registry.remove(job.model_id)
            log.info("training job %s forgotten", job.id)
        return [job.id for job in expired]

    def _start_janitor(self) -> None:
        with self._lock:
            if self._janitor is not None or self._closing:
                return
            interval = max(1.0, min(60.0, self.ttl_s / 10))

            def loop() -> None:
                while not self._janitor_stop.wait(interval):
                    self.sweep()

            self._janitor = threading.Thread(target=loop, name="convstep-train-janitor", daemon=True)
            self._janitor.start()

    # -- shutdown ------------------------------------------------------------------------------------------------
    def close_streams(self) -> None:
        """End every open event stream now (a server stopping waits for open connections before it shuts the app
        down). Safe to call from a signal handler: it only sets a flag and schedules wake-ups."""
        self.streams_closed = True
        for job in list(self._jobs.values()):
            job.wake_listeners()

    def shutdown(self, timeout: float = 30.0) -> list[str]:
        """Refuse new jobs, cancel the queued and running ones and join every thread. Returns the ids of threads that
        did not stop within ``timeout`` seconds (a minibatch in progress always finishes first)."""
        with self._lock:
            self._closing = True
            jobs = list(self._jobs.values())
            waiting, self._queue = list(self._queue), deque()
        for job in waiting:
            job.finish(Outcome("cancelled"))
        for job in jobs:
            job.shutting_down = True
            job.cancel_requested.set()
        deadline = time.monotonic() + timeout
        stuck = []
        for job in jobs:
            if job.thread is not None:
                job.thread.join(max(0.0, deadline - time.monotonic()))
                if job.thread.is_alive():
                    stuck.append(job.id)
        self._janitor_stop.set()
        if self._janitor is not None:
            self._janitor.join(timeout=5)
        if stuck:
            log.error("training jobs still running at shutdown: %s", ", ".join(stuck))
        return stuck
