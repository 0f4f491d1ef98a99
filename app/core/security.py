"""HTTP hardening: security headers on every response, and a hard cap on request body size.

Both are plain ASGI middleware (no per-request task or body buffering), so they cost next to nothing and also
cover static files, pages and error answers.
"""
from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline script anywhere (the /docs page loads its start-up code from a static file too);
# data:/blob: images are allowed because pages draw heatmaps on canvases and show PNG data URLs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
_ENCODED_HEADERS = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]


class SecurityHeadersMiddleware:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response (pages, API, static files, errors)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in _ENCODED_HEADERS if k not in present]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit; FastAPI lets HTTPExceptions raised
    while reading the body through to the exception handlers, which answer 413 in JSON."""

    def __init__(self, limit: int):
        super().__init__(status_code=413, detail={"limit_bytes": limit})


class BodySizeLimitMiddleware:
    """Refuses request bodies over ``max_bytes`` with a 413.

    Two checks, because a client may lie or say nothing: a declared ``Content-Length`` over the limit is refused
    before a byte is read; a chunked or under-declared body is counted as it streams in and stopped as soon as it
    passes the limit (nothing beyond ``max_bytes`` is ever buffered)."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await self._reject(scope, receive, send, 400)
                return
            if int(declared) > self.max_bytes:
                await self._reject(scope, receive, send, 413)
                return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, limited_receive, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send, status: int) -> None:
        from .errors import error_response, http_error  # errors imports this module's headers: import late

        detail = {"limit_bytes": self.max_bytes} if status == 413 else None
        response = error_response(HTTPConnection(scope), http_error(status, detail),
                                  headers={"Connection": "close"})
        await response(scope, receive, send)
