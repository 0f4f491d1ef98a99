/**
 * The editable inputs of the worked example: X (3×3), f1, f2 (2×2), W (2×2), b (2), y (2) as grids of text fields,
 * and η. Cells that differ from the document are marked, so a class sees at once what was changed.
 *
 *   const editor = new InputsEditor({ root, eta, onChange: (inputs) => {} });
 *   editor.set(inputs, documentInputs);   // shows the values, marks the edited cells
 *   editor.values                         // {X, f1, f2, W, b, y, eta}: the current inputs (a fresh copy)
 */
import { h } from "../../lib/dom.js";
import { GridView } from "../../lib/grid.js";
import { num } from "./render.js";
import { markCells } from "../../lib/grid.js";

const FIELDS = [
  ["X", "X (3×3)"],
  ["f1", "f1"],
  ["f2", "f2"],
  ["W", "W"],
  ["b", "b"],
  ["y", "y"],
];

const copy = (v) => JSON.parse(JSON.stringify(v));
const at = (v, i, j) => (Array.isArray(v[0]) ? v[i][j] : v[i]);

export class InputsEditor {
  constructor({ root, eta, onChange }) {
    this.root = root;
    this.eta = eta;
    this.onChange = onChange;
    this.inputs = null;
    this.reference = null;
    this.grids = {};
    this.blocks = {};
    for (const [key, label] of FIELDS) {
      const grid = new GridView({
        matrix: [[0]],
        editable: true,
        format: num,
        caption: label,
        onEdit: (i, j, value) => this.edit(key, i, j, value),
      });
      grid.el.dataset.input = key;
      this.grids[key] = grid;
      this.blocks[key] = h("div", { class: "example-inputs__field" }, grid.el);
    }
    root.replaceChildren(...Object.values(this.blocks));
    eta.addEventListener("change", () => {
      const value = Number(eta.value);
      eta.setAttribute("aria-invalid", String(!(value > 0)));
      if (value > 0) {
        this.inputs.eta = value;
        this.emit();
      }
    });
  }

  edit(key, i, j, value) {
    if (Array.isArray(this.inputs[key][0])) this.inputs[key][i][j] = value;
    else this.inputs[key][i] = value;
    this.emit();
  }

  emit() {
    this.mark();
    this.onChange(this.values);
  }

  get values() {
    return copy(this.inputs);
  }

  set(inputs, reference) {
    this.inputs = copy(inputs);
    this.reference = reference;
    for (const [key] of FIELDS) this.grids[key].update({ matrix: this.inputs[key] });
    this.eta.value = String(this.inputs.eta);
    this.mark();
  }

  /** Cells that differ from the document's inputs get "is-edited" (in place: re-rendering the grid would take the
   *  keyboard focus away from the field the user just tabbed into). */
  mark() {
    const ref = this.reference;
    for (const [key] of FIELDS) {
      markCells(
        this.grids[key].el,
        (i, j) => (ref && at(ref[key], i, j) !== at(this.inputs[key], i, j) ? "is-edited" : null),
        ["is-edited"],
      );
    }
    this.eta.classList.toggle("is-edited", Boolean(ref && ref.eta !== this.inputs.eta));
  }
}
