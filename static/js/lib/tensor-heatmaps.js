/**
 * Tensors and matrices as ready-made interactive heatmaps (on top of lib/heatmap.js), and the marks drawn on them:
 *
 *   mapView(tensor, c, {kind, …})       map c of a (C, H, W) tensor, its palette chosen (colors.paletteOf)
 *   vectorView(tensor, {…})             a vector as a column-major block of cells, index k -> (i, j)
 *   vectorLayout(d), vectorMatrix(t)    how a vector of d values is laid out: column-major, at most 30 cells tall
 *   heat(matrix, {kind, range, size | cell, label, marks, describe, caption})   any matrix as a heatmap; kind is
 *        "gray" (the input), "sequential" (activations ≥ 0) or "diverging" (signed values, white = 0)
 *   windowMark(top, left, h, w)         the rectangle of a kernel or pooling window, in the accent colour (--accent)
 *   cellMark(i, j)                      one cell outlined
 */
import { fmt } from "./dom.js";
import { HeatmapView } from "./heatmap.js";
import { accent, paletteOf, rangeOf, scaleFor } from "./colors.js";

/** Map c of a (C, H, W) tensor as an interactive heatmap at `cell` px per value. */
export function mapView(
  tensor,
  c,
  { kind = null, cell = null, width = 196, label = "", describe, onHover, onSelect, scale = null } = {},
) {
  const matrix = tensor.matrix(c);
  const k = kind || paletteOf(tensor);
  const sc = scale || scaleFor(k, rangeOf(tensor.channel(c).data));
  return new HeatmapView({
    matrix,
    scale: sc,
    cell: cell || width / matrix.cols,
    label,
    interactive: true,
    exportable: true,
    describe,
    onHover,
    onSelect,
  });
}

/** A vector (D) as a column-major block (as in the overview); describe/onHover/onSelect get the index k. */
export function vectorView(
  tensor,
  { kind = null, cell = 10, label = "", describe, onHover, onSelect, scale = null } = {},
) {
  const d = tensor.size;
  const { rows, cols } = vectorLayout(d);
  const data = tensor.data;
  const matrix = {
    rows,
    cols,
    get: (i, j) => {
      const k = j * rows + i;
      return k < d ? data[k] : NaN;
    },
  };
  const toK = (i, j) => j * rows + i;
  const k = kind || paletteOf(tensor);
  const view = new HeatmapView({
    matrix,
    scale: scale || scaleFor(k, tensor.range()),
    cell,
    label,
    interactive: true,
    exportable: true,
    describe: (i, j, v) => (toK(i, j) < d ? (describe ? describe(toK(i, j), v) : `[${toK(i, j)}] ${fmt(v)}`) : "—"),
    onHover: (cellPos) => onHover?.(cellPos && toK(cellPos.i, cellPos.j) < d ? toK(cellPos.i, cellPos.j) : null),
    onSelect: (cellPos) => onSelect && toK(cellPos.i, cellPos.j) < d && onSelect(toK(cellPos.i, cellPos.j)),
  });
  view.markIndex = (kk, color = accent()) => {
    if (kk === null || kk === undefined) {
      view.setMarks([]);
      return;
    }
    const i = kk % rows;
    const j = Math.floor(kk / rows);
    view.setMarks([{ top: i, left: j, bottom: i, right: j, color, width: 2 }]);
  };
  return view;
}

export function heat(
  matrix,
  {
    kind = "sequential",
    range = null,
    scale = null,
    size = 196,
    cell = null,
    label = "",
    marks = [],
    describe = null,
    caption = null,
    onSelect = null,
  } = {},
) {
  const r =
    range ||
    rangeOf(
      Array.from({ length: matrix.rows * matrix.cols }, (_, k) =>
        matrix.get(Math.floor(k / matrix.cols), k % matrix.cols),
      ),
    );
  const view = new HeatmapView({
    matrix,
    scale: scale || scaleFor(kind, r),
    cell: cell || size / Math.max(matrix.cols, matrix.rows),
    label,
    caption,
    interactive: true,
    exportable: true,
    gridLines: "auto",
    describe: describe || ((i, j, v) => `[${i}, ${j}] = ${fmt(v)}`),
    onSelect,
  });
  if (marks.length) view.setMarks(marks);
  return view;
}

export function windowMark(top, left, height, width, fill = true) {
  return {
    top,
    left,
    bottom: top + height - 1,
    right: left + width - 1,
    color: accent(),
    width: 2,
    fill: fill ? accent(0.18) : null,
  };
}

export const cellMark = (i, j, color = accent()) => ({ top: i, left: j, bottom: i, right: j, color, width: 2 });

const MAX_VECTOR_ROWS = 30;

/** How a vector of D values is laid out in the overview: column-major, at most 30 cells tall. */
export function vectorLayout(d) {
  const cols = Math.ceil(d / MAX_VECTOR_ROWS);
  const rows = Math.ceil(d / cols);
  return { rows, cols };
}

export function vectorMatrix(tensor) {
  const d = tensor.size;
  const { rows, cols } = vectorLayout(d);
  const data = tensor.data;
  return {
    rows,
    cols,
    get: (i, j) => {
      const k = j * rows + i;
      return k < d ? data[k] : NaN;
    },
  };
}
