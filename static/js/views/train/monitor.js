/**
 * What /train shows while a job runs and after: state, progress bar with ETA, loss and accuracy curves (training
 * batches, end-of-epoch training and validation), the first convolution's filters (at the start, and now or at
 * any snapshot with the replay slider, and what changed), and at the end the validation confusion matrix and the trained model.
 *
 *   const monitor = new Monitor();
 *   monitor.reset(status)                      a new job (status from POST /api/train or GET /api/train/{id})
 *   monitor.batch(d) / epoch(d) / snapshot(d)  one event of the job's stream
 *   monitor.finish(status)                     the final status (result, error, model id)
 *   monitor.setState(state)                    queued | running | stopping | reconnecting | finished | failed | cancelled
 *
 * Events can come hundreds per second while a stream replays: drawing is batched into animation frames.
 */
import { $, clear, fmt, h, pct } from "../../lib/dom.js";
import { LineChart } from "../../lib/chart.js";
import { HeatmapView, legend } from "../../lib/heatmap.js";
import { cssColor, cssRgb, makeScale, needsLightText } from "../../lib/colors.js";
import { Tensor } from "../../lib/tensor.js";
import { onLangChange, t } from "../../lib/i18n.js";
import { count, duration } from "./format.js";

const MAX_CURVE_POINTS = 300; // batch points drawn per curve (thinned evenly beyond)
const FILTER_WIDTH = 72; // CSS pixels per filter heatmap

function thin(points, max = MAX_CURVE_POINTS) {
  if (points.length <= max) return points;
  const step = points.length / max;
  const out = [];
  for (let k = 0; k < max - 1; k++) out.push(points[Math.floor(k * step)]);
  out.push(points[points.length - 1]);
  return out;
}

export class Monitor {
  constructor() {
    this.els = {
      state: $("#job-state"),
      bar: $("#progress"),
      percent: $("#progress-percent"),
      text: $("#progress-text"),
      error: $("#job-error"),
      filters: $("#filters"),
      filtersNote: $("#filters-note"),
      scrubField: $("#snapshot-scrub-field"),
      scrub: $("#snapshot-scrub"),
      result: $("#result-card"),
      score: $("#result-score"),
      confusion: $("#confusion"),
      use: $("#use-model"),
      download: $("#download-model"),
      note: $("#result-note"),
    };
    this.lossChart = new LineChart({ width: 420, height: 190, yMin: 0 });
    this.accChart = new LineChart({ width: 420, height: 190, yMin: 0, yMax: 1 });
    $("#loss-curve").prepend(this.lossChart.el);
    $("#accuracy-curve").prepend(this.accChart.el);
    this.els.scrub.addEventListener("input", () => {
      this.pinned = Number(this.els.scrub.value) < this.snapshots.length - 1;
      this.drawFilters();
    });
    onLangChange(() => this.relabel());
    this.reset(null);
  }

  reset(status) {
    this.status = status;
    this.state = status ? status.state : "idle";
    this.progress = status ? status.progress : null;
    this.batches = []; // {x, loss, accuracy}
    this.epochs = []; // history points
    this.snapshots = [];
    this.pinned = false;
    this.filterViews = { start: [], now: [], change: [] };
    this.filterRows = null;
    this.els.error.hidden = true;
    this.els.result.hidden = true;
    clear(this.els.filters);
    this.els.scrubField.hidden = true;
    this.relabel();
    this.draw();
  }

  // -------------------------------------------------------------------------------------------- events
  setState(state) {
    this.state = state;
    this.els.state.dataset.state = state;
    this.els.state.textContent = t(`train.state.${state}`);
  }

  batch(d) {
    this.progress = d;
    this.batches.push({ x: d.epoch - 1 + d.batch / d.batches, loss: d.loss, accuracy: d.accuracy });
    this.schedule();
  }

  epoch(d) {
    this.epochs.push(d);
    this.schedule();
  }

  snapshot(d) {
    this.snapshots.push({ ...d, tensor: Tensor.from({ shape: d.shape, values: d.filters }) });
    this.schedule();
  }

  finish(status) {
    this.status = status;
    this.progress = status.progress;
    this.epochs = status.history.slice();
    this.setState(status.state);
    this.draw();
    this.showError(status.error);
    this.showResult(status);
  }

  showError(error) {
    this.els.error.hidden = !error;
    this.els.error.textContent = error ? error.message : "";
  }

