"""Security headers, CORS, languages, pages, the offline docs and the error handlers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.core.i18n import parse_accept_language
from app.core.security import CONTENT_SECURITY_POLICY
from app.main import create_app

from .helpers import assert_error, make_client

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


def assert_security_headers(response) -> None:
    assert response.headers["content-security-policy"] == EXPECTED_CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"


def test_csp_has_no_inline_script():
    assert CONTENT_SECURITY_POLICY == EXPECTED_CSP and "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/"),
        ("GET", "/docs"),
        ("GET", "/openapi.json"),
        ("GET", "/api/health"),
        ("GET", "/api/models"),
        ("GET", "/static/vendor/swagger-ui/convstep-init.js"),
        ("GET", "/nowhere"),
        ("GET", "/api/models/nope"),
        ("POST", "/api/predict"),
        ("GET", "/api/predict"),
    ],
)
def test_security_headers_everywhere(client, method, path):
    assert_security_headers(client.request(method, path))


def test_security_headers_on_413(small_client):
    assert_security_headers(small_client.post("/api/predict", json={"image": "A" * 5000}))


@pytest.mark.parametrize("page", ["/steps", "/example", "/playground", "/train"])
def test_other_pages_render_or_404(client, page):
    response = client.get(page)
    assert response.status_code in (200, 404)
    assert_security_headers(response)
    if response.status_code == 200:
        assert response.headers["content-type"].startswith("text/html")


def test_index_page(client):
    response = client.get("/", headers={"Accept-Language": "fr"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert 'lang="fr"' in response.text and "<script>" not in response.text
    assert 'lang="en"' in client.get("/?lang=en", headers={"Accept-Language": "fr"}).text


def test_docs_work_offline_without_inline_script(client):
    html = client.get("/docs").text
    assert "cdn" not in html.lower() and "<script>" not in html
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html and 'data-openapi-url="/openapi.json"' in html
    for asset in ["swagger-ui-bundle.js", "swagger-ui.css", "convstep-init.js", "LICENSE"]:
        assert client.get(f"/static/vendor/swagger-ui/{asset}").status_code == 200
    assert client.get("/redoc").status_code == 404


def test_openapi_declares_error_answers(client):
    spec = client.get("/openapi.json").json()
    assert {
        "/api/predict",
        "/api/forward",
        "/api/backward",
        "/api/worked-example",
        "/api/convolve",
        "/api/pool",
        "/api/gradcheck",
        "/api/samples",
        "/api/activations",
        "/api/health",
        "/api/models",
    } <= set(spec["paths"])
    predict = spec["paths"]["/api/predict"]["post"]
    assert predict["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    assert "examples" in spec["components"]["schemas"]["PredictRequest"]


def test_gzip(client, digit_url):
    response = client.post("/api/forward", json={"image": digit_url}, headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.num_bytes_downloaded < len(response.content) / 2


def test_cors_closed_by_default(client):
    response = client.options(
        "/api/predict", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in response.headers
    response = client.get("/api/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_open_when_configured():
    client = make_client(cors_origins="https://school.example, https://other.example")
    response = client.options(
        "/api/predict", headers={"Origin": "https://school.example", "Access-Control-Request-Method": "POST"}
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://school.example"
    assert (
        "access-control-allow-origin"
        not in client.get("/api/health", headers={"Origin": "https://evil.example"}).headers
    )
    assert (
        client.get("/api/health", headers={"Origin": "https://other.example"}).headers["access-control-allow-origin"]
        == "https://other.example"
    )


@pytest.mark.parametrize(
    "header,lang",
    [
        (None, "en"),
        ("fr", "fr"),
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("en-GB,en;q=0.9,fr;q=0.8", "en"),
        ("de-DE,de;q=0.9,fr;q=0.5", "fr"),
        ("de", "en"),
        ("en;q=0.2, fr;q=0.8", "fr"),
        ("fr;q=0", "en"),
        ("*", "en"),
        ("fr;q=abc, en", "en"),
    ],
)
def test_accept_language(header, lang):
    assert parse_accept_language(header) == lang


def test_messages_in_french(client):
    error = assert_error(client.get("/api/models/nope", headers={"Accept-Language": "fr"}), 404, "unknown_model")
    assert "Modèle inconnu" in error["message"]
    error = assert_error(
        client.post("/api/backward", json={"image": "x", "label": 12}, headers={"Accept-Language": "fr-CA"}),
        422,
        "invalid_request",
    )
    assert "Requête invalide" in error["message"] and "label" in error["message"]
    assert error["detail"][0]["field"] == "label"
    error = assert_error(
        client.post("/api/convolve?lang=fr", json={"input": [[1]], "kernel": [[1, 1], [1, 1]]}),
        422,
        "kernel_larger_than_input",
    )
    assert "plus grand" in error["message"]
    assert "Rien ici" in assert_error(client.get("/nowhere?lang=fr"), 404)["message"]


def test_a_real_bug_is_a_json_500_without_traceback():
    app = create_app()

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = TestClient(app, raise_server_exceptions=False).get("/api/boom")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "secret" not in response.text and "Traceback" not in response.text
    assert_security_headers(response)


def test_strict_client_catches_server_errors():
    """The tests' client turns any 5xx into a failure, so a 500 on bad input cannot go unnoticed."""
    client = make_client()

    @client.app.get("/api/boom")
    def boom():
        raise RuntimeError("bug")

    with pytest.raises((AssertionError, RuntimeError)):
        client.get("/api/boom")


def test_405_lists_every_allowed_method(client):
    response = client.request("DELETE", "/api/worked-example")
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET, POST"
