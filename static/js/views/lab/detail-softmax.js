/**
 * Detail view of the softmax layer.
 * Forward: every logit z_i, exp(z_i), the sum Σ exp(z_j), and ŷ_i = exp(z_i) / Σ exp(z_j); hover (or focus) a
 * row to follow that term in the formula with its numbers.
 * Backward: the loss L = −ln ŷ_label and, fused with the cross-entropy, dL/dz_i = ŷ_i − y_i for every class.
 */
import { fmt, h, pct } from "../../lib/dom.js";
import { t } from "../../lib/i18n.js";
import { softmaxTerms } from "../../lib/cnn.js";
import { checkMark, fillFormula, formula } from "../../lib/formula.js";

function bar(value, signed = false) {
  const fill = h("div", { class: ["term__fill", !signed ? "is-prob" : value >= 0 ? "is-pos" : "is-neg"] });
  const frac = Math.min(1, Math.abs(value)) * (signed ? 50 : 100);
  fill.style.width = `${frac}%`;
  if (signed && value < 0) fill.style.left = `${50 - frac}%`;
  return h("div", { class: ["term__bar", !signed && "is-unsigned"] }, fill);
}

/** The one table of both passes: a class per row under the given column headings, then `foot` (the Σ row). */
function classTable(headings, rows, ...foot) {
  const head = h("tr", {}, ...headings.map((text) => h("th", { text })));
  return h("table", { class: "softmax-table" }, h("thead", {}, head), h("tbody", {}, ...rows), ...foot);
}

export function render(ctx) {
  const { forward, body, formulas } = ctx;
  const z = forward.logits || forward.layers[ctx.index - 1].output.data;
  const s = softmaxTerms(Array.from(z));
  const probs = forward.probabilities;
  const top = forward.label;
  const line = h("div", { class: "formula formula--result" });
  const check = h("div");

  if (ctx.mode === "backward") {
    const bw = ctx.backward;
    const label = bw.label;
    formulas.append(formula(t("lab.softmax.loss_formula")), formula(t("lab.softmax.dz_formula")));
    const rows = bw.probabilities.map((p, i) =>
      h(
        "tr",
        { class: i === label ? "is-hover" : "" },
        h("td", { text: String(i) }),
        h("td", { text: fmt(p, 4) }),
        h("td", { text: String(bw.target[i]) }),
        h("td", { text: fmt(bw.dLdz[i], 4) }),
        h("td", {}, bar(bw.dLdz[i], true)),
      ),
    );
    body.append(classTable([t("lab.softmax.class"), "ŷᵢ", "yᵢ", "ŷᵢ − yᵢ", ""], rows), line, check);
    const p = bw.probabilities[label];
    fillFormula(line, ["L = −ln ŷ", { sub: label }, " = −ln(", { v: p }, ") = ", { v: -Math.log(p) }]);
    check.append(checkMark(-Math.log(p), bw.loss), " ", h("span", { class: "hint", text: t("lab.softmax.ln_note") }));
    return null;
  }

  formulas.append(formula(t("lab.softmax.formula")));
  const sumExp = s.finite ? s.sum : NaN;
  const rows = s.z.map((zi, i) => {
    const tr = h(
      "tr",
      { class: i === top ? "is-top" : "", tabIndex: 0 },
      h("td", { text: String(i) }),
      h("td", { text: fmt(zi, 4) }),
      h("td", { text: fmt(s.exps[i], 4) }),
      h("td", { text: fmt(s.probabilities[i], 4) }),
      h("td", {}, bar(s.probabilities[i])),
    );
    tr.addEventListener("pointerenter", () => show(i));
    tr.addEventListener("focus", () => show(i));
    return tr;
  });
  body.append(
    classTable(
      [t("lab.softmax.class"), "zᵢ", "exp(zᵢ)", "ŷᵢ", ""],
      rows,
      h(
        "tfoot",
        {},
        h(
          "tr",
          {},
          h("th", { text: "Σ" }),
          h("td", { text: "" }),
          h("td", { text: fmt(sumExp, 4) }),
          h("td", { text: "1" }),
          h("td", { text: "" }),
        ),
      ),
    ),
    line,
    check,
  );

  function show(i) {
    rows.forEach((r, k) => r.classList.toggle("is-hover", k === i));
    fillFormula(line, [
      "ŷ",
      { sub: i },
      " = exp(",
      { v: s.z[i] },
      ") / Σ",
      { sub: "j" },
      " exp(z",
      { sub: "j" },
      ") = ",
      { v: s.exps[i] },
      " / ",
      { v: sumExp },
      " = ",
      { v: s.probabilities[i] },
      ` (${pct(s.probabilities[i])})`,
    ]);
    check.replaceChildren(checkMark(s.probabilities[i], probs[i]));
  }
  show(ctx.pos && ctx.pos.j < s.z.length ? ctx.pos.j : top);
  return { update: (p) => p && show(p.j) };
}
