/**
 * Detail view of an activation layer (ReLU, sigmoid, tanh, leaky ReLU, ELU).
 * Forward: before → after for the selected map (or the whole vector); hovering a value recomputes y = f(x) here and
 * checks it against the server (ReLU: negatives zeroed, the share of zeros).
 * Backward: dL/dy × f′(x) = dL/dx, f′ recomputed here (ReLU: the mask 1[x > 0], the gradient only flows where the
 * unit was active; sigmoid: σ(x)(1 − σ(x)), never above 0.25, which is why deep sigmoid stacks learn slowly).
 */
import { fmt, h, pct } from "../../lib/dom.js";
import { t } from "../../lib/i18n.js";
import { Tensor } from "../../lib/tensor.js";
import { layerInput, isMaps } from "../../lib/trace.js";
import { receptiveFieldBlock } from "./receptive-field.js";
import { block, checkMark, fillFormula, formula, layerFormula, op } from "../../lib/formula.js";
import { mapView, vectorView } from "../../lib/tensor-heatmaps.js";
import { accent } from "../../lib/colors.js";
import { activationMath } from "../../lib/activations.js";

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
  const math = activationMath(col.type, col.config);
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
    // the local derivative f′(x), recomputed here from the forward pass (ReLU: the mask 1[x > 0])
    const yData = y.data;
    const local = new Tensor(
      Float32Array.from(x.data, (v, k) => (math ? math.d(v, yData[k]) : NaN)),
      x.shape,
    );
    formulas.append(
      formula(
        isRelu
          ? t("lab.relu.backward_formula")
          : math
            ? t("lab.activation.backward_formula", { d: math.dText })
            : t("lab.relu.backward_generic"),
      ),
    );
    const tensors = [{ tensor: gy, kind: "diverging", label: "∂L/∂y" }];
    if (math) tensors.push({ tensor: local, kind: isRelu ? "gray" : "sequential", label: isRelu ? "1[x>0]" : "f′(x)" });
    tensors.push({ tensor: gx, kind: "diverging", label: "∂L/∂x" });
    const linked = linkedViews(ctx, tensors, {
      onPosition: (p) => {
        if (rf) rf.show(ctx.index, p.i, p.j);
        if (!math) {
          fillFormula(line, [`∂L/∂x${name(p)} = ∂L/∂y · f′(x) = `, { v: at(gx, p) }]);
          return;
        }
        const d = at(local, p);
        const ours = at(gy, p) * d;
        fillFormula(line, [
          `∂L/∂x${name(p)} = ∂L/∂y · ${math.dText} = `,
          { v: at(gy, p) },
          " · ",
          isRelu ? { v: String(d) } : { v: d },
          ` (x = ${fmt(at(x, p))})`,
          " = ",
          { v: ours },
          " ",
        ]);
        line.append(checkMark(ours, at(gx, p)));
      },
    });
    const blocks = [block(t("lab.relu.grad_out"), linked.views[0].el), op("×")];
    if (math)
      blocks.push(
        block(
          isRelu ? t("lab.relu.mask") : t("lab.activation.derivative", { d: math.dText }),
          linked.views[1].el,
          isRelu
            ? h("p", { class: "hint", text: t("lab.relu.mask_hint", { p: pct(1 - zeros) }) })
            : h("p", { class: "hint", text: t(`lab.activation.derivative_hint.${col.type}`) }),
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
        if (!math) {
          fillFormula(line, [`y${name(p)} = f(`, { v: at(x, p) }, ") = ", { v: at(y, p) }]);
          return;
        }
        const ours = math.f(at(x, p));
        fillFormula(line, [`y${name(p)} = ${math.call}`, { v: at(x, p) }, ") = ", { v: ours }, " "]);
        line.append(checkMark(ours, at(y, p)));
      },
    },
  );
  const stats = h(
    "p",
    { class: "hint" },
    isRelu
      ? t("lab.relu.stats", { zeros: pct(zeros), neg: negatives, layer: pct(col.extra.zero_fraction ?? zeros) })
      : math
        ? t(`lab.activation.forward_hint.${col.type}`)
        : "",
  );
  body.append(
    h(
      "div",
      { class: "detail-row" },
      block(t("lab.relu.before"), linked.views[0].el),
      op("→"),
      block(
        isRelu ? t("lab.relu.after") : t("lab.activation.after", { f: math ? math.fText : "f(x)" }),
        linked.views[1].el,
        stats,
      ),
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
