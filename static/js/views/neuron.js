/**
 * One neuron (/neuron): the course's perceptron chapter, first half.
 *
 *   GET  /api/neuron/clouds      seeded points        POST /api/neuron/descent  the path, the loss curve, the surface
 *   POST /api/neuron/step        one step's numbers   GET  /api/neuron/scaling  the exp overflow case study
 *   GET  /api/neuron/errata      the chapter's slips
 *
 * The state is a descent: (points, start W0 b0, η, k steps). Any change asks the server for the path up to step k
 * and for the k-th step's numbers, which the browser recomputes and checks. Changing the data or η starts the
 * descent again from W0 (a descent is for one data set and one η).
 *
 * Why one file of over 400 lines: one page, one module (views/ holds one per page), its five cards all drawn from the one
 * descent state above; the shared pieces already live in lib/course.js.
 */
import "../i18n/neuron.messages.js";
import { $, h } from "../lib/dom.js";
import { get, post } from "../lib/api.js";
import { initPage } from "../lib/page.js";
import { onLangChange, t } from "../lib/i18n.js";
import { num, vec } from "../lib/numbers.js";
import { LineChart } from "../lib/chart.js";
import { PlaneView } from "../lib/plane.js";
import { cssColor, makeScale } from "../lib/colors.js";
import { drawMatrix, legend } from "../lib/heatmap.js";
import { ErrataList } from "../lib/errata.js";
import { check, line, sigmoid, softplus } from "../lib/course.js";

initPage();

const RANGE = [-4, 4];
const START = { W: [-1.5, 1], b: 0 };
const SHOWN_ROWS = 4;
const state = {
  seed: 0,
  points: [],
  labels: [],
  eta: 1,
  k: 0,
  history: [],
  surface: null,
  step: null,
  critical: null,
  token: 0,
  renders: 0, // counts the finished renders (tests wait for it)
};
window.convstepNeuron = state; // for tests and curious students

// ------------------------------------------------------------------------------------------------ the maths, here
/** The browser's own forward pass, loss and gradients (the course's vectorised formulas). */
export function neuronStep(points, labels, W, b, eta) {
  const m = points.length;
  const Z = points.map(([x1, x2]) => W[0] * x1 + W[1] * x2 + b);
  const A = Z.map(sigmoid);
  const E = A.map((a, i) => a - labels[i]);
  const loss = Z.reduce((s, z, i) => s + softplus(z) - labels[i] * z, 0) / m;
  const dW = [0, 1].map((j) => points.reduce((s, p, i) => s + p[j] * E[i], 0) / m);
  const db = E.reduce((s, e) => s + e, 0) / m;
  return { Z, A, E, loss, dW, db, W_next: W.map((w, j) => w - eta * dW[j]), b_next: b - eta * db };
}

// ------------------------------------------------------------------------------------------------ the views
const plane = new PlaneView({
  range: RANGE,
  size: 340,
  onClick: (x1, x2) => addPoint(x1, x2, Number(document.querySelector("input[name=add-class]:checked").value)),
});
$("#plane").append(plane.el);
const heavisideChart = new LineChart({ width: 260, height: 150, xLabel: "z", yLabel: "H", yMin: 0, yMax: 1 });
const sigmoidChart = new LineChart({ width: 260, height: 150, xLabel: "z", yLabel: "σ", yMin: 0, yMax: 1 });
$("#outputs").append(
  h("figure", { class: "curve-box" }, heavisideChart.el, h("figcaption", { i18n: "neuron.outputs.heaviside" })),
  h("figure", { class: "curve-box" }, sigmoidChart.el, h("figcaption", { i18n: "neuron.outputs.sigmoid" })),
);
const lossChart = new LineChart({ width: 340, height: 220 });
$("#loss-curve").append(lossChart.el);
const surfaceCanvas = h("canvas", { class: "surface__canvas", attrs: { role: "img" } });
const SURFACE = 300;
surfaceCanvas.width = SURFACE * (window.devicePixelRatio || 1);
surfaceCanvas.height = SURFACE * (window.devicePixelRatio || 1);
const surfaceLegend = legend(makeScale("sequential", 0, 1), { title: "ln L" });
$("#surface").append(
  h("div", { class: "surface" }, h("span", { class: "surface__y", i18n: "neuron.curves.w2" }), surfaceCanvas),
  h("span", { class: "surface__x", i18n: "neuron.curves.w1" }),
  surfaceLegend,
);
new ErrataList($("#errata"), "neuron");

function current() {
  return state.history[state.k] || { W: START.W, b: START.b, loss: Number.NaN, accuracy: Number.NaN };
}

