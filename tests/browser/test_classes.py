"""A class in headless Chromium against a real ``convstep serve``: a teacher (projector) creates a class and opens
its dashboard; three students on phones (390×844, touch) join with the code, draw the digits they are asked for
with the mouse and send them; the dashboard follows live over Server-Sent Events (counts, per-digit bars,
confusion matrix, hardest drawings), a confusion cell opens its drawings, a student deletes a drawing of theirs and
the dashboard follows. The three pages have no axe-core WCAG 2.x A/AA violation, in English and French."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.support.pagetools import draw, i18n_mismatches, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
SHOTS = Path(os.environ.get("CONVSTEP_SCREENSHOTS", tempfile.gettempdir())) / "convstep-class-shots"

# each digit as a person draws it with a few mouse drags, in pad coordinates (0..1)
STROKES = {
    0: [[(0.5, 0.15), (0.72, 0.3), (0.75, 0.6), (0.55, 0.85), (0.32, 0.72), (0.27, 0.4), (0.38, 0.2), (0.5, 0.15)]],
    1: [[(0.52, 0.15), (0.5, 0.85)]],
    2: [[(0.3, 0.3), (0.5, 0.15), (0.7, 0.3), (0.3, 0.85), (0.75, 0.85)]],
    3: [[(0.3, 0.2), (0.7, 0.25), (0.45, 0.48), (0.72, 0.65), (0.3, 0.85)]],
    4: [[(0.35, 0.15), (0.28, 0.55), (0.72, 0.55)], [(0.6, 0.3), (0.6, 0.88)]],
    5: [[(0.7, 0.15), (0.35, 0.15), (0.32, 0.45), (0.68, 0.55), (0.62, 0.82), (0.3, 0.85)]],
    6: [[(0.65, 0.15), (0.35, 0.5), (0.4, 0.82), (0.65, 0.75), (0.6, 0.52), (0.36, 0.6)]],
    7: [[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]],
    8: [
        [
            (0.5, 0.48),
            (0.3, 0.3),
            (0.5, 0.15),
            (0.7, 0.3),
            (0.5, 0.48),
            (0.3, 0.68),
            (0.5, 0.85),
            (0.7, 0.68),
            (0.5, 0.48),
        ]
    ],
    9: [[(0.68, 0.35), (0.45, 0.15), (0.32, 0.35), (0.55, 0.48), (0.68, 0.35), (0.62, 0.88)]],
}


@pytest.fixture(scope="module")
def server_env():
    data = tempfile.mkdtemp(prefix="convstep-class-browser-")
    yield {"CONVSTEP_DATA_DIR": data, "CONVSTEP_DRAWING_INTERVAL_S": "0.2"}
    shutil.rmtree(data, ignore_errors=True)


def axe_violations(page) -> list[str]:
    # axe-core is injected by new_context() as an init script: the pages' CSP (script-src 'self') refuses the
    # inline script add_script_tag() would insert, and the test must not weaken it
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations"
        ".map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)"
    )
    return result


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def new_context(browser, server, viewport, **kw):
    context = browser.new_context(viewport=viewport, locale="en-US", **kw)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    page.base = server.url
    page.problems = problems
    return context, page


def figure(page, selector: str) -> int:
    return int(re.sub(r"\D", "", page.locator(selector).inner_text()) or 0)


def wait_figure(page, selector: str, value: int, timeout: float = 30_000) -> None:
    page.wait_for_function(
        "([sel, v]) => Number(document.querySelector(sel).textContent.replace(/\\D/g, '')) === v",
        arg=[selector, value],
        timeout=timeout,
    )


def test_a_teacher_and_three_students_on_phones(browser, server):
    teacher_ctx, teacher = new_context(browser, server, {"width": 1280, "height": 720})
    # the teacher creates the class
    teacher.goto(f"{server.url}/class/new")
    assert axe_violations(teacher) == []
    teacher.click("#create")
    teacher.wait_for_selector("#created:not([hidden])")
    code = teacher.evaluate("() => window.convstepClassNew.created.code")
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{6}", code)
    link = teacher.locator("#teacher-link").input_value()
    assert link.startswith(f"{server.url}/class/{code}#token=")
    teacher.click("#open-dashboard")
    teacher.wait_for_url(f"**/class/{code}")
    assert "#token" not in teacher.url  # the token never stays in the address bar
    teacher.wait_for_selector("#live[data-state='on']")
    teacher.wait_for_function("() => document.querySelector('#qr').naturalWidth > 0")  # the server's QR code
    assert teacher.locator("#join-url").inner_text() == f"{server.url}/join?code={code}"
    assert figure(teacher, "#n-drawings") == 0

    students = []
    for _ in range(3):
        ctx, page = new_context(browser, server, PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
        page.goto(f"{server.url}/join?code={code}")  # what the QR code opens
        page.wait_for_selector("#draw:not([hidden])")
        students.append((ctx, page))
    sent = {0: [], 1: [], 2: []}
    for round_ in range(2):
        for i, (_ctx, page) in enumerate(students):
            prompt = page.locator("#prompt").inner_text()
            digit = int(re.search(r"Draw a (\d)", prompt).group(1))
            draw(page, STROKES[digit])
            page.click("#send")
            page.wait_for_function(
                "(n) => document.querySelectorAll('#mine .drawing').length === n", arg=round_ + 1, timeout=30_000
            )
            reading = page.locator("#reading").inner_text()
            assert re.fullmatch(r"The network read \d, \d+% sure\.", reading), reading
            sent[i].append(digit)
            # the dashboard follows without a reload
            wait_figure(teacher, "#n-drawings", sum(len(v) for v in sent.values()))
    wait_figure(teacher, "#n-students", 3)
    shot(students[0][1], "join-phone")
    assert axe_violations(students[0][1]) == []
    # prompts cycle so that the class set stays balanced: six drawings, six different digits asked
    asked = [d for v in sent.values() for d in v]
    assert len(set(asked)) == 6, asked
    summary = teacher.evaluate("() => window.convstepDashboard.summary")
    assert sum(map(sum, summary["confusion"])) == 6 and sum(summary["per_label"]) == 6
    assert teacher.locator(".class-confusion button:not([disabled])").count() >= 1
    assert teacher.locator("#hardest .drawing").count() == 6

    # a confusion cell opens its drawings, each linking to the lab
    cell = teacher.locator(".class-confusion button:not([disabled])").first
    n = int(cell.inner_text())
    cell.click()
    teacher.wait_for_function("(n) => document.querySelectorAll('#cell-list .drawing').length === n", arg=n)
    href = teacher.locator("#cell-list .drawing a").first.get_attribute("href")
    assert href.startswith("/?drawing=%2Fapi%2Fclasses%2F" + code)
    shot(teacher, "dashboard")
    assert axe_violations(teacher) == []

    # a student sees only their own drawings, deletes one, and the dashboard follows
    page = students[1][1]
    assert page.locator("#mine .drawing").count() == 2
    deleted = page.locator("#mine .drawing").first.get_attribute("data-id")
    page.locator("#mine .drawing button").first.click()
    page.wait_for_function("() => document.querySelectorAll('#mine .drawing').length === 1")
    wait_figure(teacher, "#n-drawings", 5)

    # a drawing that still exists opens in the lab (the cell was listed before the deletion: skip that one)
    kept = [
        a.get_attribute("href")
        for a in teacher.locator("#cell-list .drawing a, #hardest .drawing a").all()
        if a.locator("xpath=ancestor::li[1]").get_attribute("data-id") != deleted
    ]
    lab_ctx, lab = new_context(browser, server, {"width": 1280, "height": 720})
    lab.goto(server.url + kept[0])
    lab.wait_for_function("() => /^[0-9]$/.test(document.querySelector('#verdict-digit').textContent.trim())")
    # the deleted drawing's link says it is gone, not that the image is unreadable
    gone = href.replace(href.split("%2Fdrawings%2F")[1].split("%2F")[0], deleted)
    lab.goto(server.url + gone)
    lab.wait_for_function("() => /no longer there/.test(document.body.textContent)")
    lab.problems[:] = [p for p in lab.problems if "404" not in p]  # the browser logs the deleted drawing's 404

    # French: the same dashboard, in French, with its strings from class.fr.js
    teacher.click("[data-lang-switch='fr']")
    teacher.wait_for_function("() => document.querySelector('#live').textContent === 'en direct'")
    assert teacher.locator("#confusion-title").text_content() == "Comment le réseau lit votre classe"
    assert axe_violations(teacher) == []
    mismatches = i18n_mismatches(teacher, "class.en.js", "class.fr.js")
    assert mismatches["onlyEn"] == mismatches["onlyFr"] == mismatches["params"] == []

    for ctx, page in [(teacher_ctx, teacher), *students, (lab_ctx, lab)]:
        assert page.problems == [], page.problems
        ctx.close()


def test_wrong_codes_and_markup_are_shown_as_text(browser, server):
    ctx, page = new_context(browser, server, PHONE, has_touch=True, is_mobile=True)
    page.goto(f"{server.url}/join")
    page.fill("#code", "<b>x</b>")
    page.click("#join-go")
    page.wait_for_selector("#join-error:not([hidden])")
    assert "A class code is 6 letters and digits" in page.locator("#join-error").inner_text()
    assert page.locator("#join-error b").count() == 0
    page.fill("#code", "zzzzzz")
    page.click("#join-go")
    page.wait_for_function("() => /No class with this code/.test(document.querySelector('#join-error').textContent)")
    problems = [p for p in page.problems if "404" not in p]  # the browser logs the refused code's 404
    assert problems == []
    # the dashboard without its token says how to open it
    page.goto(f"{server.url}/class/ABCDEF")
    page.wait_for_selector("#dash-error:not([hidden])")
    assert "teacher link" in page.locator("#dash-error").inner_text()
    ctx.close()


@pytest.mark.slow
def test_learn_our_handwriting_from_the_dashboard(browser, server):
    """The teacher clicks "Learn our handwriting": the dashboard follows the training and shows, before and after,
    the accuracy on the held-out class digits and on the MNIST validation digits, then links to the lab."""
    import json

    from tests.support.handwriting import font_digit_url
    from tests.support.live_server import request

    created = json.loads(request(server.url, "POST", "/api/classes", b"{}")[1])
    code, token = created["code"], created["teacher_token"]
    for variant in range(4):
        for digit in range(10):
            body = {"image": font_digit_url(digit, variant), "label": digit, "device_id": f"device-{variant}-{digit}"}
            assert request(server.url, "POST", f"/api/classes/{code}/drawings", json.dumps(body).encode())[0] == 201
    ctx, page = new_context(browser, server, {"width": 1280, "height": 720})
    page.goto(f"{server.url}/class/{code}#token={token}")
    wait_figure(page, "#n-drawings", 40)
    page.fill("#learn-epochs", "1")
    page.click("#learn-start")
    page.wait_for_selector("#learn-result:not([hidden])", timeout=240_000)
    model_id = f"class-{code.lower()}"
    assert model_id in page.locator("#learn-status").inner_text()
    before = float(page.locator("#heldout-before").inner_text().rstrip("%"))
    after = float(page.locator("#heldout-after").inner_text().rstrip("%"))
    assert after > before
    assert re.fullmatch(r"\d+(\.\d)?%", page.locator("#val-after").inner_text())
    assert page.locator("#learn-lab").get_attribute("href") == f"/?model={model_id}"
    wait_figure(page, "#n-drawings", 40)
    assert model_id in page.locator("#accuracy-label").inner_text()  # the dashboard now reads with it
    assert axe_violations(page) == []
    page.click("[data-lang-switch='fr']")  # the French dictionary loads on the first switch: wait for it
    page.wait_for_function("() => document.documentElement.lang === 'fr'")
    page.wait_for_function("() => /,|\u00a0%|\u202f%/.test(document.querySelector('#heldout-after').textContent)")
    assert re.fullmatch(r"\d+(,\d)?\u00a0%|\d+(,\d)?\u202f%", page.locator("#heldout-after").inner_text())
    shot(page, "learn")
    assert page.problems == []
    ctx.close()
