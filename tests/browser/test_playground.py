"""/playground in headless Chromium against a live server: each of the course's small examples against its known
result (5×5 ⊛ 3×3, RGB 30 + 18 + 111 = 159, 1-D stride 2 → [−2, 1, 1], the misprinted 1-D padding example), Sobel
on a sample digit against an independent NumPy computation, invalid settings explained, pooling, activations and
the cross-entropy calculator (0.916 and 0.02, natural logarithm)."""

from __future__ import annotations

import re

import httpx
import numpy as np
import pytest

from tests.support.pagetools import numbers, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]


def open_tab(page, tab: str):
    page.goto(f"{page.base}/playground#{tab}")
    page.wait_for_selector(f"#panel-{tab}:not([hidden])")


def grid_numbers(locator) -> list[float]:
    return [numbers(c)[0] for c in locator.locator("td").all_text_contents()]


# ------------------------------------------------------------------------------------------- the course's examples
def card(page, example: str):
    c = page.locator(f"[data-example={example}]")
    c.locator(".badge").wait_for()
    return c


def test_the_5x5_image_with_the_3x3_kernel(page):
    open_tab(page, "course")
    c = card(page, "five")
    assert c.locator(".badge").get_attribute("data-status") == "match"
    result = c.locator("table.grid").filter(has_text="Result")
    assert grid_numbers(result) == [4, 3, 4, 2, 4, 3, 2, 3, 4]
    # animated: one step further, the window is on columns 1–3 and the products add up to 3
    c.locator("button[aria-label='Next position']").click()
    assert "Position (0, 1)" in c.locator(".course-sum").text_content()
    assert numbers(c.locator(".course-sum").text_content())[-1] == 3
    assert c.locator("table.grid").filter(has_text="Input").locator("td.is-highlight").count() == 9
    # and played to the end
    c.locator("select").select_option(label="fast")
    c.locator("[data-action=play]").click()
    page.wait_for_function("(el) => el.textContent.includes('9 / 9')", arg=c.locator(".player .pos").element_handle())


def test_the_rgb_example_30_18_111_159(page):
    open_tab(page, "course")
    c = card(page, "rgb")
    assert c.locator(".badge").get_attribute("data-status") == "match"
    assert "30 + 18 + 111 = 159" in c.locator(".course-doc").text_content()
    assert "30 + 18 + 111 = 159" in c.locator(".course-sum").text_content()


def test_the_1d_convolution_with_stride_2(page):
    open_tab(page, "course")
    c = card(page, "stride1d")
    assert c.locator(".badge").get_attribute("data-status") == "match"
    assert grid_numbers(c.locator("table.grid").filter(has_text="Result")) == [-2, 1, 1]
    assert "(7 − 3 + 2·0)/2 + 1 = 3" in c.text_content()


def test_the_1d_padding_example_is_corrected(page):
    open_tab(page, "course")
    c = card(page, "padding1d")
    assert c.locator(".badge").first.get_attribute("data-status") == "mismatch"
    assert grid_numbers(c.locator("table.grid").filter(has_text="Result")) == [5, -10, -5, -1, 1, 14, -1]
    printed = c.locator("table.grid").filter(has_text="The course prints")
    assert grid_numbers(printed) == [-1, -2, 2, 1, 2, 1, -3]
    assert printed.locator("td.doc-mismatch").count() == 7
    why = c.locator(".note--bad").text_content()
    assert "the input itself" in why and "[5, −10, −5, −1, 1, 14, −1]" in why


def test_the_other_course_checks_pass(page):
    open_tab(page, "course")
    for example in ("portion", "stride2d", "same2d"):
        assert card(page, example).locator(".badge").get_attribute("data-status") == "match", example


# ------------------------------------------------------------------------------------------- convolution on a picture
def sobel_at(image: np.ndarray, i: int, j: int) -> float:
    padded = np.pad(image.astype(float), 1)
    window = padded[i : i + 3, j : j + 3]
    gx = (window * np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])).sum()
    gy = (window * np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]])).sum()
    return float(np.hypot(gx, gy))


