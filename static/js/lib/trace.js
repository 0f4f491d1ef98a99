/**
 * The JSON of /api/forward and /api/backward turned into Tensors (lib/tensor.js), once, when it arrives.
 *
 * forward  -> {model, input (C,H,W), preprocessing[], layers[{index, name, type, formula, config, geometry,
 *              inputShape, outputShape, output, params {K|W|b}, extra}], logits, probabilities, label, raw}
 * backward -> {label, target, loss, probabilities, dLdz, gradImage, layers[{…, gradOutput, gradInput, grads}],
 *              sgd {learningRate, steps, before, after, lossBefore, lossAfter, history[], deltas {layer: {K|W|b}}}, raw}
 *
 * "Columns" are what the overview and the detail views walk over: the input first (index −1), then every layer.
 */
import { Tensor } from "./tensor.js";

function asImage(value) {
  const t = Tensor.from(value);
  // a 2-D (H, W) image becomes (1, H, W): every map is (C, H, W)
  return t && t.ndim === 2 ? new Tensor(t.data, [1, ...t.shape]) : t;
}

function tensors(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj || {})) out[k] = Tensor.from(v);
  return out;
}

export function normalizeForward(json) {
  const layers = json.layers.map((l) => ({
    index: l.index,
    name: l.name,
    type: l.type,
    formula: l.formula,
    config: l.config || {},
    geometry: l.geometry || null,
    inputShape: l.input_shape,
    outputShape: l.output_shape,
    output: Tensor.from(l.output),
    params: tensors(l.params),
    extra: {
      ...l.extra,
      argmax: l.extra?.argmax ? Tensor.from(l.extra.argmax) : null,
    },
  }));
  return {
    model: json.model,
    input: asImage(json.input),
    inputShape: json.input_shape,
    preprocessing: json.preprocessing || [],
    layers,
    logits: json.logits || null,
    probabilities: json.probabilities,
    label: json.label,
    raw: json,
  };
}

export function normalizeBackward(json) {
  const sgd = json.sgd_step || {};
  const deltas = {};
  for (const [layer, params] of Object.entries(sgd.deltas || {})) deltas[layer] = tensors(params);
  return {
    model: json.model,
    label: json.label,
    target: json.target,
    loss: json.loss,
    probabilities: json.probabilities,
    dLdz: json.dL_dz,
    gradImage: asImage(json.grad_image),
    layers: json.layers.map((l) => ({
      index: l.index,
      name: l.name,
      type: l.type,
      gradOutput: Tensor.from(l.grad_output),
      gradInput: Tensor.from(l.grad_input),
      grads: tensors(l.grads),
    })),
    sgd: {
      learningRate: sgd.learning_rate,
      steps: sgd.steps,
      before: sgd.probabilities_before,
      after: sgd.probabilities_after,
      lossBefore: sgd.loss_before,
      lossAfter: sgd.loss_after,
      history: sgd.history || [],
      deltas,
    },
    raw: json,
  };
}

/** The input column followed by one column per layer. */
export function columns(forward) {
  const input = {
    index: -1,
    name: "input",
    type: "input",
    formula: "",
    geometry: null,
    outputShape: forward.input.shape,
    output: forward.input,
    params: {},
    extra: {},
  };
  return [input, ...forward.layers];
}

/** What goes into layer `index` (the network input for the first layer). */
export function layerInput(forward, index) {
  return index <= 0 ? forward.input : forward.layers[index - 1].output;
}

/** The gradient column matching a forward column: dL/d(output of the layer), dL/d(input image) for the input. */
export function gradientOf(backward, index) {
  if (!backward) return null;
  if (index < 0) return backward.gradImage;
  const layer = backward.layers[index];
  return layer ? layer.gradOutput : null;
}

/** Is this tensor a stack of maps (C, H, W) rather than a vector? */
export const isMaps = (tensor) => tensor && tensor.ndim === 3;
