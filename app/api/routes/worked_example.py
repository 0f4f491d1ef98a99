from __future__ import annotations

from functools import cache

from fastapi import APIRouter

from engine.worked_example import WorkedExampleInputError, compute_worked_example
from messages import LANGS, message

from ...core.errors import ApiError
from ...schemas.common import ERROR_RESPONSES
from ...schemas.worked_example import WorkedExampleRequest, WorkedExampleResponse
from ...services.encoding import overflow_error

router = APIRouter(tags=["worked example"], responses=ERROR_RESPONSES)


def _compute(**inputs) -> dict:
    try:
        result = compute_worked_example(**inputs)
    except WorkedExampleInputError as exc:
        reason = {lang: message(exc.key, lang, **exc.params) for lang in LANGS}  # the cause, named by its key
        raise ApiError.invalid_input("invalid_worked_example", detail={"reason": exc.key}, reason=reason) from None
    except FloatingPointError:
        raise overflow_error() from None
    return result


@cache
def _document_example() -> dict:
    """The document's own inputs never change: computed once (about 10 ms)."""
    return _compute()


@router.get(
    "/worked-example",
    response_model=WorkedExampleResponse,
    summary="The course's hand-worked example, step by step, with the document's values and errata",
)
def get_worked_example():
    return _document_example()


@router.post(
    "/worked-example",
    response_model=WorkedExampleResponse,
    summary="The worked example recomputed with edited inputs (X, f1, f2, W, b, y, η)",
)
def post_worked_example(req: WorkedExampleRequest):
    return _compute(**req.model_dump())
