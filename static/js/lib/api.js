/**
 * Talking to the ConvStep REST API.
 *
 *   api(path, {method, body, query, signal, headers})
 *                                           -> parsed JSON (null for a 204); throws ApiError with a message a student understands,
 *                                                in the current language (the API localises its errors from our
 *                                                Accept-Language header; network failures are translated here)
 *   get(path, opts) / post(path, body, opts)   shorthands
 *   isAbort(err)                               true for a request we cancelled ourselves (callers ignore it)
 *   LatestOnly                                 a newer request aborts (supersedes) the older one:
 *                                                const detail = new LatestOnly();
 *                                                const json = await detail.run((signal) => get(url, {signal}));
 *   Coalescer                                  live updates while the pen moves: at most ONE request in flight;
 *                                              states pushed meanwhile replace each other, and only the latest is
 *                                              sent when the in-flight one returns (nothing queues up)
 */
import { getLang, t } from "./i18n.js";

export class ApiError extends Error {
  constructor(message, { status = 0, code = "error", detail = null, retryAfter = null } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.retryAfter = retryAfter; // seconds, from a 429/503's Retry-After header (null without one)
  }
}

export const isAbort = (err) => err && (err.name === "AbortError" || err.code === "aborted");

function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}${path.includes("?") ? "&" : "?"}${qs}` : path;
}

export async function api(path, { method = "GET", body, query, signal, headers: extra = {} } = {}) {
  const headers = { ...extra, Accept: "application/json", "Accept-Language": getLang() };
  const init = { method, headers, signal, credentials: "same-origin" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(withQuery(path, query), init);
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(t("api.offline"), { code: "network" });
  }
  let payload = null;
  const type = response.headers.get("content-type") || "";
  if (type.includes("json")) {
    try {
      payload = await response.json();
    } catch (err) {
      if (isAbort(err)) throw err;
      payload = null;
    }
  }
  if (!response.ok) {
    const error = payload?.error;
    let message = error?.message;
    if (!message)
      message = response.status === 413 ? t("api.too_large") : t("api.http_error", { status: response.status });
    const retryAfter = Number.parseInt(response.headers.get("retry-after") || "", 10);
    throw new ApiError(message, {
      status: response.status,
      code: error?.code || `http_${response.status}`,
      detail: error?.detail,
      retryAfter: Number.isFinite(retryAfter) ? retryAfter : null,
    });
  }
  if (response.status === 204) return null;
  if (payload === null) throw new ApiError(t("api.bad_response"), { status: response.status, code: "bad_response" });
  return payload;
}

export const get = (path, opts = {}) => api(path, { ...opts, method: "GET" });
export const post = (path, body, opts = {}) => api(path, { ...opts, method: "POST", body });

/** A newer request aborts the previous one: for user actions whose old answers are useless once superseded. */
export class LatestOnly {
  constructor() {
    this.controller = null;
  }

  run(fn) {
    this.abort();
    const controller = new AbortController();
    this.controller = controller;
    return fn(controller.signal).finally(() => {
      if (this.controller === controller) this.controller = null;
    });
  }

  abort() {
    if (this.controller) this.controller.abort();
    this.controller = null;
  }

  get busy() {
    return this.controller !== null;
  }
}

/**
 * At most one request in flight; intermediate states are dropped, the latest one is always sent.
 *
 *   const live = new Coalescer((state, signal) => post("/api/forward", state, {signal}), {
 *     onResult: (json, state) => render(json), onError: (err) => show(err), onBusyChange: (busy) => spinner(busy)
 *   });
 *   live.push(stateA); live.push(stateB); live.push(stateC);   // sends A, then C when A returns (B is dropped)
 *
 * Results arrive in the order the states were pushed; cancel() forgets the pending state, aborts the in-flight
 * request and ignores its answer.
 */
export class Coalescer {
  constructor(task, { onResult = () => {}, onError = () => {}, onBusyChange = () => {} } = {}) {
    this.task = task;
    this.onResult = onResult;
    this.onError = onError;
    this.onBusyChange = onBusyChange;
    this.pending = null;
    this.hasPending = false;
    this.inFlight = null; // {controller, generation}
    this.generation = 0;
    this.sent = 0; // how many requests were really sent (tests and the status line read it)
  }

  push(state) {
    if (this.inFlight) {
      this.pending = state;
      this.hasPending = true;
      return;
    }
    this.start(state);
  }

  start(state) {
    const controller = new AbortController();
    const generation = this.generation;
    this.inFlight = { controller, generation };
    this.sent += 1;
    this.onBusyChange(true);
    Promise.resolve()
      .then(() => this.task(state, controller.signal))
      .then(
        (result) => {
          if (generation === this.generation) this.onResult(result, state);
        },
        (err) => {
          if (generation === this.generation && !isAbort(err)) this.onError(err, state);
        },
      )
      .finally(() => {
        if (this.inFlight && this.inFlight.controller === controller) this.inFlight = null;
        if (this.hasPending && !this.inFlight) {
          const next = this.pending;
          this.pending = null;
          this.hasPending = false;
          this.start(next);
        } else if (!this.inFlight) {
          this.onBusyChange(false);
        }
      });
  }

  cancel() {
    this.generation += 1;
    this.pending = null;
    this.hasPending = false;
    if (this.inFlight) this.inFlight.controller.abort();
    this.inFlight = null;
    this.onBusyChange(false);
  }

  get busy() {
    return this.inFlight !== null;
  }
}
