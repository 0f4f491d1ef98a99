/**
 * Building blocks shared by the detail views of the lab (views/lab/detail-*.js):
 *
 *   layerFormula(col)                   the layer's formula, translated
 *   block(title, ...children)           a titled column
 *   op(symbol)                          a big operator between blocks (∗, =, →, ⊙)
 *   formula(...parts)                   a formula line; numbers given as {v: 1.23} are highlighted
 *   sizeFormula(layer)                  the course's (N − F + 2P)/S + 1 filled with this layer's numbers
 *   mapView(tensor, c, {kind, …})       a HeatmapView of map c (or of a whole vector) with its palette chosen
 *   vectorView(tensor, {…})             a vector as a column-major block of cells, index k -> (i, j)
 *   checkMark(ours, server)             "✓ same as the server's value" / "✗ differs" (the page recomputes each number)
 *   receptiveFieldBlock(ctx)            the input image with the receptive field of a unit drawn on it
 *   player({count, get, set})           play/pause/step controls for animations (kernel sliding)
 */
import { fmt, h } from "../../lib/dom.js";
import { HeatmapView } from "../../lib/heatmap.js";
import { makeScale, rangeOf } from "../../lib/colors.js";
import { hasKey, t } from "../../lib/i18n.js";
import { receptiveField, totalPadding } from "../../lib/cnn.js";
import { scaleFor, vectorLayout } from "./overview.js";

/** The layer's formula in the page's language (the engine writes the course's French notation). */
export function layerFormula(col) {
  const key = `formula.${col.type}`;
  return hasKey(key) ? t(key) : col.formula;
}

export function block(title, ...children) {
  return h("div", { class: "detail-block" }, title ? h("h4", { text: title }) : null, ...children);
}

export const op = (symbol) => h("span", { class: "op", text: symbol, attrs: { "aria-hidden": "true" } });

export function formula(...parts) {
  const el = h("div", { class: "formula" });
  fillFormula(el, parts);
  return el;
}

export function fillFormula(el, parts) {
  el.replaceChildren(
    ...parts.flat().map((p) => {
      if (p === null || p === undefined) return "";
      if (typeof p === "object" && !(p instanceof Node) && "v" in p)
        return h("span", { class: "v", text: typeof p.v === "number" ? fmt(p.v, p.digits || 4) : p.v });
      if (typeof p === "object" && !(p instanceof Node) && "sub" in p) return h("sub", { text: String(p.sub) });
      if (typeof p === "object" && !(p instanceof Node) && "sup" in p) return h("sup", { text: String(p.sup) });
      return p;
    }),
  );
  return el;
}

/** H_out = (N − F + 2P)/S + 1 with the numbers of a conv or pooling layer (rows; columns too if they differ). */
export function sizeFormula(layer) {
  const g = layer.geometry;
  if (!g) return null;
  const [, n, w] = layer.inputShape;
  const [, ho, wo] = layer.outputShape;
  const axis = (N, F, S, P0, out) => {
    const ptot = totalPadding(N, F, S, out, P0);
    const padText = ptot % 2 === 0 ? `2·${ptot / 2}` : `${ptot}`;
    return [`(${N} − ${F} + ${padText}) / ${S} + 1 = `, { v: String(out) }];
  };
  const rows = axis(n, g.kernel[0], g.stride[0], g.padding[0], ho);
  const parts = [t("lab.detail.size_formula"), " = ", ...rows];
  if (w !== n || g.kernel[1] !== g.kernel[0] || g.stride[1] !== g.stride[0])
    parts.push("  ×  ", ...axis(w, g.kernel[1], g.stride[1], g.padding[1], wo));
  return formula(...parts);
}

export function paletteOf(tensor, { signed = null, gray = false } = {}) {
  if (gray) return "gray";
  if (signed === true) return "diverging";
  if (signed === false) return "sequential";
  return tensor.range().min < 0 ? "diverging" : "sequential";
}

/** Map c of a (C, H, W) tensor as an interactive heatmap at `cell` px per value. */
export function mapView(
  tensor,
  c,
  { kind = null, cell = null, width = 196, label = "", describe, onHover, onSelect, scale = null } = {},
) {
  const matrix = tensor.matrix(c);
  const k = kind || paletteOf(tensor);
  const sc = scale || scaleFor(k, rangeOf(tensor.channel(c).data));
  return new HeatmapView({
    matrix,
    scale: sc,
    cell: cell || width / matrix.cols,
    label,
    interactive: true,
    exportable: true,
    describe,
    onHover,
    onSelect,
  });
}

/** A vector (D) as a column-major block (as in the overview); describe/onHover/onSelect get the index k. */
export function vectorView(
  tensor,
  { kind = null, cell = 10, label = "", describe, onHover, onSelect, scale = null } = {},
) {
  const d = tensor.size;
  const { rows, cols } = vectorLayout(d);
  const data = tensor.data;
  const matrix = {
    rows,
    cols,
    get: (i, j) => {
      const k = j * rows + i;
      return k < d ? data[k] : NaN;
    },
  };
  const toK = (i, j) => j * rows + i;
  const k = kind || paletteOf(tensor);
  const view = new HeatmapView({
    matrix,
    scale: scale || scaleFor(k, tensor.range()),
    cell,
    label,
    interactive: true,
    exportable: true,
    describe: (i, j, v) => (toK(i, j) < d ? (describe ? describe(toK(i, j), v) : `[${toK(i, j)}] ${fmt(v)}`) : "—"),
    onHover: (cellPos) => onHover?.(cellPos && toK(cellPos.i, cellPos.j) < d ? toK(cellPos.i, cellPos.j) : null),
    onSelect: (cellPos) => onSelect && toK(cellPos.i, cellPos.j) < d && onSelect(toK(cellPos.i, cellPos.j)),
  });
  view.markIndex = (kk, color = "#f29d0b") => {
    if (kk === null || kk === undefined) {
      view.setMarks([]);
      return;
    }
    const i = kk % rows;
    const j = Math.floor(kk / rows);
    view.setMarks([{ top: i, left: j, bottom: i, right: j, color, width: 2 }]);
  };
  return view;
}

