/**
 * The comparison chart: one disc per ImageNet network, multiply-adds on a logarithmic x axis, torchvision's
 * top-1 on y, disc area proportional to the parameters. An SVG drawn from the API's numbers (the table under it
 * carries the same numbers for screen readers and for copying).
 *
 *   drawComparison(container, architectures)   architectures: GET /api/architectures .architectures
 */
import { clear, svg } from "../../lib/dom.js";
import { t } from "../../lib/i18n.js";
import { compact, count, decimal, percent } from "./format.js";

const W = 720;
const H = 380;
const M = { left: 56, right: 24, top: 18, bottom: 48 };
const X_TICKS = [3e8, 1e9, 3e9, 1e10, 3e10];
const Y_MIN = 50;
const Y_MAX = 82;
// labels that would sit on a neighbour's disc go to its left
const LABEL_LEFT = new Set(["googlenet", "vgg16", "densenet121"]);

export function drawComparison(container, architectures) {
  const points = architectures.filter((a) => a.torchvision_top1 !== null);
  const lx = (m) => Math.log10(m);
  const [x0, x1] = [lx(2e8), lx(4e10)];
  const px = (m) => M.left + ((lx(m) - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (v) => M.top + ((Y_MAX - v) / (Y_MAX - Y_MIN)) * (H - M.top - M.bottom);
  const maxParams = Math.max(...points.map((a) => a.params));
  const radius = (p) => 4 + 30 * Math.sqrt(p / maxParams);

  const root = svg("svg", {
    viewBox: `0 0 ${W} ${H}`,
    class: "arch-chart__svg",
    role: "img",
    "aria-label": t("arch.chart.label", { n: points.length }),
  });
  const axes = svg("g", { class: "chart-axes" });
  for (const m of X_TICKS) {
    const x = px(m);
    axes.append(
      svg("line", { x1: x, x2: x, y1: M.top, y2: H - M.bottom, class: "chart-grid" }),
      svg("text", { x, y: H - M.bottom + 16, "text-anchor": "middle", class: "chart-tick" }, compact(m)),
    );
  }
  for (let v = 55; v <= 80; v += 5) {
    const y = py(v);
    axes.append(
      svg("line", { x1: M.left, x2: W - M.right, y1: y, y2: y, class: "chart-grid" }),
      svg("text", { x: M.left - 8, y: y + 4, "text-anchor": "end", class: "chart-tick" }, decimal(v, 0)),
    );
  }
  axes.append(
    svg(
      "text",
      { x: (M.left + W - M.right) / 2, y: H - 8, "text-anchor": "middle", class: "chart-label" },
      t("arch.chart.x"),
    ),
    svg(
      "text",
      { x: 14, y: M.top + 4, class: "chart-label", transform: `rotate(-90 14 ${M.top + 4})`, "text-anchor": "end" },
      t("arch.chart.y"),
    ),
  );
  root.append(axes);
  const discs = svg("g", { class: "chart-points" });
  for (const a of points.sort((p, q) => q.params - p.params)) {
    const cx = px(a.macs);
    const cy = py(a.torchvision_top1);
    const r = radius(a.params);
    const left = LABEL_LEFT.has(a.key);
    discs.append(
      svg(
        "g",
        { class: "chart-point", "data-key": a.key },
        svg("circle", { cx, cy, r }),
        svg("text", { x: left ? cx - r - 4 : cx + r + 4, y: cy + 4, "text-anchor": left ? "end" : "start" }, a.name),
        svg("title", {}, `${a.name}: ${count(a.params)} · ${compact(a.macs)} · ${percent(a.torchvision_top1)}`),
      ),
    );
  }
  root.append(discs);
  clear(container).append(root);
}
