/**
 * The forward steps of /steps, one function per kind of step. Each returns
 *   {id, phase: "forward", title(), render({visual, text, formulas})}
 * where render() fills the three areas of the stage with this digit's real numbers (from POST /api/forward; the
 * page recomputes the single positions it explains with lib/cnn.js and checks them against the server's values).
 *
 * ctx (views/steps.js): {F, B, label, sourceText(), denseRows: {layer: Float32Array row of W}, neurons: {layer: k}}
 *
 * Why one file of over 400 lines: one short function per forward step, in the order the deck shows them (as backward.js);
 * split up, the sequence a teacher reads top to bottom would be scattered.
 */
import { activationMath } from "../../lib/activations.js";
import { fmt, h, pct, short } from "../../lib/dom.js";
import { GridView } from "../../lib/grid.js";
import { BarChart } from "../../lib/bars.js";
import { t, getLang } from "../../lib/i18n.js";
import { Tensor } from "../../lib/tensor.js";
import { convAt, denseTerms, poolAt, softmaxTerms, unflattenIndex } from "../../lib/cnn.js";
import { layerInput } from "../../lib/trace.js";
import { mapsStrip, note, para, strongestChannel, tensorRange } from "./visuals.js";
import { block, checkMark, fillFormula, formula, op, sizeFormula } from "../../lib/formula.js";
import { player } from "../../lib/player.js";
import { cellMark, heat, vectorView, windowMark } from "../../lib/tensor-heatmaps.js";
import { argmaxOf, locate } from "../../lib/argmax.js";
import { scaleFor } from "../../lib/colors.js";

const f3 = (v) => fmt(v, 3);
const row = (...children) => h("div", { class: "stage-row" }, ...children);
const isActivation = (type) => ["relu", "leaky_relu", "elu", "sigmoid", "tanh", "heaviside"].includes(type);

/** A small square of a map around (ci, cj), as a grid of numbers. */
function patchAround(tensor, c, ci, cj, size, opts = {}) {
  const [, H, W] = tensor.shape;
  const top = Math.max(0, Math.min(H - size, ci - Math.floor(size / 2)));
  const left = Math.max(0, Math.min(W - size, cj - Math.floor(size / 2)));
  const matrix = { rows: Math.min(size, H), cols: Math.min(size, W), get: (i, j) => tensor.at(c, top + i, left + j) };
  return { top, left, matrix, grid: new GridView({ matrix, compact: true, format: short, ...opts }) };
}

// ------------------------------------------------------------------------------------------------ the input
export function inputStep(ctx) {
  return {
    id: "input",
    phase: "forward",
    title: () => t("steps.input.title"),
    render({ visual, text, formulas }) {
      const X = ctx.F.input;
      const [, H, W] = X.shape;
      // the patch shown in numbers is the 7×7 square holding the most ink
      let best = -1,
        ci = H >> 1,
        cj = W >> 1;
      for (let i = 0; i + 7 <= H; i++) {
        for (let j = 0; j + 7 <= W; j++) {
          let ink = 0;
          for (let m = 0; m < 7; m++) for (let n = 0; n < 7; n++) ink += X.at(0, i + m, j + n);
          if (ink > best) {
            best = ink;
            ci = i + 3;
            cj = j + 3;
          }
        }
      }
      const patch = patchAround(X, 0, ci, cj, 7, { scale: scaleFor("gray", { min: 0, max: 1, absMax: 1 }) });
      const view = heat(X.matrix(0), {
        kind: "gray",
        range: { min: 0, max: 1, absMax: 1 },
        size: 280,
        label: t("steps.input.map", { h: H, w: W }),
        marks: [windowMark(patch.top, patch.left, patch.matrix.rows, patch.matrix.cols, false)],
        describe: (i, j, v) => `x[${i}, ${j}] = ${f3(v)}`,
      });
      visual.append(
        row(
          block(t("steps.input.map", { h: H, w: W }), view.el),
          op("→"),
          block(t("steps.input.patch", { r: patch.top, c: patch.left }), patch.grid.el),
        ),
      );
      text.append(para(ctx.sourceText()), para(t("steps.input.text", { n: H * W, h: H, w: W })));
      const peak = argmaxOf(X.channel(0).data);
      const p = locate(peak, W);
      formulas.append(
        formula(t("steps.input.formula")),
        formula(`x[${p.i}, ${p.j}] = `, { v: String(Math.round(X.at(0, p.i, p.j) * 255)) }, " / 255 = ", {
          v: X.at(0, p.i, p.j),
        }),
      );
    },
  };
}

