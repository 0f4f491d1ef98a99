/**
 * The backward steps of /steps (loss → ŷ − y → dense gradients → back through pooling, ReLU and convolutions →
 * the SGD update and its effect), same shape as views/steps/forward.js. Numbers come from POST /api/backward
 * (ctx.B, the lab's normalised trace); single entries are recomputed with lib/cnn.js and checked against it.
 * Why one file of over 400 lines: one short function per backward step, in the order the deck shows them (as forward.js);
 * split up, the sequence a teacher reads top to bottom would be scattered.
 */
import { fmt, h, pct, short } from "../../lib/dom.js";
import { GridView } from "../../lib/grid.js";
import { BarChart } from "../../lib/bars.js";
import { LineChart } from "../../lib/chart.js";
import { t } from "../../lib/i18n.js";
import { Tensor } from "../../lib/tensor.js";
import { convGradInputAt, convGradKernelAt } from "../../lib/cnn.js";
import { layerInput } from "../../lib/trace.js";
import { mapsStrip, note, para, strongestChannel, tensorRange } from "./visuals.js";
import { block, checkMark, formula, op } from "../../lib/formula.js";
import { cellMark, heat, vectorView, windowMark } from "../../lib/tensor-heatmaps.js";
import { argmaxOf, locate } from "../../lib/argmax.js";
import { scaleFor } from "../../lib/colors.js";
import { activationMath } from "../../lib/activations.js";

const f3 = (v) => fmt(v, 3);
const ACTIVATION_TYPES = new Set(["relu", "leaky_relu", "elu", "sigmoid", "tanh"]);
const row = (...children) => h("div", { class: "stage-row" }, ...children);
const digits = (n) => Array.from({ length: n }, (_, q) => String(q));

/** The largest |value| of a 4-D kernel gradient: (filter, channel, m, n). */
function strongestKernelEntry(dK) {
  const [F, C, kh, kw] = dK.shape;
  const k = argmaxOf(dK.data, { abs: true });
  const per = C * kh * kw;
  const f = Math.floor(k / per);
  const rem = k - f * per;
  const c = Math.floor(rem / (kh * kw));
  const { i, j } = locate(rem - c * kh * kw, kw);
  return { f: Math.min(f, F - 1), c, m: i, n: j };
}

// ------------------------------------------------------------------------------------------------ loss
export function lossStep(ctx) {
  return {
    id: "loss",
    phase: "backward",
    title: () => t("steps.loss.title"),
    render({ visual, text, formulas }) {
      const { B } = ctx;
      const y = B.label;
      const p = B.probabilities[y];
      const bars = new BarChart({ labels: digits(B.probabilities.length), caption: t("steps.softmax.bars") });
      bars.update(B.probabilities, { marked: y, top: argmaxOf(B.probabilities), max: 1 });
      const target = new GridView({
        matrix: [B.target],
        compact: true,
        format: (v) => String(v),
        caption: `y (${t("steps.loss.one_hot")})`,
        classes: (i, j) => (j === y ? "is-strong" : null),
      });
      visual.append(row(block(t("steps.loss.target", { y }), target.el), block(t("steps.loss.probs"), bars.el)));
      text.append(para(t("steps.loss.text", { y, p: pct(p) })), note(t("steps.loss.ln_note")));
      formulas.append(
        formula(
          "L = −Σ",
          { sub: "i" },
          " y",
          { sub: "i" },
          " · ln ŷ",
          { sub: "i" },
          ` = −ln ŷ[${y}] = −ln(`,
          { v: p },
          ") = ",
          { v: -Math.log(p) },
        ),
        checkMark(-Math.log(p), B.loss),
        formula(t("steps.loss.extremes")),
      );
    },
  };
}

