/**
 * N-dimensional arrays coming from the API, as flat Float32Arrays with a shape.
 *
 * The API sends arrays as plain nested lists, as tensor objects {"shape", "values" (nested list or null when the
 * tensor is too big to ship, e.g. LeNet's fc1 W), "stats"}, or (compact form) {"shape", "dtype", "base64"}
 * little-endian float32/float16. Tensor.from() accepts all of them.
 *
 *   const k = Tensor.from(json.layers[0].params.K);    // shape [8, 1, 5, 5]
 *   k.at(3, 0, 2, 2); k.channel(3).shape;                // [1, 5, 5]
 *   k.matrix(3, 0)                                      // 2-D view {rows, cols, get(i, j), data, offset}
 *   k.range()                                           // {min, max, absMax} (from the API's stats if values are missing)
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

/** "8@28×28", "400", "16@5×5": the shape notation of the course. */
export function shapeLabel(shape) {
  if (!shape || shape.length === 0) return "1";
  if (shape.length === 3) return `${shape[0]}@${shape[1]}×${shape[2]}`;
  return shape.join("×");
}
