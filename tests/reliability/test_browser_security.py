"""In headless Chromium (Debian's /usr/bin/chromium), against a live server: the Content-Security-Policy is enforced
and no page trips it, and markup in anything a page displays is shown as text and runs nothing.

The markup comes from where a page can meet it: the URL (``/?model=<img ...>``, ``/train?job=...``), and the
API's answers (a model list or an error message holding markup, served by intercepting the page's requests: the
server itself never echoes free text, but a page must not trust that). The CSP alone would block an injected
``onerror``; these tests also check that nothing gets injected at all (no element, no CSP report), so the pages
stay safe even under a weaker policy.
"""

from __future__ import annotations

import json

import pytest

from app.pages import PAGES, TEMPLATES_DIR
from tests.support.pagetools import requires_chromium  # the headless Chromium itself is tests/conftest.py's `browser`

pytestmark = [pytest.mark.browser, requires_chromium]

MARKER = "xss-probe-7f3"
MARKUP = (
    f'<img src=x id="{MARKER}-img" onerror="window.__xss=1">'
    f'<script id="{MARKER}-script">window.__xss=2</script><b id="{MARKER}-b">{MARKER}</b>'
)
PAGE_PATHS = [path for path, page in PAGES.items() if (TEMPLATES_DIR / f"{page}.html").is_file()] + ["/docs"]

# registered before any page script: records what the CSP blocks
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline code'} (${e.sourceFile}:${e.lineNumber})`));
"""
INJECTION_STATE = f"""() => ({{
  xss: window.__xss === undefined ? null : window.__xss,
  injected: [...document.querySelectorAll('[id^="{MARKER}"]')].map((el) => el.outerHTML.slice(0, 120)),
  handlers: [...document.querySelectorAll('[onerror], [onload], [onclick], [onmouseover]')]
    .filter((el) => el !== document.body).map((el) => el.outerHTML.slice(0, 120)),
  csp: window.__csp,
}})"""
SHOWS_MARKUP_AS_TEXT = "(text) => document.body.textContent.includes(text)"


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.errors = []  # what Chromium reports about the policy (other page errors are the page tests' business)
    page.on(
        "console",
        lambda m: (
            page.errors.append(f"console: {m.text}")
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    page.base = server.url
    yield page
    context.close()


def assert_nothing_injected(page) -> None:
    state = page.evaluate(INJECTION_STATE)
    assert state == {"xss": None, "injected": [], "handlers": [], "csp": []}, state
    assert page.errors == [], page.errors


def fake_json(status: int, payload: dict):
    def handler(route):
        route.fulfill(status=status, content_type="application/json", body=json.dumps(payload))

    return handler


def error_payload(code: str = "invalid_request") -> dict:
    return {"error": {"code": code, "message": MARKUP, "detail": None}}


# -- the policy is enforced, and no page needs an exception to it ----------------------------------------------------
@pytest.mark.parametrize("path", PAGE_PATHS)
def test_every_page_runs_under_the_policy_without_a_violation(page, path):
    response = page.goto(page.base + path, wait_until="networkidle")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert_nothing_injected(page)


def test_the_policy_really_blocks_inline_code(page):
    """Proof that the checks above can fail: code injected the way an XSS would be is blocked and reported."""
    page.goto(page.base + "/", wait_until="networkidle")
    page.evaluate("""() => {
        const img = document.createElement('img');
        img.setAttribute('onerror', 'window.__xss = 1');
        img.src = 'x';
        document.body.append(img);
        const s = document.createElement('script');
        s.textContent = 'window.__xss = 2';
        document.body.append(s);
    }""")
    page.wait_for_function("() => window.__csp.length >= 2")
    assert page.evaluate("() => window.__xss") is None


# -- markup from the URL -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path, shown",
    [
        ("/?model={}", True),  # the lab lists an unknown ?model= id in its model menu
        ("/?mode={}", False),
        ("/steps?model={}", False),
        ("/train?job={}", False),
        ("/example?lang={}", False),
        ("/{}", False),
    ],
)
def test_markup_in_the_address_is_never_markup_in_the_page(page, path, shown):
    from urllib.parse import quote

    target = path.format(quote(MARKUP, safe=""))
    if path.split("?")[0] not in PAGES and path != "/{}":
        pytest.skip("page not built yet")
    page.goto(page.base + target, wait_until="networkidle")
    if shown:
        page.wait_for_function(SHOWS_MARKUP_AS_TEXT, arg=MARKUP)
    assert_nothing_injected(page)


# -- markup in what the API answers ---------------------------------------------------------------------------------
def test_the_lab_shows_hostile_model_names_and_error_messages_as_text(page):
    models = {
        "default": "lenet",
        "models": [
            {
                "id": "lenet",
                "description": MARKUP,
                "default": True,
                "trained": True,
                "test_accuracy": 0.99,
                "input_shape": [1, 28, 28],
                "input_kind": "mnist",
                "num_classes": 10,
                "layers": [],
                "metadata": {},
            },
            {
                "id": MARKUP,
                "description": MARKUP,
                "default": False,
                "trained": False,
                "test_accuracy": None,
                "input_shape": [1, 28, 28],
                "input_kind": "mnist",
                "num_classes": 10,
                "layers": [],
                "metadata": {},
            },
        ],
    }
    page.route("**/api/models", fake_json(200, models))
    page.route("**/api/forward", fake_json(422, error_payload()))
    page.route("**/api/backward", fake_json(422, error_payload()))
    page.goto(page.base + "/", wait_until="networkidle")
    page.wait_for_function(SHOWS_MARKUP_AS_TEXT, arg=MARKUP)  # the hostile model id, in the model menu
    page.click(".sample")  # a sample digit: the lab asks for its forward pass and gets the hostile error
    page.wait_for_function("(text) => document.body.textContent.split(text).length > 2", arg=MARKUP)
    assert_nothing_injected(page)


@pytest.mark.skipif(not (TEMPLATES_DIR / "example.html").is_file(), reason="/example not built yet")
def test_the_worked_example_editor_shows_a_hostile_error_message_as_text(page):
    page.goto(page.base + "/example", wait_until="networkidle")
    page.route("**/api/worked-example", fake_json(422, error_payload("invalid_worked_example")))
    page.fill("#eta-input", "0.5")
    page.dispatch_event("#eta-input", "change")
    page.wait_for_function(SHOWS_MARKUP_AS_TEXT, arg=MARKUP)
    assert_nothing_injected(page)


@pytest.mark.skipif(not (TEMPLATES_DIR / "train.html").is_file(), reason="/train not built yet")
def test_the_training_page_shows_a_hostile_error_message_as_text(page):
    page.route(
        "**/api/train",
        lambda route: (
            fake_json(429, error_payload("too_many_jobs"))(route)
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    page.goto(page.base + "/train", wait_until="networkidle")
    page.click("#start")
    page.wait_for_function(SHOWS_MARKUP_AS_TEXT, arg=MARKUP)
    assert_nothing_injected(page)


def test_server_side_pages_escape_the_language_and_model_values(server):
    """The templates receive ?lang= and the model list: Jinja's autoescape must hold (checked on the raw HTML)."""
    import httpx

    for path in PAGE_PATHS:
        html = httpx.get(f"{server.url}{path}", params={"lang": MARKUP, "model": MARKUP}, timeout=30).text
        assert MARKER + "-img" not in html and "<script id=" not in html, path