export function dzStep(ctx) {
  return {
    id: "dL_dz",
    phase: "backward",
    title: () => t("steps.dz.title"),
    render({ visual, text, formulas }) {
      const { B } = ctx;
      const y = B.label;
      const bars = new BarChart({
        labels: digits(B.dLdz.length),
        signed: true,
        format: (v) => fmt(v),
        caption: "∂L/∂z",
      });
      bars.update(B.dLdz, { marked: y });
      const other = argmaxOf(B.dLdz);
      visual.append(row(block("∂L/∂z = ŷ − y", bars.el)));
      text.append(para(t("steps.dz.text", { y })), para(t("steps.dz.text2")));
      formulas.append(
        formula("∂L/∂z", { sub: "i" }, " = ŷ", { sub: "i" }, " − y", { sub: "i" }),
        formula(`∂L/∂z[${y}] = `, { v: B.probabilities[y] }, " − 1 = ", { v: B.probabilities[y] - 1 }),
        checkMark(B.probabilities[y] - 1, B.dLdz[y]),
        other !== y
          ? formula(`∂L/∂z[${other}] = `, { v: B.probabilities[other] }, " − 0 = ", { v: B.probabilities[other] })
          : null,
      );
    },
  };
}

/** ∂L/∂W = ∂L/∂z · xᵀ and ∂L/∂b = ∂L/∂z of the last dense layer. */
export function denseGradStep(ctx, index) {
  const L = ctx.F.layers[index];
  return {
    id: `${L.name}-grads`,
    phase: "backward",
    layer: L.name,
    title: () => t("steps.dw.title", { layer: L.name }),
    render({ visual, text, formulas }) {
      const g = ctx.B.layers[index];
      const dz = g.gradOutput;
      const x = layerInput(ctx.F, index);
      const dW = g.grads.W;
      const y = ctx.B.label;
      const j = argmaxOf(x.data);
      // the outer product laid out as written: the column ∂L/∂z on the left, the row xᵀ on top, ∂L/∂W where they cross
      const cell = Math.max(4, Math.min(12, Math.floor(680 / x.size)));
      const column = { rows: dz.size, cols: 1, get: (i) => dz.at(i) };
      const xRow = { rows: 1, cols: x.size, get: (i, jj) => x.at(jj) };
      const outer = h(
        "div",
        { class: "outer-product" },
        h("span", { class: "outer-product__corner", text: "∂L/∂z · xᵀ" }),
        block(
          `xᵀ (${x.size})`,
          heat(xRow, {
            label: `xᵀ (${x.size})`,
            kind: "sequential",
            cell,
            marks: [cellMark(0, j)],
            describe: (i, jj, v) => `x[${jj}] = ${fmt(v)}`,
          }).el,
        ),
        block(
          `∂L/∂z`,
          heat(column, {
            label: `∂L/∂z`,
            kind: "diverging",
            cell,
            marks: [cellMark(y, 0)],
            describe: (i, jj, v) => `∂L/∂z[${i}] = ${fmt(v)}`,
          }).el,
        ),
        dW && !dW.missing
          ? block(
              `∂L/∂W (${dW.shape[0]}×${dW.shape[1]})`,
              heat(dW.matrix(), {
                kind: "diverging",
                cell,
                label: "∂L/∂W",
                marks: [cellMark(y, j)],
                describe: (i, jj, v) => `∂L/∂W[${i}, ${jj}] = ${fmt(v)}`,
              }).el,
            )
          : h("p", { class: "hint", text: t("lab.dense.computed_here", { n: dz.size * x.size }) }),
      );
      visual.append(outer);
      text.append(para(t("steps.dw.text", { layer: L.name })), para(t("steps.dw.text2")));
      const value = dz.at(y) * x.at(j);
      formulas.append(
        formula(t("lab.dense.dw_formula")),
        formula(`∂L/∂W[${y}, ${j}] = ∂L/∂z[${y}] · x[${j}] = `, { v: dz.at(y) }, " × ", { v: x.at(j) }, " = ", {
          v: value,
        }),
        dW && !dW.missing ? checkMark(value, dW.at(y, j)) : null,
        formula(t("lab.dense.db_formula"), `:  ∂L/∂b[${y}] = `, { v: dz.at(y) }),
        g.grads.b ? checkMark(dz.at(y), g.grads.b.at(y)) : null,
      );
    },
  };
}

/**
 * Back through one hidden dense layer and its activation: the course's recurrence (perceptron chapter)
 *   dZ^[l] = (W^[l+1]ᵀ·dZ^[l+1]) ⊙ f′(Z^[l]),   ∂L/∂W^[l] = dZ^[l]·A^[l−1]ᵀ,   ∂L/∂b^[l] = dZ^[l]
 * shown for the unit whose gradient is largest, each factor recomputed here and checked against the server.
 */
