"""The Redis backend (``CONVSTEP_REDIS_URL``): RQ queues the jobs, ``convstep worker`` processes run them, and

Why one file of over 400 lines: the web side and the worker side read and write the same Redis hashes and
streams; one file keeps the key layout, and both ends of each key, in one place.
everything about a job lives in Redis, so any web worker or replica can answer for any job.

Keys (``convstep:`` prefix; ``{id}`` a job id):

* ``job:{id}`` a hash: the request, plan (settings, layers, data split), state, progress, history, result, error
  (both languages), place in line, and ``seq`` (the last event number) / ``ended`` (the ``end`` event's number);
* ``job:{id}:events`` the job's events, one Redis Stream entry each, with the stream id ``<seq>-0``: a stream
  resumes after ``Last-Event-ID`` on any web worker (``XRANGE``/``XREAD`` from that id);
* ``job:{id}:alive`` the worker's heartbeat (expires :data:`HEARTBEAT_MS` after the last beat),
  ``job:{id}:cancel`` the stop request, ``job:{id}:init`` the fine-tuning start model (``.npz``);
* ``running`` the ids of jobs a worker has taken, ``jobs`` every kept job (sorted by submission),
  ``client:{client id}`` a client's active jobs, ``seconds-per-batch`` recent speeds (the estimated starts);
* ``model:{model id}`` a trained model: ``npz`` (the ``.npz`` bytes), ``job``, ``description``. It expires with
  its job (``trained-<id>``) or stays until replaced (a ``register_as`` name). Every web worker loads it on first
  use, with ``allow_pickle=False`` and the same checks as a model file, and keeps a few in an LRU cache.

Two Lua scripts keep the event numbers and the final transition atomic: ``append`` numbers an event and refuses
anything after ``end``; ``finish`` writes the terminal state and the ``end`` event exactly once, whoever gets
there first (the worker, a cancel of a waiting job, or the watchdog that finds a worker gone).

Faults: a worker killed mid-job stops beating; a janitor thread in every web process (and every status read)
ends such a job ``failed`` with ``worker_lost`` once the heartbeat has expired. Redis unreachable at start-up is
a clear error naming the URL (without its password); Redis lost while serving makes the training routes answer
503 ``training_unavailable`` while every other page keeps working, and training resumes when Redis is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import json
import logging
import os
import secrets
import socket
import threading
import time
import weakref
from collections import OrderedDict
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis
import redis.asyncio as aredis
from fastapi.concurrency import run_in_threadpool

from engine import ModelFileError, Sequential

from ...core.errors import ApiError
from ...core.i18n import Lang
from ..models import ModelEntry, ModelRegistry, _json_safe
from .backend import QueueCounts, Submission
from .errors import JobError, worker_lost_error
from .plan import plan_from_json
from .runner import Outcome, TrainingRun, empty_progress, now_iso
from .state import ACTIVE, status_links

log = logging.getLogger("convstep.jobs")

PREFIX = "convstep"
QUEUE_NAME = "convstep-training"
HEARTBEAT_MS = 10_000  # a job whose worker has not beaten for this long is lost
HEARTBEAT_EVERY_S = 2.0
JANITOR_EVERY_S = 5.0
ACTIVE_KEY_TTL_S = 7 * 24 * 3600  # a job's keys while it waits or runs (a safety net: ending sets the real TTL)
JOB_TIMEOUT_S = 6 * 3600  # RQ's limit for one job
MODEL_CACHE = 16  # models loaded from Redis kept per web process
MODEL_RECHECK_S = 1.0  # how often a cached model's version is checked (a register_as name may be replaced)
RECENT_RUNS = 20

APPEND = """
if redis.call('HEXISTS', KEYS[1], 'ended') == 1 then return 0 end
local n = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('XADD', KEYS[2], n .. '-0', 'k', ARGV[1], 'd', ARGV[2])
return n
"""
FINISH = """
if redis.call('HEXISTS', KEYS[1], 'ended') == 1 or redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
local n = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('XADD', KEYS[2], n .. '-0', 'k', 'end', 'd', '{}')
redis.call('HSET', KEYS[1], 'ended', n)
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[5])
return n
"""


def redacted(url: str) -> str:
    """The URL without its password (for messages and logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + netloc))


def unavailable() -> ApiError:
    return ApiError.keyed(503, "training_unavailable", detail={"retry_after_s": 30})


@contextlib.contextmanager
def reachable():
    """Redis errors become a 503 ``training_unavailable``."""
    try:
        yield
    except redis.exceptions.RedisError as exc:
        log.warning("training queue unreachable: %s", exc)
        raise unavailable() from None


def connect(url: str) -> redis.Redis:
    """A client for ``url``, checked now: RuntimeError naming the URL (not its password) if Redis cannot be
    reached."""
    try:
        client = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=3, health_check_interval=15)
        client.ping()
    except (redis.exceptions.RedisError, ValueError) as exc:
        raise RuntimeError(f"cannot reach Redis at {redacted(url)} (CONVSTEP_REDIS_URL): {exc}") from None
    return client


def _s(value) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def _json(value, default=None):
    return default if value in (None, b"", "") else json.loads(value)


def _dumps(value) -> str:
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


class Keys:
    running = f"{PREFIX}:running"
    jobs = f"{PREFIX}:jobs"
    speeds = f"{PREFIX}:seconds-per-batch"

    @staticmethod
    def job(job_id: str) -> str:
        return f"{PREFIX}:job:{job_id}"

    @staticmethod
    def events(job_id: str) -> str:
        return f"{PREFIX}:job:{job_id}:events"

    @staticmethod
    def alive(job_id: str) -> str:
        return f"{PREFIX}:job:{job_id}:alive"

    @staticmethod
    def cancel(job_id: str) -> str:
        return f"{PREFIX}:job:{job_id}:cancel"

    @staticmethod
    def init(job_id: str) -> str:
        return f"{PREFIX}:job:{job_id}:init"

    @staticmethod
    def client(client_id: str | None) -> str:
        return f"{PREFIX}:client:{client_id or '-'}"

    @staticmethod
    def model(model_id: str) -> str:
        return f"{PREFIX}:model:{model_id}"


