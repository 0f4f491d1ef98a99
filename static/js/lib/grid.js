/**
 * Small matrices as grids of numbers (an HTML <table>: readable, selectable, accessible), optionally coloured by a
 * scale, with highlightable cells. The drawing lab uses it for kernels, windows and products; the worked example
 * and the playground for every matrix of the course.
 *
 *   const grid = new GridView({
 *     matrix,                       // {rows, cols, get(i, j)} or a nested array [[…], […]]
 *     caption: "K (5×5)",           // shown above, also the accessible name
 *     scale,                        // optional colours.js scale: cells get a background colour
 *     format: (v) => fmt(v, 3),     // how numbers print
 *     classes: (i, j, v) => "is-highlight" | "is-strong" | "is-dim" | "is-pad" | null,
 *     onCellClick: (i, j, v) => {}, // makes cells focusable buttons (Enter/Space too)
 *     onCellHover: (i, j, v) => {}, // (null, null) when leaving the grid
 *     editable: false, onEdit: (i, j, number) => {},  // cells become inputs; onEdit gets valid numbers only
 *     compact: false,
 *   });
 *   parent.append(grid.el);
 *   grid.update({matrix, classes, scale});   // re-renders in place
 *
 *   asMatrix(nestedArray) -> {rows, cols, get}
 *   markCells(table, fn, classes)   toggle classes on a GridView's cells in place: fn(i, j) -> class or null
 *                                   (an editable grid must not be re-rendered: it would lose the focus)
 */
import { fmt, h } from "./dom.js";
import { t } from "./i18n.js";

export function asMatrix(value) {
  if (value && typeof value.get === "function") return value;
  const rows = value.length;
  const cols = rows ? (Array.isArray(value[0]) ? value[0].length : 1) : 0;
  const get = Array.isArray(value[0]) ? (i, j) => value[i][j] : (i) => value[i];
  return { rows, cols, get };
}

export function parseNumber(text) {
  const s = String(text).trim().replace(",", ".").replace("−", "-");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

export class GridView {
  constructor(options) {
    this.opts = { format: (v) => fmt(v, 3), ...options };
    this.el = h("table", { class: ["grid", this.opts.compact && "grid--compact"] });
    if (this.opts.onCellHover) this.el.addEventListener("pointerleave", () => this.opts.onCellHover(null, null, null));
    this.update({});
  }

  update(changes = {}) {
    Object.assign(this.opts, changes);
    const o = this.opts;
    if (!o.matrix) return;
    const m = asMatrix(o.matrix);
    const body = [];
    if (o.caption) body.push(h("caption", { text: o.caption }));
    const tbody = h("tbody");
    for (let i = 0; i < m.rows; i++) {
      const tr = h("tr");
      for (let j = 0; j < m.cols; j++) tr.append(this.cell(m, i, j));
      tbody.append(tr);
    }
    body.push(tbody);
    this.el.replaceChildren(...body);
  }

  cell(m, i, j) {
    const o = this.opts;
    const v = m.get(i, j);
    const td = h("td");
    const extra = o.classes ? o.classes(i, j, v) : null;
    if (extra) td.className = extra;
    if (o.scale && Number.isFinite(v) && !extra?.includes("is-pad")) {
      td.style.background = o.scale.css(v);
      td.classList.add(o.scale.isDark(v) ? "is-dark" : "is-light");
    }
    if (o.editable) {
      const input = h("input", {
        type: "text",
        value: Number.isFinite(v) ? String(v) : "",
        attrs: { inputmode: "decimal", "aria-label": t("grid.cell", { i, j }), spellcheck: "false" },
      });
      input.addEventListener("change", () => {
        const num = parseNumber(input.value);
        input.setAttribute("aria-invalid", num === null ? "true" : "false");
        if (num !== null && o.onEdit) o.onEdit(i, j, num);
      });
      td.append(input);
    } else {
      td.textContent = Number.isFinite(v)
        ? o.format(v)
        : v === undefined || v === null || Number.isNaN(v)
          ? "·"
          : String(v);
    }
    if (o.onCellClick && !o.editable) {
      td.tabIndex = 0;
      td.classList.add("is-clickable");
      td.setAttribute("role", "button");
      td.setAttribute("aria-label", `${t("grid.cell", { i, j })}: ${td.textContent}`);
      td.addEventListener("click", () => o.onCellClick(i, j, v));
      td.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          o.onCellClick(i, j, v);
        }
      });
    }
    if (o.onCellHover) {
      td.addEventListener("pointerenter", () => o.onCellHover(i, j, v));
      td.addEventListener("focus", () => o.onCellHover(i, j, v));
    }
    return td;
  }
}

export function markCells(table, fn, classes = ["is-highlight", "is-strong", "is-dim", "is-edited"]) {
  table.querySelectorAll("tbody tr").forEach((tr, i) =>
    Array.from(tr.children).forEach((td, j) => {
      const want = fn(i, j);
      for (const c of classes) td.classList.toggle(c, c === want);
    }),
  );
}
