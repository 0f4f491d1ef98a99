/**
 * A small SVG line chart (SGD history in the lab, loss/accuracy curves in training).
 *
 *   const chart = new LineChart({ width: 320, height: 160, xLabel: "step", yLabel: "p", yMin: 0, yMax: 1 });
 *   parent.append(chart.el);
 *   chart.update([{ points: [[0, 0.2], [1, 0.5]], className: "series-a", label: "ŷ" }]);
 *
 * Colours come from CSS classes (.chart .series-a { stroke: … }), never from style attributes (CSP).
 */
import { fmt, svg } from "./dom.js";

export class LineChart {
  constructor({ width = 320, height = 160, xLabel = "", yLabel = "", yMin = null, yMax = null, title = "" } = {}) {
    this.w = width;
    this.h = height;
    this.pad = { l: 44, r: 12, t: 10, b: 30 };
    this.opts = { xLabel, yLabel, yMin, yMax };
    this.el = svg("svg", {
      class: "chart",
      viewBox: `0 0 ${width} ${height}`,
      role: "img",
      "aria-label": title,
      preserveAspectRatio: "xMidYMid meet",
    });
  }

  setLabels({ xLabel, yLabel, title } = {}) {
    if (xLabel !== undefined) this.opts.xLabel = xLabel;
    if (yLabel !== undefined) this.opts.yLabel = yLabel;
    if (title !== undefined) this.el.setAttribute("aria-label", title);
  }

  update(series) {
    const { l, r, t, b } = this.pad;
    const pw = this.w - l - r;
    const ph = this.h - t - b;
    const all = series.flatMap((s) => s.points);
    const xs = all.map((p) => p[0]);
    const ys = all.map((p) => p[1]).filter(Number.isFinite);
    const x0 = xs.length ? Math.min(...xs) : 0;
    const x1 = xs.length ? Math.max(...xs, x0 + 1) : 1;
    const y0 = this.opts.yMin ?? (ys.length ? Math.min(...ys) : 0);
    let y1 = this.opts.yMax ?? (ys.length ? Math.max(...ys) : 1);
    if (y1 <= y0) {
      y1 = y0 + 1;
    }
    const X = (x) => l + ((x - x0) / (x1 - x0)) * pw;
    const Y = (y) => t + (1 - (y - y0) / (y1 - y0)) * ph;
    const nodes = [];
    // axes and ticks
    nodes.push(svg("line", { class: "chart__axis", x1: l, y1: t + ph, x2: l + pw, y2: t + ph }));
    nodes.push(svg("line", { class: "chart__axis", x1: l, y1: t, x2: l, y2: t + ph }));
    for (let k = 0; k <= 4; k++) {
      const v = y0 + ((y1 - y0) * k) / 4;
      nodes.push(svg("line", { class: "chart__gridline", x1: l, y1: Y(v), x2: l + pw, y2: Y(v) }));
      nodes.push(svg("text", { class: "chart__tick", x: l - 5, y: Y(v) + 4, "text-anchor": "end" }, fmt(v, 2)));
    }
    const xTicks = Math.min(6, Math.round(x1 - x0));
    for (let k = 0; k <= xTicks; k++) {
      const v = Math.round(x0 + ((x1 - x0) * k) / Math.max(1, xTicks));
      nodes.push(svg("text", { class: "chart__tick", x: X(v), y: t + ph + 14, "text-anchor": "middle" }, String(v)));
    }
    if (this.opts.xLabel)
      nodes.push(
        svg("text", { class: "chart__label", x: l + pw / 2, y: this.h - 2, "text-anchor": "middle" }, this.opts.xLabel),
      );
    if (this.opts.yLabel)
      nodes.push(
        svg(
          "text",
          {
            class: "chart__label",
            x: 10,
            y: t + ph / 2,
            "text-anchor": "middle",
            transform: `rotate(-90 10 ${t + ph / 2})`,
          },
          this.opts.yLabel,
        ),
      );
    for (const s of series) {
      if (!s.points.length) continue;
      const d = s.points.map((p, k) => `${k ? "L" : "M"}${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join(" ");
      nodes.push(svg("path", { class: `chart__line ${s.className || ""}`, d }));
      for (const p of s.points) {
        nodes.push(
          svg(
            "circle",
            { class: `chart__dot ${s.className || ""}`, cx: X(p[0]).toFixed(1), cy: Y(p[1]).toFixed(1), r: 3 },
            svg("title", {}, `${s.label || ""} ${p[0]}: ${fmt(p[1])}`),
          ),
        );
      }
    }
    this.el.replaceChildren(...nodes);
  }
}
