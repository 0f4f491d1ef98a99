"""The shared front-end modules (static/js/lib/) keep one home for each idea: views never import another view's files,
colours come from the stylesheet's variables, and the text put on coloured cells always reads (WCAG AA)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.pagetools import requires_chromium

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "static" / "js"
IMPORT = re.compile(r'^import\s[^;]*?from\s+"([^"]+)";', re.M | re.S)


def test_a_view_imports_only_its_own_files_and_the_shared_ones():
    """views/<page>.js and views/<page>/*.js may import static/js/lib/, static/js/i18n/ and their own page's files;
    what two pages share lives in lib/ (colour scales, formulas, arg-max, the trace, heatmaps of tensors)."""
    wrong = []
    for path in sorted((JS / "views").rglob("*.js")):
        rel = path.relative_to(JS / "views")
        page = rel.parts[0].removesuffix(".js")
        for spec in IMPORT.findall(path.read_text()):
            target = (path.parent / spec).resolve().relative_to(JS.resolve())
            if target.parts[0] in ("lib", "i18n"):
                continue
            if target.parts[0] == "views" and target.parts[1].removesuffix(".js") == page:
                continue
            wrong.append(f"{rel} imports {target}")
    assert wrong == []


def test_no_colour_literal_for_the_accent_in_scripts():
    """The kernel window, the selected cell and the receptive field take --accent from base.css (colors.accent)."""
    css = (ROOT / "static" / "css" / "base.css").read_text()
    accent = re.search(r"--accent:\s*(#[0-9a-fA-F]{3,6})", css).group(1).lower()
    r, g, b = (int(accent[k : k + 2], 16) for k in (1, 3, 5))
    literals = [
        f"{p.relative_to(JS)}"
        for p in JS.rglob("*.js")
        if accent in p.read_text().lower() or re.search(rf"{r},\s*{g},\s*{b}", p.read_text())
    ]
    assert literals == []


@pytest.mark.browser
@requires_chromium
def test_the_accent_colour_and_the_text_on_coloured_cells(page):
    page.goto(f"{page.base}/playground")
    result = page.evaluate(
        """async () => {
        const colors = await import('/static/js/lib/colors.js');
        const marks = await import('/static/js/lib/tensor-heatmaps.js');
        const before = colors.accent();
        document.documentElement.style.setProperty('--accent', '#123456');
        const after = [colors.accent(), colors.accent(0.5), marks.windowMark(0, 0, 2, 2).color, marks.cellMark(1, 1).color];
        document.documentElement.style.removeProperty('--accent');
        // the worst contrast of the text colour each palette's cells get (white or black, by needsLightText)
        const lum = (c) => { const x = c / 255; return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
        const L = (r, g, b) => 0.2126 * lum(r) + 0.7152 * lum(g) + 0.0722 * lum(b);
        const worst = {};
        for (const kind of ['diverging', 'sequential', 'gray']) {
            const scale = colors.makeScale(kind, kind === 'diverging' ? -1 : 0, 1);
            let w = Infinity;
            for (let k = 0; k <= 1000; k++) {
                const v = scale.min + (scale.max - scale.min) * k / 1000;
                const bg = L(...scale.rgb(v));
                const ratio = scale.isDark(v) ? 1.05 / (bg + 0.05) : (bg + 0.05) / 0.05;
                w = Math.min(w, ratio);
            }
            worst[kind] = w;
        }
        return { before, after, worst };
    }"""
    )
    css = (ROOT / "static" / "css" / "base.css").read_text()
    assert result["before"] == re.search(r"--accent:\s*(#[0-9a-fA-F]{6})", css).group(1)
    assert result["after"] == ["#123456", "rgba(18, 52, 86, 0.5)", "#123456", "#123456"]
    assert all(ratio >= 4.5 for ratio in result["worst"].values()), result["worst"]


@pytest.mark.browser
@requires_chromium
@pytest.mark.parametrize("model", ["lenet", "seed"])
def test_the_pages_cnn_geometry_is_the_servers(page, model):
    """lib/cnn.js is the front end's one home for receptive fields, padding and window positions (the window ⊙ kernel
    sums are compared with the server's outputs by every detail view: ✓ marks, test_drawing_lab). Here its output
    sizes and total paddings must give every layer's shape in the server's trace, and its receptive fields the
    server's (GET /api/models/{id}/receptive-field), for corners and middles of every spatial layer."""
    page.goto(f"{page.base}/?model={model}")
    page.wait_for_selector("#samples button")
    page.locator("#samples button").nth(7).click()
    page.wait_for_function("() => window.convstepLab.forward !== null")
    mismatches = page.evaluate(
        """async () => {
        const cnn = await import('/static/js/lib/cnn.js');
        const F = window.convstepLab.forward;
        const [, H, W] = F.input.shape;
        const wrong = [];
        for (const [index, L] of F.layers.entries()) {
            if (L.geometry) {
                const g = L.geometry;
                for (const axis of [0, 1]) {
                    const n = L.inputShape[axis + 1], out = L.outputShape[axis + 1];
                    const p = cnn.totalPadding(n, g.kernel[axis], g.stride[axis], out, g.padding[axis]);
                    const size = cnn.outputSize(n, g.kernel[axis], p, g.stride[axis]);
                    if (size !== out) wrong.push(`${L.name} axis ${axis}: ${size} ≠ ${out}`);
                }
            }
            const spatial = L.outputShape.length === 3;
            const [ho, wo] = spatial ? L.outputShape.slice(1) : [1, 1];
            const spots = [[0, 0], [ho - 1, wo - 1], [Math.floor(ho / 2), Math.floor(wo / 3)]];
            for (const [i, j] of spots) {
                const ours = cnn.receptiveField(F.layers, index, i, j, [H, W]);
                const url = `/api/models/${F.model}/receptive-field?layer=${L.name}&row=${i}&col=${j}`;
                const theirs = await (await fetch(url)).json();
                for (const key of ['top', 'left', 'bottom', 'right', 'full'])
                    if (ours[key] !== theirs[key]) wrong.push(`${L.name} (${i}, ${j}) ${key}: ${ours[key]} ≠ ${theirs[key]}`);
            }
        }
        return { wrong, layers: F.layers.length };
    }"""
    )
    assert mismatches["layers"] >= 5
    assert mismatches["wrong"] == []
