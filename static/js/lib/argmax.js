/**
 * Where the largest value is:
 *
 *   argmax(data, from?, to?)            index of the largest value in data[from:to] (relative to from)
 *   argmaxAbs(data, from?, to?)         index of the largest |value| in data[from:to] (relative to from)
 *   argmaxOf(data, {abs})               index of the largest (absolute) value of the whole array
 *   locate(k, cols)                     flat index -> {i, j}
 */

/** Index and value of the largest |v| in a (sub)array. */
export function argmaxAbs(data, from = 0, to = data.length) {
  let best = -1;
  let k = from;
  for (let i = from; i < to; i++) {
    const a = Math.abs(data[i]);
    if (a > best) {
      best = a;
      k = i;
    }
  }
  return k - from;
}

/** Index of the largest value. */
export function argmax(data, from = 0, to = data.length) {
  let best = -Infinity;
  let k = from;
  for (let i = from; i < to; i++)
    if (data[i] > best) {
      best = data[i];
      k = i;
    }
  return k - from;
}

export function argmaxOf(data, { abs = false } = {}) {
  let best = -Infinity;
  let k = 0;
  for (let i = 0; i < data.length; i++) {
    const v = abs ? Math.abs(data[i]) : data[i];
    if (v > best) {
      best = v;
      k = i;
    }
  }
  return k;
}

export const locate = (k, cols) => ({ i: Math.floor(k / cols), j: k % cols });
