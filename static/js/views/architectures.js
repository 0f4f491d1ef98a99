/**
 * The famous architectures (/architectures): the comparison (chart + table), one network's layer table, and
 * "your stack".
 *
 *   architectures/chart.js    the SVG comparison chart
 *   architectures/table.js    a layer table (shared by a famous network and the student's stack)
 *   architectures/format.js   numbers, sizes and the (N − F + 2P)/S + 1 line in the current language
 *
 * Everything is computed by the server (GET /api/architectures, GET /api/architectures/{name}?input=,
 * POST /api/architectures/stack); the page only lays it out. The URL keeps the chosen network and input side
 * (?arch=resnet50&input=160): a teacher can share it.
 */
import "../i18n/architectures.messages.js";
import { LatestOnly, get, isAbort, post } from "../lib/api.js";
import { $, clear, debounce, h } from "../lib/dom.js";
import { hasKey, onLangChange, t } from "../lib/i18n.js";
import { initPage } from "../lib/page.js";
import { drawComparison } from "./architectures/chart.js";
import { bytes, compact, count, percent, shape } from "./architectures/format.js";
import { renderLayerTable } from "./architectures/table.js";

initPage();

const els = {
  plot: $("#chart-plot"),
  compareBody: $("#compare-body"),
  select: $("#arch-select"),
  input: $("#input-size"),
  reset: $("#input-reset"),
  about: $("#arch-about"),
  layersError: $("#layers-error"),
  totals: $("#arch-totals"),
  table: $("#layer-table"),
  caption: $("#layers-caption"),
  stackForm: $("#stack-form"),
  stackText: $("#stack-text"),
  stackC: $("#stack-c"),
  stackH: $("#stack-h"),
  stackW: $("#stack-w"),
  stackExample: $("#stack-example"),
  stackError: $("#stack-error"),
  stackTotals: $("#stack-totals"),
  stackTable: $("#stack-table"),
};
const state = { catalogue: [], key: null, detail: null, stack: null };
window.convstepArchitectures = state; // for tests and curious students
const detailRequest = new LatestOnly();
const stackRequest = new LatestOnly();

const DEFAULT_STACK = "conv 32 3 p1\nbn\nrelu\nmaxpool 2\nconv 64 3 p1\nbn\nrelu\nse 16\ngap\nflatten\ndense 10";
const RESNET_STACK =
  "conv 64 7 s2 p3\nbn\nrelu\nmaxpool 3 s2 p1\nconv 64 3 p1 nobias\nbn\nrelu\nconv 64 3 p1 nobias\nbn\nrelu\ngap\nflatten\ndense 1000";

function showError(el, message) {
  el.hidden = !message;
  el.textContent = message || "";
}

function totalsText(json) {
  return t("arch.totals", {
    params: count(json.total_params),
    macs: count(json.total_macs),
    gmacs: compact(json.total_macs),
    memory: bytes(json.total_activation_bytes),
    shape: shape(json.output_shape),
  });
}

// ---------------------------------------------------------------------------------------------- 1. comparison
function renderComparison() {
  drawComparison(els.plot, state.catalogue);
  clear(els.compareBody);
  for (const a of state.catalogue) {
    const show = h("button", {
      type: "button",
      class: "link-button",
      text: a.name,
      attrs: { title: t("arch.compare.show", { name: a.name }) },
      on: { click: () => choose(a.key, null, true) },
    });
    els.compareBody.append(
      h(
        "tr",
        { dataset: { key: a.key } },
        h("th", { attrs: { scope: "row" } }, show),
        h("td", { text: String(a.year) }),
        h("td", { class: "num", text: count(a.params) }),
        h("td", { class: "num", text: compact(a.macs) }),
        h("td", { class: "num", text: bytes(a.activation_bytes) }),
        h("td", { class: "num", text: a.top1 === null ? t("arch.none") : percent(a.top1) }),
        h("td", { class: "num", text: a.torchvision_top1 === null ? t("arch.none") : percent(a.torchvision_top1) }),
      ),
    );
  }
}

// ---------------------------------------------------------------------------------------------- 2. one network
/** What the course (003, chapter 1, part 4) says about this network, beside what is computed here. */
function courseNote(a) {
  const key = `arch.${a.key}.course`;
  if (!hasKey(key)) return null;
  const kinds = a.layers.map((r) => r.type);
  const text = t(key, {
    params: count(a.total_params),
    memory: bytes(a.total_params * 4),
    convs: kinds.filter((k) => k === "conv2d").length,
    pools: kinds.filter((k) => k === "maxpool").length,
  });
  return h("p", { class: "arch-course" }, h("strong", { text: `${t("arch.about.course")} — ` }), text);
}

