/**
 * Card 4 of the lab: the whole network at a glance, input → softmax. One column per layer with its name, its
 * shape in the course's notation (8@28×28), every feature map as a small heatmap (vectors as columns of cells), and
 * a legend with the range of the colours. Forward mode shows the layer outputs, backward mode dL/d(output).
 * Colour normalisation: per map, per layer or over the whole network. Clicking a map opens its detail view.
 */
import { $, fmt, h } from "../../lib/dom.js";
import { drawMatrix, legend } from "../../lib/heatmap.js";
import { makeScale, mergeRanges, rangeOf, scaleFor } from "../../lib/colors.js";
import { vectorLayout, vectorMatrix } from "../../lib/tensor-heatmaps.js";
import { onLangChange, t } from "../../lib/i18n.js";
import { shapeLabel } from "../../lib/tensor.js";
import { columns, gradientOf, isMaps } from "../../lib/trace.js";

/** A few characters that say what a layer does, its numbers included ("conv 5×5", "max 2×2", "W·x+b"). */
export function shortType(col) {
  const g = col.geometry;
  const size = g ? `${g.kernel[0]}×${g.kernel[1]}` : "";
  switch (col.type) {
    case "conv2d":
      return `conv ${size}`;
    case "maxpool":
      return `max ${size}`;
    case "avgpool":
      return `avg ${size}`;
    case "sumpool":
      return `sum ${size}`;
    case "dense":
      return "W·x + b";
    case "relu":
      return "max(0, x)";
    case "input":
      return t("layer.type.input");
    case "dropout":
      return `p = ${col.config.rate ?? "?"}`;
    case "softmax":
      return "eᶻ / Σ eᶻ";
    case "flatten":
      return "c·h·w";
    default:
      return t(`layer.type.${col.type}`);
  }
}

function tileSize(channels) {
  if (channels <= 1) return { perRow: 1, tile: 56 };
  if (channels <= 8) return { perRow: 2, tile: 28 };
  if (channels <= 16) return { perRow: 4, tile: 17 };
  return { perRow: 6, tile: 12 };
}

/** The palette a column uses: the input in grey, gradients always signed, activations sequential. */
export function paletteFor(column, mode, range) {
  if (mode === "forward" && column.type === "input") return "gray";
  if (mode === "backward") return "diverging";
  return range.min < 0 ? "diverging" : "sequential";
}

export class Overview {
  constructor(state, { onSelect }) {
    this.state = state;
    this.onSelect = onSelect;
    this.root = $("#overview");
    this.legendsEl = $("#network-legends");
    this.signature = null;
    for (const key of ["forward", "backward", "mode", "norm"]) state.on(key, () => this.render());
    state.on("selection", () => this.markSelection());
    onLangChange(() => {
      this.signature = null;
      this.render();
    });
  }

  valuesOf(column) {
    const { mode, backward } = this.state;
    if (mode === "backward") return gradientOf(backward, column.index);
    return column.output;
  }

  render() {
    const f = this.state.forward;
    if (!f) {
      this.signature = null;
      // a list needs list items: until a digit is drawn the hint sits in a plain group
      this.root.setAttribute("role", "group");
      this.root.replaceChildren(h("p", { class: "overview__empty hint", text: t("lab.net.empty") }));
      this.legendsEl.replaceChildren();
      return;
    }
    const cols = columns(f);
    const signature = `${f.model}|${cols.map((c) => `${c.name}:${c.outputShape.join("x")}`).join(",")}`;
    if (signature !== this.signature) this.build(cols, signature);
    // same layout, new numbers: the columns must point at this trace's tensors
    else
      this.columns.forEach((entry, k) => {
        entry.col = cols[k];
      });
    this.paint();
    this.markSelection();
  }

  build(cols, signature) {
    this.signature = signature;
    this.columns = cols.map((col) => {
      const maps = isMaps(col.output) ? col.output.shape[0] : 1;
      const { perRow, tile } = tileSize(maps);
      const mapsEl = h("div", { class: "layer-col__maps" });
      const buttons = [];
      if (isMaps(col.output)) {
        mapsEl.style.gridTemplateColumns = `repeat(${perRow}, ${tile}px)`;
        for (let c = 0; c < maps; c++) {
          const canvas = h("canvas");
          const btn = h(
            "button",
            {
              type: "button",
              class: "map-btn",
              attrs: { "aria-pressed": "false", "aria-label": t("lab.net.map_label", { layer: col.name, c }) },
              on: { click: () => this.onSelect({ index: col.index, channel: c, pos: null }) },
            },
            canvas,
          );
          btn.dataset.channel = String(c);
          buttons.push({ btn, canvas, c, tile });
          mapsEl.append(btn);
        }
      } else {
        const canvas = h("canvas");
        const btn = h(
          "button",
          {
            type: "button",
            class: "map-btn",
            attrs: {
              "aria-pressed": "false",
              "aria-label": t("lab.net.vector_label", { layer: col.name, n: col.output.size }),
            },
            on: {
              click: (e) => this.onSelect({ index: col.index, channel: 0, pos: this.vectorUnitAt(col, canvas, e) }),
            },
          },
          canvas,
        );
        buttons.push({ btn, canvas, c: 0, vector: true });
        mapsEl.append(btn);
      }
      const width = isMaps(col.output) ? perRow * tile + (perRow - 1) * 2 + 12 : 64;
      const leg = legend(makeScale("sequential", 0, 1), { digits: 2 });
      const nameBtn = h("button", {
        type: "button",
        class: "layer-col__name",
        text: col.name,
        title: col.formula || "",
        on: { click: () => this.onSelect({ index: col.index, channel: 0, pos: null }) },
      });
      const el = h(
        "div",
        { class: "layer-col", attrs: { role: "listitem" }, dataset: { index: String(col.index), layer: col.name } },
        nameBtn,
        h("span", { class: "layer-col__type", text: shortType(col), title: t(`layer.type.${col.type}`) }),
        h("span", { class: "layer-col__shape", text: shapeLabel(col.outputShape) }),
        mapsEl,
        leg,
      );
      el.style.width = `${Math.max(60, width)}px`;
      return { col, el, buttons, legend: leg };
    });
    this.root.setAttribute("role", "list");
    this.root.replaceChildren(...this.columns.map((c) => c.el));
  }

