/**
 * The rest of the course's examples, replayed in the playground's course tab (issue 14.2–14.3): each is a request
 * for POST /api/convolve (the correct computation) and, where the course (seed 003) or its notebook (seed 004) is
 * wrong, what the document's code does instead, shown beside the correct version.
 *
 *   NOTEBOOK_EXAMPLES   extra cards for course.js's EXAMPLES: {id, request, document, beside?, replay?, params?}
 *     beside             a second request whose output is what the document shows (e.g. its mistyped kernel's)
 *     replay(res)        the output the notebook's code produces, written from the correct result (its bug replayed)
 *     params(res)        numbers for the card's note (e.g. the parameter count of the depth example)
 *   COURSE_TEXT_SLIPS   slips of seed 003's text with no computation to replay (keys of play.slip.<id>.*)
 */
import { SOBEL_X, SOBEL_Y } from "./kernels.js";

const grid = (h, w, f) => Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => f(i, j)));

// a 7×7 input for N − F + 1 (seed 003: "une image 7×7 et un filtre 3×3 donnent une sortie 5×5")
const SEVEN = grid(7, 7, (i, j) => ((i + 2 * j) % 5) - 1);
const CROSS = [
  [1, 0, 1],
  [0, 1, 0],
  [1, 0, 1],
];
// the depth example (seed 003): a 32×32×3 image, filters 5×5×3, "same" padding; one of the ten filters is computed
const RGB32 = [0, 1, 2].map((c) => grid(32, 32, (i, j) => ((i * 7 + j * 3 + c * 11) % 17) - 8));
const FILTER_5x5x3 = [0, 1, 2].map((c) => grid(5, 5, (i, j) => ((i + j + c) % 3) - 1));
export const DEPTH_FILTERS = 10;

// seed 004, cell [6]: the kernel is typed with a second row [-2, 0, 2] (Sobel Y's is [0, 0, 0])
export const SOBEL_Y_AS_PRINTED = [
  [-1, -2, -1],
  [-2, 0, 2],
  [1, 2, 1],
];
// seed 004, cell [8]: Sobel X typed with a last row [-1, 0, 0] (it is [-1, 0, 1])
export const SOBEL_X_AS_PRINTED = [
  [-1, 0, 1],
  [-2, 0, 2],
  [-1, 0, 0],
];
const VERTICAL_EDGE = grid(6, 6, (_, j) => (j < 3 ? 0 : 9)); // no horizontal edge: Sobel Y must answer 0
const FLAT = grid(6, 6, () => 5); // a flat region: a derivative filter must answer 0
const EIGHT = grid(8, 8, (i, j) => i * 8 + j);
const K5 = grid(5, 5, (i, j) => (i === j ? 1 : 0)); // the notebook's convol() with a 5×5 kernel (k = 2)
const GIMG = grid(6, 6, (i, j) => (i + j) % 4);
const OTHER = grid(6, 6, (i, j) => (i * j) % 5);

/**
 * What the notebook's convol() returns (seed 004, cell [8]): r has (n − k − 1) × (m − k − 1) cells and the loop
 * writes r[i, j] for i, j from k, where the correct output is r[i − k, j − k] of size (n − 2k) × (m − 2k): the
 * first k rows and columns stay 0, the rest is shifted, and the last valid positions are never computed.
 */
export function notebookConvol(correct, n, m, k) {
  const r = grid(n - k - 1, m - k - 1, () => 0);
  for (let i = k; i < n - k - 1; i++) for (let j = k; j < m - k - 1; j++) r[i][j] = correct[i - k][j - k];
  return r;
}

export const NOTEBOOK_EXAMPLES = [
  { id: "nf1", request: { input: SEVEN, kernel: CROSS }, document: { size: 5 } },
  {
    id: "depth",
    request: { input: RGB32, kernel: FILTER_5x5x3, padding: "same", positions: [[0, 0]] },
    document: { size: 32 },
    compact: true,
    params: (res) => {
      const [c, kh, kw] = res.kernel_shape;
      const weights = c * kh * kw;
      return { f: DEPTH_FILTERS, c, kh, kw, weights, params: DEPTH_FILTERS * (weights + 1), h: res.output_shape[0] };
    },
  },
  {
    id: "sobel_typo_y",
    request: { input: VERTICAL_EDGE, kernel: SOBEL_Y },
    beside: { input: VERTICAL_EDGE, kernel: SOBEL_Y_AS_PRINTED },
    document: { wrong: true },
  },
  {
    id: "sobel_typo_x",
    request: { input: FLAT, kernel: SOBEL_X },
    beside: { input: FLAT, kernel: SOBEL_X_AS_PRINTED },
    document: { wrong: true },
  },
  {
    id: "convol",
    request: { input: EIGHT, kernel: K5 },
    replay: (res) => notebookConvol(res.output, 8, 8, 2),
    document: { wrong: true },
  },
  {
    id: "global_gimg",
    request: { input: OTHER, kernel: SOBEL_X },
    beside: { input: GIMG, kernel: SOBEL_X },
    document: { wrong: true },
  },
];

export const COURSE_TEXT_SLIPS = ["cross_validation", "vgg"];
