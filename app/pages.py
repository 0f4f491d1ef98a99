"""The HTML pages (Jinja2 templates in ``templates/``), the static files, and the offline API docs.

Each page is ``templates/<page>.html``; a page whose template does not exist yet answers 404. Templates get
``lang`` (``?lang=`` or ``Accept-Language``), the model list and the default model id.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

import engine

from .core.i18n import request_language

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"
PAGES = {
    "/": "index",
    "/steps": "steps",
    "/example": "example",
    "/playground": "playground",
    "/train": "train",
    "/class/new": "class_new",
    "/join": "join",
    "/architectures": "architectures",
    "/neuron": "neuron",
    "/mlp": "mlp",
}

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
router = APIRouter(include_in_schema=False)


def page_context(request: Request, page: str) -> dict:
    registry = request.app.state.registry
    models = [
        {
            "id": e.id,
            "description": e.description,
            "trained": e.trained,
            "source": e.source,
            "default": e.id == registry.default_id,
        }
        for e in registry.entries()
    ]
    return {
        "lang": request_language(request),
        "page": page,
        "models": models,
        "default_model": registry.default_id,
        "version": engine.__version__,
        "class_ttl_days": f"{request.app.state.settings.class_ttl_days:g}",
        "class_heldout_fraction": request.app.state.settings.class_heldout_fraction,
        # where the page's CSS, JS and pictures are: a URL that changes with them (app/services/assets.py)
        "static": f"/assets/{request.app.state.assets_build}",
    }


def _page_endpoint(page: str):
    def render(request: Request):
        if not (TEMPLATES_DIR / f"{page}.html").is_file():
            raise HTTPException(status_code=404)
        response = templates.TemplateResponse(request, f"{page}.html", page_context(request, page))
        response.headers["Vary"] = "Accept-Language"
        response.headers["Cache-Control"] = "no-cache"  # revalidated: a page names the current build of its assets
        return response

    render.__name__ = f"page_{page}"
    return render


for _path, _page in PAGES.items():
    router.add_api_route(_path, _page_endpoint(_page), methods=["GET"], response_class=HTMLResponse)


# the teacher's dashboard of one class: the page is the same for every code (the token stays in the browser; the
# page reads the data through the API), so an unknown code is told by the API, in the page's language
def page_class_dashboard(request: Request, code: str):
    context = page_context(request, "class_dashboard")
    # only letters and digits reach the page (the code also sits in a JSON attribute); the API says if it exists
    context["class_code"] = "".join(c for c in code.upper() if c.isascii() and c.isalnum())[:6]
    response = templates.TemplateResponse(request, "class_dashboard.html", context)
    response.headers["Vary"] = "Accept-Language"
    response.headers["Cache-Control"] = "no-store"
    return response


router.add_api_route("/class/{code}", page_class_dashboard, methods=["GET"], response_class=HTMLResponse)


# Swagger UI served from static/vendor (no CDN: classrooms are often offline), started by a static script
# because the Content-Security-Policy forbids inline scripts.
DOCS_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ConvStep API — documentation</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
<link rel="stylesheet" href="/static/css/docs.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/vendor/swagger-ui/convstep-init.js"></script>
</body>
</html>
"""


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request):
    return HTMLResponse(DOCS_HTML.replace("{openapi_url}", request.app.openapi_url or "/openapi.json"))
