/**
 * Small pieces shared by the playground's panels.
 *
 *   field(labelKey, control)                    a labelled control (the label translated, kept up to date)
 *   numberInput({value, min, max, step, onChange})   an <input type=number> that reports finite numbers only
 *   segmented(options [{value, key}], value, onChange)   a row of toggle buttons (aria-pressed), .set(value)
 *   statusBadge(ok, okKey, badKey)              "✓ …" / "✗ …" badge (data-status="match" | "mismatch")
 *   sameNumbers(a, b, tol)                      nested arrays equal within tol
 *   title(key), para(key, params)               translated headings and paragraphs (data-i18n, re-translated on switch)
 *   fill(el, ...children), put(el, ...children)  replaceChildren / append that skip null, undefined and false
 */
import { h } from "../../lib/dom.js";
import { t } from "../../lib/i18n.js";

export function field(labelKey, control, { inline = true } = {}) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h(
    "label",
    { class: ["field", !inline && "field--stacked"], attrs: { for: id } },
    h("span", { i18n: labelKey, text: t(labelKey) }),
    control,
  );
}

export function numberInput({ value, min = null, max = null, step = 1, onChange, width = "5em", label = null }) {
  const input = h("input", {
    type: "number",
    value: String(value),
    attrs: { min, max, step, inputmode: "decimal", "aria-label": label },
  });
  input.style.width = width;
  input.addEventListener("change", () => {
    const v = Number(input.value);
    const ok = input.value.trim() !== "" && Number.isFinite(v);
    input.setAttribute("aria-invalid", String(!ok));
    if (ok) onChange(v);
  });
  return input;
}

export function segmented(options, value, onChange, { label = "" } = {}) {
  const buttons = options.map((o) =>
    h("button", {
      type: "button",
      dataset: { value: String(o.value) },
      attrs: { "aria-pressed": String(o.value === value) },
      ...(o.key ? { i18n: o.key, text: t(o.key) } : { text: o.text }),
      on: {
        click: () => {
          el.set(o.value);
          onChange(o.value);
        },
      },
    }),
  );
  const el = h("div", { class: "segmented segmented--wrap", attrs: { role: "group", "aria-label": label } }, buttons);
  el.set = (v) => {
    for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.value === String(v)));
  };
  return el;
}

export function statusBadge(ok, okKey, badKey, params = {}) {
  return h("span", {
    class: ["badge", ok ? "badge--good" : "badge--bad"],
    dataset: { status: ok ? "match" : "mismatch" },
    text: t(ok ? okKey : badKey, params),
  });
}

export function sameNumbers(a, b, tol = 1e-6) {
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (!Array.isArray(a)) return Math.abs(a - b) <= tol;
  return a.length === b.length && a.every((x, i) => sameNumbers(x, b[i], tol));
}

export const title = (key, tag = "h2") => h(tag, { class: "play-title", i18n: key, text: t(key) });
export const para = (key, params = null, cls = null) =>
  h("p", {
    class: cls,
    i18n: key,
    text: t(key, params || {}),
    dataset: params ? { i18nParams: JSON.stringify(params) } : {},
  });

const present = (nodes) => nodes.flat().filter((n) => n !== null && n !== undefined && n !== false);
export const fill = (el, ...children) => el.replaceChildren(...present(children));
export const put = (el, ...children) => el.append(...present(children));