export function hiddenDenseStep(ctx, index, actIndex, nextIndex) {
  const L = ctx.F.layers[index];
  const next = ctx.F.layers[nextIndex];
  const act = actIndex === null ? null : ctx.F.layers[actIndex];
  return {
    id: `${L.name}-recurrence`,
    phase: "backward",
    layer: L.name,
    title: () => t("steps.hidden.title", { layer: L.name }),
    render({ visual, text, formulas }) {
      const { F, B } = ctx;
      const dzNext = B.layers[nextIndex].gradOutput; // dZ^[l+1]
      const back = B.layers[nextIndex].gradInput; // W^[l+1]ᵀ·dZ^[l+1]
      const dz = B.layers[index].gradOutput; // dZ^[l]
      const z = L.output;
      const math = act ? activationMath(act.type, act.config) : null;
      const a = act ? act.output : z;
      const local = new Tensor(
        Float32Array.from(z.data, (v, k) => (math ? math.d(v, a.data[k]) : 1)),
        z.shape,
      );
      const k = argmaxOf(dz.data, { abs: true });
      const view = (tensor, label, kind = "diverging") =>
        block(
          `${label} (${tensor.size})`,
          vectorView(tensor, { cell: 11, kind, describe: (q, v) => `${label}[${q}] = ${fmt(v)}` }).el,
        );
      visual.append(
        h(
          "div",
          { class: "stage-row stage-row--wrap" },
          view(dzNext, `dZ (${next.name})`),
          op("→"),
          view(back, `${next.name}: Wᵀ·dZ`),
          op("⊙"),
          view(local, math ? `f′ = ${math.dText}` : "1", "sequential"),
          op("="),
          view(dz, `dZ (${L.name})`),
        ),
      );
      text.append(
        para(t("steps.hidden.text", { layer: L.name, next: next.name, act: act ? act.name : "—" })),
        act && act.type === "sigmoid" ? para(t("steps.hidden.sigmoid")) : null,
      );
      const W = next.params.W;
      formulas.append(formula(t("steps.hidden.formula")));
      if (W && !W.missing) {
        const terms = Array.from(dzNext.data, (g, i) => ({ i, g, w: W.at(i, k), p: g * W.at(i, k) })).sort(
          (p, q) => Math.abs(q.p) - Math.abs(p.p),
        );
        const sum = terms.reduce((acc, term) => acc + term.p, 0);
        formulas.append(
          formula(
            `(Wᵀ·dZ)[${k}] = Σ`,
            { sub: "i" },
            ` W[i, ${k}]·dZ[i] = `,
            ...terms.slice(0, 3).flatMap((term, q) => [q ? " + " : "", `(${f3(term.w)} × ${f3(term.g)})`]),
            terms.length > 3 ? " + … = " : " = ",
            { v: sum },
          ),
          checkMark(sum, back.at(k)),
        );
      }
      const ours = back.at(k) * local.at(k);
      formulas.append(
        formula(
          `dZ[${k}] = `,
          { v: back.at(k) },
          math ? ` × ${math.dText.replace(/x/g, `z${k}`)} = ` : " = ",
          { v: back.at(k) },
          " × ",
          { v: local.at(k) },
          " = ",
          { v: ours },
        ),
        checkMark(ours, dz.at(k)),
      );
      const x = layerInput(F, index);
      const j = argmaxOf(x.data);
      const dW = B.layers[index].grads.W;
      const dWkj = dz.at(k) * x.at(j);
      formulas.append(
        formula(`∂L/∂W[${k}, ${j}] = dZ[${k}] · x[${j}] = `, { v: dz.at(k) }, " × ", { v: x.at(j) }, " = ", {
          v: dWkj,
        }),
        dW && !dW.missing ? checkMark(dWkj, dW.at(k, j)) : null,
        formula(`∂L/∂b[${k}] = dZ[${k}] = `, { v: dz.at(k) }),
        B.layers[index].grads.b ? checkMark(dz.at(k), B.layers[index].grads.b.at(k)) : null,
      );
    },
  };
}

