"""The drawing lab (/) in headless Chromium against a real ``convstep serve`` with the bundled model: draw digits with
mouse events and see them recognised, open a convolution detail view, switch to the backward pass, check a gradient,
take SGD steps and watch the chosen class rise, load a sample, switch language. Any console error fails a test."""
from __future__ import annotations

import re

import pytest

from pagetools import numbers, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

# strokes in pad coordinates (0..1), drawn the way a person would: a few long mouse drags
SEVEN = [[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]]
ONE = [[(0.52, 0.15), (0.5, 0.85)]]
ZERO = [[(0.5, 0.15), (0.72, 0.3), (0.75, 0.6), (0.55, 0.85), (0.32, 0.72), (0.27, 0.4), (0.38, 0.2), (0.5, 0.15)]]
FOUR = [[(0.35, 0.15), (0.28, 0.55), (0.72, 0.55)], [(0.6, 0.3), (0.6, 0.88)]]


def open_lab(page, query: str = ""):
    page.goto(f"{page.base}/{query}")
    page.wait_for_selector("#samples button")  # the page's modules have run and the samples arrived


def draw(page, strokes):
    box = page.locator("#pad").bounding_box()
    for points in strokes:
        x0, y0 = points[0]
        page.mouse.move(box["x"] + x0 * box["width"], box["y"] + y0 * box["height"])
        page.mouse.down()
        for x, y in points[1:]:
            page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=10)
        page.mouse.up()


def verdict(page) -> str:
    page.wait_for_function("() => /^[0-9]$/.test(document.querySelector('#verdict-digit').textContent.trim())")
    page.wait_for_load_state("networkidle")
    return page.locator("#verdict-digit").inner_text().strip()


@pytest.mark.parametrize("strokes, digit", [(SEVEN, "7"), (ONE, "1"), (ZERO, "0"), (FOUR, "4")])
def test_a_digit_drawn_with_the_mouse_is_recognised(page, strokes, digit):
    open_lab(page)
    draw(page, strokes)
    assert verdict(page) == digit
    # the bar chart shows the 10 probabilities, the winner's the largest
    assert page.locator("#prob-bars").inner_text().count("%") == 10
    # "how your drawing became 28×28": the recorded preprocessing steps
    assert page.locator("#prep-steps img, #prep-steps canvas").count() >= 5


def test_clear_and_undo(page):
    open_lab(page)
    draw(page, ONE)
    assert verdict(page) == "1"
    page.click("#clear")
    page.wait_for_function("() => !/^[0-9]$/.test(document.querySelector('#verdict-digit').textContent.trim())")
    draw(page, SEVEN)
    assert verdict(page) == "7"


def test_convolution_detail_view_explains_one_position(page):
    open_lab(page)
    draw(page, SEVEN)
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
    draw(page, SEVEN)
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
    label = page.locator("#samples button").first
    label.click()
    assert verdict(page) in "0123456789"
    assert page.locator("#draw-title").inner_text().strip().endswith("Draw a digit".upper()) or \
        "draw a digit" in page.locator("#draw-title").inner_text().lower()
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
    draw(page, SEVEN)
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