class RedisBackend:
    name = "redis"
    disabled = False

    def __init__(self, registry: ModelRegistry | None, client: redis.Redis, *, url: str, ttl_s: float, settings=None):
        from rq import Queue

        self.registry = registry
        self.redis = client
        self.url = url
        self.ttl_s = ttl_s
        self.settings = settings
        self.queue = Queue(QUEUE_NAME, connection=client)
        self.streams_closed = False
        self.closing = False
        self._append = client.register_script(APPEND)
        self._finish = client.register_script(FINISH)
        self._models: OrderedDict[str, tuple[str, ModelEntry, float]] = OrderedDict()
        self._models_lock = threading.Lock()
        self._async_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._janitor: threading.Thread | None = None
        self._janitor_stop = threading.Event()
        if registry is not None:
            registry.remote = self.lookup_model  # trained models of any process, by id

    @classmethod
    def from_settings(cls, registry: ModelRegistry | None, settings) -> RedisBackend:
        return cls(
            registry,
            connect(settings.redis_url),
            url=settings.redis_url,
            ttl_s=settings.training_job_ttl_s,
            settings=settings,
        )

    # -- sizes ---------------------------------------------------------------------------------------------------
    @property
    def max_running(self) -> int:
        """The training workers listening now (each runs one job at a time)."""
        from rq import Worker

        try:
            return Worker.count(connection=self.redis, queue=self.queue)
        except redis.exceptions.RedisError:
            return 0

    def counts(self, client_id: str | None) -> QueueCounts:
        with reachable():
            pipe = self.redis.pipeline()
            pipe.scard(Keys.running)
            pipe.llen(self.queue.key)
            pipe.scard(Keys.client(client_id))
            running, queued, mine = pipe.execute()
        return QueueCounts(running=running, queued=queued, client_active=mine if client_id else 0)

    # -- events --------------------------------------------------------------------------------------------------
    def append(self, job_id: str, kind: str, data: dict[str, Any]) -> int:
        return int(self._append(keys=[Keys.job(job_id), Keys.events(job_id)], args=[kind, _dumps(data)]))

    def finish(self, job_id: str, client_id: str | None, fields: dict[str, str]) -> bool:
        """The terminal state and the ``end`` event, once (False if the job had already ended)."""
        args = [job_id, int(self.ttl_s)]
        for k, v in fields.items():
            args += [k, v]
        keys = [Keys.job(job_id), Keys.events(job_id), Keys.running, Keys.client(client_id), Keys.init(job_id)]
        return bool(self._finish(keys=keys, args=args))

    # -- submitting ------------------------------------------------------------------------------------------------
    def submit(self, sub: Submission) -> RedisJobView:
        plan = sub.plan
        with reachable():
            job_id = secrets.token_hex(4)
            while self.redis.exists(Keys.job(job_id)):
                job_id = secrets.token_hex(4)
            now = time.time()
            fields = {
                "request": _dumps(plan.request),
                "settings": _dumps(plan.settings),
                "summary": _dumps(plan.summary),
                "data": _dumps(plan.data()),
                "state": "queued",
                "created_at": now_iso(),
                "submitted": repr(now),
                "client_id": sub.client_id or "",
                "model_id": sub.register_as or f"trained-{job_id}",
                "init_model": sub.init_model[0] if sub.init_model else "",
                "extra_data": sub.extra_data or "",
                "progress": _dumps(empty_progress(plan)),
                "history": "[]",
                "seq": 0,
            }
            pipe = self.redis.pipeline()
            pipe.hset(Keys.job(job_id), mapping=fields)
            pipe.expire(Keys.job(job_id), ACTIVE_KEY_TTL_S)
            pipe.zadd(Keys.jobs, {job_id: now})
            if sub.client_id:
                pipe.sadd(Keys.client(sub.client_id), job_id)
                pipe.expire(Keys.client(sub.client_id), ACTIVE_KEY_TTL_S)
            if sub.init_model:
                pipe.set(Keys.init(job_id), sub.init_model[1].to_bytes(), ex=ACTIVE_KEY_TTL_S)
            pipe.execute()
            self.queue.enqueue_call(
                "app.services.jobs.redis_backend.run_job",
                args=(job_id,),
                job_id=job_id,
                timeout=JOB_TIMEOUT_S,
                result_ttl=0,
                failure_ttl=int(self.ttl_s),
                description=f"ConvStep training job {job_id}",
            )
            self.redis.expire(Keys.events(job_id), ACTIVE_KEY_TTL_S)
            self.announce_positions()
        self._start_janitor()
        return RedisJobView(self, job_id)

    # -- the line --------------------------------------------------------------------------------------------------
    def _seconds_per_batch(self, running: list[str]) -> float | None:
        speeds = [float(v) for v in self.redis.lrange(Keys.speeds, 0, RECENT_RUNS - 1)]
        if speeds:
            return sum(speeds) / len(speeds)
        rates = []
        for job_id in running:
            progress = _json(self.redis.hget(Keys.job(job_id), "progress"), {})
            data = _json(self.redis.hget(Keys.job(job_id), "data"), {})
            steps = (progress.get("fraction") or 0) * data.get("total_batches", 0)
            if steps >= 1 and progress.get("elapsed_s"):
                rates.append(progress["elapsed_s"] / steps)
        return sum(rates) / len(rates) if rates else None

    def estimated_starts(self, queued: list[str]) -> list[float | None]:
        """Seconds until each waiting job (in line order) starts: the running jobs' ETAs and the waiting jobs'
        batches times the recent seconds per batch, spread over the workers."""
        running = [_s(j) for j in self.redis.smembers(Keys.running)]
        per_batch = self._seconds_per_batch(running)
        if per_batch is None:
            return [None] * len(queued)
        pipe = self.redis.pipeline()
        for job_id in running:
            pipe.hmget(Keys.job(job_id), "progress", "data")
        for job_id in queued:
            pipe.hget(Keys.job(job_id), "data")
        answers = pipe.execute()
        slots = []
        for progress, data in answers[: len(running)]:
            eta = _json(progress, {}).get("eta_s")
            slots.append(eta if eta is not None else _json(data, {}).get("total_batches", 0) * per_batch)
        workers = max(1, self.max_running)
        slots += [0.0] * max(0, workers - len(slots))
        heapq.heapify(slots)
        starts = []
        for data in answers[len(running) :]:
            start = slots[0]
            starts.append(round(start, 1))
            heapq.heapreplace(slots, start + _json(data, {}).get("total_batches", 0) * per_batch)
        return starts

    def estimated_wait(self) -> float | None:
        with reachable():
            queued = self.queue.get_job_ids(0, 1)  # a place frees when the first waiting job starts
            return self.estimated_starts(queued)[0] if queued else 0.0

    def announce_positions(self) -> None:
        """A ``state`` event for every waiting job whose place in line changed."""
        queued = self.queue.get_job_ids()
        if not queued:
            return
        known = self.redis.pipeline()
        for job_id in queued:
            known.hget(Keys.job(job_id), "pos")
        positions = known.execute()
        changed = [(i + 1, j) for i, (j, p) in enumerate(zip(queued, positions)) if _s(p) != str(i + 1)]
        if not changed:
            return
        starts = self.estimated_starts(queued)
        for position, job_id in changed:
            self.redis.hset(Keys.job(job_id), "pos", position)
            self.append(
                job_id,
                "state",
                {"state": "queued", "queue_position": position, "starts_in_s": starts[position - 1]},
            )

    def queue_info(self, job_id: str) -> tuple[int | None, float | None]:
        queued = self.queue.get_job_ids()
        if job_id not in queued:
            return None, None
        position = queued.index(job_id) + 1
        return position, self.estimated_starts(queued[:position])[-1]

    # -- reading, cancelling -----------------------------------------------------------------------------------------
    def get(self, job_id: str) -> RedisJobView | None:
        with reachable():
            if not self.redis.exists(Keys.job(job_id)):
                return None
            self.check_lost([job_id])
        self._start_janitor()
        return RedisJobView(self, job_id)

    def jobs(self) -> list[RedisJobView]:
        with reachable():
            ids = [_s(j) for j in self.redis.zrange(Keys.jobs, 0, -1)]
            pipe = self.redis.pipeline()
            for job_id in ids:
                pipe.exists(Keys.job(job_id))
            kept = [j for j, there in zip(ids, pipe.execute()) if there]
            gone = set(ids) - set(kept)
            if gone:
                self.redis.zrem(Keys.jobs, *gone)
        return [RedisJobView(self, j) for j in kept]

    def cancel(self, job_id: str) -> RedisJobView | None:
        """A waiting job leaves the line at once; a running one stops at its next minibatch (its worker polls)."""
        with reachable():
            if not self.redis.exists(Keys.job(job_id)):
                return None
            if self.redis.lrem(self.queue.key, 0, job_id):
                client_id = _s(self.redis.hget(Keys.job(job_id), "client_id"))
                self.finish(
                    job_id, client_id, {"state": "cancelled", "finished_at": now_iso(), "ended_ts": repr(time.time())}
                )
                self.announce_positions()
            elif self.redis.hget(Keys.job(job_id), "state") in (b"queued", b"running"):
                self.redis.set(Keys.cancel(job_id), 1, ex=ACTIVE_KEY_TTL_S)
        return RedisJobView(self, job_id)

    # -- a lost worker -----------------------------------------------------------------------------------------------
    def check_lost(self, job_ids: list[str] | None = None) -> list[str]:
        """End ``worker_lost`` the taken jobs whose worker stopped beating. Returns their ids."""
        running = [_s(j) for j in self.redis.smembers(Keys.running)]
        if job_ids is not None:
            running = [j for j in running if j in job_ids]
        lost = []
        for job_id in running:
            if self.redis.exists(Keys.alive(job_id)):
                continue
            taken = _json(self.redis.hget(Keys.job(job_id), "taken"), 0.0)
            if time.time() - taken < HEARTBEAT_MS / 1000:
                continue  # the worker took it a moment ago: its first beat is on its way
            client_id = _s(self.redis.hget(Keys.job(job_id), "client_id"))
            fields = {
                "state": "failed",
                "error": _dumps(worker_lost_error().to_record()),
                "finished_at": now_iso(),
                "ended_ts": repr(time.time()),
            }
            if self.finish(job_id, client_id, fields):
                log.warning("training job %s: its worker was lost", job_id)
                lost.append(job_id)
            self.redis.srem(Keys.running, job_id)
        return lost

    def _start_janitor(self) -> None:
        if self._janitor is not None or self.closing:
            return

        def loop() -> None:
            while not self._janitor_stop.wait(JANITOR_EVERY_S):
                try:
                    self.check_lost()
                except redis.exceptions.RedisError:
                    pass  # Redis is away: the routes answer 503 meanwhile
                except Exception:  # never let the watchdog die silently
                    log.exception("training job watchdog")

        self._janitor = threading.Thread(target=loop, name="convstep-train-watchdog", daemon=True)
        self._janitor.start()

    def sweep(self) -> list[str]:
        return []  # Redis expires ended jobs itself (EXPIRE set when they end)

    # -- models ------------------------------------------------------------------------------------------------------
    def lookup_model(self, model_id: str) -> ModelEntry | None:
        """A trained model stored in Redis, loaded on first use and cached (LRU); None if there is none."""
        now = time.monotonic()
        with self._models_lock:
            cached = self._models.get(model_id)
            if cached is not None and now - cached[2] < MODEL_RECHECK_S:
                self._models.move_to_end(model_id)
                return cached[1]
        try:
            version = _s(self.redis.hget(Keys.model(model_id), "job"))
            if version is None:
                with self._models_lock:
                    self._models.pop(model_id, None)
                return None
            if cached is not None and cached[0] == version:
                entry = cached[1]
            else:
                data, description = self.redis.hmget(Keys.model(model_id), "npz", "description")
                if data is None:
                    return None
                try:
                    model = Sequential.from_bytes(data)  # allow_pickle=False and every check of a model file
                except ModelFileError as exc:
                    log.error("model %s in Redis is unreadable: %s", model_id, exc)
                    return None
                entry = ModelEntry(
                    model_id, model.eval(), _s(description) or model_id, "training", _json_safe(model.metadata)
                )
        except redis.exceptions.RedisError:
            if cached is not None:
                return cached[1]
            raise unavailable() from None
        with self._models_lock:
            self._models[model_id] = (version, entry, now)
            self._models.move_to_end(model_id)
            while len(self._models) > MODEL_CACHE:
                self._models.popitem(last=False)
        return entry

    # -- streams -----------------------------------------------------------------------------------------------------
    def async_client(self) -> aredis.Redis:
        """This event loop's asyncio client (a client belongs to the loop that made it)."""
        loop = asyncio.get_running_loop()
        client = self._async_clients.get(loop)
        if client is None:
            client = aredis.Redis.from_url(self.url, socket_connect_timeout=3, socket_timeout=30)
            self._async_clients[loop] = client
        return client

    def close_streams(self) -> None:
        self.streams_closed = True

    def shutdown(self, timeout: float = 30.0) -> list[str]:
        """Stop the watchdog; the jobs go on in their workers."""
        self.closing = True
        self._janitor_stop.set()
        if self._janitor is not None:
            self._janitor.join(timeout=5)
        return []