def test_sobel_magnitude_on_a_sample_digit(page, server):
    open_tab(page, "convolution")
    page.wait_for_selector("#panel-convolution .check--ok")
    digit = page.input_value("#panel-convolution select")
    image = np.array(httpx.get(f"{server.url}/api/samples").json()["samples"][int(digit)]["image"])
    page.click("#panel-convolution button[data-value=sobel]")
    page.wait_for_selector("#panel-convolution table.grid[data-kernel=sobel]")
    assert "Gradient magnitude 28×28" in page.text_content("#panel-convolution")
    detail = page.locator("#panel-convolution .play-formulas + .detail-block")
    i, j = map(int, re.findall(r"\d+", detail.locator("h4").first.text_content()))
    shown = numbers(detail.locator(".formula").filter(has_text="√").text_content())[-1]
    assert shown == pytest.approx(sobel_at(image, i, j), rel=1e-3)
    # the same at another position, chosen by clicking the output
    canvas = page.locator("#panel-convolution canvas").nth(1)
    box = canvas.bounding_box()
    canvas.click(position={"x": box["width"] * (10.5 / 28), "y": box["height"] * (14.5 / 28)})
    page.wait_for_function(
        "() => document.querySelector('#panel-convolution .play-formulas + .detail-block h4').textContent.includes('(14, 10)')"
    )
    shown = numbers(detail.locator(".formula").filter(has_text="√").text_content())[-1]
    assert shown == pytest.approx(sobel_at(image, 14, 10), rel=1e-3, abs=1e-3)
    assert page.locator("#panel-convolution .check--off").count() == 0


def test_stride_and_padding_fill_in_the_formula_and_bad_settings_are_explained(page):
    page.expected_console.append("status of 422")
    open_tab(page, "convolution")
    page.wait_for_selector("#panel-convolution .check--ok")
    inputs = page.locator("#panel-convolution input[type=number]")
    stride, padding = inputs.nth(0), inputs.nth(1)
    stride.fill("2")
    stride.dispatch_event("change")
    page.wait_for_function(
        "() => document.querySelector('#panel-convolution').textContent.includes('(28 − 3 + 2·1)/2')"
    )
    assert "⌊(28 − 3 + 2·1)/2⌋ + 1 = 14" in page.text_content("#panel-convolution")  # the floor, shown
    assert "never covers" in page.text_content("#panel-convolution .note")
    stride.fill("0")
    stride.dispatch_event("change")
    page.wait_for_selector("#panel-convolution .error-box:not([hidden])")
    assert "at least 1" in page.text_content("#panel-convolution .error-box")
    stride.fill("1")
    stride.dispatch_event("change")
    page.wait_for_selector("#panel-convolution .error-box", state="hidden")
    # "same": P = (F − 1)/2 is not a whole number for an even kernel; said, not rounded
    page.click("#panel-convolution button[data-value=custom]")
    page.select_option("#panel-convolution select[aria-label='Size of the custom kernel']", "2")
    page.click("#panel-convolution button:has-text('Same size')")
    page.wait_for_selector("#panel-convolution .error-box:not([hidden])")
    assert "0.5" in page.text_content("#panel-convolution .error-box")
    assert padding.input_value() == "0.5"


# ------------------------------------------------------------------------------------------- pooling
def test_pooling_max_average_sum(page):
    page.expected_console.append("status of 422")
    open_tab(page, "pooling")
    out = page.locator("table[data-role=pool-output]")
    out.wait_for()
    assert grid_numbers(out) == [2, 50, 20, 20]
    assert page.locator("#panel-pooling .badge >> nth=0").get_attribute("data-status") == "match"
    page.click("#panel-pooling button[data-value=avg]")
    page.wait_for_function(
        "() => document.querySelector('table[data-role=pool-output] td').textContent.trim() === '0.5'"
    )
    assert grid_numbers(out) == [0.5, 17.5, 10, 19.5]
    page.click("#panel-pooling button[data-value=sum]")
    page.wait_for_function("() => document.querySelector('table[data-role=pool-output] td').textContent.trim() === '2'")
    assert grid_numbers(out) == [2, 70, 40, 78]
    # a cell clicked shows its window; an edit recomputes
    page.click("#panel-pooling button[data-value=max]")
    page.wait_for_function(
        "() => document.querySelector('table[data-role=pool-output] td:nth-child(2)').textContent.trim() === '50'"
    )
    out.locator("td").nth(3).click()
    assert "P[1, 1] = max(18, 20, 20, 20) = 20" in page.text_content("#panel-pooling .play-formulas")
    cell = page.locator("table[data-role=pool-input] input").nth(15)
    cell.fill("99")
    cell.press("Tab")
    page.wait_for_function(
        "() => document.querySelector('table[data-role=pool-output] tr:nth-child(2) td:nth-child(2)').textContent.trim() === '99'"
    )
    # a window larger than the map: explained by the server, not clamped
    size = page.locator("#panel-pooling input[type=number]").first
    size.fill("5")
    size.dispatch_event("change")
    page.wait_for_selector("#panel-pooling .error-box:not([hidden])")
    assert "larger than" in page.text_content("#panel-pooling .error-box")


