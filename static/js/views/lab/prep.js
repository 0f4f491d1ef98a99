/**
 * Card 3 of the lab: "How your drawing became 28×28". The server's preprocessing steps (grayscale, polarity,
 * noise, crop, scale to 20 px, pen width, centre of mass) as small pictures with their key numbers, then the final
 * 28×28 input, large, with every pixel value on hover (or with the arrow keys).
 */
import { $, fmt, h } from "../../lib/dom.js";
import { HeatmapView } from "../../lib/heatmap.js";
import { makeScale } from "../../lib/colors.js";
import { getLang, onLangChange, t } from "../../lib/i18n.js";
import { Tensor } from "../../lib/tensor.js";

const THUMB = 72;
const FINAL_CELL = 8;

/** The few numbers of a step worth a caption, in the current language. */
function describe(step) {
  const info = step.info || {};
  const parts = [];
  if (info.skipped) return t("lab.prep.skipped");
  switch (step.name) {
    case "grayscale":
      if (Array.isArray(info.size)) parts.push(`${info.size[0]}×${info.size[1]} px`);
      break;
    case "inverted":
      parts.push(info.inverted ? t("lab.prep.inverted_yes") : t("lab.prep.inverted_no"));
      break;
    case "denoised":
      if (info.specks_removed) parts.push(t("lab.prep.specks", { n: info.specks_removed }));
      else if (info.contrast !== undefined) parts.push(t("lab.prep.contrast", { v: fmt(info.contrast, 2) }));
      break;
    case "cropped":
      if (Array.isArray(info.bbox)) parts.push(`${info.bbox[3] - info.bbox[1]}×${info.bbox[2] - info.bbox[0]} px`);
      break;
    case "scaled":
      if (Array.isArray(info.size)) parts.push(`${info.size[0]}×${info.size[1]} px`);
      break;
    case "stroke":
      if (info.width_before !== undefined)
        parts.push(t("lab.prep.stroke", { a: fmt(info.width_before, 2), b: fmt(info.width_after, 2) }));
      break;
    case "centered":
      if (Array.isArray(info.shift))
        parts.push(t("lab.prep.shift", { dy: fmt(info.shift[0], 2), dx: fmt(info.shift[1], 2) }));
      break;
    default:
      break;
  }
  return parts.join(" · ");
}

function stepTensor(image) {
  if (typeof image === "string") return null; // PNG data URL (step_images="png")
  return Tensor.from(image);
}

export class PrepCard {
  constructor(state) {
    this.state = state;
    this.stepsEl = $("#prep-steps");
    this.finalEl = $("#prep-final");
    this.gray255 = makeScale("gray", 0, 255);
    this.gray1 = makeScale("gray", 0, 1);
    state.on("forward", () => this.render());
    onLangChange(() => this.render());
    this.render();
  }

  render() {
    const f = this.state.forward;
    if (!f) {
      this.stepsEl.replaceChildren(h("li", { class: "prep-empty", text: t("lab.prep.empty") }));
      this.finalEl.replaceChildren();
      this.finalView = null;
      return;
    }
    const lang = getLang();
    this.stepsEl.replaceChildren(
      ...f.preprocessing.map((step) => {
        const title = (lang === "fr" ? step.title_fr : step.title_en) || step.name;
        const tensor = stepTensor(step.image);
        let visual;
        if (tensor) {
          const m = tensor.matrix();
          const view = new HeatmapView({
            matrix: m,
            scale: this.gray255,
            cell: THUMB / Math.max(m.rows, m.cols),
            label: title,
            interactive: true,
            exportable: true,
            gridLines: false,
            describe: (i, j, v) => t("lab.prep.pixel", { i, j, v: Math.round(v) }),
          });
          visual = view.el;
        } else {
          visual = h("img", { src: step.image, alt: title, width: THUMB });
        }
        return h(
          "li",
          { class: "prep-step" },
          visual,
          h("span", { class: "prep-step__title", text: title }),
          h("span", { class: "prep-step__info", text: describe(step) }),
        );
      }),
    );

    const input = f.input.matrix(0);
    const caption = t("lab.prep.final_caption", { h: input.rows, w: input.cols });
    if (!this.finalView) {
      this.finalView = new HeatmapView({
        matrix: input,
        scale: this.gray1,
        cell: FINAL_CELL,
        label: t("lab.prep.final"),
        interactive: true,
        exportable: true,
        gridLines: false,
        describe: (i, j, v) => t("lab.prep.input_pixel", { i, j, v: fmt(v, 3) }),
      });
      this.finalHint = h("p", { class: "hint" });
      this.finalEl.replaceChildren(this.finalView.el, this.finalHint);
    } else {
      this.finalView.update({ matrix: input, label: t("lab.prep.final") });
    }
    this.finalHint.textContent = f.preprocessing.length ? caption : `${caption} ${t("lab.prep.none")}`;
  }
}
