/**
 * Why one file of over 400 lines: the course's example data (as printed) and the one card that animates them; the notebook's
 * replays live in notebook.js.
 *
 * Playground, tab 2: the course's small worked convolutions, computed by the server (POST /api/convolve), animated
 * position by position (the window on the input, its products, the result filling in), and checked against what
 * the course prints. Where the course is wrong (the 1-D example with padding prints its own input as the result),
 * the page says so and shows the correct result.
 *
 * EXAMPLES holds the course's numbers as printed (the "document" values) and where they come from; the computed
 * values always come from the API.
 */
import { fmt, h } from "../../lib/dom.js";
import { post } from "../../lib/api.js";
import { GridView } from "../../lib/grid.js";
import { op } from "../../lib/formula.js";
import { colon, listSeparator, t } from "../../lib/i18n.js";
import { player } from "../../lib/player.js";
import { fill, put, sameNumbers, statusBadge, title } from "./common.js";
import { COURSE_TEXT_SLIPS, NOTEBOOK_EXAMPLES } from "./notebook.js";

const RGB_R = [
  [11, 23, 14, 0, 0],
  [0, 2, 15, 10, 0],
  [0, 0, 3, 11, 1],
  [0, 0, 1, 1, 0],
  [0, 11, 1, 0, 0],
];
const RGB_G = [
  [0, 0, 12, 0, 0],
  [0, 20, 18, 11, 0],
  [0, 0, 6, 4, 1],
  [0, 0, 3, 1, 0],
  [0, 90, 0, 0, 0],
];
const RGB_B = [
  [0, 12, 98, 0, 0],
  [0, 0, 0, 56, 0],
  [3, 0, 10, 11, 16],
  [0, 0, 0, 1, 0],
  [0, 90, 12, 0, 0],
];
const FIVE = [
  [1, 1, 1, 0, 0],
  [0, 1, 1, 1, 0],
  [0, 0, 1, 1, 1],
  [0, 0, 1, 1, 0],
  [0, 1, 1, 0, 0],
];
const CROSS = [
  [1, 0, 1],
  [0, 1, 0],
  [1, 0, 1],
];

/**
 * Each example: id, i18n keys (title, source), the request, and what the course prints:
 *   document.output        the printed result (compared cell by cell), or
 *   document.first         the printed first value, with document.channel_sums for the RGB example
 *   document.size          the printed output size formula's result
 *   document.wrong         true when the printed result is wrong (explanation key: play.course.<id>.why)
 */
export const EXAMPLES = [
  {
    id: "five",
    request: { input: FIVE, kernel: CROSS },
    document: {
      output: [
        [4, 3, 4],
        [2, 4, 3],
        [2, 3, 4],
      ],
    },
  },
  {
    id: "rgb",
    request: {
      input: [RGB_R, RGB_G, RGB_B],
      kernel: [
        CROSS,
        [
          [-1, 1, 1],
          [0, 0, 0],
          [1, 0, 1],
        ],
        [
          [1, 0, 1],
          [-1, 0, 0],
          [1, 0, 1],
        ],
      ],
    },
    document: { first: 159, channel_sums: [30, 18, 111] },
  },
  {
    id: "portion",
    request: {
      input: [
        [0, 0, 0, 0, 0],
        [0, 2, 50, 20, 0],
        [0, 20, 18, 20, 0],
        [0, 20, 20, 20, 0],
      ],
      kernel: [
        [-1, 2, 2],
        [2, 6, 2],
        [2, 2, -1],
      ],
    },
    document: { first: 134 },
  },
  {
    id: "stride1d",
    request: { input: [0, 1, 2, -1, 1, -3, 0], kernel: [1, 0, -1], stride: 2 },
    document: { output: [-2, 1, 1] },
  },
  {
    id: "padding1d",
    request: { input: [-1, -2, 2, 1, 2, 1, -3], kernel: [2, 1, -3], padding: 1 },
    document: { output: [-1, -2, 2, 1, 2, 1, -3], wrong: true },
  },
  { id: "stride2d", request: { input: FIVE, kernel: CROSS, stride: 2 }, document: { size: 2 } },
  { id: "same2d", request: { input: FIVE, kernel: CROSS, padding: 1 }, document: { size: 5 } },
  ...NOTEBOOK_EXAMPLES,
];