# ------------------------------------------------------------------------------------------- activations
def set_slider(page, x: float):
    index = round((x + 6) / 0.05)
    page.eval_on_selector("#act-x", "(el, v) => { el.value = String(v); el.dispatchEvent(new Event('input')); }", index)


def values(page) -> dict[str, str]:
    text = page.text_content("#panel-activations .act-side")
    return {k: v for k, v in re.findall(r"(f′?\(x\)) = ([^\sfx]+)", text)}


def test_activations_and_their_derivatives(page):
    open_tab(page, "activations")
    page.wait_for_selector("#panel-activations .chart__line.series-df")
    assert values(page) == {"f(x)": "1", "f′(x)": "1"}  # ReLU at x = 1
    set_slider(page, -2)
    assert values(page) == {"f(x)": "0", "f′(x)": "0"}
    assert page.locator("#panel-activations .badge").get_attribute("data-status") == "match"  # the course's 4×4 map
    page.click("#panel-activations button[data-value=sigmoid]")
    page.wait_for_function("() => document.querySelector('#panel-activations .act-side').textContent.includes('σ(x)')")
    set_slider(page, 0)
    assert values(page) == {"f(x)": "0.5", "f′(x)": "0.25"}
    page.click("#panel-activations button[data-value=leaky_relu]")
    page.wait_for_function(
        "() => document.querySelector('#panel-activations .act-side').textContent.includes('LeakyReLU')"
    )
    set_slider(page, -2)
    assert values(page) == {"f(x)": "−0.2", "f′(x)": "0.1"}
    page.click("#panel-activations button[data-value=heaviside]")
    page.wait_for_function("() => document.querySelector('#panel-activations .act-side').textContent.includes('H(x)')")
    assert page.locator("#panel-activations .chart__line.series-df").count() == 0
    assert "no derivative" in page.text_content("#panel-activations .act-legend")


# ------------------------------------------------------------------------------------------- cross-entropy
def test_cross_entropy_of_the_course_with_the_natural_log(page):
    open_tab(page, "cross-entropy")
    result = page.locator("#panel-cross-entropy .play-formulas")
    result.wait_for()
    assert float(result.get_attribute("data-value")) == pytest.approx(0.9163, abs=1e-4)
    assert "= 0.9163" in result.locator(".formula").text_content()
    assert result.locator(".badge").get_attribute("data-status") == "match"
    note = result.locator(".note").text_content()
    assert "natural logarithm" in note and "0.398" in note  # −log10(0.4): what the course does not mean
    page.click("#panel-cross-entropy button[data-case=after]")
    page.wait_for_function(
        "() => Math.abs(Number(document.querySelector('#panel-cross-entropy .play-formulas').dataset.value) - 0.0202) < 1e-4"
    )
    assert result.locator(".badge").get_attribute("data-status") == "match"
    # an impossible prediction: explained
    q = page.locator("#panel-cross-entropy input[type=number]").first
    q.fill("0")
    q.dispatch_event("change")
    page.wait_for_selector("#panel-cross-entropy .error-box")
    assert "∞" in result.text_content() and "not 1" in result.text_content()


def test_tabs_by_keyboard_and_deep_link(page):
    open_tab(page, "pooling")
    page.focus("#tab-pooling")
    page.keyboard.press("ArrowRight")
    assert page.get_attribute("#tab-activations", "aria-selected") == "true"
    assert page.url.endswith("#activations")
    assert page.is_visible("#panel-activations") and not page.is_visible("#panel-pooling")
    page.keyboard.press("End")
    assert page.url.endswith("#cross-entropy")


# ------------------------------------------------------- the rest of the course's examples and its slips (14.2–14.3)
def test_n_minus_f_plus_1_and_the_depth_example(page):
    open_tab(page, "course")
    c = card(page, "nf1")
    assert c.locator(".badge").get_attribute("data-status") == "match"
    assert "(7 − 3 + 2·0)/1 + 1 = 5" in c.text_content()
    depth = card(page, "depth")
    assert depth.locator(".badge").get_attribute("data-status") == "match"
    assert "(32 − 5 + 2·2)/1 + 1 = 32" in depth.text_content()
    params = depth.locator(".course-params").text_content()
    assert "32×32×10" in params and "10 × (3×5×5 weights + 1 bias) = 10 × 75 + 10 = 760" in params


