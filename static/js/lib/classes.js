/**
 * Pieces shared by the class pages (/class/new, /class/{code}, /join).
 *
 *   deviceId()                     this browser's random device id (made once, kept in localStorage): no account, no name
 *   teacherToken(code) / saveTeacherToken(code, token) / forgetClass(code) / knownClasses()
 *                                  the teacher tokens this browser holds (localStorage; the server keeps only a hash)
 *   teacherLink(code, token)       /class/CODE#token=… (a fragment: browsers never send it to the server)
 *   percent(p)                     "62 %" (fr: narrow no-break space) or "62%"
 *   drawingCard(d, opts)           a drawing: its image, what the network read, "open in the lab", optional delete
 *   EventStream                    Server-Sent Events read with fetch (so the token travels in a header, not a
 *                                  URL), reconnecting with a growing delay
 */
import { h } from "./dom.js";
import { getLang, t } from "./i18n.js";

const DEVICE_KEY = "convstep.device";
const CLASSES_KEY = "convstep.classes";

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function randomId(bytes = 16) {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return btoa(String.fromCharCode(...a))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

let memoryDevice = null;
export function deviceId() {
  const s = storage();
  let id = s?.getItem(DEVICE_KEY);
  if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    id = memoryDevice || randomId();
    memoryDevice = id;
    s?.setItem(DEVICE_KEY, id);
  }
  return id;
}

export function knownClasses() {
  try {
    const v = JSON.parse(storage()?.getItem(CLASSES_KEY) || "{}");
    return v && typeof v === "object" ? v : {};
  } catch {
    return {};
  }
}

export const teacherToken = (code) => knownClasses()[code]?.token || null;

export function saveTeacherToken(code, token) {
  const all = knownClasses();
  all[code] = { token, saved: all[code]?.saved || new Date().toISOString() };
  storage()?.setItem(CLASSES_KEY, JSON.stringify(all));
}

export function forgetClass(code) {
  const all = knownClasses();
  delete all[code];
  storage()?.setItem(CLASSES_KEY, JSON.stringify(all));
}

export const teacherLink = (code, token) =>
  `${window.location.origin}/class/${code}#token=${encodeURIComponent(token)}`;

export function percent(p, digits = 0) {
  if (p === null || p === undefined || Number.isNaN(p)) return "—";
  return new Intl.NumberFormat(getLang() === "fr" ? "fr-FR" : "en-US", {
    style: "percent",
    maximumFractionDigits: digits,
  }).format(p);
}

export function number(n) {
  return Number(n).toLocaleString(getLang() === "fr" ? "fr-FR" : "en-US");
}

export const labUrl = (d, model) =>
  `/?drawing=${encodeURIComponent(d.image_url)}${model ? `&model=${encodeURIComponent(model)}` : ""}`;

/** One drawing as a list item: image, "a 3, read as 5 (12 % for 3)", a link to the lab, and optionally Delete. */
export function drawingCard(d, { onDelete, deleteLabel, caption } = {}) {
  const pred = d.prediction.label;
  const text = caption || t("class.dash.drawing", { label: d.label, pred, p: percent(d.p_label) });
  const items = [
    h("img", { attrs: { src: d.image_url, alt: text, width: 84, height: 84, loading: "lazy" } }),
    h("span", { text }),
    h("a", { attrs: { href: labUrl(d, d.model) }, text: t("class.dash.open_lab") }),
  ];
  if (onDelete)
    items.push(
      h("button", {
        class: "btn btn--small btn--danger",
        attrs: { type: "button", "aria-label": deleteLabel || t("class.dash.delete_drawing") },
        text: t("class.join.delete"),
        on: { click: () => onDelete(d) },
      }),
    );
  return h("li", { class: "drawing", dataset: { id: d.id } }, ...items);
}

/** Server-Sent Events over fetch: `new EventStream(url, {headers, onEvent(type, data), onState(live), onFatal(err)})`. */
export class EventStream {
  constructor(url, { headers = {}, onEvent, onState = () => {}, onFatal = () => {} }) {
    Object.assign(this, { url, headers, onEvent, onState, onFatal });
    this.controller = null;
    this.closed = false;
    this.delay = 1000;
    this.connect();
  }

  close() {
    this.closed = true;
    this.controller?.abort();
  }

  async connect() {
    if (this.closed) return;
    this.controller = new AbortController();
    try {
      const response = await fetch(this.url, {
        headers: { Accept: "text/event-stream", "Accept-Language": getLang(), ...this.headers },
        signal: this.controller.signal,
        cache: "no-store",
      });
      if (response.status >= 400 && response.status < 500) {
        let message = null;
        try {
          message = (await response.json()).error;
        } catch {
          /* not JSON */
        }
        this.onFatal({ status: response.status, ...(message || {}) });
        return;
      }
      if (!response.ok || !response.body) throw new Error(String(response.status));
      this.onState(true);
      this.delay = 1000;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          this.dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
        }
      }
    } catch (err) {
      if (this.closed || err?.name === "AbortError") return;
    }
    if (this.closed) return;
    this.onState(false);
    setTimeout(() => this.connect(), this.delay);
    this.delay = Math.min(this.delay * 2, 10000);
  }

  dispatch(block) {
    let type = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) type = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
    }
    if (!data.length) return;
    try {
      this.onEvent(type, JSON.parse(data.join("\n")));
    } catch {
      /* a malformed event: skip it */
    }
  }
}