class RedisJobView:
    """A job kept in Redis, seen from a web process (what routes and streams use)."""

    def __init__(self, backend: RedisBackend, job_id: str):
        self.backend, self.id = backend, job_id
        self._end: int | None = None
        with reachable():
            self._fields = {_s(k): v for k, v in backend.redis.hgetall(Keys.job(job_id)).items()}

    def _field(self, name: str) -> str | None:
        return _s(self._fields.get(name))

    @property
    def state(self) -> str:
        return self._field("state") or "failed"

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def model_id(self) -> str:
        return self._field("model_id")

    @property
    def registered(self) -> bool:
        return self._field("registered") == "1"

    def status(self, lang: Lang) -> dict[str, Any]:
        with reachable():
            self._fields = {_s(k): v for k, v in self.backend.redis.hgetall(Keys.job(self.id)).items()}
            position, starts_in = self.backend.queue_info(self.id) if self.state == "queued" else (None, None)
        f = self._field
        ended_ts = _json(f("ended_ts"))
        expires = None if ended_ts is None else max(0.0, round(ended_ts + self.backend.ttl_s - time.time(), 1))
        error = _json(f("error"))
        model_id = self.model_id if self.registered else None
        return {
            "id": self.id,
            "state": self.state,
            "created_at": f("created_at"),
            "started_at": f("started_at"),
            "finished_at": f("finished_at"),
            "expires_in_s": expires,
            "queue_position": position,
            "starts_in_s": starts_in,
            "settings": _json(f("settings"), {}),
            "architecture": _json(f("summary"), {}),
            "data": _json(f("data"), {}),
            "progress": _json(f("progress"), {}),
            "history": _json(f("history"), []),
            "result": _json(f("result")),
            "error": JobError.from_record(error).to_dict(lang) if error else None,
            "model_id": model_id,
            "last_event_id": int(f("seq") or 0),
            "links": status_links(self.id, model_id),
        }

    async def astatus(self, lang: Lang) -> dict[str, Any]:
        return await run_in_threadpool(self.status, lang)

    def model_bytes(self) -> bytes | None:
        if not self.registered:
            return None
        with reachable():
            data, job = self.backend.redis.hmget(Keys.model(self.model_id), "npz", "job")
        return data if _s(job) == self.id else None

    # -- the stream --------------------------------------------------------------------------------------------------
    async def aevents_after(self, seq: int) -> list[tuple[int, str, dict]]:
        client = self.backend.async_client()
        entries = await client.xrange(Keys.events(self.id), min=f"{max(seq, 0) + 1}-0")
        ended = await client.hget(Keys.job(self.id), "ended")
        self._end = int(ended) if ended is not None else None
        events = []
        for entry_id, fields in entries:
            n = int(_s(entry_id).split("-", 1)[0])
            kind = _s(fields[b"k"])
            events.append((n, kind, {"seq": n, "type": kind, **json.loads(fields[b"d"])}))
        return events

    @property
    def end_event_id(self) -> int | None:
        return self._end

    @contextlib.asynccontextmanager
    async def listen(self):
        yield _StreamListener(self)


