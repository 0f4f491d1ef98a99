/**
 * Following a training job live: its Server-Sent Events (GET /api/train/{id}/events).
 *
 *   const stream = new JobStream(jobId, {
 *     onEvent: (kind, data) => {},        // "state" | "batch" | "epoch" | "snapshot", in order, each once
 *     onEnd: (status) => {},              // the final event: the job's whole status; the stream is then closed
 *     onConnection: (connected) => {},    // false while the connection is lost (the browser reconnects by itself)
 *     onGone: () => {},                   // the server refused the stream (job unknown or expired)
 *   });
 *   stream.open(); stream.close();
 *
 * A dropped connection resumes exactly where it stopped: EventSource reconnects on its own and sends the last
 * event number it received (Last-Event-ID), and the server replays what came after. Numbers already seen are
 * ignored, so nothing is ever drawn twice.
 */
import { getLang } from "../../lib/i18n.js";

const KINDS = ["state", "batch", "epoch", "snapshot"];

export class JobStream {
  constructor(jobId, { onEvent, onEnd, onConnection = () => {}, onGone = () => {} }) {
    this.jobId = jobId;
    this.handlers = { onEvent, onEnd, onConnection, onGone };
    this.lastSeq = 0;
    this.source = null;
    this.connected = null;
  }

  open() {
    this.close();
    const url = `/api/train/${encodeURIComponent(this.jobId)}/events?since=${this.lastSeq}&lang=${getLang()}`;
    const source = new EventSource(url);
    this.source = source;
    const accept = (message) => {
      const seq = Number(message.lastEventId);
      if (!(seq > this.lastSeq)) return null;
      this.lastSeq = seq;
      this.setConnected(true);
      return JSON.parse(message.data);
    };
    for (const kind of KINDS) {
      source.addEventListener(kind, (message) => {
        const data = accept(message);
        if (data) this.handlers.onEvent(kind, data);
      });
    }
    source.addEventListener("end", (message) => {
      const data = accept(message);
      this.close();
      if (data) this.handlers.onEnd(data);
    });
    source.addEventListener("open", () => this.setConnected(true));
    source.addEventListener("error", () => {
      if (this.source !== source) return;
      if (source.readyState === EventSource.CLOSED) {
        this.source = null;
        this.handlers.onGone();
      } else {
        this.setConnected(false);
      }
    });
  }

  setConnected(connected) {
    if (this.connected === connected) return;
    this.connected = connected;
    this.handlers.onConnection(connected);
  }

  close() {
    if (this.source) this.source.close();
    this.source = null;
  }
}
