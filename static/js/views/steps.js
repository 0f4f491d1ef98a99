/**
 * Step by step (/steps): one digit through the network, forward then backward, about 25 steps.
 *
 *   digit (a sample, or a drawing) ──▶ POST /api/forward + POST /api/backward (label, η = 0.01, one SGD step)
 *        + GET /api/models/{id}/params/{layer}/W?row=k for the W rows the trace leaves out (LeNet's fc1)
 *   ──▶ steps/build.js makes the lesson ──▶ lib/deck.js shows it one step at a time
 *
 * Everything is fetched before the first step shows: stepping through the lesson never needs the network (only
 * "take 10 more steps" on the last step asks the server again). The URL is the lesson: ?digit=<sample index> or
 * ?image=<a drawing's 28×28 code>, &label=<true label>, &model=<id>, and #step=N.
 */
import "../i18n/classroom.messages.js";
import { $, area, h } from "../lib/dom.js";
import { get, post } from "../lib/api.js";
import { initPage } from "../lib/page.js";
import { onLangChange, t } from "../lib/i18n.js";
import { DrawPad } from "../lib/drawpad.js";
import { normalizeBackward, normalizeForward } from "../lib/trace.js";
import { buildSteps, neuronsFor } from "./steps/build.js";
import { Deck, stepFromHash } from "../lib/deck.js";
import { decodeDigit, encodeDigit } from "./steps/digit-code.js";

initPage();

const LEARNING_RATE = 0.01;
const DEFAULT_DIGIT_LABEL = 7; // the course's diagram follows a handwritten 7
const root = $("#deck");
const els = {
  digit: $("#digit-select"),
  label: $("#label-select"),
  model: $("#model-select"),
  status: $("#status"),
  title: $("#step-title"),
  phase: $("#step-phase"),
  visual: $("#step-visual"),
  text: $("#step-text"),
  formulas: $("#step-formulas"),
};
const state = {
  samples: [],
  models: [],
  modelId: null,
  source: null,
  chosenLabel: null,
  lesson: null,
  steps: [],
  loading: 0,
};
// for tests and curious students
window.convstepSteps = state;

// ------------------------------------------------------------------------------------------------ the deck
const deck = new Deck(root, {
  count: () => state.steps.length,
  label: (k) => (state.steps[k] ? state.steps[k].title() : ""),
  render: renderStep,
});

function renderStep(index) {
  const step = state.steps[index];
  if (!step) return;
  els.title.textContent = step.title();
  els.phase.textContent = ` · ${t(step.phase === "forward" ? "deck.forward" : "deck.backward")}${step.layer ? ` · ${step.layer}` : ""}`;
  root.dataset.phase = step.phase;
  root.dataset.step = step.id;
  els.visual.replaceChildren();
  els.text.replaceChildren();
  els.formulas.replaceChildren();
  try {
    step.render({ visual: area(els.visual), text: area(els.text), formulas: area(els.formulas) });
  } catch (err) {
    console.error(err);
    els.visual.replaceChildren(h("p", { class: "error-box", text: t("steps.render_error", { message: err.message }) }));
  }
}

// ------------------------------------------------------------------------------------------------ sources and URL
function readUrl() {
  const params = new URLSearchParams(window.location.search);
  const label = params.get("label");
  state.chosenLabel = label !== null && /^\d$/.test(label) ? Number(label) : null;
  state.modelId = params.get("model") || root.dataset.defaultModel || null;
  const code = params.get("image");
  const image = code ? decodeDigit(code) : null;
  if (image) return { kind: "drawing", code, image };
  const digit = params.get("digit");
  return digit !== null && /^\d+$/.test(digit) ? { kind: "sample", index: Number(digit) } : null;
}

function writeUrl() {
  const params = new URLSearchParams(window.location.search);
  for (const key of ["digit", "image", "label", "model"]) params.delete(key);
  const src = state.source;
  if (src && src.kind === "sample") params.set("digit", String(src.index));
  if (src && src.kind === "drawing") params.set("image", src.code);
  if (state.chosenLabel !== null) params.set("label", String(state.chosenLabel));
  if (state.modelId && state.modelId !== root.dataset.defaultModel) params.set("model", state.modelId);
  const qs = params.toString();
  window.history.replaceState(null, "", `${window.location.pathname}${qs ? `?${qs}` : ""}${window.location.hash}`);
}