  // -------------------------------------------------------------------------------------------- drawing
  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      this.draw();
    });
  }

  relabel() {
    this.setState(this.state);
    this.lossChart.setLabels({
      xLabel: t("train.curve.epoch"),
      yLabel: t("train.curve.loss_axis"),
      title: t("train.curve.loss"),
    });
    this.accChart.setLabels({
      xLabel: t("train.curve.epoch"),
      yLabel: t("train.curve.accuracy_axis"),
      title: t("train.curve.accuracy"),
    });
    this.draw();
    if (this.status && !this.els.result.hidden) this.showResult(this.status);
  }

  draw() {
    this.drawProgress();
    this.drawCurves();
    this.drawFilters();
  }

  drawProgress() {
    const p = this.progress;
    const fraction = p ? p.fraction || 0 : 0;
    this.els.bar.value = fraction;
    this.els.percent.textContent = `${Math.floor(fraction * 100)} %`;
    if (!p?.epoch) {
      this.els.text.textContent = t(this.status ? "train.progress.preparing" : "train.progress.idle");
      return;
    }
    const done = ["finished", "failed", "cancelled"].includes(this.state);
    this.els.text.textContent = t(done ? "train.progress.done" : "train.progress.running", {
      epoch: p.epoch,
      epochs: p.epochs,
      batch: p.batch,
      batches: p.batches,
      speed: p.images_per_s ? count(p.images_per_s) : "—",
      elapsed: duration(p.elapsed_s),
      eta: duration(p.eta_s),
    });
  }

  drawCurves() {
    const finite = (points) => points.filter((q) => Number.isFinite(q[1]));
    const batchLoss = finite(thin(this.batches).map((b) => [b.x, b.loss]));
    const batchAcc = finite(thin(this.batches).map((b) => [b.x, b.accuracy]));
    const trainLoss = finite(this.epochs.map((e) => [e.epoch, e.train_loss]));
    const trainAcc = finite(this.epochs.map((e) => [e.epoch, e.train_accuracy]));
    const valLoss = finite(this.epochs.map((e) => [e.epoch, e.val_loss]));
    const valAcc = finite(this.epochs.map((e) => [e.epoch, e.val_accuracy]));
    const label = (key) => t(`train.series.${key}`);
    this.lossChart.update([
      { points: batchLoss, className: "series-batch", label: label("batch") },
      { points: trainLoss, className: "series-train", label: label("train") },
      { points: valLoss, className: "series-val", label: label("val") },
    ]);
    this.accChart.update([
      { points: batchAcc, className: "series-batch", label: label("batch") },
      { points: trainAcc, className: "series-train", label: label("train") },
      { points: valAcc, className: "series-val", label: label("val") },
    ]);
    // for tests and screen readers: how many points each curve has
    this.lossChart.svg.dataset.points = String(this.batches.length);
    this.accChart.svg.dataset.epochs = String(this.epochs.length);
  }

  drawFilters() {
    const shots = this.snapshots;
    const arch = this.status?.architecture;
    if (arch && !arch.has_conv) {
      this.els.filtersNote.textContent = t("train.filters.none");
      clear(this.els.filters);
      return;
    }
    if (!shots.length) {
      this.els.filtersNote.textContent = t("train.filters.empty");
      return;
    }
    const scrub = this.els.scrub;
    scrub.max = String(shots.length - 1);
    if (!this.pinned) scrub.value = scrub.max;
    this.els.scrubField.hidden = shots.length < 2;
    const first = shots[0];
    const shown = shots[Math.min(Number(scrub.value), shots.length - 1)];
    const absMax = Math.max(first.abs_max || 0, shown.abs_max || 0) || 1;
    const scale = makeScale("diverging", -absMax, absMax);
    this.els.filtersNote.textContent = t("train.filters.note", {
      layer: first.layer,
      n: first.shape[0],
      k: `${first.shape[2]}×${first.shape[3]}`,
    });
    if (!this.filterRows) this.buildFilterRows();
    this.fillRow("start", first.tensor, scale, t("train.filters.start"));
    this.fillRow(
      "now",
      shown.tensor,
      scale,
      shown.step === 0
        ? t("train.filters.start")
        : t("train.filters.at", { step: shown.step, epoch: shown.epoch, batch: shown.batch }),
    );
    // what learning changed: now − start, on its own scale (the changes are often small next to the weights)
    const change = new Tensor(
      shown.tensor.data.map((v, i) => v - first.tensor.data[i]),
      shown.shape,
    );
    const changeScale = makeScale("diverging", -(change.range().absMax || 1), change.range().absMax || 1);
    this.fillRow("change", change, changeScale, t("train.filters.change"));
    this.filterLegend.update(scale, t("train.filters.legend"));
    this.changeLegend.update(changeScale, t("train.filters.change_legend"));
    scrub.setAttribute(
      "aria-valuetext",
      t("train.filters.at", { step: shown.step, epoch: shown.epoch, batch: shown.batch }),
    );
  }

  buildFilterRows() {
    const row = (key) => {
      const title = h("h3", { class: "filters__title" });
      const maps = h("div", { class: "filters__maps" });
      return { el: h("div", { class: "filters__row", dataset: { row: key } }, title, maps), title, maps };
    };
    this.filterRows = { start: row("start"), now: row("now"), change: row("change") };
    this.filterLegend = legend(makeScale("diverging", -1, 1), { title: t("train.filters.legend") });
    this.changeLegend = legend(makeScale("diverging", -1, 1), { title: t("train.filters.change_legend") });
    this.els.filters.append(
      this.filterRows.start.el,
      this.filterRows.now.el,
      this.filterRows.change.el,
      h("div", { class: "filters__legends" }, this.filterLegend, this.changeLegend),
    );
  }

  fillRow(key, tensor, scale, title) {
    const row = this.filterRows[key];
    row.title.textContent = title;
    const views = this.filterViews[key];
    const count = tensor.shape[0];
    for (let f = 0; f < count; f++) {
      const label = t("train.filters.filter", { f: f + 1, when: title });
      const matrix = tensor.matrix(f, 0);
      if (!views[f]) {
        views[f] = new HeatmapView({
          matrix,
          scale,
          width: FILTER_WIDTH,
          label,
          describe: (i, j, v) => `${label}: ${fmt(v)}`,
        });
        row.maps.append(views[f].el);
      } else {
        views[f].update({ matrix, scale, label });
      }
    }
  }

  // -------------------------------------------------------------------------------------------- the result
  showResult(status) {
    const result = status.result;
    this.els.result.hidden = !result && !status.model_id;
    if (!result) return;
    const acc = result.val_accuracy;
    this.els.score.replaceChildren(
      h("b", { class: "result-score__value", text: pct(acc) }),
      " ",
      t("train.result.score", { n: count(status.data.val_size), right: count(Math.round(acc * status.data.val_size)) }),
    );
    this.els.confusion.replaceChildren(confusionTable(result.confusion));
    if (status.model_id) {
      this.els.use.href = `/?model=${encodeURIComponent(status.model_id)}`;
      this.els.download.href = `/api/train/${encodeURIComponent(status.id)}/model`;
      this.els.download.setAttribute("download", `convstep-${status.model_id}.npz`);
    }
    const notes = [t("train.result.model_id", { id: status.model_id || "—" })];
    if (status.state === "cancelled") notes.unshift(t("train.result.stopped", { n: result.epochs_completed }));
    if (status.expires_in_s !== null)
      notes.push(t("train.result.expires", { min: Math.max(1, Math.round(status.expires_in_s / 60)) }));
    this.els.note.textContent = notes.join(" ");
  }
}