/** ∂L/∂x = Wᵀ·∂L/∂z, then back through the hidden dense layers and their ReLUs, down to the flattened vector. */
export function denseBackStep(ctx, lastDense, flattenIndex) {
  return {
    id: "dense-backward",
    phase: "backward",
    title: () => t("steps.dx.title"),
    render({ visual, text, formulas }) {
      const { F, B } = ctx;
      const chain = [];
      for (let i = lastDense; i > flattenIndex; i--) {
        const L = F.layers[i];
        if (L.type === "dense") chain.push({ name: L.name, grad: B.layers[i].gradInput });
      }
      const items = [];
      for (const c of chain) {
        items.push(
          block(
            `∂L/∂(${t("steps.dx.input_of", { layer: c.name })}) (${c.grad.size})`,
            vectorView(c.grad, { cell: 9, kind: "diverging" }).el,
          ),
          op("→"),
        );
      }
      const P = flattenIndex >= 0 ? B.layers[flattenIndex].gradInput : null;
      if (P && P.ndim === 3) {
        items.push(
          block(
            t("steps.dx.maps", { shape: `${P.shape[0]}@${P.shape[1]}×${P.shape[2]}` }),
            mapsStrip(P, { kind: "diverging", size: P.shape[0] > 1 ? 44 : 140, labelOf: (c) => String(c) }),
          ),
        );
      } else items.pop();
      visual.append(h("div", { class: "stage-row stage-row--wrap" }, items));
      // one entry of Wᵀ·∂L/∂z of the last dense layer, term by term
      const L = F.layers[lastDense];
      const W = L.params.W;
      const dz = B.layers[lastDense].gradOutput;
      const dx = B.layers[lastDense].gradInput;
      const j = argmaxOf(dx.data, { abs: true });
      const terms = Array.from(dz.data, (g, i) => ({ i, g, w: W.at(i, j), p: g * W.at(i, j) })).sort(
        (a, b) => Math.abs(b.p) - Math.abs(a.p),
      );
      const sum = terms.reduce((s, term) => s + term.p, 0);
      const hidden = chain.length > 1; // hidden dense layers, each with its activation, between the last one and flatten
      const reluOnly = F.layers
        .slice(flattenIndex + 1, lastDense)
        .every((layer) => !ACTIVATION_TYPES.has(layer.type) || layer.type === "relu");
      text.append(
        para(t("steps.dx.text", { layer: L.name })),
        hidden ? para(t(reluOnly ? "steps.dx.text2" : "steps.dx.text2_generic")) : null,
      );
      formulas.append(
        formula(t("lab.dense.dx_formula")),
        formula(
          `∂L/∂x[${j}] = Σ`,
          { sub: "i" },
          ` W[i, ${j}]·∂L/∂z[i] = `,
          ...terms.slice(0, 3).flatMap((term, q) => [q ? " + " : "", `(${f3(term.w)} × ${f3(term.g)})`]),
          " + … = ",
          { v: sum },
        ),
        checkMark(sum, dx.at(j)),
        hidden ? formula(t(reluOnly ? "lab.relu.backward_formula" : "steps.hidden.formula")) : null,
      );
    },
  };
}