export function prepStep(ctx) {
  return {
    id: "preprocessing",
    phase: "forward",
    title: () => t("steps.prep.title"),
    render({ visual, text, formulas }) {
      const steps = ctx.F.preprocessing || [];
      const lang = getLang();
      if (!steps.length) {
        visual.append(
          row(
            block(
              t("steps.prep.final"),
              heat(ctx.F.input.matrix(0), {
                label: t("steps.prep.final"),
                kind: "gray",
                range: { min: 0, max: 1, absMax: 1 },
                size: 224,
              }).el,
            ),
          ),
        );
        text.append(para(t("steps.prep.none")));
      } else {
        const items = steps.map((s, k) => {
          const title = (lang === "fr" ? s.title_fr : s.title_en) || s.name;
          const tensor = typeof s.image === "string" ? null : Tensor.from(s.image);
          const pic = tensor
            ? heat(tensor.matrix(), {
                kind: "gray",
                range: { min: 0, max: 255, absMax: 255 },
                size: 104,
                label: title,
                describe: (i, j, v) => `${i}, ${j}: ${Math.round(v)}`,
              }).el
            : h("img", { src: s.image, alt: title, width: 104 });
          const kept = s.info?.skipped;
          return h(
            "li",
            { class: "prep-chain__item" },
            pic,
            h("span", { class: "prep-chain__title", text: `${k + 1}. ${title}` }),
            kept ? h("span", { class: "hint", text: t("steps.prep.kept") }) : null,
          );
        });
        visual.append(h("ol", { class: "prep-chain" }, items));
        text.append(para(t("steps.prep.text")));
      }
      formulas.append(formula(t("steps.prep.formula")));
    },
  };
}

// ------------------------------------------------------------------------------------------------ convolution
function convContext(ctx, index) {
  const L = ctx.F.layers[index];
  const X = layerInput(ctx.F, index);
  const O = L.output;
  const f = strongestChannel(O);
  const [, Ho, Wo] = O.shape;
  return { L, X, O, K: L.params.K, b: L.params.b || null, f, Ho, Wo, start: locate(argmaxOf(O.channel(f).data), Wo) };
}

function totalLine(el, r, C) {
  const parts = [`O[${r.f}, ${r.i}, ${r.j}] = `];
  if (C > 1) {
    parts.push("Σ", { sub: "c" }, " Σ", { sub: "m,n" }, " X·K + b = ");
    r.channels.forEach((chan, k) => parts.push(k ? " + " : "", { v: chan.sum, digits: 3 }));
  } else {
    parts.push("Σ", { sub: "m,n" }, " X·K + b = ", { v: r.channels[0].sum });
  }
  parts.push(" + ", { v: r.bias }, " = ", { v: r.output });
  fillFormula(el, parts);
}

