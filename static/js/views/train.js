/**
 * Live training (/train): settings form -> POST /api/train -> follow the job's events -> use the trained model.
 *
 *   train/form.js      the settings, the custom layer stack, live shapes and parameter count (/api/train/validate)
 *   train/stream.js    the job's Server-Sent Events, resumed after a dropped connection (Last-Event-ID)
 *   train/monitor.js   progress, curves, filters, confusion matrix, "use this model"
 *
 * The URL names the job (?job=<id>): a reload, or a teacher's second screen, re-attaches to it and replays its
 * events from the start. Stop sends DELETE /api/train/{id}; the job ends at its next minibatch.
 */
import "../i18n/train.messages.js";
import { $ } from "../lib/dom.js";
import { ApiError, api, get, post } from "../lib/api.js";
import { initPage } from "../lib/page.js";
import { onLangChange, t } from "../lib/i18n.js";
import { TrainForm } from "./train/form.js";
import { Monitor } from "./train/monitor.js";
import { JobStream } from "./train/stream.js";

initPage();

const els = { start: $("#start"), stop: $("#stop"), startError: $("#start-error") };
const monitor = new Monitor();
const form = new TrainForm($("#train-form"), { onSubmit: start });
const page = { job: null, stream: null, stopping: false };
window.convstepTrain = { monitor, form, page }; // for tests and curious students

const ACTIVE = ["queued", "running"];

function showStartError(message) {
  els.startError.hidden = !message;
  els.startError.textContent = message || "";
}

function setJobUrl(id) {
  const url = new URL(window.location.href);
  if (id) url.searchParams.set("job", id);
  else url.searchParams.delete("job");
  window.history.replaceState(null, "", url);
}

function syncButtons() {
  const active = page.job !== null && ACTIVE.includes(page.job.state);
  form.setLocked(active);
  els.start.disabled = active;
  els.stop.disabled = !active || page.stopping;
  els.stop.textContent = t(page.stopping ? "train.stopping" : "train.stop");
}

async function start(body) {
  showStartError("");
  els.start.disabled = true;
  try {
    attach(await post("/api/train", body));
  } catch (err) {
    showStartError(err.message);
    syncButtons();
  }
}

/** Follow a job: from a fresh start, or again after a reload (its events replay from the first). */
function attach(status, { reattached = false } = {}) {
  if (page.stream) page.stream.close();
  page.job = { id: status.id, state: status.state };
  page.stopping = false;
  setJobUrl(status.id);
  if (reattached) form.fill(status.settings);
  monitor.reset(status);
  monitor.setState(status.state);
  syncButtons();
  page.stream = new JobStream(status.id, {
    onEvent(kind, data) {
      if (kind === "state") {
        page.job.state = data.state;
        monitor.setState(page.stopping && ACTIVE.includes(data.state) ? "stopping" : data.state);
        syncButtons();
      } else {
        monitor[kind](data);
      }
    },
    onEnd(final) {
      page.job.state = final.state;
      page.stopping = false;
      monitor.finish(final);
      syncButtons();
    },
    onConnection(connected) {
      if (!page.job || !ACTIVE.includes(page.job.state)) return;
      monitor.setState(connected ? (page.stopping ? "stopping" : page.job.state) : "reconnecting");
    },
    async onGone() {
      // the server refused the stream: the job may have expired meanwhile (or the server restarted)
      try {
        const latest = await get(`/api/train/${status.id}`);
        monitor.finish(latest);
        page.job.state = latest.state;
      } catch (err) {
        page.job = null;
        setJobUrl(null);
        monitor.setState("idle");
        showStartError(err.message);
      }
      syncButtons();
    },
  });
  page.stream.open();
}

async function stop() {
  if (!page.job) return;
  page.stopping = true;
  monitor.setState("stopping");
  syncButtons();
  try {
    await api(`/api/train/${page.job.id}`, { method: "DELETE" });
  } catch (err) {
    page.stopping = false;
    showStartError(err.message);
    syncButtons();
  }
}

els.stop.addEventListener("click", stop);

onLangChange(async () => {
  syncButtons();
  // the server wrote the job's error message in the old language: ask again
  if (page.job && !ACTIVE.includes(page.job.state)) {
    try {
      monitor.finish(await get(`/api/train/${page.job.id}`));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
    }
  }
});

// ?preset=mlp: a link from a course page opens the form on that network
const presetParam = new URLSearchParams(window.location.search).get("preset");
const presetRadio = presetParam && document.querySelector(`input[name="preset"][value="${CSS.escape(presetParam)}"]`);
if (presetRadio) {
  presetRadio.checked = true;
  presetRadio.dispatchEvent(new Event("change", { bubbles: true }));
}

const requested = new URLSearchParams(window.location.search).get("job");
if (requested) {
  get(`/api/train/${encodeURIComponent(requested)}`)
    .then((status) => attach(status, { reattached: true }))
    .catch((err) => {
      setJobUrl(null);
      showStartError(err.message);
    });
}
syncButtons();
