/**
 * Card 1 of the lab: the drawing pad and its tools, the sample digits, the photo upload (button or drag-and-drop).
 * It turns whatever the student provides into `state.source` ({kind, payload: {image, preprocess}}):
 *   - a drawing        -> a 280×280 PNG data URL (white paper + dark ink, or transparent), preprocessed server-side
 *   - a sample digit   -> its 28×28 grey levels (already MNIST-like; the preprocessing still runs and shows its steps)
 *   - a photo          -> the photo itself (shrunk to ≤ 1024 px so it fits the request size limit)
 * While the pen moves, `onLive` is called at most every LIVE_MS; after each stroke, `onCommit`.
 */
import { $, $$, h, toast } from "../../lib/dom.js";
import { digitImage, DrawPad } from "../../lib/drawpad.js";
import { get } from "../../lib/api.js";
import { onLangChange, t } from "../../lib/i18n.js";

const LIVE_MS = 110;
const SAMPLES_PER_PAGE = 20;
const UPLOAD_MAX_SIDE = 1024;
const UPLOAD_MAX_CHARS = 1_500_000; // the API refuses bodies over 2 MB (base64 adds a third)

export class InputPanel {
  constructor(state, { onLive, onCommit }) {
    this.state = state;
    this.onLive = onLive;
    this.onCommit = onCommit;
    this.canvas = $("#pad");
    this.hint = $("#pad-hint");
    this.pad = new DrawPad(this.canvas, { lineWidth: Number($("#stroke-width").value) / 280 });
    this.samples = [];
    this.samplePage = 0;
    this.liveTimer = null;
    this.bindTools();
    this.bindUpload();
    this.pad.addEventListener("input", () => this.scheduleLive());
    this.pad.addEventListener("change", () => this.commit());
    onLangChange(() => this.renderSamples());
  }