class _StreamListener:
    """Waits for the job's next stream entry with XREAD BLOCK, a second at a time (to notice a stopping server)."""

    def __init__(self, view: RedisJobView):
        self.view = view

    def clear(self) -> None:
        pass

    async def wait(self, cursor: int, timeout: float) -> bool:
        client = self.view.backend.async_client()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.view.backend.streams_closed:
                return True
            block = int(max(0.05, min(1.0, deadline - time.monotonic())) * 1000)
            answer = await client.xread({Keys.events(self.view.id): f"{cursor}-0"}, count=1, block=block)
            if answer:
                return True
        return False


# -- the worker side --------------------------------------------------------------------------------------------------
class RedisJobSink:
    """Where a run reports when it runs in an RQ worker: the job's hash and stream. A Redis hiccup while training
    is logged and the run goes on (events of that moment are lost, the end is retried)."""

    def __init__(self, backend: RedisBackend, job_id: str):
        self.backend, self.id = backend, job_id
        self.redis = backend.redis
        self._stop = False

    def _safely(self, what: str, fn, *args, **kw) -> None:
        try:
            fn(*args, **kw)
        except redis.exceptions.RedisError as exc:
            log.warning("training job %s: %s not recorded (%s)", self.id, what, exc)

    def set_running(self, data: dict[str, Any]) -> None:
        self._safely(
            "start",
            self.redis.hset,
            Keys.job(self.id),
            mapping={"state": "running", "started_at": now_iso(), "data": _dumps(data)},
        )
        self._safely("start", self.backend.append, self.id, "state", {"state": "running", **data})

    def set_progress(self, progress: dict[str, Any]) -> None:
        self._safely("progress", self.redis.hset, Keys.job(self.id), "progress", _dumps(progress))

    def add_event(self, kind: str, data: dict[str, Any]) -> None:
        self._safely(kind, self.backend.append, self.id, kind, data)

    def add_epoch(self, point: dict[str, Any], event: dict[str, Any]) -> None:
        def record():
            history = _json(self.redis.hget(Keys.job(self.id), "history"), [])
            self.redis.hset(Keys.job(self.id), "history", _dumps([*history, point]))

        self._safely("epoch", record)
        self._safely("epoch", self.backend.append, self.id, "epoch", event)

    def should_stop(self) -> bool:
        """A stop request, or the job already ended (declared lost): asked before every minibatch (one round trip,
        a fraction of a millisecond), so that a stop reaches the worker within one minibatch."""
        if not self._stop:
            try:
                pipe = self.redis.pipeline()
                pipe.exists(Keys.cancel(self.id))
                pipe.hexists(Keys.job(self.id), "ended")
                cancel, ended = pipe.execute()
                self._stop = bool(cancel or ended)
            except redis.exceptions.RedisError:
                pass  # Redis away for a moment: keep training, ask again at the next minibatch
        return self._stop

    def keep_partial_model(self) -> bool:
        return True


