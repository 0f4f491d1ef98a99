/**
 * The drawing lab (/): wires the cards together around one LabState.
 *
 *   input panel ──source──▶ POST /api/forward  (Coalescer: at most one request in flight while the pen moves;
 *                                               the latest drawing is always sent when the previous answer is back)
 *                └────────▶ POST /api/backward (in backward mode; label, learning rate and SGD steps)
 *   forward/backward ──▶ prediction card, preprocessing card, network overview, detail view, backward panel
 *
 * URL: ?model=<id> opens the lab with another model (the training page links here with the model it trained);
 * ?drawing=/api/classes/<code>/drawings/<id>/image.png opens a class's drawing (the class pages link here).
 */
import { $, $$, toast } from "../lib/dom.js";
import { Coalescer, get, post } from "../lib/api.js";
import { initPage } from "../lib/page.js";
import { t } from "../lib/i18n.js";
import { downloadJSON } from "../lib/download.js";
import { LabState } from "./lab/state.js";
import { normalizeBackward, normalizeForward } from "../lib/trace.js";
import { InputPanel } from "./lab/input-panel.js";
import { PredictionCard } from "./lab/prediction.js";
import { PrepCard } from "./lab/prep.js";
import { Overview } from "./lab/overview.js";
import { BackwardPanel } from "./lab/backward-panel.js";
import { DetailPanel } from "./lab/detail.js";

initPage();

const root = $("#lab");
const params = new URLSearchParams(window.location.search);
const state = new LabState({
  models: null,
  modelId: params.get("model") || root.dataset.defaultModel || null,
  source: null,
  forward: null,
  backward: null,
  busy: false,
  error: null,
  mode: params.get("mode") === "backward" ? "backward" : "forward",
  label: null,
  learningRate: 0.01,
  sgdSteps: 0,
  norm: "layer",
  selection: null,
});
// for tests and curious students: the state is inspectable from the console
window.convstepLab = state;

const requestBody = (source, extra = {}) => ({
  ...source.payload,
  ...(state.modelId ? { model: state.modelId } : {}),
  ...extra,
});

let forwardBusy = false;
let backwardBusy = false;
const syncBusy = () => state.set({ busy: forwardBusy || backwardBusy });

const forwardRequests = new Coalescer(
  (source, signal) => post("/api/forward", requestBody(source), { signal }).then((json) => ({ json, source })),
  {
    onResult: ({ json, source }) => {
      const forward = normalizeForward(json);
      forward.source = source;
      const patch = { forward, error: null };
      if (!state.selection) patch.selection = { index: forward.layers.length ? 0 : -1, channel: 0, pos: null };
      state.set(patch);
      if (state.mode === "backward") requestBackward();
    },
    onError: (err) => state.set({ error: err.message }),
    onBusyChange: (busy) => {
      forwardBusy = busy;
      syncBusy();
    },
  },
);

const backwardRequests = new Coalescer(
  ({ forward, label, steps, learningRate }, signal) =>
    post(
      "/api/backward",
      requestBody(forward.source, { label, learning_rate: learningRate, steps: Math.max(1, steps) }),
      { signal },
    ).then((json) => ({ json, forward })),
  {
    onResult: ({ json, forward }) => {
      const backward = normalizeBackward(json);
      backward.forward = forward;
      backward.payload = forward.source.payload;
      state.set({ backward, error: null });
    },
    onError: (err) => state.set({ error: err.message }),
    onBusyChange: (busy) => {
      backwardBusy = busy;
      syncBusy();
    },
  },
);

function requestBackward() {
  const forward = state.forward;
  if (!forward || state.mode !== "backward") return;
  backwardRequests.push({ forward, label: state.trueLabel, steps: state.sgdSteps, learningRate: state.learningRate });
}

function analyse(source, { live = false } = {}) {
  if (!source) {
    forwardRequests.cancel();
    backwardRequests.cancel();
    state.set({ source: null, forward: null, backward: null, label: null, sgdSteps: 0, error: null });
    return;
  }
  if (!live) state.set({ source, sgdSteps: 0 });
  forwardRequests.push(source);
}

