"""``create_app(settings)``: the ConvStep FastAPI application.

Middleware, outermost first: security headers (every response, errors included) -> CORS (only when origins are
configured) -> gzip -> request body limit -> the routes. The app holds no per-user state (only the read-only
model registry and, with live training, its jobs), so it scales out with more workers or replicas.

Run it with ``convstep serve`` or ``uvicorn --factory app.main:create_app``.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware

import engine

from . import pages
from .api.routes import (
    activations,
    architectures,
    backward,
    classes,
    convolve,
    forward,
    gradcheck,
    health,
    mlp,
    models,
    neuron,
    pool,
    predict,
    samples,
    train,
    worked_example,
)
from .core.config import Settings
from .core.errors import install_error_handlers
from .core.security import BodySizeLimitMiddleware, SecurityHeadersMiddleware
from .services.assets import IMMUTABLE, REVALIDATE, AssetFiles, build_id
from .services.jobs import JobManager, register_builtin_sources
from .services.models import ModelRegistry

log = logging.getLogger("convstep.app")

API_ROUTERS = [
    health.router,
    models.router,
    predict.router,
    forward.router,
    backward.router,
    gradcheck.router,
    worked_example.router,
    convolve.router,
    pool.router,
    samples.router,
    activations.router,
    train.router,
    classes.router,
    architectures.router,
    neuron.router,
    mlp.router,
]

DESCRIPTION = """\
ConvStep shows, step by step and with real numbers, how a CNN reads a handwritten digit and learns from it.

* **Images** are PNG/JPEG data URLs (what a canvas gives) or 2-D arrays of grey levels (0–255 or 0–1).
* **Arrays** in answers are nested lists rounded to 4 significant digits; a parameter is
  `{shape, values, stats}` with `values` null above 20,000 entries (fetch those by row). `/api/convolve`,
  `/api/pool` and the worked example answer exact float64 values: a student compares them with a hand computation.
* **Packed traces**: `/api/forward` and `/api/backward` send the same numbers in about a quarter of the bytes with
  `Accept: application/vnd.convstep.packed+json` or `?arrays=packed` (what the web pages use): larger arrays
  become `{"$packed": "dec4", "shape", "m", "e"}` (value = m·10^e, m int16 and e int8 little-endian in base64),
  `u8`/`u16`/`i32` integers, or references to an array sent once (`ref`, `window`, `delta`), and a convolution's
  output as small corrections to what its input and weights predict (`conv`: an answer asked with
  `include_params: false` is decoded with the weights of an earlier one).
  `app.services.packing.unpack` (Python) and `unpackArrays` in `/static/js/lib/tensor.js` decode it. Plain JSON
  is the default.
* **Errors** are `{"error": {"code", "message", "detail"}}` with a 4xx status; messages are in French with
  `Accept-Language: fr` (or `?lang=fr`).
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    registry = ModelRegistry.from_settings(settings)
    register_builtin_sources()  # extra training data (e.g. a class's drawings), the same in every process
    jobs = JobManager.from_settings(registry, settings)  # raises with a clear message if Redis is unreachable
    if not jobs.backend.disabled:
        jobs.warm_up()  # the training digits parsed in the background, before a class arrives
    app = FastAPI(
        title="ConvStep API",
        version=engine.__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.registry = registry
    app.state.jobs = jobs
    install_error_handlers(app)
    for router in API_ROUTERS:
        app.include_router(router, prefix="/api")
    app.include_router(pages.router)
    # the pages link to /assets/<build>/ (cached for a year, a new URL when a file changes); /static/ revalidates
    app.state.assets_build = build_id(pages.STATIC_DIR)
    app.mount(
        f"/assets/{app.state.assets_build}",
        AssetFiles(directory=pages.STATIC_DIR, cache_control=IMMUTABLE, check_dir=False),
        name="assets",
    )
    app.mount(
        "/static", AssetFiles(directory=pages.STATIC_DIR, cache_control=REVALIDATE, check_dir=False), name="static"
    )

    # add_middleware puts each new one outside the previous ones
    app.add_middleware(
        BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes, max_json_depth=settings.max_json_depth
    )
    app.add_middleware(GZipMiddleware, minimum_size=settings.gzip_min_bytes, compresslevel=settings.gzip_level)
    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Accept-Language"],
            max_age=600,
        )
    app.add_middleware(SecurityHeadersMiddleware)
    log.info("ConvStep %s: %d models, default %r", engine.__version__, len(registry.ids()), registry.default_id)
    return app
