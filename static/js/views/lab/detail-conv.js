/**
 * Detail view of a convolution layer.
 *
 * Forward: the input channel(s), the kernel K[f, c], the output map; for the hovered/clicked output position the
 * window, the element-wise products, their sum per channel, the channels summed (as the course's RGB example),
 * + bias = the output value (checked against the server's). An animation slides the kernel over every position.
 *
 * Backward: dL/dK[f, c] = the input correlated with the upstream gradient dL/dO[f] (one kernel cell: the product
 * map and its sum), dL/db[f] = Σ dL/dO[f], and dL/dX as the full convolution of dL/dO with the kernel turned by
 * 180° (one input pixel: the gradient window ⊙ rot180(K), summed over filters). "Check this gradient" compares a
 * kernel entry with central differences (POST /api/gradcheck).
 *
 * Why one file of over 400 lines: the forward window, the three backward gradients and the sliding animation all follow one
 * chosen position on one kernel view; split up, that shared state would have to pass between files.
 */
import { fmt, h } from "../../lib/dom.js";
import { GridView } from "../../lib/grid.js";
import { accent, makeScale, rangeOf } from "../../lib/colors.js";
import { t } from "../../lib/i18n.js";
import { convAt, convGradInputAt, convGradKernelAt, rot180 } from "../../lib/cnn.js";
import { HeatmapView } from "../../lib/heatmap.js";
import { layerInput } from "../../lib/trace.js";
import { receptiveFieldBlock } from "./receptive-field.js";
import { argmax, argmaxAbs } from "../../lib/argmax.js";
import { block, checkMark, fillFormula, formula, op, sizeFormula } from "../../lib/formula.js";
import { mapView } from "../../lib/tensor-heatmaps.js";
import { player } from "../../lib/player.js";

export function render(ctx) {
  return ctx.mode === "backward" ? renderBackward(ctx) : renderForward(ctx);
}

function signedScale(values) {
  const r = rangeOf(values);
  return makeScale("diverging", -r.absMax, r.absMax);
}

function channelChips(C, current, onPick, labelFor) {
  const chips = [];
  for (let c = 0; c < C; c++) {
    chips.push(
      h("button", {
        type: "button",
        class: "chip",
        attrs: { "aria-pressed": String(c === current) },
        text: labelFor(c),
        on: { click: () => onPick(c) },
      }),
    );
  }
  return chips;
}

