"""The drawing lab (/) in headless Chromium against a real ``convstep serve`` with the bundled model: draw digits with
mouse events and see them recognised, open a convolution detail view, switch to the backward pass, check a gradient,
take SGD steps and watch the chosen class rise, load a sample, switch language. Any console error fails a test."""

from __future__ import annotations

import re

import pytest

from tests.support.pagetools import draw, i18n_mismatches, numbers, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

# strokes in pad coordinates (0..1), drawn the way a person would: a few long mouse drags
SEVEN = [[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]]
ONE = [[(0.52, 0.15), (0.5, 0.85)]]
ZERO = [[(0.5, 0.15), (0.72, 0.3), (0.75, 0.6), (0.55, 0.85), (0.32, 0.72), (0.27, 0.4), (0.38, 0.2), (0.5, 0.15)]]
FOUR = [[(0.35, 0.15), (0.28, 0.55), (0.72, 0.55)], [(0.6, 0.3), (0.6, 0.88)]]
PHONE = {"width": 390, "height": 844}


def open_lab(page, query: str = ""):
    page.goto(f"{page.base}/{query}")
    page.wait_for_selector("#samples button")  # the page's modules have run and the samples arrived


def verdict(page) -> str:
    page.wait_for_function("() => /^[0-9]$/.test(document.querySelector('#verdict-digit').textContent.trim())")
    page.wait_for_load_state("networkidle")
    return page.locator("#verdict-digit").inner_text().strip()


@pytest.mark.parametrize("strokes, digit", [(SEVEN, "7"), (ONE, "1"), (ZERO, "0"), (FOUR, "4")])
def test_a_digit_drawn_with_the_mouse_is_recognised(page, strokes, digit):
    open_lab(page)
    draw(page, strokes, steps=10)
    assert verdict(page) == digit
    # the bar chart shows the 10 probabilities, the winner's the largest
    assert page.locator("#prob-bars").inner_text().count("%") == 10
    # "how your drawing became 28×28": the recorded preprocessing steps
    assert page.locator("#prep-steps img, #prep-steps canvas").count() >= 5


def test_clear_and_undo(page):
    open_lab(page)
    draw(page, ONE, steps=10)
    assert verdict(page) == "1"
    page.click("#clear")
    page.wait_for_function("() => !/^[0-9]$/.test(document.querySelector('#verdict-digit').textContent.trim())")
    draw(page, SEVEN, steps=10)
    assert verdict(page) == "7"


def test_convolution_detail_view_explains_one_position(page):
    open_lab(page)
    draw(page, SEVEN, steps=10)
    verdict(page)
    page.locator(".map-btn").nth(1).click()  # conv1, first feature map
    body = page.locator("#detail-body")
    body.get_by_text("conv1", exact=False).first.wait_for()
    text = body.inner_text()
    # the course's output-size formula, filled in with conv1's numbers (28×28 input, 5×5 kernel, padding 2)
    assert "(28 − 5 + 2·2) / 1 + 1 = 28" in text
    assert "Kernel" in text and "Products" in text
    # window · kernel + bias = the value, checked against the server's
    assert "same as the server's value" in text


def test_backward_pass_gradient_check_and_sgd_steps(page):
    open_lab(page)
    draw(page, SEVEN, steps=10)
    assert verdict(page) == "7"
    page.locator("[data-mode=backward]").first.click()
    page.wait_for_selector("#sgd-step")
    # "what if it were a 3?": pick another label; its probability is low, so SGD has room to raise it
    page.get_by_role("radio", name=re.compile("3")).first.click()
    page.wait_for_load_state("networkidle")
    page.locator(".map-btn").nth(1).click()
    page.wait_for_selector("#gradcheck-btn")
    page.click("#gradcheck-btn")
    box = page.locator(".gradcheck-box").first
    box.get_by_text("relative error").wait_for()
    assert "agrees" in box.inner_text()
    rel = numbers(box.inner_text().split("relative error")[1])[0]
    assert rel < 1e-3
    for _ in range(3):
        page.click("#sgd-step")
        page.wait_for_selector("#sgd-after")
        page.wait_for_load_state("networkidle")
    summary = page.locator("#sgd-summary").inner_text()
    before, after = (float(v) for v in re.findall(r"([0-9.]+)\s*%", summary)[:2])
    assert after > before, summary


