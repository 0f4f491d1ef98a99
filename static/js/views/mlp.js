/**
 * Layers of neurons (/mlp): the course's perceptron chapter, second half.
 *
 *   POST /api/mlp/train   XOR or two circles, with and without a hidden layer: the plane's picture, each unit's line
 *   POST /api/mlp/step    one step of backpropagation on the four XOR points, every matrix of the recurrence
 *   GET  /api/neuron/errata (page "mlp")   the chapter's slips
 *
 * The backpropagation panel recomputes every matrix in the browser (course layout: one sample per column) and checks
 * it against the server's.
 */
import "../i18n/mlp.messages.js";
import { $, h } from "../lib/dom.js";
import { post } from "../lib/api.js";
import { initPage } from "../lib/page.js";
import { onLangChange, t } from "../lib/i18n.js";
import { num, vec } from "../lib/numbers.js";
import { LineChart } from "../lib/chart.js";
import { PlaneView } from "../lib/plane.js";
import { cssColor, makeScale } from "../lib/colors.js";
import { ErrataList } from "../lib/errata.js";
import { check, sigmoid } from "../lib/course.js";

initPage();

const XOR = {
  points: [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ],
  labels: [0, 1, 1, 0],
};
const state = { trained: null, bp: { start: null, params: null, k: 0, step: null }, token: 0 };
window.convstepMlp = state; // for tests and curious students

// ------------------------------------------------------------------------------------------------ matrices, here
const matmul = (A, B) => A.map((row) => B[0].map((_, j) => row.reduce((s, a, k) => s + a * B[k][j], 0)));
const transpose = (A) => A[0].map((_, j) => A.map((row) => row[j]));
const map2 = (A, B, f) => A.map((row, i) => row.map((a, j) => f(a, B[i][j])));
const addColumn = (A, b) => A.map((row, i) => row.map((a) => a + b[i]));

/** The course's forward and backward pass on X (n0 × m) and y (1 × m): every matrix, per layer. */
export function courseBackprop(params, X, y) {
  const A = [X];
  const Z = [null];
  params.forEach((layer, l) => {
    Z.push(addColumn(matmul(layer.W, A[l]), layer.b));
    A.push(Z[l + 1].map((row) => row.map(sigmoid)));
  });
  const L = params.length;
  const m = X[0].length;
  const layers = {};
  let dZ = map2(A[L], y, (a, t0) => a - t0);
  for (let l = L; l >= 1; l--) {
    const layer = layers[l] || { l };
    layers[l] = layer;
    Object.assign(layer, { Z: Z[l], A: A[l], dZ });
    layer.dW = matmul(dZ, transpose(A[l - 1])).map((row) => row.map((v) => v / m));
    layer.db = dZ.map((row) => row.reduce((s, v) => s + v, 0) / m);
    if (l > 1) {
      // the recurrence: dZ^[l−1] = (W^[l]ᵀ·dZ^[l]) ⊙ A^[l−1](1 − A^[l−1])
      const WtdZ = matmul(transpose(params[l - 1].W), dZ);
      const dsig = A[l - 1].map((row) => row.map((a) => a * (1 - a)));
      layers[l - 1] = { l: l - 1, WtdZ, dsig };
      dZ = map2(WtdZ, dsig, (a, b) => a * b);
    }
  }
  const loss = A[L][0].reduce((s, a, j) => s - (y[0][j] * Math.log(a) + (1 - y[0][j]) * Math.log(1 - a)), 0) / m;
  return { layers: Object.values(layers).sort((p, q) => p.l - q.l), loss };
}

// ------------------------------------------------------------------------------------------------ 1. training
const hiddenSelect = $("#hidden");
const HIDDEN = [[], [2], [3], [4], [8], [4, 4]];
function fillHidden() {
  const chosen = hiddenSelect.value || "1";
  hiddenSelect.replaceChildren(
    ...HIDDEN.map((hdn, k) =>
      h("option", {
        value: String(k),
        text: hdn.length === 0 ? t("mlp.train.none") : hdn.map((n) => t("mlp.train.units", { n })).join(" + "),
      }),
    ),
  );
  hiddenSelect.value = chosen;
}
fillHidden();
hiddenSelect.value = "3";

const plane = new PlaneView({ range: [-0.5, 1.5], size: 340 });
$("#mlp-plane").append(plane.el);
const curve = new LineChart({ width: 340, height: 220 });
$("#mlp-curve").append(curve.el);

