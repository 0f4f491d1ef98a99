/**
 * A small SVG line chart (SGD history in the lab, loss/accuracy curves in training).
 *
 *   const chart = new LineChart({ width: 320, height: 160, xLabel: "step", yLabel: "p", yMin: 0, yMax: 1 });
 *   parent.append(chart.el);      // the <svg> (chart.svg) and, under it, its numbers as a table in a <details>
 *   chart.update([{ points: [[0, 0.2], [1, 0.5]], className: "series-a", label: "ŷ" }]);
 *
 * The picture is for the eyes; the same numbers are in the table (one row per point: series, x, y), for a screen
 * reader or for copying. The table is built when it is opened, and rebuilt by update() while it is open.
 *
 * Colours come from CSS classes (.chart .series-a { stroke: … }), never from style attributes (CSP).
 */
import { fmt, h, svg } from "./dom.js";
import { t as tr } from "./i18n.js";

export class LineChart {
  constructor({ width = 320, height = 160, xLabel = "", yLabel = "", yMin = null, yMax = null, title = "" } = {}) {
    this.w = width;
    this.h = height;
    this.pad = { l: 44, r: 12, t: 10, b: 30 };
    this.opts = { xLabel, yLabel, yMin, yMax };
    this.svg = svg("svg", {
      class: "chart",
      viewBox: `0 0 ${width} ${height}`,
      role: "img",
      "aria-label": title,
      preserveAspectRatio: "xMidYMid meet",
    });
    this.series = [];
    this.tableBox = h("div", { class: "chart-data__body" });
    this.summary = h("summary", { text: tr("chart.table") });
    this.details = h("details", { class: "chart-data" }, this.summary, this.tableBox);
    this.details.addEventListener("toggle", () => this.renderTable());
    this.el = h("div", { class: "chart-box" }, this.svg, this.details);
  }

  /** The points of every series as a table: series, x, y (only while the <details> is open). */
  renderTable() {
    if (!this.details.open) return;
    const { xLabel, yLabel } = this.opts;
    const head = h(
      "tr",
      {},
      h("th", { scope: "col", text: tr("chart.series") }),
      h("th", { scope: "col", text: xLabel || "x" }),
      h("th", { scope: "col", text: yLabel || "y" }),
    );
    const rows = this.series.flatMap((s) =>
      s.points.map((p) =>
        h(
          "tr",
          {},
          h("td", { text: s.label || "" }),
          h("td", { class: "num", text: fmt(p[0]) }),
          h("td", { class: "num", text: fmt(p[1]) }),
        ),
      ),
    );
    this.tableBox.replaceChildren(
      h(
        "table",
        { class: "chart-data__table" },
        h("caption", { text: this.svg.getAttribute("aria-label") || tr("chart.table") }),
        h("thead", {}, head),
        h("tbody", {}, rows),
      ),
    );
  }

  setLabels({ xLabel, yLabel, title } = {}) {
    if (xLabel !== undefined) this.opts.xLabel = xLabel;
    if (yLabel !== undefined) this.opts.yLabel = yLabel;
    if (title !== undefined) this.svg.setAttribute("aria-label", title);
  }

  update(series) {
    this.series = series;
    this.renderTable();
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
    this.svg.replaceChildren(...nodes);
  }
}
