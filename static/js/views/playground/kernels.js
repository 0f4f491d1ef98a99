/**
 * The course's kernels, one click away in the convolution panel. Each: {id, key (i18n name), kernel, source}.
 * `sobel` is not one kernel but the gradient magnitude √(gx² + gy²) of Sobel X and Sobel Y (seed 004).
 *
 * Sources: seed 003 (chapter 1, "Couche de convolution": edge detection, sharpen, the bank of four line filters),
 * seed 004 (the Sobel filters, kernel and kernel.T).
 */
export const SOBEL_X = [
  [-1, 0, 1],
  [-2, 0, 2],
  [-1, 0, 1],
];
export const SOBEL_Y = [
  [-1, -2, -1],
  [0, 0, 0],
  [1, 2, 1],
]; // the transpose of Sobel X, as the course's kernel.T

const third = 1 / 9;

export const KERNELS = [
  {
    id: "edge",
    key: "play.k.edge",
    kernel: [
      [-1, -1, -1],
      [-1, 8, -1],
      [-1, -1, -1],
    ],
  },
  {
    id: "sharpen",
    key: "play.k.sharpen",
    kernel: [
      [0, -1, 0],
      [-1, 5, -1],
      [0, -1, 0],
    ],
  },
  { id: "sobel_x", key: "play.k.sobel_x", kernel: SOBEL_X },
  { id: "sobel_y", key: "play.k.sobel_y", kernel: SOBEL_Y },
  { id: "sobel", key: "play.k.sobel", kernel: SOBEL_X, magnitude: true },
  {
    id: "line1",
    key: "play.k.line1",
    kernel: [
      [-1, -1, -1],
      [1, 1, 1],
      [0, 0, 0],
    ],
  },
  {
    id: "line2",
    key: "play.k.line2",
    kernel: [
      [-1, 1, 0],
      [-1, 1, 0],
      [-1, 1, 0],
    ],
  },
  {
    id: "line3",
    key: "play.k.line3",
    kernel: [
      [0, 0, 0],
      [1, 1, 1],
      [-1, -1, -1],
    ],
  },
  {
    id: "line4",
    key: "play.k.line4",
    kernel: [
      [0, 1, -1],
      [0, 1, -1],
      [0, 1, -1],
    ],
  },
  {
    id: "identity",
    key: "play.k.identity",
    kernel: [
      [0, 0, 0],
      [0, 1, 0],
      [0, 0, 0],
    ],
  },
  {
    id: "blur",
    key: "play.k.blur",
    kernel: [
      [third, third, third],
      [third, third, third],
      [third, third, third],
    ],
  },
  { id: "custom", key: "play.k.custom", kernel: null },
];

export const kernelById = (id) => KERNELS.find((k) => k.id === id) || KERNELS[0];

/** A fresh custom kernel of side n: the identity (1 in the middle), to be edited. */
export function identityKernel(n) {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (__, j) => (i === Math.floor(n / 2) && j === Math.floor(n / 2) ? 1 : 0)),
  );
}
