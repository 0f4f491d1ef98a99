"""/steps in headless Chromium against a live server: the whole lesson walked by keyboard, every recomputed number
checked by the page against the server's, deep links, the presenter view, another label, a drawn digit, French."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.support.pagetools import numbers, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

READY = "#deck:not(.is-loading) #step-title:not([data-i18n])"


def sample_index(server, label: int) -> int:
    samples = httpx.get(f"{server.url}/api/samples", params={"label": label}).json()["samples"]
    return samples[0]["index"]


def open_steps(page, query: str = "", hash_: str = ""):
    page.goto(f"{page.base}/steps{query}{hash_}")
    page.wait_for_selector("[data-deck-counter]:has-text('/')")
    page.wait_for_function(
        "() => window.convstepSteps?.steps.length > 0 && !document.querySelector('#deck').classList.contains('is-loading')"
    )


def counter(page) -> tuple[int, int]:
    k, n = re.findall(r"\d+", page.text_content("[data-deck-counter]"))
    return int(k), int(n)


def test_walks_every_step_by_keyboard_with_every_number_checked(page, server):
    digit = sample_index(server, 7)
    open_steps(page, f"?digit={digit}")
    k, n = counter(page)
    assert k == 1 and 15 <= n <= 25, (k, n)
    titles, checks = [], 0
    for step in range(1, n + 1):
        assert counter(page) == (step, n)
        title = page.text_content("#step-title").strip()
        assert title and title not in titles, title  # every step has its own title
        titles.append(title)
        assert page.locator("#step-visual .error-box").count() == 0, title
        assert page.locator(".check--off").count() == 0, f"{title}: the page's arithmetic disagrees with the server"
        checks += page.locator(".check--ok").count()
        assert page.text_content("#step-text").strip(), title
        if step < n:
            page.keyboard.press("ArrowRight" if step % 2 else "Space")
    assert page.locator("[data-deck-next]").is_disabled()
    assert checks >= 15  # the convolutions, pooling, dense layers, softmax, loss and gradients were recomputed
    # the phases: forward first, backward at the end
    assert page.get_attribute("#deck", "data-phase") == "backward"
    page.keyboard.press("Home")
    assert counter(page) == (1, n) and page.get_attribute("#deck", "data-phase") == "forward"


def test_a_deep_link_reopens_the_same_step_for_the_same_digit(page, server, browser):
    digit = sample_index(server, 3)
    open_steps(page, f"?digit={digit}")
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    assert counter(page)[0] == 7
    url = page.url
    assert f"digit={digit}" in url and url.endswith("#step=7")
    title, formulas = page.text_content("#step-title"), page.text_content("#step-formulas")

    other = browser.new_page(viewport={"width": 1280, "height": 720})
    other.goto(url)
    other.wait_for_function("() => window.convstepSteps && window.convstepSteps?.steps.length > 0")
    other.wait_for_selector("#deck:not(.is-loading)")
    assert counter(other)[0] == 7
    assert other.text_content("#step-title") == title
    assert other.text_content("#step-formulas") == formulas  # same digit, same numbers
    assert other.input_value("#digit-select") == f"sample:{digit}"
    other.close()


def test_the_loss_follows_the_chosen_true_label(page, server):
    digit = sample_index(server, 7)
    open_steps(page, f"?digit={digit}")
    page.select_option("#label-select", "3")
    page.wait_for_function("() => window.convstepSteps.lesson && window.convstepSteps.lesson.label === 3")
    page.wait_for_selector("#deck:not(.is-loading)")
    assert "label=3" in page.url
    loss_step = page.evaluate("() => window.convstepSteps.steps.findIndex((s) => s.id === 'loss')")
    page.select_option("[data-deck-jump]", str(loss_step))
    assert page.get_attribute("#deck", "data-step") == "loss"
    loss = httpx.post(
        f"{server.url}/api/backward",
        json={"image": httpx.get(f"{server.url}/api/samples").json()["samples"][digit]["image"], "label": 3},
    ).json()["loss"]
    text = page.text_content("#step-formulas")
    assert "ŷ[3]" in text
    assert any(abs(v - loss) <= 0.01 * loss for v in numbers(text)), (loss, text)


def test_presenter_view_and_fullscreen(page, server):
    open_steps(page, f"?digit={sample_index(server, 1)}", "#step=3")
    assert counter(page)[0] == 3
    page.keyboard.press("p")
    assert "is-presenter" in page.get_attribute("body", "class")
    assert not page.is_visible(".site-header") and page.is_visible("[data-deck-next]")
    assert page.get_attribute("[data-deck-presenter]", "aria-pressed") == "true"
    page.keyboard.press("ArrowRight")
    assert counter(page)[0] == 4  # the keys still drive the lesson
    page.keyboard.press("Escape")
    assert "is-presenter" not in (page.get_attribute("body", "class") or "")
    page.click("[data-deck-fullscreen]")
    page.wait_for_function("() => document.fullscreenElement !== null")
    assert page.get_attribute("[data-deck-fullscreen]", "aria-pressed") == "true"
    page.keyboard.press("f")
    page.wait_for_function("() => document.fullscreenElement === null")
    assert page.get_attribute("[data-deck-fullscreen]", "aria-pressed") == "false"


def test_a_drawn_digit_gets_a_deep_link_of_its_own(page, browser):
    open_steps(page)
    page.click("#draw-open")
    box = page.locator("#draw-pad").bounding_box()
    x0, y0, w = box["x"], box["y"], box["width"]
    page.mouse.move(x0 + 0.3 * w, y0 + 0.2 * w)
    page.mouse.down()
    for x, y in [(0.7, 0.2), (0.45, 0.8)]:  # a 7
        page.mouse.move(x0 + x * w, y0 + y * w, steps=12)
    page.mouse.up()
    page.click("#draw-use")
    page.wait_for_function("() => location.search.includes('image=')")
    page.wait_for_selector("#deck:not(.is-loading)")
    page.wait_for_function(
        "() => window.convstepSteps.source.kind === 'drawing' && window.convstepSteps?.steps.length > 0"
    )
    assert "drawing" in page.text_content("#step-text").lower()
    page.keyboard.press("End")
    url = page.url
    last_title = page.text_content("#step-title")

    other = browser.new_page(viewport={"width": 1280, "height": 720})
    other.goto(url)
    other.wait_for_function("() => window.convstepSteps && window.convstepSteps?.steps.length > 0")
    assert other.input_value("#digit-select") == "drawing"
    assert other.text_content("#step-title") == last_title
    other.close()


def test_in_french(page, server):
    open_steps(page, f"?digit={sample_index(server, 7)}&lang=fr")
    assert page.text_content("[data-deck-counter]").startswith("Étape 1 /")
    assert "réseau" in page.text_content("#step-title")
    page.keyboard.press("End")
    assert "pas" in page.text_content("#step-title").lower()


def test_the_classroom_strings_exist_in_both_languages(page):
    page.goto(f"{page.base}/steps")
    keys = page.evaluate("""async () => {
        const en = (await import('/static/js/i18n/classroom.en.js')).default;
        const fr = (await import('/static/js/i18n/classroom.fr.js')).default;
        const missing = (a, b) => Object.keys(a).filter((k) => !(k in b));
        const placeholders = (s) => (s.match(/\\{\\w+\\}/g) || []).sort().join();
        return { onlyEn: missing(en, fr), onlyFr: missing(fr, en), count: Object.keys(en).length,
                 params: Object.keys(en).filter((k) => k in fr && placeholders(en[k]) !== placeholders(fr[k])) };
    }""")
    assert keys["onlyEn"] == [] and keys["onlyFr"] == [] and keys["params"] == [], keys
    assert keys["count"] > 300