// ------------------------------------------------------------------------------------------------ pooling + ReLU
export function poolBackStep(ctx, poolIndex, actIndex) {
  const P = ctx.F.layers[poolIndex];
  return {
    id: `${P.name}-backward`,
    phase: "backward",
    layer: P.name,
    title: () =>
      actIndex !== null
        ? t("steps.pool_back.title", { pool: P.name, act: ctx.F.layers[actIndex].name })
        : t("steps.pool_back.title_pool", { pool: P.name }),
    render({ visual, text, formulas }) {
      const { F, B } = ctx;
      const gOut = B.layers[poolIndex].gradOutput;
      const routed = B.layers[poolIndex].gradInput;
      const c = strongestChannel(gOut, { abs: true });
      const [, , Wo] = gOut.shape;
      const p = locate(argmaxOf(gOut.channel(c).data, { abs: true }), Wo);
      const g = P.geometry;
      const [kh, kw] = g.kernel;
      const top = p.i * g.stride[0];
      const left = p.j * g.stride[1];
      const argmax = P.extra?.argmax;
      const am = argmax ? { r: argmax.at(c, p.i, p.j, 0), s: argmax.at(c, p.i, p.j, 1) } : { r: top, s: left };
      const scale = scaleFor("diverging", tensorRange(routed, c));
      const parts = [
        block(
          `∂L/∂${P.name}[${c}] (${gOut.shape[1]}×${gOut.shape[2]})`,
          heat(gOut.matrix(c), {
            label: `∂L/∂${P.name}[${c}] (${gOut.shape[1]}×${gOut.shape[2]})`,
            kind: "diverging",
            size: 110,
            marks: [cellMark(p.i, p.j)],
          }).el,
        ),
        op("→"),
        block(
          t("steps.pool_back.routed", { c }),
          heat(routed.matrix(c), {
            label: t("steps.pool_back.routed", { c }),
            scale,
            size: 160,
            marks: [windowMark(top, left, kh, kw, false), cellMark(am.r, am.s, "#111")],
          }).el,
        ),
      ];
      const fm = [
        formula(P.type === "maxpool" ? t("lab.pool.backward_formula") : t("lab.pool.backward_avg")),
        formula(
          `∂L/∂X[${c}, ${am.r}, ${am.s}] = ∂L/∂P[${c}, ${p.i}, ${p.j}] = `,
          { v: gOut.at(c, p.i, p.j) },
          `   (${t("lab.pool.others_zero", { n: kh * kw - 1 })})`,
        ),
        checkMark(gOut.at(c, p.i, p.j), routed.at(c, am.r, am.s)),
      ];
      if (actIndex !== null) {
        const A = F.layers[actIndex];
        const pre = layerInput(F, actIndex);
        const after = B.layers[actIndex].gradInput;
        const mask = { rows: pre.shape[1], cols: pre.shape[2], get: (i, j) => (pre.at(c, i, j) > 0 ? 1 : 0) };
        parts.push(
          op("⊙"),
          block(
            t("steps.pool_back.mask", { layer: A.name }),
            heat(mask, {
              label: t("steps.pool_back.mask", { layer: A.name }),
              kind: "gray",
              range: { min: 0, max: 1, absMax: 1 },
              size: 160,
              marks: [cellMark(am.r, am.s)],
            }).el,
          ),
          op("="),
          block(
            t("steps.pool_back.after", { c }),
            heat(after.matrix(c), {
              label: t("steps.pool_back.after", { c }),
              scale,
              size: 160,
              marks: [cellMark(am.r, am.s)],
            }).el,
          ),
        );
        const o = pre.at(c, am.r, am.s);
        fm.push(
          formula(t("lab.relu.backward_formula")),
          formula(`∂L/∂O[${c}, ${am.r}, ${am.s}] = `, { v: routed.at(c, am.r, am.s) }, " × 1[", { v: o }, " > 0] = ", {
            v: routed.at(c, am.r, am.s) * (o > 0 ? 1 : 0),
          }),
          checkMark(routed.at(c, am.r, am.s) * (o > 0 ? 1 : 0), after.at(c, am.r, am.s)),
        );
      }
      visual.append(row(...parts));
      text.append(para(t("steps.pool_back.text", { k: `${kh}×${kw}` })));
      if (actIndex !== null) text.append(para(t("steps.pool_back.text_relu")));
      formulas.append(...fm);
    },
  };
}

