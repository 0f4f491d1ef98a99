"""What axe-core cannot judge, checked by hand once (keyboard only, a screen reader) and kept here:

* every control is reached with Tab, in order, and shows where the focus is (an outline or a ring of ≥ 2 px);
* the drawing canvas says in words what it does, and its keyboard alternatives (the sample digits, the image
  upload) are named in it and work from the keyboard;
* heatmaps have a text alternative (the layer, the map's size, its range) and the keyboard cursor's values are
  spoken (aria-live), not only shown in a tooltip;
* colour never carries meaning alone: match / rounding / slip badges and the ✓ / ✗ checks have words or a symbol;
* charts have their numbers as a table.
"""

from __future__ import annotations

import re

import pytest

from tests.support.pagetools import draw, requires_chromium, wait_for_verdict

pytestmark = [pytest.mark.browser, requires_chromium]

SEVEN = [[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]]

# Every element the Tab key should reach: visible, enabled, not taken out of the tab order. Each gets an id for the
# walk below. Elements shown only while something inside their parent has the focus (a heatmap's PNG button) are
# not expected, but are checked for a visible focus when reached.
MARK_FOCUSABLES = """() => {
    const sel = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, summary,'
        + ' [tabindex]:not([tabindex="-1"])';
    const shown = (el) => {
        if (el.closest('[hidden], [inert], details:not([open]) > :not(summary)')) return false;
        const s = getComputedStyle(el);
        if (s.visibility === 'hidden' || s.display === 'none') return false;
        const r = el.getBoundingClientRect();
        const hiddenInput = el.matches('input[type=file]') && document.querySelector(`label[for="${el.id}"]`);
        return hiddenInput || (r.width > 1 && r.height > 1);
    };
    // a radio group is one tab stop (the arrow keys move inside it): its checked radio, or its first
    const radioStop = (el) => {
        if (!el.matches('input[type=radio]')) return true;
        const group = Array.from(document.querySelectorAll(`input[type=radio][name="${el.name}"]`));
        return el === (group.find((r) => r.checked) || group[0]);
    };
    const els = Array.from(document.querySelectorAll(sel)).filter((el) => el.tabIndex >= 0 && shown(el) && radioStop(el));
    els.forEach((el, k) => { el.dataset.kb = String(k); });
    return els.length;
}"""

# The focused element and whether its focus can be seen: an outline or a box-shadow ring on it (or, for a visually
# hidden file input, on its label).
FOCUS_STATE = """() => {
    let el = document.activeElement;
    if (!el || el === document.body) return null;
    const id = el.dataset.kb ?? null;
    const name = el.id || el.getAttribute('aria-label') || el.textContent.trim().slice(0, 40) || el.tagName;
    if (el.matches('input[type=file]')) el = document.querySelector(`label[for="${el.id}"]`) || el;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    const ring = s.boxShadow && s.boxShadow !== 'none';
    return { id, name: `${el.tagName.toLowerCase()} ${name}`, visible: outline || ring };
}"""


def draw_and_wait(page, strokes):
    draw(page, strokes)
    wait_for_verdict(page)


def lab_with_a_digit(page):
    page.wait_for_selector("#samples button")
    draw_and_wait(page, SEVEN)


PAGES = {
    "/": lab_with_a_digit,
    "/steps": lambda page: page.wait_for_function(
        "() => window.convstepSteps?.steps.length > 0 && !document.querySelector('#deck').classList.contains('is-loading')"
    ),
    "/example": lambda page: page.wait_for_function("() => window.convstepExample?.pages.length > 0"),
    "/playground#convolution": lambda page: page.wait_for_selector("#panel-convolution:not([hidden]) table"),
    "/train": lambda page: page.wait_for_selector("#arch-rows tr"),
    "/neuron": lambda page: page.wait_for_function("() => window.convstepNeuron?.renders > 0"),
    "/mlp": lambda page: page.wait_for_function("() => document.querySelector('#bp .check')"),
}


@pytest.mark.parametrize("address", list(PAGES))
def test_every_control_is_reached_by_tab_with_a_visible_focus(page, address):
    page.goto(f"{page.base}{address}")
    PAGES[address](page)
    expected = page.evaluate(MARK_FOCUSABLES)
    assert expected > 5
    reached, unseen = set(), []
    page.evaluate("() => document.activeElement?.blur()")
    for _ in range(expected + 40):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            continue
        if not state["visible"]:
            unseen.append(state["name"])
        if state["id"] is not None:
            if state["id"] in reached and len(reached) >= expected:
                break  # round the page once
            reached.add(state["id"])
    missed = page.evaluate(
        "(reached) => Array.from(document.querySelectorAll('[data-kb]')).filter((el) => !reached.includes(el.dataset.kb))"
        ".map((el) => el.outerHTML.slice(0, 120))",
        sorted(reached),
    )
    assert missed == [], f"{address}: never reached with Tab: {missed}"
    assert unseen == [], f"{address}: focus not visible on {sorted(set(unseen))}"


