/**
 * A step-through "deck" for the classroom pages (/steps and /example): one step on screen at a time.
 *
 *   const deck = new Deck(root, { count: () => steps.length, render: (index) => {…}, label: (index) => "title" });
 *   deck.go(6);            // shows step 7 (0-based index), updates the progress bar and the URL hash (#step=7)
 *   deck.refresh();        // re-renders the current step (new data, new language)
 *
 * `root` holds the controls, found by data attributes (templates/steps.html and example.html):
 *   [data-deck-prev] [data-deck-next]         buttons
 *   [data-deck-progress] > [data-deck-bar]    the progress bar (role="progressbar")
 *   [data-deck-counter]                       "Step 7 / 25"
 *   [data-deck-jump]                          a <select> listing every step (jump anywhere)
 *   [data-deck-presenter] [data-deck-fullscreen]   toggles
 *   [data-deck-live]                          aria-live region announcing the new step's title
 *
 * Keys (anywhere except in text fields, selects and the heatmaps' own arrow-key cursor):
 *   → ↓ PageDown Space: next · ← ↑ PageUp Shift+Space: previous · Home / End: first / last
 *   P: presenter view (large type, page chrome hidden) · F: fullscreen · Escape leaves the presenter view.
 * Deep links: the step is in the hash (1-based, #step=7) so that a link reopens the same step; the rest of the
 * URL (?digit=…) is the page's business. Nothing here touches the network.
 */
import { $, clamp } from "./dom.js";
import { t } from "./i18n.js";

const NEXT_KEYS = new Set(["ArrowRight", "ArrowDown", "PageDown"]);
const PREV_KEYS = new Set(["ArrowLeft", "ArrowUp", "PageUp"]);

