// Why one file of over 400 lines: data, one string a line — the words of three pages.
// English strings of the classroom pages (/steps, /example, /playground); same keys as classroom.fr.js (a browser
// test checks it). Registered by classroom.messages.js through lib/i18n.js addMessages(). Placeholders: {name}.
export default {
  // ---- the step-through deck (/steps and /example)
  "deck.step_of": "Step {k} / {n}",
  "deck.prev": "Previous",
  "deck.next": "Next",
  "deck.jump": "Go to step",
  "deck.nav": "Steps",
  "deck.progress": "Progress through the steps",
  "deck.explanation": "Explanation",
  "deck.presenter": "Presenter view",
  "deck.fullscreen": "Fullscreen",
  "deck.keys": "← → or Space · P presenter · F fullscreen",
  "deck.forward": "forward pass",
  "deck.backward": "backward pass",

  // ---- /steps
  "steps.title": "Step by step",
  "steps.toolbar": "Lesson settings",
  "steps.digit": "Digit",
  "steps.true_label": "True label",
  "steps.sample_option": "Sample #{n} — a {d}",
  "steps.drawing_option": "Your drawing",
  "steps.label_predicted": "{d} (predicted)",
  "steps.loading": "Loading…",
  "steps.ready": "{n} steps · model {model} · every step is loaded: no network needed from here.",
  "steps.unknown_digit": "There is no sample #{n}: showing another digit.",
  "steps.render_error": "This step could not be drawn: {message}",
  "steps.source.sample":
    "Sample #{n}: a real handwritten {d} from MNIST that the network never saw while training. True label used for the backward pass: {y}.",
  "steps.source.drawing":
    "Your own drawing. True label used for the backward pass: {y} (change it above: “what if it were a 3?”).",
  "steps.draw.open": "Draw your own…",
  "steps.draw.title": "Draw a digit",
  "steps.draw.hint": "Draw one digit from 0 to 9 with the mouse, a finger or a pen.",
  "steps.draw.pad": "Drawing area",
  "steps.draw.cancel": "Cancel",
  "steps.draw.use": "Use this digit",
  "steps.draw.empty": "Draw a digit first.",

  "steps.input.title": "The digit, as the network sees it",
  "steps.input.map": "Input {h}×{w}",
  "steps.input.patch": "The numbers, from row {r}, column {c}",
  "steps.input.text":
    "The network never sees a picture: it sees {h}×{w} = {n} numbers between 0 (paper) and 1 (ink). Everything that follows is arithmetic on these numbers.",
  "steps.input.formula": "x[i, j] = grey level / 255 ∈ [0, 1]",

  "steps.prep.title": "Preprocessing: making it look like MNIST",
  "steps.prep.text":
    "Before the network, the image is made to look like the digits it learnt from: grey levels, light ink on black, cropped, scaled so that the digit fits in 20×20 pixels, then centred by its centre of mass in a 28×28 square.",
  "steps.prep.none":
    "This digit was drawn and preprocessed earlier (crop, scale to 20 px, centre of mass): the link carries the 28×28 result, used as it is. The drawing lab shows every sub-step.",
  "steps.prep.final": "The 28×28 input",
  "steps.prep.kept": "already fine: kept",
  "steps.prep.formula": "crop → scale to 20×20 → centre of mass at (14, 14) in 28×28",

  "steps.conv.formula": "O[f, i, j] = Σ_c Σ_m Σ_n X[c, i·S + m − P, j·S + n − P] · K[f, c, m, n] + b[f]",
  "steps.conv_slide.title": "Convolution {layer}: filter {f} slides over the image",
  "steps.conv_slide.input": "Input (zero padding P = {p})",
  "steps.conv_slide.output": "Feature map O[{f}]",
  "steps.conv_slide.window": "Window of the image",
  "steps.conv_slide.same_kernel": "the same kernel",
  "steps.conv_slide.products": "Products, cell by cell",
  "steps.conv_slide.play": "Filter sliding over the image",
  "steps.conv_slide.text":
    "Filter {f} is a {kh}×{kw} grid of weights learnt during training. Laid on a {kh}×{kw} window of the image, its weights multiply the pixels under them; the {n} products are added, plus a bias: that is one number of the feature map.",
  "steps.conv_slide.text2":
    "Then the window moves by S = {s} pixel and it starts again: {ho}×{wo} positions, one output each (the padding P = {p} of zeros keeps the size). Press Play, or click the map, to move it.",

  "steps.conv_maps.title": "Convolution {layer}: {n} filters, {n} feature maps",
  "steps.conv_maps.kernels": "The {n} filters ({kh}×{kw} weights each)",
  "steps.conv_maps.maps": "Their feature maps: {shape}",
  "steps.conv_maps.text":
    "Each of the {n} filters slides over the same image and makes its own map: a filter that looks like an edge lights up (red) where the image has that edge, and goes negative (blue) where it has the opposite.",
  "steps.conv_maps.text2": "Nobody chose these filters: training found them, by gradient descent, from the examples.",
  "steps.conv_maps.params": "Parameters",

  "steps.conv_channels.title": "Convolution {layer}: {c} input maps, one sum each",
  "steps.conv_channels.inputs": "The {c} input maps, window at ({i}, {j})",
  "steps.conv_channels.detail": "Channel {c}: window ⊙ K[{f}, {c}] = products → sum",
  "steps.conv_channels.text":
    "The input now has {c} maps, so filter {f} is a stack of {c} kernels of {kh}×{kw}: one per input map. Each kernel gives a sum on its map (click a sum to see its products).",
  "steps.conv_channels.text2":
    "The sums of all the channels are added, plus the bias: exactly as in the course's RGB example, 30 + 18 + 111 = 159.",

  "steps.relu.title": "ReLU ({layer}): negatives become 0",
  "steps.relu.before": "Before: O[{f}]",
  "steps.relu.after": "After: max(0, O[{f}])",
  "steps.relu.text":
    "ReLU keeps the positive values and replaces the negative ones by 0. Without this bend, stacking layers would only ever compute one big affine function (linear plus biases).",
  "steps.relu.stats": "In {layer}, {zeros} of the values are now 0.",

  "steps.pool.title": "{mode} {layer}: 4 numbers become 1",
  "steps.pool.input": "Map {c} ({shape})",
  "steps.pool.window": "{k} window",
  "steps.pool.output": "Pooled map {c} ({shape})",
  "steps.pool.all": "Every pooled map: {shape}",
  "steps.pool.text_max":
    "Each {k} window keeps only its largest value, then the window jumps by S = {s}: the map keeps where the feature was strong, at a lower resolution.",
  "steps.pool.text_avg": "Each {k} window keeps the mean of its values, then jumps by S = {s}.",
  "steps.pool.text_sum": "Each {k} window keeps the sum of its values, then jumps by S = {s}.",
  "steps.pool.text2": "{a} becomes {b}: {n} times fewer numbers, and small shifts of the digit matter less.",

  "steps.flatten.title": "Flatten: the maps become one vector of {n}",
  "steps.flatten.maps": "{shape}",
  "steps.flatten.vector": "x: {n} numbers",
  "steps.flatten.text":
    "The fully connected layers take a list of numbers: the {c} maps of {h}×{w} are read one after the other, row by row, into a vector of {n}. Nothing is computed, the numbers are only put in a line.",

  "steps.dense.title": "Fully connected {layer}: {n} neurons, each sees all {m} inputs",
  "steps.dense.title_last": "Fully connected {layer}: the {n} scores (logits)",
  "steps.dense.input": "Input x ({n})",
  "steps.dense.terms": "Neuron {k}: its {top} strongest terms",
  "steps.dense.rest": "… and {n} more terms, adding up to {v}",
  "steps.dense.output": "Output of {layer} ({n})",
  "steps.dense.logits": "Scores z of the 10 digits",
  "steps.dense.text":
    "Neuron {k} multiplies each of the {m} inputs by its own weight, adds them up with its bias, then applies ReLU. The {n} neurons of the layer do the same with their own weights. Shown: the most active one.",
  "steps.dense.text_last":
    "The last layer gives one score per digit. Neuron {k}, the digit with the highest score, is shown: its {m} weighted inputs plus its bias.",
  "steps.dense.params": "Parameters",

  "steps.softmax.title": "Softmax: scores become probabilities",
  "steps.softmax.table": "From the scores to probabilities",
  "steps.softmax.bars": "Probability of each digit",
  "steps.softmax.text": "The network answers {k}, with probability {p}.",
  "steps.softmax.text2":
    "Softmax takes the exponential of each score (all positive) and divides by their sum (they add up to 1). Subtracting the largest score first changes nothing to the result and keeps the exponentials finite.",

  "steps.loss.title": "The loss: how wrong was the network?",
  "steps.loss.target": "The true label: {y}",
  "steps.loss.one_hot": "one-hot",
  "steps.loss.probs": "What the network said",
  "steps.loss.text":
    "The cross-entropy only looks at the probability given to the true digit {y}: {p}. Its minus logarithm is small when that probability is close to 1, and grows without limit as it drops to 0.",
  "steps.loss.ln_note": "log means the natural logarithm ln (as np.log in the course's code), not log10.",
  "steps.loss.extremes": "ŷ = 1 → L = 0 ;  ŷ = 0.5 → L = 0.693 ;  ŷ = 0.1 → L = 2.303",

  "steps.dz.title": "The gradient at the scores: ∂L/∂z = ŷ − y",
  "steps.dz.text":
    "Softmax and cross-entropy together have a very simple derivative: the probabilities minus the one-hot label. The true digit {y} gets a negative gradient: raising its score lowers the loss.",
  "steps.dz.text2":
    "Every other digit gets its own probability: the more the network believed in it, the more its score will be pushed down. This vector starts the backward pass.",

  "steps.dw.title": "Gradients of {layer}: ∂L/∂W and ∂L/∂b",
  "steps.dw.text":
    "Weight W[i, j] of {layer} multiplied x[j] inside z[i]: its gradient is ∂L/∂z[i] times x[j]. The whole matrix is an outer product: the column ∂L/∂z times the row xᵀ.",
  "steps.dw.text2": "An input that was 0 gives a zero gradient: that weight played no part and will not move.",

  "steps.dx.title": "Back through the fully connected layers: Wᵀ · ∂L/∂z",
  "steps.dx.input_of": "input of {layer}",
  "steps.dx.maps": "Reshaped back to the maps: {shape}",
  "steps.dx.text":
    "Each input x[j] of {layer} fed every neuron, so its gradient adds them all up, weighted by the weights it went through: Wᵀ·∂L/∂z.",
  "steps.dx.text2":
    "Going down each hidden layer the same way, ReLU only lets the gradient through where its unit was active (z > 0). At the bottom, the vector is put back into the shape of the maps it was flattened from.",

  "steps.dx.text2_generic":
    "Going down each hidden layer the same way, each activation multiplies the gradient by its derivative f′(z) (the steps before this one showed it layer by layer). At the bottom, the vector is put back into the shape it was flattened from.",
  "steps.hidden.title": "Back through {layer}: dZ = (Wᵀ·dZ) ⊙ f′(Z)",
  "steps.hidden.text":
    "The course's recurrence: the gradient reaching the output of {act} is Wᵀ·dZ of {next} (each unit of {layer} fed every unit of {next}); multiplied element by element by the activation's derivative at this unit, it becomes dZ, the gradient of {layer}'s z. Then, as for the last layer, ∂L/∂W = dZ·xᵀ and ∂L/∂b = dZ.",
  "steps.hidden.sigmoid":
    "The sigmoid's derivative σ(z)(1 − σ(z)) is never above 0.25: each sigmoid layer divides the gradient by at least 4 on its way down, which is why the first layers of a deep sigmoid network learn slowly (the vanishing gradient).",
  "steps.hidden.formula": "dZ^[l] = (W^[l+1]ᵀ · dZ^[l+1]) ⊙ f′(Z^[l])",
  "steps.pool_back.title": "Back through {pool} and {act}",
  "steps.pool_back.title_pool": "Back through {pool}",
  "steps.pool_back.routed": "Routed to the maxima, map {c}",
  "steps.pool_back.mask": "{layer} was active (x > 0)",
  "steps.pool_back.after": "Gradient at the convolution's output, map {c}",
  "steps.pool_back.text":
    "Only the largest value of each {k} window went up: it alone receives the window's gradient, the other cells get 0. Most of the map is therefore zero.",
  "steps.pool_back.text_relu":
    "Then ReLU: where its input was negative the output did not depend on it, so the gradient stops there.",

  "steps.dk.title": "Gradient of the filters of {layer}: ∂L/∂K",
  "steps.dk.input": "Input map {c}, shifted",
  "steps.dk.upstream": "∂L/∂O[{f}]",
  "steps.dk.products": "Products",
  "steps.dk.all_kernels": "∂L/∂K of every filter",
  "steps.dk.text":
    "Weight (m, n) = ({m}, {n}) of a filter met, at every output position (i, j), the input pixel (i + m, j + n). Its gradient adds those pixels, each weighted by the gradient of the output it produced: the input correlated with ∂L/∂O.",
  "steps.dk.text2": "The bias was added at every position: its gradient is the sum of ∂L/∂O.",
  "steps.dk.text_first":
    "The same rule, one step further, gives the gradient of the image itself (right): red pixels would raise the loss with more ink, blue ones would lower it.",

  "steps.dxconv.title": "Back through {layer}: ∂L/∂X, the rotated kernels",
  "steps.dxconv.map": "∂L/∂X, map {c}",
  "steps.dxconv.upstream": "∂L/∂O of one filter",
  "steps.dxconv.per_filter": "Contribution of each filter",
  "steps.dxconv.detail": "Filter {f}: window of ∂L/∂O ⊙ K[{f}, {c}] turned by 180°",
  "steps.dxconv.text":
    "A pixel of the input was used by every output whose window covered it, in each of the {f} filters. Its gradient gathers them all: for each filter, the window of ∂L/∂O around it times the kernel turned by 180° (a full convolution), then the sum over the filters.",
  "steps.dxconv.text2": "Click a filter to see its part. This gradient goes on down, to the previous pooling layer.",

  "steps.sgd.title": "Learning: one step of gradient descent",
  "steps.sgd.after": "after",
  "steps.sgd.shape": "shape",
  "steps.sgd.table": "How much each parameter moved",
  "steps.sgd.text":
    "Every weight moves a little against its gradient: θ ← θ − η·∂L/∂θ with η = {eta}. Shown: the filter of the first convolution whose gradient is the largest (the bold cell is the formula's).",

  "steps.effect.title": "The effect: the same digit, after the step",
  "steps.effect.text":
    "After this one step the network gives the true digit {y} a probability of {b} instead of {a} (dashed: before).",
  "steps.effect.text2":
    "Training repeats this for thousands of images, a little each time: the filters you saw at the start are the result.",
  "steps.effect.more": "Take {n} steps on this digit",
  "steps.effect.history": "ŷ[{y}] over {n} steps on this digit only",

  // ---- /example
  "example.title": "Worked example",
  "example.inputs.title": "The inputs",
  "example.inputs.hint": "Change any number (then Enter or Tab): every step is recomputed.",
  "example.inputs.reset": "Reset to the document's values",
  "example.status.document": "The document's inputs: each result is compared with the value it prints.",
  "example.status.edited":
    "Edited inputs (marked): every step is recomputed; the document's printed values no longer apply.",
  "example.badge.match": "✓ matches the document",
  "example.badge.rounding": "≈ document's rounding",
  "example.badge.mismatch": "✗ the document is wrong",
  "example.document_prints": "The document prints {name}",
  "example.slip.value": "{name}{index}: the document prints {doc}, the exact value is {ours}.",
  "example.kind.value": "wrong value",
  "example.kind.formula": "wrong formula",
  "example.kind.notation": "notation",
  "example.kind.label": "wrong label",
  "example.kind.drawing": "drawing",
  "example.kind.code": "bug in the code",
  "example.kind.text": "text",
  "example.kind.rounding": "rounding",
  "example.kind.unreadable": "unreadable figure",
  "example.kind.nit": "detail",
  "example.window": "Window",
  "example.products": "Products",
  "example.slide": "The window, position by position",
  "example.edited_note":
    "These are your inputs, not the document's: every number here is recomputed, and the document's printed values are not compared. “Reset” brings them back.",
  "example.rounding_hint":
    "Amber cells: the document rounded ŷ to 0.67 / 0.33 and carried that rounding on. Those values are right for the rounded ŷ; the computed ones use the exact ŷ.",
  "example.all_match": "✓ Every value the document prints here matches.",
  "example.errata.title": "What the document gets wrong",
  "example.errata.kicker": "summary",
  "example.errata.text":
    "{n} remarks on the document, gathered: the slips of sections III–IV (each shown at its step), the rounding it carries, and the bugs of its from-scratch code (sections V–VI), each checked by the engine.",
  "example.errata.formula": "L = −Σ y_i · ln ŷ_i  (natural logarithm)",

  // ---- /playground
  "play.title": "Playground",
  "play.intro": "The course's small experiments, live: change a number and everything is recomputed.",
  "play.tabs": "Experiments",
  "play.tab.convolution": "Convolution",
  "play.tab.course": "The course's convolutions",
  "play.tab.pooling": "Pooling",
  "play.tab.activations": "Activations",
  "play.tab.cross_entropy": "Cross-entropy",

  "play.conv.title": "A kernel on a real picture",
  "play.conv.intro":
    "Pick a digit or a photo, then one of the course's kernels: the server slides it over the image. Click the result to see how one value was made.",
  "play.conv.image": "Image",
  "play.conv.upload": "Photo…",
  "play.conv.photo_option": "Photo: {name}",
  "play.conv.kernels": "Kernels",
  "play.conv.custom_size": "Size of the custom kernel",
  "play.conv.stride": "Stride S",
  "play.conv.padding": "Padding P",
  "play.conv.same": "Same size: P = (F − 1)/2",
  "play.conv.bad_stride":
    "The stride S = {s} is not possible: the window moves by a whole number of pixels, at least 1.",
  "play.conv.bad_padding":
    "The padding P = {p} is not possible: it is a whole number of rows and columns of zeros, 0 or more (P = (F − 1)/2 is only whole for an odd F).",
  "play.conv.big_padding":
    "P = {p} is more than this playground allows ({max}): with that much padding the output would be mostly zeros.",
  "play.conv.input_label": "Input with its padding",
  "play.conv.input_digit": "Digit {h}×{w}, padding P = {p}",
  "play.conv.input_photo": "Photo in grey {h}×{w}, padding P = {p}",
  "play.conv.kernel": "Kernel {n}×{n} (editable)",
  "play.conv.sobel_hint": "Sobel X is shown; Sobel Y (its transpose) runs too, and each output is √(gx² + gy²).",
  "play.conv.output": "Output {h}×{w}",
  "play.conv.output_sobel": "Gradient magnitude {h}×{w}",
  "play.conv.output_label": "Output of the convolution",
  "play.conv.click": "Click a value to see its computation.",
  "play.conv.size": "Output size",
  "play.conv.grey_note": "The photo was turned grey as the course does: grey = (R + G + B) / 3 for each pixel.",
  "play.conv.window": "Window",
  "play.conv.kernel_short": "Kernel",
  "play.conv.products": "Products",
  "play.conv.at": "Output ({i}, {j})",

  "play.k.edge": "Edges",
  "play.k.sharpen": "Sharpen",
  "play.k.sobel_x": "Sobel X",
  "play.k.sobel_y": "Sobel Y",
  "play.k.sobel": "Sobel √(gx² + gy²)",
  "play.k.line1": "Line filter 1",
  "play.k.line2": "Line filter 2",
  "play.k.line3": "Line filter 3",
  "play.k.line4": "Line filter 4",
  "play.k.identity": "Identity",
  "play.k.blur": "Mean filter (box blur)",
  "play.k.custom": "Custom",

  "play.course.title": "The course's convolutions, checked",
  "play.course.intro":
    "Every small convolution the course works by hand, computed by the server and compared with what the course prints. Play to watch the window slide.",
  "play.course.input": "Input",
  "play.course.kernel": "Kernel",
  "play.course.channel": "Channel {c}",
  "play.course.kernel_c": "Kernel {c}",
  "play.course.output": "Result",
  "play.course.animate": "The window, position by position",
  "play.course.position": "Position ({i}, {j})",
  "play.course.padded": "Zeros added around the input: P = {p} (shown in the input).",
  "play.course.printed": "The course prints",
  "play.course.printed_first": "The course prints:",
  "play.course.printed_size": "The course's formula gives {n}",
  "play.course.computed": "computed:",
  "play.course.match": "✓ Same numbers as the course.",
  "play.course.verified": "✓ matches the course",
  "play.course.differs": "✗ differs from the course",
  "play.course.misprint": "✗ the course's result is wrong",
  "play.course.five.title": "2-D convolution: a 5×5 image and a 3×3 kernel",
  "play.course.five.source": "Course, chapter 1, “Couche de convolution 2D”: the nine positions worked one by one.",
  "play.course.rgb.title": "RGB image: one kernel per channel, the sums added",
  "play.course.rgb.source":
    "Course, chapter 1, “Couche de convolution 2D”, RGB images: first position, 30 + 18 + 111 = 159 (the course prints only this value).",
  "play.course.portion.title": "A portion of an image and a 3×3 filter",
  "play.course.portion.source": "Course (perceptron to CNN), “Opération de convolution”: the first value, 134.",
  "play.course.stride1d.title": "1-D convolution with stride 2",
  "play.course.stride1d.source": "Course, chapter 1, “Couche de convolution 1D : Pas de convolution”.",
  "play.course.padding1d.title": "1-D convolution with padding",
  "play.course.padding1d.source":
    "Course, chapter 1, “Couche de convolution 1D : Remplissage”: input of size 7, stride 1, kernel [2, 1, −3].",
  "play.course.padding1d.why":
    "The course prints [−1, −2, 2, 1, 2, 1, −3] as the result: that is the input itself, copied. With one zero on each side, the kernel [2, 1, −3] gives {correct} (first position: 2·0 + 1·(−1) + (−3)·(−2) = 5). The size, 7, is right: (7 − 3 + 2·1)/1 + 1 = 7.",
  "play.course.stride2d.title": "Output size with stride 2: (5 − 3)/2 + 1 = 2",
  "play.course.stride2d.source": "Course, chapter 1, “Pas de convolution”: N = 5, F = 3, S = 2.",
  "play.course.same2d.title": "Padding keeps the size: (5 − 3 + 2·1)/1 + 1 = 5",
  "play.course.same2d.source": "Course, chapter 1, “Remplissage”: P = (F − 1)/2 = 1.",

  "play.pool.title": "Pooling",
  "play.pool.intro":
    "A window slides over the map and keeps one number: the largest (max), the mean (average) or the sum. The map is editable; the course's example is loaded.",
  "play.pool.mode": "Pooling",
  "play.pool.max": "Max",
  "play.pool.avg": "Average",
  "play.pool.sum": "Sum",
  "play.pool.size": "Window F",
  "play.pool.course": "The course's 4×4 map",
  "play.pool.random": "Random 6×6",
  "play.pool.bad_numbers": "The window and the stride are whole numbers, at least 1.",
  "play.pool.input": "Map {h}×{w} (editable)",
  "play.pool.output": "Result {h}×{w}",
  "play.pool.click": "Click a result to see its window.",
  "play.pool.course_ok": "✓ [[2, 50], [20, 20]], as the course prints",
  "play.pool.at": "Result ({i}, {j})",
  "play.pool.argmax":
    "The maximum is at row {r}, column {c} (bold): in the backward pass, only this cell receives the gradient.",
  "play.pool.avg_hint": "The mean of the {n} values: each will receive 1/{n} of the gradient.",

  "play.act.title": "Activation functions and their derivatives",
  "play.act.intro":
    "The non-linear bend after each layer. Its derivative is what the backward pass multiplies by: where it is 0, the gradient stops.",
  "play.act.kind": "Function",
  "play.act.alpha": "α",
  "play.act.chart": "The function and its derivative",
  "play.act.slider": "x",
  "play.act.no_derivative": "no derivative to plot",
  "play.act.course_relu": "The course's example: ReLU on a 4×4 map",
  "play.act.relu": "ReLU",
  "play.act.leaky_relu": "Leaky ReLU",
  "play.act.elu": "ELU",
  "play.act.sigmoid": "Sigmoid",
  "play.act.tanh": "tanh",
  "play.act.heaviside": "Heaviside",
  "play.act.f.relu": "ReLU(x) = max(0, x)",
  "play.act.df.relu": "ReLU′(x) = 1 if x > 0, else 0",
  "play.act.f.leaky_relu": "LeakyReLU(x) = max({a}·x, x)",
  "play.act.df.leaky_relu": "LeakyReLU′(x) = 1 if x > 0, else {a}",
  "play.act.f.elu": "ELU(x) = x if x ≥ 0, else {a}·(eˣ − 1)",
  "play.act.df.elu": "ELU′(x) = 1 if x > 0, else {a}·eˣ",
  "play.act.f.sigmoid": "σ(x) = 1 / (1 + e⁻ˣ)",
  "play.act.df.sigmoid": "σ′(x) = σ(x) · (1 − σ(x))",
  "play.act.f.tanh": "tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ)",
  "play.act.df.tanh": "tanh′(x) = 1 − tanh²(x)",
  "play.act.f.heaviside": "H(x) = 1 if x ≥ 0, else 0",
  "play.act.df.heaviside": "H′(x) = 0 for x ≠ 0, undefined at 0",
  "play.act.note.relu":
    "Negative inputs give 0 and a zero derivative: those units pass no gradient (the “dying ReLU”).",
  "play.act.note.leaky_relu": "A small slope α for x < 0 keeps a little gradient flowing where ReLU would stop it.",
  "play.act.note.elu": "Smooth for x < 0, tending to −α: the outputs average closer to 0.",
  "play.act.note.sigmoid":
    "Squashes everything into (0, 1). Its derivative is at most 0.25: stacked, the gradients shrink fast.",
  "play.act.note.tanh": "Like the sigmoid but centred on 0, into (−1, 1); its derivative is at most 1.",
  "play.act.note.heaviside":
    "The perceptron's step. Its derivative is 0 everywhere it exists: gradient descent cannot learn through it, hence the sigmoid. The course sets H(0) = ½; here, as in most libraries, H(0) = 1.",

  "play.ce.title": "Cross-entropy calculator",
  "play.ce.intro":
    "The course's example: an image of a dog, five classes. Q is what the model predicts, P the true label; the loss only looks at the probability of the true class.",
  "play.ce.case_before": "Before training (course)",
  "play.ce.case_after": "After training (course)",
  "play.ce.animal": "Class",
  "play.ce.true": "True",
  "play.ce.true_of": "{a} is the true class",
  "play.ce.dog": "Dog",
  "play.ce.fox": "Fox",
  "play.ce.horse": "Horse",
  "play.ce.eagle": "Eagle",
  "play.ce.squirrel": "Squirrel",
  "play.ce.ln_note":
    "log is the natural logarithm ln: H = {ln}. With log10 the same sum would give {l10}, with log2 {l2} — the course's 0.916 and 0.02 are natural logarithms.",
  "play.ce.infinite":
    "The true class has probability 0: −ln 0 = ∞. The model is infinitely wrong, and real code adds a tiny ε (1e-9 in the course) to avoid it.",
  "play.ce.not_distribution":
    "Q adds up to {s}, not 1: it is not a probability distribution (softmax always gives one). The sum is still computed, but means little.",
  "play.ce.course_prints": "The course prints ≈ {v}.",
  "play.ce.zero_terms": "Terms with P(i) = 0 count for 0, even where Q(i) = 0 (0 · ln 0 is taken as its limit, 0).",
  "play.course.nf1.title": "Output size N − F + 1: a 7×7 image and a 3×3 filter give 5×5",
  "play.course.nf1.source": "Course, chapter 1, “Couche de convolution 2D”: O = (7 − 3 + 1) × (7 − 3 + 1) = 5 × 5.",
  "play.course.depth.title": "Depth: a 32×32×3 image, ten 5×5×3 filters, “same” padding → 32×32×10",
  "play.course.depth.source":
    "Course, chapter 1, “Couche de convolution 2D : Profondeur”: one filter gives one map, ten filters give ten.",
  "play.course.depth.params":
    "One filter (computed here) gives one {h}×{h} map; {f} filters give {f} maps: {h}×{h}×{f}. Parameters: {f} × ({c}×{kh}×{kw} weights + 1 bias) = {f} × {weights} + {f} = {params}.",
  "play.course.sobel_typo_y.title": "Notebook: the Sobel kernel of cell [6], mistyped",
  "play.course.sobel_typo_y.source":
    "Notebook (seed 004), cell [6]: kernel = [[-1, -2, -1], [-2, 0, 2], [1, 2, 1]]. Shown above: the correct Sobel Y on a vertical edge.",
  "play.course.sobel_typo_y.doc_kernel": "The notebook's kernel",
  "play.course.sobel_typo_y.doc": "What it gives ({h}×{w})",
  "play.course.sobel_typo_y.why":
    "Its middle row should be [0, 0, 0]: with [-2, 0, 2] the kernel is Sobel Y plus a piece of Sobel X, so it also answers vertical edges, where Sobel Y gives 0.",
  "play.course.sobel_typo_x.title": "Notebook: the Sobel X kernel of cell [8], mistyped",
  "play.course.sobel_typo_x.source":
    "Notebook (seed 004), cell [8]: kernel = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 0]]. Shown above: the correct Sobel X on a flat region.",
  "play.course.sobel_typo_x.doc_kernel": "The notebook's kernel",
  "play.course.sobel_typo_x.doc": "What it gives ({h}×{w})",
  "play.course.sobel_typo_x.why":
    "Its last cell should be 1 (cell [10] types it right): with 0 the weights no longer add up to 0, so a flat region, which has no edge, gives −5 instead of 0.",
  "play.course.convol.title": "Notebook: convol() writes r[i, j] instead of r[i − k, j − k]",
  "play.course.convol.source":
    "Notebook (seed 004), cell [8], with the 5×5 kernel (k = 2) on an 8×8 image. Shown above: the correct “valid” convolution, 4×4.",
  "play.course.convol.doc": "What convol() returns ({h}×{w})",
  "play.course.convol.why":
    "convol() makes r of (n − k − 1) × (m − k − 1) cells and writes r[i, j] for i, j from k: the first k rows and columns stay 0, every value is shifted by k, and the last valid positions are never computed. The correct output has (n − 2k) × (m − 2k) cells, r[i − k, j − k] = Σ f · kernel.",
  "play.course.global_gimg.title": "Notebook: convolution() reads the global gimg, not its argument",
  "play.course.global_gimg.source":
    "Notebook (seed 004), cell [6]: def convolution(img, kernel): … np.sum(gimg[i-1:i+2, j-1:j+2] * kernel). Shown above: the convolution of the image passed in.",
  "play.course.global_gimg.doc": "What convolution(img, kernel) returns: gimg's convolution ({h}×{w})",
  "play.course.global_gimg.why":
    "The function takes img but reads the global gimg: called with another image it still returns the convolution of gimg (its size is taken from img). The notebook only calls it with gimg, so its picture is right by chance.",
  "play.slip.title": "The course's text, corrected",
  "play.slip.badge": "slip",
  "play.slip.cross_validation.doc": "“H : validation croisée”",
  "play.slip.cross_validation.correct": "H is the cross-entropy (entropie croisée)",
  "play.slip.cross_validation.why":
    "In the cross-entropy example (seed 003) H = −Σ P·ln Q names the loss. Cross-validation is something else: splitting the data several ways to evaluate a model.",
  "play.slip.vgg.doc":
    "VGG: “filtres de plus petites tailles (2x2 et 3x3)”, “toutes les couches de convolution sont suivies d'une couche de sous-échantillonnage”",
  "play.slip.vgg.correct": "3×3 filters only; a 2×2 max pooling after each block of 2 to 4 convolutions",
  "play.slip.vgg.why":
    "VGG (Simonyan & Zisserman, 2014) uses only 3×3 convolutions (stride 1, padding 1); 2×2 is the size of its max-pooling windows (stride 2), which come after each block of 2 to 4 convolutions: VGG-16 has 13 convolutions and 5 poolings.",
  "play.pool.notebook.title": "The notebook's pooling: 168×300 → 42×75",
  "play.pool.notebook.source":
    "Notebook (seed 004), cell [63]: maxpooling(r, 4) on its 168×300 image prints (42, 75) (168, 300). The server pools an image of that size with 4×4 windows:",
  "play.pool.notebook.result": "Computed: {h}×{w}; the notebook prints ({ph}, {pw}).",
};
