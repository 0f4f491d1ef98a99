"""One error type for the whole API, and the handlers that turn every failure into clear JSON.

Every error answer has the same shape, in English or French (see :mod:`app.core.i18n`)::

    {"error": {"code": "blank_image", "message": "Draw a digit first: ...", "detail": ...}}

Bad input is always a 4xx. A 500 only ever means a bug in ConvStep: it is logged with its traceback on the
server and answered with a short JSON message (no traceback, no internals).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from pydantic_core import PydanticCustomError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse
from starlette.routing import Match

from messages import CATALOGUES, message

from .i18n import Lang, request_language
from .limits import SECURITY_HEADERS, JsonTooDeep

log = logging.getLogger("convstep.app")


class ApiError(Exception):
    """A failure the client can understand and fix: HTTP status, stable machine code, and a message from the
    catalogues (``messages/``: key and parameters; the key defaults to ``error.<code>``)."""

    def __init__(
        self,
        status: int,
        code: str,
        *,
        key: str | None = None,
        params: dict[str, Any] | None = None,
        detail: Any = None,
        headers: dict[str, str] | None = None,
    ):
        self.key = key or f"error.{code}"
        self.params = params or {}
        super().__init__(message(self.key, "en", **self.params))
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers  # extra response headers (Retry-After, WWW-Authenticate)

    def message(self, lang: Lang) -> str:
        return message(self.key, lang, **self.params)

    @classmethod
    def keyed(
        cls,
        status: int,
        code: str,
        key: str | None = None,
        detail: Any = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> ApiError:
        """An error whose message is the catalogue's ``key`` (default ``error.<code>``) filled with ``params``."""
        return cls(status, code, key=key, params=params, detail=detail, headers=headers)

    @classmethod
    def invalid_input(cls, code: str, key: str | None = None, detail: Any = None, **params: Any) -> ApiError:
        """A 422: the request is well-formed JSON but its content cannot be used."""
        return cls.keyed(422, code, key, detail, **params)


def english_reason(exc: BaseException) -> dict[str, str]:
    """An exception's text as a message parameter: English as it is; in French, named by its type (the English
    text goes in ``detail.reason``), so that no English lands inside a French sentence."""
    return {
        "en": str(exc) or type(exc).__name__,
        "fr": message("error.reason_in_detail", "fr", kind=type(exc).__name__),
    }


def error_body(code: str, message: str, detail: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "detail": detail}}


def error_response(conn: HTTPConnection, error: ApiError, headers: dict[str, str] | None = None) -> JSONResponse:
    lang = request_language(conn)
    # the message depends on Accept-Language: tell caches
    return JSONResponse(
        error_body(error.code, error.message(lang), error.detail),
        status_code=error.status,
        headers={"Vary": "Accept-Language", **(headers or {})},
    )


# -- request validation (pydantic) -> one readable sentence per field ------------------------------------------

# pydantic error type -> (English, French); {placeholders} come from the error's ctx
# pydantic error type -> catalogue key ``validation.<type>``; {placeholders} come from the error's ctx.
# A few fields deserve a more precise sentence than pydantic's generic one: ``validation.<field>.<type>``.
_FIELD_TEXT = {("model", "string_pattern_mismatch"), ("image", "string_type")}
# errors that say *what is wrong with a value of the right type* beat "wrong type" errors of other union members
_CONSTRAINT_ERRORS = {
    "finite_number",
    "greater_than_equal",
    "greater_than",
    "less_than_equal",
    "less_than",
    "too_short",
    "too_long",
    "string_too_short",
    "string_too_long",
    "string_pattern_mismatch",
    "literal_error",
    "enum",
    "value_error",
    "extra_forbidden",
    "missing",
    "json_invalid",
}
# pydantic names union members in error locations ("int", "list[list[float]]", "function-after[...]")
_UNION_TAG = re.compile(r"^(int|float|str|bool|none|list|dict|tuple|literal|constrained-\w+|function-\w+)(\[.*\])?$|\[")