/** First convolution: one filter sliding over the image, the sum at one position, play to slide it. */
export function convSlideStep(ctx, index) {
  const cc = convContext(ctx, index);
  return {
    id: `${cc.L.name}-slide`,
    phase: "forward",
    layer: cc.L.name,
    title: () => t("steps.conv_slide.title", { layer: cc.L.name, f: cc.f }),
    render({ visual, text, formulas }) {
      const { L, X, O, K, b, f, Ho, Wo } = cc;
      const g = L.geometry;
      const [, , kh, kw] = K.shape;
      let pos = cc.start;
      const kScale = scaleFor("diverging", tensorRange(K, f));
      const inView = heat(X.matrix(0), {
        kind: index === 0 ? "gray" : "sequential",
        size: 224,
        label: `X (${X.shape[1]}×${X.shape[2]})`,
      });
      const outView = heat(O.matrix(f), {
        kind: "diverging",
        size: 224,
        label: `O[${f}]`,
        onSelect: (cell) => show({ i: cell.i, j: cell.j }),
      });
      const winGrid = new GridView({ matrix: [[0]], compact: true, format: short });
      const kGrid = new GridView({ matrix: K.matrix(f, 0), scale: kScale, compact: true, format: short });
      const prodGrid = new GridView({ matrix: [[0]], compact: true, format: short });
      const sumEl = h("span", { class: "calc__result" });
      const line = h("div", { class: "formula formula--result" });
      const check = h("div");
      const anim = player({
        count: () => Ho * Wo,
        get: () => pos.i * Wo + pos.j,
        set: (k) => show(locate(k, Wo)),
        label: t("steps.conv_slide.play"),
      });
      visual.append(
        row(
          block(t("steps.conv_slide.input", { p: g.padding[0] }), inView.el),
          op("∗"),
          block(
            `K[${f}] (${kh}×${kw})`,
            kGrid.el,
            b ? h("p", { class: "hint", text: `b[${f}] = ${fmt(b.at(f))}` }) : null,
          ),
          op("="),
          block(t("steps.conv_slide.output", { f }), outView.el),
        ),
        row(
          block(t("steps.conv_slide.window"), winGrid.el),
          op("⊙"),
          block("K", h("span", { class: "hint", text: t("steps.conv_slide.same_kernel") })),
          op("="),
          block(t("steps.conv_slide.products"), prodGrid.el),
          op("→"),
          block("Σ", sumEl),
        ),
        anim,
      );
      function show(p) {
        pos = p;
        const r = convAt(X, K, b, f, p.i, p.j, g);
        const ch = r.channels[0];
        inView.setMarks([windowMark(r.top, r.left, kh, kw)]);
        outView.setMarks([cellMark(p.i, p.j)]);
        winGrid.update({
          matrix: ch.window,
          classes: (m, n) => (ch.pad[m][n] ? "is-pad" : null),
          scale: scaleFor(index === 0 ? "gray" : "sequential", X.range()),
        });
        prodGrid.update({
          matrix: ch.products,
          scale: scaleFor("diverging", { absMax: Math.max(1e-9, ...ch.products.flat().map(Math.abs)) }),
        });
        sumEl.textContent = `= ${fmt(ch.sum)}`;
        totalLine(line, r, 1);
        check.replaceChildren(checkMark(r.output, O.at(f, p.i, p.j)));
        anim.setText(`(i, j) = (${p.i}, ${p.j}) · ${p.i * Wo + p.j + 1}/${Ho * Wo}`);
      }
      text.append(
        para(t("steps.conv_slide.text", { kh, kw, n: kh * kw, f })),
        para(t("steps.conv_slide.text2", { p: g.padding[0], s: g.stride[0], ho: Ho, wo: Wo })),
      );
      formulas.append(formula(t("steps.conv.formula")), line, check, sizeFormula(L));
      show(pos);
    },
  };
}

/** Every filter of the first convolution and the map it makes. */
export function convMapsStep(ctx, index) {
  const L = ctx.F.layers[index];
  return {
    id: `${L.name}-maps`,
    phase: "forward",
    layer: L.name,
    title: () => t("steps.conv_maps.title", { layer: L.name, n: L.outputShape[0] }),
    render({ visual, text, formulas }) {
      const K = L.params.K;
      const [F, C, kh, kw] = K.shape;
      const kernels = new Tensor(K.data, [F, kh, kw]);
      visual.append(
        block(
          t("steps.conv_maps.kernels", { n: F, kh, kw }),
          mapsStrip(kernels, { kind: "diverging", size: 64, labelOf: (c) => `K[${c}]` }),
        ),
        block(
          t("steps.conv_maps.maps", { shape: `${F}@${L.outputShape[1]}×${L.outputShape[2]}` }),
          mapsStrip(L.output, { kind: "diverging", size: 96, labelOf: (c) => `O[${c}]` }),
        ),
      );
      text.append(para(t("steps.conv_maps.text", { n: F })), para(t("steps.conv_maps.text2")));
      const nParams = F * (C * kh * kw + (L.params.b ? 1 : 0));
      formulas.append(
        sizeFormula(L),
        formula(t("steps.conv_maps.params"), " = ", `${F} × (${C}·${kh}·${kw}${L.params.b ? " + 1" : ""}) = `, {
          v: String(nParams),
        }),
      );
    },
  };
}

