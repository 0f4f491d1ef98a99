/**
 * Numbers and durations as the training page prints them, in the current language.
 *
 *   count(12345)   -> "12,345" (English) or "12 345" (French)
 *   duration(75)   -> "1 min 15 s"; duration(8.2) -> "8 s"; null -> "—"
 *   ordinal(3)     -> "3rd" (English) or "3e" (French): a place in the training queue
 */
import { getLang, t } from "../../lib/i18n.js";

/** A count for the current language: 12,345 (English), 12 345 (French). */
export function count(n) {
  return Number(n).toLocaleString(getLang() === "fr" ? "fr-FR" : "en-US", { maximumFractionDigits: 0 });
}

/** 75 -> "1 min 15 s", 8.2 -> "8 s". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(s % 60).padStart(2, "0")} s`;
}

/** A place in line: 1st, 2nd, 3rd, 11th... (1er, 2e... in French), from the language's ordinal plural rules. */
export function ordinal(n) {
  const rule = new Intl.PluralRules(getLang() === "fr" ? "fr-FR" : "en-US", { type: "ordinal" }).select(n);
  return t(`train.ordinal.${["one", "two", "few"].includes(rule) ? rule : "other"}`, { n });
}