function sampleByIndex(index) {
  return state.samples.find((s) => s.index === index) || null;
}

function payloadOf(src) {
  if (src.kind === "sample") return { image: sampleByIndex(src.index).image, preprocess: true };
  return { image: src.image, preprocess: false };
}

function trueLabel(F) {
  if (state.chosenLabel !== null) return state.chosenLabel;
  if (state.source.kind === "sample") return sampleByIndex(state.source.index).label;
  return F.label;
}

function sourceText() {
  const src = state.source;
  const label = state.lesson ? state.lesson.label : "?";
  if (src.kind === "sample")
    return t("steps.source.sample", { n: src.index, d: sampleByIndex(src.index).label, y: label });
  return t("steps.source.drawing", { y: label });
}

// ------------------------------------------------------------------------------------------------ loading a lesson
async function denseRows(F, neurons) {
  const rows = {};
  await Promise.all(
    F.layers
      .filter((l) => l.type === "dense")
      .map(async (L) => {
        const k = neurons[L.name];
        const W = L.params.W;
        if (W && !W.missing) {
          const cols = W.shape[1];
          rows[L.name] = W.data.subarray(k * cols, (k + 1) * cols);
        } else {
          const json = await get(`/api/models/${encodeURIComponent(F.model)}/params/${encodeURIComponent(L.name)}/W`, {
            query: { row: k },
          });
          rows[L.name] = Float32Array.from(json.values);
        }
      }),
  );
  return rows;
}

function backwardBody(payload, label, steps) {
  return { ...payload, ...(state.modelId ? { model: state.modelId } : {}), label, learning_rate: LEARNING_RATE, steps };
}

async function load() {
  const ticket = ++state.loading;
  const src = state.source;
  const payload = payloadOf(src);
  root.classList.add("is-loading");
  setStatus(t("steps.loading"));
  try {
    const model = state.modelId ? { model: state.modelId } : {};
    const known = state.chosenLabel !== null || src.kind === "sample" ? trueLabel(null) : null;
    const forwardReq = post("/api/forward", { ...payload, ...model });
    const backwardReq = known !== null ? post("/api/backward", backwardBody(payload, known, 1)) : null;
    const F = normalizeForward(await forwardReq);
    const label = known !== null ? known : trueLabel(F);
    const neurons = neuronsFor(F);
    const [bjson, rows] = await Promise.all([
      backwardReq || post("/api/backward", backwardBody(payload, label, 1)),
      denseRows(F, neurons),
    ]);
    if (ticket !== state.loading) return; // a newer digit was picked meanwhile
    const B = normalizeBackward(bjson);
    state.lesson = {
      F,
      B,
      label,
      neurons,
      denseRows: rows,
      sourceText,
      moreSteps: 10,
      fetchHistory: async (n) => (await post("/api/backward", backwardBody(payload, label, n))).sgd_step.history,
    };
    state.steps = buildSteps(state.lesson);
    syncLabelSelect();
    setStatus(t("steps.ready", { n: state.steps.length, model: F.model }));
    writeUrl();
    deck.go(stepFromHash() ?? deck.index, { updateHash: true });
  } catch (err) {
    if (ticket !== state.loading) return;
    console.warn(err);
    setStatus("");
    els.visual.replaceChildren(h("p", { class: "error-box", text: err.message }));
  } finally {
    if (ticket === state.loading) root.classList.remove("is-loading");
  }
}

function setStatus(text) {
  els.status.textContent = text;
}

// ------------------------------------------------------------------------------------------------ toolbar
function fillDigitSelect() {
  const options = state.samples.map((s) =>
    h("option", { value: `sample:${s.index}`, text: t("steps.sample_option", { n: s.index, d: s.label }) }),
  );
  if (state.source && state.source.kind === "drawing")
    options.unshift(h("option", { value: "drawing", text: t("steps.drawing_option") }));
  els.digit.replaceChildren(...options);
  els.digit.value = state.source.kind === "drawing" ? "drawing" : `sample:${state.source.index}`;
}

