/**
 * Horizontal bar charts in plain HTML (text stays crisp on a projector, screen readers read the numbers).
 *
 *   const chart = new BarChart({
 *     labels: ["0", …, "9"],
 *     signed: false,              // true: bars grow left (negative, blue) or right (positive, red) from a centre line
 *     columns: false,             // true: vertical columns side by side (unsigned charts; a narrow screen's CSS
 *                                 // may turn them back into rows: the fill reads --v, the ghost --g, in 0..1)
 *     format: (v) => pct(v),      // the number printed at the end of each row
 *     caption: "Probabilities",   // accessible name of the list
 *     onRowEnter: (k) => {}, onRowLeave: () => {}, onRowClick: (k) => {},
 *   });
 *   parent.append(chart.el);
 *   chart.update(values, {top: 7, marked: 3, ghost: previousValues, max: 1});
 */
import { h, pct } from "./dom.js";

export class BarChart {
  constructor({
    labels,
    signed = false,
    columns = false,
    format = pct,
    caption = "",
    onRowEnter,
    onRowLeave,
    onRowClick,
  } = {}) {
    this.labels = labels;
    this.signed = signed;
    this.format = format;
    this.el = h("div", {
      class: ["bars", signed && "bars--signed", columns && !signed && "bars--columns"],
      attrs: { role: "list", "aria-label": caption },
    });
    this.rows = labels.map((label, k) => {
      const fill = h("div", { class: "bar-row__fill" });
      const ghost = h("div", { class: "bar-row__ghost", hidden: true });
      const value = h("span", { class: "bar-row__value" });
      const row = h(
        "div",
        { class: "bar-row", attrs: { role: "listitem" }, dataset: { index: String(k) } },
        h("span", { class: "bar-row__label", text: label }),
        h("div", { class: "bar-row__track" }, ghost, fill),
        value,
      );
      if (onRowEnter) row.addEventListener("pointerenter", () => onRowEnter(k));
      if (onRowLeave) row.addEventListener("pointerleave", () => onRowLeave(k));
      if (onRowClick) {
        row.tabIndex = 0;
        row.classList.add("is-clickable");
        row.addEventListener("click", () => onRowClick(k));
        row.addEventListener("keydown", (e) => {
          if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            onRowClick(k);
          }
        });
      }
      this.el.append(row);
      return { row, fill, ghost, value };
    });
  }

  setCaption(caption) {
    this.el.setAttribute("aria-label", caption);
  }

  update(values, { top = null, marked = null, ghost = null, max = null } = {}) {
    const scaleMax =
      max ?? (this.signed ? Math.max(1e-12, ...values.map(Math.abs)) : Math.max(1e-12, ...values, ...(ghost || [])));
    values.forEach((v, k) => {
      const r = this.rows[k];
      if (!r) return;
      r.row.classList.toggle("is-top", k === top);
      r.row.classList.toggle("is-marked", k === marked);
      r.value.textContent = this.format(v);
      if (this.signed) {
        const frac = Math.min(1, Math.abs(v) / scaleMax) * 50;
        r.fill.classList.toggle("is-pos", v >= 0);
        r.fill.classList.toggle("is-neg", v < 0);
        r.fill.style.left = v >= 0 ? "50%" : `${50 - frac}%`;
        r.fill.style.width = `${frac}%`;
      } else {
        const frac = Math.max(0, Math.min(1, v / scaleMax));
        r.fill.style.left = "0";
        r.fill.style.width = `${frac * 100}%`;
        r.fill.style.setProperty("--v", String(frac));
      }
      if (ghost && !this.signed) {
        r.ghost.hidden = false;
        const g = Math.max(0, Math.min(1, ghost[k] / scaleMax));
        r.ghost.style.width = `${g * 100}%`;
        r.ghost.style.setProperty("--g", String(g));
      } else {
        r.ghost.hidden = true;
      }
      r.row.setAttribute("aria-label", `${this.labels[k]}: ${r.value.textContent}`);
    });
  }
}