/** Compare a number the page recomputed with the server's (rounded to 4 significant digits on the wire). */
export function checkMark(ours, server) {
  const tol = 2e-3 * Math.max(1, Math.abs(server)) + 1e-6;
  const ok = Math.abs(ours - server) <= tol;
  return h("span", {
    class: ["check", ok ? "check--ok" : "check--off"],
    text: ok ? t("lab.detail.check_ok", { v: fmt(server) }) : t("lab.detail.check_off", { v: fmt(server) }),
  });
}

/** The input image with a unit's receptive field; call .show(index, i, j) to move it. */
export function receptiveFieldBlock(ctx) {
  const input = ctx.forward.input;
  const [, H, W] = input.shape;
  const view = new HeatmapView({
    matrix: input.matrix(0),
    scale: makeScale("gray", 0, Math.max(1, input.range().max)),
    cell: 112 / W,
    label: t("lab.detail.rf_title"),
    interactive: false,
    gridLines: false,
  });
  const text = h("p", { class: "hint" });
  const el = block(t("lab.detail.rf_title"), view.el, text);
  el.classList.add("rf-block");
  el.show = (index, i, j) => {
    const layers = [{ type: "input", geometry: null }, ...ctx.forward.layers];
    // layers[] of cnn.receptiveField are the model's layers; index −1 (input) is the pixel itself
    const rf =
      index < 0
        ? { top: i, left: j, bottom: i, right: j, full: false }
        : receptiveField(layers.slice(1), index, i, j, [H, W]);
    view.setMarks([
      {
        top: rf.top,
        left: rf.left,
        bottom: rf.bottom,
        right: rf.right,
        color: "#f29d0b",
        width: 2,
        fill: "rgba(242,157,11,0.18)",
      },
    ]);
    text.textContent = rf.full
      ? t("lab.detail.rf_full")
      : t("lab.detail.rf_rect", {
          r0: rf.top,
          r1: rf.bottom,
          c0: rf.left,
          c1: rf.right,
          h: rf.bottom - rf.top + 1,
          w: rf.right - rf.left + 1,
        });
  };
  return el;
}

/** Play/pause/step controls. positions: how many; get(): current index; set(k): go to k. */
export function player({ count, get, set, label }) {
  let timer = null;
  const speeds = [
    ["slow", 700],
    ["normal", 260],
    ["fast", 60],
  ];
  let delay = 260;
  const posEl = h("span", { class: "pos", attrs: { "aria-live": "off" } });
  const playBtn = h("button", { type: "button", class: "btn btn--small", dataset: { action: "play" } });
  const stop = () => {
    clearInterval(timer);
    timer = null;
    playBtn.textContent = `${t("player.play")} ▶`;
    playBtn.setAttribute("aria-pressed", "false");
  };
  const tick = () => {
    const next = get() + 1;
    if (next >= count()) {
      stop();
      return;
    }
    set(next);
  };
  const start = () => {
    if (get() >= count() - 1) set(0);
    timer = setInterval(tick, delay);
    playBtn.textContent = t("player.pause");
    playBtn.setAttribute("aria-pressed", "true");
  };
  playBtn.addEventListener("click", () => (timer ? stop() : start()));
  const stepBtn = (text, aria, delta) =>
    h("button", {
      type: "button",
      class: "btn btn--small",
      text,
      attrs: { "aria-label": aria },
      on: {
        click: () => {
          stop();
          set(Math.max(0, Math.min(count() - 1, get() + delta)));
        },
      },
    });
  const speed = h(
    "select",
    {
      attrs: { "aria-label": t("player.speed") },
      on: {
        change: () => {
          delay = Number(speed.value);
          if (timer) {
            stop();
            start();
          }
        },
      },
    },
    ...speeds.map(([key, ms]) => h("option", { value: String(ms), text: t(`player.${key}`), selected: ms === delay })),
  );
  const el = h(
    "div",
    { class: "player", attrs: { role: "group", "aria-label": label || t("player.label") } },
    stepBtn("«", t("player.first"), -Infinity),
    stepBtn("‹", t("player.back"), -1),
    playBtn,
    stepBtn("›", t("player.step"), 1),
    speed,
    posEl,
  );
  stop();
  el.stop = stop;
  el.setText = (text) => {
    posEl.textContent = text;
  };
  return el;
}

/** Index and value of the largest |v| in a (sub)array. */
export function argmaxAbs(data, from = 0, to = data.length) {
  let best = -1;
  let k = from;
  for (let i = from; i < to; i++) {
    const a = Math.abs(data[i]);
    if (a > best) {
      best = a;
      k = i;
    }
  }
  return k - from;
}

/** Index of the largest value. */
export function argmax(data, from = 0, to = data.length) {
  let best = -Infinity;
  let k = from;
  for (let i = from; i < to; i++)
    if (data[i] > best) {
      best = data[i];
      k = i;
    }
  return k - from;
}