function renderAbout(a) {
  const top1 = a.top1 === null ? t("arch.about.no_top1") : t("arch.about.top1", { top1: percent(a.top1) });
  clear(els.about).append(
    h("h3", {}, `${a.name} · ${a.year}`),
    h("p", { class: "arch-paper" }, a.paper),
    h("p", {}, h("strong", { text: `${t("arch.about.introduced")} — ` }), t(`arch.${a.key}.intro`)),
    h("p", {}, h("strong", { text: `${t("arch.about.variant")} — ` }), t(`arch.${a.key}.variant`)),
    courseNote(a),
    h(
      "p",
      { class: "arch-top1" },
      h("strong", { text: top1 }),
      ` (${t(`arch.${a.key}.source`)}).`,
      a.torchvision_top1 === null ? "" : ` ${t("arch.about.tv", { top1: percent(a.torchvision_top1) })}`,
    ),
  );
}

function renderDetail() {
  const json = state.detail;
  if (!json) return;
  renderAbout(json);
  els.caption.textContent = t("arch.layers.caption", {
    name: json.name,
    shape: shape(json.input_shape),
    n: json.layers.length,
  });
  els.totals.textContent = totalsText(json);
  renderLayerTable(els.table, json);
}

function syncUrl() {
  const url = new URL(window.location.href);
  url.searchParams.set("arch", state.key);
  if (els.input.value) url.searchParams.set("input", els.input.value);
  else url.searchParams.delete("input");
  window.history.replaceState(null, "", url);
}

async function loadDetail() {
  const side = els.input.value ? Number(els.input.value) : undefined;
  syncUrl();
  try {
    const json = await detailRequest.run((signal) =>
      get(`/api/architectures/${encodeURIComponent(state.key)}`, { query: { input: side }, signal }),
    );
    state.detail = json;
    showError(els.layersError, "");
    renderDetail();
  } catch (err) {
    if (isAbort(err)) return;
    showError(els.layersError, err.message);
  }
}

function choose(key, side, scroll = false) {
  const a = state.catalogue.find((x) => x.key === key) || state.catalogue[0];
  state.key = a.key;
  els.select.value = a.key;
  els.input.value = String(side || a.default_input);
  loadDetail();
  if (scroll) els.select.focus();
}

// ---------------------------------------------------------------------------------------------- 3. your stack
async function runStack() {
  const body = {
    input_shape: [els.stackC, els.stackH, els.stackW].map((el) => Number(el.value)),
    text: els.stackText.value,
  };
  try {
    state.stack = await stackRequest.run((signal) => post("/api/architectures/stack", body, { signal }));
    showError(els.stackError, "");
    els.stackTotals.textContent = totalsText(state.stack);
    renderLayerTable(els.stackTable, state.stack, { lines: true });
  } catch (err) {
    if (isAbort(err)) return;
    // the old table would describe other layers than those typed: only the explanation stays
    state.stack = null;
    els.stackTotals.textContent = "";
    const caption = els.stackTable.querySelector("caption");
    clear(els.stackTable).append(caption);
    showError(els.stackError, err.message);
  }
}
const runStackSoon = debounce(runStack, 400);

// ---------------------------------------------------------------------------------------------- start
async function start() {
  const params = new URLSearchParams(window.location.search);
  try {
    state.catalogue = (await get("/api/architectures")).architectures;
  } catch (err) {
    showError(els.layersError, err.message);
    return;
  }
  for (const a of state.catalogue) els.select.append(h("option", { value: a.key, text: `${a.name} (${a.year})` }));
  renderComparison();
  els.select.addEventListener("change", () => choose(els.select.value));
  els.input.addEventListener("input", debounce(loadDetail, 350));
  els.reset.addEventListener("click", () => choose(state.key));
  const side = Number.parseInt(params.get("input") || "", 10);
  choose(params.get("arch") || "vgg16", Number.isFinite(side) && side > 0 ? side : null);

  els.stackText.value = DEFAULT_STACK;
  els.stackForm.addEventListener("submit", (event) => {
    event.preventDefault();
    runStack();
  });
  for (const el of [els.stackText, els.stackC, els.stackH, els.stackW]) el.addEventListener("input", runStackSoon);
  els.stackExample.addEventListener("click", () => {
    els.stackText.value = RESNET_STACK;
    runStack();
  });
  runStack();
}

onLangChange(() => {
  if (!state.catalogue.length) return;
  renderComparison();
  loadDetail(); // the server words its errors in the new language; the numbers are re-formatted
  runStack();
});

start();