/** Later convolutions: every input channel gives a sum, the sums are added (the course's RGB example). */
export function convChannelsStep(ctx, index) {
  const cc = convContext(ctx, index);
  return {
    id: `${cc.L.name}-channels`,
    phase: "forward",
    layer: cc.L.name,
    title: () => t("steps.conv_channels.title", { layer: cc.L.name, c: cc.X.shape[0] }),
    render({ visual, text, formulas }) {
      const { L, X, O, K, b, f, start } = cc;
      const g = L.geometry;
      const C = X.shape[0];
      const [, , kh, kw] = K.shape;
      const r = convAt(X, K, b, f, start.i, start.j, g);
      let c = r.channels.reduce((best, ch, k) => (Math.abs(ch.sum) > Math.abs(r.channels[best].sum) ? k : best), 0);
      const scale = scaleFor("sequential", X.range());
      const inputs = r.channels.map((ch) => {
        const view = heat(X.matrix(ch.c), {
          scale,
          size: 70,
          label: `X[${ch.c}]`,
          marks: [windowMark(r.top, r.left, kh, kw)],
        });
        const btn = h("button", {
          type: "button",
          class: "chip",
          text: short(ch.sum),
          attrs: { "aria-pressed": "false", "aria-label": `X[${ch.c}]: Σ = ${f3(ch.sum)}` },
          on: { click: () => pick(ch.c) },
        });
        return {
          el: h("figure", { class: "maps-strip__item" }, view.el, h("figcaption", { text: `X[${ch.c}]` }), btn),
          btn,
        };
      });
      const winGrid = new GridView({ matrix: [[0]], compact: true, format: short });
      const kGrid = new GridView({ matrix: [[0]], compact: true, format: short });
      const prodGrid = new GridView({ matrix: [[0]], compact: true, format: short });
      const sumEl = h("h4", { class: "calc__result" });
      const detailTitle = h("h4");
      const outView = heat(O.matrix(f), {
        kind: "diverging",
        size: 100,
        label: `O[${f}]`,
        marks: [cellMark(start.i, start.j)],
      });
      visual.append(
        row(
          block(
            t("steps.conv_channels.inputs", { c: C, i: start.i, j: start.j }),
            h(
              "div",
              { class: "maps-strip" },
              inputs.map((x) => x.el),
            ),
          ),
          op("⇒"),
          block(t("steps.conv_slide.output", { f }), outView.el),
        ),
        h(
          "div",
          { class: "detail-block" },
          detailTitle,
          row(winGrid.el, op("⊙"), kGrid.el, op("="), h("div", { class: "detail-block" }, sumEl, prodGrid.el)),
        ),
      );
      function pick(k) {
        c = k;
        const ch = r.channels[k];
        for (const x of inputs) x.btn.setAttribute("aria-pressed", String(x === inputs[k]));
        detailTitle.textContent = t("steps.conv_channels.detail", { c: k, f });
        winGrid.update({ matrix: ch.window, scale, classes: (m, n) => (ch.pad[m][n] ? "is-pad" : null) });
        kGrid.update({ matrix: ch.kernel, scale: scaleFor("diverging", tensorRange(K, f)) });
        prodGrid.update({
          matrix: ch.products,
          scale: scaleFor("diverging", { absMax: Math.max(1e-9, ...ch.products.flat().map(Math.abs)) }),
        });
        sumEl.textContent = `Σ = ${fmt(ch.sum)}`;
      }
      pick(c);
      const line = h("div", { class: "formula formula--result" });
      totalLine(line, r, C);
      text.append(para(t("steps.conv_channels.text", { c: C, kh, kw, f })), para(t("steps.conv_channels.text2")));
      formulas.append(
        formula(t("steps.conv.formula")),
        line,
        checkMark(r.output, O.at(f, start.i, start.j)),
        sizeFormula(L),
      );
    },
  };
}

// ------------------------------------------------------------------------------------------------ activation on maps
export function activationMapStep(ctx, index) {
  const L = ctx.F.layers[index];
  const before = layerInput(ctx.F, index);
  const after = L.output;
  const f = strongestChannel(before);
  const [, , W] = before.shape;
  return {
    id: `${L.name}`,
    phase: "forward",
    layer: L.name,
    title: () => t("steps.relu.title", { layer: L.name }),
    render({ visual, text, formulas }) {
      const data = before.channel(f).data;
      const neg = Math.min(...data); // the most negative value of the map: what ReLU removes
      const p = locate(argmaxOf(data), W);
      // the numbers shown sit around the most negative value, where the ink's edge meets the paper
      const q = locate(data.indexOf(neg), W);
      const bp = patchAround(before, f, q.i, q.j, 6, { scale: scaleFor("diverging", tensorRange(before, f)) });
      const ap = patchAround(after, f, q.i, q.j, 6, { scale: scaleFor("sequential", tensorRange(after, f)) });
      const marks = [windowMark(bp.top, bp.left, bp.matrix.rows, bp.matrix.cols, false)];
      visual.append(
        row(
          block(
            t("steps.relu.before", { f }),
            heat(before.matrix(f), { label: t("steps.relu.before", { f }), kind: "diverging", size: 196, marks }).el,
          ),
          op("→"),
          block(
            t("steps.relu.after", { f }),
            heat(after.matrix(f), { label: t("steps.relu.after", { f }), kind: "sequential", size: 196, marks }).el,
          ),
        ),
        row(bp.grid.el, op("→"), ap.grid.el),
      );
      const pos = before.at(f, p.i, p.j);
      const zeros = L.extra && L.extra.zero_fraction !== undefined ? pct(L.extra.zero_fraction) : "—";
      text.append(para(t("steps.relu.text")), para(t("steps.relu.stats", { zeros, layer: L.name })));
      formulas.append(
        formula(L.type === "relu" ? "ReLU(x) = max(0, x)" : L.formula),
        formula("max(0, ", { v: neg }, ") = ", { v: Math.max(0, neg) }),
        formula("max(0, ", { v: pos }, ") = ", { v: Math.max(0, pos) }),
      );
    },
  };
}

