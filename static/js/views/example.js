/**
 * The worked example (/example): the course's hand-worked example (3×3 input, two 2×2 filters, ReLU, max pooling,
 * FC 2→2, softmax, cross-entropy, backward pass, one update with η = 0.01), replayed one step at a time.
 *
 *   GET /api/worked-example            the document's inputs: 26 steps with the document's printed values and errata
 *   POST /api/worked-example {inputs}  after any edit: every step recomputed (no document comparison: the printed
 *                                      values belong to the document's own inputs)
 *
 * The steps come from the engine (engine/worked_example.py); this page draws them (example/render.js), lets every
 * input be edited (example/inputs.js), and adds a closing page that gathers the document's slips. Deep link: #step=N.
 */
import "../i18n/classroom.messages.js";
import { $, area, h } from "../lib/dom.js";
import { get, isAbort, LatestOnly, post } from "../lib/api.js";
import { initPage } from "../lib/page.js";
import { getLang, onLangChange, t } from "../lib/i18n.js";
import { Deck, stepFromHash } from "../lib/deck.js";
import { InputsEditor } from "./example/inputs.js";
import { renderErrata, renderStep } from "./example/render.js";

initPage();

const root = $("#deck");
const els = {
  title: $("#step-title"),
  phase: $("#step-phase"),
  visual: $("#step-visual"),
  text: $("#step-text"),
  formulas: $("#step-formulas"),
  status: $("#inputs-status"),
  error: $("#inputs-error"),
};
const state = { result: null, documentInputs: null, pages: [], busy: false };
window.convstepExample = state; // for tests and curious students

const isForward = (section) => /^III/.test(section);

function buildPages(result) {
  const pages = result.steps.map((step) => ({ kind: "step", step }));
  if (result.errata?.length) pages.push({ kind: "errata" });
  return pages;
}

function pageTitle(page) {
  if (!page) return "";
  if (page.kind === "errata") return t("example.errata.title");
  return page.step.title[getLang()] || page.step.title.en;
}

function render(index) {
  const page = state.pages[index];
  if (!page) return;
  for (const el of [els.visual, els.text, els.formulas]) el.replaceChildren();
  const areas = { visual: area(els.visual), text: area(els.text), formulas: area(els.formulas) };
  els.title.textContent = pageTitle(page);
  if (page.kind === "errata") {
    els.phase.textContent = ` · ${t("example.errata.kicker")}`;
    root.dataset.phase = "backward";
    root.dataset.step = "errata";
    renderErrata(state.result, areas, getLang());
    return;
  }
  const { step } = page;
  els.phase.textContent = ` · § ${step.section} · ${t(isForward(step.section) ? "deck.forward" : "deck.backward")}`;
  root.dataset.phase = isForward(step.section) ? "forward" : "backward";
  root.dataset.step = step.id;
  try {
    renderStep(step, areas, { lang: getLang(), comparing: state.result.uses_document_inputs });
  } catch (err) {
    console.error(err);
    els.visual.replaceChildren(h("p", { class: "error-box", text: t("steps.render_error", { message: err.message }) }));
  }
}

const deck = new Deck(root, { count: () => state.pages.length, label: (k) => pageTitle(state.pages[k]), render });

function show(result) {
  state.result = result;
  state.pages = buildPages(result);
  els.status.textContent = t(result.uses_document_inputs ? "example.status.document" : "example.status.edited");
  els.status.classList.toggle("is-edited", !result.uses_document_inputs);
  deck.fillJump();
  deck.refresh();
}

function showError(message) {
  els.error.textContent = message || "";
  els.error.hidden = !message;
}

const requests = new LatestOnly();
async function recompute(inputs) {
  root.classList.add("is-loading");
  try {
    const result = await requests.run((signal) => post("/api/worked-example", inputs, { signal }));
    showError("");
    show(result);
  } catch (err) {
    if (!isAbort(err)) showError(err.message);
  } finally {
    if (!requests.busy) root.classList.remove("is-loading");
  }
}

const editor = new InputsEditor({ root: $("#input-grids"), eta: $("#eta-input"), onChange: recompute });

$("#inputs-reset").addEventListener("click", () => {
  editor.set(state.documentInputs, state.documentInputs);
  showError("");
  recompute(state.documentInputs);
});

onLangChange(() => {
  if (!state.result) return;
  els.status.textContent = t(state.result.uses_document_inputs ? "example.status.document" : "example.status.edited");
  deck.fillJump();
  deck.refresh();
});

async function start() {
  try {
    const result = await get("/api/worked-example");
    state.documentInputs = result.inputs;
    editor.set(result.inputs, result.inputs);
    state.result = result;
    state.pages = buildPages(result);
    els.status.textContent = t("example.status.document");
    deck.go(stepFromHash() ?? 0);
  } catch (err) {
    els.visual.replaceChildren(h("p", { class: "error-box", text: err.message }));
  }
}

start();
