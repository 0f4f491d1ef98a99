// English strings of the multilayer perceptron page (/mlp); same keys as mlp.fr.js (a browser test checks it).
// Registered by mlp.messages.js through lib/i18n.js addMessages(). Placeholders: {name}.
export default {
  "mlp.title": "Layers of neurons",
  "mlp.heading": "Layers of neurons: the multilayer perceptron",
  "mlp.intro":
    "One neuron draws one straight line. XOR and two circles cannot be split by a line: a hidden layer of neurons, each drawing its own line, can bend the boundary. Then the chain rule carries the error back through the layers.",
  "mlp.chapter":
    "Follows the course's chapter « Le Perceptron », part « Vers les réseaux de neurones » (forward propagation, back propagation, annexes 3 and 4).",

  "mlp.train.title": "Where one neuron fails",
  "mlp.train.dataset": "Data",
  "mlp.train.xor": "XOR",
  "mlp.train.circles": "two circles",
  "mlp.train.hidden": "Hidden layer",
  "mlp.train.units": "{n} units",
  "mlp.train.none": "none (one neuron)",
  "mlp.train.eta": "η",
  "mlp.train.epochs": "Steps",
  "mlp.train.seed": "Seed",
  "mlp.train.go": "Train",
  "mlp.train.running": "Training…",
  "mlp.train.result":
    "After {epochs} steps of gradient descent (η = {eta}): accuracy {acc}, loss {loss}. One neuron trained the same way: accuracy {acc1}, loss {loss1}.",
  "mlp.train.plane": "The network's output over the plane, the points and the hidden units' lines",
  "mlp.train.text":
    "Background: the network's output A^[L] (red: class 1, blue: class 0); dashed lines: where each unit of the first hidden layer has z = 0.",
  "mlp.train.curve": "loss",
  "mlp.train.step": "step",

  "mlp.units.title": "Each hidden unit draws a line",
  "mlp.units.text":
    "Each unit of the first hidden layer is a neuron of the previous page: σ(w1·x1 + w2·x2 + b), one straight boundary. The output neuron then combines these half-planes: for XOR, for instance, one unit can say 'at least one input is 1' and another 'both are 1', and the output 'the first but not the second'.",
  "mlp.units.unit": "unit {k}: {w1}·x1 + {w2}·x2 + {b}",
  "mlp.units.none": "No hidden layer: the network is one neuron, one line.",

  "mlp.bp.title": "Backpropagation with numbers: the course's recurrence",
  "mlp.bp.text":
    "The four points of XOR as the columns of X = A^[0] (2 × 4, the course's layout), a network 2 → 2 → 1 of sigmoids. Forward, then back: dZ^[2] = A^[2] − y, then dZ^[1] = (W^[2]ᵀ·dZ^[2]) ⊙ A^[1](1 − A^[1]), and for each layer ∂L/∂W = (1/m)·dZ·A^[l−1]ᵀ, ∂L/∂b = (1/m)·Σ dZ. Every matrix is recomputed here and checked against the server.",
  "mlp.bp.step": "One step",
  "mlp.bp.run": "100 steps",
  "mlp.bp.reset": "Back to the start",
  "mlp.bp.status": "Step {k}: L = {loss} → {next} after this step.",
  "mlp.bp.forward": "Forward",
  "mlp.bp.backward": "Backward",
  "mlp.bp.col": "point {k}",

  "mlp.digits.title": "The course's MLP on handwritten digits",
  "mlp.digits.text":
    "The chapter's annex trains reseau_de_neurone with hidden_layers = (16, 16, 16): on 28 × 28 digits, 784 → 16 → 16 → 16 → 10 with sigmoids (ten outputs and a softmax here, one per digit). ConvStep ships it trained on the 5,000 training digits: open it in the drawing lab to follow every forward and backward number, step through it, or train it yourself.",
  "mlp.digits.lab": "The MLP in the drawing lab",
  "mlp.digits.steps": "Step by step through the MLP",
  "mlp.digits.train": "Train it live",

  "mlp.errata.title": "The chapter's slips (the multilayer part)",
  "mlp.errata.text": "What the chapter writes, the correct form, and why, each shown on numbers.",
  "mlp.next": "Next: the CNN, in the drawing lab →",
};