function renderPlane() {
  const { W, b } = current();
  const n = 48;
  const xs = Array.from({ length: n }, (_, q) => RANGE[0] + ((RANGE[1] - RANGE[0]) * q) / (n - 1));
  const grid = xs.map((x2) => xs.map((x1) => sigmoid(W[0] * x1 + W[1] * x2 + b) - 0.5));
  plane.draw({
    points: state.points,
    labels: state.labels,
    background: { grid, xs, ys: xs, scale: makeScale("diverging", -0.5, 0.5) },
    // the previous step's boundary, dashed: the line visibly moves with each step
    lines: [
      ...(state.k > 0
        ? [
            {
              w: state.history[state.k - 1].W,
              b: state.history[state.k - 1].b,
              color: cssColor("--muted"),
              dash: [6, 4],
              width: 1.5,
            },
          ]
        : []),
      { w: W, b, color: cssColor("--ink"), width: 2.5 },
    ],
  });
  plane.setLabel(t("neuron.data.plane", { m: state.points.length }));
  const n1 = state.labels.filter((y) => y === 1).length;
  $("#data-count").textContent = t("neuron.data.count", {
    m: state.points.length,
    n0: state.points.length - n1,
    n1,
  });
}

function renderOutputs() {
  const { W, b } = current();
  const zs = state.points.map(([x1, x2]) => W[0] * x1 + W[1] * x2 + b);
  const zMax = Math.max(4, ...zs.map(Math.abs));
  const grid = Array.from({ length: 81 }, (_, q) => -zMax + (2 * zMax * q) / 80);
  const series = (f) => [
    { points: grid.map((z) => [z, f(z)]), className: "series-curve" },
    ...[0, 1].map((c) => ({
      points: zs.flatMap((z, i) => (state.labels[i] === c ? [[z, f(z)]] : [])),
      className: `series-class${c}`,
      label: `y = ${c}`,
    })),
  ];
  heavisideChart.setLabels({ title: t("neuron.outputs.heaviside") });
  sigmoidChart.setLabels({ title: t("neuron.outputs.sigmoid") });
  heavisideChart.update(series((z) => (z >= 0 ? 1 : 0)));
  sigmoidChart.update(series(sigmoid));
  if (zs.length) {
    const k = zs.reduce((best, z, i) => (Math.abs(z) < Math.abs(zs[best]) ? i : best), 0);
    $("#outputs-point").textContent = t("neuron.outputs.point", {
      k: k + 1,
      z: num(zs[k]),
      h: zs[k] >= 0 ? 1 : 0,
      a: num(sigmoid(zs[k])),
      y: state.labels[k],
    });
  }
  const correct = zs.filter((z, i) => (z >= 0 ? 1 : 0) === state.labels[i]).length;
  const trueClass = zs.reduce((s, z, i) => s + (state.labels[i] === 1 ? sigmoid(z) : 1 - sigmoid(z)), 0) / zs.length;
  $("#outputs-agree").textContent = t("neuron.outputs.agree", { m: zs.length, c: correct, p: num(trueClass, 3) });
}

function renderFormulas() {
  const root = $("#gd-formulas");
  const s = state.step;
  if (!s) return;
  const { W, b } = current();
  const ours = neuronStep(state.points, state.labels, W, b, state.eta);
  const m = state.points.length;
  const rows = Math.min(SHOWN_ROWS, m);
  const head = (arr) => arr.slice(0, rows);
  const more = m > rows ? ", …" : "";
  const Xrows = state.points
    .slice(0, rows)
    .map((p) => vec(p))
    .join(" ");
  root.replaceChildren(
    line(
      `X = [ ${Xrows}${more} ]  (${m} × 2),  W = `,
      { v: W },
      ",  b = ",
      { v: b },
      "  ",
      h("small", { text: t("neuron.gd.rows", { n: rows, m }) }),
    ),
    line("Z = X·W + b = ", { v: head(ours.Z) }, more),
    check(head(ours.Z), head(s.Z)),
    line("A = σ(Z) = ", { v: head(ours.A) }, more),
    check(head(ours.A), head(s.A)),
    line("A − y = ", { v: head(ours.E) }, more),
    check(head(ours.E), head(s.A_minus_y)),
    line("L = −(1/m)·Σ [y·ln A + (1 − y)·ln(1 − A)] = ", { v: ours.loss }),
    check(ours.loss, s.loss),
    line("∂L/∂W = (1/m)·Xᵀ·(A − y) = ", { v: ours.dW }),
    check(ours.dW, s.dW),
    line("∂L/∂b = (1/m)·Σ(A − y) = ", { v: ours.db }),
    check(ours.db, s.db),
    h("h3", { class: "gd-formulas__sub", text: t("neuron.gd.update") }),
    line("W ← W − η·∂L/∂W = ", { v: W }, ` − ${num(state.eta)} × `, { v: ours.dW }, " = ", { v: ours.W_next }),
    check(ours.W_next, s.W_next),
    line("b ← b − η·∂L/∂b = ", { v: b }, ` − ${num(state.eta)} × `, { v: ours.db }, " = ", { v: ours.b_next }),
    check(ours.b_next, s.b_next),
  );
  const c = current();
  $("#gd-status").textContent = t("neuron.gd.status", {
    k: state.k,
    W: vec(c.W),
    b: num(c.b),
    loss: num(c.loss),
    acc: `${num(100 * c.accuracy, 3)}\u00a0%`,
  });
  $("#loss-now").textContent = t("neuron.loss.now", { loss: num(s.loss), m });
}

