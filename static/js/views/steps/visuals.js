/**
 * Small building blocks of the /steps visuals (on top of lib/heatmap.js, lib/grid.js and the lab's detail helpers).
 *
 *   heat(matrix, {kind, range, size | cell, label, marks, describe, caption})   an interactive heatmap; kind is
 *        "gray" (the input), "sequential" (activations ≥ 0) or "diverging" (signed values, white = 0)
 *   scaleOf(kind, range)           the colour scale heat() uses (the lab's scaleFor; grids reuse it)
 *   tensorRange(t, c?)             {min, max, absMax} of a tensor or of one of its maps
 *   mapsStrip(tensor, {…})         every map of a (C, H, W) tensor as a row of small heatmaps, one marked
 *   argmaxOf(data, {abs})          index of the largest (absolute) value
 *   locate(k, cols)                flat index -> {i, j}
 *   windowMark(top, left, h, w)    the orange rectangle of a kernel or pooling window
 *   cellMark(i, j)                 one cell outlined
 *   note(text), para(text)         text blocks of the explanation column
 *   area(el)                       what a step's render() writes into: {append(...nodes)} skipping null/false
 *   short(v)                       a number in a compact grid cell: 2 significant digits, "3e-4" below 0.01
 */
import { fmt, h } from "../../lib/dom.js";
import { HeatmapView } from "../../lib/heatmap.js";
import { rangeOf } from "../../lib/colors.js";
import { scaleFor } from "../lab/overview.js";

export const WINDOW_COLOR = "#f29d0b";

/** The lab's palettes: "gray" (the input), "sequential" (≥ 0), "diverging" (signed, white = 0). */
export const scaleOf = scaleFor;

export function tensorRange(tensor, c = null) {
  return c === null ? tensor.range() : rangeOf(tensor.channel(c).data);
}

export function heat(
  matrix,
  {
    kind = "sequential",
    range = null,
    scale = null,
    size = 196,
    cell = null,
    label = "",
    marks = [],
    describe = null,
    caption = null,
    onSelect = null,
  } = {},
) {
  const r =
    range ||
    rangeOf(
      Array.from({ length: matrix.rows * matrix.cols }, (_, k) =>
        matrix.get(Math.floor(k / matrix.cols), k % matrix.cols),
      ),
    );
  const view = new HeatmapView({
    matrix,
    scale: scale || scaleOf(kind, r),
    cell: cell || size / Math.max(matrix.cols, matrix.rows),
    label,
    caption,
    interactive: true,
    exportable: true,
    gridLines: "auto",
    describe: describe || ((i, j, v) => `[${i}, ${j}] = ${fmt(v)}`),
    onSelect,
  });
  if (marks.length) view.setMarks(marks);
  return view;
}

export function windowMark(top, left, height, width, fill = true) {
  return {
    top,
    left,
    bottom: top + height - 1,
    right: left + width - 1,
    color: WINDOW_COLOR,
    width: 2,
    fill: fill ? "rgba(242,157,11,0.18)" : null,
  };
}

export const cellMark = (i, j, color = WINDOW_COLOR) => ({ top: i, left: j, bottom: i, right: j, color, width: 2 });

export function argmaxOf(data, { abs = false } = {}) {
  let best = -Infinity;
  let k = 0;
  for (let i = 0; i < data.length; i++) {
    const v = abs ? Math.abs(data[i]) : data[i];
    if (v > best) {
      best = v;
      k = i;
    }
  }
  return k;
}

export const locate = (k, cols) => ({ i: Math.floor(k / cols), j: k % cols });

/** The channel whose largest (absolute) value is the largest of all: the most telling map to show. */
export function strongestChannel(tensor, { abs = false } = {}) {
  let best = -Infinity;
  let pick = 0;
  for (let c = 0; c < tensor.shape[0]; c++) {
    const d = tensor.channel(c).data;
    const v = abs ? Math.abs(d[argmaxOf(d, { abs: true })]) : d[argmaxOf(d)];
    if (v > best) {
      best = v;
      pick = c;
    }
  }
  return pick;
}

/** Every map of a (C, H, W) tensor side by side (one shared colour scale), map `marked` outlined. */
export function mapsStrip(
  tensor,
  { kind = "sequential", size = 64, marked = null, labelOf = (c) => `${c}`, describe = null } = {},
) {
  const scale = scaleOf(kind, tensor.range());
  const items = [];
  for (let c = 0; c < tensor.shape[0]; c++) {
    const view = heat(tensor.matrix(c), {
      scale,
      size,
      label: labelOf(c),
      describe: describe ? (i, j, v) => describe(c, i, j, v) : null,
    });
    items.push(
      h(
        "figure",
        { class: ["maps-strip__item", c === marked && "is-marked"] },
        view.el,
        h("figcaption", { text: labelOf(c) }),
      ),
    );
  }
  return h("div", { class: "maps-strip" }, items);
}

export function short(v) {
  if (!Number.isFinite(v)) return fmt(v);
  const a = Math.abs(v);
  if (a === 0) return "0";
  if (a < 0.01) return v.toExponential(0).replace("-", "−");
  return fmt(v, 2);
}

export const para = (text) => h("p", { text });
export const note = (text) => h("p", { class: "note", text });

/** A stage area for step renderers: append() skips null / undefined / false (optional parts of a step). */
export function area(el) {
  return {
    el,
    append: (...nodes) => el.append(...nodes.flat().filter((n) => n !== null && n !== undefined && n !== false)),
  };
}
