/**
 * Regions that scroll sideways reachable from the keyboard (WCAG 2.1.1): on a phone a long formula, the network
 * overview or a confusion matrix is wider than the screen, and someone without a mouse or a touch screen must be
 * able to focus it to scroll it with the arrow keys. Only the regions that overflow right now get a tab stop.
 *
 *   keepScrollablesFocusable(root?)   watch root (document.body): after every change of its content or of the
 *                                     window's size, overflowing SCROLLERS get tabindex="0", the others lose it
 */
const SCROLLERS = ".formula, .overview, .confusion, .deck-visual, .main-nav ul, .chart-data__body, .table-scroll";

function update(root) {
  for (const el of root.querySelectorAll(SCROLLERS)) {
    const overflows = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible";
    if (overflows && !el.hasAttribute("tabindex")) {
      el.tabIndex = 0;
      el.dataset.scrollFocus = "";
    } else if (!overflows && el.dataset.scrollFocus !== undefined) {
      el.removeAttribute("tabindex");
      delete el.dataset.scrollFocus;
    }
  }
}

export function keepScrollablesFocusable(root = document.body) {
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      update(root);
    });
  };
  // the tooltip and a heatmap's spoken cursor change at every move of a cursor: they never make a region overflow
  const busy = (node) => (node.nodeType === 1 ? node : node.parentElement)?.closest(".tooltip, .heatmap > [aria-live]");
  new MutationObserver((records) => {
    if (records.some((r) => !busy(r.target))) schedule();
  }).observe(root, { childList: true, subtree: true, characterData: true });
  window.addEventListener("resize", schedule);
  schedule();
}