function renderCurves() {
  const shown = state.history.slice(0, state.k + 1);
  lossChart.setLabels({
    xLabel: t("neuron.curves.step"),
    yLabel: t("neuron.curves.loss"),
    title: t("neuron.curves.loss"),
  });
  lossChart.update([{ points: shown.map((p) => [p.step, p.loss]), className: "series-loss", label: "L" }]);
  const s = state.surface;
  if (s) {
    const ctx = surfaceCanvas.getContext("2d");
    const r = window.devicePixelRatio || 1;
    ctx.setTransform(r, 0, 0, r, 0, 0);
    // colours follow ln L: the valley's floor stays readable next to the steep walls
    let lo = Infinity;
    let hi = -Infinity;
    for (const row of s.loss)
      for (const v of row) {
        lo = Math.min(lo, Math.log(v));
        hi = Math.max(hi, Math.log(v));
      }
    const scale = makeScale("sequential", lo, hi);
    const rows = s.loss.length;
    drawMatrix(
      ctx,
      { rows, cols: s.loss[0].length, get: (i, j) => Math.log(s.loss[rows - 1 - i][j]) },
      scale,
      0,
      0,
      SURFACE,
      SURFACE,
    );
    surfaceLegend.update(scale, "ln L");
    const X = (w1) => ((w1 - s.w1[0]) / (s.w1[s.w1.length - 1] - s.w1[0])) * SURFACE;
    const Y = (w2) => (1 - (w2 - s.w2[0]) / (s.w2[s.w2.length - 1] - s.w2[0])) * SURFACE;
    ctx.strokeStyle = cssColor("--surface");
    ctx.fillStyle = cssColor("--surface");
    ctx.lineWidth = 2;
    ctx.beginPath();
    shown.forEach((p, q) => (q ? ctx.lineTo(X(p.W[0]), Y(p.W[1])) : ctx.moveTo(X(p.W[0]), Y(p.W[1]))));
    ctx.stroke();
    for (const p of shown) {
      ctx.beginPath();
      ctx.arc(X(p.W[0]), Y(p.W[1]), 2.5, 0, 2 * Math.PI);
      ctx.fill();
    }
    const last = shown[shown.length - 1];
    ctx.beginPath();
    ctx.arc(X(last.W[0]), Y(last.W[1]), 5, 0, 2 * Math.PI);
    ctx.fillStyle = cssColor("--accent");
    ctx.fill();
    surfaceCanvas.setAttribute("aria-label", t("neuron.curves.surface", { b: num(s.b), k: state.k }));
  }
  const ups = shown.filter((p, q) => q > 0 && p.loss > shown[q - 1].loss + 1e-9).length;
  const critical = state.step ? state.step.critical_learning_rate : null;
  const parts = [];
  if (critical)
    parts.push(
      t("neuron.curves.critical", {
        c: num(critical, 3),
        eta: num(state.eta),
        verdict: t(ups ? "neuron.curves.bounce" : "neuron.curves.calm"),
      }),
    );
  if (ups) parts.push(t("neuron.curves.bouncing", { n: ups, k: state.k }));
  $("#critical").textContent = parts.join(" ");
}

function renderAll() {
  renderPlane();
  renderOutputs();
  renderFormulas();
  renderCurves();
  state.renders += 1;
}

