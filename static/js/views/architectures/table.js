/**
 * A layer table (one architecture, or the student's stack): one row per layer, indented inside residual,
 * concatenation and squeeze-and-excitation blocks, whose merge row comes after their branches.
 *
 *   renderLayerTable(tableEl, json, {lines: true})   json: GET /api/architectures/{name} or POST .../stack
 */
import { clear, h } from "../../lib/dom.js";
import { t } from "../../lib/i18n.js";
import { bytes, count, shape, sizeFormula } from "./format.js";

const COLUMNS = [
  ["arch.col.index", "num"],
  ["arch.col.layer", ""],
  ["arch.col.type", ""],
  ["arch.col.output", "num"],
  ["arch.col.formula", "formula-col"],
  ["arch.col.params", "num"],
  ["arch.col.macs", "num"],
  ["arch.col.memory", "num"],
  ["arch.col.numpy", "center"],
];

/** The server's language-neutral detail ("g=4", "n=5", "maps=60/96") in words where it needs them. */
function detailText(detail) {
  const maps = /^maps=(\d+)\/(\d+)$/.exec(detail);
  return maps ? t("arch.detail.maps", { used: maps[1], all: maps[2] }) : detail;
}

function formulaCell(row) {
  if (row.block) return t("arch.row.block_params", { params: count(row.block_params) });
  if (!row.sizes.length) return "";
  if (row.sizes.length === 1) return sizeFormula(row.sizes[0]);
  return `H: ${sizeFormula(row.sizes[0])} · W: ${sizeFormula(row.sizes[1])}`;
}

function numpyCell(row) {
  return row.numpy
    ? h(
        "span",
        { class: "numpy-yes", attrs: { title: t("arch.row.numpy") } },
        "✓",
        h("span", { class: "visually-hidden", text: t("arch.row.numpy") }),
      )
    : h(
        "span",
        { class: "numpy-no", attrs: { title: t("arch.row.shape_only") } },
        h("span", { attrs: { "aria-hidden": "true" } }, "·"),
        h("span", { class: "visually-hidden", text: t("arch.row.shape_only") }),
      );
}

export function renderLayerTable(table, json, { lines = false } = {}) {
  const caption = table.querySelector("caption");
  clear(table);
  if (caption) table.append(caption);
  table.append(
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        COLUMNS.map(([key, cls]) => h("th", { class: cls, attrs: { scope: "col" }, text: t(key) })),
      ),
    ),
  );
  const body = h("tbody");
  json.layers.forEach((row, i) => {
    const type = t(`arch.type.${row.type}`) + (row.detail && !row.block ? ` (${detailText(row.detail)})` : "");
    const label = lines && row.line ? `${row.name} · ${t("arch.stack.line", { line: row.line })}` : row.name;
    body.append(
      h(
        "tr",
        { class: [row.block && "is-block", `depth-${Math.min(row.depth, 4)}`], dataset: { name: row.name } },
        h("td", { class: "num", text: String(i + 1) }),
        h("th", { class: "layer-name", attrs: { scope: "row" }, text: label }),
        h("td", { text: row.block ? `${t(`arch.type.${row.type}`)} ${row.detail}` : type }),
        h("td", { class: "num shape", text: shape(row.output_shape) }),
        h("td", { class: "formula-col", text: formulaCell(row) }),
        h("td", { class: "num", text: count(row.params) }),
        h("td", { class: "num", text: count(row.macs) }),
        h("td", { class: "num", text: bytes(row.activation_bytes) }),
        h("td", { class: "center" }, numpyCell(row)),
      ),
    );
  });
  table.append(body);
  table.append(
    h(
      "tfoot",
      {},
      h(
        "tr",
        {},
        h("td", {}),
        h("th", { attrs: { scope: "row" }, text: t("arch.row.total") }),
        h("td", {}),
        h("td", { class: "num shape", text: shape(json.output_shape) }),
        h("td", {}),
        h("td", { class: "num", dataset: { total: "params" }, text: count(json.total_params) }),
        h("td", { class: "num", dataset: { total: "macs" }, text: count(json.total_macs) }),
        h("td", { class: "num", text: bytes(json.total_activation_bytes) }),
        h("td", {}),
      ),
    ),
  );
}
