"""/example in headless Chromium against a live server: the course's worked example walked by keyboard, its numbers
and the document's slips on the page (the loss 1.1032 against the printed 0.48, the sign lost in X′1, the carried
rounding), editing an input recomputes what depends on it, reset restores the document, deep links."""

from __future__ import annotations

import re

import pytest

from tests.support.pagetools import numbers, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]


def open_example(page, hash_: str = ""):
    page.goto(f"{page.base}/example{hash_}")
    page.wait_for_function("() => window.convstepExample && window.convstepExample.pages.length > 0")


def go_to(page, step_id: str):
    index = page.evaluate(
        "(id) => window.convstepExample.pages.findIndex((p) => (p.step ? p.step.id : p.kind) === id)", step_id
    )
    assert index >= 0, step_id
    page.select_option("[data-deck-jump]", str(index))
    assert page.get_attribute("#deck", "data-step") == step_id


def cells(page, selector: str) -> list[str]:
    return [c.strip() for c in page.locator(f"{selector} td").all_text_contents()]


def test_walks_every_step_by_keyboard(page):
    open_example(page)
    n = int(re.findall(r"\d+", page.text_content("[data-deck-counter]"))[1])
    assert n == 27  # the engine's 26 steps and the closing summary of the document's slips
    seen = []
    for k in range(n):
        seen.append(page.get_attribute("#deck", "data-step"))
        assert page.text_content("#step-title").strip()
        assert page.locator("#step-visual .error-box").count() == 0
        if k < n - 1:
            page.keyboard.press("Space" if k % 2 else "ArrowRight")
    assert seen[0] == "output_size" and seen[8] == "loss" and seen[-1] == "errata"
    assert len(set(seen)) == n
    assert page.locator("[data-deck-next]").is_disabled()
    assert page.locator(".example-errata > li").count() >= 10


def test_the_loss_against_the_documents_048(page):
    open_example(page)
    go_to(page, "loss")
    assert page.text_content("[data-role=value][data-key=loss]").strip().endswith("1.1032")
    doc = page.locator("[data-role=document][data-key=loss]")
    assert doc.locator("td").first.text_content().strip() == "0.48"
    assert doc.locator(".badge").get_attribute("data-status") == "mismatch"
    assert doc.locator("td.doc-mismatch").count() == 1
    slip = page.text_content(".example-slips")
    assert "base-10 logarithm" in slip and "natural logarithm" in slip


def test_the_sign_lost_in_x1_and_the_carried_rounding(page):
    open_example(page, "#step=19")
    assert page.get_attribute("#deck", "data-step") == "dX1"  # the deep link opened this step
    computed = cells(page, "[data-role=value][data-key=X1_prime]")
    assert computed[7] == "−0.4677"  # X′1[2, 1]
    printed = page.locator("[data-role=document][data-name='X′1']")
    assert printed.locator(".badge").get_attribute("data-status") == "mismatch"
    wrong = printed.locator("td.doc-mismatch")
    assert wrong.count() == 1 and wrong.text_content().strip() == "0.469"
    assert printed.locator("td.doc-rounding").count() == 2  # 0.469 and 0.938: ŷ rounded to 0.33, carried on
    assert "Sign lost" in page.text_content(".example-slips")
    # the rounding, not a slip: the document's own ∂L/∂x
    go_to(page, "dL_dx")
    doc = page.locator("[data-role=document][data-key=dL_dx]")
    assert doc.locator(".badge").get_attribute("data-status") == "rounding"
    assert "0.67 / 0.33" in page.text_content("#step-text")


def test_the_sliding_window_walks_the_positions(page):
    open_example(page)
    go_to(page, "conv_o2")
    slide = page.locator("[data-role=slide]")
    text = lambda: " ".join(slide.locator(".calc__result").text_content().split())  # noqa: E731
    assert text() == "Σ = 4 → O2[0, 0]"
    slide.locator("button[aria-label='Next position']").click()
    assert text() == "Σ = 7 → O2[0, 1]"
    # the window moved on X: rows 0–1, columns 1–2
    highlighted = page.locator("[data-role=input][data-key=X] td.is-highlight")
    assert highlighted.count() == 4 and highlighted.all_text_contents() == ["0", "3", "5", "1"]


