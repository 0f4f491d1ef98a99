"""The /architectures page in headless Chromium against a real ``convstep serve``: the comparison (chart and
table), a network's layer table equal to the API's, the input side and the floor of AlexNet's first layer, "your
stack" checked against the server, keyboard only, French, a phone's layout, and axe-core (WCAG 2.0/2.1 A/AA).
Any console error or uncaught exception fails the test."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from tests.support.pagetools import i18n_mismatches, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


def api(page, path: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(page.base + path, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def open_page(page, query: str = ""):
    page.goto(f"{page.base}/architectures{query}")
    page.wait_for_selector("#layer-table tbody tr")
    page.wait_for_selector("#stack-table tbody tr")


def table_rows(page, table: str) -> list[dict]:
    return page.eval_on_selector_all(
        f"{table} tbody tr",
        """rows => rows.map(r => ({name: r.dataset.name, cells: [...r.children].map(c => c.textContent)}))""",
    )


def wait_caption(page, text: str):
    page.wait_for_function("t => document.querySelector('#layers-caption').textContent.includes(t)", arg=text)


def axe_violations(page) -> list:
    if not AXE.exists():
        pytest.skip("axe-core not installed (make node_modules/.installed)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations"
    )
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result]


def test_comparison_and_layer_table_show_the_servers_numbers(page, tmp_path):
    open_page(page)
    catalogue = api(page, "/api/architectures")["architectures"]
    compare = page.eval_on_selector_all(
        "#compare-body tr", "rows => rows.map(r => [...r.children].map(c => c.textContent))"
    )
    assert [row[0] for row in compare] == [a["name"] for a in catalogue]
    vgg = next(row for row in compare if row[0] == "VGG-16")
    assert vgg[1:3] == ["2014", "138,357,544"] and vgg[5] == "75.2\u202f%" and vgg[6] == "71.59\u202f%"
    assert page.locator("#chart-plot .chart-point").count() == 9  # LeNet-5 has no ImageNet accuracy
    # the default network (VGG-16): every row as the API computes it
    detail = api(page, "/api/architectures/vgg16?input=224")
    rows = table_rows(page, "#layer-table")
    assert [r["name"] for r in rows] == [layer["name"] for layer in detail["layers"]]
    assert [r["cells"][3] for r in rows] == ["×".join(map(str, layer["output_shape"])) for layer in detail["layers"]]
    assert [int(r["cells"][5].replace(",", "")) for r in rows] == [layer["params"] for layer in detail["layers"]]
    assert page.text_content("#layer-table [data-total=params]") == "138,357,544"
    assert "138,357,544 parameters" in page.text_content("#arch-totals")
    # what the course says about VGG, beside the numbers computed here (138,357,544 × 4 bytes)
    course = page.text_content(".arch-course")
    assert "138 million parameters, about 500 MB" in course and "138,357,544 parameters, 553.4 MB in float32" in course
    assert "13 convolutions, all 3×3, and 5 2×2 max poolings" in course
    page.screenshot(path=str(tmp_path / "architectures-projector.png"))


def test_keyboard_chooses_a_network_and_an_input_side(page):
    open_page(page)
    # Tab from the skip link down to the comparison table's AlexNet button, and open it with Enter
    page.focus("#compare-body tr[data-key=lenet5] button")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "AlexNet"
    page.keyboard.press("Enter")
    wait_caption(page, "AlexNet on a 3×224×224 input")
    assert page.evaluate("document.activeElement.id") == "arch-select"
    first = table_rows(page, "#layer-table")[0]["cells"]
    assert first[3] == "64×55×55"
    assert first[4] == "(224 − 11 + 2·2)/4 + 1 = ⌊54.25⌋ + 1 = 55"  # the floor, shown
    # the select with the arrow keys, then the input side typed in
    page.keyboard.press("ArrowDown")  # VGG-16
    wait_caption(page, "VGG-16")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "input-size"
    page.keyboard.press("Control+A")
    page.keyboard.type("112")
    wait_caption(page, "VGG-16 on a 3×112×112 input")
    detail = api(page, "/api/architectures/vgg16?input=112")
    assert page.text_content("#layer-table [data-total=macs]") == f"{detail['total_macs']:,}"
    assert "arch=vgg16" in page.url and "input=112" in page.url
    # too small for LeNet-5: the server's explanation, and the previous table stays
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Home")  # LeNet-5
    wait_caption(page, "LeNet-5")
    page.fill("#input-size", "20")
    page.expected_console.append("422")
    page.wait_for_selector("#layers-error:not([hidden])")
    assert "C5" in page.text_content("#layers-error") and "larger than the padded input" in page.text_content(
        "#layers-error"
    )
    page.click("#input-reset")
    page.wait_for_selector("#layers-error", state="hidden")
    wait_caption(page, "LeNet-5 on a 1×32×32 input")
    # your stack by keyboard: the input's three sides, the layers, then Measure
    page.focus("#stack-c")
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    for side in ("28", "28"):
        page.keyboard.press("Tab")
        page.keyboard.press("Control+A")
        page.keyboard.type(side)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "stack-text"
    page.keyboard.press("Control+A")
    page.keyboard.type("conv 6 5 p2\ntanh\navgpool 2\nconv 16 5\nflatten\ndense 10")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "stack-run"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#stack-table tbody td.shape')?.textContent === '6×28×28'")
    shapes = [r["cells"][3] for r in table_rows(page, "#stack-table")]
    assert shapes == ["6×28×28", "6×28×28", "6×14×14", "16×10×10", "1600", "10"]


def test_your_stack_shows_the_servers_shapes_and_names_the_bad_line(page):
    open_page(page)
    text = "conv 16 5 s2\nbn\nrelu\nmaxpool 3 s2 ceil\ndwconv 3 p1\nse 4\nconv 24 1 g8\ngap\nflatten\ndense 10"
    for field, value in (("#stack-c", "1"), ("#stack-h", "28"), ("#stack-w", "30")):
        page.fill(field, value)
    page.fill("#stack-text", text)
    page.click("#stack-run")
    page.wait_for_function("() => document.querySelector('#stack-table tbody tr td.shape')?.textContent === '16×12×13'")
    server = api(page, "/api/architectures/stack", {"input_shape": [1, 28, 30], "text": text})
    rows = table_rows(page, "#stack-table")
    assert [r["cells"][3] for r in rows] == ["×".join(map(str, layer["output_shape"])) for layer in server["layers"]]
    assert rows[0]["cells"][4] == "H: (28 − 5)/2 + 1 = ⌊11.5⌋ + 1 = 12 · W: (30 − 5)/2 + 1 = ⌊12.5⌋ + 1 = 13"
    assert rows[3]["cells"][4].startswith("H: (12 − 3)/2 + 1 = ⌈4.5⌉ + 1 = 6")
    assert page.text_content("#stack-table [data-total=params]") == f"{server['total_params']:,}"
    # a mistake: the message names the line; the table, which would describe other layers, is emptied
    page.expected_console.append("422")
    page.fill("#stack-text", text + "\nconv 8 3")
    page.wait_for_selector("#stack-error:not([hidden])")
    assert "line 11" in page.text_content("#stack-error") and "needs an image" in page.text_content("#stack-error")
    assert page.locator("#stack-table tbody tr").count() == 0 and page.text_content("#stack-totals") == ""
    page.click("#stack-example")
    page.wait_for_selector("#stack-error", state="hidden")
    page.wait_for_selector("#stack-table tbody tr")
    assert page.text_content("#stack-caption") == "Your stack, layer by layer"


def test_french(page):
    open_page(page)
    assert i18n_mismatches(page, "architectures.en.js", "architectures.fr.js") == {
        "onlyEn": [],
        "onlyFr": [],
        "count": page.evaluate(
            "async () => Object.keys((await import('/static/js/i18n/architectures.en.js')).default).length"
        ),
        "params": [],
    }
    page.click("[data-lang-switch=fr]")
    page.wait_for_function("() => document.querySelector('#arch-totals').textContent.includes('paramètres')")
    untranslated = page.evaluate("""() => [...document.querySelectorAll('[data-i18n]')]
        .filter((el) => el.textContent === el.dataset.i18n).map((el) => el.dataset.i18n)""")
    assert untranslated == []
    assert "arch." not in page.text_content("#arch")  # no key shown instead of a string
    assert page.text_content("h1") == "Les architectures célèbres, mesurées"
    assert "138\u202f357\u202f544 paramètres" in page.text_content("#arch-totals")
    vgg = page.eval_on_selector("#compare-body tr[data-key=vgg16]", "r => [...r.children].map(c => c.textContent)")
    assert vgg[5] == "75,2\u202f%" and vgg[3] == "15,5\u00a0G"
    assert page.text_content(".main-nav a[href='/architectures']") == "Architectures"
    page.select_option("#arch-select", "alexnet")
    wait_caption(page, "AlexNet sur une entrée 3×224×224")
    assert "⌊54,25⌋" in table_rows(page, "#layer-table")[0]["cells"][4]
    assert "Tableau 2" in page.text_content("#arch-about")
    page.select_option("#arch-select", "lenet5")
    wait_caption(page, "LeNet-5 sur une entrée 1×32×32")
    c3 = next(r for r in table_rows(page, "#layer-table") if r["name"] == "C3")["cells"]
    assert c3[2] == "convolution (60 cartes d'entrée sur 96)" and c3[5] == "1\u202f516"
    page.expected_console.append("422")
    page.fill("#stack-text", "dense 10")
    page.wait_for_selector("#stack-error:not([hidden])")
    assert "ligne 1" in page.text_content("#stack-error") and "vecteur" in page.text_content("#stack-error")


@pytest.fixture
def open_context(browser, server):
    """Pages in contexts of their own: bypass_csp lets axe-core be injected (the app's CSP forbids inline
    scripts, which is what add_script_tag adds)."""
    contexts, errors = [], []

    def make(**options):
        context = browser.new_context(bypass_csp=True, **options)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.base = server.url
        return page

    yield make
    for context in contexts:
        context.close()
    assert errors == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_accessibility(open_context, lang):
    page = open_context(viewport={"width": 1280, "height": 720}, locale="fr-FR" if lang == "fr" else "en-US")
    open_page(page, f"?arch=resnet18&lang={lang}")
    wait_caption(page, "ResNet-18")
    assert page.evaluate("document.documentElement.lang") == lang
    assert axe_violations(page) == []


def test_phone_layout(open_context, tmp_path):
    phone = open_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    open_page(phone, "?arch=googlenet")
    wait_caption(phone, "GoogLeNet")
    # nothing sticks out of the screen: the wide tables and the chart scroll inside their frames
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for frame in ("#chart-plot", ".arch-layers .table-wrap", ".arch-stack .table-wrap"):
        box = phone.locator(frame).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, frame
        assert phone.eval_on_selector(frame, "el => el.scrollWidth > el.clientWidth"), frame
    # the stack form is one column and its controls are large enough to tap
    text = phone.locator("#stack-text").bounding_box()
    assert text["width"] > PHONE["width"] * 0.7
    assert phone.locator("#stack-run").bounding_box()["height"] >= 32
    assert axe_violations(phone) == []
    phone.screenshot(path=str(tmp_path / "architectures-phone.png"), full_page=True)