/** rows = true digit, columns = predicted digit. Right answers (the diagonal) are tinted green and mistakes red,
 *  more strongly the larger their share of the row: a few stray errors stay pale, a systematic confusion stands out. */
export function confusionTable(confusion) {
  const k = confusion.length;
  const head = h(
    "tr",
    {},
    h("th", { scope: "col", class: "confusion__corner", text: t("train.confusion.corner") }),
    Array.from({ length: k }, (_, p) => h("th", { scope: "col", text: String(p) })),
    h("th", { scope: "col", text: t("train.confusion.recall") }),
  );
  const rows = confusion.map((row, truth) => {
    const total = row.reduce((a, b) => a + b, 0);
    const cells = row.map((count, p) => {
      const share = total ? count / total : 0;
      const right = p === truth;
      // mistakes are rarer than right answers: their tint saturates at a 25 % share
      const strength = right ? share : Math.min(1, share * 4);
      const td = h("td", {
        class: ["num", right && "is-diag", !count && "is-zero"],
        text: String(count),
        attrs: { title: t("train.confusion.cell", { count, truth, p }) },
      });
      if (count) {
        const tint = right ? "--good" : "--bad";
        const alpha = Number((right ? strength : Math.max(0.12, strength)).toFixed(3));
        td.style.backgroundColor = cssColor(tint, alpha);
        // the text colour that reads on the tint as it shows on the white page
        const shown = cssRgb(tint).map((c) => c * alpha + 255 * (1 - alpha));
        td.classList.add(needsLightText(...shown) ? "is-dark" : "is-light");
      }
      return td;
    });
    return h(
      "tr",
      {},
      h("th", { scope: "row", text: String(truth) }),
      cells,
      h("td", { class: "num confusion__recall", text: total ? pct(row[truth] / total) : "—" }),
    );
  });
  return h(
    "table",
    { class: "grid confusion-table" },
    h("caption", { text: t("train.confusion.caption") }),
    h("thead", {}, head),
    h("tbody", {}, rows),
  );
}
