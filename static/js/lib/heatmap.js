/**
 * Heatmaps: a 2-D array drawn on a <canvas>, one square per value, nearest-neighbour scaling (no blur: a pixel
 * of a 28×28 map stays a crisp square on a projector), with pixel values on hover and keyboard navigation.
 *
 *   const view = new HeatmapView({
 *     matrix,                 // {rows, cols, get(i, j)} — e.g. Tensor.matrix(c)
 *     scale,                  // from colors.js (makeScale / autoScale)
 *     cell: 8 | width: 224,   // CSS pixels per value, or the width to fit (height follows)
 *     label: "conv1, filter 3",   // accessible name (and the PNG file name); screen readers also hear the
 *                                 // size and the range, and the keyboard cursor's values (aria-live)
 *     caption: "…",           // optional text under the map
 *     interactive: true,      // hover tooltip, click/Enter to select, arrow keys move a cursor
 *     describe: (i, j, v) => "text or Node",   // tooltip content (default: "row i, col j: v")
 *     onHover: (cell|null) => {}, onSelect: (cell) => {},     // cell = {i, j, value}
 *     showValues: false,      // print the numbers inside the cells (small matrices)
 *     exportable: true,       // a "PNG" button appears on hover/focus
 *   });
 *   parent.append(view.el);
 *   view.setMarks([{top, left, bottom, right, color, width, dash, fill}]);  // rectangles in cell coordinates
 *   view.update({matrix, scale});  view.download();
 *
 *   legend(scale, {title, digits}) -> an element: the colour bar with min / 0 / max ticks (legend.update(scale))
 *   drawMatrix(ctx, matrix, scale, x, y, w, h)   paint a matrix into any canvas context
 *   matrixImage(matrix, scale)                   an offscreen 1-pixel-per-value canvas
 */
import { fmt, h, tooltip } from "./dom.js";
import { t } from "./i18n.js";
import { downloadCanvas } from "./download.js";