// ------------------------------------------------------------------------------------------------ convolution
/** ∂L/∂K = the input correlated with the upstream gradient (and, for the first layer, ∂L/∂image). */
export function convKernelGradStep(ctx, index) {
  const L = ctx.F.layers[index];
  return {
    id: `${L.name}-dK`,
    phase: "backward",
    layer: L.name,
    title: () => t("steps.dk.title", { layer: L.name }),
    render({ visual, text, formulas }) {
      const { F, B } = ctx;
      const X = layerInput(F, index);
      const G = B.layers[index].gradOutput;
      const dK = B.layers[index].grads.K;
      const db = B.layers[index].grads.b;
      const g = L.geometry;
      const e = strongestKernelEntry(dK);
      const r = convGradKernelAt(X, G, e.f, e.c, e.m, e.n, g);
      const [, , kh, kw] = dK.shape;
      const [, Ho, Wo] = G.shape;
      const prodMatrix = { rows: Ho, cols: Wo, get: (i, j) => r.products[i][j] };
      const kGrid = new GridView({
        matrix: dK.matrix(e.f, e.c),
        compact: kh > 3,
        format: short,
        scale: scaleFor("diverging", { absMax: Math.abs(dK.at(e.f, e.c, e.m, e.n)) || 1 }),
        classes: (m, n) => (m === e.m && n === e.n ? "is-strong" : null),
        caption: `∂L/∂K[${e.f}, ${e.c}]`,
      });
      const first = index === 0;
      visual.append(
        row(
          block(
            t("steps.dk.input", { c: e.c }),
            heat(X.matrix(e.c), {
              label: t("steps.dk.input", { c: e.c }),
              kind: first ? "gray" : "sequential",
              size: 140,
              marks: [windowMark(r.top, r.left, r.bottom - r.top + 1, r.right - r.left + 1, false)],
            }).el,
          ),
          op("⊙"),
          block(
            t("steps.dk.upstream", { f: e.f }),
            heat(G.matrix(e.f), { label: t("steps.dk.upstream", { f: e.f }), kind: "diverging", size: 140 }).el,
          ),
          op("="),
          block(
            t("steps.dk.products"),
            heat(prodMatrix, { label: t("steps.dk.products"), kind: "diverging", size: 140 }).el,
          ),
          op("→ Σ"),
          block("", kGrid.el),
        ),
      );
      if (first) {
        const gi = B.gradImage;
        visual.append(
          row(
            block(
              t("steps.dk.all_kernels"),
              mapsStrip(new Tensor(dK.data, [dK.shape[0], kh, kw]), {
                kind: "diverging",
                size: 48,
                marked: e.f,
                labelOf: (c) => `∂K[${c}]`,
              }),
            ),
            block(
              t("lab.input.grad_title"),
              heat(gi.matrix(0), { label: t("lab.input.grad_title"), kind: "diverging", size: 140 }).el,
            ),
          ),
        );
      }
      text.append(
        para(t("steps.dk.text", { m: e.m, n: e.n })),
        para(t(first ? "steps.dk.text_first" : "steps.dk.text2")),
      );
      if (first) text.append(note(t("lab.input.grad_hint")));
      const sumG = Array.from(G.channel(e.f).data).reduce((s, v) => s + v, 0);
      formulas.append(
        formula(t("lab.conv.dk_formula")),
        formula(
          `∂L/∂K[${e.f}, ${e.c}, ${e.m}, ${e.n}] = Σ`,
          { sub: "i,j" },
          ` ∂L/∂O[${e.f}, i, j] · X[${e.c}, i + ${e.m} − ${g.padding[0]}, j + ${e.n} − ${g.padding[1]}] = `,
          { v: r.sum },
        ),
        checkMark(r.sum, dK.at(e.f, e.c, e.m, e.n)),
        db ? formula(`∂L/∂b[${e.f}] = Σ`, { sub: "i,j" }, ` ∂L/∂O[${e.f}, i, j] = `, { v: sumG }) : null,
        db ? checkMark(sumG, db.at(e.f)) : null,
      );
    },
  };
}

