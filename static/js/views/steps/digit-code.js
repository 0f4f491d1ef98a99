/**
 * A 28×28 digit in a URL, so that a drawn digit has a deep link like a sample does (/steps?image=…#step=7).
 *
 *   encodeDigit(tensor | nested 28×28 of 0..1)  -> "AAAA…" base64url of 784 grey levels (one byte each, 1,046 chars)
 *   decodeDigit(code)                          -> 28×28 nested array of integers 0–255, or null if it is not one
 *
 * The page sends the decoded grey levels with preprocess: false, so the link always gives the very same input
 * (the drawing was preprocessed once, when it was drawn).
 */
export const SIDE = 28;

export function encodeDigit(image) {
  const bytes = new Uint8Array(SIDE * SIDE);
  const get = image.data ? (k) => image.data[k] : (k) => image[Math.floor(k / SIDE)][k % SIDE];
  for (let k = 0; k < bytes.length; k++) bytes[k] = Math.max(0, Math.min(255, Math.round(get(k) * 255)));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeDigit(code) {
  if (typeof code !== "string" || !/^[A-Za-z0-9_-]+$/.test(code)) return null;
  let bin;
  try {
    bin = atob(code.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  if (bin.length !== SIDE * SIDE) return null;
  return Array.from({ length: SIDE }, (_, i) => Array.from({ length: SIDE }, (__, j) => bin.charCodeAt(i * SIDE + j)));
}