def _heartbeat(client: redis.Redis, job_id: str, stop: threading.Event) -> None:
    while True:
        try:
            client.set(Keys.alive(job_id), 1, px=HEARTBEAT_MS)
        except redis.exceptions.RedisError:
            pass
        if stop.wait(HEARTBEAT_EVERY_S):
            return


#: set by ``convstep worker`` (the settings of this process); a plain RQ worker gets Settings() from the environment
worker_settings = None


def run_job(job_id: str) -> str:
    """The RQ job: run training job ``job_id`` here and record everything in Redis. Returns its final state."""
    from rq import get_current_job

    from ...core.config import Settings

    settings = worker_settings
    if settings is None:  # a plain `rq worker`, not `convstep worker`: this process needs the same data sources
        from .data_sources import register_builtin_sources

        register_builtin_sources()
        settings = Settings()
    client = get_current_job().connection
    backend = RedisBackend(
        None, client, url=settings.redis_url or "", ttl_s=settings.training_job_ttl_s, settings=settings
    )
    fields = {_s(k): v for k, v in client.hgetall(Keys.job(job_id)).items()}
    if not fields or "ended" in fields:
        return "gone"  # cancelled while waiting, or ended (lost) before a retry: nothing runs twice
    client_id = _s(fields.get("client_id")) or None
    stop = threading.Event()
    client.set(Keys.alive(job_id), 1, px=HEARTBEAT_MS)
    pipe = client.pipeline()
    pipe.sadd(Keys.running, job_id)
    worker = f"{socket.gethostname()}:{os.getpid()}"  # which worker ran it (logs, and the tests of the spread)
    pipe.hset(Keys.job(job_id), mapping={"taken": repr(time.time()), "pos": "", "worker": worker})
    pipe.execute()
    beat = threading.Thread(target=_heartbeat, args=(client, job_id, stop), name=f"beat-{job_id}", daemon=True)
    beat.start()
    started = time.monotonic()
    sink = RedisJobSink(backend, job_id)
    try:
        backend.announce_positions()  # this job left the line: the others move up
        plan = plan_from_json(json.loads(fields["request"]), settings.max_training_epochs)
        init = None
        if _s(fields.get("init_model")):
            data = client.get(Keys.init(job_id))
            init = (_s(fields["init_model"]), Sequential.from_bytes(data)) if data else None
        model_id = _s(fields["model_id"])
        if sink.should_stop():
            outcome = Outcome("cancelled")
        else:
            run = TrainingRun(
                job_id,
                plan,
                sink,
                model_id=model_id,
                init_model=init,
                extra_data=_s(fields.get("extra_data")) or None,
                settings=settings,
            )
            outcome = run.run()
        _record(backend, job_id, client_id, model_id, plan, outcome, time.monotonic() - started)
        return outcome.state
    finally:
        stop.set()
        beat.join(5)
        with contextlib.suppress(redis.exceptions.RedisError):
            client.delete(Keys.alive(job_id))