// ------------------------------------------------------------------------------------------------ pooling
export function poolStep(ctx, index) {
  const L = ctx.F.layers[index];
  const X = layerInput(ctx.F, index);
  const P = L.output;
  const c = strongestChannel(P);
  const [, , Wo] = P.shape;
  const mode = L.type === "avgpool" ? "avg" : L.type === "sumpool" ? "sum" : "max";
  return {
    id: L.name,
    phase: "forward",
    layer: L.name,
    title: () => t("steps.pool.title", { layer: L.name, mode: t(`layer.type.${L.type}`) }),
    render({ visual, text, formulas }) {
      const g = L.geometry;
      const p = locate(argmaxOf(P.channel(c).data), Wo);
      const r = poolAt(X, c, p.i, p.j, g, mode);
      const [kh, kw] = g.kernel;
      const win = new GridView({
        matrix: r.window,
        compact: false,
        format: f3,
        scale: scaleFor("sequential", tensorRange(X, c)),
        classes: (m, n) => (mode === "max" && m === r.argmax[0] && n === r.argmax[1] ? "is-strong" : "is-highlight"),
      });
      visual.append(
        row(
          block(
            t("steps.pool.input", { c, shape: `${X.shape[1]}×${X.shape[2]}` }),
            heat(X.matrix(c), { kind: "sequential", size: 224, marks: [windowMark(r.top, r.left, kh, kw)] }).el,
          ),
          op("→"),
          block(t("steps.pool.window", { k: `${kh}×${kw}` }), win.el),
          op("→"),
          block(
            t("steps.pool.output", { c, shape: `${P.shape[1]}×${P.shape[2]}` }),
            heat(P.matrix(c), { kind: "sequential", size: 160, marks: [cellMark(p.i, p.j)] }).el,
          ),
        ),
        block(
          t("steps.pool.all", { shape: `${P.shape[0]}@${P.shape[1]}×${P.shape[2]}` }),
          mapsStrip(P, { size: 56, marked: c }),
        ),
      );
      const vals = r.window.flat();
      const opName = mode === "max" ? "max" : mode === "avg" ? "mean" : "Σ";
      text.append(
        para(t(`steps.pool.text_${mode}`, { k: `${kh}×${kw}`, s: g.stride[0] })),
        para(t("steps.pool.text2", { a: `${X.shape[1]}×${X.shape[2]}`, b: `${P.shape[1]}×${P.shape[2]}`, n: kh * kw })),
      );
      formulas.append(
        formula(L.formula),
        formula(
          `P[${c}, ${p.i}, ${p.j}] = ${opName}(`,
          ...vals.flatMap((v, k) => [k ? ", " : "", { v, digits: 3 }]),
          ") = ",
          { v: r.output },
        ),
        checkMark(r.output, P.at(c, p.i, p.j)),
        sizeFormula(L),
      );
    },
  };
}