// ------------------------------------------------------------------------------------------------ forward
function renderForward(ctx) {
  const { forward, col, body, formulas } = ctx;
  const f = ctx.channel;
  const X = layerInput(forward, ctx.index);
  const K = col.params.K;
  const b = col.params.b || null;
  const O = col.output;
  const g = col.geometry;
  const C = X.shape[0];
  const [, Ho, Wo] = O.shape;
  const isFirst = ctx.index === 0;
  const oMap = O.channel(f).data;
  const best = argmax(oMap);
  let pinned = ctx.pos && ctx.pos.i < Ho && ctx.pos.j < Wo ? ctx.pos : { i: Math.floor(best / Wo), j: best % Wo };
  let pos = pinned;
  let c = 0;

  formulas.append(formula(t("lab.conv.formula")), sizeFormula(col));

  const kernelScale = signedScale(K.channel(f).data);
  const inputView = mapView(X, c, {
    kind: isFirst ? "gray" : null,
    width: 168,
    label: `X[${c}]`,
    describe: (i, j, v) => `X[${c}, ${i}, ${j}] = ${fmt(v)}`,
  });
  const inputTitle = h("h4");
  const kernelGrid = new GridView({ matrix: [[0]], scale: kernelScale, compact: K.shape[2] > 3 });
  const kernelTitle = h("h4");
  const outputView = mapView(O, f, {
    kind: "diverging",
    width: 168,
    label: `O[${f}]`,
    describe: (i, j, v) => `O[${f}, ${i}, ${j}] = ${fmt(v)}`,
    onHover: (cell) => setPosition(cell ? { i: cell.i, j: cell.j } : pinned, false),
    onSelect: (cell) => {
      pinned = { i: cell.i, j: cell.j };
      ctx.setPos(pinned);
      setPosition(pinned, true);
    },
  });
  const rf = receptiveFieldBlock(ctx);
  body.append(
    h(
      "div",
      { class: "detail-row" },
      h("div", { class: "detail-block" }, inputTitle, inputView.el),
      op("∗"),
      h(
        "div",
        { class: "detail-block" },
        kernelTitle,
        kernelGrid.el,
        b ? h("p", { class: "hint", text: `b[${f}] = ${fmt(b.at(f))}` }) : null,
      ),
      op("="),
      block(t("lab.conv.output", { f }), outputView.el, h("p", { class: "hint", text: t("lab.conv.output_hint") })),
      rf,
    ),
  );

  // the computation at one position
  const chipsEl = h("div", { class: "chip-row", attrs: { role: "group", "aria-label": t("lab.conv.channels") } });
  const windowGrid = new GridView({ matrix: [[0]], compact: true });
  const kGrid = new GridView({ matrix: [[0]], scale: kernelScale, compact: true });
  const prodGrid = new GridView({ matrix: [[0]], compact: true });
  const channelSum = h("span", { class: "calc__result" });
  const totalLine = h("div", { class: "formula formula--result" });
  const checkEl = h("div");
  const calcTitle = h("h4");
  const anim = player({
    count: () => Ho * Wo,
    get: () => pos.i * Wo + pos.j,
    set: (k) => {
      pinned = { i: Math.floor(k / Wo), j: k % Wo };
      ctx.setPos(pinned);
      setPosition(pinned, true);
    },
    label: t("lab.conv.animation"),
  });
  body.append(
    h(
      "div",
      { class: "detail-block" },
      calcTitle,
      C > 1 ? h("p", { class: "hint", text: t("lab.conv.channels_hint", { C }) }) : null,
      chipsEl,
    ),
    h(
      "div",
      { class: "detail-row calc" },
      block(t("lab.conv.window"), windowGrid.el),
      op("⊙"),
      block(t("lab.conv.kernel_short"), kGrid.el),
      op("="),
      block(t("lab.conv.products"), prodGrid.el),
      op("→"),
      block("Σ", channelSum),
    ),
    totalLine,
    checkEl,
    anim,
  );

  function setPosition(p, pin) {
    pos = p;
    const r = convAt(X, K, b, f, p.i, p.j, g);
    const ch = r.channels[c];
    inputTitle.textContent = t("lab.conv.input", { c, shape: `${X.shape[1]}×${X.shape[2]}`, p: g.padding[0] });
    kernelTitle.textContent = `K[${f}, ${c}] (${K.shape[2]}×${K.shape[3]})`;
    inputView.update({ matrix: X.matrix(c), label: `X[${c}]` });
    inputView.setMarks([
      {
        top: r.top,
        left: r.left,
        bottom: r.top + r.kh - 1,
        right: r.left + r.kw - 1,
        color: accent(),
        width: 2,
        fill: accent(0.15),
      },
    ]);
    kernelGrid.update({ matrix: ch.kernel });
    outputView.setMarks([{ top: p.i, left: p.j, bottom: p.i, right: p.j, color: accent(), width: 2 }]);
    rf.show(ctx.index, p.i, p.j);
    calcTitle.textContent = t("lab.conv.at", { f, i: p.i, j: p.j });
    const winScale = isFirst ? makeScale("gray", 0, 1) : makeScale("sequential", 0, Math.max(1e-6, X.range().max));
    windowGrid.update({ matrix: ch.window, scale: winScale, classes: (m, n) => (ch.pad[m][n] ? "is-pad" : null) });
    kGrid.update({ matrix: ch.kernel });
    prodGrid.update({ matrix: ch.products, scale: signedScale(ch.products.flat()) });
    channelSum.textContent = `= ${fmt(ch.sum)}`;
    chipsEl.replaceChildren(
      ...(C > 1
        ? channelChips(
            C,
            c,
            (k) => {
              c = k;
              setPosition(pos, false);
            },
            (k) => `c${k}: ${fmt(r.channels[k].sum, 3)}`,
          )
        : []),
    );
    const parts = [`O[${f}, ${p.i}, ${p.j}] = `];
    if (C > 1) {
      parts.push("Σ", { sub: "c" }, " (Σ", { sub: "m,n" }, " X·K) + b = ");
      r.channels.forEach((chan, k) => {
        parts.push(k ? " + " : "", { v: chan.sum, digits: 3 });
      });
    } else {
      parts.push("Σ", { sub: "m,n" }, " X·K + b = ", { v: ch.sum });
    }
    parts.push(" + ", { v: r.bias }, " = ", { v: r.output });
    fillFormula(totalLine, parts);
    checkEl.replaceChildren(checkMark(r.output, O.at(f, p.i, p.j)));
    anim.setText(`(i, j) = (${p.i}, ${p.j}) · ${p.i * Wo + p.j + 1}/${Ho * Wo}`);
  }
  setPosition(pos, true);
  return {
    update: (p) => {
      if (p && p.i < Ho && p.j < Wo) {
        pinned = p;
        setPosition(p, true);
      }
    },
    destroy: () => anim.stop(),
  };
}

