/**
 * The backward pass's controls and summary (shown above the overview in backward mode):
 *   - the true label (default: the predicted digit; any digit for "what if it were a 3?")
 *   - the loss L = −ln ŷ_label with this drawing's numbers, and dL/dz = ŷ − y as signed bars
 *   - "Take one SGD step": θ ← θ − η·dL/dθ computed server-side on a copy of the model (the served model never
 *     changes); each click asks for one more step, so the chosen class's probability can be watched rising.
 */
import { $, fmt, h, pct } from "../../lib/dom.js";
import { BarChart } from "../../lib/bars.js";
import { LineChart } from "../../lib/chart.js";
import { onLangChange, t } from "../../lib/i18n.js";

const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
export const LEARNING_RATES = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5];
export const MAX_STEPS = 50;

export class BackwardPanel {
  constructor(state, { onLabel, onStep, onReset, onLearningRate }) {
    this.state = state;
    this.handlers = { onLabel, onStep, onReset, onLearningRate };
    this.root = $("#backward-panel");
    this.build();
    for (const key of ["mode", "forward", "backward", "label", "sgdSteps", "learningRate"])
      state.on(key, () => this.render());
    onLangChange(() => {
      this.build();
      this.render();
    });
  }

  build() {
    // label picker: a radio group, arrow keys move the choice
    this.labelButtons = DIGITS.map((d, k) =>
      h("button", {
        type: "button",
        text: d,
        attrs: { role: "radio", "aria-checked": "false", "aria-label": t("lab.bw.label_item", { k }) },
        on: { click: () => this.handlers.onLabel(k), keydown: (e) => this.labelKey(e, k) },
      }),
    );
    this.lossEl = h("div", { class: "formula loss-line" });
    this.dzBars = new BarChart({ labels: DIGITS, signed: true, format: (v) => fmt(v, 3), caption: t("lab.bw.dz") });
    // SGD
    this.lrSelect = h(
      "select",
      { id: "lr-select", on: { change: () => this.handlers.onLearningRate(Number(this.lrSelect.value)) } },
      ...LEARNING_RATES.map((v) => h("option", { value: String(v), text: String(v) })),
    );
    this.stepBtn = h("button", {
      type: "button",
      class: "btn btn--primary",
      id: "sgd-step",
      text: t("lab.bw.step"),
      on: { click: () => this.handlers.onStep() },
    });
    this.resetBtn = h("button", {
      type: "button",
      class: "btn",
      id: "sgd-reset",
      text: t("lab.bw.reset"),
      on: { click: () => this.handlers.onReset() },
    });
    this.summaryEl = h("div", { class: "sgd-summary", id: "sgd-summary", attrs: { "aria-live": "polite" } });
    this.afterBars = new BarChart({ labels: DIGITS, caption: t("lab.bw.after") });
    this.chart = new LineChart({
      width: 300,
      height: 150,
      yMin: 0,
      yMax: 1,
      xLabel: t("lab.bw.chart_x"),
      yLabel: t("lab.bw.chart_y"),
      title: t("lab.bw.chart_title"),
    });
    this.deltaTable = h("table", { class: "delta-table" });
    this.sgdBody = h(
      "div",
      { class: "sgd-body" },
      h("div", {}, h("h4", { class: "hint", text: t("lab.bw.after") }), this.afterBars.el),
      h("div", {}, h("h4", { class: "hint", text: t("lab.bw.chart_title") }), this.chart.el, this.deltaTable),
    );

    this.root.replaceChildren(
      h(
        "div",
        { class: "bw-block" },
        h("h3", { text: t("lab.bw.label_title") }),
        h(
          "div",
          { class: "label-picker", attrs: { role: "radiogroup", "aria-label": t("lab.bw.label_title") } },
          ...this.labelButtons,
        ),
        h("p", { class: "hint", text: t("lab.bw.label_hint") }),
        this.lossEl,
      ),
      h(
        "div",
        { class: "bw-block" },
        h("h3", { text: t("lab.bw.dz_title") }),
        h("p", { class: "hint", text: t("lab.bw.dz_hint") }),
        this.dzBars.el,
      ),
      h(
        "div",
        { class: "bw-block bw-sgd" },
        h("h3", { text: t("lab.bw.sgd_title") }),
        h(
          "div",
          { class: "sgd-controls" },
          h("label", { class: "field", attrs: { for: "lr-select" } }, h("span", { text: "η" }), this.lrSelect),
          this.stepBtn,
          this.resetBtn,
        ),
        this.summaryEl,
        this.sgdBody,
      ),
    );
  }

