/**
 * Talking to the ConvStep REST API.
 *
 *   api(path, {method, body, query, signal, headers})  -> parsed JSON (or null for a 204); throws ApiError with a message a student understands,
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
 *
 * Traces (POST /api/forward, /api/backward) are light on the wire, for 30 phones on one access point: they come
 * packed (lib/tensor.js unpacks them: callers get the plain JSON), and the weights, which never change, come
 * once per model (see traceRequest / traceAnswer); a convolution's output comes as small corrections to what its
 * input and those weights predict. About 12 kB per drawing update instead of 80.
 */
import { getLang, t } from "./i18n.js";
import { PACKED_MEDIA_TYPE, StaleWeightsError, unpackArrays } from "./tensor.js";

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

// ------------------------------------------------------------------------------------------------ traces
const TRACE_PATHS = new Set(["/api/forward", "/api/backward"]);
// model id ("" for the server's default) -> {layer name: {param: values}} from the first forward answer
const weightsByModel = new Map();

/** The body to send: a forward skips the weights once they are known; a backward never needs its params_after
 * (no page shows them; they are the weights plus the deltas it does show). An explicit include_params wins, but
 * for a forward only once the weights are known: its packed convolutions are rebuilt from them (lib/tensor.js). */
function traceRequest(path, body) {
  const known = weightsByModel.has(body.model ?? "");
  if (path === "/api/forward" && body.include_params === false && !known) return { ...body, include_params: true };
  if (body.include_params !== undefined) return body;
  if (path === "/api/backward") return { ...body, include_params: false };
  return known ? { ...body, include_params: false } : body;
}

/** Remember the weights a forward answer brought, or put them back into one that came without. */
function traceAnswer(path, body, json) {
  if (path !== "/api/forward" || !Array.isArray(json.layers)) return json;
  const key = body.model ?? "";
  const known = weightsByModel.get(key);
  if (!known) {
    const weights = {};
    for (const layer of json.layers) {
      weights[layer.name] = {};
      for (const [name, p] of Object.entries(layer.params || {})) weights[layer.name][name] = p.values;
    }
    if (json.layers.some((l) => Object.values(l.params || {}).some((p) => p.values !== null))) {
      weightsByModel.set(key, weights);
      weightsByModel.set(json.model, weights);
    }
    return json;
  }
  for (const layer of json.layers)
    for (const [name, p] of Object.entries(layer.params || {}))
      if (p.values === null && known[layer.name]?.[name] != null) p.values = known[layer.name][name];
  return json;
}

export async function api(path, { method = "GET", body, query, signal, headers: extraHeaders } = {}) {
  const trace = method === "POST" && TRACE_PATHS.has(path) && body !== undefined;
  if (trace) body = traceRequest(path, body);
  const accept = trace ? `${PACKED_MEDIA_TYPE}, application/json;q=0.9` : "application/json";
  const headers = { Accept: accept, "Accept-Language": getLang(), ...extraHeaders };
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
  if (type.includes(PACKED_MEDIA_TYPE)) {
    // a convolution's output may come as residuals from what the weights predict: the weights kept from before;
    // if the model's weights changed since, forget them and ask again with the weights
    try {
      payload = unpackArrays(payload, weightsByModel.get(body?.model ?? "") ?? null);
    } catch (err) {
      if (!(err instanceof StaleWeightsError) || body?.include_params !== false) throw err;
      weightsByModel.delete(body.model ?? "");
      weightsByModel.delete(payload.model);
      return api(path, { method, body: { ...body, include_params: true }, query, signal, headers: extraHeaders });
    }
  }
  return trace ? traceAnswer(path, body, payload) : payload;
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