  // ------------------------------------------------------------------ tools
  bindTools() {
    const toolButtons = $$("[data-tool]");
    const setTool = (tool) => {
      this.pad.tool = tool;
      for (const b of toolButtons) b.setAttribute("aria-pressed", String(b.dataset.tool === tool));
      this.canvas.classList.toggle("is-eraser", tool === "eraser");
    };
    for (const b of toolButtons) b.addEventListener("click", () => setTool(b.dataset.tool));
    $("#undo").addEventListener("click", () => this.pad.undo());
    $("#clear").addEventListener("click", () => this.pad.clear());
    $("#stroke-width").addEventListener("input", (e) => {
      this.pad.lineWidth = Number(e.target.value) / 280;
    });
    $("#paper").addEventListener("change", (e) => {
      this.pad.background = e.target.value;
    });
    $("#samples-more").addEventListener("click", () => {
      this.samplePage = (this.samplePage + 1) % Math.max(1, Math.ceil(this.samples.length / SAMPLES_PER_PAGE));
      this.renderSamples();
    });
    // keyboard: Ctrl/Cmd+Z undo anywhere outside text fields; on the pad, Delete clears, P/E pick the tool
    document.addEventListener("keydown", (e) => {
      const inField = e.target.closest?.("input, select, textarea");
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z" && !inField) {
        e.preventDefault();
        this.pad.undo();
      }
    });
    this.canvas.addEventListener("keydown", (e) => {
      if (e.key === "Delete" || e.key === "Backspace") {
        e.preventDefault();
        this.pad.clear();
      } else if (e.key === "p") setTool("pen");
      else if (e.key === "e") setTool("eraser");
    });
  }

  updateButtons() {
    $("#undo").disabled = !this.pad.canUndo();
    $("#clear").disabled = this.pad.isEmpty();
    this.hint.hidden = !this.pad.isEmpty();
  }

  // ------------------------------------------------------------------ sources
  currentSource() {
    if (this.pad.isEmpty()) return null;
    if (this.pad.base && !this.pad.hasStrokes() && this.pad.base.payload) return this.pad.base.payload;
    return { kind: "draw", payload: { image: this.pad.toDataURL(), preprocess: true } };
  }

  scheduleLive() {
    this.hint.hidden = true;
    if (this.liveTimer) return;
    this.liveTimer = setTimeout(() => {
      this.liveTimer = null;
      if (this.pad.pointerId === null) return; // the stroke ended meanwhile: commit() has sent the final state
      const source = this.currentSource();
      if (source) this.onLive(source);
    }, LIVE_MS);
  }

  commit() {
    clearTimeout(this.liveTimer);
    this.liveTimer = null;
    this.updateButtons();
    const source = this.currentSource();
    for (const b of $$(".sample")) {
      const active = source && source.kind === "sample" && source.sampleIndex === Number(b.dataset.index);
      b.setAttribute("aria-pressed", String(Boolean(active)));
    }
    this.onCommit(source);
  }

  // ------------------------------------------------------------------ samples
  async loadSamples() {
    try {
      const json = await get("/api/samples");
      const list = Array.isArray(json) ? json : json.samples || [];
      const samples = list
        .map((s, k) => ({ index: k, label: s.label, image: s.image || s.pixels || s.values }))
        .filter((s) => Array.isArray(s.image));
      this.samples = interleaveByLabel(samples);
      this.renderSamples();
    } catch (err) {
      $("#samples").replaceChildren(h("p", { class: "hint", text: err.message }));
    }
  }

  renderSamples() {
    const list = $("#samples");
    const start = this.samplePage * SAMPLES_PER_PAGE;
    const page = this.samples.slice(start, start + SAMPLES_PER_PAGE);
    list.replaceChildren(
      ...page.map((s) => {
        const c = h("canvas", { width: 28, height: 28 });
        const ctx = c.getContext("2d");
        const img = ctx.createImageData(28, 28);
        const k = Math.max(...s.image.flat()) > 1.5 ? 1 : 255;
        s.image.forEach((row, i) =>
          row.forEach((v, j) => {
            const p = (i * 28 + j) * 4;
            img.data[p] = img.data[p + 1] = img.data[p + 2] = Math.round(v * k);
            img.data[p + 3] = 255;
          }),
        );
        ctx.putImageData(img, 0, 0);
        const btn = h(
          "button",
          {
            type: "button",
            class: "sample",
            dataset: { index: String(s.index) },
            attrs: {
              "aria-pressed": "false",
              "aria-label": t("lab.samples.item", { label: s.label }),
            },
            on: { click: () => this.useSample(s) },
          },
          c,
          h("span", { class: "sample__label", text: String(s.label), attrs: { "aria-hidden": "true" } }),
        );
        return btn;
      }),
    );
    $("#samples-more").hidden = this.samples.length <= SAMPLES_PER_PAGE;
  }

  useSample(sample) {
    const payload = {
      kind: "sample",
      sampleIndex: sample.index,
      label: sample.label,
      payload: { image: sample.image, preprocess: true },
    };
    this.pad.setBase(digitImage(sample.image), payload);
  }

  // ------------------------------------------------------------------ upload (button, drag-and-drop)
  bindUpload() {
    const input = $("#upload");
    input.addEventListener("change", () => {
      if (input.files?.[0]) this.useFile(input.files[0]);
      input.value = "";
    });
    const frame = this.canvas.parentElement;
    const drop = $("#pad-drop");
    frame.addEventListener("dragover", (e) => {
      if (![...(e.dataTransfer.items || [])].some((i) => i.kind === "file")) return;
      e.preventDefault();
      drop.hidden = false;
    });
    frame.addEventListener("dragleave", () => {
      drop.hidden = true;
    });
    frame.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.hidden = true;
      const file = e.dataTransfer.files?.[0];
      if (file) this.useFile(file);
    });
  }

  async useFile(file) {
    if (!file.type.startsWith("image/")) {
      toast(t("lab.upload.not_image"), { error: true });
      return;
    }
    let bitmap;
    try {
      bitmap = await loadImage(file);
    } catch {
      toast(t("lab.upload.unreadable"), { error: true });
      return;
    }
    const w = bitmap.width;
    const hgt = bitmap.height;
    const k = Math.min(1, UPLOAD_MAX_SIDE / Math.max(w, hgt));
    const c = document.createElement("canvas");
    c.width = Math.max(1, Math.round(w * k));
    c.height = Math.max(1, Math.round(hgt * k));
    const ctx = c.getContext("2d");
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(bitmap, 0, 0, c.width, c.height);
    // PNG keeps transparency (drawings exported by other apps); photos travel as JPEG, much smaller
    let url = file.type === "image/png" ? c.toDataURL("image/png") : c.toDataURL("image/jpeg", 0.92);
    if (url.length > UPLOAD_MAX_CHARS) url = c.toDataURL("image/jpeg", 0.8);
    this.pad.setBase(c, { kind: "upload", name: file.name, payload: { image: url, preprocess: true } });
  }
}

/** 0, 1, …, 9, 0, 1, …: every page of samples shows every digit (the API sends them grouped by label). */
export function interleaveByLabel(samples) {
  const groups = new Map();
  for (const s of samples) {
    if (!groups.has(s.label)) groups.set(s.label, []);
    groups.get(s.label).push(s);
  }
  const queues = [...groups.keys()].sort((a, b) => a - b).map((k) => groups.get(k));
  const out = [];
  for (let round = 0; out.length < samples.length; round++)
    for (const q of queues) if (round < q.length) out.push(q[round]);
  return out;
}

function loadImage(file) {
  if (typeof createImageBitmap === "function") return createImageBitmap(file, { imageOrientation: "from-image" });
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      URL.revokeObjectURL(url);
      resolve(img);
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error("unreadable"));
    };
    img.src = url;
  });
}
