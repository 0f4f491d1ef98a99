/**
 * Small building blocks of the /steps visuals (on top of lib/tensor-heatmaps.js and lib/grid.js).
 *
 *   tensorRange(t, c?)             {min, max, absMax} of a tensor or of one of its maps
 *   strongestChannel(t, {abs})     the channel whose largest (absolute) value is the largest of all
 *   mapsStrip(tensor, {…})         every map of a (C, H, W) tensor as a row of small heatmaps, one marked
 *   note(text), para(text)         text blocks of the explanation column
 */
import { h } from "../../lib/dom.js";
import { rangeOf, scaleFor } from "../../lib/colors.js";
import { argmaxOf } from "../../lib/argmax.js";
import { heat } from "../../lib/tensor-heatmaps.js";

export function tensorRange(tensor, c = null) {
  return c === null ? tensor.range() : rangeOf(tensor.channel(c).data);
}

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
  const scale = scaleFor(kind, tensor.range());
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

export const para = (text) => h("p", { text });
export const note = (text) => h("p", { class: "note", text });
