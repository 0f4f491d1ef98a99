/**
 * One step of the worked example (an element of GET/POST /api/worked-example's `steps`), drawn on the deck's stage:
 *
 *   renderStep(step, {visual, text, formulas}, {lang, documentInputs})
 *
 * - every input and result as a grid of numbers (vectors as columns, as the course writes them);
 * - the cells the step involves highlighted (step.highlight: the zeroed cells, the arg-max, where the gradient is
 *   routed, the changed weights...), and for the sliding operations (the convolutions, ∂L/∂f = X ∗ G, the full
 *   convolution with the rotated filter) a player that walks the positions: window ⊙ kernel = products → sum;
 * - beside each result, what the document prints, cell by cell: match (green), carried rounding of ŷ = 0.67/0.33
 *   (amber) or a real slip (red), with a badge and the explanation of every slip (step.mismatches).
 *
 *   renderErrata(result, areas, lang)   the closing summary: every slip of the document, the rounding, the code bugs
 */
import { fmt, h } from "../../lib/dom.js";
import { GridView } from "../../lib/grid.js";
import { formula, op } from "../../lib/formula.js";
import { colon, getLang, t } from "../../lib/i18n.js";
import { player } from "../../lib/player.js";

/** The document prints at most 4 decimals; so do we (1.1032, −0.6682). */
export const num = (v) => (typeof v === "number" ? fmt(Number(v.toFixed(4)), 10) : String(v));

const NAMES = {
  y_hat: "ŷ",
  exp_z: "e^z",
  dL_dz: "∂L/∂z",
  dL_dW: "∂L/∂W",
  dL_db: "∂L/∂b",
  dL_dx: "∂L/∂x",
  dL_dX: "∂L/∂X",
  dL_df1: "∂L/∂f1",
  dL_df2: "∂L/∂f2",
  relu_O1: "ReLU(O1)",
  relu_O2: "ReLU(O2)",
  max_pooling_1: "max pooling 1",
  max_pooling_2: "max pooling 2",
  argmax_1: "argmax 1",
  argmax_2: "argmax 2",
  dmax_pooling_1: "dmax pooling 1",
  dmax_pooling_2: "dmax pooling 2",
  mask_1: "1[O1 > 0]",
  mask_2: "1[O2 > 0]",
  rot180_f1: "rot180(f1)",
  rot180_f2: "rot180(f2)",
  padded_G1: "pad(G1, 1)",
  padded_G2: "pad(G2, 1)",
  X1_prime: "X′1",
  X2_prime: "X′2",
  terms: "W[i, j] · x[j]",
  eta: "η",
  z_new: "z_new",
  y_hat_new: "ŷ_new",
  loss_new: "L_new",
  loss_change: "L_new − L",
  loss: "L",
  height: "H_out",
  width: "W_out",
};
export const nameOf = (key) => NAMES[key] || key;

/** Steps where a window slides: [source matrix, kernel, result]. */
const SLIDING = {
  conv_o1: ["X", "f1", "O1"],
  conv_o2: ["X", "f2", "O2"],
  dL_df1: ["X", "G1", "dL_df1"],
  dL_df2: ["X", "G2", "dL_df2"],
  dX1: ["padded_G1", "rot180_f1", "X1_prime"],
  dX2: ["padded_G2", "rot180_f2", "X2_prime"],
};
const SKIP = new Set(["positions"]);
const STATUS_BADGE = { match: "badge--good", rounding: "badge--accent", mismatch: "badge--bad" };

const isMatrix = (v) => Array.isArray(v) && Array.isArray(v[0]);
const isVector = (v) => Array.isArray(v) && !Array.isArray(v[0]);
const samePos = (a, i, j) => a && a[0] === i && a[1] === j;
const inList = (list, i, j) => Array.isArray(list) && list.some((p) => samePos(p, i, j));