// ------------------------------------------------------------------------------------------------ flatten
export function flattenStep(ctx, index) {
  const L = ctx.F.layers[index];
  const P = layerInput(ctx.F, index);
  const x = L.output;
  return {
    id: L.name,
    phase: "forward",
    layer: L.name,
    title: () => t("steps.flatten.title", { n: x.size }),
    render({ visual, text, formulas }) {
      if (P.ndim !== 3) {
        visual.append(vectorView(x, { cell: 12 }).el);
        text.append(para(t("lab.flatten.already_flat")));
        return;
      }
      const [C, H, W] = P.shape;
      const k = argmaxOf(x.data);
      const { c, i, j } = unflattenIndex(k, [C, H, W]);
      const scale = scaleFor("sequential", P.range());
      const maps = [];
      for (let m = 0; m < C; m++) {
        const view = heat(P.matrix(m), { scale, size: 52, label: `P[${m}]`, marks: m === c ? [cellMark(i, j)] : [] });
        maps.push(
          h(
            "figure",
            { class: ["maps-strip__item", m === c && "is-marked"] },
            view.el,
            h("figcaption", { text: String(m) }),
          ),
        );
      }
      const vec = vectorView(x, { cell: 11, label: `x (${x.size})` });
      vec.markIndex(k);
      visual.append(
        row(
          block(
            t("steps.flatten.maps", { shape: `${C}@${H}×${W}` }),
            h("div", { class: "maps-strip maps-strip--tight" }, maps),
          ),
          op("→"),
          block(t("steps.flatten.vector", { n: x.size }), vec.el),
        ),
      );
      text.append(para(t("steps.flatten.text", { c: C, h: H, w: W, n: x.size })));
      formulas.append(
        formula(L.formula),
        formula(`x[${c}·${H * W} + ${i}·${W} + ${j}] = x[${k}] = P[${c}, ${i}, ${j}] = `, { v: x.at(k) }),
      );
    },
  };
}

// ------------------------------------------------------------------------------------------------ dense
function termsList(sorted, top, { label = (term) => `W·x[${term.j}]` } = {}) {
  const maxAbs = Math.max(1e-12, ...sorted.slice(0, top).map((term) => Math.abs(term.product)));
  return h(
    "div",
    { class: "terms-list" },
    sorted.slice(0, top).map((term) => {
      const frac = (Math.abs(term.product) / maxAbs) * 50;
      const fill = h("div", { class: ["term__fill", term.product >= 0 ? "is-pos" : "is-neg"] });
      fill.style.width = `${frac}%`;
      if (term.product < 0) fill.style.left = `${50 - frac}%`;
      return h(
        "div",
        { class: "term" },
        h("span", { text: label(term) }),
        h("div", { class: "term__bar" }, fill),
        h("span", { text: fmt(term.product) }),
      );
    }),
  );
}