def test_the_notebooks_mistyped_sobel_kernels_beside_the_correct_ones(page):
    open_tab(page, "course")
    c = card(page, "sobel_typo_y")
    assert c.locator(".badge").first.get_attribute("data-status") == "mismatch"
    correct = grid_numbers(c.locator("table.grid").filter(has_text="Result"))
    assert correct == [0] * 16  # Sobel Y on a vertical edge: nothing
    typed = grid_numbers(c.locator("table.grid").filter(has_text="What it gives"))
    assert typed == [0, 18, 18, 0] * 4  # the typed kernel answers the vertical edge: -2·0 + 2·9 = 18
    assert "[0, 0, 0]" in c.locator(".note--bad").text_content()
    x = card(page, "sobel_typo_x")
    assert grid_numbers(x.locator("table.grid").filter(has_text="Result")) == [0] * 16
    assert grid_numbers(x.locator("table.grid").filter(has_text="What it gives")) == [-5] * 16


def test_the_notebooks_convol_and_its_global_gimg(page):
    open_tab(page, "course")
    c = card(page, "convol")
    correct = np.array(grid_numbers(c.locator("table.grid").filter(has_text="Result"))).reshape(4, 4)
    x = np.arange(64).reshape(8, 8)
    expected = np.array([[np.trace(x[i : i + 5, j : j + 5]) for j in range(4)] for i in range(4)])
    np.testing.assert_array_equal(correct, expected)
    returned = np.array(grid_numbers(c.locator("table.grid").filter(has_text="What convol() returns"))).reshape(5, 5)
    assert returned[:2].sum() == 0 and returned[:, :2].sum() == 0  # the first k = 2 rows and columns stay 0
    np.testing.assert_array_equal(returned[2:, 2:], expected[:3, :3])  # shifted by k, the last positions lost
    g = card(page, "global_gimg")
    assert "gimg" in g.locator(".note--bad").text_content()
    assert g.locator("table.grid").filter(has_text="gimg").locator("td.doc-mismatch").count() > 0


def test_the_course_text_slips_and_the_notebook_pooling(page):
    open_tab(page, "course")
    notes = page.locator(".course-notes")
    notes.wait_for()
    assert "cross-entropy" in notes.locator("[data-slip=cross_validation]").text_content()
    assert "3×3 filters only" in notes.locator("[data-slip=vgg]").text_content()
    open_tab(page, "pooling")
    pool = page.locator("[data-example=notebook-pool]")
    pool.locator(".badge").wait_for()
    assert pool.locator(".badge").get_attribute("data-status") == "match"
    text = pool.text_content()
    assert "(168 − 4 + 2·0)/4 + 1 = 42" in text and "(300 − 4 + 2·0)/4 + 1 = 75" in text and "42×75" in text


def test_the_course_tab_in_french(page):
    page.goto(f"{page.base}/playground?lang=fr#course")
    page.wait_for_selector("#panel-course:not([hidden])")
    c = card(page, "depth")
    assert "10 × (3×5×5 poids + 1 biais)" in c.locator(".course-params").text_content()
    assert "entropie croisée" in page.locator("[data-slip=cross_validation]").text_content()


@pytest.mark.parametrize("tab", ["course", "pooling"])
def test_the_course_and_pooling_tabs_have_no_wcag_violations(page, tab):
    """axe-core (pinned in package.json) on the tabs this change grew: WCAG 2.0/2.1 A and AA."""
    from pathlib import Path

    axe = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.is_file():
        pytest.skip("axe-core is not installed (make node_modules/.installed)")
    open_tab(page, tab)
    page.locator(f"#panel-{tab} .badge >> nth=0").wait_for()
    if tab == "course":
        page.locator(".course-notes").wait_for()
        page.locator("[data-example=global_gimg] .badge").wait_for()
    else:
        page.locator("[data-example=notebook-pool] .badge").wait_for()
    # evaluated rather than added as a <script>: the pages' CSP (script-src 'self') refuses inline scripts
    page.evaluate(axe.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate(
        "() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})"
        ".then(r => r.violations.map(v => [v.id, v.nodes.length, [...new Set(v.nodes.map(n => n.target.join(' ').replace(/article\\[data-example=\"[a-z0-9_]+\"\\]/, 'ART').replace(/:nth-child\\(\\d+\\)/g, '')))].slice(0, 12)]))"
    )
    # colour contrast of the shared .badge--good, .is-dim and .doc-match styles (static/css) predates this change
    # and is issue 17's (accessibility of templates/static); every other WCAG rule must pass here
    assert [v for v in result if v[0] != "color-contrast"] == []
    assert all(
        any(cls in target for cls in (".badge--good", ".is-dim", ".doc-match")) for v in result for target in v[2]
    )
