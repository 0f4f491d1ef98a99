/**
 * /class/new: create a class (POST /api/classes), keep its teacher token in this browser, offer the teacher link,
 * and list the classes this browser already holds a token for.
 */
import "../i18n/class.messages.js";
import { $, h, toast } from "../lib/dom.js";
import { post } from "../lib/api.js";
import { onLangChange, t } from "../lib/i18n.js";
import { initPage } from "../lib/page.js";
import { knownClasses, saveTeacherToken, teacherLink } from "../lib/classes.js";

initPage();

const els = {
  create: $("#create"),
  error: $("#create-error"),
  created: $("#created"),
  text: $("#created-text"),
  open: $("#open-dashboard"),
  link: $("#teacher-link"),
  copy: $("#copy-link"),
  recent: $("#recent"),
};
let created = null;

function renderRecent() {
  const codes = Object.keys(knownClasses()).sort();
  els.recent.replaceChildren(
    ...(codes.length
      ? codes.map((code) =>
          h("li", {}, h("a", { attrs: { href: `/class/${code}` }, text: t("class.dash.heading", { code }) })),
        )
      : [h("li", { text: t("class.new.none") })]),
  );
}

function renderCreated() {
  if (!created) return;
  els.created.hidden = false;
  els.text.textContent = t("class.new.ready", { code: created.code });
  els.open.href = `/class/${created.code}`;
  els.link.value = teacherLink(created.code, created.teacher_token);
}

els.create.addEventListener("click", async () => {
  els.create.disabled = true;
  els.create.textContent = t("class.new.creating");
  els.error.hidden = true;
  try {
    created = await post("/api/classes", {});
    saveTeacherToken(created.code, created.teacher_token);
    renderCreated();
    renderRecent();
    els.open.focus();
  } catch (err) {
    els.error.hidden = false;
    els.error.textContent = err.message;
  } finally {
    els.create.disabled = false;
    els.create.textContent = t("class.new.create");
  }
});

els.copy.addEventListener("click", async () => {
  els.link.select();
  try {
    await navigator.clipboard.writeText(els.link.value);
  } catch {
    document.execCommand?.("copy");
  }
  toast(t("class.new.copied"));
});

onLangChange(() => {
  renderRecent();
  renderCreated();
});
renderRecent();
window.convstepClassNew = {
  get created() {
    return created;
  },
}; // for tests
