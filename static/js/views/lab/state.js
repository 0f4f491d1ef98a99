/**
 * The drawing lab's state, in one place. Components read `state.x` and subscribe to the keys they show:
 *
 *   state.on("forward", (value) => render(value));
 *   state.set({ mode: "backward" });          // notifies "mode" listeners (only keys whose value changed)
 *
 * Keys
 *   models, modelId          available models (GET /api/models) and the one in use
 *   source                   what is analysed: {kind: "draw"|"sample"|"upload", payload: {image, preprocess}, label?}
 *   forward, backward        normalised traces (views/lab/trace.js) of the current source
 *   busy, error              request state for the status line
 *   mode                     "forward" | "backward"
 *   label                    true label chosen for the backward pass (null: follow the prediction)
 *   learningRate, sgdSteps   the SGD preview: η and how many steps were taken (0: none yet)
 *   norm                     colour normalisation: "map" | "layer" | "global"
 *   selection                {index (−1 = input), channel, pos: {i, j} | null}
 */
export class LabState {
  constructor(initial) {
    this.listeners = new Map();
    Object.assign(this, initial);
  }

  on(key, fn) {
    if (!this.listeners.has(key)) this.listeners.set(key, new Set());
    this.listeners.get(key).add(fn);
    return () => this.listeners.get(key).delete(fn);
  }

  set(patch) {
    const changed = [];
    for (const [k, v] of Object.entries(patch)) {
      if (this[k] !== v) {
        this[k] = v;
        changed.push(k);
      }
    }
    for (const k of changed) for (const fn of this.listeners.get(k) || []) fn(this[k], this);
    return changed;
  }

  /** The label the backward pass uses: the chosen one, else the predicted one. */
  get trueLabel() {
    if (this.label !== null && this.label !== undefined) return this.label;
    return this.forward ? this.forward.label : null;
  }
}