function settings() {
  return {
    dataset: document.querySelector("input[name=dataset]:checked").value,
    hidden: HIDDEN[Number(hiddenSelect.value)],
    learning_rate: Number($("#mlp-eta").value),
    epochs: Number($("#epochs").value),
    seed: Number($("#seed").value),
    n: 40,
    noise: 0.1,
  };
}

async function train() {
  const token = ++state.token;
  $("#mlp-result").textContent = t("mlp.train.running");
  try {
    const json = await post("/api/mlp/train", settings());
    if (token !== state.token) return;
    state.trained = json;
    renderTrained();
  } catch (err) {
    if (token === state.token) $("#mlp-result").textContent = err.message;
  }
}

function renderTrained() {
  const r = state.trained;
  if (!r) return;
  const { xs, ys, prob } = r.grid;
  plane.setRange([xs[0], xs[xs.length - 1]], [ys[0], ys[ys.length - 1]]);
  plane.draw({
    points: r.points,
    labels: r.labels,
    background: { grid: prob.map((row) => row.map((p) => p - 0.5)), xs, ys, scale: makeScale("diverging", -0.5, 0.5) },
    lines: r.units.map((u) => ({ w: u.w, b: u.b, color: cssColor("--ink-soft"), dash: [5, 4], width: 1.5 })),
  });
  plane.setLabel(t("mlp.train.plane"));
  curve.setLabels({ xLabel: t("mlp.train.step"), yLabel: t("mlp.train.curve"), title: t("mlp.train.curve") });
  curve.update([{ points: r.history.map((p) => [p.epoch, p.loss]), className: "series-train", label: "L" }]);
  const s = settings();
  $("#mlp-result").textContent = t("mlp.train.result", {
    epochs: s.epochs,
    eta: num(s.learning_rate),
    acc: `${num(100 * r.accuracy, 3)}\u00a0%`,
    loss: num(r.loss),
    acc1: `${num(100 * r.single_neuron.accuracy, 3)}\u00a0%`,
    loss1: num(r.single_neuron.loss),
  });
  renderUnits();
}

// ------------------------------------------------------------------------------------------------ 2. the units
function renderUnits() {
  const r = state.trained;
  const root = $("#units");
  if (!r.units.length) {
    root.replaceChildren(h("p", { class: "hint", text: t("mlp.units.none") }));
    return;
  }
  const { xs, ys } = r.grid;
  const n = 32;
  const gx = Array.from({ length: n }, (_, q) => xs[0] + ((xs[xs.length - 1] - xs[0]) * q) / (n - 1));
  const gy = Array.from({ length: n }, (_, q) => ys[0] + ((ys[ys.length - 1] - ys[0]) * q) / (n - 1));
  root.replaceChildren(
    ...r.units.map((u) => {
      const view = new PlaneView({ range: [gx[0], gx[n - 1]], yRange: [gy[0], gy[n - 1]], size: 200 });
      view.el.classList.add("plane--small");
      const grid = gy.map((x2) => gx.map((x1) => sigmoid(u.w[0] * x1 + u.w[1] * x2 + u.b) - 0.5));
      view.draw({
        points: r.points,
        labels: r.labels,
        background: { grid, xs: gx, ys: gy, scale: makeScale("diverging", -0.5, 0.5) },
        lines: [{ w: u.w, b: u.b, color: cssColor("--ink"), width: 2 }],
      });
      const caption = t("mlp.units.unit", { k: u.unit + 1, w1: num(u.w[0], 3), w2: num(u.w[1], 3), b: num(u.b, 3) });
      view.setLabel(caption);
      return h("figure", { class: "mlp-unit curve-box" }, view.el, h("figcaption", { text: caption }));
    }),
  );
}

// ------------------------------------------------------------------------------------------------ 3. backprop
function table(name, M, { columns = true } = {}) {
  const head = h(
    "tr",
    {},
    h("th", { text: name, attrs: { scope: "col" } }),
    ...M[0].map((_, j) =>
      h("th", { text: columns ? t("mlp.bp.col", { k: j + 1 }) : String(j + 1), attrs: { scope: "col" } }),
    ),
  );
  const rows = M.map((row, i) =>
    h(
      "tr",
      {},
      h("th", { text: String(i + 1), attrs: { scope: "row" } }),
      ...row.map((v) => h("td", { text: num(v) })),
    ),
  );
  return h(
    "div",
    { class: "table-scroll" },
    h("table", { class: "matrix-table" }, h("thead", {}, head), h("tbody", {}, rows)),
  );
}