/** A canvas with one pixel per value (the source for nearest-neighbour upscaling). */
export function matrixImage(matrix, scale) {
  const { rows, cols } = matrix;
  const canvas = document.createElement("canvas");
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(cols, rows);
  const px = img.data;
  const lut = scale.lut;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = matrix.get(i, j);
      const k = (i * cols + j) * 4;
      if (v === undefined || Number.isNaN(v)) {
        px[k + 3] = 0; // missing values stay transparent
        continue;
      }
      const li = scale.index(v);
      px[k] = lut[li];
      px[k + 1] = lut[li + 1];
      px[k + 2] = lut[li + 2];
      px[k + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}

export function drawMatrix(ctx, matrix, scale, x, y, w, hgt) {
  const src = matrixImage(matrix, scale);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(src, x, y, w, hgt);
}

export class HeatmapView {
  constructor(options) {
    this.opts = { interactive: false, exportable: false, showValues: false, gridLines: "auto", ...options };
    this.marks = [];
    this.cursor = null; // keyboard cursor {i, j}
    this.hover = null;
    this.el = h("figure", { class: "heatmap" });
    this.canvas = h("canvas", { attrs: { role: "img" } });
    this.el.append(this.canvas);
    if (this.opts.caption) this.captionEl = h("figcaption", { text: this.opts.caption });
    if (this.captionEl) this.el.append(this.captionEl);
    if (this.opts.exportable) {
      const btn = h("button", {
        class: "btn btn--small",
        type: "button",
        text: "PNG",
        attrs: { title: t("heatmap.export") },
        on: { click: () => this.download() },
      });
      btn.setAttribute("aria-label", `${t("heatmap.export")} — ${this.opts.label || ""}`);
      this.el.append(h("div", { class: "heatmap__tools" }, btn));
    }
    if (this.opts.interactive) this.bindPointer();
    this.update({});
  }

  update({ matrix, scale, label, caption, cell, width } = {}) {
    if (matrix) this.opts.matrix = matrix;
    if (scale) this.opts.scale = scale;
    if (label !== undefined) this.opts.label = label;
    if (cell !== undefined) {
      this.opts.cell = cell;
      this.opts.width = undefined;
    }
    if (width !== undefined) {
      this.opts.width = width;
      this.opts.cell = undefined;
    }
    if (caption !== undefined && this.captionEl) this.captionEl.textContent = caption;
    const m = this.opts.matrix;
    if (!m) return;
    if (this.cursor && (this.cursor.i >= m.rows || this.cursor.j >= m.cols)) this.cursor = null;
    this.cellSize = this.opts.cell || (this.opts.width ? this.opts.width / m.cols : 8);
    this.cssW = Math.max(1, Math.round(m.cols * this.cellSize));
    this.cssH = Math.max(1, Math.round(m.rows * this.cellSize));
    this.canvas.setAttribute("aria-label", this.textAlternative());
    this.render();
  }

  /** What a screen reader says of the map: its name, its size and its range (and how to read it cell by cell). */
  textAlternative() {
    const m = this.opts.matrix;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < m.rows; i++)
      for (let j = 0; j < m.cols; j++) {
        const v = m.get(i, j);
        if (v < min) min = v;
        if (v > max) max = v;
      }
    const range = min <= max ? { min: fmt(min), max: fmt(max) } : { min: "—", max: "—" };
    const text = t("heatmap.alt", {
      label: this.opts.label || t("heatmap.unnamed"),
      rows: m.rows,
      cols: m.cols,
      ...range,
    });
    return this.opts.interactive ? `${text} ${t("heatmap.alt_keys")}` : text;
  }

  setMarks(marks) {
    this.marks = marks || [];
    this.render();
  }

  render() {
    const m = this.opts.matrix;
    if (!m) return;
    const dpr = Math.min(window.devicePixelRatio || 1, 3);
    const w = Math.round(this.cssW * dpr);
    const hh = Math.round(this.cssH * dpr);
    if (this.canvas.width !== w || this.canvas.height !== hh) {
      this.canvas.width = w;
      this.canvas.height = hh;
    }
    this.canvas.style.width = `${this.cssW}px`;
    this.canvas.style.height = `${this.cssH}px`;
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, hh);
    this.source = matrixImage(m, this.opts.scale);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.source, 0, 0, w, hh);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const cw = this.cssW / m.cols;
    const ch = this.cssH / m.rows;
    const grid = this.opts.gridLines === "auto" ? cw >= 10 : this.opts.gridLines;
    if (grid) {
      ctx.strokeStyle = "rgba(255,255,255,0.35)";
      ctx.lineWidth = 1 / dpr;
      ctx.beginPath();
      for (let j = 1; j < m.cols; j++) {
        ctx.moveTo(j * cw, 0);
        ctx.lineTo(j * cw, this.cssH);
      }
      for (let i = 1; i < m.rows; i++) {
        ctx.moveTo(0, i * ch);
        ctx.lineTo(this.cssW, i * ch);
      }
      ctx.stroke();
    }
    if (this.opts.showValues && cw >= 22) {
      ctx.font = `${Math.min(13, Math.floor(cw / 3.2))}px ui-monospace, monospace`;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      for (let i = 0; i < m.rows; i++) {
        for (let j = 0; j < m.cols; j++) {
          const v = m.get(i, j);
          ctx.fillStyle = this.opts.scale.isDark(v) ? "#fff" : "#000";
          ctx.fillText(fmt(v, 2), (j + 0.5) * cw, (i + 0.5) * ch);
        }
      }
    }
    for (const mark of this.marks) this.drawMark(ctx, mark, cw, ch);
    const focusCell = this.cursor || this.hover;
    if (focusCell && this.opts.interactive) {
      this.drawMark(
        ctx,
        { top: focusCell.i, left: focusCell.j, bottom: focusCell.i, right: focusCell.j, color: "#111", width: 2 },
        cw,
        ch,
      );
      this.drawMark(
        ctx,
        {
          top: focusCell.i,
          left: focusCell.j,
          bottom: focusCell.i,
          right: focusCell.j,
          color: "#fff",
          width: 1,
          inset: 2,
        },
        cw,
        ch,
      );
    }
  }

  drawMark(ctx, mark, cw, ch) {
    const inset = mark.inset || 0;
    const x = mark.left * cw + inset;
    const y = mark.top * ch + inset;
    const w = (mark.right - mark.left + 1) * cw - 2 * inset;
    const hh = (mark.bottom - mark.top + 1) * ch - 2 * inset;
    if (mark.fill) {
      ctx.fillStyle = mark.fill;
      ctx.fillRect(x, y, w, hh);
    }
    if (mark.color) {
      const lw = mark.width || 2;
      ctx.strokeStyle = mark.color;
      ctx.lineWidth = lw;
      ctx.setLineDash(mark.dash || []);
      ctx.strokeRect(x + lw / 2, y + lw / 2, Math.max(0, w - lw), Math.max(0, hh - lw));
      ctx.setLineDash([]);
    }
  }

  cellAt(clientX, clientY) {
    const m = this.opts.matrix;
    const rect = this.canvas.getBoundingClientRect();
    const j = Math.floor(((clientX - rect.left) / rect.width) * m.cols);
    const i = Math.floor(((clientY - rect.top) / rect.height) * m.rows);
    if (i < 0 || j < 0 || i >= m.rows || j >= m.cols) return null;
    return { i, j, value: m.get(i, j) };
  }

  describe(cell) {
    if (this.opts.describe) return this.opts.describe(cell.i, cell.j, cell.value);
    return h("span", {}, t("heatmap.cell", { i: cell.i, j: cell.j }), " ", h("b", { text: fmt(cell.value) }));
  }

  showTooltipFor(cell, clientX, clientY) {
    if (!cell) {
      tooltip.hide();
      return;
    }
    tooltip.show(this.describe(cell), clientX, clientY);
  }

  bindPointer() {
    const c = this.canvas;
    c.classList.add("is-interactive");
    c.tabIndex = 0;
    c.addEventListener("pointermove", (e) => {
      const cell = this.cellAt(e.clientX, e.clientY);
      const changed = !cell || !this.hover || cell.i !== this.hover.i || cell.j !== this.hover.j;
      this.hover = cell;
      this.showTooltipFor(cell, e.clientX, e.clientY);
      if (changed) {
        this.render();
        if (this.opts.onHover) this.opts.onHover(cell);
      }
    });
    c.addEventListener("pointerleave", () => {
      this.hover = null;
      tooltip.hide();
      this.render();
      if (this.opts.onHover) this.opts.onHover(null);
    });
    c.addEventListener("click", (e) => {
      const cell = this.cellAt(e.clientX, e.clientY);
      if (!cell) return;
      this.cursor = { i: cell.i, j: cell.j };
      this.render();
      if (this.opts.onSelect) this.opts.onSelect(cell);
    });
    c.addEventListener("keydown", (e) => this.onKey(e));
    c.addEventListener("blur", () => tooltip.hide());
  }

  onKey(e) {
    const m = this.opts.matrix;
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (!this.cursor) this.cursor = { i: 0, j: 0 };
    if (moves[e.key]) {
      e.preventDefault();
      const [di, dj] = moves[e.key];
      this.cursor = {
        i: Math.min(m.rows - 1, Math.max(0, this.cursor.i + di)),
        j: Math.min(m.cols - 1, Math.max(0, this.cursor.j + dj)),
      };
    } else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
    } else {
      return;
    }
    const cell = { ...this.cursor, value: m.get(this.cursor.i, this.cursor.j) };
    this.render();
    const rect = this.canvas.getBoundingClientRect();
    const cw = rect.width / m.cols;
    const ch = rect.height / m.rows;
    this.showTooltipFor(cell, rect.left + (cell.j + 1) * cw, rect.top + (cell.i + 1) * ch);
    this.announce(cell);
    if (this.opts.onHover) this.opts.onHover(cell);
    if ((e.key === "Enter" || e.key === " ") && this.opts.onSelect) this.opts.onSelect(cell);
  }

  /** Says the keyboard cursor's cell (its position and value) to a screen reader: the tooltip is for the eyes. */
  announce(cell) {
    if (!this.liveEl) {
      this.liveEl = h("span", { class: "visually-hidden", attrs: { "aria-live": "polite" } });
      this.el.append(this.liveEl);
    }
    const said = this.describe(cell);
    this.liveEl.textContent = said instanceof Node ? said.textContent : String(said);
  }

  /** The map as a PNG at its on-screen size (at least 280 px wide), marks included. */
  download(name) {
    const m = this.opts.matrix;
    const factor = Math.max(1, Math.ceil(280 / m.cols));
    const out = document.createElement("canvas");
    out.width = Math.max(this.canvas.width, m.cols * factor);
    out.height = Math.round(out.width * (m.rows / m.cols));
    const ctx = out.getContext("2d");
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.source || matrixImage(m, this.opts.scale), 0, 0, out.width, out.height);
    downloadCanvas(out, name || this.opts.label || "heatmap");
  }
}

