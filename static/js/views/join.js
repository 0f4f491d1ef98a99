/**
 * /join (?code=ABC234 from the teacher's QR code): a student joins a class and draws the digits it asks for.
 *
 *   GET  /api/classes/{code}/join        the code is right; the digit to draw ("Draw a 3", the class's least drawn)
 *   POST /api/classes/{code}/drawings    {image, label, device_id} -> what the network read; the next digit
 *   GET / DELETE …/drawings[/{id}]       this device's own drawings (X-Device-Id), and deleting one
 *
 * No account and no name: the device id is random and stays in this browser. Phone first: one column, the pad as
 * wide as the screen, big buttons.
 */
import "../i18n/class.messages.js";
import { $, h } from "../lib/dom.js";
import { api, get, post } from "../lib/api.js";
import { DrawPad } from "../lib/drawpad.js";
import { onLangChange, t } from "../lib/i18n.js";
import { initPage } from "../lib/page.js";
import { deviceId, drawingCard, labUrl, percent } from "../lib/classes.js";

initPage();

const CODE_KEY = "convstep.join.code";
const els = {
  form: $("#join-form"),
  code: $("#code"),
  go: $("#join-go"),
  joinError: $("#join-error"),
  draw: $("#draw"),
  joined: $("#joined-code"),
  leave: $("#leave"),
  prompt: $("#prompt"),
  undo: $("#undo"),
  clear: $("#clear"),
  send: $("#send"),
  sendError: $("#send-error"),
  result: $("#result"),
  reading: $("#reading"),
  verdict: $("#verdict"),
  resultLab: $("#result-lab"),
  mineCard: $("#mine-card"),
  mine: $("#mine"),
};
const device = deviceId();
const headers = { "X-Device-Id": device };
const page = { code: null, prompt: null, last: null, mine: [], sending: false };
const pad = new DrawPad($("#pad"), { background: "white" });
window.convstepJoin = { page, pad }; // for tests

function showError(el, message) {
  el.hidden = !message;
  el.textContent = message || "";
}

function storeCode(code) {
  try {
    if (code) window.localStorage.setItem(CODE_KEY, code);
    else window.localStorage.removeItem(CODE_KEY);
  } catch {
    /* not kept: the student types it again */
  }
}

function renderPrompt() {
  els.prompt.textContent = page.prompt === null ? "" : t("class.join.prompt", { digit: page.prompt });
  els.joined.textContent = page.code ? t("class.join.joined", { code: page.code }) : "";
}

function renderResult() {
  const r = page.last;
  els.result.hidden = !r;
  if (!r) return;
  const pred = r.prediction.label;
  els.result.dataset.right = String(pred === r.label);
  els.reading.textContent = t("class.join.result", { digit: pred, pct: percent(r.prediction.probabilities[pred]) });
  els.verdict.textContent = t(pred === r.label ? "class.join.right" : "class.join.wrong");
  els.resultLab.href = labUrl({ image_url: `/api/classes/${page.code}/drawings/${r.id}/image.png` }, r.model);
}

function renderMine() {
  els.mineCard.hidden = !page.code;
  els.mine.replaceChildren(
    ...(page.mine.length
      ? page.mine.map((d) =>
          drawingCard(d, {
            caption: t("class.join.mine_item", { label: d.label, pred: d.prediction.label }),
            deleteLabel: t("class.join.delete_label", { label: d.label }),
            onDelete: remove,
          }),
        )
      : [h("li", { class: "hint", text: t("class.join.mine_empty") })]),
  );
}

async function loadMine() {
  try {
    page.mine = (await get(`/api/classes/${page.code}/drawings`, { headers })).drawings;
  } catch {
    page.mine = [];
  }
  renderMine();
}

async function remove(d) {
  try {
    await api(`/api/classes/${page.code}/drawings/${d.id}`, { method: "DELETE", headers });
    if (page.last?.id === d.id) page.last = null;
    renderResult();
    await loadMine();
  } catch (err) {
    showError(els.sendError, err.message);
  }
}

async function join(code) {
  code = String(code || "")
    .trim()
    .toUpperCase();
  if (!code) return;
  showError(els.joinError, "");
  if (!/^[A-Z0-9]{6}$/.test(code)) {
    showError(els.joinError, t("class.join.bad_code"));
    return;
  }
  els.go.disabled = true;
  try {
    const info = await get(`/api/classes/${encodeURIComponent(code)}/join`, { headers });
    Object.assign(page, { code: info.code, prompt: info.prompt, last: null });
    storeCode(info.code);
    els.form.hidden = true;
    els.draw.hidden = false;
    renderPrompt();
    renderResult();
    pad.resize?.();
    await loadMine();
  } catch (err) {
    showError(els.joinError, err.message);
    els.form.hidden = false;
    els.draw.hidden = true;
    els.code.value = code;
  } finally {
    els.go.disabled = false;
  }
}

async function send() {
  if (page.sending || !page.code) return;
  page.sending = true;
  els.send.disabled = true;
  els.send.textContent = t("class.join.sending");
  showError(els.sendError, "");
  const label = page.prompt;
  try {
    const r = await post(`/api/classes/${page.code}/drawings`, { image: pad.toDataURL(), label, device_id: device });
    page.last = { ...r, label };
    page.prompt = r.next_prompt;
    pad.clear();
    renderPrompt();
    renderResult();
    await loadMine();
  } catch (err) {
    showError(els.sendError, err.message);
  } finally {
    page.sending = false;
    els.send.disabled = false;
    els.send.textContent = t("class.join.send");
  }
}

els.form.addEventListener("submit", (e) => {
  e.preventDefault();
  join(els.code.value);
});
els.leave.addEventListener("click", () => {
  Object.assign(page, { code: null, prompt: null, last: null, mine: [] });
  storeCode(null);
  els.draw.hidden = true;
  els.mineCard.hidden = true;
  els.form.hidden = false;
  els.code.value = "";
  els.code.focus();
});
els.undo.addEventListener("click", () => pad.undo());
els.clear.addEventListener("click", () => pad.clear());
els.send.addEventListener("click", send);

onLangChange(() => {
  renderPrompt();
  renderResult();
  renderMine();
});

const params = new URLSearchParams(window.location.search);
let initial = params.get("code");
if (!initial) {
  try {
    initial = window.localStorage.getItem(CODE_KEY);
  } catch {
    initial = null;
  }
}
if (initial) {
  els.code.value = initial.toUpperCase();
  join(initial);
}
