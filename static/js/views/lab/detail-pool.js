/**
 * Detail view of a pooling layer.
 * Forward: the input map cut into windows, each window's maximum marked, the pooled map; hover an output (or an
 * input pixel) to see its window's values, the chosen maximum (or the mean / sum), and the output-size formula.
 * Backward: routing — each output gradient goes back to the position that was the maximum; the other cells of
 * the window get 0.
 */
import { fmt, h } from "../../lib/dom.js";
import { GridView } from "../../lib/grid.js";
import { accent, makeScale } from "../../lib/colors.js";
import { t } from "../../lib/i18n.js";
import { poolAt } from "../../lib/cnn.js";
import { layerInput } from "../../lib/trace.js";
import { receptiveFieldBlock } from "./receptive-field.js";
import { block, checkMark, fillFormula, formula, layerFormula, op, sizeFormula } from "../../lib/formula.js";
import { mapView } from "../../lib/tensor-heatmaps.js";

const MODES = { maxpool: "max", avgpool: "avg", sumpool: "sum" };

export function render(ctx) {
  const { forward, col, body, formulas } = ctx;
  const mode = MODES[col.type] || "max";
  const c = ctx.channel;
  const X = layerInput(forward, ctx.index);
  const P = col.output;
  const g = col.geometry;
  const [, Ho, Wo] = P.shape;
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const argmaxT = col.extra.argmax; // (C, Ho, Wo, 2): input coordinates of each maximum
  const backward = ctx.mode === "backward";
  const bl = backward ? ctx.backward.layers[ctx.index] : null;

  formulas.append(formula(layerFormula(col)), sizeFormula(col));
  if (backward) formulas.append(formula(t(mode === "max" ? "lab.pool.backward_formula" : "lab.pool.backward_avg")));

  const big = backward ? bl.gradInput : X;
  const small = backward ? bl.gradOutput : P;
  const bigView = mapView(big, c, {
    kind: backward ? "diverging" : "sequential",
    width: 224,
    label: backward ? "∂L/∂X" : "X",
    describe: (i, j, v) => `${backward ? "∂L/∂X" : "X"}[${c}, ${i}, ${j}] = ${fmt(v)}`,
    onHover: (p) => p && show(outputOf(p.i, p.j), false),
    onSelect: (p) => pin(outputOf(p.i, p.j)),
  });
  const smallView = mapView(small, c, {
    kind: backward ? "diverging" : "sequential",
    width: 168,
    label: backward ? "∂L/∂P" : "P",
    describe: (i, j, v) => `${backward ? "∂L/∂P" : "P"}[${c}, ${i}, ${j}] = ${fmt(v)}`,
    onHover: (p) => p && show({ i: p.i, j: p.j }, false),
    onSelect: (p) => pin({ i: p.i, j: p.j }),
  });
  const windowGrid = new GridView({ matrix: [[0]], compact: false });
  const line = h("div", { class: "formula formula--result" });
  const check = h("div");
  const rf = receptiveFieldBlock(ctx);
  const bigBlock = block(backward ? t("lab.pool.grad_in") : t("lab.pool.input", { c }), bigView.el);
  const smallBlock = block(backward ? t("lab.pool.grad_out") : t("lab.pool.output", { c }), smallView.el);
  body.append(
    h(
      "div",
      { class: "detail-row" },
      ...(backward ? [smallBlock, op("→"), bigBlock] : [bigBlock, op("→"), smallBlock]),
      rf,
    ),
    h(
      "div",
      { class: "detail-row calc" },
      block(t("lab.pool.window"), windowGrid.el),
      h("div", { class: "detail-block" }, line, check),
    ),
  );

  // every window, and its maximum, on the big map
  const baseMarks = [];
  for (let i = 0; i < Ho; i++) {
    for (let j = 0; j < Wo; j++) {
      baseMarks.push({
        top: i * sh,
        left: j * sw,
        bottom: i * sh + kh - 1,
        right: j * sw + kw - 1,
        color: "rgba(255,255,255,0.35)",
        width: 1,
      });
      // mark the maximum of every window that saw some signal (in an all-zero window every cell is "the max")
      if (argmaxT && mode === "max" && P.at(c, i, j) > 0) {
        const r = argmaxT.at(c, i, j, 0);
        const s = argmaxT.at(c, i, j, 1);
        baseMarks.push({ top: r, left: s, bottom: r, right: s, color: "rgba(255,255,255,0.9)", width: 1, inset: 1 });
      }
    }
  }

  function outputOf(r, s) {
    return { i: Math.min(Ho - 1, Math.floor(r / sh)), j: Math.min(Wo - 1, Math.floor(s / sw)) };
  }

  let pinned = ctx.pos && ctx.pos.i < Ho && ctx.pos.j < Wo ? ctx.pos : { i: Math.floor(Ho / 2), j: Math.floor(Wo / 2) };
  function pin(p) {
    pinned = p;
    ctx.setPos(p);
    show(p, true);
  }

  function show(p) {
    const r = poolAt(X, c, p.i, p.j, g, mode);
    const [am, an] = r.argmax;
    bigView.setMarks([
      ...baseMarks,
      { top: r.top, left: r.left, bottom: r.top + kh - 1, right: r.left + kw - 1, color: accent(), width: 3 },
    ]);
    smallView.setMarks([{ top: p.i, left: p.j, bottom: p.i, right: p.j, color: accent(), width: 2 }]);
    rf.show(ctx.index, p.i, p.j);
    windowGrid.update({
      matrix: r.window,
      scale: makeScale("sequential", 0, Math.max(1e-6, X.range().max)),
      caption: `X[${c}, ${r.top}…${r.top + kh - 1}, ${r.left}…${r.left + kw - 1}]`,
      classes: (m, n) => (mode === "max" && m === am && n === an ? "is-strong" : null),
    });
    const values = r.window
      .flat()
      .map((v) => fmt(v, 3))
      .join(", ");
    if (backward) {
      const gOut = bl.gradOutput.at(c, p.i, p.j);
      if (mode === "max") {
        fillFormula(line, [
          `∂L/∂X[${c}, ${r.top + am}, ${r.left + an}] = ∂L/∂P[${c}, ${p.i}, ${p.j}] = `,
          { v: gOut },
          ` ; ${t("lab.pool.others_zero", { n: kh * kw - 1 })}`,
        ]);
        check.replaceChildren(checkMark(gOut, bl.gradInput.at(c, r.top + am, r.left + an)));
      } else {
        const share = mode === "avg" ? gOut / (kh * kw) : gOut;
        fillFormula(line, [`∂L/∂X = ∂L/∂P${mode === "avg" ? ` / ${kh * kw}` : ""} = `, { v: share }]);
        check.replaceChildren();
      }
      return;
    }
    const fn = mode === "max" ? "max" : mode === "avg" ? t("lab.pool.mean") : "Σ";
    fillFormula(line, [`P[${c}, ${p.i}, ${p.j}] = ${fn}(${values}) = `, { v: r.output }]);
    check.replaceChildren(checkMark(r.output, P.at(c, p.i, p.j)));
  }
  show(pinned);
  return {
    update: (p) => {
      if (p && p.i < Ho && p.j < Wo) {
        pinned = p;
        show(p);
      }
    },
  };
}