const asRows = (a) => (Array.isArray(a[0]) ? a : [a]); // a 1-D vector is drawn as one row
const threeDInput = (a) => (Array.isArray(a[0]) && Array.isArray(a[0][0]) ? a[0] : a); // one channel of a C×H×W input
const num = (v) => fmt(v, 6);

function checkExample(ex, res) {
  const doc = ex.document;
  if (doc.output) return sameNumbers(res.output, doc.output);
  if (doc.first !== undefined) {
    const p = res.positions[0];
    return Math.abs(p.value - doc.first) < 1e-9 && (!doc.channel_sums || sameNumbers(p.channel_sums, doc.channel_sums));
  }
  if (doc.size !== undefined) return res.output_shape.every((n) => n === doc.size);
  return false;
}

/** One example card: input(s) ⊛ kernel(s) = output, animated, with the course's value and a verdict. */
class ExampleCard {
  constructor(ex) {
    this.ex = ex;
    this.el = h("article", { class: "course-card", dataset: { example: ex.id } });
    this.k = 0;
  }

  async load() {
    try {
      const beside = this.ex.beside ? post("/api/convolve", { positions: [[0, 0]], ...this.ex.beside }) : null;
      this.res = await post("/api/convolve", { positions: null, ...this.ex.request });
      this.besideRes = beside ? await beside : null;
    } catch (err) {
      fill(this.el, h("p", { class: "error-box", text: err.message }));
      return;
    }
    this.render();
  }

  render() {
    const { ex, res } = this;
    if (!res) return;
    const ok = checkExample(ex, res);
    const threeD = Array.isArray(ex.request.input[0]) && Array.isArray(ex.request.input[0][0]);
    const inputs = threeD ? res.padded_input : [res.padded_input];
    const kernels = threeD ? ex.request.kernel : [ex.request.kernel];
    const channelNames = threeD ? ["R", "G", "B"] : [""];
    this.inputGrids = inputs.map(
      (m, c) =>
        new GridView({
          matrix: asRows(m),
          format: num,
          compact: ex.compact,
          caption: threeD ? t("play.course.channel", { c: channelNames[c] }) : t("play.course.input"),
          classes: () => null,
        }),
    );
    const kernelGrids = kernels.map(
      (k, c) =>
        new GridView({
          matrix: asRows(k),
          format: num,
          caption: threeD ? t("play.course.kernel_c", { c: channelNames[c] }) : t("play.course.kernel"),
        }),
    );
    this.outGrid = new GridView({
      matrix: asRows(res.output),
      format: num,
      compact: ex.compact,
      caption: t("play.course.output"),
    });
    this.prodGrids = inputs.map(
      (_, c) =>
        new GridView({
          matrix: [[0]],
          format: num,
          compact: true,
          caption: threeD ? `${t("play.conv.products")} ${channelNames[c]}` : t("play.conv.products"),
        }),
    );
    this.sumLine = h("div", { class: "formula formula--result course-sum" });
    const docRow = this.documentRow(ok);
    const count = res.positions.length;
    this.anim = player({
      count: () => count,
      get: () => this.k,
      set: (k) => this.show(k),
      label: t("play.course.animate"),
    });
    const pad = res.padding.some((p) => p > 0);
    fill(
      this.el,
      h(
        "header",
        { class: "course-card__head" },
        h("h3", { text: t(`play.course.${ex.id}.title`) }),
        ex.document.wrong
          ? statusBadge(false, "", "play.course.misprint")
          : statusBadge(ok, "play.course.verified", "play.course.differs"),
      ),
      h("p", { class: "hint", text: t(`play.course.${ex.id}.source`) }),
      h(
        "div",
        { class: "stage-row" },
        ...this.inputGrids.flatMap((g, c) => [
          c ? op("+") : null,
          h("div", { class: "course-pair" }, g.el, op("∗"), kernelGrids[c].el),
        ]),
        op("="),
        this.outGrid.el,
      ),
      pad ? h("p", { class: "hint", text: t("play.course.padded", { p: res.padding[2] }) }) : null,
      h(
        "div",
        { class: "stage-row course-products" },
        this.prodGrids.map((g) => g.el),
        this.sumLine,
      ),
      h(
        "div",
        { class: "formula" },
        `${t("play.conv.size")}${colon()}`,
        res.formula.height ? `${res.formula.height} × ` : "",
        res.formula.width,
      ),
      ex.params
        ? h("p", { class: "hint course-params", text: t(`play.course.${ex.id}.params`, ex.params(res)) })
        : null,
      this.anim,
      docRow,
    );
    this.show(Math.min(this.k, count - 1));
  }

