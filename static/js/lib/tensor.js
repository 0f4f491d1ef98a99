/**
 * N-dimensional arrays coming from the API, as flat Float32Arrays with a shape.
 *
 * Why one file of over 400 lines: the tensors and the decoder of the packed trace format (the twin of
 * app/services/packing.py) belong together — every packed kind becomes a tensor here.
 *
 * The API sends arrays as plain nested lists, as tensor objects {"shape", "values" (nested list or null when the
 * tensor is too big to ship, e.g. LeNet's fc1 W), "stats"}, or (compact form) {"shape", "dtype", "base64"}
 * little-endian float32/float16. Tensor.from() accepts all of them.
 *
 *   const k = Tensor.from(json.layers[0].params.K);    // shape [8, 1, 5, 5]
 *   k.at(3, 0, 2, 2); k.channel(3).shape;                // [1, 5, 5]
 *   k.matrix(3, 0)                                      // 2-D view {rows, cols, get(i, j), data, offset}
 *   k.range()                                           // {min, max, absMax} (from the API's stats if values are missing)
 *
 * unpackArrays(json) turns a packed trace (see below) back into the plain JSON.
 */
import { rangeOf } from "./colors.js";

function nestedShape(value) {
  const shape = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

function flattenInto(value, out, offset) {
  if (!Array.isArray(value)) {
    out[offset] = value === null ? NaN : value;
    return offset + 1;
  }
  for (const item of value) offset = flattenInto(item, out, offset);
  return offset;
}

function halfToFloat(h) {
  const s = (h & 0x8000) >> 15;
  const e = (h & 0x7c00) >> 10;
  const f = h & 0x03ff;
  let v;
  if (e === 0) v = (f / 1024) * 2 ** -14;
  else if (e === 31) v = f ? NaN : Infinity;
  else v = (1 + f / 1024) * 2 ** (e - 15);
  return s ? -v : v;
}

function decodeBase64(b64, dtype, size) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(size);
  if (dtype === "float16") for (let i = 0; i < size; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  else if (dtype === "uint8") for (let i = 0; i < size; i++) out[i] = bytes[i];
  else for (let i = 0; i < size; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export class Tensor {
  constructor(data, shape, stats = null) {
    this.data = data; // Float32Array or null (values not shipped)
    this.shape = shape.slice();
    this.stats = stats;
    this.strides = [];
    let s = 1;
    for (let i = shape.length - 1; i >= 0; i--) {
      this.strides[i] = s;
      s *= shape[i];
    }
    this.size = s;
    this._range = null;
  }

  static from(value) {
    if (value instanceof Tensor) return value;
    if (value === null || value === undefined) return null;
    if (typeof value === "number") return new Tensor(Float32Array.of(value), []);
    if (Array.isArray(value)) {
      const shape = nestedShape(value);
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      flattenInto(value, data, 0);
      return new Tensor(data, shape);
    }
    if (typeof value === "object" && Array.isArray(value.shape)) {
      const size = value.shape.reduce((a, b) => a * b, 1);
      let data = null;
      if (Array.isArray(value.values) || typeof value.values === "number") {
        data = new Float32Array(size);
        flattenInto(value.values, data, 0);
      } else if (typeof value.base64 === "string" || typeof value.data === "string") {
        data = decodeBase64(value.base64 || value.data, value.dtype || "float32", size);
      }
      return new Tensor(data, value.shape, value.stats || null);
    }
    throw new TypeError("not an array the API sends");
  }

  get ndim() {
    return this.shape.length;
  }

  get missing() {
    return this.data === null;
  }

  index(...idx) {
    let k = 0;
    for (let i = 0; i < idx.length; i++) k += idx[i] * this.strides[i];
    return k;
  }

  at(...idx) {
    return this.data[this.index(...idx)];
  }

  /** Sub-tensor along the first axis (a view sharing the data). */
  channel(c) {
    const inner = this.shape.slice(1);
    const step = this.strides[0];
    return new Tensor(this.data ? this.data.subarray(c * step, (c + 1) * step) : null, inner);
  }

  /**
   * A 2-D view for drawing: the last two axes, at the leading indices given.
   * A 1-D tensor becomes a single row; a scalar a 1×1 matrix.
   */
  matrix(...lead) {
    const nd = this.ndim;
    if (nd === 0) return { rows: 1, cols: 1, data: this.data, offset: 0, get: () => this.data[0] };
    if (nd === 1) return { rows: 1, cols: this.shape[0], data: this.data, offset: 0, get: (i, j) => this.data[j] };
    const rows = this.shape[nd - 2];
    const cols = this.shape[nd - 1];
    let offset = 0;
    for (let i = 0; i < lead.length && i < nd - 2; i++) offset += lead[i] * this.strides[i];
    const data = this.data;
    return { rows, cols, data, offset, get: (i, j) => data[offset + i * cols + j] };
  }

  range() {
    if (!this._range) {
      if (this.data) this._range = rangeOf(this.data);
      else if (this.stats)
        this._range = {
          min: this.stats.min,
          max: this.stats.max,
          absMax: this.stats.abs_max ?? Math.max(Math.abs(this.stats.min), Math.abs(this.stats.max)),
        };
      else this._range = { min: 0, max: 0, absMax: 0 };
    }
    return this._range;
  }

  /** Nested lists again (for JSON export). */
  toNested() {
    if (!this.data) return null;
    const build = (axis, offset) => {
      if (axis === this.ndim) return this.data[offset];
      const out = [];
      for (let i = 0; i < this.shape[axis]; i++) out.push(build(axis + 1, offset + i * this.strides[axis]));
      return out;
    };
    return this.ndim === 0 ? this.data[0] : build(0, 0);
  }
}

// ------------------------------------------------------------------------------------- the packed form of a trace
// /api/forward and /api/backward answer in "application/vnd.convstep.packed+json" when asked (lib/api.js does):
// the plain JSON with its larger arrays packed (app/services/packing.py describes each kind). unpackArrays() gives
// back the plain JSON, number for number: a "dec4" number m·10^e is divided (or multiplied) by an exact power of
// ten, which gives the very double the plain JSON's "0.1235" parses to.

export const PACKED_MEDIA_TYPE = "application/vnd.convstep.packed+json";

// exact powers of ten (parsed from decimal literals: Math.pow is not always correctly rounded)
const POW10 = Array.from({ length: 23 }, (_, n) => Number(`1e${n}`));

function bytesOf(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

function decimal(mi, ei) {
  if (ei < 0 && ei >= -22) return mi / POW10[-ei];
  if (ei >= 0 && ei <= 22) return mi * POW10[ei];
  return Number(`${mi}e${ei}`);
}

function decimalValues(mB64, eB64) {
  const m = new DataView(bytesOf(mB64).buffer);
  const e = new Int8Array(bytesOf(eB64).buffer);
  const out = new Float64Array(e.length);
  for (let i = 0; i < e.length; i++) out[i] = decimal(m.getInt16(i * 2, true), e[i]);
  return out;
}

// A "conv" object: the convolution predicted from its input and weights, with the very double operations, in the
// very order, of conv_prediction() in app/services/packing.py (so both sides get the same bits), then corrected
// by the residuals the server sent: m = floor(p·10^(−e) + 0.5) + r (or the next "x" where r is −128).
function convPrediction(x, [C, H, W], K, [F, , kh, kw], b, [sh, sw], [ph, pw]) {
  const ho = Math.floor((H + 2 * ph - kh) / sh) + 1;
  const wo = Math.floor((W + 2 * pw - kw) / sw) + 1;
  const out = new Float64Array(F * ho * wo);
  for (let f = 0; f < F; f++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++) {
        let acc = 0;
        for (let c = 0; c < C; c++)
          for (let m = 0; m < kh; m++)
            for (let n = 0; n < kw; n++) {
              const row = i * sh + m - ph;
              const col = j * sw + n - pw;
              const xv = row >= 0 && row < H && col >= 0 && col < W ? x[(c * H + row) * W + col] : 0;
              acc = acc + K[((f * C + c) * kh + m) * kw + n] * xv;
            }
        out[(f * ho + i) * wo + j] = b ? acc + b[f] : acc;
      }
  return out;
}

/** The sum of K's values then b's, added one by one in order (weights_sum in app/services/packing.py). */
function weightsSum(K, b) {
  let acc = 0;
  for (const v of K) acc = acc + v;
  if (b) for (const v of b) acc = acc + v;
  return acc;
}

/** Thrown when unpackArrays lacks the weights a "conv" object was computed with, or is given others. */
export class StaleWeightsError extends Error {}

/** k − 3 with 10^k ≤ |p| < 10^(k+1), by comparisons with exact powers of ten (predicted_exponents in
 * app/services/packing.py; no Math.log10, whose last bit may differ from the server's). */
function predictedExponent(p) {
  const a = Math.abs(p);
  let k = -23;
  for (let j = 0; j <= 22; j++) if (a >= POW10[j]) k = j;
  if (a < 1) for (let n = 22; n >= 1; n--) if (a * POW10[n] >= 1) k = -n;
  return k - 3;
}

function convExponents(obj, prediction) {
  if (obj.e !== undefined) return new Int8Array(bytesOf(obj.e).buffer);
  const de = new Int8Array(bytesOf(obj.de).buffer);
  return Int8Array.from(de, (d, i) => predictedExponent(prediction[i]) + d);
}

function convValues(obj, prediction) {
  const e = convExponents(obj, prediction);
  const r = new Int8Array(bytesOf(obj.r).buffer);
  const out = new Float64Array(e.length);
  let next = 0;
  for (let i = 0; i < e.length; i++) {
    let m;
    if (r[i] === -128) m = obj.x[next++];
    else {
      const ei = e[i];
      const p = prediction[i];
      const q = Math.abs(ei) <= 22 ? (ei < 0 ? p * POW10[-ei] : p / POW10[ei]) : Number.NaN;
      m = (Number.isFinite(q) && Math.abs(q) < 2 ** 53 ? Math.floor(q + 0.5) : 0) + r[i];
    }
    out[i] = decimal(m, e[i]);
  }
  return out;
}

function integerValues(kind, b64) {
  const bytes = bytesOf(b64);
  const view = new DataView(bytes.buffer);
  const width = { u8: 1, u16: 2, i32: 4 }[kind];
  const out = new Float64Array(bytes.length / width);
  for (let i = 0; i < out.length; i++) {
    if (kind === "u8") out[i] = bytes[i];
    else if (kind === "u16") out[i] = view.getUint16(i * 2, true);
    else out[i] = view.getInt32(i * 4, true);
  }
  return out;
}

const isPacked = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && "$packed" in v;

function atPointer(root, pointer) {
  let node = root;
  for (const raw of pointer.split("/").slice(1)) node = node[raw.replaceAll("~1", "/").replaceAll("~0", "~")];
  return node;
}

function nested(flat, shape, axis = 0, offset = 0) {
  if (shape.length === 0) return flat[0];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out = new Array(shape[axis]);
  for (let i = 0; i < shape[axis]; i++)
    out[i] = axis === shape.length - 1 ? flat[offset + i] : nested(flat, shape, axis + 1, offset + i * inner);
  return out;
}

/** The plain JSON of a packed answer (a new object; the packed one is left as it is). ``weights`` ({layer name:
 * {param: values}}, from an earlier answer with them) decode "conv" objects of an answer asked without them. */
export function unpackArrays(root, weights = null) {
  const flats = new Map(); // pointer -> {flat, shape}

  function arrayAt(pointer) {
    if (!flats.has(pointer)) {
      const value = atPointer(root, pointer);
      if (isPacked(value)) flats.set(pointer, { flat: decode(value), shape: value.shape });
      else {
        const shape = nestedShape(value);
        const flat = new Float64Array(shape.reduce((a, b) => a * b, 1));
        flattenInto(value, flat, 0);
        flats.set(pointer, { flat, shape });
      }
    }
    return flats.get(pointer);
  }

  function decode(obj) {
    const kind = obj.$packed;
    if (kind === "dec4") return decimalValues(obj.m, obj.e);
    if (kind === "u8" || kind === "u16" || kind === "i32") return integerValues(kind, obj.data);
    if (kind === "window") {
      const k = integerValues("u8", obj.data);
      const [c, ho, wo] = obj.shape;
      const [, kw] = obj.size;
      const [sh, sw] = obj.stride;
      const out = new Float64Array(c * ho * wo * 2);
      for (let n = 0; n < k.length; n++) {
        const i = Math.floor(n / wo) % ho;
        const j = n % wo;
        out[2 * n] = i * sh + Math.floor(k[n] / kw);
        out[2 * n + 1] = j * sw + (k[n] % kw);
      }
      return out;
    }
    if (kind === "conv") {
      const layer = atPointer(root, obj.layer);
      const param = (name) => {
        const p = layer.params?.[name];
        if (!p) return null;
        if (p.values !== null && p.values !== undefined) return arrayAt(`${obj.layer}/params/${name}/values`);
        const known = weights?.[layer.name]?.[name];
        if (known == null)
          throw new StaleWeightsError(`${layer.name}.${name}: the weights are needed to decode this answer`);
        const shape = nestedShape(known);
        const flat = new Float64Array(shape.reduce((a, c) => a * c, 1));
        flattenInto(known, flat, 0);
        return { flat, shape };
      };
      const source = arrayAt(obj.of);
      const K = param("K");
      const b = param("b");
      if (weightsSum(K.flat, b?.flat) !== obj.sum)
        throw new StaleWeightsError(`${layer.name}: these are not the weights this answer was computed with`);
      const prediction = convPrediction(source.flat, source.shape, K.flat, K.shape, b?.flat, obj.stride, obj.padding);
      return convValues(obj, prediction);
    }
    if (kind === "delta") {
      const d = integerValues("u8", obj.data);
      const base = arrayAt(obj.of).flat;
      return d.map((v, i) => ((obj.complement ? 255 - base[i] : base[i]) + v) % 256);
    }
    if (kind === "ref") {
      const source = arrayAt(obj.of);
      if (obj.op === "same") return source.flat;
      if (obj.op === "relu") return source.flat.map((v) => Math.max(v, 0));
      if (obj.op === "complement") return source.flat.map((v) => 255 - v);
      if (obj.op === "take") {
        const at = arrayAt(obj.at).flat;
        const [, h, w] = source.shape;
        const perChannel = at.length / 2 / source.shape[0];
        const out = new Float64Array(at.length / 2);
        for (let n = 0; n < out.length; n++) {
          const c = Math.floor(n / perChannel);
          out[n] = source.flat[c * h * w + at[2 * n] * w + at[2 * n + 1]];
        }
        return out;
      }
    }
    throw new TypeError(`unknown packed array ${kind}/${obj.op}`);
  }

  function walk(node, pointer) {
    if (isPacked(node)) return nested(arrayAt(pointer).flat, node.shape);
    if (Array.isArray(node)) return node.map((v, k) => walk(v, `${pointer}/${k}`));
    if (node !== null && typeof node === "object") {
      const out = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v, `${pointer}/${k}`);
      return out;
    }
    return node;
  }

  return walk(root, "");
}

/** "8@28×28", "400", "16@5×5": the shape notation of the course. */
export function shapeLabel(shape) {
  if (!shape || shape.length === 0) return "1";
  if (shape.length === 3) return `${shape[0]}@${shape[1]}×${shape[2]}`;
  return shape.join("×");
}