/** Static highlights of a step: key -> (i, j) -> class. */
function highlighter(step) {
  const hl = step.highlight || {};
  const rules = {};
  const add = (key, fn) => {
    rules[key] = fn;
  };
  if (hl.zeroed)
    for (const k of ["O1", "O2"]) {
      const z = hl.zeroed[k] || [];
      add(k, (i, j) => (inList(z, i, j) ? "is-highlight" : null));
      add(`relu_${k}`, rules[k]);
    }
  if (hl.argmax)
    for (const [k, m] of [
      ["O1", "ReLU(O1)"],
      ["O2", "ReLU(O2)"],
    ])
      add(m, (i, j) => (samePos(hl.argmax[k], i, j) ? "is-strong" : null));
  if (hl.routed_to)
    for (const [k, m] of [
      ["map1", "dmax_pooling_1"],
      ["map2", "dmax_pooling_2"],
    ])
      add(m, (i, j) => (samePos(hl.routed_to[k], i, j) ? "is-strong" : null));
  if (hl.blocked)
    for (const [k, m] of [
      ["map1", "G1"],
      ["map2", "G2"],
    ])
      add(m, (i, j) => (inList(hl.blocked[k], i, j) ? "is-dim" : null));
  if (hl.gradient && hl.nonzero) add(hl.gradient, (i, j) => (inList(hl.nonzero, i, j) ? "is-strong" : null));
  if (hl.padded_gradient && hl.nonzero)
    add(SLIDING[step.id][2], (i, j) => (inList(hl.nonzero, i, j) ? "is-highlight" : null));
  if (hl.changed) {
    const fn = (i, j) => (inList(hl.changed, i, j) ? "is-highlight" : null);
    for (const key of [...Object.keys(step.inputs), ...Object.keys(step.values)])
      if (/^(f\d|f\d_new|dL_df\d)$/.test(key)) add(key, fn);
  }
  return rules;
}

/** A value as a grid (matrix, or vector as a column), or as text for scalars and positions. */
function valueView(key, value, classes) {
  if (key.startsWith("argmax")) return { el: h("span", { class: "example-scalar", text: `(${value.join(", ")})` }) };
  if (isMatrix(value) || isVector(value)) {
    const grid = new GridView({ matrix: value, format: num, classes: classes || null });
    return { el: grid.el, grid };
  }
  return { el: h("span", { class: "example-scalar", text: num(value) }) };
}

function documentView(comp) {
  const status = comp.cell_status;
  const values = isMatrix(comp.document) || isVector(comp.document) ? comp.document : [[comp.document]];
  const cellStatus = (i, j) => {
    if (typeof status === "string") return status;
    return isMatrix(comp.document) ? status[i][j] : status[i];
  };
  const grid = new GridView({ matrix: values, format: num, classes: (i, j) => `doc-${cellStatus(i, j)}` });
  const badge = h("span", {
    class: ["badge", STATUS_BADGE[comp.status]],
    dataset: { status: comp.status },
    text: t(`example.badge.${comp.status}`),
  });
  return h(
    "div",
    { class: "detail-block example-doc", dataset: { role: "document", key: comp.key, name: comp.name } },
    h(
      "h4",
      {},
      h("span", { text: t("example.document_prints", { name: comp.label?.[getLang()] ?? comp.name }) }),
      " ",
      badge,
    ),
    grid.el,
  );
}

/** A quote of the document or a formula, with the reader's numbers when the server wrote them. */
const quoted = (e, field, lang) => e[`${field}_text`]?.[lang] ?? String(e[field]);

function slipView(m, lang) {
  const explanation = m.explanation ? m.explanation[lang] || m.explanation.en : "";
  const what =
    m.kind === "value"
      ? t("example.slip.value", {
          name: m.label?.[lang] ?? m.name,
          index: m.index ? `[${m.index.join(", ")}]` : "",
          doc: num(m.document),
          ours: num(m.computed),
        })
      : null;
  return h(
    "li",
    { class: "example-slip", dataset: { kind: m.kind, name: m.name } },
    h("span", { class: "badge badge--bad", text: t(`example.kind.${m.kind}`) }),
    " ",
    what
      ? h("strong", { text: what })
      : h(
          "span",
          {},
          h("s", { class: "example-slip__doc", text: quoted(m, "document", lang) }),
          " → ",
          h("code", { text: quoted(m, "computed", lang) }),
        ),
    h("p", { text: explanation }),
  );
}

