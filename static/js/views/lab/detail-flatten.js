/**
 * Detail view of the flatten layer: how C maps of H×W unroll into one vector of C·H·W numbers, in row-major
 * order x[c·H·W + i·W + j] = P[c, i, j]. The vector is drawn as C rows of H·W cells (row c = map c read line by
 * line), so the ordering is visible; hovering a cell on either side marks its partner and fills in the index formula.
 * Backward: the same reshape in reverse — dL/dP[c, i, j] = dL/dx[k].
 */
import { fmt, h } from "../../lib/dom.js";
import { HeatmapView } from "../../lib/heatmap.js";
import { t } from "../../lib/i18n.js";
import { unflattenIndex } from "../../lib/cnn.js";
import { layerInput } from "../../lib/trace.js";
import { block, checkMark, fillFormula, formula, layerFormula, op } from "../../lib/formula.js";
import { accent, scaleFor } from "../../lib/colors.js";

export function render(ctx) {
  const { forward, col, body, formulas } = ctx;
  const backward = ctx.mode === "backward";
  const P = backward ? ctx.backward.layers[ctx.index].gradInput : layerInput(forward, ctx.index);
  const x = backward ? ctx.backward.layers[ctx.index].gradOutput : col.output;
  if (P.ndim !== 3) {
    body.append(h("p", { class: "hint", text: t("lab.flatten.already_flat") }));
    return null;
  }
  const [C, H, W] = P.shape;
  const HW = H * W;
  const kind = backward ? "diverging" : P.range().min < 0 ? "diverging" : "sequential";
  const scale = scaleFor(kind, P.range());
  formulas.append(formula(backward ? t("lab.flatten.backward_formula") : layerFormula(col)));

  const mapViews = [];
  const mapsEl = h("div", { class: "layer-col__maps" });
  const perRow = C >= 16 ? 8 : Math.min(C, 4);
  mapsEl.style.gridTemplateColumns = `repeat(${perRow}, auto)`;
  mapsEl.style.gap = "6px";
  for (let c = 0; c < C; c++) {
    const view = new HeatmapView({
      matrix: P.matrix(c),
      scale,
      cell: Math.max(4, Math.floor(60 / W)),
      label: `P[${c}]`,
      interactive: true,
      exportable: false,
      gridLines: true,
      describe: (i, j, v) => `P[${c}, ${i}, ${j}] = ${fmt(v)} → x[${c * HW + i * W + j}]`,
      onHover: (p) => p && show(c * HW + p.i * W + p.j),
      onSelect: (p) => pin(c * HW + p.i * W + p.j),
    });
    mapViews.push(view);
    mapsEl.append(h("div", { class: "detail-block" }, h("span", { class: "hint", text: `c = ${c}` }), view.el));
  }
  // the vector, row c = the map c unrolled
  const vecView = new HeatmapView({
    matrix: { rows: C, cols: HW, get: (i, j) => x.data[i * HW + j] },
    scale,
    cell: Math.max(6, Math.min(16, Math.floor(420 / HW))),
    label: "x",
    interactive: true,
    exportable: true,
    gridLines: true,
    describe: (i, j, v) => `x[${i * HW + j}] = ${fmt(v)}`,
    onHover: (p) => p && show(p.i * HW + p.j),
    onSelect: (p) => pin(p.i * HW + p.j),
  });
  const order = h("ol", { class: "flatten-order" });
  const line = h("div", { class: "formula formula--result" });
  body.append(
    h(
      "div",
      { class: "detail-row" },
      block(t("lab.flatten.maps", { C, H, W }), mapsEl),
      op("→"),
      block(
        t("lab.flatten.vector", { n: C * HW, C, HW }),
        vecView.el,
        h("p", { class: "hint", text: t("lab.flatten.rows_hint", { HW }) }),
        h("h4", { text: t("lab.flatten.order") }),
        order,
      ),
    ),
    line,
  );

  const first = [0, 1, 2, W, HW, HW + 1, C * HW - 1];
  order.replaceChildren(
    ...first
      .filter((k, i, a) => k < C * HW && a.indexOf(k) === i)
      .map((k) => {
        const { c, i, j } = unflattenIndex(k, [C, H, W]);
        return h("li", { dataset: { k: String(k) }, text: `x[${k}] = P[${c}, ${i}, ${j}]` });
      }),
  );

  let pinned = ctx.pos ? ctx.pos.j : 0;
  function pin(k) {
    pinned = k;
    ctx.setPos({ i: 0, j: k });
    show(k);
  }
  function show(k) {
    const { c, i, j } = unflattenIndex(k, [C, H, W]);
    mapViews.forEach((v, cc) =>
      v.setMarks(cc === c ? [{ top: i, left: j, bottom: i, right: j, color: accent(), width: 2 }] : []),
    );
    vecView.setMarks([
      { top: Math.floor(k / HW), left: k % HW, bottom: Math.floor(k / HW), right: k % HW, color: accent(), width: 2 },
    ]);
    const name = backward ? "∂L/∂" : "";
    // the order is the point: the map's value at (c, i, j) must be the vector's entry k
    fillFormula(line, [
      `${name}x[${k}] = ${name}x[${c}·${HW} + ${i}·${W} + ${j}] = ${name}P[${c}, ${i}, ${j}] = `,
      { v: P.at(c, i, j) },
      " ",
    ]);
    line.append(checkMark(P.at(c, i, j), x.data[k]));
    for (const li of order.children) li.classList.toggle("is-hover", Number(li.dataset.k) === k);
  }
  show(pinned);
  return { update: (p) => p && pin(p.j) };
}
