/**
 * French/English strings for every page.
 *
 *   t(key, params?)          the string for `key` in the current language, "{name}" placeholders filled from params;
 *                            falls back to English, then to the key itself (so a missing string is visible, not blank)
 *   getLang() / setLang(l)   current language ("en" | "fr"); setLang persists the choice in localStorage,
 *                            updates <html lang>, re-translates the DOM and notifies the onLangChange listeners
 *   onLangChange(fn)         fn(lang) after every switch; returns an unsubscribe function
 *   addMessages(lang, dict)  lets a page module ship its own strings ({"steps.title": "…"}) without editing
 *                            the shared dictionaries in static/js/i18n/{en,fr}.js
 *   addMessageLoaders({en: () => import("…en.js"), fr: () => import("…fr.js")})
 *                            the same, but only the current language's dictionary is fetched (await it at the top
 *                            of the page's *.messages.js module); the other is fetched on the first switch to it
 *   applyI18n(root?)         translates the DOM below root:
 *                              data-i18n="key"                      -> textContent
 *                              data-i18n-attr="title:key;aria-label:key2"  -> attributes
 *                              data-i18n-params='{"n": 3}'          -> placeholder values for both
 *
 * Default language: ?lang=fr|en in the URL (a teacher's shared link; it is then remembered), else the stored choice,
 * else the first of navigator.languages that we speak, else English.
 *
 * Only the current language's dictionaries are fetched (a phone on a classroom's Wi-Fi does not download the
 * other language's ~40 kB it will not show): this module waits for them before any page module runs (top-level
 * await), and setLang() fetches the other language's the first time it is chosen. Key parity between the
 * languages is tested, so no English fallback needs to be loaded for a French page.
 */
export const LANGS = ["en", "fr"];
const STORAGE_KEY = "convstep.lang";
const dictionaries = { en: {}, fr: {} };
// per language: functions that fetch a dictionary module; `loaded` says which languages are complete
const loaders = { en: [() => import("../i18n/en.js")], fr: [() => import("../i18n/fr.js")] };
const loaded = new Set();
const listeners = new Set();

async function loadLanguage(lang) {
  if (loaded.has(lang)) return;
  const modules = await Promise.all(loaders[lang].map((load) => load()));
  for (const module of modules) Object.assign(dictionaries[lang], module.default);
  loaded.add(lang);
}

function storedLang() {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return LANGS.includes(v) ? v : null;
  } catch {
    return null; // storage disabled (private mode, file://): fall back to the browser language
  }
}

function urlLang() {
  try {
    const v = new URLSearchParams(window.location.search).get("lang");
    return LANGS.includes(v) ? v : null;
  } catch {
    return null;
  }
}

function store(lang) {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* not persisted: the choice still applies to this page */
  }
}

/** The language to start with: ?lang= > stored choice > browser languages > English. */
export function detectLanguage(navigatorLanguages = navigator.languages || [navigator.language || "en"]) {
  const fromUrl = urlLang();
  if (fromUrl) {
    store(fromUrl);
    return fromUrl;
  }
  const stored = storedLang();
  if (stored) return stored;
  for (const tag of navigatorLanguages) {
    const base = String(tag || "")
      .toLowerCase()
      .split("-")[0];
    if (LANGS.includes(base)) return base;
  }
  return "en";
}

let current = detectLanguage();
document.documentElement.lang = current;
await loadLanguage(current);

export const getLang = () => current;

export function addMessages(lang, dict) {
  if (!LANGS.includes(lang)) throw new Error(`unknown language ${lang}`);
  Object.assign(dictionaries[lang], dict);
}

/** A page's own dictionaries, one loader per language: the current language's is fetched now (await this). */
export async function addMessageLoaders(byLang) {
  for (const [lang, load] of Object.entries(byLang)) {
    if (!LANGS.includes(lang)) throw new Error(`unknown language ${lang}`);
    loaders[lang].push(load);
    if (loaded.has(lang)) Object.assign(dictionaries[lang], (await load()).default);
  }
}

export function hasKey(key) {
  return key in dictionaries[current] || key in dictionaries.en;
}

export function t(key, params = {}) {
  let s = dictionaries[current][key];
  if (s === undefined) s = dictionaries.en[key];
  if (s === undefined) return key;
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

function parseParams(el) {
  if (!el.dataset.i18nParams) return {};
  try {
    return JSON.parse(el.dataset.i18nParams);
  } catch {
    return {};
  }
}

export function applyI18n(root = document) {
  const scope = root.querySelectorAll ? root : document;
  const nodes = [];
  if (root.dataset && (root.dataset.i18n || root.dataset.i18nAttr)) nodes.push(root);
  nodes.push(...scope.querySelectorAll("[data-i18n], [data-i18n-attr]"));
  for (const el of nodes) {
    const params = parseParams(el);
    if (el.dataset.i18n) el.textContent = t(el.dataset.i18n, params);
    if (el.dataset.i18nAttr) {
      for (const pair of el.dataset.i18nAttr.split(";")) {
        const [attr, key] = pair.split(":").map((s) => s.trim());
        if (attr && key) el.setAttribute(attr, t(key, params));
      }
    }
  }
}

export async function setLang(lang) {
  if (!LANGS.includes(lang)) return;
  await loadLanguage(lang);
  current = lang;
  store(lang);
  document.documentElement.lang = lang;
  applyI18n(document);
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** ": " in English, " : " (no-break space first) in French: for labels written by the views. */
export function colon() {
  return current === "fr" ? "\u00a0: " : ": ";
}

/** The separator of a list of numbers: ", " in English, " ; " in French (the comma is the decimal separator). */
export function listSeparator() {
  return current === "fr" ? "\u202f; " : ", ";
}