export function renderStep(step, { visual, text, formulas }, { lang, comparing }) {
  const rules = highlighter(step);
  const grids = {};
  const inputs = Object.entries(step.inputs).filter(([k]) => !SKIP.has(k));
  const values = Object.entries(step.values).filter(([k]) => !SKIP.has(k));
  const comparisons = step.comparisons || [];

  // a result (or an input the document prints again, like ∂L/∂f1 in the update) with what the document prints beside it
  const entry =
    (role) =>
    ([key, value]) => {
      const v = valueView(key, value, rules[key]);
      if (v.grid) grids[key] = v.grid;
      const own = h("div", { class: "detail-block", dataset: { role, key } }, h("h4", { text: nameOf(key) }), v.el);
      const docs = comparisons
        .filter((c) => c.key === key && (role === "value" || !(key in step.values)))
        .map(documentView);
      return docs.length ? h("div", { class: "example-compare" }, own, ...docs) : own;
    };
  const inputBlocks = inputs.map(entry("input"));
  const valueBlocks = values.map(entry("value"));
  visual.append(
    h(
      "div",
      { class: "stage-row example-flow" },
      h("div", { class: "example-group" }, inputBlocks),
      op("→"),
      h("div", { class: "example-group" }, valueBlocks),
    ),
  );

  // the sliding window, position by position
  const sliding = SLIDING[step.id];
  const positions = step.values.positions;
  if (sliding && Array.isArray(positions) && positions.length) {
    const [srcKey, kernelKey, outKey] = sliding;
    const kernel = step.inputs[kernelKey] || step.values[kernelKey] || step.highlight?.rotated_kernel;
    const win = new GridView({ matrix: [[0]], format: num, caption: t("example.window") });
    const ker = new GridView({ matrix: kernel, format: num, caption: nameOf(kernelKey) });
    const prod = new GridView({ matrix: [[0]], format: num, caption: t("example.products") });
    const sum = h("span", { class: "calc__result" });
    let k = 0;
    const anim = player({
      count: () => positions.length,
      get: () => k,
      set: (q) => show(q),
      label: t("example.slide"),
    });
    function show(q) {
      k = q;
      const p = positions[q];
      const [r0, r1] = p.rows;
      const [c0, c1] = p.cols;
      const srcRule = rules[srcKey];
      if (grids[srcKey])
        grids[srcKey].update({
          classes: (i, j) =>
            i >= r0 && i <= r1 && j >= c0 && j <= c1 ? "is-highlight" : srcRule ? srcRule(i, j) : null,
        });
      if (grids[outKey])
        grids[outKey].update({
          classes: (i, j) => (samePos(p.output, i, j) ? "is-strong" : rules[outKey] ? rules[outKey](i, j) : null),
        });
      win.update({ matrix: p.window });
      prod.update({ matrix: p.products });
      sum.textContent = `Σ = ${num(p.sum)}  →  ${nameOf(outKey)}[${p.output.join(", ")}]`;
      anim.setText(`${q + 1} / ${positions.length}`);
    }
    visual.append(
      h(
        "div",
        { class: "detail-block example-slide", dataset: { role: "slide" } },
        h("div", { class: "stage-row" }, win.el, op("⊙"), ker.el, op("="), prod.el, op("→"), sum),
        anim,
      ),
    );
    show(0);
  }

  // the document: values it prints are compared beside each result; its slips are explained
  text.append(h("p", { text: step.explanation[lang] || step.explanation.en }));
  if (!comparing) text.append(h("p", { class: "note", text: t("example.edited_note") }));
  else if (comparisons.length || (step.mismatches || []).length) {
    const worst = comparisons.reduce(
      (w, c) =>
        ["match", "rounding", "mismatch"].indexOf(c.status) > ["match", "rounding", "mismatch"].indexOf(w)
          ? c.status
          : w,
      "match",
    );
    const slips = step.mismatches || [];
    if (worst === "rounding") text.append(h("p", { class: "hint", text: t("example.rounding_hint") }));
    if (slips.length)
      text.append(
        h(
          "ul",
          { class: "example-slips" },
          slips.map((m) => slipView(m, lang)),
        ),
      );
    else if (worst === "match") text.append(h("p", { class: "example-ok", text: t("example.all_match") }));
  }
  formulas.append(formula(step.formula));
}

/** The last page: the document's slips gathered, and the bugs of its code (sections V–VI). */
export function renderErrata(result, { visual, text, formulas }, lang) {
  const items = result.errata.map((e) => {
    const explanation = e.explanation ? e.explanation[lang] || e.explanation.en : "";
    const docText =
      typeof e.document === "string"
        ? quoted(e, "document", lang)
        : typeof e.document === "number"
          ? num(e.document)
          : null;
    const ours =
      typeof e.computed === "string"
        ? quoted(e, "computed", lang)
        : typeof e.computed === "number"
          ? num(e.computed)
          : null;
    return h(
      "li",
      { class: "example-slip", dataset: { kind: e.kind, name: e.name } },
      h("span", {
        class: ["badge", e.kind === "rounding" ? "badge--accent" : "badge--bad"],
        text: t(`example.kind.${e.kind}`),
      }),
      " ",
      h("strong", { text: `${e.section} · ${e.label?.[lang] ?? e.name}` }),
      docText !== null
        ? h(
            "span",
            {},
            colon(),
            h("s", { class: "example-slip__doc", text: docText }),
            " → ",
            h("code", { text: ours }),
          )
        : null,
      h("p", { text: explanation }),
    );
  });
  visual.append(h("ol", { class: "example-errata" }, items));
  text.append(h("p", { text: t("example.errata.text", { n: result.errata.length }) }));
  formulas.append(formula(t("example.errata.formula")));
}
