/**
 * Card 5 of the lab: the detail view of the selected layer (and map), forward or backward. This module owns the
 * header (layer name, type, shape, previous/next map), the formulas, and hands the body to the module of the
 * layer's type. A view module exports `render(ctx)` and returns {update(pos)?, destroy()?}:
 *
 *   ctx = {state, forward, backward, mode, col, index, channel, pos, body, formulas,
 *          setPos(pos)            remember the chosen position without re-rendering (keeps keyboard focus)
 *          paramRow(layer, param, row) -> Promise<Tensor>   a row of a big parameter (fc1 W) from the API
 *          gradcheckBox()         an element with .run(layer, param, index) showing analytic vs numerical}
 */
import { $, fmt, h } from "../../lib/dom.js";
import { get, isAbort, LatestOnly, post } from "../../lib/api.js";
import { onLangChange, t } from "../../lib/i18n.js";
import { shapeLabel, Tensor } from "../../lib/tensor.js";
import { columns, gradientOf, isMaps } from "../../lib/trace.js";
import * as convView from "./detail-conv.js";
import * as activationView from "./detail-activation.js";
import * as poolView from "./detail-pool.js";
import * as flattenView from "./detail-flatten.js";
import * as denseView from "./detail-dense.js";
import * as softmaxView from "./detail-softmax.js";
import * as inputView from "./detail-input.js";
import { formula, layerFormula } from "../../lib/formula.js";

const VIEWS = {
  input: inputView,
  conv2d: convView,
  relu: activationView,
  leaky_relu: activationView,
  elu: activationView,
  sigmoid: activationView,
  tanh: activationView,
  maxpool: poolView,
  avgpool: poolView,
  sumpool: poolView,
  flatten: flattenView,
  dense: denseView,
  dropout: denseView,
  softmax: softmaxView,
};

export class DetailPanel {
  constructor(state, { imagePayload }) {
    this.state = state;
    this.imagePayload = imagePayload;
    this.root = $("#detail-body");
    this.view = null;
    this.key = null;
    this.rowCache = new Map();
    for (const k of ["forward", "backward", "mode", "selection"]) state.on(k, () => this.render());
    onLangChange(() => {
      this.key = null;
      this.render();
    });
  }

  render() {
    const { backward, mode, selection } = this.state;
    // in backward mode every number comes from the pass the gradients were computed for (never mix two drawings)
    const forward = mode === "backward" && backward && backward.forward ? backward.forward : this.state.forward;
    if (!forward || !selection) {
      this.destroy();
      this.key = null;
      this.root.replaceChildren(h("p", { class: "hint", text: t("lab.detail.empty") }));
      return;
    }
    const col = columns(forward)[selection.index + 1];
    if (!col) return;
    const data = mode === "backward" ? backward : forward;
    const key = `${mode}|${selection.index}|${selection.channel}`;
    if (this.view?.update && this.key === key && this.data === data) {
      this.view.update(selection.pos);
      return;
    }
    this.key = key;
    this.data = data;
    this.destroy();
    if (mode === "backward" && !gradientOf(backward, col.index)) {
      this.root.replaceChildren(this.header(col, selection), h("p", { class: "hint", text: t("lab.status.working") }));
      return;
    }
    const body = h("div", { class: "detail-body" });
    const formulas = h("div", { class: "detail-formulas" });
    this.root.replaceChildren(this.header(col, selection), formulas, body);
    const mod = VIEWS[col.type];
    if (!mod) {
      body.append(h("p", { class: "hint", text: t("lab.detail.no_view") }));
      if (col.formula) formulas.append(formula(layerFormula(col)));
      return;
    }
    const ctx = {
      state: this.state,
      forward,
      backward,
      mode,
      col,
      index: col.index,
      channel: selection.channel,
      pos: selection.pos,
      body,
      formulas,
      setPos: (pos) => {
        this.state.selection = { ...this.state.selection, pos };
      },
      paramRow: (layer, param, row) => this.paramRow(layer, param, row),
      gradcheckBox: () => this.gradcheckBox(),
    };
    this.view = mod.render(ctx) || null;
  }