function syncLabelSelect() {
  const predicted = state.lesson ? state.lesson.F.label : null;
  els.label.replaceChildren(
    ...Array.from({ length: 10 }, (_, d) =>
      h("option", {
        value: String(d),
        text: d === predicted ? t("steps.label_predicted", { d }) : String(d),
      }),
    ),
  );
  if (state.lesson) els.label.value = String(state.lesson.label);
}

async function fillModels() {
  try {
    const json = await get("/api/models");
    state.models = json.models.filter((m) => m.input_kind === "mnist");
  } catch {
    state.models = [];
  }
  const current = state.modelId || root.dataset.defaultModel;
  els.model.replaceChildren(
    ...state.models.map((m) =>
      h("option", { value: m.id, text: m.trained ? m.id : `${m.id} (${t("lab.model.untrained")})` }),
    ),
  );
  if (current) els.model.value = current;
  els.model.disabled = state.models.length < 2;
}

els.digit.addEventListener("change", () => {
  const [kind, index] = els.digit.value.split(":");
  if (kind !== "sample") return;
  state.source = { kind: "sample", index: Number(index) };
  state.chosenLabel = null;
  fillDigitSelect();
  load();
});
els.label.addEventListener("change", () => {
  state.chosenLabel = Number(els.label.value);
  load();
});
els.model.addEventListener("change", () => {
  state.modelId = els.model.value;
  load();
});

// ------------------------------------------------------------------------------------------------ drawing a digit
const dialog = $("#draw-dialog");
const drawError = $("#draw-error");
let pad = null;
$("#draw-open").addEventListener("click", () => {
  drawError.hidden = true;
  dialog.showModal();
  if (!pad) pad = new DrawPad($("#draw-pad"), { lineWidth: 22 / 280 });
  else pad.resize();
});
$("#draw-clear").addEventListener("click", () => pad?.clear());
$("#draw-cancel").addEventListener("click", () => dialog.close());
$("#draw-use").addEventListener("click", async () => {
  if (!pad || pad.isEmpty()) {
    drawError.textContent = t("steps.draw.empty");
    drawError.hidden = false;
    return;
  }
  try {
    // the server preprocesses the drawing once (crop, scale, centre); the 28×28 result becomes the deep link
    const json = await post("/api/forward", {
      image: pad.toDataURL(),
      preprocess: true,
      include_params: false,
      ...(state.modelId ? { model: state.modelId } : {}),
    });
    const F = normalizeForward(json);
    const code = encodeDigit(F.input);
    state.source = { kind: "drawing", code, image: decodeDigit(code) };
    state.chosenLabel = null;
    dialog.close();
    fillDigitSelect();
    load();
  } catch (err) {
    drawError.textContent = err.message;
    drawError.hidden = false;
  }
});

// ------------------------------------------------------------------------------------------------ start
onLangChange(() => {
  if (state.source) fillDigitSelect();
  syncLabelSelect();
  if (state.steps.length) {
    deck.fillJump();
    deck.refresh();
    setStatus(t("steps.ready", { n: state.steps.length, model: state.lesson.F.model }));
  }
});

async function start() {
  const fromUrl = readUrl();
  fillModels();
  try {
    state.samples = (await get("/api/samples")).samples;
  } catch (err) {
    els.visual.replaceChildren(h("p", { class: "error-box", text: err.message }));
    return;
  }
  let src = fromUrl;
  if (src && src.kind === "sample" && !sampleByIndex(src.index)) {
    setStatus(t("steps.unknown_digit", { n: src.index }));
    src = null;
  }
  if (!src) {
    const seven = state.samples.find((s) => s.label === DEFAULT_DIGIT_LABEL) || state.samples[0];
    src = { kind: "sample", index: seven.index };
  }
  state.source = src;
  fillDigitSelect();
  syncLabelSelect();
  await load();
}

start();
