"""The HTTP limits and headers every answer shares: the security headers, and the exceptions raised when a request
passes a size or nesting limit.

It imports neither :mod:`.errors` (which turns those exceptions into JSON and puts the headers on a 500) nor
:mod:`.security` (the middleware that enforces them), so both can import it: no import cycle.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException

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


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit; FastAPI lets HTTPExceptions raised
    while reading the body through to the exception handlers, which answer 413 in JSON."""

    def __init__(self, limit: int):
        super().__init__(status_code=413, detail={"limit_bytes": limit})


class JsonTooDeep(HTTPException):
    """Raised from ``receive`` when a JSON body nests deeper than the limit (answered 400 ``json_too_deep``)."""

    def __init__(self, limit: int):
        super().__init__(status_code=400, detail={"max_json_depth": limit})