def test_editing_an_input_recomputes_the_steps_and_reset_restores_them(page):
    open_example(page)
    go_to(page, "conv_o1")
    assert cells(page, "[data-role=value][data-key=O1]") == ["0", "9", "10", "3"]
    assert page.locator("[data-role=document]").count() == 1
    x00 = page.locator("table[data-input=X] input").first
    x00.fill("3")
    x00.press("Tab")
    page.wait_for_function("() => !window.convstepExample.result.uses_document_inputs")
    # O1[0, 0] = X[0,0]·1 + X[0,1]·0 + X[1,0]·2 + X[1,1]·(−1) = 3 + 4 − 5 = 2; the rest did not use X[0, 0]
    assert cells(page, "[data-role=value][data-key=O1]") == ["2", "9", "10", "3"]
    assert page.locator("[data-role=document]").count() == 0  # the printed values belong to the document's inputs
    assert "Edited" in page.text_content("#inputs-status")
    assert page.locator("table[data-input=X] td.is-edited").count() == 1
    go_to(page, "loss")  # everything downstream follows: O1's maximum is still 10, so is the loss
    assert page.text_content("[data-role=value][data-key=loss]").strip().endswith("1.1032")
    go_to(page, "dL_df1")  # ... but the filter's gradient met the new X[0, 0]
    assert (
        cells(page, "[data-role=value][data-key=dL_df1]")[0] == "0.9355"
    )  # 2·0.4677: X[1,0] meets the routed gradient
    page.click("#inputs-reset")
    page.wait_for_function("() => window.convstepExample.result.uses_document_inputs")
    go_to(page, "conv_o1")
    assert cells(page, "[data-role=value][data-key=O1]") == ["0", "9", "10", "3"]
    assert page.input_value("table[data-input=X] input >> nth=0") == "1"
    assert page.locator("[data-role=document]").count() == 1


def test_an_edit_that_changes_the_maximum_changes_the_loss(page):
    open_example(page)
    x11 = page.locator("table[data-input=X] input").nth(4)  # X[1][1] = 5
    x11.fill("0")
    x11.press("Enter")
    x11.press("Tab")
    page.wait_for_function("() => !window.convstepExample.result.uses_document_inputs")
    go_to(page, "loss")
    loss = numbers(page.text_content("[data-role=value][data-key=loss]"))[-1]
    assert loss != pytest.approx(1.1032, abs=1e-4)


def test_an_invalid_input_is_explained_and_the_steps_stay(page):
    page.expected_console.append("status of 422")  # the browser logs the refused request
    open_example(page)
    go_to(page, "softmax")
    before = page.text_content("#step-visual")
    y0 = page.locator("table[data-input=y] input").first
    y0.fill("0.5")
    y0.press("Tab")
    page.wait_for_selector("#inputs-error:not([hidden])")
    assert "probability" in page.text_content("#inputs-error")
    assert page.text_content("#step-visual") == before
    page.fill("#eta-input", "0.1")
    page.dispatch_event("#eta-input", "change")  # still invalid: y does not sum to 1
    page.wait_for_selector("#inputs-error:not([hidden])")
    page.click("#inputs-reset")
    page.wait_for_selector("#inputs-error", state="hidden")


def test_in_french(page):
    page.goto(f"{page.base}/example?lang=fr#step=9")
    page.wait_for_function("() => window.convstepExample && window.convstepExample.pages.length > 0")
    assert page.text_content("#step-title").strip() == "Perte d'entropie croisée"
    assert "logarithme décimal" in page.text_content(".example-slips")
    assert page.locator("[data-role=document] .badge").text_content().startswith("✗ le document")