// ------------------------------------------------------------------ components
const input = new InputPanel(state, {
  onLive: (source) => analyse(source, { live: true }),
  onCommit: (source) => analyse(source),
});
new PredictionCard(state, {
  onModelChange: (id) => {
    state.set({ modelId: id, forward: null, backward: null, selection: null, sgdSteps: 0 });
    const url = new URL(window.location.href);
    url.searchParams.set("model", id);
    window.history.replaceState(null, "", url);
    if (state.source) analyse(state.source);
  },
});
new PrepCard(state);
new Overview(state, {
  onSelect: (selection) => {
    state.set({ selection });
    const detail = $("#detail");
    if (detail.getBoundingClientRect().top > window.innerHeight * 0.6)
      detail.scrollIntoView({ behavior: "smooth", block: "start" });
  },
});
new BackwardPanel(state, {
  onLabel: (label) => {
    state.set({ label, sgdSteps: 0 });
    requestBackward();
  },
  onStep: () => {
    state.set({ sgdSteps: state.sgdSteps + 1 });
    requestBackward();
  },
  onReset: () => state.set({ sgdSteps: 0 }),
  onLearningRate: (learningRate) => {
    state.set({ learningRate, sgdSteps: 0 });
    requestBackward();
  },
});
new DetailPanel(state, {
  imagePayload: () => state.backward?.payload || state.source?.payload || null,
});

// ------------------------------------------------------------------ toolbar of the network card
const modeButtons = $$("[data-mode]");
function syncMode() {
  for (const b of modeButtons) b.setAttribute("aria-pressed", String(b.dataset.mode === state.mode));
  root.dataset.mode = state.mode;
}
for (const b of modeButtons) {
  b.addEventListener("click", () => {
    state.set({ mode: b.dataset.mode });
    if (state.mode === "backward" && (!state.backward || state.backward.forward !== state.forward)) requestBackward();
  });
}
state.on("mode", syncMode);
syncMode();

$("#norm-select").addEventListener("change", (e) => state.set({ norm: e.target.value }));

const exportButton = $("#export-json");
state.on("forward", (f) => {
  exportButton.disabled = !f;
});
exportButton.addEventListener("click", () => {
  const f = state.forward;
  if (!f) return;
  const source = f.source || {};
  downloadJSON(
    {
      convstep: "trace",
      exported_at: new Date().toISOString(),
      model: f.model,
      source: source.kind || null,
      forward: f.raw,
      backward: state.backward && state.backward.forward === f ? state.backward.raw : null,
    },
    `convstep-${f.model}-${f.label}`,
  );
});

// ------------------------------------------------------------------ start
async function start() {
  try {
    const json = await get("/api/models");
    const models = json.models || [];
    const known = models.some((m) => m.id === state.modelId);
    state.set({ models, modelId: known || (state.modelId && params.get("model")) ? state.modelId : json.default });
  } catch (err) {
    toast(err.message, { error: true });
  }
  await openClassDrawing(params.get("drawing"));
  await input.loadSamples();
}

/** A drawing of a class (only that same-origin API path: the page never fetches an address it was handed). */
async function openClassDrawing(path) {
  if (!path || !/^\/api\/classes\/[A-Z0-9]{6}\/drawings\/[\w-]{8,32}\/image\.png$/.test(path)) return;
  try {
    const response = await fetch(path, { credentials: "same-origin" });
    // a link kept from the dashboard may outlive its drawing: say so rather than "unreadable"
    if (response.status === 404) return toast(t("lab.class_drawing.gone"), { error: true });
    if (!response.ok) throw new Error(String(response.status));
    const blob = await response.blob();
    await input.useFile(new File([blob], "class-drawing.png", { type: "image/png" }));
  } catch {
    toast(t("lab.upload.unreadable"), { error: true });
  }
}
start();
