"""A job's state and event log, in memory (the in-process backend's job record).

Written by the job's runner thread (through the :class:`~.runner.JobSink` methods) and by the queue, read by
requests; every shared field is guarded by ``_lock``. Events are numbered 1, 2, 3...: a stream replays the
events after the client's last seen number, then waits for new ones (see :mod:`.sse`).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import Any

from ...core.i18n import Lang
from .errors import JobError
from .plan import Plan
from .runner import Outcome, empty_progress, now_iso

ACTIVE = ("queued", "running")
TERMINAL = ("finished", "failed", "cancelled")


def status_links(job_id: str, model_id: str | None) -> dict[str, str]:
    links = {"self": f"/api/train/{job_id}", "events": f"/api/train/{job_id}/events"}
    if model_id is not None:
        links["model"] = f"/api/train/{job_id}/model"
        links["lab"] = f"/?model={model_id}"
    return links


class TrainingJob:
    """One training job kept in this process: plan, state, progress and numbered events."""

    def __init__(
        self,
        job_id: str,
        plan: Plan,
        clock: Callable[[], float],
        *,
        ttl_s: float = 3600,
        client_id: str | None = None,
        model_id: str | None = None,
        init_model: str | None = None,
        extra_data: str | None = None,
        queue_info: Callable[[TrainingJob], tuple[int | None, float | None]] | None = None,
    ):
        self.id = job_id
        self.plan = plan
        self.model_id = model_id or f"trained-{job_id}"
        self.clock = clock
        self.ttl_s = ttl_s
        self.client_id = client_id
        self.init_model, self.extra_data = init_model, extra_data
        self.init_model_entry = None  # (id, model) the runner starts from, when fine-tuning
        self.queue_info = queue_info or (lambda job: (None, None))
        self.state = "queued"
        self.created_at, self.started_at, self.finished_at = now_iso(), None, None
        self.submitted_clock = clock()
        self.started_clock: float | None = None
        self.ended_clock: float | None = None  # clock() when it reached a terminal state (for expiry)
        self.progress: dict[str, Any] = empty_progress(plan)
        self.history: list[dict[str, Any]] = []
        self.result: dict[str, Any] | None = None
        self.error: JobError | None = None
        self.registered = False
        self.model = None  # the trained model once registered
        self._model_bytes: bytes | None = None
        self.cancel_requested = threading.Event()
        self.shutting_down = False
        self.thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._events: list[tuple[int, str, dict | None]] = []
        self._listeners: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    # -- events ------------------------------------------------------------------------------------------------
    def append(self, kind: str, data: dict | None) -> int:
        with self._lock:
            if self._events and self._events[-1][1] == "end":
                return len(self._events)  # nothing comes after the end
            seq = len(self._events) + 1
            self._events.append((seq, kind, None if data is None else {"seq": seq, "type": kind, **data}))
            listeners = list(self._listeners)
        self._wake(listeners)
        return seq

    def _wake(self, listeners) -> None:
        for loop, event in listeners:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that stream's event loop is closed: the stream is gone
                self.remove_listener(loop, event)

    def wake_listeners(self) -> None:
        with self._lock:
            listeners = list(self._listeners)
        self._wake(listeners)

    def add_listener(self, loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> None:
        with self._lock:
            self._listeners.add((loop, event))

    def remove_listener(self, loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> None:
        with self._lock:
            self._listeners.discard((loop, event))

    @property
    def listener_count(self) -> int:
        with self._lock:
            return len(self._listeners)

    def events_after(self, seq: int) -> list[tuple[int, str, dict | None]]:
        with self._lock:
            return self._events[max(seq, 0) :]  # event n sits at index n - 1

    async def aevents_after(self, seq: int) -> list[tuple[int, str, dict | None]]:
        return self.events_after(seq)

    @contextlib.asynccontextmanager
    async def listen(self):
        """A wake-up for a stream: set whenever an event is appended (or the server stops)."""
        loop = asyncio.get_running_loop()
        listener = _LocalListener()
        self.add_listener(loop, listener.event)
        try:
            yield listener
        finally:
            self.remove_listener(loop, listener.event)

    @property
    def last_event_id(self) -> int:
        with self._lock:
            return len(self._events)

    @property
    def end_event_id(self) -> int | None:
        """The number of the final ``end`` event, once the job has one (it is always the last)."""
        with self._lock:
            return len(self._events) if self._events and self._events[-1][1] == "end" else None

    # -- the runner's sink -----------------------------------------------------------------------------------------
    def set_running(self, data: dict[str, Any]) -> None:
        with self._lock:
            self.state = "running"
            self.started_at = now_iso()
            self.started_clock = self.clock()
        self.append("state", {"state": "running", **data})

    def set_progress(self, progress: dict[str, Any]) -> None:
        with self._lock:
            self.progress = progress

    def add_event(self, kind: str, data: dict[str, Any]) -> None:
        self.append(kind, data)

    def add_epoch(self, point: dict[str, Any], event: dict[str, Any]) -> None:
        with self._lock:
            self.history.append(point)
        self.append("epoch", event)

    def should_stop(self) -> bool:
        return self.cancel_requested.is_set()

    def keep_partial_model(self) -> bool:
        return not self.shutting_down  # a server shutting down keeps no half-trained model

    # -- state ---------------------------------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    def finish(self, outcome: Outcome) -> None:
        """The terminal state (the model, if any, is already registered) and the final ``end`` event."""
        with self._lock:
            self.state = outcome.state if outcome.error is None else "failed"
            self.error = outcome.error
            if outcome.model is not None:
                self.model, self.registered, self.result = outcome.model, True, outcome.result
            self.finished_at = now_iso()
            self.ended_clock = self.clock()
        self.append("end", None)  # its data is the job's status, made when a stream sends it (in its language)

    def expires_in(self) -> float | None:
        if self.ended_clock is None:
            return None
        return max(0.0, round(self.ended_clock + self.ttl_s - self.clock(), 1))

    def status(self, lang: Lang) -> dict[str, Any]:
        """Everything about the job, for GET /api/train/{id} and the stream's final event."""
        position, starts_in = self.queue_info(self) if self.state == "queued" else (None, None)
        with self._lock:
            model_id = self.model_id if self.registered else None
            return {
                "id": self.id,
                "state": self.state,
                "created_at": self.created_at,
                "started_at": self.started_at,
                "finished_at": self.finished_at,
                "expires_in_s": self.expires_in(),
                "queue_position": position,
                "starts_in_s": starts_in,
                "settings": self.plan.settings,
                "architecture": self.plan.summary,
                "data": self.plan.data(),
                "progress": dict(self.progress),
                "history": list(self.history),
                "result": self.result,
                "error": self.error.to_dict(lang) if self.error else None,
                "model_id": model_id,
                "last_event_id": len(self._events),
                "links": status_links(self.id, model_id),
            }

    async def astatus(self, lang: Lang) -> dict[str, Any]:
        return self.status(lang)

    def model_bytes(self) -> bytes | None:
        """The trained model as an ``.npz`` file (made once, on first download)."""
        if self.model is None:
            return None
        if self._model_bytes is None:
            self._model_bytes = self.model.to_bytes()
        return self._model_bytes


class _LocalListener:
    def __init__(self):
        self.event = asyncio.Event()

    def clear(self) -> None:
        self.event.clear()

    async def wait(self, cursor: int, timeout: float) -> bool:
        """True when woken (news, or the server is stopping), False after ``timeout`` seconds of silence."""
        try:
            await asyncio.wait_for(self.event.wait(), timeout)
            return True
        except TimeoutError:
            return False
