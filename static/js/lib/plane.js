/**
 * A square canvas of the (x1, x2) plane for the course's 2-D examples (/neuron, /mlp): points of two classes, an
 * optional background (a function of (x1, x2) drawn with a colour scale: the network's output), and lines
 * w1·x1 + w2·x2 + b = 0 (decision boundaries). Colours come from base.css (--neg class 0, --pos class 1).
 *
 *   const plane = new PlaneView({ range: [-4, 4], size: 360, label: "…", onClick: (x1, x2) => … });
 *   plane.draw({ points, labels, lines: [{ w: [w1, w2], b, color, dash }], background: { grid, xs, ys, scale } });
 */
import { h } from "./dom.js";
import { cssColor } from "./colors.js";
import { drawMatrix } from "./heatmap.js";

export class PlaneView {
  constructor({ range = [-4, 4], yRange = null, size = 360, label = "", onClick = null } = {}) {
    this.x = range;
    this.y = yRange || range;
    this.size = size;
    this.canvas = h("canvas", { class: "plane__canvas", attrs: { role: "img", "aria-label": label } });
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = size * ratio;
    this.canvas.height = size * ratio;
    this.ratio = ratio;
    this.el = h("div", { class: "plane" }, this.canvas);
    if (onClick)
      this.canvas.addEventListener("click", (e) => {
        const box = this.canvas.getBoundingClientRect();
        const u = (e.clientX - box.left) / box.width;
        const v = (e.clientY - box.top) / box.height;
        onClick(this.x[0] + u * (this.x[1] - this.x[0]), this.y[1] - v * (this.y[1] - this.y[0]));
      });
  }

  setRange(range, yRange = null) {
    this.x = range;
    this.y = yRange || range;
  }

  setLabel(label) {
    this.canvas.setAttribute("aria-label", label);
  }

  px(x1) {
    return ((x1 - this.x[0]) / (this.x[1] - this.x[0])) * this.size;
  }

  py(x2) {
    return ((this.y[1] - x2) / (this.y[1] - this.y[0])) * this.size;
  }

  draw({ points = [], labels = [], lines = [], background = null } = {}) {
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    const S = this.size;
    ctx.fillStyle = cssColor("--surface");
    ctx.fillRect(0, 0, S, S);
    if (background) {
      // rows of the grid follow ys upwards: flip them so that the top row of the canvas is the largest x2
      const { grid, xs, ys, scale } = background;
      const rows = grid.length;
      const matrix = { rows, cols: grid[0].length, get: (i, j) => grid[rows - 1 - i][j] };
      const x0 = this.px(xs[0]);
      const x1 = this.px(xs[xs.length - 1]);
      const y0 = this.py(ys[ys.length - 1]);
      const y1 = this.py(ys[0]);
      ctx.globalAlpha = 0.55;
      drawMatrix(ctx, matrix, scale, x0, y0, x1 - x0, y1 - y0);
      ctx.globalAlpha = 1;
    }
    // axes through 0
    ctx.strokeStyle = cssColor("--border-strong");
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(this.px(0), 0);
    ctx.lineTo(this.px(0), S);
    ctx.moveTo(0, this.py(0));
    ctx.lineTo(S, this.py(0));
    ctx.stroke();
    for (const line of lines) this.line(ctx, line);
    points.forEach((p, k) => {
      ctx.beginPath();
      ctx.arc(this.px(p[0]), this.py(p[1]), 4.5, 0, 2 * Math.PI);
      ctx.fillStyle = cssColor(labels[k] === 1 ? "--pos" : "--neg");
      ctx.fill();
      ctx.strokeStyle = cssColor("--surface");
      ctx.lineWidth = 1.5;
      ctx.stroke();
    });
  }

  /** The line w1·x1 + w2·x2 + b = 0, clipped to the plane (nothing when w = 0). */
  line(ctx, { w, b, color = cssColor("--ink"), dash = null, width = 2 }) {
    const [w1, w2] = w;
    if (Math.abs(w1) < 1e-12 && Math.abs(w2) < 1e-12) return;
    const ends = [];
    if (Math.abs(w2) > 1e-12) {
      for (const x1 of this.x) ends.push([x1, -(w1 * x1 + b) / w2]);
    } else {
      for (const x2 of this.y) ends.push([-(w2 * x2 + b) / w1, x2]);
    }
    ctx.save();
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    if (dash) ctx.setLineDash(dash);
    ctx.beginPath();
    ctx.moveTo(this.px(ends[0][0]), this.py(ends[0][1]));
    ctx.lineTo(this.px(ends[1][0]), this.py(ends[1][1]));
    ctx.stroke();
    ctx.restore();
  }
}
