"""Request dependencies: the app's settings, model registry, training jobs and answer language.

They are ``async`` on purpose: FastAPI runs plain ``def`` dependencies in the thread pool, and these are just
attribute lookups."""

from __future__ import annotations

from fastapi import Request

from ..core.config import Settings
from ..core.i18n import Lang, request_language
from ..services.jobs import JobManager
from ..services.models import ModelRegistry


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_registry(request: Request) -> ModelRegistry:
    return request.app.state.registry


async def get_lang(request: Request) -> Lang:
    return request_language(request)


async def get_jobs(request: Request) -> JobManager:
    """The app's training job manager (built in ``create_app``)."""
    return request.app.state.jobs
