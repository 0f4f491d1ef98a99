/**
 * Playground, tab 3: pooling. Max, average or sum pooling (POST /api/pool) of an editable map — the course's 4×4
 * example by default (seed 001: [[0,0,0,0],[0,2,50,20],[0,20,18,20],[0,20,20,20]] → [[2, 50], [20, 20]]) — with
 * the window size and the stride, the output-size formula filled in, and every output cell explained.
 */
import { fmt, h } from "../../lib/dom.js";
import { isAbort, post } from "../../lib/api.js";
import { GridView } from "../../lib/grid.js";
import { t } from "../../lib/i18n.js";
import { field, fill, numberInput, put, sameNumbers, segmented, statusBadge, title } from "./common.js";
import { markCells } from "../../lib/grid.js";
import { block, formula, op } from "../../lib/formula.js";

export const COURSE_MAP = [
  [0, 0, 0, 0],
  [0, 2, 50, 20],
  [0, 20, 18, 20],
  [0, 20, 20, 20],
];
export const COURSE_POOLED = [
  [2, 50],
  [20, 20],
];
const MODES = [
  { value: "max", key: "play.pool.max" },
  { value: "avg", key: "play.pool.avg" },
  { value: "sum", key: "play.pool.sum" },
];
const copy = (m) => m.map((r) => r.slice());

export class PoolingPanel {
  constructor(panel) {
    this.panel = panel;
    this.map = copy(COURSE_MAP);
    this.mode = "max";
    this.size = 2;
    this.stride = 2;
    this.selected = { i: 0, j: 1 };
    this.generation = 0;
    this.build();
    this.run();
  }

  build() {
    this.modes = segmented(
      MODES,
      this.mode,
      (m) => {
        this.mode = m;
        this.run();
      },
      { label: t("play.pool.mode") },
    );
    this.sizeInput = numberInput({
      value: this.size,
      min: 1,
      max: 8,
      onChange: (v) => {
        this.size = v;
        this.run();
      },
    });
    this.strideInput = numberInput({
      value: this.stride,
      min: 1,
      max: 8,
      onChange: (v) => {
        this.stride = v;
        this.run();
      },
    });
    const course = h("button", {
      type: "button",
      class: "btn btn--small",
      i18n: "play.pool.course",
      text: t("play.pool.course"),
      on: { click: () => this.setMap(copy(COURSE_MAP)) },
    });
    const random = h("button", {
      type: "button",
      class: "btn btn--small",
      i18n: "play.pool.random",
      text: t("play.pool.random"),
      on: {
        click: () =>
          this.setMap(Array.from({ length: 6 }, () => Array.from({ length: 6 }, () => Math.floor(Math.random() * 10)))),
      },
    });
    this.inputBox = h("div", { class: "detail-block" });
    this.outputBox = h("div", { class: "detail-block" });
    this.detail = h("div", { class: "play-formulas" });
    this.error = h("p", { class: "error-box", attrs: { role: "alert" }, hidden: true });
    put(
      this.panel,
      title("play.pool.title"),
      h("p", { class: "hint", i18n: "play.pool.intro", text: t("play.pool.intro") }),
      h(
        "div",
        { class: "play-controls" },
        this.modes,
        field("play.pool.size", this.sizeInput),
        field("play.conv.stride", this.strideInput),
        course,
        random,
      ),
      this.error,
      h("div", { class: "stage-row" }, this.inputBox, op("→"), this.outputBox),
      this.detail,
    );
    this.renderInput();
  }

  setMap(map) {
    this.map = map;
    this.selected = { i: 0, j: 0 };
    this.renderInput();
    this.run();
  }

  renderInput() {
    this.inputGrid = new GridView({
      matrix: this.map,
      editable: true,
      format: (v) => fmt(v),
      caption: t("play.pool.input", { h: this.map.length, w: this.map[0].length }),
      onEdit: (i, j, v) => {
        this.map[i][j] = v;
        this.run();
      },
    });
    this.inputGrid.el.dataset.role = "pool-input";
    fill(this.inputBox, this.inputGrid.el);
  }

  async run() {
    const gen = ++this.generation;
    if (!Number.isInteger(this.size) || this.size < 1 || !Number.isInteger(this.stride) || this.stride < 1) {
      this.showError(t("play.pool.bad_numbers"));
      return;
    }
    try {
      const res = await post("/api/pool", { input: this.map, mode: this.mode, size: this.size, stride: this.stride });
      if (gen !== this.generation) return;
      this.res = res;
      this.showError("");
      this.render();
    } catch (err) {
      if (gen !== this.generation || isAbort(err)) return;
      this.res = null;
      fill(this.outputBox);
      fill(this.detail);
      markCells(this.inputGrid.el, () => null);
      this.showError(err.message);
    }
  }

  showError(message) {
    this.error.textContent = message || "";
    this.error.hidden = !message;
  }

  render() {
    const res = this.res;
    if (!res) return;
    const [Ho, Wo] = res.output_shape;
    if (this.selected.i >= Ho || this.selected.j >= Wo) this.selected = { i: 0, j: 0 };
    const { i, j } = this.selected;
    const pos = res.positions.find((p) => p.position[0] === i && p.position[1] === j);
    if (!pos) return; // only the first positions are detailed by the API; the maps here are small
    const [r0, c0] = pos.origin;
    const [fh, fw] = res.size;
    const arg = pos.argmax;
    markCells(this.inputGrid.el, (r, c) => {
      if (arg && r === arg[0] && c === arg[1]) return "is-strong";
      return r >= r0 && r < r0 + fh && c >= c0 && c < c0 + fw ? "is-highlight" : null;
    });
    const outGrid = new GridView({
      matrix: res.output,
      format: (v) => fmt(v),
      caption: t("play.pool.output", { h: Ho, w: Wo }),
      classes: (a, b) => (a === i && b === j ? "is-strong" : null),
      onCellClick: (a, b) => {
        this.selected = { i: a, j: b };
        this.render();
      },
    });
    outGrid.el.dataset.role = "pool-output";
    const isCourse = sameNumbers(this.map, COURSE_MAP) && this.mode === "max" && this.size === 2 && this.stride === 2;
    fill(
      this.outputBox,
      outGrid.el,
      h("p", { class: "hint", text: t("play.pool.click") }),
      isCourse
        ? statusBadge(sameNumbers(res.output, COURSE_POOLED), "play.pool.course_ok", "play.course.differs")
        : null,
    );
    const values = pos.window.flat();
    const opText = { max: "max", avg: "mean", sum: "Σ" }[this.mode];
    fill(
      this.detail,
      formula(
        t("play.conv.size"),
        ": ",
        res.formula.symbolic,
        "  ·  H_out = ",
        { v: res.formula.height },
        "  ·  W_out = ",
        { v: res.formula.width },
      ),
      res.note ? h("p", { class: "note", text: res.note }) : null,
      block(
        t("play.pool.at", { i, j }),
        formula(`P[${i}, ${j}] = ${opText}(`, ...values.flatMap((v, k) => [k ? ", " : "", { v }]), ") = ", {
          v: pos.value,
        }),
        this.mode === "max" ? h("p", { class: "hint", text: t("play.pool.argmax", { r: arg[0], c: arg[1] }) }) : null,
        this.mode === "avg" ? h("p", { class: "hint", text: t("play.pool.avg_hint", { n: values.length }) }) : null,
      ),
    );
  }

  refresh() {
    this.renderInput();
    this.render();
  }
}