/** A colour bar with its min, 0 (for diverging scales) and max ticks. */
export function legend(scale, { title = "", digits = 3 } = {}) {
  const bar = h("canvas", { attrs: { "aria-hidden": "true" } });
  bar.width = 256;
  bar.height = 1;
  const ticks = h("div", { class: "legend__ticks" });
  const titleEl = h("span", { class: "legend__title", text: title });
  const el = h("div", { class: "legend", attrs: { role: "img" } }, title ? titleEl : null, bar, ticks);
  el.update = (s, newTitle) => {
    if (newTitle !== undefined) titleEl.textContent = newTitle;
    const ctx = bar.getContext("2d");
    const img = ctx.createImageData(256, 1);
    for (let i = 0; i < 256; i++) {
      img.data[i * 4] = s.lut[i * 3];
      img.data[i * 4 + 1] = s.lut[i * 3 + 1];
      img.data[i * 4 + 2] = s.lut[i * 3 + 2];
      img.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    const labels = s.kind === "diverging" ? [s.min, 0, s.max] : [s.min, s.max];
    ticks.replaceChildren(...labels.map((v) => h("span", { text: fmt(v, digits) })));
    el.setAttribute(
      "aria-label",
      `${titleEl.textContent} ${t("legend.range", { min: fmt(s.min, 3), max: fmt(s.max, 3) })}`,
    );
  };
  el.update(scale);
  return el;
}
