"""The /train page in headless Chromium against a real ``convstep serve``: a short job's curves grow, it finishes
with a confusion matrix, "use this model" opens the drawing lab with it; stop, divergence, re-attaching after a
reload, the custom layer stack, French. Any console error or uncaught exception fails the test."""

from __future__ import annotations

import re

import pytest

from tests.support.pagetools import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]
ENDED = "#job-state[data-state=finished], #job-state[data-state=cancelled], #job-state[data-state=failed]"


@pytest.fixture(scope="module")
def server_env():
    return {"CONVSTEP_MAX_TRAINING_JOBS": "2"}


@pytest.fixture
def viewport():
    return {"width": 1280, "height": 800}


def open_train(page, query: str = ""):
    page.goto(f"{page.base}/train{query}")
    page.wait_for_selector("#arch-rows tr")  # the live summary arrived


def points(page) -> int:
    return int(page.get_attribute("#loss-curve svg", "data-points") or 0)


def set_form(page, **fields):
    for selector, value in fields.items():
        page.fill(f"#{selector}", str(value))


def test_a_short_job_grows_its_curves_finishes_and_its_model_opens_in_the_lab(page):
    open_train(page)
    assert page.text_content("#arch-total").replace(",", "") == "1979"  # the seed preset: 9 + 1,970
    page.check("input[name=preset][value=lenet]")
    page.wait_for_function("() => document.querySelector('#arch-total').textContent.replace(/,/g, '') === '62558'")
    set_form(page, **{"epochs": 2, "train-size": 1500, "batch-size": 16})
    page.click("#start")
    page.wait_for_url(re.compile(r"[?&]job=[0-9a-f]{8}"))
    assert page.is_disabled("#epochs") and page.is_enabled("#stop")

    page.wait_for_function("() => Number(document.querySelector('#loss-curve svg').dataset.points) > 0")
    first = points(page)
    page.wait_for_selector(ENDED, timeout=180_000)
    assert page.get_attribute("#job-state", "data-state") == "finished"
    assert points(page) > first  # the curve grew batch after batch
    assert page.locator("#loss-curve path.series-batch").count() == 1
    assert page.locator("#accuracy-curve circle.series-val").count() == 2  # one validation point per epoch
    assert float(page.get_attribute("#progress", "value")) == 1
    # the filters: at the start, now, and what changed (8 filters each for LeNet)
    assert page.locator("#filters [data-row=now] canvas").count() == 8
    assert page.locator("#filters [data-row=change] canvas").count() == 8

    assert page.is_visible("#result-card")
    assert page.locator(".confusion-table tbody tr").count() == 10
    score = page.text_content("#result-score")
    assert re.search(r"\d+\.\d %", score), score
    assert page.is_enabled("#start") and not page.is_disabled("#epochs")

    job_id = re.search(r"job=([0-9a-f]{8})", page.url).group(1)
    page.click("#use-model")
    page.wait_for_url(re.compile(rf"/\?model=trained-{job_id}$"))
    page.wait_for_function(f"() => document.querySelector('#model-select').value === 'trained-{job_id}'")


def test_stop_ends_a_running_job(page):
    open_train(page)
    page.check("input[name=preset][value=lenet]")
    set_form(page, **{"epochs": 20, "train-size": 5000, "batch-size": 8})
    page.click("#start")
    page.wait_for_function("() => Number(document.querySelector('#loss-curve svg').dataset.points) > 0")
    page.click("#stop")
    page.wait_for_selector(ENDED, timeout=60_000)
    assert page.get_attribute("#job-state", "data-state") == "cancelled"
    assert float(page.get_attribute("#progress", "value")) < 1
    assert page.is_enabled("#start") and page.is_disabled("#stop")


