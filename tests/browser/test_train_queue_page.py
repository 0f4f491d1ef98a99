"""The /train page when the class fills the server (one running job, one waiting place): a student's job waits
in line with its place and estimated start, counted down; a student refused with 429 sees the countdown and the
page retries by itself until a place frees; every request carries the browser's X-Client-Id; in French too; no
axe-core WCAG A/AA violation in the waiting and retrying states."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import pytest

from tests.support.pagetools import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LONG = {"preset": "lenet", "train_size": 5000, "epochs": 20, "batch_size": 8}


@pytest.fixture(scope="module")
def server_env():
    return {"CONVSTEP_MAX_TRAINING_JOBS": "1", "CONVSTEP_MAX_QUEUED_JOBS": "1"}


@pytest.fixture
def viewport():
    return {"width": 1280, "height": 800}


def axe_violations(page) -> list:
    if not AXE.is_file():
        pytest.skip("node_modules/axe-core missing (make node_modules/.installed)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})")
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def open_train(page, lang: str = "en"):
    page.goto(f"{page.base}/train?lang={lang}")
    page.wait_for_selector("#arch-rows tr")


def test_a_full_server_queues_counts_down_and_retries_by_itself(page, browser, server, tmp_path):
    page.expected_console.append("429 (Too Many Requests)")  # the browser logs the refused start
    with httpx.Client(base_url=server.url, timeout=60) as api:
        blocker = api.post("/api/train", json=LONG).json()  # the teacher's demo occupies the only running place
        try:
            # student A: waits in line, first place, with an estimated start once the demo has a speed
            deadline = time.monotonic() + 60
            while api.get(f"/api/train/{blocker['id']}").json()["progress"]["batch"] < 3:
                assert time.monotonic() < deadline
                time.sleep(0.1)
            open_train(page)
            with page.expect_request(re.compile(r"/api/train$")) as sent:
                page.click("#start")
            client_id = page.evaluate("() => localStorage.getItem('convstep.clientId')")
            assert re.fullmatch(r"[0-9a-f]{24}", client_id) and sent.value.headers["x-client-id"] == client_id
            page.wait_for_selector("#job-state[data-state=queued]")
            page.wait_for_function("() => /1st in line/.test(document.querySelector('#progress-text').textContent)")
            text = page.text_content("#progress-text")
            assert re.search(r"1st in line, starts in about \d+( min \d+)? s\.", text), text
            assert page.is_enabled("#stop") and page.is_disabled("#start")

            # student B (another browser): the queue is full; the page counts down and retries by itself
            # bypass_csp: only so that axe-core can be injected (the page's CSP refuses inline scripts)
            other = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR", bypass_csp=True)
            student = other.new_page()
            student.goto(f"{server.url}/train?lang=fr")
            student.wait_for_selector("#arch-rows tr")
            student.click("#start")
            student.wait_for_selector("#retry-line:not([hidden])")
            assert "attendent déjà" in student.text_content("#start-error")
            first = student.text_content("#retry-line")
            assert re.fullmatch(r"Nouvel essai automatique dans \d+\u00a0s \(Arrêter l'annule\)\.", first), first
            student.wait_for_function(
                f"() => document.querySelector('#retry-line').textContent !== {first!r}"
            )  # it counts down
            assert student.is_enabled("#stop") and student.is_disabled("#start")
            assert student.get_attribute("#job-state", "data-state") == "retrying"
            assert "Nouvel essai automatique" in student.text_content("#progress-text")
            assert axe_violations(student) == []
            page.screenshot(path=str(tmp_path / "train-queued.png"))  # looked at while writing this test
            student.screenshot(path=str(tmp_path / "train-retry-fr.png"))

            # the demo stops: A starts, B's retry gets the freed waiting place (1er dans la file), then runs
            api.delete(f"/api/train/{blocker['id']}")
            page.wait_for_selector("#job-state[data-state=running], #job-state[data-state=finished]", timeout=60_000)
            countdown = int(re.search(r"\d+", student.text_content("#retry-line")).group())  # Retry-After, ≤ 120 s
            student.wait_for_url(re.compile(r"[?&]job=[0-9a-f]{8}"), timeout=(countdown + 60) * 1000)
            student.wait_for_selector(
                "#job-state[data-state=queued], #job-state[data-state=running], #job-state[data-state=finished]"
            )
            assert student.is_hidden("#retry-line") and student.is_hidden("#start-error")
            # still waiting: its place in line shows (a job already handed to a runner thread, about to start, is
            # "queued" without a place for a moment and says it is being prepared: wait for one or the other)
            student.wait_for_function(
                "() => document.querySelector('#job-state').dataset.state !== 'queued'"
                " || /1er dans la file/.test(document.querySelector('#progress-text').textContent)"
            )
            assert axe_violations(student) == []
            student.wait_for_selector("#job-state[data-state=finished]", timeout=120_000)
            other.close()
        finally:
            api.delete(f"/api/train/{blocker['id']}")


def test_stop_cancels_a_waiting_job_and_a_pending_retry(page, server):
    page.expected_console.append("429 (Too Many Requests)")
    with httpx.Client(base_url=server.url, timeout=60) as api:
        blocker = api.post("/api/train", json=LONG).json()
        try:
            open_train(page)
            page.click("#start")
            page.wait_for_selector("#job-state[data-state=queued]")
            job_id = re.search(r"job=([0-9a-f]{8})", page.url).group(1)
            page.click("#stop")
            page.wait_for_selector("#job-state[data-state=cancelled]")
            assert api.get(f"/api/train/{job_id}").json()["state"] == "cancelled"
            # fill the waiting place from elsewhere: this page's next start is refused and waits to retry
            filler = api.post("/api/train", json={"preset": "seed", "train_size": 200, "epochs": 1}).json()
            page.click("#start")
            page.wait_for_selector("#retry-line:not([hidden])")
            page.click("#stop")
            assert page.is_hidden("#retry-line") and page.is_enabled("#start")
            api.delete(f"/api/train/{filler['id']}")
        finally:
            api.delete(f"/api/train/{blocker['id']}")