def test_sample_digit_and_language_switch(page):
    open_lab(page)
    # the first page of samples holds every digit once, each one click away and recognised
    buttons = page.locator("#samples button")
    labels = [buttons.nth(k).inner_text().strip() for k in range(10)]
    assert sorted(labels) == list("0123456789")
    for k in (0, 3, 7):
        buttons.nth(k).click()
        page.wait_for_function(
            "() => window.convstepLab.forward && window.convstepLab.forward.source === window.convstepLab.source"
        )
        assert verdict(page) == labels[k]
        assert buttons.nth(k).get_attribute("aria-pressed") == "true"
    assert (
        page.locator("#draw-title").inner_text().strip().endswith("Draw a digit".upper())
        or "draw a digit" in page.locator("#draw-title").inner_text().lower()
    )
    page.click("[data-lang-switch=fr]")
    page.wait_for_function("() => document.documentElement.lang === 'fr'")
    assert "dessinez un chiffre" in page.locator("#draw-title").inner_text().lower()
    # the choice survives a reload (persisted), and the page still works in French
    page.reload()
    page.wait_for_selector("#samples button")
    assert "dessinez un chiffre" in page.locator("#draw-title").inner_text().lower()
    page.click("[data-lang-switch=en]")


def test_exports_trace_json_and_heatmap_png(page):
    open_lab(page)
    draw(page, SEVEN, steps=10)
    verdict(page)
    with page.expect_download() as got:
        page.click("#export-json")
    trace = got.value
    assert trace.suggested_filename.endswith(".json")
    import json

    body = json.loads(open(trace.path(), encoding="utf-8").read())
    assert body["convstep"] == "trace" and body["model"] == "lenet"
    assert body["forward"]["label"] == 7 and len(body["forward"]["layers"]) == 14
    page.locator(".map-btn").nth(1).click()
    png_button = page.locator("#detail-body .heatmap__tools button").first
    png_button.wait_for()
    with page.expect_download() as got:
        png_button.click()
    image = got.value
    assert image.suggested_filename.endswith(".png")
    assert open(image.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_overview_follows_the_latest_drawing(page):
    """Regression: the network overview once kept painting the first trace of a drawing (the live one of its first
    stroke) after later traces arrived. Its input thumbnail must show the same 28×28 as the final forward pass."""
    open_lab(page)
    draw(page, SEVEN, steps=10)
    assert verdict(page) == "7"
    correlation = page.evaluate("""() => {
        const x = window.convstepLab.forward.input;
        const canvas = document.querySelector('.layer-col[data-layer=input] canvas');
        const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        const a = [], b = [];
        for (let i = 0; i < 28; i++) for (let j = 0; j < 28; j++) {
            const r = Math.floor((i + 0.5) * canvas.height / 28), c = Math.floor((j + 0.5) * canvas.width / 28);
            a.push(x.at(0, i, j)); b.push(px[(r * canvas.width + c) * 4] / 255);
        }
        const mean = (v) => v.reduce((s, t) => s + t, 0) / v.length;
        const ma = mean(a), mb = mean(b);
        let sab = 0, saa = 0, sbb = 0;
        for (let k = 0; k < a.length; k++) { sab += (a[k] - ma) * (b[k] - mb); saa += (a[k] - ma) ** 2; sbb += (b[k] - mb) ** 2; }
        return sab / Math.sqrt(saa * sbb);
    }""")
    assert correlation > 0.95, correlation


def test_live_prediction_never_has_two_requests_in_flight(page):
    """While the pen moves, at most one /api/forward is in flight; the drawings made meanwhile are dropped except
    the latest, which is sent when the answer comes back (issue 7). The network is slowed down on purpose."""
    page.add_init_script("""(() => {
        const stats = { inFlight: 0, max: 0, sent: 0 };
        window.forwardStats = stats;
        const original = window.fetch;
        window.fetch = async (...args) => {
            const url = String((args[0] && args[0].url) || args[0]);
            if (!url.includes('/api/forward')) return original(...args);
            stats.sent += 1; stats.inFlight += 1; stats.max = Math.max(stats.max, stats.inFlight);
            try {
                const response = await original(...args);
                await response.clone().arrayBuffer();
                await new Promise((resolve) => setTimeout(resolve, 300));  // school Wi-Fi
                return response;
            } finally { stats.inFlight -= 1; }
        };
    })()""")
    open_lab(page)
    # on a slow machine the first request can leave with only the pen's first dot, which the server rightly calls
    # blank (422 blank_image, shown as "keep drawing"): Chromium logs any 4xx as a console error
    page.expected_console.append("status of 422")
    box = page.locator("#pad").bounding_box()
    at = lambda x, y: (box["x"] + x * box["width"], box["y"] + y * box["height"])  # noqa: E731
    # a slow "7": the pen keeps moving for about two seconds
    page.mouse.move(*at(0.25, 0.2))
    page.mouse.down()
    path = [(0.25 + 0.5 * k / 30, 0.2) for k in range(31)] + [
        (0.75 - 0.3 * k / 40, 0.2 + 0.65 * k / 40) for k in range(41)
    ]
    for x, y in path:
        page.mouse.move(*at(x, y))
        page.wait_for_timeout(25)
    page.mouse.up()
    assert verdict(page) == "7"
    page.wait_for_function("() => window.forwardStats.inFlight === 0")
    stats = page.evaluate("() => window.forwardStats")
    assert stats["max"] == 1, stats
    assert stats["sent"] >= 2, stats  # it did predict while the pen was moving
    # the answer on screen is the final drawing's: the last request carried the finished digit
    assert page.evaluate("() => window.convstepLab.forward.source === window.convstepLab.source")


FORWARD_VIEWS = ["input", "conv2", "relu1", "pool1", "flatten", "fc1", "dropout", "fc3", "softmax"]
BACKWARD_VIEWS = ["input", "conv2", "relu2", "pool2", "flatten", "fc1", "fc2", "softmax"]


def open_detail(page, layer: str, keyboard: bool = False):
    button = page.locator(f".layer-col[data-layer={layer}] .map-btn").first
    if keyboard:
        button.focus()
        page.keyboard.press("Enter")
    else:
        button.click()
    page.wait_for_function(
        "(name) => document.querySelector('#detail-body h3')?.textContent.startsWith(name)", arg=layer
    )
    page.wait_for_load_state("networkidle")


def test_every_detail_view_recomputes_the_servers_numbers(page):
    """Each layer's detail view redoes its numbers in the browser (window · kernel, max of a window, W·x + b for one
    neuron — fc1's row fetched from the API —, exp(z)/Σ, the routed and masked gradients…) and compares them with
    the server's trace: every check must agree, in both passes. The views open from the keyboard too."""
    open_lab(page)
    draw(page, SEVEN, steps=10)
    assert verdict(page) == "7"
    for layer in FORWARD_VIEWS:
        open_detail(page, layer, keyboard=layer == "conv2")
        body = page.locator("#detail-body")
        assert body.locator(".check--off").count() == 0, (layer, body.inner_text())
        if layer not in ("input", "dropout"):
            assert body.locator(".check--ok").count() >= 1, layer
    page.locator("[data-mode=backward]").first.click()
    page.wait_for_function("() => window.convstepLab.backward !== null")
    for layer in BACKWARD_VIEWS:
        open_detail(page, layer)
        body = page.locator("#detail-body")
        body.locator(".heatmap canvas, table").first.wait_for()
        assert body.locator(".check--off").count() == 0, (layer, body.inner_text())
        if layer != "input":
            assert body.locator(".check--ok").count() >= 1, layer


def test_the_lab_strings_exist_in_both_languages(page):
    open_lab(page)
    keys = i18n_mismatches(page, "en.js", "fr.js")
    assert keys["onlyEn"] == [] and keys["onlyFr"] == [] and keys["params"] == [], keys
    # no key is left untranslated on the page, in either language
    for lang in ("fr", "en"):
        page.click(f"[data-lang-switch={lang}]")
        page.wait_for_function("(lang) => document.documentElement.lang === lang", arg=lang)
        raw = page.evaluate("""() => Array.from(document.querySelectorAll('[data-i18n]'))
            .filter((el) => el.textContent === el.dataset.i18n).map((el) => el.dataset.i18n)""")
        assert raw == [], raw


@pytest.mark.parametrize("viewport", [PHONE])
def test_on_a_phone(page):
    """At 390×844 the page is one column, never wider than the screen, and drawing with a finger-sized stroke works."""
    open_lab(page)
    draw(page, ONE, steps=10)
    assert verdict(page) == "1"
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("() => getComputedStyle(document.querySelector('#pad')).touchAction") == "none"
    pad, bars = page.locator(".draw-card").bounding_box(), page.locator(".predict-card").bounding_box()
    assert bars["y"] >= pad["y"] + pad["height"] - 1  # stacked, not side by side
