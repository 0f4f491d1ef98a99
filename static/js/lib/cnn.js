/**
 * The arithmetic of a CNN, one number at a time, for explaining it (the server computed the whole pass; these
 * helpers redo single positions with the very same numbers so the page can show every product and check them).
 * Inputs are Tensor objects (lib/tensor.js), per sample: maps (C, H, W), kernels (F, C, kh, kw), vectors (D).
 * `geometry` is the layer's {kernel: [kh, kw], stride: [sh, sw], padding: [top, left]} from the trace.
 *
 *   outputSize(n, f, p, s)                 (N − F + 2P)/S + 1, floored, as in the course
 *   receptiveField(layers, index, i, j, [H, W])   input rectangle {top, left, bottom, right, full} seen by a unit
 *   convAt(X, K, b, f, i, j, geometry)     forward: per-channel windows, products, sums, + bias, output
 *   poolAt(X, c, i, j, geometry, mode)     the window of output (c, i, j) and the chosen max (or mean/sum)
 *   unflattenIndex(k, [C, H, W])           vector index -> {c, i, j} (row-major, the engine's order)
 *   denseTerms(Wrow, x, b)                 z = Σ W·x + b with the terms sorted by |contribution|
 *   softmaxTerms(z)                        exp(zᵢ), Σ, ŷᵢ (computed stably, shown as in the course)
 *   convGradKernelAt(X, G, f, c, m, n, geometry)   dL/dK[f,c,m,n] = Σ_ij G[f,i,j]·X[c, i·S+m−P, j·S+n−P]
 *                                                  (+ top, left, bottom, right: the input cells it reads)
 *   convGradInputAt(G, K, c, r, s, geometry)       dL/dX[c,r,s]: the full convolution with the rotated kernel
 *                                                  (+ top, left: its window on G, for stride 1)
 * Every window position (padding included) is computed here, once: the views draw what these return.
 *   rot180(matrix)                         the kernel turned by 180°
 */

export function outputSize(n, f, pTotal, s) {
  return Math.floor((n - f + pTotal) / s) + 1;
}

/** Total padding of one axis as the engine resolved it (also for asymmetric "same" padding). */
export function totalPadding(n, f, s, out, padStart) {
  return Math.max(2 * padStart, (out - 1) * s + f - n);
}

const FULL_LAYERS = new Set(["flatten", "dense", "softmax"]);

/** Which input pixels can influence unit (i, j) of layer `index` (walk down through kernels and strides). */
export function receptiveField(layers, index, i, j, inputHW) {
  const [H, W] = inputHW;
  const full = { top: 0, left: 0, bottom: H - 1, right: W - 1, full: true };
  let r0 = i;
  let r1 = i;
  let c0 = j;
  let c1 = j;
  for (let k = index; k >= 0; k--) {
    const layer = layers[k];
    if (FULL_LAYERS.has(layer.type)) return full;
    const g = layer.geometry;
    if (!g) continue; // element-wise (ReLU, dropout): same position
    const [kh, kw] = g.kernel;
    const [sh, sw] = g.stride;
    const [ph, pw] = g.padding;
    r0 = r0 * sh - ph;
    r1 = r1 * sh - ph + kh - 1;
    c0 = c0 * sw - pw;
    c1 = c1 * sw - pw + kw - 1;
  }
  return {
    top: Math.max(0, r0),
    left: Math.max(0, c0),
    bottom: Math.min(H - 1, r1),
    right: Math.min(W - 1, c1),
    full: false,
    unclipped: { top: r0, left: c0, bottom: r1, right: c1 },
  };
}

function valueOrPad(X, c, r, s) {
  const [, H, W] = X.shape;
  if (r < 0 || s < 0 || r >= H || s >= W) return { v: 0, pad: true };
  return { v: X.at(c, r, s), pad: false };
}

/** Forward convolution at output (f, i, j): O = Σ_c Σ_m Σ_n X[c, i·S+m−P, j·S+n−P]·K[f,c,m,n] + b[f]. */
export function convAt(X, K, b, f, i, j, geometry) {
  const [, C, kh, kw] = K.shape;
  const [sh, sw] = geometry.stride;
  const [ph, pw] = geometry.padding;
  const top = i * sh - ph;
  const left = j * sw - pw;
  const channels = [];
  let total = 0;
  for (let c = 0; c < C; c++) {
    const window = [];
    const pad = [];
    const kernel = [];
    const products = [];
    let sum = 0;
    for (let m = 0; m < kh; m++) {
      const wr = [],
        pr = [],
        kr = [],
        prodr = [];
      for (let n = 0; n < kw; n++) {
        const { v, pad: isPad } = valueOrPad(X, c, top + m, left + n);
        const k = K.at(f, c, m, n);
        wr.push(v);
        pr.push(isPad);
        kr.push(k);
        prodr.push(v * k);
        sum += v * k;
      }
      window.push(wr);
      pad.push(pr);
      kernel.push(kr);
      products.push(prodr);
    }
    channels.push({ c, window, pad, kernel, products, sum });
    total += sum;
  }
  const bias = b?.data ? b.at(f) : 0;
  return { f, i, j, top, left, kh, kw, channels, sumOfChannels: total, bias, output: total + bias };
}