// ------------------------------------------------------------------------------------------------ the server
async function refresh() {
  const token = ++state.token;
  const body = { points: state.points, labels: state.labels, W: START.W, b: START.b, learning_rate: state.eta };
  try {
    const descent = await post("/api/neuron/descent", { ...body, steps: Math.max(1, state.k), surface_size: 41 });
    if (token !== state.token) return;
    state.history = descent.history;
    state.surface = descent.surface;
    const { W, b } = current();
    const step = await post("/api/neuron/step", { ...body, W, b });
    if (token !== state.token) return;
    state.step = step;
    renderAll();
  } catch (err) {
    if (token === state.token) $("#gd-status").textContent = err.message;
  }
}

function restart() {
  state.k = 0;
  refresh();
}

function addPoint(x1, x2, y) {
  const clip = (v) => Math.round(Math.max(RANGE[0], Math.min(RANGE[1], v)) * 100) / 100;
  state.points.push([clip(x1), clip(x2)]);
  state.labels.push(y);
  restart();
}

async function loadClouds() {
  const clouds = await get("/api/neuron/clouds", { query: { seed: state.seed, n_per_class: 15 } });
  state.points = clouds.points;
  state.labels = clouds.labels;
  restart();
}

// ------------------------------------------------------------------------------------------------ the case study
async function loadScaling() {
  const root = $("#scaling");
  root.replaceChildren(h("p", { class: "hint", text: t("neuron.scaling.loading", { m: 800 }) }));
  const json = await get("/api/neuron/scaling");
  state.scaling = json;
  renderScaling();
}

function renderScaling() {
  const s = state.scaling;
  if (!s) return;
  const chart = new LineChart({
    width: 520,
    height: 220,
    xLabel: t("neuron.curves.step"),
    yLabel: t("neuron.scaling.cost"),
  });
  chart.update([
    { points: s.raw.cost.map((c, k) => [k, c]), className: "series-raw", label: t("neuron.scaling.raw") },
    { points: s.scaled.cost.map((c, k) => [k, c]), className: "series-scaled", label: t("neuron.scaling.scaled") },
  ]);
  chart.setLabels({ title: `${t("neuron.scaling.raw")} / ${t("neuron.scaling.scaled")}` });
  const key = (cls, text) => h("span", { class: ["curve-key", cls] }, text);
  $("#scaling").replaceChildren(
    h("p", {
      text: t("neuron.scaling.text", { m: s.m, n: s.n, d0: s.digits[0], d1: s.digits[1], eta: num(s.learning_rate) }),
    }),
    h(
      "figure",
      { class: "curve-box" },
      chart.el,
      h(
        "figcaption",
        {},
        key("series-raw", t("neuron.scaling.raw")),
        " · ",
        key("series-scaled", t("neuron.scaling.scaled")),
      ),
    ),
    h("p", {
      class: "scaling-raw",
      text: t("neuron.scaling.raw_stats", {
        z: num(s.raw.z_abs_max[0]),
        t: num(s.exp_overflow_threshold),
        o: s.raw.overflows[0],
        m: s.m,
        s: s.raw.saturated[0],
      }),
    }),
    h("p", {
      class: "scaling-scaled",
      text: t("neuron.scaling.scaled_stats", {
        z: num(Math.max(...s.scaled.z_abs_max)),
        o: Math.max(...s.scaled.overflows),
        s: Math.max(...s.scaled.saturated),
        c: num(s.scaled.cost[s.scaled.cost.length - 1]),
      }),
    }),
  );
}

// ------------------------------------------------------------------------------------------------ controls
function setEta(value) {
  const eta = Number(value);
  if (!(eta > 0 && eta <= 1000)) return;
  state.eta = eta;
  $("#eta").value = String(eta);
  restart();
}

$("#eta").addEventListener("change", (e) => setEta(e.target.value));
$("#gd-step").addEventListener("click", () => {
  state.k += 1;
  refresh();
});
$("#gd-run").addEventListener("click", () => {
  state.k += 10;
  refresh();
});
$("#gd-reset").addEventListener("click", restart);
$("#try-big").addEventListener("click", () => {
  setEta(60);
  state.k = 60;
  refresh();
});
$("#try-small").addEventListener("click", () => {
  setEta(1);
  state.k = 60;
  refresh();
});
$("#new-clouds").addEventListener("click", () => {
  state.seed += 1;
  loadClouds();
});
$("#reset-data").addEventListener("click", () => {
  state.seed = 0;
  loadClouds();
});
$("#add-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const y = Number(document.querySelector("input[name=add-class]:checked").value);
  addPoint(Number($("#add-x1").value), Number($("#add-x2").value), y);
});
onLangChange(() => {
  renderAll();
  renderScaling();
});

loadClouds();
loadScaling().catch((err) => $("#scaling").replaceChildren(h("p", { class: "error-box", text: err.message })));
