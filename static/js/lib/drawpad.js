/**
 * The drawing canvas: mouse, touch and pen through pointer events, smooth strokes (quadratic curves through the
 * midpoints of the samples, plus the browser's coalesced events), pen and eraser, undo (every action, clear included),
 * a stroke-width control, and an optional base image under the ink (a sample digit or a photo).
 *
 *   const pad = new DrawPad(canvas, { background: "white" | "transparent", ink: "#111", lineWidth: 18 / 280 });
 *   pad.addEventListener("input", …)    // while the pen moves (at most once per animation frame)
 *   pad.addEventListener("change", …)   // a stroke ended, undo, clear, a new base image
 *   pad.tool = "pen" | "eraser";  pad.lineWidth = 0.06;  // fraction of the pad's side, so any display size draws alike
 *   pad.undo(); pad.clear(); pad.isEmpty(); pad.hasStrokes();
 *   pad.setBase(imageSource, payload)    // image under the ink; payload: what to send instead while nothing is drawn
 *   pad.toDataURL(280)                   // PNG of the drawing at 280×280 (white paper + dark ink, or transparent)
 *
 * Strokes are stored in normalised coordinates (0..1) and re-rendered, so the pad can be resized (phone rotation,
 * projector) without losing anything and the exported picture does not depend on the screen size.
 * The canvas needs `touch-action: none` in CSS (static/css/lab.css) so that drawing does not scroll the page.
 */

const DEFAULTS = { background: "white", ink: "#111827", lineWidth: 18 / 280, exportSize: 280, maxHistory: 100 };

export class DrawPad extends EventTarget {
  constructor(canvas, options = {}) {
    super();
    this.canvas = canvas;
    this.opts = { ...DEFAULTS, ...options };
    this.tool = "pen";
    this.lineWidth = this.opts.lineWidth;
    this.strokes = []; // [{tool, width, points: [[x, y], …]}]
    this.base = null; // {image, payload}
    this.history = []; // previous {strokes, base} states, for undo
    this.current = null;
    this.pointerId = null;
    this.framePending = false;
    this.ink = document.createElement("canvas"); // ink layer: base image + strokes; the eraser cuts through it
    this.bind();
    this.resize();
    if (typeof ResizeObserver !== "undefined") {
      this.observer = new ResizeObserver(() => this.resize());
      this.observer.observe(canvas);
    }
  }

  // ------------------------------------------------------------------ state
  isEmpty() {
    return this.strokes.length === 0 && !this.base;
  }

  hasStrokes() {
    return this.strokes.length > 0;
  }

  canUndo() {
    return this.history.length > 0;
  }

  snapshot() {
    this.history.push({ strokes: this.strokes, base: this.base });
    if (this.history.length > this.opts.maxHistory) this.history.shift();
  }

  undo() {
    const prev = this.history.pop();
    if (!prev) return;
    this.strokes = prev.strokes;
    this.base = prev.base;
    this.render();
    this.emit("change");
  }

  clear() {
    if (this.isEmpty()) return;
    this.snapshot();
    this.strokes = [];
    this.base = null;
    this.render();
    this.emit("change");
  }

  /** Put an image under the ink (the strokes are cleared; undo brings them back). */
  setBase(image, payload = null) {
    this.snapshot();
    this.strokes = [];
    this.base = { image, payload };
    this.render();
    this.emit("change");
  }

  set background(value) {
    this.opts.background = value;
    this.render();
    this.emit("change");
  }

  get background() {
    return this.opts.background;
  }

  emit(type) {
    this.dispatchEvent(new Event(type));
  }

  // ------------------------------------------------------------------ pointer input
  bind() {
    const c = this.canvas;
    c.addEventListener("pointerdown", (e) => this.onDown(e));
    c.addEventListener("pointermove", (e) => this.onMove(e));
    c.addEventListener("pointerup", (e) => this.onUp(e));
    c.addEventListener("pointercancel", (e) => this.onUp(e));
    c.addEventListener("lostpointercapture", (e) => this.onUp(e));
    c.addEventListener("contextmenu", (e) => e.preventDefault());
  }

  point(e) {
    const rect = this.canvas.getBoundingClientRect();
    return [(e.clientX - rect.left) / rect.width, (e.clientY - rect.top) / rect.height];
  }

  onDown(e) {
    if (this.pointerId !== null || (e.pointerType === "mouse" && e.button !== 0)) return;
    e.preventDefault();
    this.pointerId = e.pointerId;
    try {
      this.canvas.setPointerCapture(e.pointerId);
    } catch {
      /* synthetic events cannot be captured; drawing still works */
    }
    this.snapshot();
    // the pen's eraser end (button 5) erases too
    const tool = e.button === 5 || e.buttons === 32 ? "eraser" : this.tool;
    this.current = { tool, width: this.lineWidth * (tool === "eraser" ? 1.6 : 1), points: [this.point(e)] };
    this.strokes = [...this.strokes, this.current];
    this.requestFrame();
  }

  onMove(e) {
    if (e.pointerId !== this.pointerId || !this.current) return;
    const events = typeof e.getCoalescedEvents === "function" ? e.getCoalescedEvents() : [];
    for (const ev of events.length ? events : [e]) this.current.points.push(this.point(ev));
    this.requestFrame();
  }