/** Pooling at output (c, i, j): the window, the position of the max, and the result for max/avg/sum. */
export function poolAt(X, c, i, j, geometry, mode = "max") {
  const [kh, kw] = geometry.kernel;
  const [sh, sw] = geometry.stride;
  const top = i * sh;
  const left = j * sw;
  const window = [];
  let best = -Infinity;
  let arg = [0, 0];
  let sum = 0;
  for (let m = 0; m < kh; m++) {
    const row = [];
    for (let n = 0; n < kw; n++) {
      const { v } = valueOrPad(X, c, top + m, left + n);
      row.push(v);
      sum += v;
      if (v > best) {
        best = v;
        arg = [m, n];
      }
    }
    window.push(row);
  }
  const output = mode === "max" ? best : mode === "avg" ? sum / (kh * kw) : sum;
  return { c, i, j, top, left, kh, kw, window, argmax: arg, output, sum };
}

export function unflattenIndex(k, shape) {
  const [C, H, W] = shape;
  const c = Math.floor(k / (H * W));
  const rem = k - c * H * W;
  return { c: Math.min(c, C - 1), i: Math.floor(rem / W), j: rem % W };
}

/** z = Σ_j W[j]·x[j] + b with each term; terms sorted by decreasing |W·x|. */
export function denseTerms(Wrow, x, b) {
  const terms = [];
  let sum = 0;
  for (let j = 0; j < x.length; j++) {
    const p = Wrow[j] * x[j];
    sum += p;
    terms.push({ j, w: Wrow[j], x: x[j], product: p });
  }
  const sorted = terms.slice().sort((a, b2) => Math.abs(b2.product) - Math.abs(a.product));
  return { terms, sorted, sum, bias: b, z: sum + b };
}

/** exp(zᵢ)/Σ exp(zⱼ), with the shift by max(z) that keeps exp() finite (the result is the same). */
export function softmaxTerms(z) {
  const max = Math.max(...z);
  const shifted = z.map((v) => Math.exp(v - max));
  const sumShifted = shifted.reduce((a, v) => a + v, 0);
  const exps = z.map((v) => Math.exp(v));
  const sum = exps.reduce((a, v) => a + v, 0);
  return { z, exps, sum, max, probabilities: shifted.map((e) => e / sumShifted), finite: Number.isFinite(sum) };
}

/** dL/dK[f,c,m,n] = Σ_i Σ_j G[f,i,j] · X[c, i·S+m−P, j·S+n−P]  (the input correlated with the upstream gradient). */
export function convGradKernelAt(X, G, f, c, m, n, geometry) {
  const [, Ho, Wo] = G.shape;
  const [sh, sw] = geometry.stride;
  const [ph, pw] = geometry.padding;
  const products = [];
  const inputs = [];
  let sum = 0;
  for (let i = 0; i < Ho; i++) {
    const pr = [],
      ir = [];
    for (let j = 0; j < Wo; j++) {
      const { v } = valueOrPad(X, c, i * sh + m - ph, j * sw + n - pw);
      const p = v * G.at(f, i, j);
      pr.push(p);
      ir.push(v);
      sum += p;
    }
    products.push(pr);
    inputs.push(ir);
  }
  // the input cells it reads: from (m − P, n − P), every S-th one, Ho × Wo of them (padding included)
  const top = m - ph;
  const left = n - pw;
  return { f, c, m, n, inputs, products, sum, top, left, bottom: top + (Ho - 1) * sh, right: left + (Wo - 1) * sw };
}

/**
 * dL/dX[c,r,s] = Σ_f Σ_m Σ_n G[f, (r+P−m)/S, (s+P−n)/S] · K[f,c,m,n]
 * For stride 1 this is the kh×kw window of the zero-padded G around (r, s), multiplied by the kernel turned 180°:
 * the "full convolution with the rotated kernel" of the course. Returns per-filter windows aligned with rot180(K).
 */
export function convGradInputAt(G, K, c, r, s, geometry) {
  const [F, , kh, kw] = K.shape;
  const [, Ho, Wo] = G.shape;
  const [sh, sw] = geometry.stride;
  const [ph, pw] = geometry.padding;
  const filters = [];
  let total = 0;
  for (let f = 0; f < F; f++) {
    const gwin = [],
      rot = [],
      prods = [],
      valid = [];
    let sum = 0;
    for (let a = 0; a < kh; a++) {
      const gr = [],
        rr = [],
        pr = [],
        vr = [];
      for (let bb = 0; bb < kw; bb++) {
        const m = kh - 1 - a;
        const n = kw - 1 - bb;
        const ii = (r + ph - m) / sh;
        const jj = (s + pw - n) / sw;
        const ok = Number.isInteger(ii) && Number.isInteger(jj) && ii >= 0 && jj >= 0 && ii < Ho && jj < Wo;
        const g = ok ? G.at(f, ii, jj) : 0;
        const k = K.at(f, c, m, n);
        gr.push(g);
        rr.push(k);
        pr.push(g * k);
        vr.push(ok);
        sum += g * k;
      }
      gwin.push(gr);
      rot.push(rr);
      prods.push(pr);
      valid.push(vr);
    }
    filters.push({ f, gradWindow: gwin, rotated: rot, products: prods, valid, sum });
    total += sum;
  }
  // where the window lies on G (stride 1: a kh×kw window of the zero-padded G, from (r + P − kh + 1, s + P − kw + 1))
  const top = r + ph - (kh - 1);
  const left = s + pw - (kw - 1);
  return { c, r, s, filters, total, top, left };
}

export function rot180(m) {
  return m
    .slice()
    .reverse()
    .map((row) => row.slice().reverse());
}
