/**
 * Playground, tab 4: the activation functions of the course (ReLU, Leaky ReLU α = 0.1, ELU, sigmoid, tanh,
 * Heaviside) plotted with their derivatives (GET /api/activations), and a value slider that reads f(x) and f′(x)
 * off the very grid the server computed (241 points from −6 to 6, so every slider position is a grid point).
 * For ReLU, the course's 4×4 example is applied too.
 */
import { fmt, h } from "../../lib/dom.js";
import { get, isAbort } from "../../lib/api.js";
import { GridView } from "../../lib/grid.js";
import { LineChart } from "../../lib/chart.js";
import { t } from "../../lib/i18n.js";
import { field, fill, numberInput, put, sameNumbers, segmented, statusBadge, title } from "./common.js";
import { formula, op } from "../../lib/formula.js";

const KINDS = ["relu", "leaky_relu", "elu", "sigmoid", "tanh", "heaviside"];
// −6…6 so that the chart's six x ticks fall on even numbers; 241 points: a grid step of 0.05
const X_MIN = -6;
const X_MAX = 6;
const POINTS = 241;
const STEP = (X_MAX - X_MIN) / (POINTS - 1);
export const COURSE_RELU_IN = [
  [15, 20, -10, 35],
  [18, -110, 25, 100],
  [20, -15, 25, -10],
  [101, 75, 18, 23],
];
export const COURSE_RELU_OUT = [
  [15, 20, 0, 35],
  [18, 0, 25, 100],
  [20, 0, 25, 0],
  [101, 75, 18, 23],
];

export class ActivationsPanel {
  constructor(panel) {
    this.panel = panel;
    this.kind = "relu";
    this.alpha = null;
    this.index = Math.round((1 - X_MIN) / STEP); // x = 1
    this.generation = 0;
    this.build();
    this.run();
  }

  build() {
    this.kinds = segmented(
      KINDS.map((k) => ({ value: k, key: `play.act.${k}` })),
      this.kind,
      (k) => {
        this.kind = k;
        this.alpha = null;
        this.run();
      },
      { label: t("play.act.kind") },
    );
    this.alphaInput = numberInput({
      value: 0.1,
      min: 0,
      max: 10,
      step: 0.05,
      onChange: (v) => {
        this.alpha = v;
        this.run();
      },
    });
    this.alphaField = field("play.act.alpha", this.alphaInput);
    this.slider = h("input", {
      type: "range",
      id: "act-x",
      attrs: { min: "0", max: String(POINTS - 1), step: "1", value: String(this.index) },
    });
    this.slider.addEventListener("input", () => {
      this.index = Number(this.slider.value);
      this.renderValue();
      this.renderChart();
    });
    this.chart = new LineChart({ width: 560, height: 260, xLabel: "x", yLabel: "", title: t("play.act.chart") });
    this.valueBox = h("div", { class: "play-formulas", attrs: { "aria-live": "polite" } });
    this.formulaBox = h("div", { class: "play-formulas" });
    this.extra = h("div");
    this.error = h("p", { class: "error-box", attrs: { role: "alert" }, hidden: true });
    this.legend = h("p", { class: "act-legend" });
    put(
      this.panel,
      title("play.act.title"),
      h("p", { class: "hint", i18n: "play.act.intro", text: t("play.act.intro") }),
      h("div", { class: "play-controls" }, this.kinds, this.alphaField),
      this.error,
      h(
        "div",
        { class: "stage-row act-row" },
        h("div", { class: "act-chart" }, this.chart.el, this.legend, field("play.act.slider", this.slider)),
        h("div", { class: "act-side" }, this.formulaBox, this.valueBox),
      ),
      this.extra,
    );
  }

  async run() {
    const gen = ++this.generation;
    const hasAlpha = this.kind === "leaky_relu" || this.kind === "elu";
    this.alphaField.hidden = !hasAlpha;
    try {
      const json = await get("/api/activations", {
        query: { kind: this.kind, x_min: X_MIN, x_max: X_MAX, points: POINTS, alpha: hasAlpha ? this.alpha : null },
      });
      if (gen !== this.generation) return;
      this.curve = json;
      if (hasAlpha && this.alpha === null) this.alphaInput.value = String(json.alpha);
      this.error.hidden = true;
      this.render();
    } catch (err) {
      if (gen !== this.generation || isAbort(err)) return;
      this.error.textContent = err.message;
      this.error.hidden = false;
    }
  }

  render() {
    if (!this.curve) return;
    this.renderChart();
    const c = this.curve;
    fill(
      this.formulaBox,
      formula(t(`play.act.f.${c.kind}`, { a: c.alpha ?? "" })),
      formula(t(`play.act.df.${c.kind}`, { a: c.alpha ?? "" })),
      h("p", { class: "hint", text: t(`play.act.note.${c.kind}`) }),
    );
    this.renderValue();
    fill(this.extra);
    if (c.kind === "relu") put(this.extra, this.courseRelu());
  }

  renderChart() {
    const c = this.curve;
    if (!c) return;
    const f = c.x.map((x, k) => [x, c.y[k]]);
    const series = [{ points: f, className: "series-f", label: "f" }];
    if (c.derivative)
      series.push({ points: c.x.map((x, k) => [x, c.derivative[k]]), className: "series-df", label: "f′" });
    series.push({ points: [[c.x[this.index], c.y[this.index]]], className: "series-point", label: "f(x)" });
    // fixed ranges: the ticks fall on round numbers and switching functions does not rescale the picture
    const bounded = ["sigmoid", "tanh", "heaviside"].includes(c.kind);
    this.chart.opts.yMin = bounded ? -1 : -2;
    this.chart.opts.yMax = bounded ? 1 : 6;
    this.chart.update(series);
    fill(
      this.legend,
      h("span", { class: "legend-f", text: `— f(x)` }),
      " ",
      c.derivative
        ? h("span", { class: "legend-df", text: `– – f′(x)` })
        : h("span", { class: "hint", text: t("play.act.no_derivative") }),
    );
  }

  renderValue() {
    const c = this.curve;
    if (!c) return;
    const k = this.index;
    const x = c.x[k];
    this.slider.setAttribute("aria-valuetext", `x = ${fmt(x)}`);
    fill(
      this.valueBox,
      formula("x = ", { v: fmt(x) }),
      formula("f(x) = ", { v: c.y[k] }),
      formula("f′(x) = ", c.derivative ? { v: c.derivative[k] } : { v: "—" }),
    );
  }

  /** The course's 4×4 example (seed 003): ReLU applied to a feature map. */
  courseRelu() {
    const out = COURSE_RELU_IN.map((row) => row.map((v) => Math.max(0, v)));
    const cls = (i, j) => (COURSE_RELU_IN[i][j] < 0 ? "is-highlight" : null);
    return h(
      "div",
      { class: "detail-block" },
      h("h3", { text: t("play.act.course_relu") }),
      h(
        "div",
        { class: "stage-row" },
        new GridView({ matrix: COURSE_RELU_IN, classes: cls, format: (v) => fmt(v) }).el,
        op("ReLU →"),
        new GridView({ matrix: out, classes: cls, format: (v) => fmt(v) }).el,
        statusBadge(sameNumbers(out, COURSE_RELU_OUT), "play.course.verified", "play.course.differs"),
      ),
    );
  }

  refresh() {
    this.render();
  }
}
