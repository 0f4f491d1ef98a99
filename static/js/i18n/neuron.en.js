// English strings of the one-neuron page (/neuron); same keys as neuron.fr.js (a browser test checks it).
// Registered by neuron.messages.js through lib/i18n.js addMessages(). Placeholders: {name}.
export default {
  "neuron.title": "One neuron",
  "neuron.heading": "One neuron: the perceptron that learns",
  "neuron.intro":
    "Before the convolutions, one artificial neuron: it weighs its inputs, adds a bias, squashes the result into a probability, and learns its weights by gradient descent. Every number below is computed here and checked against the server.",
  "neuron.chapter":
    "Follows the course's chapter « Le Perceptron » (formal neuron, sigmoid, log loss, gradient descent, the case study).",

  // 1. the data
  "neuron.data.title": "Two clouds of points",
  "neuron.data.text":
    "Each point is a sample x = (x1, x2) with its class y: blue for 0, red for 1. The line is where the neuron hesitates: w1·x1 + w2·x2 + b = 0 (z = 0, σ(z) = 0.5); dashed, where it was one step before. The background shows σ(z), the neuron's probability of class 1.",
  "neuron.data.add_class": "Clicking adds a point of class",
  "neuron.data.class0": "0 (blue)",
  "neuron.data.class1": "1 (red)",
  "neuron.data.add_at": "Or add the point",
  "neuron.data.add": "Add",
  "neuron.data.new": "New clouds",
  "neuron.data.reset": "Start again",
  "neuron.data.count": "{m} points: {n0} of class 0, {n1} of class 1.",
  "neuron.data.plane": "The plane (x1, x2): {m} points and the neuron's boundary",

  // 2. Heaviside and sigmoid
  "neuron.outputs.title": "Heaviside or sigmoid: the neuron's output",
  "neuron.outputs.text":
    "The formal neuron answers with a step: H(z) = 1 if z ≥ 0, else 0. The perceptron of the course uses the sigmoid σ(z) = 1/(1 + e^(−z)) instead: the same decision at 0.5, but a smooth probability whose derivative σ(z)(1 − σ(z)) is never 0, so gradient descent can tell in which direction to move the weights. The step's derivative is 0 everywhere (undefined at 0): it gives the descent nothing.",
  "neuron.outputs.point": "Point {k}: z = {z}, H(z) = {h}, σ(z) = {a}, class y = {y}",
  "neuron.outputs.heaviside": "Heaviside H(z)",
  "neuron.outputs.sigmoid": "Sigmoid σ(z)",
  "neuron.outputs.agree":
    "Both take the same decision (σ(z) ≥ 0.5 exactly when z ≥ 0): {c} of the {m} points are on the right side. Only σ says how sure the neuron is: on average it gives the true class a probability of {p}.",

  // 3. log loss
  "neuron.loss.title": "The log loss, from the likelihood of a Bernoulli variable",
  "neuron.loss.p1":
    "The neuron says a = σ(z) is the probability that the class is 1. Given a, the class y is a Bernoulli variable: P(Y = y) = a^y·(1 − a)^(1 − y) (a when y = 1, 1 − a when y = 0).",
  "neuron.loss.p2":
    "The samples being independent, the likelihood of the whole data set is the product Π a_i^(y_i)·(1 − a_i)^(1 − y_i). Good weights make it large. Its logarithm turns the product into a sum, Σ [y_i·ln a_i + (1 − y_i)·ln(1 − a_i)], and maximising it is minimising its opposite, averaged over the m samples:",
  "neuron.loss.p3":
    "Each term is −ln of the probability the neuron gave to the true class: 0 when it was sure and right, large when it was sure and wrong. The course adds ε = 1e−10 inside the logarithms so that ln 0 never happens; written from z, L = (1/m)·Σ [ln(1 + e^z) − y·z] (the course's own derivation) needs no ε.",
  "neuron.loss.now": "Here: L = {loss} (m = {m}).",

  // 4. gradient descent
  "neuron.gd.title": "Gradient descent, step by step",
  "neuron.gd.text":
    "The vectorised formulas of the course, filled in with the current numbers (X has one point per row). The browser recomputes each result and compares it with the server's.",
  "neuron.gd.eta": "Learning rate η",
  "neuron.gd.step": "One step",
  "neuron.gd.run": "10 steps",
  "neuron.gd.reset": "Back to the start",
  "neuron.gd.status": "Step {k}: W = {W}, b = {b}, L = {loss}, accuracy {acc}.",
  "neuron.gd.rows": "(the first {n} of {m} rows)",
  "neuron.gd.update": "The update",

  // 5. curves
  "neuron.curves.title": "The loss curve and the loss surface",
  "neuron.curves.text":
    "Left: the cost after each step. Right: the cost for every (w1, w2), with b fixed at its current value (colour: ln L, dark = low); the white path is the descent so far. Gradient descent walks downhill, across the level lines.",
  "neuron.curves.loss": "cost L",
  "neuron.curves.step": "step",
  "neuron.curves.surface": "Loss surface over (w1, w2), b = {b}, and the descent's path ({k} steps)",
  "neuron.curves.w1": "w1 →",
  "neuron.curves.w2": "w2 ↑",
  "neuron.curves.critical":
    "Near here the loss is curved by λ_max = 2/{c} (the Hessian's largest eigenvalue): a step η·∂L/∂W larger than the valley is wide overshoots it as soon as η > 2/λ_max ≈ {c}. With η = {eta} the cost {verdict}",
  "neuron.curves.calm": "goes down step after step.",
  "neuron.curves.bounce":
    "bounces: each step jumps over the bottom of the valley to the other side, as in the course's figure.",
  "neuron.curves.try_big": "Try η = 60",
  "neuron.curves.try_small": "Try η = 1",
  "neuron.curves.bouncing": "The cost went up {n} times in {k} steps.",

  // 6. the case study
  "neuron.scaling.title": "Unnormalised inputs: the exponential overflows",
  "neuron.scaling.text":
    "The course's case study trains the neuron on images whose pixels go from 0 to 255. Here: {m} handwritten digits ({d0} against {d1}), {n} pixels each, weights drawn from N(0, 1) as in the course, η = {eta}.",
  "neuron.scaling.raw": "raw pixels 0–255",
  "neuron.scaling.scaled": "MinMax scaled to 0–1",
  "neuron.scaling.cost": "the course's LogLoss",
  "neuron.scaling.raw_stats":
    "Raw: at the first step |z| reaches {z}, far above {t} = ln(largest double): e^(−z) overflows to ∞ for {o} of the {m} images (NumPy's \"overflow encountered in exp\"). σ is then exactly 0 or 1 for {s} images, ln(0) needs the course's ε, and the cost only counts −ln ε ≈ 23 for each misclassified image: it jumps between such values instead of decreasing smoothly.",
  "neuron.scaling.scaled_stats":
    "Scaled: X′ = (X − Xmin)/(Xmax − Xmin) = X/255 puts every input between 0 and 1; |z| stays below {z}, no exponential overflows ({o} overflows, {s} saturated outputs) and the cost decreases smoothly to {c}.",
  "neuron.scaling.loading": "Training the neuron on {m} digits, twice…",

  // 7. errata
  "neuron.errata.title": "The chapter's slips (the neuron)",
  "neuron.errata.text":
    "Where the chapter's text differs from the correct formula, here is what it writes, the correct form and why. The slips of the multilayer part are on the next page.",
  "neuron.next": "Next: layers of neurons →",
};