/** The 0-based step of a hash like "#step=7" (1-based), or null. */
export function stepFromHash(hash = window.location.hash) {
  const m = /(?:^#|&)step=(\d+)/.exec(hash || "");
  return m ? Math.max(0, Number(m[1]) - 1) : null;
}

/** Keys typed into these elements belong to them, not to the deck. */
function ownsKeys(target) {
  if (!target?.closest) return false;
  if (target.closest("input, select, textarea, [contenteditable=''], [contenteditable='true'], dialog[open]"))
    return true;
  // heatmaps move a cursor with the arrow keys
  return target.matches("canvas.is-interactive");
}

export class Deck {
  constructor(root, { count, render, label = null, onChange = null }) {
    this.root = root;
    this.count = count;
    this.renderStep = render;
    this.label = label;
    this.onChange = onChange;
    this.index = 0;
    this.prevBtn = $("[data-deck-prev]", root);
    this.nextBtn = $("[data-deck-next]", root);
    this.progress = $("[data-deck-progress]", root);
    this.bar = $("[data-deck-bar]", root);
    this.counter = $("[data-deck-counter]", root);
    this.jump = $("[data-deck-jump]", root);
    this.live = $("[data-deck-live]", root);
    this.presenterBtn = $("[data-deck-presenter]", root);
    this.fullscreenBtn = $("[data-deck-fullscreen]", root);
    this.bind();
  }

  bind() {
    this.prevBtn.addEventListener("click", () => this.go(this.index - 1));
    this.nextBtn.addEventListener("click", () => this.go(this.index + 1));
    // after a mouse click, Space must mean "next" again, not "press the focused Previous button once more"
    for (const btn of [this.prevBtn, this.nextBtn]) btn.addEventListener("pointerup", () => btn.blur());
    if (this.jump) this.jump.addEventListener("change", () => this.go(Number(this.jump.value)));
    if (this.presenterBtn) this.presenterBtn.addEventListener("click", () => this.setPresenter(!this.presenter));
    if (this.fullscreenBtn) {
      this.fullscreenBtn.addEventListener("click", () => this.toggleFullscreen());
      document.addEventListener("fullscreenchange", () => this.syncFullscreen());
    }
    document.addEventListener("keydown", (e) => this.onKey(e));
    window.addEventListener("hashchange", () => {
      const k = stepFromHash();
      if (k !== null && k !== this.index) this.go(k, { updateHash: false });
    });
  }

  onKey(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || ownsKeys(e.target)) return;
    const onButton = e.target.closest?.("button, a, [role='button'], summary");
    if (e.key === " " && onButton) return; // Space activates the focused button itself
    if (NEXT_KEYS.has(e.key) || (e.key === " " && !e.shiftKey)) this.go(this.index + 1);
    else if (PREV_KEYS.has(e.key) || (e.key === " " && e.shiftKey)) this.go(this.index - 1);
    else if (e.key === "Home") this.go(0);
    else if (e.key === "End") this.go(this.count() - 1);
    else if (e.key === "p" || e.key === "P") this.setPresenter(!this.presenter);
    else if (e.key === "f" || e.key === "F") this.toggleFullscreen();
    else if (e.key === "Escape" && this.presenter && !document.fullscreenElement) this.setPresenter(false);
    else return;
    e.preventDefault();
  }

  /** Show step k (clamped). */
  go(k, { updateHash = true } = {}) {
    const n = this.count();
    if (!n) return;
    const index = clamp(Math.round(Number.isFinite(k) ? k : 0), 0, n - 1);
    const changed = index !== this.index;
    this.index = index;
    this.renderStep(index);
    this.syncControls();
    if (updateHash) {
      const url = `${window.location.pathname}${window.location.search}#step=${index + 1}`;
      window.history.replaceState(null, "", url);
    }
    if (changed && this.live && this.label)
      this.live.textContent = `${t("deck.step_of", { k: index + 1, n })}: ${this.label(index)}`;
    if (this.onChange) this.onChange(index);
  }

  refresh() {
    this.go(this.index, { updateHash: false });
  }

  syncControls() {
    const n = this.count();
    const k = this.index;
    this.prevBtn.disabled = k <= 0;
    this.nextBtn.disabled = k >= n - 1;
    const pct = n > 1 ? (k / (n - 1)) * 100 : 100;
    this.bar.style.width = `${pct}%`;
    this.progress.setAttribute("aria-valuemin", "1");
    this.progress.setAttribute("aria-valuemax", String(n));
    this.progress.setAttribute("aria-valuenow", String(k + 1));
    this.progress.setAttribute("aria-valuetext", t("deck.step_of", { k: k + 1, n }));
    this.counter.textContent = t("deck.step_of", { k: k + 1, n });
    if (this.jump) {
      if (this.jump.options.length !== n || this.jump.dataset.lang !== document.documentElement.lang) this.fillJump();
      this.jump.value = String(k);
    }
  }

  /** The "jump to" list: one option per step, "7. Title". Called again after a language switch or new steps. */
  fillJump() {
    const n = this.count();
    this.jump.replaceChildren(
      ...Array.from({ length: n }, (_, k) => {
        const opt = document.createElement("option");
        opt.value = String(k);
        opt.textContent = `${k + 1}. ${this.label ? this.label(k) : ""}`;
        return opt;
      }),
    );
    this.jump.dataset.lang = document.documentElement.lang;
  }

  get presenter() {
    return document.body.classList.contains("is-presenter");
  }

  setPresenter(on) {
    document.body.classList.toggle("is-presenter", on);
    if (this.presenterBtn) this.presenterBtn.setAttribute("aria-pressed", String(on));
    // the stage is laid out again at the new size
    this.refresh();
  }

  async toggleFullscreen() {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await document.documentElement.requestFullscreen();
    } catch {
      /* refused (no user gesture, iframe, headless browser): the presenter view still works */
    }
    this.syncFullscreen();
  }

  syncFullscreen() {
    if (this.fullscreenBtn)
      this.fullscreenBtn.setAttribute("aria-pressed", String(Boolean(document.fullscreenElement)));
  }
}
