/**
 * Colour scales for heatmaps, legends and grids.
 *
 * Three palettes, each a 256-entry lookup table:
 *   "diverging"   signed values (convolution outputs, weights, gradients): blue < 0, white = 0, red > 0,
 *                 always symmetric around 0 so that white means exactly zero
 *   "sequential"  non-negative values (activations after ReLU, pooling, probabilities): viridis, dark = 0
 *   "gray"        the network input, as MNIST shows it: black paper, white ink
 *
 *   makeScale(kind, min, max)      -> scale {kind, min, max, rgb(v) -> [r, g, b], css(v), isDark(v), t(v)}
 *   autoScale(range, kind?)        -> a diverging scale if the range has negatives, otherwise sequential
 *   rangeOf(values, out?)          -> {min, max, absMax} of an array-like (NaN ignored)
 *   mergeRanges(ranges)            -> the range that covers them all
 *   scaleFor(kind, range)          -> the scale of a palette for a range: sequential from 0, diverging symmetric
 *   paletteOf(tensor, {signed, gray}) -> the palette a tensor is drawn with (diverging if it has negatives)
 *   cssColor(name, alpha?)         -> a colour of the stylesheet (a custom property of :root) for a canvas
 *   cssRgb(name)                   -> the same colour as [r, g, b]
 *   accent(alpha?)                 -> the accent colour (--accent): the kernel window, the selected cell
 *   needsLightText(r, g, b)        -> white text on this background, black otherwise (contrast ≥ 4.58:1)
 */

const PALETTE_STOPS = {
  // ColorBrewer RdBu (reversed: negatives blue), 11 stops from −1 to +1
  diverging: [
    "#053061",
    "#2166ac",
    "#4393c3",
    "#92c5de",
    "#d1e5f0",
    "#f7f7f7",
    "#fddbc7",
    "#f4a582",
    "#d6604d",
    "#b2182b",
    "#67001f",
  ],
  // viridis, 9 stops
  sequential: ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"],
  gray: ["#000000", "#ffffff"],
};

function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function buildLut(stops) {
  const rgb = stops.map(hexToRgb);
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const pos = (i / 255) * (rgb.length - 1);
    const k = Math.min(Math.floor(pos), rgb.length - 2);
    const f = pos - k;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(rgb[k][c] * (1 - f) + rgb[k + 1][c] * f);
  }
  return lut;
}

const LUTS = Object.fromEntries(Object.entries(PALETTE_STOPS).map(([k, v]) => [k, buildLut(v)]));

/** Perceived lightness of an RGB colour (0..1), to choose black or white text on it. */
/** The WCAG relative luminance of an sRGB colour (channels 0–255): 0 for black, 1 for white. */
export function relativeLuminance(r, g, b) {
  const lin = (c) => {
    const x = c / 255;
    return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/**
 * Whether white text reads better than black on this background. Below a relative luminance of 0.179 white has
 * the higher contrast, above it black: either way at least 4.58:1, the WCAG AA ratio for small text (4.5:1).
 */
export const needsLightText = (r, g, b) => relativeLuminance(r, g, b) < 0.179;

export function makeScale(kind, min, max) {
  if (!LUTS[kind]) throw new Error(`unknown colour scale ${kind}`);
  let lo = Number.isFinite(min) ? min : 0;
  let hi = Number.isFinite(max) ? max : 1;
  if (kind === "diverging") {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    lo = -m;
    hi = m;
  } else if (hi <= lo) {
    hi = lo + (lo === 0 ? 1 : Math.abs(lo));
  }
  const lut = LUTS[kind];
  const span = hi - lo;
  const scale = {
    kind,
    min: lo,
    max: hi,
    /** position of v in [0, 1] along the palette */
    t(v) {
      const x = (v - lo) / span;
      return x < 0 ? 0 : Math.min(x, 1);
    },
    index(v) {
      if (Number.isNaN(v)) return 0;
      return Math.round(scale.t(v) * 255) * 3;
    },
    rgb(v) {
      const i = scale.index(v);
      return [lut[i], lut[i + 1], lut[i + 2]];
    },
    css(v) {
      const [r, g, b] = scale.rgb(v);
      return `rgb(${r}, ${g}, ${b})`;
    },
    /** white text on this value's colour (black otherwise): see needsLightText */
    isDark(v) {
      return needsLightText(...scale.rgb(v));
    },
    lut,
  };
  return scale;
}

export function rangeOf(values) {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) {
    min = 0;
    max = 0;
  }
  return { min, max, absMax: Math.max(Math.abs(min), Math.abs(max)) };
}

export function mergeRanges(ranges) {
  let min = Infinity;
  let max = -Infinity;
  for (const r of ranges) {
    if (!r) continue;
    min = Math.min(min, r.min);
    max = Math.max(max, r.max);
  }
  if (min === Infinity) {
    min = 0;
    max = 0;
  }
  return { min, max, absMax: Math.max(Math.abs(min), Math.abs(max)) };
}

/** Diverging when the values can be negative, sequential otherwise (activations, probabilities). */
export function autoScale(range, kind = null) {
  const k = kind || (range.min < 0 ? "diverging" : "sequential");
  if (k === "sequential") return makeScale(k, Math.min(0, range.min), range.max);
  if (k === "gray") return makeScale(k, Math.min(0, range.min), Math.max(1, range.max));
  return makeScale(k, range.min, range.max);
}

export function paletteOf(tensor, { signed = null, gray = false } = {}) {
  if (gray) return "gray";
  if (signed === true) return "diverging";
  if (signed === false) return "sequential";
  return tensor.range().min < 0 ? "diverging" : "sequential";
}

/** Sequential scales start at 0 (a dead unit is always dark); signed ones are symmetric around 0 (white). */
export function scaleFor(kind, range) {
  if (kind === "gray") return makeScale("gray", 0, Math.max(1, range.max));
  if (kind === "sequential") return makeScale("sequential", 0, range.max > 0 ? range.max : 1);
  return makeScale("diverging", -range.absMax, range.absMax);
}

/**
 * A colour of the stylesheet (a custom property of :root, "#rrggbb" or "#rgb"), as canvases need it: the marks
 * drawn on heatmaps take their colours from base.css, so a theme changes them in one place.
 */
export function cssColor(name, alpha = 1) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  if (alpha >= 1 || !value.startsWith("#")) return value;
  const [r, g, b] = cssRgb(name);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** The [r, g, b] channels (0–255) of a "#rrggbb" or "#rgb" custom property of :root. */
export function cssRgb(name) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const hex = value.length === 4 ? [...value.slice(1)].map((c) => c + c).join("") : value.slice(1, 7);
  return [0, 2, 4].map((k) => Number.parseInt(hex.slice(k, k + 2), 16));
}

/** The accent colour (--accent): the kernel window, the selected cell, the receptive field. */
export const accent = (alpha = 1) => cssColor("--accent", alpha);
