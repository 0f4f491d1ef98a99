/**
 * The receptive field block of the lab's detail views (conv, pooling, activation): the input image with the pixels a
 * unit can see outlined, from lib/cnn.js's receptiveField (compared with the server's in test_shared_modules.py).
 *
 *   receptiveFieldBlock(ctx)            the block; call .show(index, i, j) to move it to unit (i, j) of layer index
 */
import { h } from "../../lib/dom.js";
import { HeatmapView } from "../../lib/heatmap.js";
import { accent, makeScale } from "../../lib/colors.js";
import { t } from "../../lib/i18n.js";
import { receptiveField } from "../../lib/cnn.js";
import { block } from "../../lib/formula.js";

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
        color: accent(),
        width: 2,
        fill: accent(0.18),
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