  /** What the course prints, and whether it is right. */
  documentRow(ok) {
    const { ex, res } = this;
    const doc = ex.document;
    const parts = [];
    if (doc.output) {
      const statuses = (i, j) => {
        const d = asRows(doc.output)[i][j];
        const c = asRows(res.output)[i][j];
        return Math.abs(d - c) < 1e-9 ? "doc-match" : "doc-mismatch";
      };
      parts.push(
        new GridView({ matrix: asRows(doc.output), format: num, caption: t("play.course.printed"), classes: statuses })
          .el,
      );
    } else if (doc.first !== undefined) {
      const p = res.positions[0];
      const sums = doc.channel_sums ? `${doc.channel_sums.join(" + ")} = ` : "";
      parts.push(
        h(
          "p",
          {},
          t("play.course.printed_first"),
          " ",
          h("strong", { text: `${sums}${doc.first}` }),
          " · ",
          t("play.course.computed"),
          " ",
          h("strong", {
            text: `${p.channel_sums.length > 1 ? `${p.channel_sums.map(num).join(" + ")} = ` : ""}${num(p.value)}`,
          }),
        ),
      );
    } else if (doc.size !== undefined) {
      parts.push(
        h(
          "p",
          {},
          t("play.course.printed_size", { n: doc.size }),
          " · ",
          t("play.course.computed"),
          " ",
          h("strong", { text: res.output_shape.join("×") }),
        ),
      );
    }
    const shown = this.documentOutput();
    if (shown) {
      const correct = asRows(res.output);
      const statuses = (i, j) => {
        const c = correct[i]?.[j];
        return c !== undefined && Math.abs(asRows(shown)[i][j] - c) < 1e-9 ? "doc-match" : "doc-mismatch";
      };
      const besideKernel = ex.beside?.kernel && ex.beside.kernel !== ex.request.kernel;
      parts.push(
        h(
          "div",
          { class: "stage-row course-document-version", dataset: { role: "document-version" } },
          besideKernel
            ? new GridView({ matrix: ex.beside.kernel, format: num, caption: t(`play.course.${ex.id}.doc_kernel`) }).el
            : null,
          besideKernel ? op("→") : null,
          new GridView({
            matrix: asRows(shown),
            format: num,
            caption: t(`play.course.${ex.id}.doc`, { h: asRows(shown).length, w: asRows(shown)[0].length }),
            classes: statuses,
          }).el,
        ),
      );
    }
    const why = doc.wrong
      ? h("p", {
          class: "note note--bad",
          text: t(`play.course.${ex.id}.why`, { correct: `[${res.output.map(num).join(listSeparator())}]` }),
        })
      : null;
    return h(
      "div",
      { class: ["course-doc", doc.wrong && "is-wrong"] },
      ...parts,
      why,
      ok && !doc.wrong ? h("p", { class: "example-ok", text: t("play.course.match") }) : null,
    );
  }

