"""The perceptron chapter's pages (/neuron, /mlp), the Course menu, and the course's MLP through the drawing lab and
/steps, in headless Chromium against a real ``convstep serve``: mouse and keyboard walks, every number the page
recomputes agreeing with the server, a phone layout, French typography, both languages' keys, axe-core WCAG checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.pagetools import draw, i18n_mismatches, numbers, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
SEVEN = [[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]]
MLP_LAYERS = ["flatten", "fc1", "sigmoid1", "fc2", "sigmoid2", "fc3", "sigmoid3", "fc4", "softmax"]


def axe_violations(page) -> list:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (make node_modules/.installed)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations"
        ".map((v) => ({id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5)}))"
    )
    return result


def open_neuron(page, query: str = ""):
    page.goto(f"{page.base}/neuron{query}")
    page.wait_for_function("() => window.convstepNeuron && window.convstepNeuron.renders > 0")
    page.locator(".course-slip").first.wait_for()


def rendered_after(page, action, condition: str):
    """Run ``action`` and wait until the page has rendered again with ``condition`` true (a JS expression on s,
    the page's state)."""
    renders = page.evaluate("window.convstepNeuron.renders")
    action()
    page.wait_for_function(
        f"() => {{ const s = window.convstepNeuron; return s.renders > {renders} && ({condition}); }}", timeout=60_000
    )


def open_mlp(page, query: str = ""):
    page.goto(f"{page.base}/mlp{query}")
    page.wait_for_function(
        "() => window.convstepMlp.trained && window.convstepMlp.bp.step && document.querySelector('#bp .check')",
        timeout=60_000,
    )
    page.locator("#units figure").first.wait_for()
    page.locator(".course-slip").first.wait_for()


def assert_checks_agree(page, at_least: int) -> int:
    ok, off = page.locator(".check--ok").count(), page.locator(".check--off").count()
    assert off == 0, page.locator(".check--off").first.inner_text()
    assert ok >= at_least
    return ok


def test_neuron_step_by_step_with_the_keyboard(page):
    open_neuron(page)
    assert_checks_agree(page, 8)
    before = page.evaluate("window.convstepNeuron.step.W_next")
    # keyboard only: focus the button, press Enter
    page.locator("#gd-step").focus()
    rendered_after(page, lambda: page.keyboard.press("Enter"), "s.k === 1 && s.history.length > 1")
    assert_checks_agree(page, 8)
    status = page.locator("#gd-status").inner_text()
    assert status.startswith("Step 1:")
    assert numbers(status.split("W =")[1])[:2] == pytest.approx(before, rel=1e-3)
    # the loss went down after one step with η = 1
    history = page.evaluate("window.convstepNeuron.history.slice(0, 2).map((h) => h.loss)")
    assert history[1] < history[0]


def test_neuron_points_added_by_click_and_by_form(page):
    open_neuron(page)
    m = page.evaluate("window.convstepNeuron.points.length")
    box = page.locator("#plane canvas").bounding_box()
    page.locator("input[name=add-class][value='1']").check()
    rendered_after(
        page,
        lambda: page.mouse.click(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.1),  # (−3.2, 3.2)
        f"s.points.length === {m + 1}",
    )
    x1, x2 = page.evaluate("window.convstepNeuron.points.at(-1)")
    assert x1 == pytest.approx(-3.2, abs=0.15) and x2 == pytest.approx(3.2, abs=0.15)
    assert page.evaluate("window.convstepNeuron.labels.at(-1)") == 1
    page.fill("#add-x1", "1.5")
    page.fill("#add-x2", "-2")
    rendered_after(page, lambda: page.locator("#add-x2").press("Enter"), f"s.points.length === {m + 2}")
    assert page.evaluate("window.convstepNeuron.points.at(-1)") == [1.5, -2]
    assert f"{m + 2} points" in page.locator("#data-count").inner_text()
    assert_checks_agree(page, 8)


def test_neuron_large_learning_rate_bounces_and_the_page_says_why(page):
    open_neuron(page)
    rendered_after(page, lambda: page.click("#try-big"), "s.eta === 60 && s.history.length === 61")
    losses = page.evaluate("window.convstepNeuron.history.map((h) => h.loss)")
    assert any(b > a for a, b in zip(losses, losses[1:]))
    text = page.locator("#critical").inner_text()
    assert "bounces" in text and "λ_max" in text
    critical = numbers(text.split("≈")[1])[0]
    assert 0 < critical < 60
    rendered_after(page, lambda: page.click("#try-small"), "s.eta === 1 && s.history.length === 61")
    losses = page.evaluate("window.convstepNeuron.history.map((h) => h.loss)")
    assert all(b <= a + 1e-12 for a, b in zip(losses, losses[1:]))
    assert "goes down" in page.locator("#critical").inner_text()


def test_neuron_overflow_case_study_and_errata(page):
    open_neuron(page)
    page.locator(".scaling-raw").wait_for(timeout=60_000)
    raw = page.locator(".scaling-raw").inner_text()
    z, threshold = numbers(raw)[:2]
    assert z > threshold > 700
    assert "∞" in raw
    assert "0 overflows" in page.locator(".scaling-scaled").inner_text()
    slips = page.locator("#errata .course-slip")
    assert slips.count() >= 3
    assert page.locator("#errata .course-slip__doc").count() == slips.count()


def test_mlp_one_hidden_layer_separates_xor_and_each_unit_draws_a_line(page):
    open_mlp(page)
    result = page.locator("#mlp-result").inner_text()
    accuracy, single = (float(v) for v in re.findall(r"accuracy ([0-9.]+)\s%", result))
    assert accuracy == 100 and single <= 75
    assert page.locator("#units figure").count() == 4
    # two circles, trained from the keyboard
    page.locator("input[name=dataset][value=circles]").check()
    page.locator("#train-btn").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => window.convstepMlp.trained.points.length === 40 && window.convstepMlp.trained.labels.length === 40 && document.querySelector('#mlp-result').textContent.includes('After')"
    )
    page.wait_for_function("() => window.convstepMlp.trained.grid.xs[0] < -1")
    accuracy, single = (
        float(v) for v in re.findall(r"accuracy ([0-9.]+)\s%", page.locator("#mlp-result").inner_text())
    )
    assert accuracy >= 95 and single <= 75


