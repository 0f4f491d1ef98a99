/**
 * The lesson of /steps for one digit: the list of steps, built by walking the model's layers.
 *
 *   buildSteps(ctx) -> [{id, phase, layer?, title(), render({visual, text, formulas})}]
 *
 * Forward: input → preprocessing → first convolution (one filter sliding, then all its maps) → activation →
 * pooling → later convolutions (channels summed) → … → flatten → each dense layer (one neuron, its activation)
 * → softmax. Backward: loss → ŷ − y → ∂L/∂W, ∂L/∂b of the last dense layer → Wᵀ·∂L/∂z down to the flattened
 * vector → for each block, from the top: back through pooling (+ its activation), ∂L/∂K, ∂L/∂X → the SGD update
 * → its effect. LeNet gives 25 steps, the course's one-filter model 17: any stack of these layers works.
 *
 * neuronsFor(F) -> {layer: k}: the neuron each dense step follows (the most active one; the predicted class for the
 * last layer), so that the page can fetch the W rows the trace does not inline before the lesson starts.
 */
import {
  activationMapStep,
  convChannelsStep,
  convMapsStep,
  convSlideStep,
  denseStep,
  flattenStep,
  inputStep,
  poolStep,
  prepStep,
  softmaxStep,
} from "./forward.js";
import {
  convInputGradStep,
  convKernelGradStep,
  denseBackStep,
  denseGradStep,
  hiddenDenseStep,
  dzStep,
  effectStep,
  lossStep,
  poolBackStep,
  sgdStep,
} from "./backward.js";
import { argmaxOf } from "../../lib/argmax.js";

const ACTIVATIONS = new Set(["relu", "leaky_relu", "elu", "sigmoid", "tanh"]);
const POOLS = new Set(["maxpool", "avgpool", "sumpool"]);

export function neuronsFor(F) {
  // the largest z: the most active unit of a hidden layer, the predicted class for the last one
  return Object.fromEntries(F.layers.filter((l) => l.type === "dense").map((L) => [L.name, argmaxOf(L.output.data)]));
}

export function buildSteps(ctx) {
  const layers = ctx.F.layers;
  const steps = [inputStep(ctx), prepStep(ctx)];
  const denseIdx = layers.map((l, i) => (l.type === "dense" ? i : -1)).filter((i) => i >= 0);
  const lastDense = denseIdx.length ? denseIdx[denseIdx.length - 1] : -1;

  // ---- forward
  layers.forEach((L, i) => {
    const prev = layers[i - 1];
    if (L.type === "conv2d") {
      if (L.inputShape[0] === 1) {
        steps.push(convSlideStep(ctx, i));
        if (L.outputShape[0] > 1) steps.push(convMapsStep(ctx, i));
      } else {
        steps.push(convChannelsStep(ctx, i));
      }
    } else if (ACTIVATIONS.has(L.type) && L.outputShape.length === 3 && prev && prev.type === "conv2d") {
      steps.push(activationMapStep(ctx, i));
    } else if (POOLS.has(L.type)) {
      steps.push(poolStep(ctx, i));
    } else if (L.type === "flatten") {
      steps.push(flattenStep(ctx, i));
    } else if (L.type === "dense") {
      steps.push(denseStep(ctx, i, { last: i === lastDense }));
    } else if (L.type === "softmax") {
      steps.push(softmaxStep(ctx, i));
    }
  });
  if (!ctx.B) return steps;

  // ---- backward
  steps.push(lossStep(ctx), dzStep(ctx));
  if (lastDense >= 0) steps.push(denseGradStep(ctx, lastDense));
  const flattenIndex = layers.findIndex((l) => l.type === "flatten");
  // a dense-only network (the perceptron chapter's MLP): each hidden layer, top down, with the course's recurrence
  // dZ^[l] = (W^[l+1]ᵀ·dZ^[l+1]) ⊙ f′(Z^[l]); a CNN's lesson keeps its length (the convolutions are its subject)
  const denseOnly = !layers.some((l) => l.type === "conv2d");
  for (let q = denseOnly ? denseIdx.length - 2 : -1; q >= 0; q--) {
    const i = denseIdx[q];
    if (i < flattenIndex) continue;
    let act = null;
    for (let k = i + 1; k < denseIdx[q + 1]; k++) if (ACTIVATIONS.has(layers[k].type)) act = k;
    steps.push(hiddenDenseStep(ctx, i, act, denseIdx[q + 1]));
  }
  if (lastDense >= 0) steps.push(denseBackStep(ctx, lastDense, flattenIndex));
  const consumed = new Set();
  for (let i = (flattenIndex >= 0 ? flattenIndex : layers.length) - 1; i >= 0; i--) {
    const L = layers[i];
    if (consumed.has(i)) continue;
    if (POOLS.has(L.type)) {
      const below = i > 0 && ACTIVATIONS.has(layers[i - 1].type) ? i - 1 : null;
      if (below !== null) consumed.add(below);
      steps.push(poolBackStep(ctx, i, below));
    } else if (L.type === "conv2d") {
      steps.push(convKernelGradStep(ctx, i));
      if (i > 0) steps.push(convInputGradStep(ctx, i));
    }
  }
  steps.push(sgdStep(ctx), effectStep(ctx));
  return steps;
}
