/**
 * Detail view of the network input (the 28×28 image after preprocessing).
 * Forward: the image large, and the numbers of the 7×7 neighbourhood of the hovered pixel.
 * Backward: dL/d(input) — which pixels, made brighter, would raise (red) or lower (blue) the loss.
 */
import { fmt, h } from "../../lib/dom.js";
import { GridView } from "../../lib/grid.js";
import { accent, makeScale } from "../../lib/colors.js";
import { t } from "../../lib/i18n.js";
import { block, op } from "../../lib/formula.js";
import { mapView } from "../../lib/tensor-heatmaps.js";

const HALF = 3;

export function render(ctx) {
  const { forward, body } = ctx;
  const X = forward.input;
  const [, H, W] = X.shape;
  const c = Math.min(ctx.channel, X.shape[0] - 1);
  const gray = makeScale("gray", 0, Math.max(1, X.range().max));
  const grid = new GridView({ matrix: [[0]], compact: true, scale: gray });
  const gridTitle = h("h4");
  const views = [];
  const show = (p) => {
    const rows = [];
    for (let i = p.i - HALF; i <= p.i + HALF; i++) {
      const row = [];
      for (let j = p.j - HALF; j <= p.j + HALF; j++) row.push(i >= 0 && j >= 0 && i < H && j < W ? X.at(c, i, j) : NaN);
      rows.push(row);
    }
    gridTitle.textContent = t("lab.input.around", { i: p.i, j: p.j });
    grid.update({
      matrix: rows,
      classes: (a, b) => (a === HALF && b === HALF ? "is-strong" : null),
      format: (v) => fmt(v, 2),
    });
    for (const v of views) v.setMarks([{ top: p.i, left: p.j, bottom: p.i, right: p.j, color: accent(), width: 2 }]);
  };
  let pinned = ctx.pos && ctx.pos.i < H && ctx.pos.j < W ? ctx.pos : { i: Math.floor(H / 2), j: Math.floor(W / 2) };
  const handlers = {
    onHover: (p) => show(p ? { i: p.i, j: p.j } : pinned),
    onSelect: (p) => {
      pinned = { i: p.i, j: p.j };
      ctx.setPos(pinned);
      show(pinned);
    },
  };
  const inputView = mapView(X, c, {
    kind: "gray",
    scale: gray,
    width: 280,
    label: t("lab.input.title"),
    describe: (i, j, v) => `x[${i}, ${j}] = ${fmt(v, 3)}`,
    ...handlers,
  });
  views.push(inputView);
  const blocks = [block(t("lab.input.title"), inputView.el, h("p", { class: "hint", text: t("lab.input.hint") }))];
  if (ctx.mode === "backward") {
    const gView = mapView(ctx.backward.gradImage, c, {
      kind: "diverging",
      width: 280,
      label: "∂L/∂x",
      describe: (i, j, v) => `∂L/∂x[${i}, ${j}] = ${fmt(v)}`,
      ...handlers,
    });
    views.push(gView);
    blocks.push(
      op("→"),
      block(t("lab.input.grad_title"), gView.el, h("p", { class: "hint", text: t("lab.input.grad_hint") })),
    );
  }
  blocks.push(h("div", { class: "detail-block" }, gridTitle, grid.el));
  body.append(h("div", { class: "detail-row" }, ...blocks));
  show(pinned);
  return {
    update: (p) => {
      if (p && p.i < H && p.j < W) {
        pinned = p;
        show(p);
      }
    },
  };
}
