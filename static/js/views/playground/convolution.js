/**
 * Playground, tab 1: a convolution on a real picture — a sample digit or an uploaded photo (turned grey by the mean
 * of its R, G, B channels, as the course does) — with the course's kernels one click away, Sobel's gradient
 * magnitude √(gx² + gy²), a custom editable kernel, stride and padding with the output-size formula filled in by
 * the server (POST /api/convolve), and invalid settings explained rather than clamped.
 * Clicking the output shows how that value was made: window ⊙ kernel = products → sum, recomputed here from the
 * padded input the server returns and checked against its output.
 * Why one file of over 400 lines: one playground tab whose picture, kernel, stride/padding form and click-to-explain output
 * share one state; the course's examples are in course.js.
 */
import { fmt, h, short } from "../../lib/dom.js";
import { get, isAbort, post } from "../../lib/api.js";
import { GridView } from "../../lib/grid.js";
import { t } from "../../lib/i18n.js";
import { identityKernel, KERNELS, kernelById, SOBEL_Y } from "./kernels.js";
import { field, fill, numberInput, para, put, segmented, title } from "./common.js";
import { block, checkMark, formula, op } from "../../lib/formula.js";
import { argmaxOf, locate } from "../../lib/argmax.js";
import { cellMark, heat, windowMark } from "../../lib/tensor-heatmaps.js";
import { scaleFor } from "../../lib/colors.js";
import { convAt } from "../../lib/cnn.js";
import { Tensor } from "../../lib/tensor.js";

const PHOTO_SIDE = 96; // the photo is shrunk to at most 96 px a side (the API accepts up to 128)
const MAX_PAD = 7;

/** A photo as grey levels 0–255: the mean of R, G and B (the course's conversion), at most PHOTO_SIDE a side. */
export async function photoToGrey(file, maxSide = PHOTO_SIDE) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const hh = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = hh;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(bitmap, 0, 0, w, hh);
  const px = ctx.getImageData(0, 0, w, hh).data;
  return Array.from({ length: hh }, (_, i) =>
    Array.from({ length: w }, (__, j) => {
      const k = (i * w + j) * 4;
      return Math.round((px[k] + px[k + 1] + px[k + 2]) / 3);
    }),
  );
}

/**
 * The window under output (i, j) of the padded input the server returned, its products with the kernel and their
 * sum: lib/cnn.js's convAt (the one front-end window ⊙ kernel, checked against the server on every page), on a
 * one-channel image whose padding is already in place.
 */
function windowAt(padded, kernel, i, j, stride) {
  const X = new Tensor(Float64Array.from(padded.flat()), [1, padded.length, padded[0].length]);
  const K = new Tensor(Float64Array.from(kernel.flat()), [1, 1, kernel.length, kernel[0].length]);
  const r = convAt(X, K, null, 0, i, j, { kernel: K.shape.slice(2), stride, padding: [0, 0] });
  const { window, products, sum } = r.channels[0];
  return { window, products, sum, top: r.top, left: r.left };
}

export class ConvolutionPanel {
  constructor(panel) {
    this.panel = panel;
    this.samples = [];
    this.image = null;
    this.sourceKey = "";
    this.kernelId = "edge";
    this.kernel = kernelById("edge").kernel;
    this.stride = 1;
    this.padding = 1;
    this.selected = null;
    this.result = null;
    this.generation = 0;
    this.build();
    this.loadSamples();
  }

  build() {
    this.sampleSelect = h("select", { on: { change: () => this.useSample(Number(this.sampleSelect.value)) } });
    this.upload = h("input", {
      type: "file",
      class: "visually-hidden",
      id: "conv-upload",
      attrs: { accept: "image/*" },
      on: { change: () => this.usePhoto(this.upload.files[0]) },
    });
    const uploadBtn = h("label", {
      class: "btn btn--small",
      attrs: { for: "conv-upload" },
      i18n: "play.conv.upload",
      text: t("play.conv.upload"),
    });
    this.kernelButtons = segmented(
      KERNELS.map((k) => ({ value: k.id, key: k.key })),
      this.kernelId,
      (id) => this.pickKernel(id),
      { label: t("play.conv.kernels") },
    );
    this.customSize = h(
      "select",
      {
        attrs: { "aria-label": t("play.conv.custom_size") },
        on: {
          change: () => {
            this.kernel = identityKernel(Number(this.customSize.value));
            this.run();
          },
        },
      },
      [1, 2, 3, 5, 7].map((n) => h("option", { value: String(n), text: `${n}×${n}`, selected: n === 3 })),
    );
    this.customSize.hidden = true;
    this.strideInput = numberInput({
      value: 1,
      min: 1,
      max: 8,
      onChange: (v) => {
        this.stride = v;
        this.run();
      },
    });
    this.paddingInput = numberInput({
      value: 1,
      min: 0,
      max: MAX_PAD,
      onChange: (v) => {
        this.padding = v;
        this.run();
      },
    });
    const same = h("button", {
      type: "button",
      class: "btn btn--small",
      i18n: "play.conv.same",
      text: t("play.conv.same"),
      on: {
        click: () => {
          this.padding = (this.kernel.length - 1) / 2;
          this.paddingInput.value = String(this.padding);
          this.run();
        },
      },
    });

    this.inputBox = h("div", { class: "detail-block" });
    this.kernelBox = h("div", { class: "detail-block" });
    this.outputBox = h("div", { class: "detail-block" });
    this.formulaBox = h("div", { class: "play-formulas" });
    this.detailBox = h("div", { class: "detail-block" });
    this.error = h("p", { class: "error-box", attrs: { role: "alert" }, hidden: true });
    put(
      this.panel,
      title("play.conv.title"),
      para("play.conv.intro", null, "hint"),
      h(
        "div",
        { class: "play-controls" },
        field("play.conv.image", this.sampleSelect),
        uploadBtn,
        this.upload,
        field("play.conv.stride", this.strideInput),
        field("play.conv.padding", this.paddingInput),
        same,
      ),
      h("div", { class: "play-controls" }, this.kernelButtons, this.customSize),
      this.error,
      h("div", { class: "stage-row play-conv-row" }, this.inputBox, op("∗"), this.kernelBox, op("="), this.outputBox),
      this.formulaBox,
      this.detailBox,
    );
  }

