/**
 * Live training (/train): settings form -> POST /api/train -> follow the job's events -> use the trained model.
 *
 *   train/form.js      the settings, the custom layer stack, live shapes and parameter count (/api/train/validate)
 *   train/stream.js    the job's Server-Sent Events, resumed after a dropped connection (Last-Event-ID)
 *   train/monitor.js   progress, curves, filters, confusion matrix, "use this model"
 *
 * The URL names the job (?job=<id>): a reload, or a teacher's second screen, re-attaches to it and replays its
 * events from the start. Stop sends DELETE /api/train/{id}; the job ends at its next minibatch (a job still
 * waiting in line leaves the queue at once).
 *
 * A whole class shares the server: beyond its running limit a job waits in line (its place and estimated start
 * are shown and counted down). Every request carries X-Client-Id, a random id this browser keeps, so the server
 * can give each browser at most 2 jobs (a class behind one school address is not one client). When the server
 * answers 429 (queue full, or this browser's 2 jobs) the page counts down its Retry-After and tries again by
 * itself; Stop cancels that.
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

const els = { start: $("#start"), stop: $("#stop"), startError: $("#start-error"), retry: $("#retry-line") };
const monitor = new Monitor();
const form = new TrainForm($("#train-form"), { onSubmit: start });
const page = { job: null, stream: null, stopping: false, retry: null };
const CLIENT_KEY = "convstep.clientId";
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

/** This browser's random id (kept in localStorage; a fresh one per tab where storage is refused). */
function clientId() {
  const fresh = () =>
    Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
  try {
    let id = window.localStorage.getItem(CLIENT_KEY);
    if (!id || !/^[0-9a-f]{24}$/.test(id)) {
      id = fresh();
      window.localStorage.setItem(CLIENT_KEY, id);
    }
    return id;
  } catch {
    page.clientId ||= fresh();
    return page.clientId;
  }
}

function syncButtons() {
  const active = page.job !== null && ACTIVE.includes(page.job.state);
  const retrying = page.retry !== null;
  form.setLocked(active || retrying);
  els.start.disabled = active || retrying;
  els.stop.disabled = !(active || retrying) || page.stopping;
  els.stop.textContent = t(page.stopping ? "train.stopping" : "train.stop");
}

async function start(body) {
  cancelRetry();
  showStartError("");
  els.start.disabled = true;
  try {
    attach(await post("/api/train", body, { headers: { "X-Client-Id": clientId() } }));
  } catch (err) {
    showStartError(err.message);
    if (err instanceof ApiError && err.status === 429) scheduleRetry(body, err.retryAfter || 10);
    syncButtons();
  }
}

/** The server is full for now: count its Retry-After down, then send the same request again. */
function scheduleRetry(body, seconds) {
  const retry = { body, left: Math.max(1, Math.round(seconds)), timer: null };
  const tick = () => {
    if (page.retry !== retry) return;
    if (retry.left <= 0) {
      cancelRetry();
      start(retry.body);
      return;
    }
    els.retry.textContent = t("train.retry.countdown", { n: retry.left });
    monitor.setState("retrying");
    monitor.els.text.textContent = els.retry.textContent; // also where the eyes are: the learning card
    retry.left -= 1;
    retry.timer = setTimeout(tick, 1000);
  };
  page.retry = retry;
  els.retry.hidden = false;
  tick();
}

function cancelRetry() {
  if (!page.retry) return;
  clearTimeout(page.retry.timer);
  page.retry = null;
  els.retry.hidden = true;
  els.retry.textContent = "";
  monitor.setState(page.job ? page.job.state : "idle");
  monitor.drawProgress();
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
        monitor.queue(data);
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
  if (page.retry) {
    cancelRetry();
    showStartError("");
    syncButtons();
    return;
  }
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