const flat = (M) => M.flat();

function renderBackprop() {
  const bp = state.bp;
  const s = bp.step;
  if (!s) return;
  const X = transpose(XOR.points);
  const ours = courseBackprop(bp.params, X, [XOR.labels]);
  const root = $("#bp");
  const parts = [h("h3", { class: "gd-formulas__sub", text: t("mlp.bp.forward") }), table("A^[0] = X", X)];
  ours.layers.forEach((layer, q) => {
    const server = s.layers[q];
    const { W, b } = bp.params[q];
    parts.push(
      h("p", {
        class: "formula",
        text: `Z^[${layer.l}] = W^[${layer.l}]·A^[${layer.l - 1}] + b^[${layer.l}],  W^[${layer.l}] = ${W.map((row) => vec(row)).join(" ")},  b^[${layer.l}] = ${vec(b)}`,
      }),
      table(`Z^[${layer.l}]`, layer.Z),
      check(flat(layer.Z), flat(server.Z)),
      table(`A^[${layer.l}] = σ(Z^[${layer.l}])`, layer.A),
      check(flat(layer.A), flat(server.A)),
    );
  });
  parts.push(h("h3", { class: "gd-formulas__sub", text: t("mlp.bp.backward") }));
  for (let q = ours.layers.length - 1; q >= 0; q--) {
    const layer = ours.layers[q];
    const server = s.layers[q];
    const l = layer.l;
    if (layer.WtdZ) {
      parts.push(
        h("p", { class: "formula", text: `dZ^[${l}] = (W^[${l + 1}]ᵀ·dZ^[${l + 1}]) ⊙ A^[${l}](1 − A^[${l}])` }),
        table(`W^[${l + 1}]ᵀ·dZ^[${l + 1}]`, layer.WtdZ),
        check(flat(layer.WtdZ), flat(server.WtdZ)),
        table(`A^[${l}](1 − A^[${l}])`, layer.dsig),
        check(flat(layer.dsig), flat(server.dsig)),
      );
    } else parts.push(h("p", { class: "formula", text: `dZ^[${l}] = A^[${l}] − y,  y = ${vec(XOR.labels)}` }));
    parts.push(
      table(`dZ^[${l}]`, layer.dZ),
      check(flat(layer.dZ), flat(server.dZ)),
      h("p", {
        class: "formula",
        text: `∂L/∂W^[${l}] = (1/m)·dZ^[${l}]·A^[${l - 1}]ᵀ = ${layer.dW.map((row) => vec(row)).join(" ")}`,
      }),
      check(flat(layer.dW), flat(server.dW)),
      h("p", { class: "formula", text: `∂L/∂b^[${l}] = (1/m)·Σ dZ^[${l}] = ${vec(layer.db)}` }),
      check(layer.db, server.db),
    );
  }
  parts.push(h("p", { class: "formula", text: `L = ${num(ours.loss)}` }), check(ours.loss, s.loss));
  root.replaceChildren(...parts);
  $("#bp-status").textContent = t("mlp.bp.status", { k: bp.k, loss: num(s.loss), next: num(s.loss_next) });
}

async function bpStep(times = 1) {
  const bp = state.bp;
  // the server takes times − 1 steps, then shows every number of the next one
  const step = await post("/api/mlp/step", { ...XOR, params: bp.step.params_next, learning_rate: 2, steps: times });
  bp.params = step.params;
  bp.k += times;
  bp.step = step;
  renderBackprop();
}

async function bpStart() {
  const init = await post("/api/mlp/train", { dataset: "xor", n: 4, noise: 0, hidden: [2], epochs: 0, seed: 1 });
  state.bp = { start: init.params, params: init.params, k: 0, step: null };
  state.bp.step = await post("/api/mlp/step", { ...XOR, params: init.params, learning_rate: 2 });
  renderBackprop();
}

// ------------------------------------------------------------------------------------------------ controls
$("#mlp-form").addEventListener("submit", (e) => {
  e.preventDefault();
  train();
});
$("#bp-step").addEventListener("click", () => bpStep(1));
$("#bp-run").addEventListener("click", () => bpStep(100));
$("#bp-reset").addEventListener("click", () => bpStart());
onLangChange(() => {
  fillHidden();
  renderTrained();
  renderBackprop();
});
new ErrataList($("#errata"), "mlp");
train();
bpStart();
