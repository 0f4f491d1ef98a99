/**
 * The element-wise activations, recomputed in the browser to check the server's numbers (the lab's activation
 * detail view, the hidden layers' backward steps of /steps): f(x), its derivative f′(x) from x and y = f(x), and
 * how both are written. The engine's versions are engine/activations.py.
 */
import { fmt } from "./dom.js";

/**
 * Each element-wise activation, recomputed in the browser: f(x) and its derivative f′(x) (from x and y = f(x)),
 * with how the derivative is written. ReLU's derivative is its mask 1[x > 0].
 */
export function activationMath(type, config = {}) {
  const alpha = config.alpha ?? (type === "elu" ? 1 : 0.1);
  switch (type) {
    case "relu":
      return {
        f: (x) => Math.max(0, x),
        d: (x) => (x > 0 ? 1 : 0),
        call: "max(0, ",
        fText: "max(0, x)",
        dText: "1[x > 0]",
      };
    case "sigmoid":
      return {
        f: (x) => 1 / (1 + Math.exp(-x)),
        d: (x, y) => y * (1 - y),
        call: "σ(",
        fText: "σ(x) = 1 / (1 + e^(−x))",
        dText: "σ(x)·(1 − σ(x))",
      };
    case "tanh":
      return { f: Math.tanh, d: (x, y) => 1 - y * y, call: "tanh(", fText: "tanh(x)", dText: "1 − tanh²(x)" };
    case "leaky_relu":
      return {
        f: (x) => (x > 0 ? x : alpha * x),
        d: (x) => (x > 0 ? 1 : alpha),
        call: "LeakyReLU(",
        fText: `x > 0 ? x : ${fmt(alpha)}·x`,
        dText: `1[x > 0] + ${fmt(alpha)}·1[x ≤ 0]`,
      };
    case "elu":
      return {
        f: (x) => (x > 0 ? x : alpha * Math.expm1(x)),
        d: (x) => (x > 0 ? 1 : alpha * Math.exp(x)),
        call: "ELU(",
        fText: `x > 0 ? x : ${fmt(alpha)}·(eˣ − 1)`,
        dText: `1[x > 0] + ${fmt(alpha)}·eˣ·1[x ≤ 0]`,
      };
    default:
      return null;
  }
}
