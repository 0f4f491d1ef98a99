"""Security headers and the Content-Security-Policy on every page, API answer and error, from a live server; and
pages that the CSP can protect: no inline script, no inline event handler, nothing loaded from elsewhere.

(The browser checks that the policy is really enforced without breaking a page are in test_browser_security.py.)
"""

from __future__ import annotations

from html.parser import HTMLParser

import httpx
import pytest

from app.core.security import CONTENT_SECURITY_POLICY
from app.pages import PAGES, TEMPLATES_DIR
from tests.support.live_server import request as raw_request

from .conftest import assert_sound_answer
from .fuzz_checks import missing_security_headers

PAGE_PATHS = [*PAGES, "/docs"]
DIGIT = [[0.0] * 10 + [1.0] * 8 + [0.0] * 10 for _ in range(28)]


def page_exists(path: str) -> bool:
    return path == "/docs" or (TEMPLATES_DIR / f"{PAGES[path]}.html").is_file()


def test_the_policy_itself_allows_no_inline_code_and_no_other_site():
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    for name in ("default-src", "script-src", "style-src", "connect-src"):
        assert directives[name] == "'self'", (name, directives[name])
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY and "*" not in CONTENT_SECURITY_POLICY


class PageAudit(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block or what would load from another site."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attributes.items():
            if name.startswith("on"):
                self.problems.append(f"inline handler <{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and value:
                if value.strip().lower().startswith("javascript:"):
                    self.problems.append(f"javascript: URL in <{tag} {name}>")
                if value.startswith(("http:", "https:", "//")):
                    self.problems.append(f"<{tag} {name}={value}> loads from another site")
        if tag == "script":
            self._in_inline_script = "src" not in attributes and attributes.get("type") != "application/json"
        if tag == "style" or "style" in attributes:
            self.problems.append(f"inline style on <{tag}>")  # style-src 'self' would ignore it

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:80]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


@pytest.mark.parametrize("path", PAGE_PATHS)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_page_has_the_headers_and_no_inline_code(http, path, lang):
    response = http.get(path, params={"lang": lang})
    assert not missing_security_headers(response.headers), (path, missing_security_headers(response.headers))
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    if not page_exists(path):
        assert response.status_code == 404
        pytest.skip(f"{path}: no template yet")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    audit = PageAudit()
    audit.feed(response.text)
    assert audit.problems == [], (path, audit.problems)


def test_every_static_file_a_page_uses_has_the_headers(http):
    """Scripts, styles and images the pages load (one request each), and a missing one."""
    urls = set()
    for path in PAGE_PATHS:
        if page_exists(path):
            urls.update(_local_assets(http.get(path).text))
    assert urls, "no assets found"
    for url in sorted(urls) + ["/static/no-such-file.js"]:
        response = http.get(url)
        assert not missing_security_headers(response.headers), url
        assert response.status_code == (404 if "no-such-file" in url else 200), url
        assert response.headers.get("x-content-type-options") == "nosniff"


def _local_assets(html: str) -> set[str]:
    class Assets(HTMLParser):
        found: set[str] = set()

        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                if name in ("src", "href") and value and value.startswith(("/static/", "/assets/")):
                    self.found.add(value.split("#")[0])

    parser = Assets()
    parser.found = set()
    parser.feed(html)
    return parser.found


ANSWERS = [
    ("GET", "/api/health", None, 200),
    ("GET", "/openapi.json", None, 200),
    ("POST", "/api/predict", {"image": DIGIT, "preprocess": False}, 200),
    ("POST", "/api/forward", {"image": DIGIT, "preprocess": False}, 200),  # gzip-compressed
    ("POST", "/api/predict", {"image": "not an image"}, 422),
    ("POST", "/api/predict", {"image": DIGIT, "model": "nope"}, 404),
    ("GET", "/api/no-such-thing", None, 404),
    ("GET", "/no-such-page", None, 404),
    ("DELETE", "/api/predict", None, 405),
    ("POST", "/api/predict", b"{not json", 422),
    ("POST", "/api/predict", b"[" * 100 + b"]" * 100, 400),
    ("POST", "/api/predict", b"x" * (3 * 1024 * 1024), 413),
    ("GET", "/api/train/00000000", None, 404),
    ("HEAD", "/", None, None),
    ("OPTIONS", "/api/predict", None, 405),
]


@pytest.mark.parametrize("method, path, body, status", ANSWERS)
def test_api_answers_and_errors_have_the_headers(http, method, path, body, status):
    kwargs = {"json": body} if isinstance(body, (dict, list)) else {"content": body} if body else {}
    headers = {"Content-Type": "application/json", "Accept-Encoding": "gzip"} if body is not None else {}
    response = http.request(method, path, headers=headers, **kwargs)
    if status is not None:
        assert response.status_code == status, response.text[:300]
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    if method != "HEAD":
        assert_sound_answer(response.status_code, response.headers, response.content, f"{method} {path}")


def test_a_405_names_the_documented_methods_only(http):
    """Regression: OPTIONS /api/train/validate said "GET, POST, DELETE" (/api/train/{job_id} matched too)."""
    assert http.options("/api/train/validate").headers["allow"] == "POST"
    assert http.request("PUT", "/api/train/0000abcd").headers["allow"] == "GET, DELETE"
    assert http.delete("/api/worked-example").headers["allow"] == "GET, POST"
    assert http.post("/").headers["allow"] == "GET"


def test_other_sites_get_no_cors_permission(server):
    """CORS is closed unless CONVSTEP_CORS_ORIGINS opens it: a page elsewhere cannot read the answers."""
    evil = {
        "Origin": "https://evil.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    status, _, headers = raw_request(server.url, "OPTIONS", "/api/predict", headers=evil)
    assert "access-control-allow-origin" not in headers
    with httpx.Client(base_url=server.url) as client:
        response = client.post(
            "/api/predict", json={"image": DIGIT, "preprocess": False}, headers={"Origin": "https://evil.example"}
        )
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers
