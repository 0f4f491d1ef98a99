/**
 * Detail view of a fully-connected layer (and of dropout, which is the identity at inference).
 * Forward: z_i = Σ_j W[i, j]·x[j] + b_i for a chosen neuron i: the input x, the weight row W[i], their products,
 * the strongest contributions as signed bars, the rest summed, + bias = z_i (checked against the server's).
 * fc1's weights (48,000) are not in the trace: the row is fetched from GET /api/models/{id}/params/{layer}/W?row=i.
 * Backward: dL/dz_i, the gradient row dL/dW[i, :] = dL/dz_i · x (computed here for fc1, whose gradient is too big
 * to ship), dL/db_i = dL/dz_i, dL/dx = Wᵀ·dL/dz; "check this gradient" on any of the strongest weights.
 */
import { fmt, h } from "../../lib/dom.js";
import { t } from "../../lib/i18n.js";
import { denseTerms, unflattenIndex } from "../../lib/cnn.js";
import { Tensor } from "../../lib/tensor.js";
import { layerInput } from "../../lib/trace.js";
import { linkedViews } from "./detail-activation.js";
import { argmax, argmaxAbs } from "../../lib/argmax.js";
import { block, checkMark, fillFormula, formula, layerFormula, op } from "../../lib/formula.js";
import { vectorView } from "../../lib/tensor-heatmaps.js";

const TOP_TERMS = 8;

export function render(ctx) {
  if (ctx.col.type === "dropout") return renderDropout(ctx);
  return ctx.mode === "backward" ? renderBackward(ctx) : renderForward(ctx);
}

/** "x[137] = P[5, 2, 2]" when the input of this layer came out of a flatten. */
function originOf(ctx, j) {
  const prev = ctx.forward.layers[ctx.index - 1];
  if (prev?.type !== "flatten" || prev.inputShape.length !== 3) return "";
  const { c, i, j: jj } = unflattenIndex(j, prev.inputShape);
  return ` = P[${c}, ${i}, ${jj}]`;
}

function neuronPicker(count, current, onPick) {
  const input = h("input", {
    type: "number",
    min: "0",
    max: String(count - 1),
    value: String(current),
    attrs: { "aria-label": t("lab.dense.neuron") },
  });
  input.addEventListener("change", () => {
    const v = Math.max(0, Math.min(count - 1, Math.round(Number(input.value) || 0)));
    onPick(v);
  });
  const step = (d, text) =>
    h("button", {
      type: "button",
      class: "btn btn--small",
      text,
      attrs: { "aria-label": t(d < 0 ? "lab.dense.prev" : "lab.dense.next") },
      on: { click: () => onPick((Number(input.value) + d + count) % count) },
    });
  const el = h(
    "div",
    { class: "player" },
    h("span", { text: t("lab.dense.neuron") }),
    step(-1, "◀"),
    input,
    step(1, "▶"),
  );
  el.set = (v) => {
    input.value = String(v);
  };
  return el;
}

async function weightRow(ctx, i) {
  const W = ctx.col.params.W;
  if (W?.data) return new Tensor(W.data.subarray(i * W.shape[1], (i + 1) * W.shape[1]), [W.shape[1]]);
  return ctx.paramRow(ctx.col.name, "W", i);
}

function termRow(label, value, maxAbs, extra = null) {
  const fill = h("div", { class: ["term__fill", value >= 0 ? "is-pos" : "is-neg"] });
  const frac = Math.min(1, Math.abs(value) / (maxAbs || 1)) * 50;
  fill.style.width = `${frac}%`;
  if (value < 0) fill.style.left = `${50 - frac}%`;
  return h(
    "div",
    { class: "term" },
    extra || h("span", { text: label }),
    h("div", { class: "term__bar" }, fill),
    h("span", { text: fmt(value) }),
  );
}

// ------------------------------------------------------------------------------------------------ forward
function renderForward(ctx) {
  const { forward, col, body, formulas } = ctx;
  const x = layerInput(forward, ctx.index);
  const z = col.output;
  const b = col.params.b;
  const n = z.size;
  let neuron = ctx.pos && ctx.pos.j < n ? ctx.pos.j : argmax(z.data);
  formulas.append(formula(layerFormula(col)));

  const zView = vectorView(z, {
    kind: "diverging",
    cell: 12,
    label: "z",
    describe: (k, v) => `z[${k}] = ${fmt(v)}`,
    onSelect: (k) => pick(k, true),
  });
  const xView = vectorView(x, { cell: 10, label: "x", describe: (k, v) => `x[${k}]${originOf(ctx, k)} = ${fmt(v)}` });
  const wSlot = h("div");
  const pSlot = h("div");
  const picker = neuronPicker(n, neuron, (k) => pick(k, true));
  const terms = h("div", { class: "terms-list" });
  const line = h("div", { class: "formula formula--result" });
  const check = h("div");
  const wTitle = h("h4");
  body.append(
    picker,
    h(
      "div",
      { class: "detail-row" },
      block(t("lab.dense.x", { n: x.size }), xView.el),
      op("⊙"),
      h("div", { class: "detail-block" }, wTitle, wSlot),
      op("="),
      block(t("lab.dense.products"), pSlot),
      op("→"),
      block(t("lab.dense.z", { n }), zView.el, h("p", { class: "hint", text: t("lab.dense.z_hint") })),
    ),
    h(
      "div",
      { class: "detail-row" },
      block(t("lab.dense.top", { k: TOP_TERMS }), terms),
      h("div", { class: "detail-block" }, line, check),
    ),
  );

  let token = 0;
  async function pick(k, persist) {
    neuron = k;
    picker.set(k);
    if (persist) ctx.setPos({ i: 0, j: k });
    zView.markIndex(k);
    wTitle.textContent = `W[${k}, :]`;
    const mine = ++token;
    wSlot.replaceChildren(h("span", { class: "hint", text: t("lab.status.working") }));
    let row;
    try {
      row = await weightRow(ctx, k);
    } catch (err) {
      if (mine === token) wSlot.replaceChildren(h("span", { class: "error-box", text: err.message }));
      return;
    }
    if (mine !== token) return;
    const r = denseTerms(row.data, x.data, b ? b.at(k) : 0);
    const wView = vectorView(row, {
      kind: "diverging",
      cell: 10,
      label: `W[${k}]`,
      describe: (j, v) => `W[${k}, ${j}] = ${fmt(v)}`,
    });
    const prods = new Tensor(
      Float32Array.from(r.terms, (tt) => tt.product),
      [r.terms.length],
    );
    const pView = vectorView(prods, {
      kind: "diverging",
      cell: 10,
      label: `W[${k}]·x`,
      describe: (j, v) => `W[${k}, ${j}]·x[${j}] = ${fmt(row.data[j], 3)} × ${fmt(x.data[j], 3)} = ${fmt(v)}`,
    });
    wSlot.replaceChildren(wView.el);
    pSlot.replaceChildren(pView.el);
    const top = r.sorted.slice(0, TOP_TERMS);
    const rest = r.sum - top.reduce((a, tt) => a + tt.product, 0);
    const maxAbs = Math.max(...top.map((tt) => Math.abs(tt.product)), Math.abs(rest), Math.abs(r.bias));
    terms.replaceChildren(
      ...top.map((tt) =>
        termRow(
          `W·x[${tt.j}]${originOf(ctx, tt.j)}`,
          tt.product,
          maxAbs,
          h("span", {
            title: `${fmt(tt.w)} × ${fmt(tt.x)}`,
            text: `[${tt.j}]${originOf(ctx, tt.j)} ${fmt(tt.w, 3)}×${fmt(tt.x, 3)}`,
          }),
        ),
      ),
      termRow(t("lab.dense.others", { n: r.terms.length - top.length }), rest, maxAbs),
      termRow("b", r.bias, maxAbs),
    );
    fillFormula(line, [
      `z[${k}] = Σ`,
      { sub: "j" },
      ` W[${k}, j]·x[j] + b[${k}] = `,
      { v: r.sum },
      " + ",
      { v: r.bias },
      " = ",
      { v: r.z },
    ]);
    check.replaceChildren(checkMark(r.z, z.data[k]));
  }
  pick(neuron, false);
  return { update: (p) => p && p.j < n && p.j !== neuron && pick(p.j, false) };
}

// ------------------------------------------------------------------------------------------------ backward
function renderBackward(ctx) {
  const { forward, backward, col, body, formulas } = ctx;
  const bl = backward.layers[ctx.index];
  const x = layerInput(forward, ctx.index);
  const dz = bl.gradOutput;
  const dx = bl.gradInput;
  const dW = bl.grads.W;
  const db = bl.grads.b;
  const n = dz.size;
  let neuron = ctx.pos && ctx.pos.j < n ? ctx.pos.j : argmaxAbs(dz.data);
  formulas.append(
    formula(t("lab.dense.dw_formula")),
    formula(t("lab.dense.db_formula")),
    formula(t("lab.dense.dx_formula")),
  );

  const dzView = vectorView(dz, {
    kind: "diverging",
    cell: 12,
    label: "∂L/∂z",
    describe: (k, v) => `∂L/∂z[${k}] = ${fmt(v)}`,
    onSelect: (k) => pick(k, true),
  });
  const dxView = vectorView(dx, {
    kind: "diverging",
    cell: 10,
    label: "∂L/∂x",
    describe: (k, v) => `∂L/∂x[${k}]${originOf(ctx, k)} = ${fmt(v)}`,
  });
  const picker = neuronPicker(n, neuron, (k) => pick(k, true));
  const rowSlot = h("div");
  const rowTitle = h("h4");
  const line = h("div", { class: "formula formula--result" });
  const bLine = h("div", { class: "formula" });
  const note = h("p", { class: "hint" });
  const terms = h("div", { class: "terms-list" });
  const gc = ctx.gradcheckBox();
  body.append(
    picker,
    h(
      "div",
      { class: "detail-row" },
      block(t("lab.dense.dz", { n }), dzView.el, h("p", { class: "hint", text: t("lab.dense.z_hint") })),
      op("×"),
      block(t("lab.dense.x", { n: x.size }), vectorView(x, { cell: 10, label: "x" }).el),
      op("="),
      h("div", { class: "detail-block" }, rowTitle, rowSlot, note),
      block(t("lab.dense.dx", { n: dx.size }), dxView.el),
    ),
    h(
      "div",
      { class: "detail-row" },
      block(
        t("lab.dense.top_grad", { k: TOP_TERMS }),
        terms,
        h("p", { class: "hint", text: t("lab.dense.check_hint") }),
      ),
      h("div", { class: "detail-block" }, line, bLine, gc),
    ),
  );

  function pick(k, persist) {
    neuron = k;
    picker.set(k);
    if (persist) ctx.setPos({ i: 0, j: k });
    dzView.markIndex(k);
    const g = dz.data[k];
    const row = new Tensor(
      Float32Array.from(x.data, (v) => g * v),
      [x.size],
    );
    rowTitle.textContent = `∂L/∂W[${k}, :]`;
    rowSlot.replaceChildren(
      vectorView(row, {
        kind: "diverging",
        cell: 10,
        label: `dL/dW[${k}]`,
        describe: (j, v) => `∂L/∂W[${k}, ${j}] = ${fmt(g, 3)} × ${fmt(x.data[j], 3)} = ${fmt(v)}`,
      }).el,
    );
    const serverRow = dW?.data ? dW.data.subarray(k * x.size, (k + 1) * x.size) : null;
    note.textContent = serverRow ? "" : t("lab.dense.computed_here", { n: dW ? dW.size : 0 });
    const order = Array.from(row.data.keys())
      .sort((a, bb) => Math.abs(row.data[bb]) - Math.abs(row.data[a]))
      .slice(0, TOP_TERMS);
    const maxAbs = Math.abs(row.data[order[0]]) || 1;
    terms.replaceChildren(
      ...order.map((j) =>
        termRow(
          "",
          row.data[j],
          maxAbs,
          h("button", {
            type: "button",
            class: "gc-term",
            text: `∂L/∂W[${k}, ${j}]${originOf(ctx, j)}`,
            attrs: { title: t("lab.gc.button", { name: `W[${k}, ${j}]` }) },
            on: { click: () => gc.run(col.name, "W", [k, j]) },
          }),
        ),
      ),
    );
    const j0 = order[0];
    fillFormula(line, [
      `∂L/∂W[${k}, ${j0}] = ∂L/∂z[${k}] · x[${j0}] = `,
      { v: g },
      " × ",
      { v: x.data[j0] },
      " = ",
      { v: row.data[j0] },
      " ",
    ]);
    if (serverRow) line.append(checkMark(row.data[j0], serverRow[j0]));
    fillFormula(bLine, [`∂L/∂b[${k}] = ∂L/∂z[${k}] = `, { v: g }, " "]);
    if (db?.data) bLine.append(checkMark(g, db.data[k]));
  }
  pick(neuron, false);
  return { update: (p) => p && p.j < n && p.j !== neuron && pick(p.j, false) };
}

// ------------------------------------------------------------------------------------------------ dropout
function renderDropout(ctx) {
  const { forward, col, body, formulas } = ctx;
  const backward = ctx.mode === "backward";
  const bl = backward ? ctx.backward.layers[ctx.index] : null;
  const before = backward ? bl.gradOutput : layerInput(forward, ctx.index);
  const after = backward ? bl.gradInput : col.output;
  formulas.append(formula(layerFormula(col)));
  const line = h("div", { class: "formula formula--result" });
  const label = backward ? ["∂L/∂y", "∂L/∂x"] : ["x", "y"];
  const linked = linkedViews(
    ctx,
    [
      { tensor: before, label: label[0] },
      { tensor: after, label: label[1] },
    ],
    {
      onPosition: (p) => fillFormula(line, [`${label[1]}[${p.j}] = ${label[0]}[${p.j}] = `, { v: after.data[p.j] }]),
    },
  );
  body.append(
    h("p", { class: "note", text: t("lab.dropout.note", { p: Math.round((col.config.rate ?? 0) * 100) }) }),
    h(
      "div",
      { class: "detail-row" },
      block(label[0], linked.views[0].el),
      op("="),
      block(label[1], linked.views[1].el),
    ),
    line,
  );
  linked.move(ctx.pos || { i: 0, j: 0 });
  return { update: (p) => p && linked.pin(p) };
}