def test_a_diverging_run_shows_the_explanation_not_nan(page):
    open_train(page)
    page.select_option("#optimizer", "sgd")
    assert page.is_visible("#momentum")
    set_form(page, **{"learning-rate": 1_000_000, "epochs": 1, "train-size": 500})
    page.click("#start")
    page.wait_for_selector("#job-error:not([hidden])", timeout=60_000)
    assert page.get_attribute("#job-state", "data-state") == "failed"
    message = page.text_content("#job-error")
    assert "diverged" in message and "learning rate (1e+06) is too high" in message
    assert "NaN" not in page.text_content("#progress-card").replace("NaN (not a number)", "")
    assert page.is_hidden("#result-card")


def test_a_reload_reattaches_to_the_job(page):
    open_train(page)
    page.click(".train-more summary")  # the seed is among the "more settings"
    set_form(page, **{"epochs": 3, "train-size": 2000, "batch-size": 8, "seed": 7})
    page.click("#start")
    page.wait_for_function("() => Number(document.querySelector('#loss-curve svg').dataset.points) > 0")
    url = page.url
    page.reload()
    page.wait_for_selector(ENDED, timeout=180_000)
    assert page.url == url
    assert page.input_value("#epochs") == "3" and page.input_value("#seed") == "7"
    assert points(page) > 0 and page.locator("#accuracy-curve circle.series-val").count() == 3
    assert page.is_visible("#result-card")


def test_an_expired_or_unknown_job_in_the_url_is_explained(page):
    page.expected_console.append("404 (Not Found)")  # the browser logs the API's 404 for the unknown job
    page.goto(f"{page.base}/train?job=0badc0de")
    page.wait_for_selector("#start-error:not([hidden])")
    assert "0badc0de" in page.text_content("#start-error")
    assert "job=" not in page.url


def test_the_custom_stack_shows_live_shapes_and_explains_mistakes(page):
    page.expected_console.append("422 (Unprocessable Entity)")  # the browser logs the check's 422 answer
    open_train(page)
    page.check("input[name=preset][value=custom]")
    page.wait_for_selector("#layer-list .layer-row")
    rows = page.locator("#layer-list .layer-row")
    assert rows.count() == 5
    page.wait_for_function(
        "() => document.querySelector('#layer-list .layer-row [data-shape]').textContent.includes('8@28×28')"
    )
    assert "8@14×14" in rows.nth(2).text_content()  # after the 2×2 max pooling

    # a convolution after the dense layer: the server explains, naming the layer
    page.select_option("#add-type", "conv2d")
    page.click("#add-layer")
    page.wait_for_selector("#arch-error:not([hidden])")
    assert "Layer 6 (conv2d) comes after the image was flattened" in page.text_content("#arch-error")
    page.click("#layer-list .layer-row:nth-child(6) .layer-remove")
    page.wait_for_selector("#arch-error", state="hidden")

    # filters 16 instead of 8: the shapes and the parameter count follow
    page.fill("#layer-list .layer-row:nth-child(1) input[aria-label^='filters']", "16")
    page.wait_for_function(
        "() => document.querySelector('#layer-list .layer-row [data-shape]').textContent.includes('16@28×28')"
    )
    total = int(page.text_content("#arch-total").replace(",", ""))
    assert total == (16 * 9 + 16) + (16 * 14 * 14 * 32 + 32) + (32 * 10 + 10)


def test_the_page_speaks_french(page):
    open_train(page)
    page.click("[data-lang-switch=fr]")
    page.wait_for_function("() => document.documentElement.lang === 'fr'")  # the French strings are fetched first
    assert page.text_content("#start") == "Lancer l'entraînement"
    assert page.text_content("h1") == "Regarder un réseau apprendre"
    page.wait_for_function("() => document.querySelector('#data-line').textContent.includes('chiffres pour apprendre')")
    keys = page.evaluate("""async () => {
        const en = (await import('/static/js/i18n/train.en.js')).default;
        const fr = (await import('/static/js/i18n/train.fr.js')).default;
        return [Object.keys(en).sort(), Object.keys(fr).sort()];
    }""")
    assert keys[0] == keys[1]
    page.click("[data-lang-switch=en]")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.text_content("#start") == "Start training"
    assert page.evaluate("() => localStorage.getItem('convstep.lang')") == "en"
