/**
 * Pieces shared by the course's /neuron and /mlp pages: the browser's own check of a server number (in the
 * reader's language), the sigmoid, and a filled formula whose numbers follow the language.
 */
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { num, vec } from "./numbers.js";

export const sigmoid = (z) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** log(1 + e^z), without overflow: the log loss written from z. */
export const softplus = (z) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));

/** ✓ when the browser's value (a number or an array) agrees with the server's, ✗ with the server's otherwise. */
export function check(ours, server) {
  const a = Array.isArray(ours) ? ours : [ours];
  const b = Array.isArray(server) ? server : [server];
  const ok = a.length === b.length && a.every((v, k) => Math.abs(v - b[k]) <= 1e-6 * Math.max(1, Math.abs(b[k])));
  const shown = Array.isArray(server) ? vec(server) : num(server);
  return h("span", {
    class: ["check", ok ? "check--ok" : "check--off"],
    text: ok ? t("lab.detail.check_ok", { v: shown }) : t("lab.detail.check_off", { v: shown }),
  });
}

/** A formula line: strings as they are, {v: number} or {v: array} as a highlighted value in the reader's language. */
export function line(...parts) {
  return h(
    "div",
    { class: "formula" },
    parts.map((p) => {
      if (p && typeof p === "object" && !(p instanceof Node) && "v" in p)
        return h("span", {
          class: "v",
          text: Array.isArray(p.v) ? vec(p.v) : typeof p.v === "number" ? num(p.v) : p.v,
        });
      if (p && typeof p === "object" && !(p instanceof Node) && "sub" in p) return h("sub", { text: String(p.sub) });
      return p;
    }),
  );
}
