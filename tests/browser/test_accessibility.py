"""Every page, in every state a user reaches, has no WCAG 2.0/2.1 A or AA violation that axe-core can find: in French
and English, on the projector (1280×720) and on a phone (390×844).

axe-core comes from node_modules (pinned in package.json / package-lock.json, installed by ``make
node_modules/.installed``, never fetched at run time) and is injected into the page with Playwright. A new page is
covered by adding its address to ``PAGES`` (with, if it has some, the states a user brings it to); a test fails
when ``app.pages.PAGES`` serves a page that the list forgets.

The matrix runs in one browser: one context per language × viewport, each page loaded once and brought from state to
state, axe run after each. ``CONVSTEP_AXE_REPORT=1`` prints every violation of every run (to fix several at once).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from app.pages import PAGES as SERVED_PAGES
from tests.support.live_server import digit_png_data_url, real_digits
from tests.support.pagetools import draw, requires_chromium, wait_for_verdict

pytestmark = [pytest.mark.browser, requires_chromium]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 720}, "phone": {"width": 390, "height": 844}}
LANGS = {"fr": "fr-FR", "en": "en-US"}

# strokes in pad coordinates (0..1): a 7 drawn with the mouse
SEVEN = [[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]]


# ---- how a user brings each page to a state ------------------------------------------------------------------------


def lab_loaded(page):
    page.wait_for_selector("#samples button")


def draw_seven(page):
    draw(page, SEVEN)
    wait_for_verdict(page)


def open_lab_detail(layer: str):
    def reach(page):
        page.locator(f".layer-col[data-layer={layer}] .map-btn").first.click()
        page.wait_for_function(
            "(name) => document.querySelector('#detail-body h3')?.textContent.startsWith(name)", arg=layer
        )
        page.wait_for_load_state("networkidle")

    return reach


def open_backward(page):
    page.locator("[data-mode=backward]").first.click()
    page.wait_for_function("() => window.convstepLab.backward !== null")
    page.wait_for_load_state("networkidle")


def steps_at(step: int):
    def reach(page):
        page.evaluate("(k) => { window.location.hash = `step=${k}`; }", step)
        page.wait_for_function(
            "(k) => (document.querySelector('[data-deck-counter]').textContent.match(/\\d+/) || [])[0] === String(k)",
            arg=step,
        )
        page.wait_for_load_state("networkidle")

    return reach


def steps_loaded(page):
    page.wait_for_selector("[data-deck-counter]:has-text('/')")
    page.wait_for_function(
        "() => window.convstepSteps?.steps.length > 0 && !document.querySelector('#deck').classList.contains('is-loading')"
    )


def example_loaded(page):
    page.wait_for_function("() => window.convstepExample && window.convstepExample.pages.length > 0")


def playground_tab(tab: str):
    def reach(page):
        page.locator(f"[role=tab][data-tab={tab}]").click()
        page.wait_for_selector(f"#panel-{tab}:not([hidden])")
        page.wait_for_load_state("networkidle")

    return reach


def train_loaded(page):
    page.wait_for_selector("#arch-rows tr")


def train_finished(page):
    page.wait_for_selector("#job-state[data-state=finished]", timeout=120_000)
    page.wait_for_selector("#result-card:not([hidden])")
    page.wait_for_load_state("networkidle")


def docs_loaded(page):
    page.wait_for_selector(".swagger-ui .opblock")


def neuron_loaded(page):
    page.wait_for_function("() => window.convstepNeuron && window.convstepNeuron.renders > 0")
    page.locator(".course-slip").first.wait_for()


def neuron_bouncing(page):
    renders = page.evaluate("() => window.convstepNeuron.renders")
    page.click("#try-big")
    page.wait_for_function(f"() => window.convstepNeuron.renders > {renders} && window.convstepNeuron.k === 60")
    page.locator(".scaling-raw").wait_for(timeout=120_000)


def mlp_loaded(page):
    page.wait_for_function("() => window.convstepMlp.trained && document.querySelector('#bp .check')")
    page.locator("#units figure").first.wait_for()
    page.locator(".course-slip").first.wait_for()


def architectures_loaded(page):
    page.wait_for_selector("#layer-table tbody tr")
    page.wait_for_selector("#stack-table tbody tr")


def class_new_loaded(page):
    page.wait_for_selector("#create")


def create_class(page):
    page.click("#create")
    page.wait_for_selector("#created:not([hidden])")
    page.wait_for_load_state("networkidle")


def join_loaded(page):
    page.wait_for_selector("#code, input[name=code]")


def dashboard_loaded(page):
    page.wait_for_selector("#dash-body:not([hidden])")
    page.wait_for_function("() => Number(document.querySelector('#n-drawings').textContent.replace(/\\D/g, '')) > 0")
    page.wait_for_selector("#confusion table")
    page.wait_for_selector("#live[data-state=on]")  # the live stream is open (never "network idle": it stays open)


def open_confusion_cell(page):
    page.locator("#confusion button:not([disabled])").first.click()
    page.wait_for_selector("#cell-drawings:not([hidden])")


def open_course_menu(page):
    page.click(".course-menu summary")
    page.locator(".course-menu a").first.wait_for()


@dataclass
class Page:
    """An address and the states a user brings it to, in order (each from the previous one); axe runs after the
    page has loaded (``loaded``) and after each state."""

    address: str
    loaded: Callable | None = None
    states: list[tuple[str, Callable]] = field(default_factory=list)


# The one list: every page and the states a user reaches on it. "{job}" is a finished training job's id.
PAGES = [
    Page(
        "/",
        lab_loaded,
        [
            ("after drawing", draw_seven),
            ("a convolution detail view open", open_lab_detail("conv1")),
            ("a dense detail view open", open_lab_detail("fc1")),
            ("backward pass open", open_backward),
            ("a backward detail view open", open_lab_detail("conv2")),
        ],
    ),
    Page(
        "/steps",
        steps_loaded,
        [("a convolution step", steps_at(3)), ("a dense step", steps_at(12)), ("a backward step", steps_at(20))],
    ),
    Page("/example", example_loaded, [("the last page", lambda page: page.keyboard.press("End"))]),
    Page(
        "/playground",
        lambda page: page.wait_for_selector(".play-panel:not([hidden])"),
        [
            (f"the {tab} tab", playground_tab(tab))
            for tab in ("convolution", "course", "pooling", "activations", "cross-entropy")
        ],
    ),
    Page("/train", train_loaded),
    Page("/train?job={job}", train_finished, []),
    Page("/docs", docs_loaded),
    Page(
        "/neuron", neuron_loaded, [("the cost bouncing", neuron_bouncing), ("the Course menu open", open_course_menu)]
    ),
    Page("/mlp", mlp_loaded),
    Page("/architectures", architectures_loaded),
    Page("/class/new", class_new_loaded, [("a class created", create_class)]),
    Page("/join", join_loaded),
    # the teacher's dashboard of a class with drawings (the teacher link carries the token)
    Page("/class/{class_code}#token={class_token}", dashboard_loaded, [("a confusion cell open", open_confusion_cell)]),
]


def test_every_served_page_is_in_the_list():
    """A page added to app/pages.py without an entry here would go unchecked."""
    listed = {p.address.split("?")[0] for p in PAGES}
    assert set(SERVED_PAGES) - listed == set(), "add these pages to PAGES in tests/browser/test_accessibility.py"


# ---- running axe -------------------------------------------------------------------------------------------------


def axe_violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
        const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
        return result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
        }));
    }""",
        AXE_TAGS,
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s)")
        for node in v["nodes"][:4]:
            summary = re.sub(r"\s+", " ", node["summary"] or "")[:300]
            lines.append(f"      {node['target']}: {summary}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def finished_job(server) -> str:
    """A tiny model trained to the end (the seed preset, one epoch of 200 digits): the finished /train page."""
    body = {"preset": "seed", "epochs": 1, "train_size": 200, "batch_size": 32}
    job = httpx.post(f"{server.url}/api/train", json=body, timeout=120).json()
    job_id = job["id"]
    for _ in range(600):
        state = httpx.get(f"{server.url}/api/train/{job_id}", timeout=30).json()["state"]
        if state in ("finished", "failed", "cancelled"):
            break
        time.sleep(0.2)
    assert state == "finished", state
    return job_id


@pytest.fixture(scope="module")
def server_env(tmp_path_factory) -> dict[str, str]:
    """The classes' database in a folder of this test's own."""
    return {"CONVSTEP_DATA_DIR": str(tmp_path_factory.mktemp("a11y-data"))}


@pytest.fixture(scope="module")
def class_with_drawings(server) -> dict[str, str]:
    """A class where six students (six devices) each sent one real handwritten digit: the dashboard has numbers."""
    created = httpx.post(f"{server.url}/api/classes", json={}, timeout=60).json()
    for k, (label, digit) in enumerate(real_digits(6)):
        answer = httpx.post(
            f"{server.url}/api/classes/{created['code']}/drawings",
            json={"image": digit_png_data_url(digit), "label": label, "device_id": f"a11y-device-{k:02d}"},
            timeout=60,
        )
        assert answer.status_code == 201, answer.text
    return {"class_code": created["code"], "class_token": created["teacher_token"]}


@pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed: make node_modules/.installed")
@pytest.mark.parametrize("viewport_name", list(VIEWPORTS))
@pytest.mark.parametrize("lang", list(LANGS))
def test_no_wcag_violation_on_any_page_in_any_state(
    browser, server, finished_job, class_with_drawings, lang, viewport_name
):
    context = browser.new_context(
        viewport=VIEWPORTS[viewport_name], locale=LANGS[lang], bypass_csp=True, reduced_motion="reduce"
    )
    problems: list[str] = []
    found: dict[str, list[dict]] = {}
    try:
        context.set_default_timeout(60_000)  # a shared 2-core machine: pages can be slow to settle
        page = context.new_page()
        page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
        for entry in PAGES:
            address = entry.address.format(job=finished_job, **class_with_drawings)
            page.goto(f"{server.url}{address}")
            if address.split("?")[0] in SERVED_PAGES:  # the API docs (Swagger UI) are in English only
                assert page.evaluate("() => document.documentElement.lang") == lang, address
            for name, reach in [("as loaded", entry.loaded), *entry.states]:
                if reach:
                    reach(page)
                violations = axe_violations(page)
                if violations:
                    found[f"{address} — {name}"] = violations
    finally:
        context.close()
    report = "\n".join(f"{where} ({lang}, {viewport_name}):\n{describe(v)}" for where, v in found.items())
    if os.environ.get("CONVSTEP_AXE_REPORT"):
        print(report or "no violation")
        Path(f"/tmp/axe-{lang}-{viewport_name}.json").write_text(json.dumps(found, indent=1))
    assert problems == []
    assert found == {}, "axe-core found WCAG A/AA violations:\n" + report
