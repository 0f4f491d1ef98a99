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
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse
from starlette.routing import Match

from .i18n import Lang, request_language
from .limits import SECURITY_HEADERS, JsonTooDeep

log = logging.getLogger("convstep.app")


class ApiError(Exception):
    """A failure the client can understand and fix: HTTP status, stable machine code, EN/FR message."""

    def __init__(self, status: int, code: str, message_en: str, message_fr: str, detail: Any = None):
        super().__init__(message_en)
        self.status = status
        self.code = code
        self.message_en = message_en
        self.message_fr = message_fr
        self.detail = detail

    def message(self, lang: Lang) -> str:
        return self.message_fr if lang == "fr" else self.message_en

    @classmethod
    def not_found(cls, what_en: str, what_fr: str, detail: Any = None) -> ApiError:
        return cls(404, "not_found", f"{what_en} not found.", f"{what_fr} introuvable.", detail)

    @classmethod
    def invalid(cls, code: str, message_en: str, message_fr: str, detail: Any = None) -> ApiError:
        """A 422: the request is well-formed JSON but its content cannot be used."""
        return cls(422, code, message_en, message_fr, detail)


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
_VALIDATION_TEXT: dict[str, tuple[str, str]] = {
    "missing": ("this field is required", "ce champ est obligatoire"),
    "extra_forbidden": ("unknown field", "champ inconnu"),
    "finite_number": ("NaN and infinite values are not allowed", "les valeurs NaN et infinies sont interdites"),
    "greater_than_equal": ("must be at least {ge}", "doit valoir au moins {ge}"),
    "greater_than": ("must be greater than {gt}", "doit être strictement supérieur à {gt}"),
    "less_than_equal": ("must be at most {le}", "doit valoir au plus {le}"),
    "less_than": ("must be less than {lt}", "doit être strictement inférieur à {lt}"),
    "float_parsing": ("must be a number", "doit être un nombre"),
    "float_type": ("must be a number", "doit être un nombre"),
    "int_parsing": ("must be a whole number", "doit être un nombre entier"),
    "int_type": ("must be a whole number", "doit être un nombre entier"),
    "int_from_float": ("must be a whole number", "doit être un nombre entier"),
    "bool_parsing": ("must be true or false", "doit valoir true ou false"),
    "bool_type": ("must be true or false", "doit valoir true ou false"),
    "string_type": ("must be a text string", "doit être une chaîne de caractères"),
    "string_unicode": ("must be valid Unicode text", "doit être du texte Unicode valide"),
    "list_type": ("must be a list (JSON array)", "doit être une liste (tableau JSON)"),
    "tuple_type": ("must be a list (JSON array)", "doit être une liste (tableau JSON)"),
    "dict_type": ("must be an object", "doit être un objet"),
    "model_type": ("must be an object", "doit être un objet"),
    "model_attributes_type": ("must be an object", "doit être un objet"),
    "too_short": ("must have at least {min_length} item(s)", "doit contenir au moins {min_length} élément(s)"),
    "too_long": ("must have at most {max_length} item(s)", "doit contenir au plus {max_length} élément(s)"),
    "string_too_short": ("must not be empty", "ne doit pas être vide"),
    "string_too_long": (
        "is too long (at most {max_length} characters)",
        "est trop long (au plus {max_length} caractères)",
    ),
    "string_pattern_mismatch": ("has an invalid format", "a un format invalide"),
    "literal_error": ("must be one of {expected}", "doit être l'une des valeurs {expected}"),
    "enum": ("must be one of {expected}", "doit être l'une des valeurs {expected}"),
    "json_invalid": (
        "the request body is not valid JSON ({error})",
        "le corps de la requête n'est pas du JSON valide ({error})",
    ),
    "json_type": ("must be JSON", "doit être du JSON"),
}
# a few fields deserve a more precise sentence than pydantic's generic one
_FIELD_TEXT: dict[tuple[str, str], tuple[str, str]] = {
    ("model", "string_pattern_mismatch"): (
        "must be a model id such as lenet (lowercase letters, digits, - and _)",
        "doit être un identifiant de modèle comme lenet (minuscules, chiffres, - et _)",
    ),
    ("image", "string_type"): (
        "must be an image: a PNG/JPEG data URL or a 2-D array of numbers",
        "doit être une image : une data URL PNG/JPEG ou un tableau 2-D de nombres",
    ),
}
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


