/**
 * Numbers as the architectures page prints them, in the current language (decimal comma and narrow no-break
 * thousands separator in French).
 *
 *   count(138357544)   -> "138,357,544" | "138 357 544"
 *   compact(15470264)  -> "15.5 M" | "15,5 M"          bytes(12100)  -> "12.1 kB" | "12,1 ko"
 *   percent(71.592)    -> "71.59 %" | "71,59 %"          shape([64, 55, 55]) -> "64×55×55"
 *   sizeFormula(step)  -> "(224 − 11 + 2·2)/4 + 1 = ⌊54.25⌋ + 1 = 55"
 */
import { getLang, t } from "../../lib/i18n.js";

const locale = () => (getLang() === "fr" ? "fr-FR" : "en-US");

export const count = (n) => Number(n).toLocaleString(locale(), { maximumFractionDigits: 0 });

export const decimal = (x, digits = 2) => Number(x).toLocaleString(locale(), { maximumFractionDigits: digits });

export function compact(n) {
  const a = Math.abs(n);
  if (a >= 1e9) return t("arch.unit.g", { n: decimal(n / 1e9, a >= 1e10 ? 1 : 2) });
  if (a >= 1e6) return t("arch.unit.m", { n: decimal(n / 1e6, 1) });
  if (a >= 1e4) return t("arch.unit.k", { n: decimal(n / 1e3, 1) });
  return count(n);
}

export function bytes(n) {
  if (n >= 1e9) return t("arch.unit.gb", { n: decimal(n / 1e9, 2) });
  if (n >= 1e6) return t("arch.unit.mb", { n: decimal(n / 1e6, 1) });
  if (n >= 1e3) return t("arch.unit.kb", { n: decimal(n / 1e3, 1) });
  return t("arch.unit.bytes", { n: count(n) });
}

export const percent = (p) => `${decimal(p, 2)}\u202f%`;

export const shape = (s) => s.join("×");

/** One axis through (N − F + 2P)/S + 1, with the floor (or ceil) shown when S does not divide. */
export function sizeFormula(step) {
  const pad = step.p === 0 ? "" : step.p % 2 === 0 ? ` + 2·${step.p / 2}` : ` + ${step.p}`;
  const core = `(${step.n} − ${step.f}${pad})/${step.s} + 1`;
  if (step.exact) return `${core} = ${step.out}`;
  const q = decimal(step.quotient, 3);
  const ceil = step.rounding === "ceil" && Math.ceil(step.quotient) + 1 === step.out;
  return `${core} = ${ceil ? `⌈${q}⌉` : `⌊${q}⌋`} + 1 = ${step.out}`;
}