/** z = W·x + b for one neuron, with the activation (and dropout) that follow it. */
export function denseStep(ctx, index, { last = false } = {}) {
  const L = ctx.F.layers[index];
  const follow = [];
  for (
    let k = index + 1;
    k < ctx.F.layers.length && (isActivation(ctx.F.layers[k].type) || ctx.F.layers[k].type === "dropout");
    k++
  )
    follow.push(ctx.F.layers[k]);
  return {
    id: L.name,
    phase: "forward",
    layer: L.name,
    title: () =>
      t(last ? "steps.dense.title_last" : "steps.dense.title", {
        layer: L.name,
        n: L.outputShape[0],
        m: L.inputShape[0],
      }),
    render({ visual, text, formulas }) {
      const x = layerInput(ctx.F, index);
      const z = L.output;
      const k = ctx.neurons[L.name];
      const Wrow = ctx.denseRows[L.name];
      const b = L.params.b ? L.params.b.at(k) : 0;
      const xs = Array.from(x.data);
      const xView = vectorView(x, { cell: 10, label: `x (${x.size})` });
      const parts = [block(t("steps.dense.input", { n: x.size }), xView.el), op("→")];
      let sumLine = null;
      if (Wrow) {
        const terms = denseTerms(Wrow, xs, b);
        const top = Math.min(6, terms.sorted.length);
        const rest = terms.sorted.slice(top).reduce((s, term) => s + term.product, 0);
        xView.setMarks(
          terms.sorted.slice(0, top).map((term) => {
            const rows = xView.opts.matrix.rows;
            return cellMark(term.j % rows, Math.floor(term.j / rows));
          }),
        );
        parts.push(
          block(
            t("steps.dense.terms", { k, top }),
            termsList(terms.sorted, top, { label: (term) => `W[${k},${term.j}]·x[${term.j}]` }),
            h("p", { class: "hint", text: t("steps.dense.rest", { n: terms.sorted.length - top, v: fmt(rest) }) }),
          ),
        );
        sumLine = formula(
          `z[${k}] = `,
          ...terms.sorted.slice(0, 3).flatMap((term, q) => [q ? " + " : "", `(${f3(term.w)} × ${f3(term.x)})`]),
          " + … + b = ",
          { v: terms.sum },
          " + ",
          { v: b },
          " = ",
          { v: terms.z },
        );
        formulas.append(formula(L.formula), sumLine, checkMark(terms.z, z.at(k)));
      } else {
        formulas.append(formula(L.formula), formula(`z[${k}] = `, { v: z.at(k) }));
      }
      parts.push(op("→"));
      if (last) {
        const bars = new BarChart({
          labels: Array.from({ length: z.size }, (_, q) => String(q)),
          signed: true,
          format: (v) => fmt(v),
          caption: t("steps.dense.logits"),
        });
        bars.update(Array.from(z.data), { top: k });
        parts.push(block(t("steps.dense.logits"), bars.el));
      } else {
        const out = follow.length ? follow[follow.length - 1].output : z;
        const zView = vectorView(out, {
          cell: 10,
          label: `${follow.length ? follow[follow.length - 1].name : L.name} (${out.size})`,
        });
        zView.markIndex(k);
        parts.push(
          block(
            t("steps.dense.output", {
              layer: follow.length ? follow.map((l) => l.name).join(" → ") : L.name,
              n: out.size,
            }),
            zView.el,
          ),
        );
      }
      visual.append(row(...parts));
      text.append(para(t(last ? "steps.dense.text_last" : "steps.dense.text", { k, m: x.size, n: L.outputShape[0] })));
      for (const layer of follow) {
        if (layer.type === "dropout")
          text.append(note(t("lab.dropout.note", { p: Math.round((layer.config.rate || 0) * 100) })));
        else {
          // the activation recomputed here (σ, tanh, ReLU…) and checked against the server
          const math = activationMath(layer.type, layer.config);
          const ours = math ? math.f(z.at(k)) : layer.output.at(k);
          formulas.append(
            formula(`${layer.name}: y[${k}] = ${math ? math.call : "f("}`, { v: z.at(k) }, ") = ", { v: ours }),
            math ? checkMark(ours, layer.output.at(k)) : null,
          );
        }
      }
      formulas.append(
        formula(t("steps.dense.params"), " = ", `${L.outputShape[0]} × ${x.size} + ${L.outputShape[0]} = `, {
          v: String(L.outputShape[0] * x.size + L.outputShape[0]),
        }),
      );
    },
  };
}

// ------------------------------------------------------------------------------------------------ softmax
export function softmaxStep(ctx, index) {
  const L = ctx.F.layers[index];
  return {
    id: L.name,
    phase: "forward",
    layer: L.name,
    title: () => t("steps.softmax.title"),
    render({ visual, text, formulas }) {
      const z = Array.from(layerInput(ctx.F, index).data);
      const probs = ctx.F.probabilities;
      const sm = softmaxTerms(z);
      const k = ctx.F.label;
      const bars = new BarChart({ labels: probs.map((_, q) => String(q)), caption: t("steps.softmax.bars") });
      bars.update(probs, { top: k, max: 1 });
      const table = h(
        "table",
        { class: "softmax-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { text: t("lab.softmax.class") }),
            h("th", { text: "z" }),
            h("th", { text: "e^(z − max z)" }),
            h("th", { text: "ŷ" }),
          ),
        ),
        h(
          "tbody",
          {},
          z.map((v, q) =>
            h(
              "tr",
              { class: q === k ? "is-top" : null },
              h("td", { text: String(q) }),
              h("td", { text: fmt(v) }),
              h("td", { text: fmt(Math.exp(v - sm.max)) }),
              h("td", { text: pct(sm.probabilities[q]) }),
            ),
          ),
        ),
      );
      visual.append(row(block(t("steps.softmax.table"), table), block(t("steps.softmax.bars"), bars.el)));
      const shiftedSum = z.reduce((s, v) => s + Math.exp(v - sm.max), 0);
      text.append(para(t("steps.softmax.text", { k, p: pct(probs[k]) })), para(t("steps.softmax.text2")));
      formulas.append(
        formula(L.formula),
        formula(`ŷ[${k}] = e^(${f3(z[k])} − ${f3(sm.max)}) / `, { v: shiftedSum }, " = ", { v: sm.probabilities[k] }),
        checkMark(sm.probabilities[k], probs[k]),
      );
    },
  };
}
