/**
 * Playground, tab 5: the cross-entropy calculator of the course (seed 003, "Entropie croisée"): five animals, a
 * predicted distribution Q and the true label P, H(P, Q) = −Σ P(i) · ln Q(i), term by term.
 * The course's two predictions are one click away: before training Q = [0.4, 0.3, 0.05, 0.05, 0.2] gives −ln 0.4
 * ≈ 0.916, after training Q = [0.98, 0.01, 0, 0, 0.01] gives −ln 0.98 ≈ 0.02. Both are natural logarithms (the
 * base-10 value of the first would be 0.398): the page says so and shows the other bases for comparison.
 * Computed here (a five-term sum); nothing is silently fixed: a Q that does not add up to 1 is pointed out.
 */
import { fmt, h } from "../../lib/dom.js";
import { t } from "../../lib/i18n.js";
import { fill, put, statusBadge, title } from "./common.js";
import { formula } from "../../lib/formula.js";

const ANIMALS = ["dog", "fox", "horse", "eagle", "squirrel"];
export const COURSE_CASES = [
  { id: "before", q: [0.4, 0.3, 0.05, 0.05, 0.2], printed: 0.916 },
  { id: "after", q: [0.98, 0.01, 0, 0, 0.01], printed: 0.02 },
];

/** H(P, Q) = −Σ P(i) · log Q(i) in the given base; 0 · log 0 counts as 0 (the limit), P(i) > 0 with Q(i) = 0 is ∞. */
export function crossEntropy(p, q, log = Math.log) {
  let sum = 0;
  const terms = p.map((pi, i) => {
    if (pi === 0) return 0;
    const term = -pi * log(q[i]);
    sum += term;
    return term;
  });
  return { value: sum, terms };
}

/** The printed value's own precision: 0.916 is to 3 decimals, 0.02 to 2. */
function agreesWithPrint(value, printed) {
  const decimals = (String(printed).split(".")[1] || "").length;
  return Math.abs(value - printed) <= 0.5 * 10 ** -decimals + 1e-12;
}

export class CrossEntropyPanel {
  constructor(panel) {
    this.panel = panel;
    this.q = COURSE_CASES[0].q.slice();
    this.label = 0;
    this.build();
    this.render();
  }

  build() {
    this.caseButtons = COURSE_CASES.map((c) =>
      h("button", {
        type: "button",
        class: "btn btn--small",
        dataset: { case: c.id },
        i18n: `play.ce.case_${c.id}`,
        text: t(`play.ce.case_${c.id}`),
        on: {
          click: () => {
            this.q = c.q.slice();
            this.label = 0;
            this.render();
          },
        },
      }),
    );
    this.table = h("table", { class: "ce-table" });
    this.result = h("div", { class: "play-formulas", attrs: { "aria-live": "polite" } });
    put(
      this.panel,
      title("play.ce.title"),
      h("p", { class: "hint", i18n: "play.ce.intro", text: t("play.ce.intro") }),
      h("div", { class: "play-controls" }, this.caseButtons),
      h("div", { class: "stage-row ce-row" }, this.table, this.result),
    );
  }

  render() {
    const p = ANIMALS.map((_, i) => (i === this.label ? 1 : 0));
    const ln = crossEntropy(p, this.q);
    const head = h(
      "tr",
      {},
      h("th", { text: t("play.ce.animal") }),
      h("th", { text: t("play.ce.true") }),
      h("th", { text: "Q(i)" }),
      h("th", { text: "P(i)" }),
      h("th", { text: "−P(i) · ln Q(i)" }),
    );
    const rows = ANIMALS.map((a, i) => {
      const radio = h("input", {
        type: "radio",
        name: "ce-label",
        value: String(i),
        checked: i === this.label,
        attrs: { "aria-label": t("play.ce.true_of", { a: t(`play.ce.${a}`) }) },
        on: {
          change: () => {
            this.label = i;
            this.render();
          },
        },
      });
      const qInput = h("input", {
        type: "number",
        value: String(this.q[i]),
        attrs: { min: "0", max: "1", step: "0.01", "aria-label": `Q(${t(`play.ce.${a}`)})` },
        on: {
          change: () => {
            const v = Number(qInput.value);
            const ok = qInput.value.trim() !== "" && v >= 0 && v <= 1;
            qInput.setAttribute("aria-invalid", String(!ok));
            if (ok) {
              this.q[i] = v;
              this.render();
            }
          },
        },
      });
      qInput.style.width = "6em";
      return h(
        "tr",
        { class: i === this.label ? "is-true" : null },
        h("td", { text: t(`play.ce.${a}`) }),
        h("td", {}, radio),
        h("td", {}, qInput),
        h("td", { text: String(p[i]) }),
        h("td", { class: "num", text: p[i] ? fmt(ln.terms[i]) : "0" }),
      );
    });
    fill(this.table, h("thead", {}, head), h("tbody", {}, rows));

    const qTrue = this.q[this.label];
    const sumQ = this.q.reduce((a, b) => a + b, 0);
    const log10 = crossEntropy(p, this.q, Math.log10).value;
    const log2 = crossEntropy(p, this.q, Math.log2).value;
    const course = COURSE_CASES.find((c) => this.label === 0 && c.q.every((v, i) => v === this.q[i]));
    const parts = [
      formula(
        "H(P, Q) = −Σ",
        { sub: "i" },
        " P(i) · ln Q(i) = −ln Q(",
        t(`play.ce.${ANIMALS[this.label]}`),
        ") = −ln(",
        { v: fmt(qTrue) },
        ") = ",
        { v: Number.isFinite(ln.value) ? fmt(ln.value, 4) : "∞" },
      ),
      h("p", {
        class: "note",
        text: t("play.ce.ln_note", { ln: fmt(ln.value, 4), l10: fmt(log10, 3), l2: fmt(log2, 3) }),
      }),
    ];
    if (qTrue === 0) parts.push(h("p", { class: "error-box", text: t("play.ce.infinite") }));
    if (Math.abs(sumQ - 1) > 1e-9)
      parts.push(h("p", { class: "error-box", text: t("play.ce.not_distribution", { s: fmt(sumQ, 4) }) }));
    if (course) {
      parts.push(
        h(
          "p",
          {},
          t("play.ce.course_prints", { v: course.printed }),
          " ",
          statusBadge(agreesWithPrint(ln.value, course.printed), "play.course.verified", "play.course.differs"),
        ),
      );
    }
    parts.push(h("p", { class: "hint", text: t("play.ce.zero_terms") }));
    fill(this.result, ...parts);
    this.result.dataset.value = String(ln.value);
  }

  refresh() {
    this.render();
  }
}