  vectorUnitAt(col, canvas, event) {
    if (!event || event.detail === 0) return null; // keyboard: open the layer without a unit
    const { rows, cols } = vectorLayout(col.output.size);
    const rect = canvas.getBoundingClientRect();
    const j = Math.floor(((event.clientX - rect.left) / rect.width) * cols);
    const i = Math.floor(((event.clientY - rect.top) / rect.height) * rows);
    const k = j * rows + i;
    return k >= 0 && k < col.output.size ? { i: 0, j: k } : null;
  }

  paint() {
    const { mode, norm } = this.state;
    const ranges = this.columns.map(({ col }) => {
      const v = this.valuesOf(col);
      return v?.data ? v.range() : null;
    });
    // the network-wide range leaves out the input's 0..1 pixels (forward) and the softmax column: its probabilities
    // (forward) or dL/dŷ = −y/ŷ (backward, −1/ŷ can reach 10⁵ for an unlikely label) would wash every other map out
    const ownScale = (col) => col.type === "softmax" || (mode === "forward" && col.type === "input");
    const global = mergeRanges(this.columns.map(({ col }, k) => (ownScale(col) ? null : ranges[k])));
    const globalSigned = makeScale("diverging", -global.absMax, global.absMax);
    const globalSeq = makeScale("sequential", 0, global.max > 0 ? global.max : 1);
    const legends = [
      legend(globalSigned, { title: mode === "backward" ? t("lab.net.legend_grad") : t("lab.net.legend_signed") }),
    ];
    if (mode === "forward") legends.push(legend(globalSeq, { title: t("lab.net.legend_act") }));
    this.legendsEl.replaceChildren(...legends);
    this.columns.forEach(({ col, buttons, legend: leg, el }, k) => {
      const values = this.valuesOf(col);
      el.classList.toggle("is-missing", !values);
      if (!values?.data) {
        for (const b of buttons) b.canvas.getContext("2d").clearRect(0, 0, b.canvas.width, b.canvas.height);
        return;
      }
      const layerRange = ranges[k];
      const kind = paletteFor(col, mode, layerRange);
      const baseRange = norm === "global" && !ownScale(col) ? global : layerRange;
      const layerScale = scaleFor(kind, baseRange);
      leg.update(layerScale);
      for (const b of buttons) {
        let matrix;
        let scale = layerScale;
        if (b.vector) {
          matrix = vectorMatrix(values);
          const cell = Math.max(3, Math.min(12, 46 / matrix.cols, 150 / matrix.rows));
          this.sizeCanvas(b.canvas, matrix.cols * cell, matrix.rows * cell);
        } else {
          matrix = values.matrix(b.c);
          if (norm === "map" && kind !== "gray") scale = scaleFor(kind, rangeOf(values.channel(b.c).data));
          this.sizeCanvas(b.canvas, b.tile, b.tile * (matrix.rows / matrix.cols));
        }
        const ctx = b.canvas.getContext("2d");
        ctx.clearRect(0, 0, b.canvas.width, b.canvas.height);
        drawMatrix(ctx, matrix, scale, 0, 0, b.canvas.width, b.canvas.height);
        const r = b.vector ? layerRange : rangeOf(values.channel(b.c).data);
        b.btn.title = `${col.name}${b.vector ? "" : ` · ${t("lab.net.map")} ${b.c}`} — min ${fmt(r.min, 3)}, max ${fmt(r.max, 3)}`;
      }
    });
  }

  sizeCanvas(canvas, w, hgt) {
    const dpr = Math.min(window.devicePixelRatio || 1, 3);
    const pw = Math.max(1, Math.round(w * dpr));
    const ph = Math.max(1, Math.round(hgt * dpr));
    if (canvas.width !== pw) canvas.width = pw;
    if (canvas.height !== ph) canvas.height = ph;
    canvas.style.width = `${Math.round(w)}px`;
    canvas.style.height = `${Math.round(hgt)}px`;
  }

  markSelection() {
    if (!this.columns) return;
    const sel = this.state.selection;
    for (const { col, el, buttons } of this.columns) {
      const selected = sel && sel.index === col.index;
      el.classList.toggle("is-selected", Boolean(selected));
      for (const b of buttons)
        b.btn.setAttribute("aria-pressed", String(Boolean(selected && (b.vector || b.c === sel.channel))));
    }
  }
}
