/**
 * The playground (/playground): the course's small experiments, one tab each, built the first time the tab opens.
 *
 *   #convolution    a kernel on a sample digit or a photo (playground/convolution.js)
 *   #course         the course's worked convolutions, animated and checked (playground/course.js)
 *   #pooling        max / average / sum pooling (playground/pooling.js)
 *   #activations    activation functions and their derivatives (playground/activations.js)
 *   #cross-entropy  the cross-entropy calculator (playground/cross-entropy.js)
 *
 * Tabs follow the WAI-ARIA pattern: ← → Home End move between them, the hash keeps the open tab (deep links).
 */
import "../i18n/classroom.messages.js";
import { $, $$ } from "../lib/dom.js";
import { initPage } from "../lib/page.js";
import { onLangChange } from "../lib/i18n.js";
import { ConvolutionPanel } from "./playground/convolution.js";
import { CoursePanel } from "./playground/course.js";
import { PoolingPanel } from "./playground/pooling.js";
import { ActivationsPanel } from "./playground/activations.js";
import { CrossEntropyPanel } from "./playground/cross-entropy.js";

initPage();

const PANELS = {
  convolution: ConvolutionPanel,
  course: CoursePanel,
  pooling: PoolingPanel,
  activations: ActivationsPanel,
  "cross-entropy": CrossEntropyPanel,
};
const tabs = $$("[role='tab']", $("#playground"));
const mounted = {};
window.convstepPlayground = mounted; // for tests and curious students

function open(name, { focus = false, updateHash = true } = {}) {
  if (!PANELS[name]) name = "convolution";
  for (const tab of tabs) {
    const on = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`#panel-${tab.dataset.tab}`).hidden = !on;
    if (on && focus) tab.focus();
  }
  if (!mounted[name]) mounted[name] = new PANELS[name]($(`#panel-${name}`));
  if (updateHash) window.history.replaceState(null, "", `${window.location.pathname}${window.location.search}#${name}`);
}

tabs.forEach((tab, k) => {
  tab.addEventListener("click", () => open(tab.dataset.tab));
  tab.addEventListener("keydown", (e) => {
    const moves = { ArrowRight: k + 1, ArrowLeft: k - 1, Home: 0, End: tabs.length - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = tabs[(moves[e.key] + tabs.length) % tabs.length];
    open(next.dataset.tab, { focus: true });
  });
});
window.addEventListener("hashchange", () => open(window.location.hash.slice(1), { updateHash: false }));
onLangChange(() => {
  for (const panel of Object.values(mounted)) panel.refresh();
});

open(window.location.hash.slice(1) || "convolution", { updateHash: Boolean(window.location.hash) });