@pytest.mark.parametrize("lang, words", [("en", ("sample", "photo")), ("fr", ("exemple", "photo"))])
def test_the_drawing_canvas_says_what_it_does_and_its_keyboard_alternatives_work(page, lang, words):
    page.goto(f"{page.base}/?lang={lang}")
    page.wait_for_selector("#samples button")
    described = page.get_attribute("#pad", "aria-label").lower()
    assert all(w in described for w in words), described
    # the sample digits: toggle buttons named by their digit, chosen with the keyboard alone
    first = page.locator("#samples button").first
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => /^[0-9]$/.test(document.querySelector('#verdict-digit').textContent.trim())")
    assert first.get_attribute("aria-pressed") == "true"
    assert re.search(r"\d", first.get_attribute("aria-label"))
    # the image upload: a real file input, named by its label, focusable (its label shows the focus)
    upload = page.locator("#upload")
    assert upload.get_attribute("type") == "file"
    assert page.locator("label[for=upload]").inner_text().strip()
    upload.focus()
    assert page.evaluate("() => document.activeElement.id") == "upload"


@pytest.mark.parametrize("lang, range_words", [("en", "values from"), ("fr", "valeurs de")])
def test_heatmaps_have_a_text_alternative_and_speak_the_keyboard_cursor(page, lang, range_words):
    page.goto(f"{page.base}/?lang={lang}")
    page.wait_for_selector("#samples button")
    draw_and_wait(page, SEVEN)
    page.locator(".layer-col[data-layer=conv1] .map-btn").first.click()
    page.wait_for_function("() => document.querySelector('#detail-body h3')?.textContent.startsWith('conv1')")
    canvas = page.locator("#detail-body canvas.is-interactive").first
    alt = canvas.get_attribute("aria-label")
    # the map's name, its size and its range, in words
    assert re.search(r"\d+ \w+ × \d+ \w+", alt) and range_words in alt and re.search(r"[−-]?\d", alt), alt
    every = page.eval_on_selector_all("canvas[role=img]", "(els) => els.map((el) => el.getAttribute('aria-label'))")
    assert every and all(label and label.strip() for label in every)
    canvas.focus()
    page.keyboard.press("ArrowRight")
    live = canvas.locator("xpath=ancestor::figure[1]//*[@aria-live='polite']")
    live.wait_for(state="attached")
    spoken = live.text_content()
    # what the tooltip shows is what the screen reader says: the cell's position and its value
    assert spoken and spoken == page.locator(".tooltip").text_content(), spoken
    assert re.search(r"\b0, 1\]|\b0, \w+ 1\b", spoken) and re.search(r"[=:]\s*[−-]?\d", spoken), spoken
    page.keyboard.press("ArrowDown")
    assert live.text_content() != spoken


def test_colour_never_carries_meaning_alone(page):
    """Every status badge and every check of a recomputed number says what it means in words or with a symbol."""
    for address, ready in [
        ("/example", PAGES["/example"]),
        ("/playground#course", lambda p: p.wait_for_selector("#panel-course:not([hidden]) .badge")),
        ("/playground#pooling", lambda p: p.wait_for_selector("#panel-pooling:not([hidden]) .badge")),
    ]:
        page.goto(f"{page.base}{address}")
        ready(page)
        marks = page.eval_on_selector_all(
            ".badge[data-status], .check",
            "(els) => els.filter((el) => el.getClientRects().length).map((el) => [el.dataset.status || el.className,"
            " el.textContent.trim()])",
        )
        assert marks, address
        for status, text in marks:
            assert re.search(r"[\w✓✗≈]", text), (address, status, text)
        by_status = {}
        for status, text in marks:
            by_status.setdefault(status, set()).add(text)
        # two different statuses never read the same
        texts = [t for texts in by_status.values() for t in texts]
        assert len(by_status) <= 1 or len(set(texts)) > 1, (address, by_status)
    # the document's values on /example: a rounded or wrong cell carries the badge's symbol, not only its colour
    page.goto(f"{page.base}/example")
    PAGES["/example"](page)
    found = {}
    for k in range(page.evaluate("() => window.convstepExample.pages.length")):
        page.evaluate("(k) => { window.location.hash = `step=${k + 1}`; }", k)
        page.wait_for_function(
            "(k) => (document.querySelector('[data-deck-counter]').textContent.match(/\\d+/) || [])[0] === String(k + 1)",
            arg=k,
        )
        for status in ("rounding", "mismatch"):
            content = page.evaluate(
                "(s) => { const td = document.querySelector(`td.doc-${s}`); "
                "return td ? getComputedStyle(td, '::after').content : null; }",
                status,
            )
            if content is not None:
                found[status] = content
    assert "≈" in found.get("rounding", ""), found
    assert "✗" in found.get("mismatch", "✗"), found


def test_charts_have_their_numbers_as_a_table(page):
    """The activations chart of the playground (and every LineChart: the lab's SGD curve, the training curves)
    has a "the numbers" table under it, one row per point, built when it is opened."""
    page.goto(f"{page.base}/playground#activations")
    page.wait_for_selector("#panel-activations:not([hidden]) svg.chart path")
    details = page.locator("#panel-activations details.chart-data").first
    points = page.locator("#panel-activations svg.chart circle").count()
    assert points > 10
    details.locator("summary").click()
    rows = details.locator("tbody tr")
    # the table is built when the disclosure opens (its toggle event): wait for it rather than read at once
    page.wait_for_function(
        "(n) => document.querySelectorAll('#panel-activations details.chart-data')[0]"
        ".querySelectorAll('tbody tr').length === n",
        arg=points,
    )
    assert rows.count() == points
    first = rows.first.locator("td").all_inner_texts()
    assert len(first) == 3 and re.search(r"\d", first[1]) and re.search(r"\d", first[2])
    assert details.locator("caption").inner_text().strip()
