/**
 * Tiny DOM helpers shared by every page.
 *
 *   $(selector, root?)            -> first match (or null)
 *   $$(selector, root?)           -> array of matches
 *   h(tag, props?, ...children)   -> a new element; props: class, text, i18n, attrs {}, dataset {}, on {event: fn},
 *                                    style {} (set through the CSSOM, which the CSP allows), any other property
 *   clear(el)                     -> removes every child, returns el
 *   debounce(fn, ms)              -> a debounced fn with .cancel() and .flush()
 *   tooltip                       -> one shared floating tooltip: tooltip.show(html|node, clientX, clientY), tooltip.hide()
 *   toast(message, {error})       -> a short message at the bottom of the page (also announced to screen readers)
 *   fmt(x, digits)                -> a number for humans: 4 significant digits, no "-0", exponent when tiny/huge
 *   short(v)                      -> a number in a compact grid cell: 2 significant digits, "3e-4" below 0.01
 *   area(el)                      -> what a step's render() writes into: {append(...nodes)} skipping null/false
 *
 * Never build markup with style="" (the Content-Security-Policy forbids inline styles): use h(..., {style}).
 */

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

export function h(tag, props = {}, ...children) {
  const el = tag instanceof Element ? tag : document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : value;
    else if (key === "text") el.textContent = value;
    else if (key === "i18n") el.dataset.i18n = value;
    else if (key === "attrs")
      for (const [a, v] of Object.entries(value)) {
        if (v !== undefined && v !== null && v !== false) el.setAttribute(a, v === true ? "" : v);
      }
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style") Object.assign(el.style, value);
    else if (key === "on") for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else el[key] = value;
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** SVG element helper (icons, small charts). Attributes only — never a style attribute. */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [a, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(a, v);
  append(el, children);
  return el;
}

export function debounce(fn, ms) {
  let timer = null;
  let lastArgs = null;
  const debounced = (...args) => {
    lastArgs = args;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...lastArgs);
    }, ms);
  };
  debounced.cancel = () => {
    clearTimeout(timer);
    timer = null;
  };
  debounced.flush = () => {
    if (timer !== null) {
      debounced.cancel();
      fn(...lastArgs);
    }
  };
  return debounced;
}

/** Clamp v into [lo, hi]. */
export const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

/** A number for humans: about 4 significant digits, never "-0", exponent notation when very small/large. */
export function fmt(x, digits = 4) {
  if (x === null || x === undefined || Number.isNaN(x)) return "—";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  if (x === 0 || Object.is(x, -0)) return "0";
  const ax = Math.abs(x);
  let s;
  if (ax >= 1e5 || ax < 1e-4) s = x.toExponential(Math.max(digits - 2, 1)).replace("e+", "e");
  else s = Number(x.toPrecision(digits)).toString();
  if (/^-0(\.0*)?$/.test(s)) return "0";
  return s.replace("-", "−");
}

/** A probability as a percentage ("93.1 %"). */
export function pct(p, digits = 1) {
  if (p === null || p === undefined || Number.isNaN(p)) return "—";
  const v = p * 100;
  const s = v >= 99.95 && v < 100 ? "99.9" : v.toFixed(v < 0.1 && v > 0 ? 2 : digits);
  return `${s} %`;
}

// -------------------------------------------------------------------------------------------- tooltip
let tooltipEl = null;
export const tooltip = {
  show(content, clientX, clientY) {
    if (!tooltipEl) {
      tooltipEl = h("div", { class: "tooltip", attrs: { role: "status", "aria-live": "off" } });
      document.body.append(tooltipEl);
    }
    clear(tooltipEl);
    if (content instanceof Node) tooltipEl.append(content);
    else tooltipEl.textContent = String(content);
    tooltipEl.hidden = false;
    const pad = 14;
    const rect = tooltipEl.getBoundingClientRect();
    let x = clientX + pad;
    let y = clientY + pad;
    if (x + rect.width > window.innerWidth - 4) x = clientX - rect.width - pad;
    if (y + rect.height > window.innerHeight - 4) y = clientY - rect.height - pad;
    tooltipEl.style.left = `${Math.max(4, x)}px`;
    tooltipEl.style.top = `${Math.max(4, y)}px`;
  },
  hide() {
    if (tooltipEl) tooltipEl.hidden = true;
  },
};

// -------------------------------------------------------------------------------------------- toasts
let toastRegion = null;
export function toast(message, { error = false, ms = 3500 } = {}) {
  if (!toastRegion) {
    toastRegion = h("div", { class: "toast-region", attrs: { role: "status", "aria-live": "polite" } });
    document.body.append(toastRegion);
  }
  const el = h("div", { class: ["toast", error && "toast--error"], text: message });
  toastRegion.append(el);
  setTimeout(() => el.remove(), ms);
  return el;
}

/** Run fn once the DOM is ready (module scripts are deferred, but pages may import this early). */
export function ready(fn) {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn, { once: true });
  else fn();
}

export function short(v) {
  if (!Number.isFinite(v)) return fmt(v);
  const a = Math.abs(v);
  if (a === 0) return "0";
  if (a < 0.01) return v.toExponential(0).replace("-", "−");
  return fmt(v, 2);
}

/** A stage area for step renderers: append() skips null / undefined / false (optional parts of a step). */
export function area(el) {
  return {
    el,
    append: (...nodes) => el.append(...nodes.flat().filter((n) => n !== null && n !== undefined && n !== false)),
  };
}