  labelKey(e, k) {
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = (k + moves[e.key] + 10) % 10;
    this.handlers.onLabel(next);
    this.labelButtons[next].focus();
  }

  render() {
    const s = this.state;
    this.root.hidden = s.mode !== "backward";
    if (s.mode !== "backward") return;
    const label = s.trueLabel;
    const predicted = s.forward ? s.forward.label : null;
    this.labelButtons.forEach((b, k) => {
      b.setAttribute("aria-checked", String(k === label));
      b.tabIndex = k === (label ?? 0) ? 0 : -1;
      b.classList.toggle("is-predicted", k === predicted);
      b.title = k === predicted ? t("lab.bw.predicted") : "";
    });
    this.lrSelect.value = String(s.learningRate);
    const bw = s.backward;
    const fresh = bw && bw.label === label;
    if (!fresh) {
      this.lossEl.textContent = s.forward ? t("lab.status.working") : t("lab.bw.need_input");
      this.dzBars.update(new Array(10).fill(0));
      this.stepBtn.disabled = true;
      this.resetBtn.disabled = true;
      this.summaryEl.replaceChildren();
      this.sgdBody.hidden = true;
      return;
    }
    const p = bw.probabilities[label];
    this.lossEl.replaceChildren(
      "L = −ln ŷ",
      h("sub", { text: String(label) }),
      " = −ln(",
      h("span", { class: "v", text: fmt(p, 4) }),
      ") = ",
      h("span", { class: "v", text: fmt(bw.loss, 4) }),
    );
    this.dzBars.update(bw.dLdz, { marked: label, max: 1 });
    this.stepBtn.disabled = s.sgdSteps >= MAX_STEPS;
    this.stepBtn.textContent = s.sgdSteps === 0 ? t("lab.bw.step") : t("lab.bw.step_more", { n: s.sgdSteps + 1 });
    this.resetBtn.disabled = s.sgdSteps === 0;
    this.renderSgd(bw, label);
  }

  renderSgd(bw, label) {
    const steps = this.state.sgdSteps;
    this.sgdBody.hidden = steps === 0 || bw.sgd.steps !== steps;
    if (steps === 0) {
      this.summaryEl.replaceChildren(h("span", { class: "hint", text: t("lab.bw.sgd_hint") }));
      return;
    }
    if (bw.sgd.steps !== steps) {
      this.summaryEl.replaceChildren(h("span", { class: "hint", text: t("lab.status.working") }));
      return;
    }
    const before = bw.sgd.before[label];
    const after = bw.sgd.after[label];
    this.summaryEl.replaceChildren(
      h("span", { text: t("lab.bw.sgd_done", { n: steps, lr: bw.sgd.learningRate }) }),
      h(
        "span",
        {},
        "ŷ",
        h("sub", { text: String(label) }),
        ": ",
        h("strong", { text: pct(before) }),
        " → ",
        h("strong", { class: after >= before ? "up" : "down", text: pct(after), id: "sgd-after" }),
      ),
      h(
        "span",
        {},
        "L: ",
        h("strong", { text: fmt(bw.sgd.lossBefore, 3) }),
        " → ",
        h("strong", { text: fmt(bw.sgd.lossAfter, 3) }),
      ),
    );
    const afterTop = bw.sgd.after.indexOf(Math.max(...bw.sgd.after));
    this.afterBars.update(bw.sgd.after, { top: afterTop, marked: label, ghost: bw.sgd.before, max: 1 });
    const points = [[0, before], ...bw.sgd.history.map((p) => [p.step, p.probability])];
    this.chart.update([{ points, className: "series-p", label: `ŷ${label}` }]);
    const rows = [];
    for (const [layer, params] of Object.entries(bw.sgd.deltas)) {
      for (const [name, tensor] of Object.entries(params)) {
        const r = tensor.range();
        const stats = tensor.stats || {};
        rows.push(
          h(
            "tr",
            {},
            h("td", { text: `${layer}.${name}` }),
            h("td", { text: fmt(r.absMax, 3) }),
            h("td", { text: fmt(stats.std ?? NaN, 3) }),
          ),
        );
      }
    }
    this.deltaTable.replaceChildren(
      h("caption", { class: "hint", text: t("lab.bw.delta_caption") }),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { text: t("lab.bw.delta_param") }),
          h("th", { text: "max |Δ|" }),
          h("th", { text: "σ(Δ)" }),
        ),
      ),
      h("tbody", {}, ...rows),
    );
  }
}