  async loadSamples() {
    try {
      this.samples = (await get("/api/samples")).samples;
    } catch (err) {
      this.showError(err.message);
      return;
    }
    fill(
      this.sampleSelect,
      ...this.samples.map((s) =>
        h("option", { value: String(s.index), text: t("steps.sample_option", { n: s.index, d: s.label }) }),
      ),
    );
    const seven = this.samples.find((s) => s.label === 7) || this.samples[0];
    this.sampleSelect.value = String(seven.index);
    this.useSample(seven.index);
  }

  useSample(index) {
    const s = this.samples.find((x) => x.index === index);
    if (!s) return;
    this.image = s.image;
    this.sourceKey = t("steps.sample_option", { n: s.index, d: s.label });
    this.photo = false;
    this.selected = null;
    this.run();
  }

  async usePhoto(file) {
    if (!file) return;
    try {
      this.image = await photoToGrey(file);
    } catch {
      this.showError(t("lab.upload.unreadable"));
      return;
    }
    this.sourceKey = file.name;
    this.photo = true;
    this.selected = null;
    const option = h("option", { value: "photo", text: t("play.conv.photo_option", { name: file.name }) });
    this.sampleSelect.querySelector("option[value='photo']")?.remove();
    this.sampleSelect.prepend(option);
    this.sampleSelect.value = "photo";
    this.run();
  }

  pickKernel(id) {
    this.kernelId = id;
    this.customSize.hidden = id !== "custom";
    this.kernel = id === "custom" ? identityKernel(Number(this.customSize.value)) : kernelById(id).kernel;
    this.run();
  }

  /** Settings the server would refuse, said in the course's terms before asking it. */
  validate() {
    const problems = [];
    if (!Number.isInteger(this.stride) || this.stride < 1) problems.push(t("play.conv.bad_stride", { s: this.stride }));
    if (!Number.isInteger(this.padding) || this.padding < 0)
      problems.push(t("play.conv.bad_padding", { p: this.padding }));
    else if (this.padding > MAX_PAD) problems.push(t("play.conv.big_padding", { p: this.padding, max: MAX_PAD }));
    return problems;
  }

  async run() {
    if (!this.image) return;
    const gen = ++this.generation;
    const problems = this.validate();
    if (problems.length) {
      this.showError(problems.join(" "));
      return;
    }
    const magnitude = kernelById(this.kernelId).magnitude && this.kernelId === "sobel";
    const body = (kernel) => ({
      input: this.image,
      kernel,
      stride: this.stride,
      padding: this.padding,
      positions: [[0, 0]],
    });
    try {
      const [gx, gy] = await Promise.all([
        post("/api/convolve", body(this.kernel)),
        magnitude ? post("/api/convolve", body(SOBEL_Y)) : null,
      ]);
      if (gen !== this.generation) return;
      this.showError("");
      this.result = { gx, gy, magnitude };
      this.render();
    } catch (err) {
      if (gen !== this.generation || isAbort(err)) return;
      this.result = null;
      this.showError(err.message);
      for (const box of [this.outputBox, this.formulaBox, this.detailBox]) fill(box);
    }
  }

  showError(message) {
    this.error.textContent = message || "";
    this.error.hidden = !message;
  }

  /** The output as a 2-D array: the convolution, or √(gx² + gy²) for Sobel. */
  output() {
    const { gx, gy, magnitude } = this.result;
    if (!magnitude) return gx.output;
    return gx.output.map((row, i) => row.map((v, j) => Math.hypot(v, gy.output[i][j])));
  }