def _explain(error: dict, lang: Lang) -> str:
    kind = error.get("type", "")
    texts = _FIELD_TEXT.get((error.get("path", ""), kind)) or _VALIDATION_TEXT.get(kind)
    if texts is None:
        # our own validators raise ValueError("EN text | FR text")
        msg = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        en, _, fr = msg.partition(" | ")
        return (fr or en) if lang == "fr" else en
    ctx = {k: _readable(v) for k, v in (error.get("ctx") or {}).items()}
    try:
        return texts[1 if lang == "fr" else 0].format(**ctx)
    except (KeyError, IndexError):
        return texts[1 if lang == "fr" else 0]


def explain_validation_errors(errors: list[dict], lang: Lang) -> list[dict[str, str]]:
    """One entry per field: the most telling error (a broken constraint beats a union's "wrong type")."""
    best: dict[str, tuple[tuple[int, int], dict]] = {}
    for error in errors:
        path = _field_path(tuple(error.get("loc", ())))
        top = path.split(".")[0]
        rank = (
            int(error.get("type") in _CONSTRAINT_ERRORS or error.get("type") == "value_error"),
            len(path.split(".")),
        )
        if top not in best or rank > best[top][0]:
            best[top] = (rank, {**error, "path": path})
    return [{"field": e["path"], "message": _explain(e, lang), "type": e.get("type", "")} for _, e in best.values()]


# -- the handlers ---------------------------------------------------------------------------------------------

_HTTP_ERRORS: dict[int, tuple[str, str, str]] = {
    400: (
        "bad_request",
        "The request could not be read (is the body valid JSON?).",
        "La requête est illisible (le corps est-il du JSON valide ?).",
    ),
    404: ("not_found", "Nothing here: check the address.", "Rien ici : vérifiez l'adresse."),
    405: ("method_not_allowed", "This method is not allowed here.", "Cette méthode n'est pas autorisée ici."),
    413: ("body_too_large", "The request is too large.", "La requête est trop volumineuse."),
    415: (
        "unsupported_media_type",
        "Send the body as JSON (Content-Type: application/json).",
        "Envoyez le corps en JSON (Content-Type: application/json).",
    ),
}


def http_error(status: int, detail: Any = None) -> ApiError:
    code, en, fr = _HTTP_ERRORS.get(status, ("http_error", f"HTTP error {status}.", f"Erreur HTTP {status}."))
    return ApiError(status, code, en, fr, detail)


async def _api_error_handler(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(request, exc)


async def _validation_handler(request: Request, exc: RequestValidationError) -> JSONResponse:
    lang = request_language(request)
    fields = explain_validation_errors(list(exc.errors()), lang)
    summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
    prefix = "Requête invalide — " if lang == "fr" else "Invalid request — "
    return JSONResponse(error_body("invalid_request", prefix + summary, fields), status_code=422)


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
    return ApiError(
        400,
        "json_too_deep",
        f"The JSON is nested too deeply (at most {limit} levels of arrays and objects).",
        f"Le JSON est trop imbriqué (au plus {limit} niveaux de tableaux et d'objets).",
        {"max_json_depth": limit},
    )


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
    text = str(exc) or type(exc).__name__
    return error_response(
        request, ApiError.invalid("invalid_input", f"Invalid input: {text}", f"Entrée invalide : {text}")
    )


async def _unexpected_error_handler(request: Request, exc: Exception) -> JSONResponse:
    log.exception("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    err = ApiError(
        500,
        "internal_error",
        "Internal error: ConvStep hit a bug. It has been logged.",
        "Erreur interne : ConvStep a rencontré un bogue, qui a été consigné.",
    )
    # this answer is sent outside the middleware stack, so it carries the security headers itself
    return error_response(request, err, headers=dict(SECURITY_HEADERS))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_exception_handler)
    app.add_exception_handler(ValueError, _value_error_handler)
    app.add_exception_handler(Exception, _unexpected_error_handler)