/** ∂L/∂X: the full convolution of ∂L/∂O with the kernels turned by 180°, summed over the filters. */
export function convInputGradStep(ctx, index) {
  const L = ctx.F.layers[index];
  return {
    id: `${L.name}-dX`,
    phase: "backward",
    layer: L.name,
    title: () => t("steps.dxconv.title", { layer: L.name }),
    render({ visual, text, formulas }) {
      const { B } = ctx;
      const G = B.layers[index].gradOutput;
      const dX = B.layers[index].gradInput;
      const K = L.params.K;
      const g = L.geometry;
      const c = strongestChannel(dX, { abs: true });
      const [, , W] = dX.shape;
      const p = locate(argmaxOf(dX.channel(c).data, { abs: true }), W);
      const r = convGradInputAt(G, K, c, p.i, p.j, g);
      let fPick = r.filters.reduce((best, fl, k) => (Math.abs(fl.sum) > Math.abs(r.filters[best].sum) ? k : best), 0);
      const [, , kh, kw] = K.shape;
      const gWin = new GridView({ matrix: [[0]], compact: true, format: short });
      const rot = new GridView({ matrix: [[0]], compact: true, format: short });
      const prods = new GridView({ matrix: [[0]], compact: true, format: short });
      const sumEl = h("span", { class: "calc__result" });
      const detailTitle = h("h4");
      const gView = heat(G.matrix(fPick), { kind: "diverging", size: 150, label: `∂L/∂O[${fPick}]` });
      const chips = r.filters.map((fl) =>
        h("button", {
          type: "button",
          class: "chip",
          text: `f${fl.f}: ${fmt(fl.sum, 2)}`,
          attrs: { "aria-pressed": "false" },
          on: { click: () => pick(fl.f) },
        }),
      );
      visual.append(
        row(
          block(
            t("steps.dxconv.map", { c }),
            heat(dX.matrix(c), {
              label: t("steps.dxconv.map", { c }),
              kind: "diverging",
              size: 168,
              marks: [cellMark(p.i, p.j)],
            }).el,
          ),
          block(t("steps.dxconv.upstream"), gView.el),
          block(t("steps.dxconv.per_filter"), h("div", { class: "chip-row chip-row--grid" }, chips)),
        ),
        row(
          h(
            "div",
            { class: "detail-block" },
            detailTitle,
            row(gWin.el, op("⊙"), rot.el, op("="), prods.el, op("→"), sumEl),
          ),
        ),
      );
      function pick(f) {
        fPick = f;
        const fl = r.filters[f];
        chips.forEach((chip, k) => chip.setAttribute("aria-pressed", String(k === f)));
        detailTitle.textContent = t("steps.dxconv.detail", { f, c, kh, kw });
        gView.update({ matrix: G.matrix(f), label: `∂L/∂O[${f}]` });
        gView.setMarks([windowMark(r.top, r.left, kh, kw)]);
        gWin.update({
          matrix: fl.gradWindow,
          scale: scaleFor("diverging", tensorRange(G, f)),
          classes: (m, n) => (fl.valid[m][n] ? null : "is-pad"),
        });
        rot.update({ matrix: fl.rotated, scale: scaleFor("diverging", tensorRange(K)) });
        prods.update({
          matrix: fl.products,
          scale: scaleFor("diverging", { absMax: Math.max(1e-12, ...fl.products.flat().map(Math.abs)) }),
        });
        sumEl.textContent = `= ${fmt(fl.sum)}`;
      }
      pick(fPick);
      const top3 = r.filters
        .slice()
        .sort((a, b) => Math.abs(b.sum) - Math.abs(a.sum))
        .slice(0, 3);
      text.append(para(t("steps.dxconv.text", { f: r.filters.length })), para(t("steps.dxconv.text2")));
      formulas.append(
        formula(t("lab.conv.dx_formula")),
        formula(
          `∂L/∂X[${c}, ${p.i}, ${p.j}] = Σ`,
          { sub: "f" },
          " (…) = ",
          ...top3.flatMap((fl, q) => [q ? " + " : "", { v: fl.sum, digits: 3 }]),
          " + … = ",
          { v: r.total },
        ),
        checkMark(r.total, dX.at(c, p.i, p.j)),
      );
    },
  };
}

