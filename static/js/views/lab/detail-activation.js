/**
 * Detail view of an activation layer (ReLU, and the other element-wise activations).
 * Forward: before → after for the selected map (or the whole vector), negatives zeroed, the share of zeros;
 * hovering a value shows max(0, x) with its number in both views.
 * Backward: dL/dy × the ReLU mask 1[x > 0] = dL/dx: the gradient only flows where the unit was active.
 */
import { fmt, h, pct } from "../../lib/dom.js";
import { t } from "../../lib/i18n.js";
import { Tensor } from "../../lib/tensor.js";
import { layerInput, isMaps } from "../../lib/trace.js";
import { receptiveFieldBlock } from "./receptive-field.js";
import { block, checkMark, fillFormula, formula, layerFormula, op } from "../../lib/formula.js";
import { mapView, vectorView } from "../../lib/tensor-heatmaps.js";
import { accent } from "../../lib/colors.js";

/** Views of the same position in several tensors, hovering one marks the others. */
export function linkedViews(ctx, tensors, { onPosition }) {
  const maps = isMaps(tensors[0].tensor);
  const c = ctx.channel;
  const views = tensors.map(({ tensor, kind, label }) =>
    maps
      ? mapView(tensor, c, {
          kind,
          width: 196,
          label,
          describe: (i, j, v) => `${label}[${i}, ${j}] = ${fmt(v)}`,
          onHover: (p) => move(p && { i: p.i, j: p.j }),
          onSelect: (p) => pin({ i: p.i, j: p.j }),
        })
      : vectorView(tensor, {
          kind,
          cell: 11,
          label,
          describe: (k, v) => `${label}[${k}] = ${fmt(v)}`,
          onHover: (k) => move(k === null ? null : { i: 0, j: k }),
          onSelect: (k) => pin({ i: 0, j: k }),
        }),
  );
  let pinned = ctx.pos || null;
  function move(p) {
    const q = p || pinned;
    for (const v of views) {
      if (!q) v.setMarks([]);
      else if (maps) v.setMarks([{ top: q.i, left: q.j, bottom: q.i, right: q.j, color: accent(), width: 2 }]);
      else v.markIndex(q.j);
    }
    if (q) onPosition(q);
  }
  function pin(p) {
    pinned = p;
    ctx.setPos(p);
    move(p);
  }
  return {
    views,
    maps,
    move,
    pin,
    get pinned() {
      return pinned;
    },
  };
}

export function render(ctx) {
  const { forward, col, body, formulas } = ctx;
  const x = layerInput(forward, ctx.index);
  const y = col.output;
  const maps = isMaps(y);
  const c = ctx.channel;
  const isRelu = col.type === "relu";
  const at = (tensor, p) => (maps ? tensor.at(c, p.i, p.j) : tensor.data[p.j]);
  const name = (p) => (maps ? `[${c}, ${p.i}, ${p.j}]` : `[${p.j}]`);
  const line = h("div", { class: "formula formula--result" });
  formulas.append(formula(layerFormula(col)));

  const rf = maps ? receptiveFieldBlock(ctx) : null;
  const slice = (tensor) => (maps ? tensor.channel(c).data : tensor.data);
  const zeros = slice(y).reduce((a, v) => a + (v === 0 ? 1 : 0), 0) / slice(y).length;
  const negatives = slice(x).reduce((a, v) => a + (v < 0 ? 1 : 0), 0);

  if (ctx.mode === "backward") {
    const bl = ctx.backward.layers[ctx.index];
    const gy = bl.gradOutput;
    const gx = bl.gradInput;
    const mask = new Tensor(
      Float32Array.from(x.data, (v) => (isRelu ? (v > 0 ? 1 : 0) : NaN)),
      x.shape,
    );
    formulas.append(formula(isRelu ? t("lab.relu.backward_formula") : t("lab.relu.backward_generic")));
    const tensors = [{ tensor: gy, kind: "diverging", label: "∂L/∂y" }];
    if (isRelu) tensors.push({ tensor: mask, kind: "gray", label: "1[x>0]" });
    tensors.push({ tensor: gx, kind: "diverging", label: "∂L/∂x" });
    const linked = linkedViews(ctx, tensors, {
      onPosition: (p) => {
        if (rf) rf.show(ctx.index, p.i, p.j);
        const parts = [`∂L/∂x${name(p)} = ∂L/∂y · `];
        const ours = at(gy, p) * (at(x, p) > 0 ? 1 : 0);
        if (isRelu)
          parts.push(
            `1[x > 0] = `,
            { v: at(gy, p) },
            " · ",
            { v: String(at(x, p) > 0 ? 1 : 0) },
            ` (x = ${fmt(at(x, p))})`,
            " = ",
            { v: ours },
            " ",
          );
        else parts.push("f′(x) = ", { v: at(gx, p) });
        fillFormula(line, parts);
        if (isRelu) line.append(checkMark(ours, at(gx, p)));
      },
    });
    const blocks = [block(t("lab.relu.grad_out"), linked.views[0].el), op("×")];
    if (isRelu)
      blocks.push(
        block(
          t("lab.relu.mask"),
          linked.views[1].el,
          h("p", { class: "hint", text: t("lab.relu.mask_hint", { p: pct(1 - zeros) }) }),
        ),
        op("="),
      );
    blocks.push(block(t("lab.relu.grad_in"), linked.views[linked.views.length - 1].el));
    body.append(h("div", { class: "detail-row" }, ...blocks, rf), line);
    linked.move(ctx.pos || firstActive(x, maps, c));
    return { update: (p) => p && linked.pin(p) };
  }

  const linked = linkedViews(
    ctx,
    [
      { tensor: x, kind: "diverging", label: "x" },
      { tensor: y, kind: isRelu ? "sequential" : null, label: "y" },
    ],
    {
      onPosition: (p) => {
        if (rf) rf.show(ctx.index, p.i, p.j);
        if (isRelu) {
          const ours = Math.max(0, at(x, p));
          fillFormula(line, [`y${name(p)} = max(0, `, { v: at(x, p) }, ") = ", { v: ours }, " "]);
          line.append(checkMark(ours, at(y, p)));
        } else fillFormula(line, [`y${name(p)} = f(`, { v: at(x, p) }, ") = ", { v: at(y, p) }]);
      },
    },
  );
  const stats = h(
    "p",
    { class: "hint" },
    isRelu
      ? t("lab.relu.stats", { zeros: pct(zeros), neg: negatives, layer: pct(col.extra.zero_fraction ?? zeros) })
      : "",
  );
  body.append(
    h(
      "div",
      { class: "detail-row" },
      block(t("lab.relu.before"), linked.views[0].el),
      op("→"),
      block(t("lab.relu.after"), linked.views[1].el, stats),
      rf,
    ),
    line,
  );
  linked.move(ctx.pos || firstActive(x, maps, c));
  return { update: (p) => p && linked.pin(p) };
}

/** A position worth showing first: the most negative input (it shows the zeroing). */
function firstActive(x, maps, c) {
  const data = maps ? x.channel(c).data : x.data;
  let k = 0;
  for (let i = 1; i < data.length; i++) if (data[i] < data[k]) k = i;
  if (!maps) return { i: 0, j: k };
  const W = x.shape[2];
  return { i: Math.floor(k / W), j: k % W };
}