def test_mlp_backpropagation_matrices_agree_with_the_server(page):
    open_mlp(page)
    first = assert_checks_agree(page, 13)
    loss0 = page.evaluate("window.convstepMlp.bp.step.loss")
    page.locator("#bp-step").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#bp-status').textContent.startsWith('Step 1:')")
    assert page.evaluate("window.convstepMlp.bp.step.loss") < loss0
    assert assert_checks_agree(page, first) == first
    page.click("#bp-run")
    page.wait_for_function("() => document.querySelector('#bp-status').textContent.startsWith('Step 101:')")
    assert_checks_agree(page, first)
    assert page.locator("#bp-status").inner_text().startswith("Step 101:")


@pytest.mark.parametrize("path", ["/neuron", "/mlp"])
def test_course_pages_have_no_axe_violations(browser, server, path):
    # axe-core is injected as a script: this context bypasses the page's Content-Security-Policy for it alone
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US", bypass_csp=True)
    page = context.new_page()
    page.base = server.url
    try:
        (open_neuron if path == "/neuron" else open_mlp)(page)
        assert axe_violations(page) == []
        page.click(".course-menu summary")  # the open Course menu too
        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE])
def test_course_pages_on_a_phone(page, viewport):
    for opener in (open_neuron, open_mlp):
        opener(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (opener.__name__, width)
        canvas = page.locator("canvas.plane__canvas").first.bounding_box()
        assert canvas["width"] <= PHONE["width"] - 20


def test_course_strings_in_both_languages_and_french_typography(page):
    open_neuron(page)
    for en, fr in (("neuron.en.js", "neuron.fr.js"), ("mlp.en.js", "mlp.fr.js"), ("course.en.js", "course.fr.js")):
        keys = i18n_mismatches(page, en, fr)
        assert keys["onlyEn"] == [] and keys["onlyFr"] == [] and keys["params"] == [], (en, keys)
    keys = i18n_mismatches(page, "en.js", "fr.js")
    assert keys["onlyEn"] == [] and keys["onlyFr"] == [], keys
    rendered_after(page, lambda: page.click("[data-lang-switch=fr]"), "document.documentElement.lang === 'fr'")
    status = page.locator("#gd-status").inner_text()
    assert status.startswith("Pas 0\u00a0:")
    assert re.search(r"\d,\d", page.locator("#gd-formulas").inner_text())  # decimal comma
    assert not re.search(r"\d\.\d", page.locator("#gd-formulas").inner_text())
    assert "Cours" in page.locator(".course-menu summary").inner_text()
    assert "ε" in page.locator("#errata").inner_text() or page.locator("#errata .course-slip").count() >= 3


def test_course_menu_with_the_keyboard_and_chapter_notes(page):
    page.goto(f"{page.base}/steps")
    summary = page.locator(".course-menu summary")
    summary.focus()
    page.keyboard.press("Enter")
    links = page.locator(".course-menu a")
    assert links.first.is_visible()
    assert [links.nth(k).get_attribute("href") for k in range(links.count())] == [
        "/neuron",
        "/mlp",
        "/",
        "/steps",
        "/example",
        "/architectures",
    ]
    assert page.locator(".course-menu a[aria-current=page]").get_attribute("href") == "/steps"
    page.keyboard.press("Escape")
    assert not links.first.is_visible()
    for path in ("/", "/steps", "/example", "/neuron", "/mlp"):
        page.goto(f"{page.base}{path}")
        note = page.locator(".chapter-note").first
        assert "Follows the course's chapter" in note.inner_text(), path


def open_detail(page, layer: str):
    page.locator(f".layer-col[data-layer={layer}] .map-btn").first.click()
    page.wait_for_function(
        "(name) => document.querySelector('#detail-body h3')?.textContent.startsWith(name)", arg=layer
    )
    page.wait_for_load_state("networkidle")


def test_a_drawn_digit_through_the_mlp_in_the_lab_forward_and_backward(page):
    """The course's MLP in the drawing lab: every forward and backward detail view recomputes its numbers (W·x + b,
    σ(x), σ′(x)·∂L/∂y, ŷ − y…) and agrees with the server."""
    page.goto(f"{page.base}/?model=mlp")
    page.wait_for_selector("#samples button")
    draw(page, SEVEN, steps=10)
    page.wait_for_function("() => /^[0-9]$/.test(document.querySelector('#verdict-digit').textContent.trim())")
    page.wait_for_load_state("networkidle")
    assert page.locator("#verdict-digit").inner_text().strip() == "7"
    for mode in ("forward", "backward"):
        if mode == "backward":
            page.locator("[data-mode=backward]").first.click()
            page.wait_for_function("() => window.convstepLab.backward !== null")
        for layer in MLP_LAYERS:
            open_detail(page, layer)
            body = page.locator("#detail-body")
            assert body.locator(".check--off").count() == 0, (mode, layer, body.inner_text())
            assert body.locator(".check--ok").count() >= 1, (mode, layer)
            if layer.startswith("sigmoid"):
                text = body.inner_text()
                assert ("σ(x)·(1 − σ(x))" in text) if mode == "backward" else ("σ(" in text), text


def test_the_mlp_step_by_step_shows_the_recurrence(page):
    page.goto(f"{page.base}/steps?model=mlp")
    page.wait_for_function(
        "() => window.convstepSteps?.steps.length > 0 && !document.querySelector('#deck').classList.contains('is-loading')"
    )
    ids = page.evaluate("window.convstepSteps.steps.map((s) => s.id)")
    assert [i for i in ids if i.endswith("-recurrence")] == ["fc3-recurrence", "fc2-recurrence", "fc1-recurrence"]
    for k, step_id in enumerate(ids, start=1):
        if not step_id.endswith("-recurrence") and not step_id.startswith("fc"):
            continue
        page.goto(f"{page.base}/steps?model=mlp#step={k}")
        page.wait_for_function(
            "() => window.convstepSteps?.steps.length > 0 && !document.querySelector('#deck').classList.contains('is-loading')"
        )
        page.wait_for_load_state("networkidle")
        assert page.locator(".check--off").count() == 0, step_id
        assert page.locator(".check--ok").count() >= (4 if step_id.endswith("-recurrence") else 1), step_id
