/**
 * /class/{code}: the teacher's dashboard, live.
 *
 *   GET /api/classes/{code}/events   Server-Sent Events (read with fetch: the token goes in the Authorization header):
 *                                    a new summary after every change in the class, from any phone
 *   GET …/qr.svg                     the QR code of the join link, made by the server for the host this page used
 *   GET …/drawings?label=&predicted= a confusion cell's drawings;   DELETE …/drawings/{id}, DELETE the class
 *   GET …/export?format=npz|idx      the class's digits;            POST …/learn   "Learn our handwriting"
 *
 * The teacher token comes from the teacher link (#token=…, then kept in localStorage and removed from the address
 * bar) or from this browser's storage.
 */
import "../i18n/class.messages.js";
import { $, h, toast } from "../lib/dom.js";
import { api, get, post } from "../lib/api.js";
import { downloadBlob } from "../lib/download.js";
import { getLang, onLangChange, t } from "../lib/i18n.js";
import { initPage } from "../lib/page.js";
import {
  EventStream,
  drawingCard,
  forgetClass,
  number,
  percent,
  saveTeacherToken,
  teacherLink,
  teacherToken,
} from "../lib/classes.js";

initPage();

const root = $("#dashboard");
const code = root.dataset.code;
const els = {
  body: $("#dash-body"),
  error: $("#dash-error"),
  live: $("#live"),
  qr: $("#qr"),
  joinUrl: $("#join-url"),
  students: $("#n-students"),
  drawings: $("#n-drawings"),
  accuracy: $("#accuracy"),
  accuracyLabel: $("#accuracy-label"),
  perLabel: $("#per-label"),
  confusion: $("#confusion"),
  cell: $("#cell-drawings"),
  cellTitle: $("#cell-title"),
  cellList: $("#cell-list"),
  hardest: $("#hardest"),
  expires: $("#expires"),
  learnForm: $("#learn-form"),
  learnStart: $("#learn-start"),
  learnStatus: $("#learn-status"),
  learnResult: $("#learn-result"),
  learnLabP: $("#learn-lab-p"),
  learnLab: $("#learn-lab"),
};
const page = { summary: null, cell: null, live: false, stream: null, deleted: false };
window.convstepDashboard = page; // for tests

// ------------------------------------------------------------------ the token
const fromLink = new URLSearchParams(window.location.hash.slice(1)).get("token");
if (fromLink) {
  saveTeacherToken(code, fromLink);
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
}
const token = teacherToken(code);
const headers = token ? { Authorization: `Bearer ${token}` } : {};
const joinUrl = `${window.location.origin}/join?code=${code}`;

function fatal(message) {
  els.error.hidden = false;
  els.error.textContent = message;
  els.body.hidden = true;
  page.stream?.close();
  setLive(false);
}

function setLive(live) {
  page.live = live;
  els.live.dataset.state = live ? "on" : "off";
  els.live.textContent = t(live ? "class.dash.live" : "class.dash.offline");
}

// ------------------------------------------------------------------ rendering
function renderJoin() {
  els.joinUrl.textContent = joinUrl;
  els.qr.alt = t("class.dash.qr_alt", { url: joinUrl });
}

