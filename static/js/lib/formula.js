/**
 * Formulas with the page's numbers in them, and the blocks they sit in (lab detail views, /steps, /example,
 * the playground):
 *
 *   layerFormula(col)                   the layer's formula, translated
 *   block(title, ...children)           a titled column
 *   op(symbol)                          a big operator between blocks (∗, =, →, ⊙)
 *   formula(...parts)                   a formula line; numbers given as {v: 1.23} are highlighted
 *   fillFormula(el, parts)              the same, written into an existing element (live updates)
 *   sizeFormula(layer)                  the course's (N − F + 2P)/S + 1 filled with this layer's numbers
 *   checkMark(ours, server)             "✓ same as the server's value" / "✗ differs" (the page recomputes each number)
 */
import { fmt, h } from "./dom.js";
import { hasKey, t } from "./i18n.js";
import { totalPadding } from "./cnn.js";

/** The layer's formula in the page's language (the engine writes the course's French notation). */
export function layerFormula(col) {
  const key = `formula.${col.type}`;
  return hasKey(key) ? t(key) : col.formula;
}

export function block(title, ...children) {
  return h("div", { class: "detail-block" }, title ? h("h4", { text: title }) : null, ...children);
}

export const op = (symbol) => h("span", { class: "op", text: symbol, attrs: { "aria-hidden": "true" } });

export function formula(...parts) {
  const el = h("div", { class: "formula" });
  fillFormula(el, parts);
  return el;
}

export function fillFormula(el, parts) {
  el.replaceChildren(
    ...parts.flat().map((p) => {
      if (p === null || p === undefined) return "";
      if (typeof p === "object" && !(p instanceof Node) && "v" in p)
        return h("span", { class: "v", text: typeof p.v === "number" ? fmt(p.v, p.digits || 4) : p.v });
      if (typeof p === "object" && !(p instanceof Node) && "sub" in p) return h("sub", { text: String(p.sub) });
      if (typeof p === "object" && !(p instanceof Node) && "sup" in p) return h("sup", { text: String(p.sup) });
      return p;
    }),
  );
  return el;
}

/** H_out = (N − F + 2P)/S + 1 with the numbers of a conv or pooling layer (rows; columns too if they differ). */
export function sizeFormula(layer) {
  const g = layer.geometry;
  if (!g) return null;
  const [, n, w] = layer.inputShape;
  const [, ho, wo] = layer.outputShape;
  const axis = (N, F, S, P0, out) => {
    const ptot = totalPadding(N, F, S, out, P0);
    const padText = ptot % 2 === 0 ? `2·${ptot / 2}` : `${ptot}`;
    return [`(${N} − ${F} + ${padText}) / ${S} + 1 = `, { v: String(out) }];
  };
  const rows = axis(n, g.kernel[0], g.stride[0], g.padding[0], ho);
  const parts = [t("lab.detail.size_formula"), " = ", ...rows];
  if (w !== n || g.kernel[1] !== g.kernel[0] || g.stride[1] !== g.stride[0])
    parts.push("  ×  ", ...axis(w, g.kernel[1], g.stride[1], g.padding[1], wo));
  return formula(...parts);
}

/** Compare a number the page recomputed with the server's (rounded to 4 significant digits on the wire). */
export function checkMark(ours, server) {
  const tol = 2e-3 * Math.max(1, Math.abs(server)) + 1e-6;
  const ok = Math.abs(ours - server) <= tol;
  return h("span", {
    class: ["check", ok ? "check--ok" : "check--off"],
    text: ok ? t("lab.detail.check_ok", { v: fmt(server) }) : t("lab.detail.check_off", { v: fmt(server) }),
  });
}
