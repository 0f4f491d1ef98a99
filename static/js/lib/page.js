/**
 * What every page does at start-up (call once from the page's view module):
 *
 *   import { initPage } from "../lib/page.js";
 *   initPage();          // translate [data-i18n] nodes, wire the header's FR/EN switch, mark the current nav link,
 *                        // and keep the document title translated (from <body data-title-key="…">); regions
 *                        // that scroll sideways become focusable (lib/scrollables.js)
 *
 * The header, nav and footer come from templates/base.html.
 */
import { $$ } from "./dom.js";
import { applyI18n, getLang, onLangChange, setLang, t } from "./i18n.js";
import { keepScrollablesFocusable } from "./scrollables.js";

function syncSwitch(lang) {
  for (const btn of $$("[data-lang-switch]")) btn.setAttribute("aria-pressed", String(btn.dataset.langSwitch === lang));
  const key = document.body.dataset.titleKey;
  if (key) document.title = `${t(key)} · ConvStep`;
}

export function initPage() {
  applyI18n(document);
  syncSwitch(getLang());
  for (const btn of $$("[data-lang-switch]")) btn.addEventListener("click", () => setLang(btn.dataset.langSwitch));
  onLangChange(syncSwitch);
  const path = window.location.pathname.replace(/\/+$/, "") || "/";
  for (const a of $$(".main-nav a")) {
    const href = (a.getAttribute("href") || "").replace(/\/+$/, "") || "/";
    if (href === path) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  closeCourseMenuOutside();
  keepScrollablesFocusable();
  document.documentElement.classList.add("js-ready");
}

/** The Course menu (a <details>) closes on Escape (focus back on its summary) and on a click elsewhere. */
function closeCourseMenuOutside() {
  const menu = document.querySelector(".course-menu");
  if (!menu) return;
  document.addEventListener("click", (e) => {
    if (menu.open && !menu.contains(e.target)) menu.open = false;
  });
  menu.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
}
