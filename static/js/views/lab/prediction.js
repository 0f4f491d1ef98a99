/**
 * Card 2 of the lab: the predicted digit, large, how sure the network is, and the 10 probabilities as bars.
 * Also the status line (working…, errors from the API in the student's language) and the model picker.
 */
import { $, h, pct } from "../../lib/dom.js";
import { BarChart } from "../../lib/bars.js";
import { onLangChange, t } from "../../lib/i18n.js";
import { modelName, modelNote } from "../../lib/models.js";

const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** Two significant digits, short enough to stand above a column on a phone ("46 %", "0.3 %", "100 %"; below 0.05 %: "0 %"). */
export function shortPct(p) {
  if (!(p > 0)) return "0\u202f%";
  if (p >= 0.9995) return "100\u202f%";
  const v = p * 100;
  return `${v < 0.05 ? 0 : Number(v.toPrecision(v < 1 ? 1 : 2))} %`;
}

export class PredictionCard {
  constructor(state, { onModelChange }) {
    this.state = state;
    this.digit = $("#verdict-digit");
    this.confidence = $("#verdict-confidence");
    this.status = $("#status");
    this.bars = new BarChart({ labels: DIGITS, caption: t("lab.predict.bars"), columns: true, format: shortPct });
    $("#prob-bars").append(this.bars.el);
    this.modelSelect = $("#model-select");
    this.modelSelect.addEventListener("change", () => onModelChange(this.modelSelect.value));
    state.on("forward", () => this.render());
    state.on("backward", () => this.render());
    state.on("mode", () => this.render());
    state.on("label", () => this.render());
    state.on("busy", () => this.renderStatus());
    state.on("error", () => this.renderStatus());
    state.on("models", () => this.renderModels());
    state.on("modelId", () => this.renderModels());
    onLangChange(() => {
      this.render();
      this.renderModels();
      this.bars.setCaption(t("lab.predict.bars"));
    });
    this.render();
  }

  render() {
    const f = this.state.forward;
    if (!f) {
      this.digit.textContent = "?";
      this.digit.classList.add("is-empty");
      this.digit.classList.remove("is-unsure");
      this.confidence.textContent = t("lab.predict.waiting");
      this.bars.update(new Array(10).fill(0));
      return;
    }
    const p = f.probabilities;
    const top = f.label;
    const order = p.map((v, k) => [v, k]).sort((a, b) => b[0] - a[0]);
    this.digit.textContent = String(top);
    this.digit.classList.remove("is-empty");
    this.digit.classList.toggle("is-unsure", p[top] < 0.6);
    this.digit.setAttribute("aria-label", t("lab.predict.digit", { digit: top }));
    this.confidence.textContent =
      p[top] >= 0.6
        ? t("lab.predict.sure", { p: pct(p[top]) })
        : t("lab.predict.unsure", { p: pct(p[top]), second: order[1][1], p2: pct(order[1][0]) });
    const marked = this.state.mode === "backward" ? this.state.trueLabel : null;
    this.bars.update(p, { top, marked, max: 1 });
  }

  renderStatus() {
    const { busy, error } = this.state;
    this.status.classList.toggle("is-error", Boolean(error));
    this.status.textContent = error ? error : busy ? t("lab.status.working") : "";
  }

  renderModels() {
    const { models, modelId } = this.state;
    if (!models) return;
    const options = models.map((m) =>
      h("option", {
        value: m.id,
        text: `${modelName(m.id)}${m.trained === false ? ` (${t("lab.model.untrained")})` : ""}${m.test_accuracy ? ` · ${pct(m.test_accuracy)}` : ""}`,
        selected: m.id === modelId,
        attrs: { title: modelNote(m.id) },
      }),
    );
    if (modelId && !models.some((m) => m.id === modelId))
      options.push(h("option", { value: modelId, text: modelId, selected: true }));
    this.modelSelect.replaceChildren(...options);
  }
}
