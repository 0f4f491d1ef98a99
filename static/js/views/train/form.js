/**
 * The training form of /train: preset or custom layer stack, optimiser and data settings, with the network's
 * shapes and parameter count checked live by the server (POST /api/train/validate) while the user edits.
 *
 *   const form = new TrainForm(formEl, { onSubmit: (body) => {} });
 *   form.body()            -> the POST /api/train request for the current settings
 *   form.fill(settings)    -> show a job's settings (re-attaching to a running job after a reload)
 *   form.setLocked(bool)   -> read-only while a job runs
 */
import { $, clear, debounce, h } from "../../lib/dom.js";
import { LatestOnly, isAbort, post } from "../../lib/api.js";
import { onLangChange, t } from "../../lib/i18n.js";
import { shapeLabel } from "../../lib/tensor.js";
import { count } from "./format.js";

export const MAX_LAYERS = 16;
const LAYER_TYPES = [
  "conv2d",
  "maxpool",
  "avgpool",
  "relu",
  "leaky_relu",
  "elu",
  "sigmoid",
  "tanh",
  "dense",
  "dropout",
  "flatten",
];
const DEFAULT_STACK = [
  { type: "conv2d", filters: 8, kernel_size: 3, stride: 1, padding: "same" },
  { type: "relu" },
  { type: "maxpool", size: 2 },
  { type: "dense", units: 32 },
  { type: "relu" },
];
// the options each layer type has: [field, input attributes]
const LAYER_FIELDS = {
  conv2d: [
    ["filters", { min: 1, max: 32, value: 8 }],
    ["kernel_size", { min: 1, max: 7, value: 3 }],
    ["stride", { min: 1, max: 3, value: 1 }],
    ["padding", { choices: ["same", "valid", "0", "1", "2", "3"], value: "same" }],
  ],
  maxpool: [["size", { min: 2, max: 4, value: 2 }]],
  avgpool: [["size", { min: 2, max: 4, value: 2 }]],
  dense: [["units", { min: 1, max: 256, value: 32 }]],
  dropout: [["rate", { min: 0, max: 0.9, step: 0.05, value: 0.25 }]],
};

function newLayer(type) {
  const layer = { type };
  for (const [name, spec] of LAYER_FIELDS[type] || []) layer[name] = spec.value;
  return layer;
}

const numberOr = (text, fallback) => {
  const v = Number(text);
  return text !== "" && Number.isFinite(v) ? v : fallback;
};