  render() {
    if (!this.result) return;
    const { gx, gy, magnitude } = this.result;
    const out = this.output();
    const [Ho, Wo] = gx.output_shape;
    if (!this.selected || this.selected.i >= Ho || this.selected.j >= Wo)
      this.selected = locate(argmaxOf(out.flat(), { abs: true }), Wo);
    const padded = gx.padded_input;
    const P = gx.padding;
    const side = (n, px) => Math.max(2, Math.min(12, Math.floor(px / n)));
    const inCell = side(Math.max(padded.length, padded[0].length), 300);
    const asMatrix = (a) => ({ rows: a.length, cols: a[0].length, get: (i, j) => a[i][j] });
    const inView = heat(asMatrix(padded), {
      kind: "gray",
      range: { min: 0, max: 255, absMax: 255 },
      cell: inCell,
      label: t("play.conv.input_label"),
    });
    const outView = heat(asMatrix(out), {
      kind: magnitude ? "sequential" : "diverging",
      cell: side(Math.max(Ho, Wo), 300),
      label: t("play.conv.output_label"),
      onSelect: (cell) => {
        this.selected = { i: cell.i, j: cell.j };
        this.render();
      },
    });
    const kernelGrid = new GridView({
      matrix: this.kernel,
      editable: true,
      format: (v) => fmt(v, 3),
      caption: t(kernelById(this.kernelId).key),
      onEdit: (i, j, v) => {
        this.kernel = this.kernel.map((row) => row.slice());
        this.kernel[i][j] = v;
        this.kernelId = "custom";
        this.kernelButtons.set("custom");
        this.customSize.hidden = false;
        this.run();
      },
    });
    kernelGrid.el.dataset.kernel = this.kernelId;
    const { i, j } = this.selected;
    const w = windowAt(padded, this.kernel, i, j, gx.stride);
    inView.setMarks([windowMark(w.top, w.left, this.kernel.length, this.kernel[0].length)]);
    outView.setMarks([cellMark(i, j)]);
    fill(
      this.inputBox,
      h("h4", {
        text: t(this.photo ? "play.conv.input_photo" : "play.conv.input_digit", {
          p: P[0],
          h: gx.input_shape[0],
          w: gx.input_shape[1],
        }),
      }),
      inView.el,
    );
    fill(
      this.kernelBox,
      h("h4", { text: t("play.conv.kernel", { n: this.kernel.length }) }),
      kernelGrid.el,
      magnitude ? h("p", { class: "hint", text: t("play.conv.sobel_hint") }) : null,
    );
    fill(
      this.outputBox,
      h("h4", { text: t(magnitude ? "play.conv.output_sobel" : "play.conv.output", { h: Ho, w: Wo }) }),
      outView.el,
      h("p", { class: "hint", text: t("play.conv.click") }),
    );

    const f = gx.formula;
    fill(
      this.formulaBox,
      formula(t("play.conv.size"), ": ", f.symbolic),
      formula("H_out = ", { v: f.height }),
      formula("W_out = ", { v: f.width }),
      gx.note ? h("p", { class: "note", text: gx.note }) : null,
      this.photo ? h("p", { class: "hint", text: t("play.conv.grey_note") }) : null,
    );

    const grid = (m, sc) => new GridView({ matrix: m, compact: true, format: short, scale: sc }).el;
    const prodScale = scaleFor("diverging", { absMax: Math.max(1e-9, ...w.products.flat().map(Math.abs)) });
    const rows = [
      h(
        "div",
        { class: "stage-row" },
        block(t("play.conv.window"), grid(w.window, scaleFor("gray", { min: 0, max: 255, absMax: 255 }))),
        op("⊙"),
        block(
          t("play.conv.kernel_short"),
          grid(this.kernel, scaleFor("diverging", { absMax: Math.max(1e-9, ...this.kernel.flat().map(Math.abs)) })),
        ),
        op("="),
        block(t("play.conv.products"), grid(w.products, prodScale)),
        op("→"),
        h("span", { class: "calc__result", text: `Σ = ${fmt(w.sum)}` }),
      ),
    ];
    const lines = [
      formula(
        `O[${i}, ${j}] = Σ`,
        { sub: "m,n" },
        ` X[${i}·${gx.stride[0]} + m, ${j}·${gx.stride[1]} + n] · K[m, n] = `,
        { v: w.sum },
      ),
      checkMark(w.sum, gx.output[i][j]),
    ];
    if (magnitude) {
      const gyv = gy.output[i][j];
      lines.push(formula("√(gx² + gy²) = √(", { v: gx.output[i][j] }, "² + ", { v: gyv }, "²) = ", { v: out[i][j] }));
    }
    fill(this.detailBox, h("h4", { text: t("play.conv.at", { i, j }) }), ...rows, ...lines);
  }

  refresh() {
    if (this.samples.length) {
      for (const opt of this.sampleSelect.options) {
        const s = this.samples.find((x) => String(x.index) === opt.value);
        if (s) opt.textContent = t("steps.sample_option", { n: s.index, d: s.label });
      }
    }
    this.render();
  }
}