def _field_path(loc: tuple) -> str:
    parts = [str(p) for p in loc if not (isinstance(p, str) and _UNION_TAG.search(p))]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def _readable(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def validation_error(key: str, **params: Any) -> PydanticCustomError:
    """What our own pydantic validators raise: a catalogue key and its parameters (answered in the reader's
    language by :func:`explain_validation_errors`), never a sentence to split by language."""
    return PydanticCustomError(CATALOGUE_ERROR, message(key, "en", **params), {"key": key, **params})


CATALOGUE_ERROR = "catalogue"


def _explain(error: dict, lang: Lang) -> str:
    kind = error.get("type", "")
    ctx = {k: _readable(v) for k, v in (error.get("ctx") or {}).items()}
    if kind == CATALOGUE_ERROR:
        return message(ctx.pop("key"), lang, **ctx)
    key = (
        f"validation.{error.get('path', '')}.{kind}"
        if (error.get("path", ""), kind) in _FIELD_TEXT
        else f"validation.{kind}"
    )
    if key not in CATALOGUES["en"]:
        return message("validation.invalid_value", lang)
    try:
        return message(key, lang, **ctx)
    except (KeyError, IndexError):
        return message(key, lang)


def explain_validation_errors(errors: list[dict], lang: Lang) -> list[dict[str, str]]:
    """One entry per field: the most telling error (a broken constraint beats a union's "wrong type")."""
    best: dict[str, tuple[tuple[int, int], dict]] = {}
    for error in errors:
        path = _field_path(tuple(error.get("loc", ())))
        top = path.split(".")[0]
        rank = (
            int(error.get("type") in _CONSTRAINT_ERRORS or error.get("type") in ("value_error", CATALOGUE_ERROR)),
            len(path.split(".")),
        )
        if top not in best or rank > best[top][0]:
            best[top] = (rank, {**error, "path": path})
    return [{"field": e["path"], "message": _explain(e, lang), "type": e.get("type", "")} for _, e in best.values()]


# -- the handlers ---------------------------------------------------------------------------------------------

#: HTTP status -> error code (the message is the catalogue's ``error.<code>``)
_HTTP_ERRORS: dict[int, str] = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
}


def http_error(status: int, detail: Any = None) -> ApiError:
    code = _HTTP_ERRORS.get(status, "http_error")
    return ApiError.keyed(status, code, detail=detail, status_code=str(status))


async def _api_error_handler(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(request, exc, headers=exc.headers)


async def _validation_handler(request: Request, exc: RequestValidationError) -> JSONResponse:
    lang = request_language(request)
    fields = explain_validation_errors(list(exc.errors()), lang)
    # French typography: a no-break space before the colon and the semicolon
    colon, semicolon = ("\u00a0: ", "\u202f; ") if lang == "fr" else (": ", "; ")
    summary = semicolon.join(f"{f['field']}{colon}{f['message']}" for f in fields[:5])
    text = message("error.invalid_request", lang, summary=summary)
    return JSONResponse(error_body("invalid_request", text, fields), status_code=422)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _documented_methods(request: Request) -> list[str] | None:
    """The methods the OpenAPI schema documents for this path, or None for a path it does not describe.

    A fixed path names its resource: ``/api/train/validate`` allows POST only, although ``/api/train/{job_id}``
    (GET, DELETE) would also match those characters."""
    paths = request.app.openapi().get("paths", {})  # built once, then cached by FastAPI
    path = request.url.path
    operations = (
        [paths[path]]
        if path in paths
        else [
            ops
            for template, ops in paths.items()
            if re.fullmatch(re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template)), path)
        ]
    )
    if not operations:
        return None
    return [m for m in _METHODS if any(m.lower() in ops for ops in operations)]


def _allowed_methods(request: Request) -> str:
    """Every method the path allows (Starlette names only the first matching route's): what the API schema
    documents, or for pages, every method some route accepts there."""
    allowed = _documented_methods(request)
    if allowed is None:
        allowed = [
            method
            for method in _METHODS
            if any(
                route.matches({**request.scope, "method": method})[0] == Match.FULL
                for route in request.app.router.routes
            )
        ]
    return ", ".join(allowed)


def json_too_deep(limit: int) -> ApiError:
    return ApiError.keyed(400, "json_too_deep", detail={"max_json_depth": limit}, limit=limit)


async def _http_exception_handler(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if isinstance(exc, JsonTooDeep):
        return error_response(request, json_too_deep(exc.detail["max_json_depth"]))
    detail = exc.detail if isinstance(exc.detail, (dict, list)) else None
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    return error_response(request, http_error(exc.status_code, detail), headers=headers or None)


async def _value_error_handler(request: Request, exc: ValueError) -> JSONResponse:
    """Safety net: an engine ValueError that no service translated is still the client's input at fault."""
    # the engine's exception text is English: the French answer names the cause by its code rather than quoting it
    text = str(exc) or type(exc).__name__
    reason = {"en": text, "fr": message("error.engine_reason", "fr", kind=type(exc).__name__)}
    return error_response(request, ApiError.invalid_input("invalid_input", detail={"reason": text}, reason=reason))


async def _unexpected_error_handler(request: Request, exc: Exception) -> JSONResponse:
    log.exception("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    err = ApiError.keyed(500, "internal_error")
    # this answer is sent outside the middleware stack, so it carries the security headers itself
    return error_response(request, err, headers=dict(SECURITY_HEADERS))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_exception_handler)
    app.add_exception_handler(ValueError, _value_error_handler)
    app.add_exception_handler(Exception, _unexpected_error_handler)