  destroy() {
    if (this.view?.destroy) this.view.destroy();
    this.view = null;
  }

  header(col, selection) {
    const maps = isMaps(col.output) ? col.output.shape[0] : 0;
    const type = t(`layer.type.${col.type}`);
    const title = h("h3", {}, col.name, type.toLowerCase() === col.name.toLowerCase() ? null : ` · ${type}`);
    const parts = [title, h("span", { class: "badge", text: shapeLabel(col.outputShape) })];
    if (this.state.mode === "backward")
      parts.push(h("span", { class: "badge badge--accent", text: t("lab.detail.backward_badge") }));
    if (maps > 1) {
      const go = (delta) =>
        this.state.set({
          selection: { index: col.index, channel: (selection.channel + delta + maps) % maps, pos: selection.pos },
        });
      parts.push(
        h(
          "div",
          { class: "detail-nav" },
          h("button", {
            type: "button",
            class: "btn btn--small",
            text: "◀",
            attrs: { "aria-label": t("lab.detail.prev_map") },
            on: { click: () => go(-1) },
          }),
          h("span", { class: "channel-label", text: t("lab.detail.map_of", { c: selection.channel, n: maps }) }),
          h("button", {
            type: "button",
            class: "btn btn--small",
            text: "▶",
            attrs: { "aria-label": t("lab.detail.next_map") },
            on: { click: () => go(1) },
          }),
        ),
      );
    }
    return h("div", { class: "detail-head" }, ...parts);
  }

  async paramRow(layer, param, row) {
    const model = this.state.forward.model || this.state.modelId;
    const key = `${model}/${layer}/${param}/${row}`;
    if (!this.rowCache.has(key)) {
      const promise = get(
        `/api/models/${encodeURIComponent(model)}/params/${encodeURIComponent(layer)}/${encodeURIComponent(param)}`,
        { query: { row } },
      ).then((json) => Tensor.from(json.values));
      promise.catch(() => this.rowCache.delete(key));
      this.rowCache.set(key, promise);
    }
    return this.rowCache.get(key);
  }

  /** "Check this gradient": analytic (backprop) vs numerical (central differences) for one parameter entry. */
  gradcheckBox() {
    const request = new LatestOnly();
    const el = h(
      "div",
      { class: "gradcheck-box", attrs: { "aria-live": "polite" } },
      h("span", { class: "hint", text: t("lab.gc.hint") }),
    );
    el.run = async (layer, param, index) => {
      const payload = this.imagePayload();
      if (!payload) return;
      el.replaceChildren(h("span", { text: t("lab.gc.running", { name: `${layer}.${param}[${index.join(", ")}]` }) }));
      try {
        const json = await request.run((signal) =>
          post(
            "/api/gradcheck",
            {
              ...payload,
              label: this.state.trueLabel,
              model: this.state.forward.model,
              layer,
              param,
              indices: [index],
            },
            { signal },
          ),
        );
        const c = json.checks[0];
        const ok = c.relative_error < 1e-4;
        el.replaceChildren(
          h("strong", { text: `${layer}.${param}[${c.index.join(", ")}]` }),
          " ",
          h("span", {
            class: ["badge", ok ? "badge--good" : "badge--bad"],
            text: ok ? t("lab.gc.ok") : t("lab.gc.off"),
          }),
          h(
            "dl",
            {},
            h("dt", { text: t("lab.gc.analytic") }),
            h("dd", { class: "gc-analytic", text: fmt(c.analytic, 6) }),
            h("dt", { text: t("lab.gc.numerical", { eps: json.eps }) }),
            h("dd", { class: "gc-numerical", text: fmt(c.numerical, 6) }),
            h("dt", { text: t("lab.gc.relative") }),
            h("dd", { class: "gc-relative", text: fmt(c.relative_error, 2) }),
          ),
        );
      } catch (err) {
        if (isAbort(err)) return;
        el.replaceChildren(h("span", { class: "error-box", text: err.message }));
      }
    };
    return el;
  }
}