export class TrainForm {
  constructor(form, { onSubmit }) {
    this.form = form;
    this.onSubmit = onSubmit;
    this.layers = DEFAULT_STACK.map((l) => ({ ...l }));
    this.locked = false;
    this.summary = null;
    this.validation = new LatestOnly();
    this.els = {
      fields: $("#train-fields"),
      stack: $("#custom-stack"),
      list: $("#layer-list"),
      addType: $("#add-type"),
      add: $("#add-layer"),
      rows: $("#arch-rows"),
      total: $("#arch-total"),
      cost: $("#arch-cost"),
      archError: $("#arch-error"),
      dataLine: $("#data-line"),
      optimizer: $("#optimizer"),
      lr: $("#learning-rate"),
      momentumField: $("#momentum-field"),
      momentum: $("#momentum"),
      batch: $("#batch-size"),
      epochs: $("#epochs"),
      size: $("#train-size"),
      augment: $("#augment"),
      val: $("#val-fraction"),
      schedule: $("#lr-schedule"),
      seed: $("#seed"),
      snapshots: $("#snapshot-every"),
    };
    this.check = debounce(() => this.validate(), 250);
    this.fillAddTypes();
    this.renderStack();
    form.addEventListener("input", () => this.changed());
    form.addEventListener("change", () => this.changed());
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (this.locked) return;
      if (!form.reportValidity()) return;
      this.onSubmit(this.body());
    });
    this.els.add.addEventListener("click", () => {
      if (this.layers.length >= MAX_LAYERS) return;
      this.layers.push(newLayer(this.els.addType.value));
      this.renderStack();
      this.changed();
      const rows = this.els.list.querySelectorAll("select.layer-type");
      if (rows.length) rows[rows.length - 1].focus();
    });
    onLangChange(() => {
      this.fillAddTypes();
      this.renderStack();
      this.renderSummary();
    });
    this.changed();
  }

  get preset() {
    const checked = this.form.querySelector('input[name="preset"]:checked');
    return checked ? checked.value : "seed";
  }

  changed() {
    this.els.stack.hidden = this.preset !== "custom";
    this.els.momentumField.hidden = this.els.optimizer.value !== "sgd";
    this.els.lr.placeholder =
      this.summary && this.summary.settingsFor === this.settingsKey()
        ? String(this.summary.settings.learning_rate)
        : "";
    this.check();
  }

  settingsKey() {
    return `${this.preset}/${this.els.optimizer.value}`;
  }

  /** The POST /api/train body for what the form shows. */
  body() {
    const e = this.els;
    const body = {
      preset: this.preset,
      optimizer: e.optimizer.value,
      batch_size: Math.round(numberOr(e.batch.value, 32)),
      epochs: Math.round(numberOr(e.epochs.value, 3)),
      augment: e.augment.checked,
      train_size: Math.round(numberOr(e.size.value, 1000)),
      val_fraction: numberOr(e.val.value, 0.2),
      lr_schedule: e.schedule.value,
      seed: Math.round(numberOr(e.seed.value, 0)),
      snapshot_every: Math.round(numberOr(e.snapshots.value, 10)),
    };
    const lr = numberOr(e.lr.value, null);
    if (lr !== null) body.learning_rate = lr;
    if (body.optimizer === "sgd") body.momentum = numberOr(e.momentum.value, 0.9);
    if (body.preset === "custom") body.architecture = this.layers.map((l) => ({ ...l }));
    return body;
  }

  /** Show the settings of an existing job. */
  fill(settings) {
    const e = this.els;
    const radio = this.form.querySelector(`input[name="preset"][value="${settings.preset}"]`);
    if (radio) radio.checked = true;
    e.optimizer.value = settings.optimizer;
    e.lr.value = settings.learning_rate ?? "";
    if (settings.momentum !== null && settings.momentum !== undefined) e.momentum.value = settings.momentum;
    e.batch.value = settings.batch_size;
    e.epochs.value = settings.epochs;
    e.augment.checked = Boolean(settings.augment);
    e.size.value = settings.train_size;
    e.val.value = String(settings.val_fraction);
    e.schedule.value = settings.lr_schedule;
    e.seed.value = settings.seed;
    e.snapshots.value = settings.snapshot_every;
    if (Array.isArray(settings.architecture)) {
      this.layers = settings.architecture.map((l) => {
        const layer = { ...l };
        if (layer.stride === null) delete layer.stride;
        return layer;
      });
    }
    this.renderStack();
    this.changed();
  }

  setLocked(locked) {
    this.locked = locked;
    this.els.fields.disabled = locked;
  }

  // ------------------------------------------------------------------------------------------ custom stack
  fillAddTypes() {
    const current = this.els.addType.value || "conv2d";
    this.els.addType.replaceChildren(
      ...LAYER_TYPES.map((type) => h("option", { value: type, text: t(`train.layer.${type}`) })),
    );
    this.els.addType.value = current;
  }

  renderStack() {
    const list = clear(this.els.list);
    this.layers.forEach((layer, i) => list.append(this.layerRow(layer, i)));
    if (!this.layers.length)
      list.append(h("li", { class: "layer-row layer-row--empty hint", text: t("train.custom.empty") }));
    this.els.add.disabled = this.layers.length >= MAX_LAYERS;
    this.annotateStack();
  }

  layerRow(layer, i) {
    const n = i + 1;
    const list = this.els.list;
    const typeSelect = h(
      "select",
      {
        class: "layer-type",
        attrs: { "aria-label": t("train.custom.type_of", { n }) },
        on: {
          change: () => {
            this.layers[i] = newLayer(typeSelect.value);
            this.renderStack();
            this.changed();
            list.querySelectorAll("select.layer-type")[i]?.focus();
          },
        },
      },
      LAYER_TYPES.map((type) =>
        h("option", { value: type, text: t(`train.layer.${type}`), selected: type === layer.type }),
      ),
    );
    const fields = (LAYER_FIELDS[layer.type] || []).map(([name, spec]) => this.layerField(layer, i, name, spec));
    const move = (delta) => {
      const j = i + delta;
      if (j < 0 || j >= this.layers.length) return;
      [this.layers[i], this.layers[j]] = [this.layers[j], this.layers[i]];
      this.renderStack();
      this.changed();
      const target = list.children[j]?.querySelector(delta < 0 ? ".layer-up" : ".layer-down");
      if (target && !target.disabled) target.focus();
      else if (list.children[j]) list.children[j].querySelector("select").focus();
    };
    const button = (cls, label, text, action, disabled = false) =>
      h("button", {
        type: "button",
        class: `btn btn--small btn--ghost ${cls}`,
        text,
        disabled,
        attrs: { "aria-label": label, title: label },
        on: { click: action },
      });
    return h(
      "li",
      { class: "layer-row", dataset: { index: String(i), type: layer.type } },
      h("span", { class: "layer-row__index num", text: String(n), attrs: { "aria-hidden": "true" } }),
      typeSelect,
      h("span", { class: "layer-row__fields" }, fields),
      h("span", { class: "layer-row__shape num", dataset: { shape: "" } }),
      h(
        "span",
        { class: "layer-row__tools" },
        button("layer-up", t("train.custom.up", { n }), "↑", () => move(-1), i === 0),
        button("layer-down", t("train.custom.down", { n }), "↓", () => move(1), i === this.layers.length - 1),
        button("layer-remove", t("train.custom.remove", { n }), "✕", () => {
          this.layers.splice(i, 1);
          this.renderStack();
          this.changed();
          const rows = list.querySelectorAll("select.layer-type");
          if (rows.length) rows[Math.min(i, rows.length - 1)].focus();
          else this.els.addType.focus();
        }),
      ),
    );
  }

  layerField(layer, i, name, spec) {
    const label = t(`train.field.${name}`);
    let input;
    if (spec.choices) {
      input = h(
        "select",
        { attrs: { "aria-label": `${label} (${i + 1})` } },
        spec.choices.map((c) =>
          h("option", {
            value: c,
            text: c === "same" || c === "valid" ? t(`train.padding.${c}`) : c,
            selected: String(layer[name]) === c,
          }),
        ),
      );
      input.addEventListener("change", () => {
        const v = input.value;
        this.layers[i][name] = v === "same" || v === "valid" ? v : Number(v);
      });
    } else {
      input = h("input", {
        type: "number",
        value: String(layer[name] ?? spec.value),
        attrs: {
          min: spec.min,
          max: spec.max,
          step: spec.step || 1,
          required: true,
          "aria-label": `${label} (${i + 1})`,
          inputmode: spec.step ? "decimal" : "numeric",
        },
      });
      input.addEventListener("input", () => {
        const v = numberOr(input.value, null);
        if (v !== null) this.layers[i][name] = spec.step ? v : Math.round(v);
      });
    }
    return h("label", { class: "layer-field" }, h("span", { text: label, attrs: { "aria-hidden": "true" } }), input);
  }

  /** Write each user layer's output shape next to it (from the last summary). */
  annotateStack() {
    if (!this.summary || this.preset !== "custom") return;
    const own = this.summary.architecture.layers.filter((l) => !l.added);
    this.els.list.querySelectorAll(".layer-row").forEach((row, k) => {
      const cell = row.querySelector("[data-shape]");
      if (cell) cell.textContent = own[k] ? `→ ${shapeLabel(own[k].output_shape)}` : "";
    });
  }

  // ------------------------------------------------------------------------------------------ live check
  async validate() {
    const key = this.settingsKey();
    try {
      const json = await this.validation.run((signal) => post("/api/train/validate", this.body(), { signal }));
      this.summary = { ...json, settingsFor: key };
      this.error = null;
    } catch (err) {
      if (isAbort(err)) return;
      this.error = err.message;
      this.summary = null;
    }
    this.renderSummary();
    this.els.lr.placeholder = this.summary ? String(this.summary.settings.learning_rate) : "";
  }

  renderSummary() {
    const e = this.els;
    e.archError.hidden = !this.error;
    e.archError.textContent = this.error || "";
    const rows = clear(e.rows);
    if (!this.summary) {
      e.total.textContent = "—";
      e.cost.textContent = "";
      e.dataLine.textContent = "";
      return;
    }
    const arch = this.summary.architecture;
    for (const layer of arch.layers) {
      rows.append(
        h(
          "tr",
          { class: layer.added ? "is-added" : "" },
          h(
            "th",
            { scope: "row" },
            layer.name,
            " ",
            h("span", { class: "hint", text: t(`train.layer.${layer.type}`) }),
            layer.added ? h("span", { class: "badge", text: t("train.arch.added") }) : null,
          ),
          h("td", { class: "num", text: shapeLabel(layer.output_shape) }),
          h("td", { class: "num", text: count(layer.params) }),
        ),
      );
    }
    e.total.textContent = count(arch.param_count);
    e.cost.textContent = t("train.arch.cost", { macs: count(arch.macs_per_image) });
    const d = this.summary.data;
    e.dataLine.textContent = t("train.data_line", {
      train: count(d.train_size),
      val: count(d.val_size),
      batches: d.batches_per_epoch,
      total: count(d.total_batches),
    });
    this.annotateStack();
  }
}
