/**
 * Numbers for the reader's language: fmt() of dom.js (about 4 significant digits, the true minus sign), with the
 * decimal comma in French ("0,25"), and vectors written [a, b] in English, [a ; b] in French (a comma would be
 * ambiguous there).
 *
 *   num(0.25) -> "0.25" | "0,25"      vec([1.5, -2]) -> "[1.5, −2]" | "[1,5 ; −2]"
 */
import { fmt } from "./dom.js";
import { getLang } from "./i18n.js";

export function num(x, digits = 4) {
  const s = fmt(x, digits);
  return getLang() === "fr" ? s.replace(".", ",") : s;
}

export function vec(values, digits = 4) {
  const sep = getLang() === "fr" ? " ; " : ", ";
  return `[${Array.from(values, (v) => num(v, digits)).join(sep)}]`;
}