def _record(backend: RedisBackend, job_id: str, client_id, model_id: str, plan, outcome: Outcome, seconds: float):
    """Store the model and the terminal state (retried for a minute if Redis is away at that moment)."""
    client = backend.redis
    fields = {
        "state": outcome.state if outcome.error is None else "failed",
        "finished_at": now_iso(),
        "ended_ts": repr(time.time()),
        "error": _dumps(outcome.error.to_record()) if outcome.error else "",
        "result": _dumps(outcome.result) if outcome.result is not None else "",
        "registered": "1" if outcome.model is not None else "0",
        "data": _dumps(plan.data()),
    }
    deadline = time.monotonic() + 60
    while True:
        try:
            if outcome.model is not None:
                key = Keys.model(model_id)
                pipe = client.pipeline()
                pipe.hset(
                    key, mapping={"npz": outcome.model.to_bytes(), "job": job_id, "description": outcome.description}
                )
                if model_id == f"trained-{job_id}":
                    pipe.expire(key, int(backend.ttl_s))
                else:
                    pipe.persist(key)  # a chosen name stays until another job replaces it
                pipe.execute()
            backend.finish(job_id, client_id, fields)
            done = plan.total_batches * (outcome.model is not None or outcome.state == "finished")
            if done and seconds > 0:
                client.lpush(Keys.speeds, repr(seconds / plan.total_batches))
                client.ltrim(Keys.speeds, 0, RECENT_RUNS - 1)
            with contextlib.suppress(redis.exceptions.RedisError):
                backend.announce_positions()
            return
        except redis.exceptions.RedisError as exc:
            if time.monotonic() > deadline:
                log.error("training job %s: its end could not be recorded (%s)", job_id, exc)
                return
            time.sleep(1)