// ------------------------------------------------------------------------------------------------ backward
function renderBackward(ctx) {
  const { forward, backward, col, body, formulas } = ctx;
  const f = ctx.channel;
  const bl = backward.layers[ctx.index];
  const X = layerInput(forward, ctx.index);
  const K = col.params.K;
  const G = bl.gradOutput;
  const dK = bl.grads.K;
  const db = bl.grads.b || null;
  const dX = bl.gradInput;
  const g = col.geometry;
  const C = X.shape[0];
  const kh = K.shape[2];
  const kw = K.shape[3];
  const [, Ho, Wo] = G.shape;
  const [, H, W] = X.shape;
  let c = 0;
  const kStart = f * C * kh * kw;
  let cell = (() => {
    const k = argmaxAbs(dK.data, kStart, kStart + kh * kw);
    return { m: Math.floor(k / kw), n: k % kw };
  })();
  const dxBest = argmaxAbs(dX.channel(0).data);
  let pixel = ctx.pos && ctx.pos.i < H && ctx.pos.j < W ? ctx.pos : { i: Math.floor(dxBest / W), j: dxBest % W };

  formulas.append(
    formula(t("lab.conv.dk_formula")),
    formula(t("lab.conv.db_formula")),
    formula(t("lab.conv.dx_formula")),
  );

  // ---- dL/dK
  const gView = mapView(G, f, {
    kind: "diverging",
    width: 168,
    label: `dL/dO[${f}]`,
    describe: (i, j, v) => `∂L/∂O[${f}, ${i}, ${j}] = ${fmt(v)}`,
  });
  const xView = mapView(X, c, {
    kind: ctx.index === 0 ? "gray" : null,
    width: 168,
    label: `X[${c}]`,
    describe: (i, j, v) => `X[${c}, ${i}, ${j}] = ${fmt(v)}`,
  });
  const xTitle = h("h4");
  const dkTitle = h("h4");
  const dkGrid = new GridView({
    matrix: [[0]],
    compact: kh > 3,
    onCellClick: (m, n) => {
      cell = { m, n };
      renderKernelCell();
    },
  });
  const gc = ctx.gradcheckBox();
  const gcButton = h("button", {
    type: "button",
    class: "btn btn--small",
    id: "gradcheck-btn",
    on: { click: () => gc.run(col.name, "K", [f, c, cell.m, cell.n]) },
  });
  const prodView = new HeatmapView({
    matrix: { rows: Ho, cols: Wo, get: () => 0 },
    scale: makeScale("diverging", -1, 1),
    width: 168,
    label: "products",
    interactive: true,
    exportable: true,
  });
  const dkSum = h("div", { class: "formula formula--result" });
  const dkCheck = h("div");
  const dbLine = h("div", { class: "formula" });
  const chipsEl = h("div", { class: "chip-row", attrs: { role: "group", "aria-label": t("lab.conv.channels") } });
  body.append(
    h("h4", { text: t("lab.conv.dk_title", { f }) }),
    chipsEl,
    h(
      "div",
      { class: "detail-row" },
      h("div", { class: "detail-block" }, xTitle, xView.el),
      op("⋆"),
      block(t("lab.conv.upstream", { f }), gView.el),
      op("="),
      h(
        "div",
        { class: "detail-block" },
        dkTitle,
        dkGrid.el,
        h("p", { class: "hint", text: t("lab.conv.dk_click") }),
        gcButton,
        gc,
      ),
    ),
    h(
      "div",
      { class: "detail-row calc" },
      block(t("lab.conv.dk_products"), prodView.el),
      h("div", { class: "detail-block" }, dkSum, dkCheck, dbLine),
    ),
  );

  function renderKernelCell() {
    const r = convGradKernelAt(X, G, f, c, cell.m, cell.n, g);
    xTitle.textContent = t("lab.conv.input", { c, shape: `${H}×${W}`, p: g.padding[0] });
    dkTitle.textContent = `∂L/∂K[${f}, ${c}]`;
    xView.update({ matrix: X.matrix(c) });
    xView.setMarks([{ top: r.top, left: r.left, bottom: r.bottom, right: r.right, color: accent(), width: 2 }]);
    const dkMatrix = dK.matrix(f, c);
    dkGrid.update({
      matrix: dkMatrix,
      scale: signedScale(dK.channel(f).data),
      classes: (m, n) => (m === cell.m && n === cell.n ? "is-strong" : null),
    });
    gcButton.textContent = t("lab.gc.button", { name: `K[${f}, ${c}, ${cell.m}, ${cell.n}]` });
    const flat = r.products.flat();
    prodView.update({
      matrix: { rows: Ho, cols: Wo, get: (i, j) => r.products[i][j] },
      scale: signedScale(flat),
      label: `G·X (${cell.m}, ${cell.n})`,
    });
    fillFormula(dkSum, [
      `∂L/∂K[${f}, ${c}, ${cell.m}, ${cell.n}] = Σ`,
      { sub: "i,j" },
      ` ∂L/∂O[${f}, i, j] · X[${c}, i+${cell.m}−${g.padding[0]}, j+${cell.n}−${g.padding[1]}] = `,
      { v: r.sum },
    ]);
    dkCheck.replaceChildren(checkMark(r.sum, dK.at(f, c, cell.m, cell.n)));
    if (C > 1)
      chipsEl.replaceChildren(
        ...channelChips(
          C,
          c,
          (k) => {
            c = k;
            renderKernelCell();
            renderPixel();
          },
          (k) => `c${k}`,
        ),
      );
  }

  if (db) {
    const sumG = G.channel(f).data.reduce((a, v) => a + v, 0);
    fillFormula(dbLine, [`∂L/∂b[${f}] = Σ`, { sub: "i,j" }, ` ∂L/∂O[${f}, i, j] = `, { v: sumG }, " "]);
    dbLine.append(checkMark(sumG, db.at(f)));
  }

  // ---- dL/dX: full convolution with the rotated kernel
  const dxView = mapView(dX, c, {
    kind: "diverging",
    width: 196,
    label: `dL/dX[${c}]`,
    describe: (i, j, v) => `∂L/∂X[${c}, ${i}, ${j}] = ${fmt(v)}`,
    onSelect: (p) => {
      pixel = { i: p.i, j: p.j };
      ctx.setPos(pixel);
      renderPixel();
    },
  });
  const rotGrid = new GridView({ matrix: [[0]], compact: kh > 3 });
  const gwinGrid = new GridView({ matrix: [[0]], compact: kh > 3 });
  const pxProd = new GridView({ matrix: [[0]], compact: kh > 3 });
  const dxTotal = h("div", { class: "formula formula--result" });
  const dxCheck = h("div");
  const filterSums = h("div", { class: "channel-sums" });
  const dxTitle = h("h4");
  body.append(
    h("h4", { text: t("lab.conv.dx_title") }),
    h(
      "div",
      { class: "detail-row" },
      block(t("lab.conv.dx_map", { c }), dxView.el, h("p", { class: "hint", text: t("lab.conv.dx_click") })),
      h(
        "div",
        { class: "detail-block" },
        dxTitle,
        h(
          "div",
          { class: "detail-row calc" },
          block(t("lab.conv.grad_window"), gwinGrid.el),
          op("⊙"),
          block(t("lab.conv.rotated", { f, c }), rotGrid.el),
          op("="),
          block(t("lab.conv.products"), pxProd.el),
        ),
        filterSums,
        dxTotal,
        dxCheck,
      ),
    ),
  );

  function renderPixel() {
    const r = convGradInputAt(G, K, c, pixel.i, pixel.j, g);
    const fr = r.filters[f];
    dxView.update({ matrix: dX.matrix(c) });
    dxView.setMarks([{ top: pixel.i, left: pixel.j, bottom: pixel.i, right: pixel.j, color: accent(), width: 2 }]);
    dxTitle.textContent = t("lab.conv.dx_at", { c, i: pixel.i, j: pixel.j, f });
    rotGrid.update({ matrix: rot180(toNested(K, f, c)), scale: signedScale(K.channel(f).data) });
    gwinGrid.update({
      matrix: fr.gradWindow,
      scale: signedScale(G.channel(f).data),
      classes: (a, bb) => (fr.valid[a][bb] ? null : "is-pad"),
    });
    pxProd.update({ matrix: fr.products, scale: signedScale(fr.products.flat()) });
    filterSums.replaceChildren(
      t("lab.conv.sum_filters"),
      ...r.filters.map((fi) =>
        h("span", { class: fi.f === f ? "badge badge--accent" : "badge", text: `f${fi.f}: ${fmt(fi.sum, 3)}` }),
      ),
    );
    fillFormula(dxTotal, [
      `∂L/∂X[${c}, ${pixel.i}, ${pixel.j}] = Σ`,
      { sub: "f" },
      " Σ",
      { sub: "m,n" },
      " ∂L/∂O · rot180(K) = ",
      { v: r.total },
    ]);
    dxCheck.replaceChildren(checkMark(r.total, dX.at(c, pixel.i, pixel.j)));
  }
  renderKernelCell();
  renderPixel();
  return {
    update: (p) => {
      if (p && p.i < H && p.j < W) {
        pixel = p;
        renderPixel();
      }
    },
  };
}

function toNested(K, f, c) {
  const m = K.matrix(f, c);
  return Array.from({ length: m.rows }, (_, i) => Array.from({ length: m.cols }, (_, j) => m.get(i, j)));
}