  /** What the document's own code or kernel produces (beside the correct result), or null. */
  documentOutput() {
    if (this.ex.replay) return this.ex.replay(this.res);
    return this.besideRes ? this.besideRes.output : null;
  }

  show(k) {
    const { res } = this;
    this.k = k;
    const p = res.positions[k];
    const [oi, oj] = p.position;
    const [r0, c0] = p.origin;
    const kShape = res.kernel_shape;
    const kh = kShape.length === 1 ? 1 : kShape[kShape.length - 2];
    const kw = kShape[kShape.length - 1];
    // zeros of the padding are hatched, the window outlined
    const [pt, pb, pl, pr] = res.padding;
    const rows = asRows(threeDInput(res.padded_input)).length;
    const cols = asRows(threeDInput(res.padded_input))[0].length;
    const isPad = (i, j) => i < pt || i >= rows - pb || j < pl || j >= cols - pr;
    for (const g of this.inputGrids) {
      g.update({
        classes: (i, j) =>
          [isPad(i, j) && "is-pad", i >= r0 && i < r0 + kh && j >= c0 && j < c0 + kw && "is-highlight"]
            .filter(Boolean)
            .join(" ") || null,
      });
    }
    const Wo = res.output_shape[res.output_shape.length - 1];
    const done = k;
    this.outGrid.update({
      classes: (i, j) => {
        const idx = i * Wo + j;
        if (idx === done) return "is-strong";
        return idx > done ? "is-dim" : null;
      },
    });
    const products = res.output_shape.length === 1 || !Array.isArray(p.products[0][0]) ? [p.products] : p.products;
    this.prodGrids.forEach((g, c) => g.update({ matrix: asRows(products[c]) }));
    const sums = p.channel_sums.length > 1 ? `${p.channel_sums.map(num).join(" + ")} = ` : "";
    this.sumLine.textContent = `${t("play.course.position", { i: oi, j: oj })}${colon()}Σ ${t("play.conv.products").toLowerCase()} = ${sums}${num(p.value)}`;
    this.anim.setText(`${k + 1} / ${res.positions.length}`);
  }
}

export class CoursePanel {
  constructor(panel) {
    this.panel = panel;
    this.cards = EXAMPLES.map((ex) => new ExampleCard(ex));
    put(
      panel,
      title("play.course.title"),
      h("p", { class: "hint", i18n: "play.course.intro", text: t("play.course.intro") }),
      h(
        "div",
        { class: "course-cards" },
        this.cards.map((c) => c.el),
      ),
      this.textSlips(),
    );
    for (const c of this.cards) c.load();
  }

  /** Slips of the course's text with nothing to compute (seed 003): what it says, and what is right. */
  textSlips() {
    return h(
      "section",
      { class: "course-notes", attrs: { "aria-labelledby": "course-notes-title" } },
      h("h3", { id: "course-notes-title", i18n: "play.slip.title", text: t("play.slip.title") }),
      h(
        "ul",
        { class: "example-errata" },
        COURSE_TEXT_SLIPS.map((id) =>
          h(
            "li",
            { class: "example-slip", dataset: { slip: id } },
            h("span", { class: "badge badge--bad", i18n: "play.slip.badge", text: t("play.slip.badge") }),
            " ",
            h("s", { class: "example-slip__doc", i18n: `play.slip.${id}.doc`, text: t(`play.slip.${id}.doc`) }),
            " → ",
            h("strong", { i18n: `play.slip.${id}.correct`, text: t(`play.slip.${id}.correct`) }),
            h("p", { i18n: `play.slip.${id}.why`, text: t(`play.slip.${id}.why`) }),
          ),
        ),
      ),
    );
  }

  refresh() {
    for (const c of this.cards) c.render();
  }
}