function renderFigures(s) {
  els.students.textContent = number(s.students);
  els.drawings.textContent = number(s.drawings);
  els.accuracy.textContent = percent(s.accuracy);
  els.accuracyLabel.textContent = t("class.dash.accuracy", { model: s.model });
  const most = Math.max(1, ...s.per_label);
  els.perLabel.replaceChildren(
    ...s.per_label.map((n, digit) =>
      h(
        "li",
        { attrs: { "aria-label": t("class.dash.per_label_item", { label: digit, n }) } },
        h("span", { text: String(n), attrs: { "aria-hidden": "true" } }),
        h("span", { class: "bar", style: { height: `${(80 * n) / most}%` }, attrs: { "aria-hidden": "true" } }),
        h("span", { class: "digit", text: String(digit), attrs: { "aria-hidden": "true" } }),
      ),
    ),
  );
  const expires = new Date(s.expires_at);
  els.expires.textContent = t("class.dash.expires", {
    date: expires.toLocaleDateString(getLang() === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long" }),
  });
}

function renderConfusion(s) {
  const head = h(
    "tr",
    {},
    h("th", { class: "axis", attrs: { scope: "col" }, text: `${t("class.dash.asked")} ↓ ${t("class.dash.read")} →` }),
    ...Array.from({ length: 10 }, (_, j) => h("th", { attrs: { scope: "col" }, text: String(j) })),
  );
  const rows = s.confusion.map((row, i) =>
    h(
      "tr",
      {},
      h("th", { attrs: { scope: "row" }, text: String(i) }),
      ...row.map((n, j) => {
        const pressed = page.cell && page.cell.label === i && page.cell.predicted === j;
        return h(
          "td",
          {},
          h("button", {
            class: n === 0 ? "" : i === j ? "is-diag" : "is-off",
            text: n ? String(n) : "·",
            disabled: n === 0,
            dataset: { label: i, predicted: j },
            attrs: {
              type: "button",
              "aria-label": t("class.dash.cell", { n, label: i, pred: j }),
              "aria-pressed": String(Boolean(pressed)),
            },
            on: { click: () => openCell(i, j) },
          }),
        );
      }),
    ),
  );
  els.confusion.replaceChildren(
    h("table", { class: "class-confusion" }, h("thead", {}, head), h("tbody", {}, ...rows)),
  );
}

function renderHardest(s) {
  els.hardest.replaceChildren(
    ...(s.hardest.length
      ? s.hardest.map((d) => drawingCard(d, { onDelete: removeDrawing }))
      : [h("li", { class: "hint", text: t("class.dash.empty") })]),
  );
}

function renderLearn(s) {
  const training = s.training || {};
  const result = training.result;
  const state = training.state;
  let status = "";
  if (state === "queued") status = t("class.learn.queued");
  else if (state === "running") status = t("class.learn.running", { pct: percent(training.fraction || 0) });
  else if (state === "failed") status = t("class.learn.failed", { message: training.error || "" });
  else if (result?.model) status = t("class.learn.done", { model: result.model });
  if (!state && !result && s.drawings < (training.min_drawings || 0))
    status = t("class.learn.need", { n: training.min_drawings });
  els.learnStatus.textContent = status;
  els.learnStart.disabled = state === "queued" || state === "running";
  const e = result?.extra_eval;
  els.learnResult.hidden = !e;
  if (e) {
    $("#learn-heldout-label").textContent = t("class.learn.heldout", { n: result.heldout ?? "?" });
    $("#learn-heldout-label").removeAttribute("data-i18n");
    const cell = (id, value, before) => {
      const el = $(id);
      el.textContent = percent(value, 1);
      el.className =
        before === undefined || before === null || value === null
          ? ""
          : value > before
            ? "is-better"
            : value < before
              ? "is-worse"
              : "";
    };
    cell("#heldout-before", e.heldout_before);
    cell("#heldout-after", e.heldout_after, e.heldout_before);
    cell("#val-before", e.val_before);
    cell("#val-after", e.val_after, e.val_before);
  }
  els.learnLabP.hidden = !result?.model;
  if (result?.model) els.learnLab.href = `/?model=${encodeURIComponent(result.model)}`;
}

function render() {
  const s = page.summary;
  if (!s) return;
  els.body.hidden = false;
  renderJoin();
  renderFigures(s);
  renderConfusion(s);
  renderHardest(s);
  renderLearn(s);
  if (page.cell) loadCell();
}

// ------------------------------------------------------------------ actions
async function loadCell() {
  const { label, predicted } = page.cell;
  els.cell.hidden = false;
  els.cellTitle.textContent = t("class.dash.cell_title", { label, pred: predicted });
  try {
    const json = await get(`/api/classes/${code}/drawings`, { headers, query: { label, predicted, limit: 60 } });
    els.cellList.replaceChildren(...json.drawings.map((d) => drawingCard(d, { onDelete: removeDrawing })));
  } catch (err) {
    els.cellList.replaceChildren(h("li", { class: "error-box", text: err.message }));
  }
}

function openCell(label, predicted) {
  page.cell = { label, predicted };
  renderConfusion(page.summary);
  loadCell();
}

$("#cell-close").addEventListener("click", () => {
  page.cell = null;
  els.cell.hidden = true;
  renderConfusion(page.summary);
});

async function removeDrawing(d) {
  try {
    await api(`/api/classes/${code}/drawings/${d.id}`, { method: "DELETE", headers });
    for (const el of document.querySelectorAll(`.drawing[data-id="${CSS.escape(d.id)}"]`)) el.remove();
  } catch (err) {
    fatalOrToast(err);
  }
}

function fatalOrToast(err) {
  if ([401, 403, 404].includes(err.status)) fatal(err.message);
  else {
    els.error.hidden = false;
    els.error.textContent = err.message;
  }
}

async function download(format) {
  try {
    const response = await fetch(`/api/classes/${code}/export?format=${format}`, { headers });
    if (!response.ok) throw new Error((await response.json()).error.message);
    const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") || "")?.[1];
    downloadBlob(await response.blob(), name || `class-${code}.${format}`);
  } catch (err) {
    fatalOrToast(err);
  }
}
$("#export-npz").addEventListener("click", () => download("npz"));
$("#export-idx").addEventListener("click", () => download("idx"));
$("#copy-teacher-link").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(teacherLink(code, token));
    toast(t("class.dash.copied"));
  } catch {
    window.prompt(t("class.dash.copy_link"), teacherLink(code, token));
  }
});
$("#delete-class").addEventListener("click", async () => {
  const n = page.summary?.drawings ?? 0;
  if (!window.confirm(t("class.dash.confirm_delete", { code, n }))) return;
  try {
    await api(`/api/classes/${code}`, { method: "DELETE", headers });
    page.deleted = true;
    forgetClass(code);
    fatal(t("class.dash.deleted", { code }));
  } catch (err) {
    fatalOrToast(err);
  }
});
els.learnForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  const data = new FormData(els.learnForm);
  els.learnStart.disabled = true;
  try {
    await post(
      `/api/classes/${code}/learn`,
      { mode: data.get("mode"), epochs: Number(data.get("epochs")) || 2 },
      { headers },
    );
  } catch (err) {
    els.learnStatus.textContent = err.message;
    els.learnStart.disabled = false;
  }
});

async function loadQr() {
  try {
    const response = await fetch(`/api/classes/${code}/qr.svg`, { headers });
    if (response.ok) els.qr.src = URL.createObjectURL(await response.blob());
  } catch {
    /* the address and the code are shown anyway */
  }
}

// ------------------------------------------------------------------ start
onLangChange(() => {
  setLive(page.live);
  render();
});
if (!token) fatal(t("class.dash.no_token"));
else {
  renderJoin();
  loadQr();
  page.stream = new EventStream(`/api/classes/${code}/events`, {
    headers,
    onEvent: (type, data) => {
      if (type === "summary") {
        page.summary = data;
        render();
      } else if (type === "deleted") fatal(t("class.dash.unknown"));
    },
    onState: setLive,
    onFatal: (err) => fatal(err.status === 404 ? t("class.dash.unknown") : err.message || t("class.dash.no_token")),
  });
}