  onUp(e) {
    if (e.pointerId !== this.pointerId) return;
    this.pointerId = null;
    if (!this.current) return;
    this.current = null;
    this.render();
    this.emit("change");
  }

  requestFrame() {
    if (this.framePending) return;
    this.framePending = true;
    requestAnimationFrame(() => {
      this.framePending = false;
      this.render();
      this.emit("input");
    });
  }

  // ------------------------------------------------------------------ rendering
  resize() {
    const dpr = Math.min(window.devicePixelRatio || 1, 3);
    const w = Math.max(1, Math.round(this.canvas.clientWidth * dpr)) || this.opts.exportSize;
    const hgt = Math.max(1, Math.round(this.canvas.clientHeight * dpr)) || this.opts.exportSize;
    if (this.canvas.width !== w || this.canvas.height !== hgt) {
      this.canvas.width = w;
      this.canvas.height = hgt;
    }
    this.render();
  }

  render() {
    this.paint(this.canvas, true);
  }

  /** Paint background, base image and strokes into target (a canvas of any size). */
  paint(target, onScreen = false) {
    const W = target.width;
    const H = target.height;
    const ink = this.ink;
    if (ink.width !== W || ink.height !== H) {
      ink.width = W;
      ink.height = H;
    }
    const ictx = ink.getContext("2d");
    ictx.clearRect(0, 0, W, H);
    if (this.base) {
      const img = this.base.image;
      const iw = img.width || img.naturalWidth;
      const ih = img.height || img.naturalHeight;
      const k = Math.min(W / iw, H / ih);
      ictx.imageSmoothingEnabled = true;
      ictx.imageSmoothingQuality = "high";
      ictx.drawImage(img, (W - iw * k) / 2, (H - ih * k) / 2, iw * k, ih * k);
    }
    for (const stroke of this.strokes) this.drawStroke(ictx, stroke, W, H);
    const ctx = target.getContext("2d");
    ctx.clearRect(0, 0, W, H);
    if (this.opts.background === "white") {
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, W, H);
    } else if (onScreen) {
      // show transparency as a light checkerboard on screen only (the exported PNG stays transparent)
      const s = Math.max(8, Math.round(W / 28));
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, W, H);
      ctx.fillStyle = "#eef0f5";
      for (let y = 0; y < H; y += s) for (let x = (y / s) % 2 ? s : 0; x < W; x += 2 * s) ctx.fillRect(x, y, s, s);
    }
    ctx.drawImage(ink, 0, 0);
  }

  drawStroke(ctx, stroke, W, H) {
    const pts = stroke.points;
    const lw = stroke.width * Math.min(W, H);
    ctx.save();
    ctx.globalCompositeOperation = stroke.tool === "eraser" ? "destination-out" : "source-over";
    ctx.strokeStyle = this.opts.ink;
    ctx.fillStyle = this.opts.ink;
    ctx.lineWidth = lw;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    if (pts.length === 1) {
      ctx.beginPath();
      ctx.arc(pts[0][0] * W, pts[0][1] * H, lw / 2, 0, Math.PI * 2);
      ctx.fill();
    } else {
      ctx.beginPath();
      ctx.moveTo(pts[0][0] * W, pts[0][1] * H);
      for (let i = 1; i < pts.length - 1; i++) {
        const mx = ((pts[i][0] + pts[i + 1][0]) / 2) * W;
        const my = ((pts[i][1] + pts[i + 1][1]) / 2) * H;
        ctx.quadraticCurveTo(pts[i][0] * W, pts[i][1] * H, mx, my);
      }
      const last = pts[pts.length - 1];
      ctx.lineTo(last[0] * W, last[1] * H);
      ctx.stroke();
    }
    ctx.restore();
  }

  /** The drawing as a PNG data URL, size×size pixels, independent of the on-screen size. */
  toDataURL(size = this.opts.exportSize) {
    const out = document.createElement("canvas");
    out.width = size;
    out.height = size;
    this.paint(out, false);
    return out.toDataURL("image/png");
  }
}

/** A 28×28 MNIST digit (light ink on black, values 0..1 or 0..255) as dark ink with alpha, for the pad's base. */
export function digitImage(rows, ink = [17, 24, 39]) {
  const hgt = rows.length;
  const w = rows[0].length;
  let max = 0;
  for (const r of rows) for (const v of r) max = Math.max(max, v);
  const k = max > 1.5 ? 255 : 1;
  const c = document.createElement("canvas");
  c.width = w;
  c.height = hgt;
  const ctx = c.getContext("2d");
  const img = ctx.createImageData(w, hgt);
  for (let i = 0; i < hgt; i++) {
    for (let j = 0; j < w; j++) {
      const p = (i * w + j) * 4;
      img.data[p] = ink[0];
      img.data[p + 1] = ink[1];
      img.data[p + 2] = ink[2];
      img.data[p + 3] = Math.round(Math.max(0, Math.min(1, rows[i][j] / k)) * 255);
    }
  }
  ctx.putImageData(img, 0, 0);
  return c;
}