// ------------------------------------------------------------------------------------------------ learning
export function sgdStep(ctx) {
  return {
    id: "sgd",
    phase: "backward",
    title: () => t("steps.sgd.title"),
    render({ visual, text, formulas }) {
      const { F, B } = ctx;
      const eta = B.sgd.learningRate;
      // the first convolution's most changed filter: the picture of "learning"
      const convIndex = F.layers.findIndex((l) => l.type === "conv2d");
      const tableRows = [];
      for (const [layer, params] of Object.entries(B.sgd.deltas)) {
        for (const [name, delta] of Object.entries(params)) {
          if (delta)
            tableRows.push(
              h(
                "tr",
                {},
                h("td", { text: `${layer}.${name}` }),
                h("td", { text: delta.shape.join("×") }),
                h("td", { text: fmt(delta.range().absMax) }),
              ),
            );
        }
      }
      const table = h(
        "table",
        { class: "delta-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { text: t("lab.bw.delta_param") }),
            h("th", { text: t("steps.sgd.shape") }),
            h("th", { text: "max |Δ|" }),
          ),
        ),
        h("tbody", {}, tableRows),
      );
      if (convIndex >= 0 && B.sgd.deltas[F.layers[convIndex].name]) {
        const L = F.layers[convIndex];
        const K = L.params.K;
        const dK = B.layers[convIndex].grads.K;
        const delta = B.sgd.deltas[L.name].K;
        const e = strongestKernelEntry(dK);
        const [, , kh, kw] = K.shape;
        const before = K.matrix(e.f, 0);
        const step = delta.matrix(e.f, 0);
        const after = { rows: kh, cols: kw, get: (i, j) => before.get(i, j) + step.get(i, j) };
        const scale = scaleFor("diverging", tensorRange(K, e.f));
        const mark = (i, j) => (i === e.m && j === e.n ? "is-strong" : null);
        const grid = (matrix, caption, sc, format) =>
          new GridView({ matrix, caption, compact: true, format, scale: sc, classes: mark }).el;
        const three = (v) => fmt(Number(v.toFixed(3)));
        visual.append(
          row(
            grid(before, `K[${e.f}] (${L.name})`, scale, three),
            op("−"),
            grid(
              { rows: kh, cols: kw, get: (i, j) => -step.get(i, j) },
              `η · ∂L/∂K[${e.f}]`,
              scaleFor("diverging", tensorRange(delta, e.f)),
              short,
            ),
            op("="),
            grid(after, `K[${e.f}] ${t("steps.sgd.after")}`, scale, three),
          ),
        );
        const w = K.at(e.f, 0, e.m, e.n);
        const gr = dK.at(e.f, 0, e.m, e.n);
        formulas.append(
          formula("θ ← θ − η · ∂L/∂θ"),
          formula(`K[${e.f}, 0, ${e.m}, ${e.n}] ← `, { v: w }, " − ", { v: eta }, " × ", { v: gr }, " = ", {
            v: w - eta * gr,
          }),
          checkMark(w - eta * gr, w + delta.at(e.f, 0, e.m, e.n)),
        );
      }
      visual.append(block(t("steps.sgd.table"), table));
      text.append(para(t("steps.sgd.text", { eta })), note(t("lab.bw.sgd_hint")));
    },
  };
}

export function effectStep(ctx) {
  return {
    id: "effect",
    phase: "backward",
    title: () => t("steps.effect.title"),
    render({ visual, text, formulas }) {
      const { B } = ctx;
      const y = B.label;
      const s = B.sgd;
      const bars = new BarChart({ labels: digits(s.after.length), caption: t("lab.bw.after") });
      bars.update(s.after, { ghost: s.before, marked: y, top: argmaxOf(s.after), max: 1 });
      const chartBox = h("div", { class: "effect-chart" });
      const more = h("button", {
        type: "button",
        class: "btn",
        text: t("steps.effect.more", { n: ctx.moreSteps }),
        on: {
          click: async () => {
            more.disabled = true;
            try {
              const history = await ctx.fetchHistory(ctx.moreSteps);
              const chart = new LineChart({
                width: 420,
                height: 170,
                xLabel: t("lab.bw.chart_x"),
                yLabel: `ŷ[${y}]`,
                yMin: 0,
                yMax: 1,
                title: t("lab.bw.chart_title"),
              });
              chart.update([
                { points: [[0, s.before[y]], ...history.map((p) => [p.step, p.probability])], label: `ŷ[${y}]` },
              ]);
              chartBox.replaceChildren(block(t("steps.effect.history", { n: ctx.moreSteps, y }), chart.el));
            } catch (err) {
              chartBox.replaceChildren(h("p", { class: "error-box", text: err.message }));
            } finally {
              more.disabled = false;
            }
          },
        },
      });
      visual.append(
        row(block(t("lab.bw.after"), bars.el), h("div", { class: "detail-block effect-more" }, more, chartBox)),
      );
      text.append(
        para(t("steps.effect.text", { y, a: pct(s.before[y]), b: pct(s.after[y]) })),
        para(t("steps.effect.text2")),
      );
      formulas.append(
        formula(`ŷ[${y}]: `, { v: pct(s.before[y]) }, " → ", { v: pct(s.after[y]) }),
        formula("L: ", { v: s.lossBefore }, " → ", { v: s.lossAfter }),
      );
    },
  };
}
