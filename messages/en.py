"""English catalogue: every sentence the server writes, keyed by code (same keys as :mod:`messages.fr`).

Why one file of over 400 lines: a catalogue is one table of sentences, read by key; its twin is messages/fr.py.
"""

MESSAGES: dict[str, str] = {
    # -- the worked example (engine/worked_example): steps ----------------------------------------------------------
    "worked.output_size.title": "Output size of the convolution",
    "worked.output_size.explanation": "A 2×2 filter slides over the 3×3 input with stride 1 and no padding: it fits "
    "in {ho} positions per row and {wo} per column, so each feature map is {ho}×{wo}.",
    "worked.conv.title": "Convolution O{k} = X ∗ {name}",
    "worked.conv.explanation": "Place {name} on each 2×2 window of X, multiply cell by cell and add the four products. "
    "As in the course, this 'convolution' is a cross-correlation: the kernel is not flipped.",
    "worked.relu.title": "ReLU activation",
    "worked.relu.explanation": "Negative values become 0, the others pass unchanged.",
    "worked.max_pool.title": "Max pooling (2×2, the whole map)",
    "worked.max_pool.explanation": "Each 2×2 map keeps its largest value. The position of the maximum is remembered: "
    "the backward pass will send the gradient there (first maximum in reading order if there is a tie).",
    "worked.flatten.title": "Flattening",
    "worked.flatten.explanation": "The two pooled values are stacked into the vector x.",
    "worked.dense.title": "Fully connected layer z = W·x + b (affine)",
    "worked.dense.explanation": "Each output neuron multiplies x by its row of W and adds its bias: {written}.",
    "worked.softmax.title": "Softmax",
    "worked.softmax.explanation": "Exponentials made into probabilities that add up to 1.",
    "worked.loss.title": "Cross-entropy loss",
    "worked.loss.explanation": "With a one-hot target only the true class counts: L = −ln(ŷ of the true class). The "
    "logarithm is the natural one (ln).",
    "worked.dL_dz.title": "Gradient with respect to the logits",
    "worked.dL_dz.explanation": "Softmax and cross-entropy together have this very simple derivative.",
    "worked.dL_dW.title": "Gradient of the weights",
    "worked.dL_dW.explanation": "Weight W[i,j] multiplies x_j inside z_i, so its gradient is ∂L/∂z_i times x_j: "
    "∂L/∂W is the product of the column ∂L/∂z by the row xᵀ.",
    "worked.dL_db.title": "Gradient of the biases",
    "worked.dL_db.explanation": "A bias is added to z_i with weight 1.",
    "worked.dL_dx.title": "Gradient with respect to the flattened vector",
    "worked.dL_dx.explanation": "x_j feeds both neurons, so its gradient adds both paths: {written}.",
    "worked.pool_backward.title": "Back through max pooling",
    "worked.pool_backward.explanation": "Only the maximum influenced the output, so it receives the whole gradient; "
    "the other cells get 0.",
    "worked.relu_backward.title": "Back through ReLU",
    "worked.relu_backward.explanation_passed": "ReLU passes the gradient where its input was positive and blocks it "
    "elsewhere (the document skips this step). Here both maxima are positive (O1 = {o1}, O2 = {o2}): nothing is "
    "blocked.",
    "worked.relu_backward.explanation_blocked": "ReLU passes the gradient where its input was positive and blocks it "
    "elsewhere (the document skips this step). Here a maximum is not positive (O1 = {o1}, O2 = {o2}): its gradient "
    "stops at ReLU and that filter learns nothing from this image.",
    "worked.dL_df.title": "Gradient of the filter {name}",
    "worked.dL_df.explanation": "Each weight of {name} met, at every output position, one pixel of X: its gradient "
    "adds those pixels weighted by the gradient G{k} of the output. This is X correlated with G{k}.",
    "worked.rotate_filters.title": "Filters rotated by 180°",
    "worked.rotate_filters.explanation": "To send the gradient back to the image, each filter is turned upside down "
    "and left to right.",
    "worked.dX.title": "X′{k}: full convolution of G{k} with rot180({name})",
    "worked.dX.explanation": "Pad G{k} with a border of zeros and slide the rotated filter over it: each pixel of X "
    "receives the gradient of every output it contributed to, weighted by the {name} entry that multiplied it.",
    "worked.dL_dX.title": "Gradient with respect to the input image",
    "worked.dL_dX.explanation": "X fed both filters, so the two contributions add up.",
    "worked.update_W.title": "Gradient descent on W",
    "worked.update_W.explanation": "Each weight moves against its gradient, by η = {eta} times it.",
    "worked.update_b.title": "Gradient descent on b",
    "worked.update_b.explanation": "Same rule for the biases.",
    "worked.update_f.title": "Gradient descent on {name}",
    "worked.update_f.explanation": "The filters learn with the same rule. Weights whose gradient is 0 do not move.",
    "worked.after_update.title": "After the step: the same input again",
    "worked.after_update.explanation": "Running the forward pass again with the updated weights shows what one step "
    "of learning did: the probability of the true class goes up and the loss goes down (for a small enough η).",
    # -- the worked example: printed names that are words -----------------------------------------------------------
    "worked.name.height": "height",
    "worked.name.width": "width",
    "worked.name.max_pooling_1": "max pooling 1",
    "worked.name.max_pooling_2": "max pooling 2",
    "worked.name.dmax_pooling_1": "dmax pooling 1 (gradient after pooling)",
    "worked.name.dmax_pooling_2": "dmax pooling 2 (gradient after pooling)",
    "worked.name.gradient_in_f1_prime": "gradient in F1′ = Conv(X, ·)",
    "worked.name.gradient_in_f2_prime": "gradient in F2′ = Conv(X, ·)",
    "worked.name.x1_prime_drawing": "X′1 (last matrix of the figure)",
    "worked.name.df1_in_update": "∂L/∂f1 used in the update",
    "worked.name.df2_in_update": "∂L/∂f2 used in the update",
    "worked.name.y_hat_rounded": "ŷ rounded to {y1} / {y2}",
    "worked.name.z1_expression": "expression of z1",
    "worked.name.z2_expression": "expression of z2",
    "worked.name.dz2_label": "label of ∂L/∂z2",
    "worked.name.dz_dw": "∂z_i/∂w",
    "worked.name.iv3_heading": "heading of IV.3",
    "worked.name.dx_formula": "formula of ∂L/∂x",
    "worked.name.df_operator": "operator of ∂L/∂f",
    "worked.name.rot180_f1": "label of rot180(f1)",
    "worked.name.rot180_f2": "label of rot180(f2)",
    "worked.name.drawings_unreadable": "figures of X′1 and X′2",
    "worked.name.dx_names": "names ∂L/∂x_10 …",
    "worked.name.w12_rounding": "w12_new",
    "worked.name.add_padding": "add_padding",
    "worked.name.max_pooling_backward": "max_pooling_backward",
    "worked.name.compute_gradients": "compute_gradients",
    "worked.name.conv_backward_dx": "conv_backward (dx)",
    "worked.name.inverse_convolution": "“inverse convolution”",
    "worked.name.epochs": "epochs",
    # -- the worked example: printed numbers that are slips ----------------------------------------------------------
    "worked.slip.generic": "The document prints {document}; the computed value is {value}.",
    "worked.slip.log10": "The document takes the base-10 logarithm: −log10(0.33) = {doc_log10}. Cross-entropy uses "
    "the natural logarithm (as the course's own code does with np.log): −ln({y2}) = {loss}.",
    "worked.slip.f1_prime_copy": "Copy slip: F1′ repeats ∂L/∂f1 but writes 2.45 for 2.345 (= 5 × 0.469); the exact "
    "value is {value}.",
    "worked.slip.f1_prime_gradient": "F1′ is written as Conv(X, [[0, 0], [0.67, 0]]), but 0.67 is ∂L/∂z1, not the "
    "gradient routed to O1: that one is ∂L/∂x1 = {value} (0.469 in the document; the other map receives −0.67). "
    "With 0.67 the result would be 1.34, 3.35, 2.68.",
    "worked.slip.x1_prime_sign": "Sign lost: X′1(2,1) = 0.469 × f1(1,1) = 0.469 × (−1) = −0.469 (exact {value}); "
    "the last matrix of the figure just above has −0.469, and the sum ∂L/∂X uses the right sign.",
    "worked.slip.x2_prime_sign": "Sign lost: X(2,1) met f2(1,1) = 1 at the output (1,0), whose gradient is −0.67, "
    "so X′2(2,1) = −0.67 × 1 = −0.67 (exact {value}); the sum ∂L/∂X uses the right sign.",
    "worked.slip.update_f1_00": "The update uses 0.98 where ∂L/∂f1(0,0) = 2 × 0.469 = 0.938 (exact {value}) was "
    "computed. f1_new(0,0) still rounds to 0.99.",
    "worked.slip.update_f1_01": "The update uses 2.45, the miscopied value of F1′: ∂L/∂f1(0,1) = 5 × 0.469 = 2.345 "
    "(exact {value}).",
    "worked.slip.update_f1_10": "The update uses 1.98, the value printed as f1_new(1,0) on the same line, where "
    "∂L/∂f1(1,0) = 4 × 0.469 = 1.876 (exact {value}) was computed. f1_new(1,0) still rounds to 1.98.",
    "worked.slip.f1_new_01": "Because of the wrong gradient 2.45: 0 − 0.01 × 2.345 = −0.02345 (exact {value}), not "
    "−0.0245.",
    # -- the worked example: the carried rounding of ŷ ---------------------------------------------------------------
    "worked.rounding.instead": "{document} instead of {computed}",
    "worked.rounding.explanation": "The document rounds ŷ to {y1} / {y2} and carries the rounding into every later "
    "value ({instead}...). Those values are right for the rounded ŷ and are not counted as slips.",
    "worked.rounding.w22": " It shows most where 4 decimals are printed: w22_new = {document} comes from the rounded "
    "gradient, the exact value is {computed}.",
    # -- the worked example: slips that are not a number --------------------------------------------------------------
    "worked.text_slip.z1_expression": "The second weight of neuron 1 is −0.3, not 0.5: the expression as written "
    "gives {written}; the printed result 3.8 is right.",
    "worked.text_slip.z2_expression": "The bias of neuron 2 is −0.5, not −1.2 (the bias of neuron 1 with a minus "
    "sign): as written the expression gives {written}; the printed result 3.1 is right.",
    "worked.text_slip.dz2_label": "The index is missing: this line is ∂L/∂z2 (the value is right).",
    "worked.text_slip.dz_dw": "The weight W[i,j] multiplies x_j, so ∂z_i/∂W[i,j] = x_j, not x_i (the numbers that "
    "follow are right).",
    "worked.text_slip.iv3_heading": "The heading announces the gradient with respect to the activated feature map "
    "(after ReLU), but the section computes ∂L/∂x for the flattened vector x = [10, 8]; the feature maps get their "
    "gradient only in the next lines (dmax pooling).",
    "worked.text_slip.dx_formula": "x_j feeds both z1 and z2, so the sum runs over the two neurons (∂L/∂z1 and "
    "∂L/∂z2, not ∂L/∂z_i twice), and the two results lack their index (∂L/∂x1, ∂L/∂x2). The numbers 0.469 and "
    "−0.67 use the right sum.",
    "worked.text_slip.df_operator": "'×' suggests a matrix product, which is not even defined between a 3×3 and a "
    "2×2 matrix: it is the same sliding-window operation as the forward convolution (the document later writes "
    "Conv(X, ·)).",
    "worked.text_slip.rot180_f1": "Loose notation: under the heading 'Filter rotation 180°' the matrix {rotated} is "
    "labelled f1; it is f1 turned by 180° (f1 itself is {original}). The values are right.",
    "worked.text_slip.rot180_f2": "Loose notation: under the same heading the matrix {rotated} is labelled f2; it is "
    "f2 turned by 180° (f2 itself is {original}). The values are right.",
    "worked.text_slip.drawings_unreadable": "The step-by-step figures of X′1 and X′2 were garbled when the document "
    "was converted to text (a circled 5 stands where a matrix should be): they cannot be read reliably and are not "
    "compared. Only the lost signs of the printed X′1 and X′2 are flagged.",
    "worked.text_slip.dx_names": "Lower-case x named the flattened vector [10, 8] earlier; these are entries of "
    "∂L/∂X, the gradient of the input image.",
    "worked.text_slip.w12_rounding": "A small point: by the document's own figures, −0.3 − 0.01 × 5.36 = {value}, "
    "which rounds to −0.354 rather than −0.353 (the exact value is {exact}).",
    # -- the worked example: the course's code and text (sections V–VI) ----------------------------------------------
    "worked.code.add_padding": "Padding adds zeros around the image to control the output size — with "
    "P = (F − 1) / 2 ({padding} for a {kernel}×{kernel} kernel) a {image}×{image} image keeps its size. It does not "
    "make the dimensions multiples of the kernel size: the output size is (N − F + 2P) / S + 1 whatever N is.",
    "worked.code.max_pooling_backward": "Its `break` only leaves the inner loop: when two equal maxima sit in "
    "different rows of a window, both receive the gradient (here twice the gradient in total). One position must get "
    "it: the first in reading order.",
    "worked.code.compute_gradients": "It divides dl_dw and dl_db by m = y_true.shape[0], the number of classes (10 "
    "for MNIST, {m} here), not a batch size: there is one image per step. Its gradients are therefore 10× too small "
    "on MNIST, while dl_dflattened (and so the filter's gradient) is not divided: the dense layer learns with η/10.",
    "worked.code.conv_backward_dx": "Its dx loop multiplies dL_dconv[m, n] by kernel_rotated[i − m·S, j − n·S]; with "
    "that indexing the kernel must not be rotated (the rotation belongs to the 'full convolution' view of section "
    "IV.4). Its dx is wrong unless the kernel is symmetric; the training loop only survives because it ignores dx.",
    "worked.code.inverse_convolution": "The text calls the dx step an 'inverse convolution'. It is not an inverse "
    "(it does not undo the convolution): it is a full convolution with the filter rotated by 180°, also called a "
    "transposed convolution.",
    "worked.code.epochs": "The code and the printed training log do not match: the log comes from a 2-epoch run.",
    # -- the worked example: terminal tables (convstep example) -------------------------------------------------------
    "worked.table.quantity": "Quantity",
    "worked.table.computed": "Computed",
    "worked.table.document": "Document",
    "worked.table.match": "ok",
    "worked.table.rounding": "≈ rounded",
    "worked.table.mismatch": "✗ slip",
    "worked.table.errata": "Errata of the document",
    "worked.table.section": "Section",
    "worked.table.what": "What",
    "worked.table.correct": "Correct",
    "worked.table.edited": "(inputs differ from the document's: no comparison with its printed values)",
    "worked.table.title": "The course's worked example, recomputed by the engine (float64)",
    # -- preprocessing step titles (engine/preprocess.py) ------------------------------------------------------------
    "preprocess.grayscale": "Grayscale",
    "preprocess.inverted": "Light ink on black",
    "preprocess.denoised": "Noise removed",
    "preprocess.cropped": "Cropped to the ink",
    "preprocess.scaled": "Scaled to 20 px",
    "preprocess.stroke": "Stroke width",
    "preprocess.centered": "Centred in 28×28",
    # -- the perceptron chapter's errata (engine/perceptron_errata.py): perceptron.erratum.<slip>.<field> ------------
    # (braces such as Σ_{i=1}^m in templates without placeholders are the document's indices, written as it does)
    "perceptron.erratum.log_loss_brackets.document": "−(1/m) * Σ y_i * log(a_i) + (1 − y_i) * log(1 − a_i)",
    "perceptron.erratum.log_loss_brackets.computed": "L = −(1/m)·Σ [y_i·ln a_i + (1 − y_i)·ln(1 − a_i)]",
    "perceptron.erratum.log_loss_brackets.explanation": "Without brackets, the sum (and the factor −1/m) only covers "
    "the first term, and the second is left with an index i that belongs to no sum. Both terms are inside the sum, as "
    "the code's np.sum(y*np.log(A) + (1-y)*np.log(1-A)) shows; log is the natural logarithm ln.",
    "perceptron.erratum.gradient_indices.document": "∂L/∂w_i = −(1/m) Σ_{i=1}^m (y_i − a_i) × x_j^(i);  "
    "Σ_{m=1}^{m};  [y_1 … y_n], [a_1 … a_n]",
    "perceptron.erratum.gradient_indices.computed": "∂L/∂w_j = −(1/m) Σ_{i=1}^m (y_i − a_i)·x_j^(i);  "
    "y, A = [y_1 … y_m], [a_1 … a_m]",
    "perceptron.erratum.gradient_indices.explanation": "i numbers the samples (it is the summation index), j the "
    "features: the derivative is with respect to w_j. In the vectorised form the last row's sum runs over i (not "
    "m = 1 … m), and y and A have one entry per sample, m of them, not n (n counts the features). The result "
    "−(1/m)·Xᵀ(y − A) is right.",
    "perceptron.erratum.heaviside_at_zero.document": "H(0) = 1/2  (Heaviside);  y = 1 si z ≥ 0  (En résumé)",
    "perceptron.erratum.heaviside_at_zero.computed": "ConvStep: H(z) = 1 if z ≥ 0, else 0",
    "perceptron.erratum.heaviside_at_zero.explanation": "The chapter gives two values at z = 0: 1/2 on the activation "
    "slide, 1 in the summary of the formal neuron. Both conventions exist; they only differ on the boundary itself. "
    "ConvStep uses the summary's.",
    "perceptron.erratum.dL_dA.document": "∂L/∂A = Σ −y/A + (1 − y)/A = {document}  (y = {y}, A = {a})",
    "perceptron.erratum.dL_dA.computed": "∂L/∂A = −y/A + (1 − y)/(1 − A) = {correct}",
    "perceptron.erratum.dL_dA.explanation": "The second term comes from ln(1 − A), whose derivative is −1/(1 − A): it "
    "is (1 − y)/(1 − A), not (1 − y)/A. With y = {y} and A = {a} the document's form gives {document}, the loss's slope "
    "is {correct} (a central difference gives {central_difference}). Multiplied by ∂A/∂Z = A(1 − A), the right form "
    "gives A − y, the dZ the annex's code starts from (and its bce_derivee writes (1 − y)/(1 − sortie) correctly). The "
    "Σ does not belong there either: the derivative is taken for each sample.",
    "perceptron.erratum.dZ_dW.document": "∂Z/∂W = A",
    "perceptron.erratum.dZ_dW.computed": "∂Z^[l]/∂W^[l] = A^[l−1]  (∂L/∂W^[l] = dZ^[l]·A^[l−1]ᵀ)",
    "perceptron.erratum.dZ_dW.explanation": "Z^[l] = W^[l]·A^[l−1] + B^[l] is multiplied by the previous layer's "
    "activations: without its index the line reads as the layer's own A. The general case the document gives next "
    "(base^[C]·A^[C−1]ᵀ) is right.",
    "perceptron.erratum.bias_sum.document": "∂L/∂B^[2] = (1/m)·base^[2] = {document}  (XOR, m = {m})",
    "perceptron.erratum.bias_sum.computed": "∂L/∂B^[2] = (1/m)·Σ base^[2] = {correct}",
    "perceptron.erratum.bias_sum.explanation": "base^[C] has one column per sample (n_C × m) while B^[C] has one: the "
    "sum over the samples is missing (for ∂L/∂W^[C] it is inside the matrix product, as the document notes; for B it "
    "must be written). The annex's code does sum: np.sum(dZ, axis=1, keepdims=True).",
    "perceptron.erratum.relu_backward.document": "inter[inter <= 0] = 0  →  ∂L/∂x = {document}",
    "perceptron.erratum.relu_backward.computed": "∂L/∂x = ∂L/∂y · 1[x > 0] = {correct}",
    "perceptron.erratum.relu_backward.explanation": "It zeroes the gradient where the gradient is negative; ReLU's "
    "derivative depends on the layer's input: 1 where x > 0, 0 elsewhere. With x = {x} and ∂L/∂y = {grad_output}, the "
    "gradient must stop at the two inactive units and pass, negative or not, through the active ones.",
    "perceptron.erratum.dense_backward.document": "np.dot(self.poids.T, grad_sortie) after the update = {document}",
    "perceptron.erratum.dense_backward.computed": "∂L/∂x = Wᵀ·∂L/∂z (the forward pass's W) = {correct}",
    "perceptron.erratum.dense_backward.explanation": "It updates self.poids before computing the gradient it sends to "
    "the previous layer, so that gradient uses the new weights: it is off by −η·x·‖∂L/∂z‖² (here η = {learning_rate}, "
    "x = {x}, ∂L/∂z = {grad_output}). The input gradient must use the weights that produced the output; compute it "
    "first, then update.",
    "perceptron.erratum.dropout_at_test.document": "two calls on x = [1, …, 1]: {first} then {second}",
    "perceptron.erratum.dropout_at_test.computed": "at test time: y = x = {x}",
    "perceptron.erratum.dropout_at_test.explanation": "It draws a new mask on every call, and Reseau.prediction and "
    "test call every layer's propagation_directe: a network holding this layer gives random predictions when it is "
    "evaluated. Dropout belongs to training only, with the kept units divided by their keep probability (inverted "
    "dropout) so that nothing changes at test time; the engine's Dropout does that.",
    # -- quotes of the (French) course document, verbatim in every language --------------------------------------------
    "worked.quote.iv3_heading": "IV.3 : « Gradient de la perte par rapport à la carte de caractéristiques activée (ReLU) » puis ∂L/∂x_i = …",
    "worked.quote.inverse_convolution": "dx : « une opération de convolution inverse en utilisant le filtre retourné »",
    "worked.quote.add_padding": "add_padding : « … pour assurer que les dimensions de l'image sont multiples de la taille du noyau »",
    "perceptron.quote.section.log_loss": "Minimisation de l'erreur",
    "perceptron.quote.section.gradients": "Calcule des gradients",
    "perceptron.quote.section.activation_summary": "Fonction d'activation · En résumé",
    "perceptron.quote.section.back_propagation": "Back Propagation",
    "perceptron.quote.section.back_propagation_general": "Back Propagation · Cas général",
    "perceptron.quote.section.annex_relu": "Annexe 4 · Relu",
    "perceptron.quote.section.annex_dense": "Annexe 4 · Dense",
    "perceptron.quote.section.annex_dropout": "Annexe 4 · Dropout",
    # -- API errors (app/): error.<code>[.n]; request validation: validation.<pydantic type> or validation.<field>.<type> --
    "error.invalid_label": "label must be between 0 and {max_label} for model {model}.",
    "error.unknown_model": "Unknown model {model}. Available: {available}.",
    "error.unknown_layer": "Model {model} has no layer {layer}. Layers: {layers}.",
    "error.input_too_large": "The input is {h}×{w}; its sides must be at most {side}.",
    "error.stride_too_large": "The stride must be at most {side} (the largest input side).",
    "error.too_many_positions": "At most {max_detail_positions} positions per request.",
    "error.shape_mismatch": "The kernel is {ndim}-D but the input is {ndim2}-D: give them the same number of dimensions.",
    "error.shape_mismatch.2": "The kernel has {kernel_channels} channels, the input {input_channels}: they must match.",
    # -- architectures and "your stack" (app/services/zoo.py): error.shape_error[.*], error.shape.<engine code>,
    # error.stack_syntax[.<reason>] --
    "error.shape_error": "{what}: layer {layer} does not fit: {reason}.",
    "error.shape_error.at_size": "{what} at {size}×{size}: layer {layer} does not fit: {reason}.",
    "error.shape_error.line": "{what}: line {line}, layer {layer} does not fit: {reason}.",
    "error.shape_error.your_stack": "Your stack",
    "error.shape.too_large": "the kernel ({f}) is larger than the padded input ({n} + {p} = {total})",
    "error.shape.needs_image": "a {kind} layer needs an image (C, H, W), got {shape} (it comes after a flatten)",
    "error.shape.needs_vector": "a {kind} layer needs a vector input (add a flatten layer), got {shape}",
    "error.shape.groups": "{groups} groups must divide both the {channels} input channels and the {filters} filters",
    "error.shape.positive": "{what} must be a positive integer, got {value}",
    "error.shape.connections": "the connection table must give, for each of the {filters} filters, input maps from 0 "
    "to {last}",
    "error.shape.empty": "its output {shape} would be empty",
    "error.shape.channels": "it expects {expected} input channels, got {got}",
    "error.shape.unknown_type": "unknown layer type '{kind}'; known: {known}",
    "error.shape.unknown_option": "a {kind} layer has no option {options}",
    "error.shape.residual_shapes": "a residual addition needs equal shapes, got {shapes}",
    "error.shape.concat_sizes": "a concatenation needs maps of equal size, got {shapes}",
    "error.shape.branches": "a {kind} block needs a list of at least two branches (a branch [] is the input)",
    "error.shape.no_layers": "an architecture is a non-empty list of layers",
    "error.shape.invalid": "an option of this layer is not valid",
    "error.shape.and": "{a} and {b}",
    "error.stack_syntax": "Line {line} ({text}): {reason}.",
    "error.stack_syntax.empty": "Type at least one layer (for example: conv 32 3).",
    "error.stack_syntax.unknown_type": "unknown layer type '{word}'; known: {known}",
    "error.stack_syntax.groups": "only conv takes groups",
    "error.stack_syntax.dropout_rate": "a dropout rate is between 0 and 1",
    "error.stack_syntax.not_understood": "'{word}' is not understood here",
    "error.stack_syntax.too_big": "numbers go up to {largest}",
    "error.stack_syntax.filters": "say how many filters (conv 32 3 = 32 filters 3×3)",
    "error.stack_syntax.units": "say how many units ({kind} 10)",
    "error.stack_syntax.too_many_lines": "at most {largest} layers",
    "error.padding_too_large": "The padding must be at most {max_kernel_size}.",
    "error.position_out_of_range": "Position [{i}, {j}] is outside the {ho}×{wo} output.",
    "error.unsupported_model": "Model {model} does not take images.",
    "error.numerical_overflow": "The numbers grew too large to compute (overflow): use smaller values or a smaller learning rate.",
    "error.invalid_range": "x_max must be greater than x_min.",
    "error.too_many_steps": "steps must be at most {max_backward_steps}.",
    "error.not_trainable": "Model {model} does not end with a softmax: no loss to backpropagate.",
    "error.too_many_entries": "At most {limit} entries per gradient check.",
    "error.index_out_of_range": "Index {idx} is outside {layer}.{param} of shape {shape}.",
    "error.position_out_of_range.2": "({row}, {col}) is outside {layer}'s {height}×{width} output.",
    "error.row_out_of_range": "row must be below {rows}.",
    "error.too_many_images": "Too many images: {n_images} sent, at most {limit} per request.",
    "error.no_model": "Job {id} ended without a model ({state}).",
    "error.model_not_ready": "The model is still training: download it when the job has ended.",
    "error.invalid_worked_example": "Invalid input for the worked example: {reason}",
    "validation.missing": "this field is required",
    "validation.extra_forbidden": "unknown field",
    "validation.finite_number": "NaN and infinite values are not allowed",
    "validation.greater_than_equal": "must be at least {ge}",
    "validation.greater_than": "must be greater than {gt}",
    "validation.less_than_equal": "must be at most {le}",
    "validation.less_than": "must be less than {lt}",
    "validation.float_parsing": "must be a number",
    "validation.float_type": "must be a number",
    "validation.int_parsing": "must be a whole number",
    "validation.int_type": "must be a whole number",
    "validation.int_from_float": "must be a whole number",
    "validation.bool_parsing": "must be true or false",
    "validation.bool_type": "must be true or false",
    "validation.string_type": "must be a text string",
    "validation.string_unicode": "must be valid Unicode text",
    "validation.list_type": "must be a list (JSON array)",
    "validation.tuple_type": "must be a list (JSON array)",
    "validation.dict_type": "must be an object",
    "validation.model_type": "must be an object",
    "validation.model_attributes_type": "must be an object",
    "validation.too_short": "must have at least {min_length} item(s)",
    "validation.too_long": "must have at most {max_length} item(s)",
    "validation.string_too_short": "must not be empty",
    "validation.string_too_long": "is too long (at most {max_length} characters)",
    "validation.string_pattern_mismatch": "has an invalid format",
    "validation.literal_error": "must be one of {expected}",
    "validation.enum": "must be one of {expected}",
    "validation.json_invalid": "the request body is not valid JSON ({error})",
    "validation.json_type": "must be JSON",
    "validation.model.string_pattern_mismatch": "must be a model id such as lenet (lowercase letters, digits, - and _)",
    "validation.image.string_type": "must be an image: a PNG/JPEG data URL or a 2-D array of numbers",
    "error.bad_request": "The request could not be read (is the body valid JSON?).",
    "error.not_found": "Nothing here: check the address.",
    "error.architecture_not_found": "Unknown architecture {name}: the known ones are {known}.",
    "error.drawing_not_found": "Drawing not found.",
    "error.method_not_allowed": "This method is not allowed here.",
    "error.body_too_large": "The request is too large.",
    "error.unsupported_media_type": "Send the body as JSON (Content-Type: application/json).",
    "error.http_error": "HTTP error {status_code}.",
    "error.json_too_deep": "The JSON is nested too deeply (at most {limit} levels of arrays and objects).",
    "error.invalid_input": "Invalid input: {reason}",
    "error.internal_error": "Internal error: ConvStep hit a bug. It has been logged.",
    "error.invalid_request": "Invalid request — {summary}",
    "validation.invalid_value": "invalid value",
    "validation.custom_needs_architecture": "preset custom needs an architecture (a list of layers; [] for a softmax regression)",
    "validation.architecture_only_for_custom": "architecture is only for preset custom (preset {preset} has its own)",
    "validation.image_or_images": 'send either "image" or "images" (not both)',
    "validation.points_labels_length": "points and labels must have the same length ({points} ≠ {labels})",
    "validation.mlp_layer_shape": "layer {layer}: W must be {rows}×{width} and b of length {rows}",
    "validation.mlp_last_layer": "the last layer must have one unit",
    # -- the worked example: refused inputs (engine/worked_example/inputs.py) --
    "worked.input.label": "y as a label must be 0 or 1",
    "worked.input.not_numbers": "{name} must be numbers, got {value}",
    "worked.input.matrix": "{name} must be a {size} matrix, got shape {shape}",
    "worked.input.vector": "{name} must be a {size} vector, got shape {shape}",
    "worked.input.not_finite": "{name} must contain finite numbers only",
    "worked.input.probabilities": "y must be a probability vector (non-negative, summing to 1), e.g. [0, 1]",
    "worked.input.eta": "eta (the learning rate) must be a positive number, got {value}",
    "worked.input.overflow": "the inputs are too large: the computation overflows (use smaller numbers)",
    "validation.invalid_layer_type": "each layer needs a type among {types}",
    "error.image_prefix": "Image {index}: ",
    "error.blank_image": "{prefix}the drawing is blank: draw a digit first.",
    "error.image_too_large": "{prefix}the image is too large (at most {limit} pixels): send a smaller image.",
    "error.invalid_image": "{prefix}not a readable image: send a PNG or a JPEG (the file is corrupt, truncated or of another type).",
    "error.unusable_image": "{prefix}unusable image (the reason is in detail.reason).",
    "error.ragged_array": "{prefix}the rows of the {what} do not all have the same length.",
    "error.empty_array": "{prefix}the {what} is empty.",
    "error.not_finite": "{prefix}the {what} contains NaN or infinite values.",
    "error.image_not_2d": "{prefix}an image array must be 2-D (rows of numbers).",
    "error.preprocess_unsupported": '{prefix}model {model} takes a {shape} input: send it as an array with "preprocess": false.',
    "error.wrong_image_size": '{prefix}with "preprocess": false the image must be {expected}, got {got}.',
    "error.out_of_range": "{prefix}pixel values must be between 0 and 255 (or 0 and 1).",
    "error.too_many_channels": "{What} has {channels} channels; at most {limit} are allowed.",
    "error.single_number_for_1d": "For a 1-D input the {what} is a single number.",
    "error.kernel_too_large": "{What} is {size}; its sides must be at most {limit}.",
    "error.kernel_larger_than_input": "{What} ({size}) is larger than the padded input ({padded}): there is no position where it fits. Use a smaller window or more padding.",
    "sliding.and": " and ",
    "sliding.uneven_note": "The stride does not divide evenly: the formula's division is rounded down, so the window never covers {left_out} of the (padded) input.",
    "sliding.last_rows": "the last {n} rows",
    "sliding.last_columns": "the last {n} columns",
    "sliding.last_rows_one": "the last row",
    "sliding.last_columns_one": "the last column",
    "architecture.after_flatten": "Layer {layer} ({kind}) comes after the image was flattened: put convolutions and pooling before the dense layers.",
    "architecture.second_flatten": "Layer {layer}: the image is already flattened (one flatten is enough).",
    "architecture.layer_n": "Layer {n} ({kind})",
    "architecture.layer_added": "The {kind} layer added",
    "architecture.kernel": "kernel",
    "architecture.window": "pooling window",
    "architecture.does_not_fit": "{where} does not fit: its {window} {what} is larger than its {size} input (padding included). Use a smaller kernel, more padding or fewer pooling layers.",
    "architecture.does_not_fit_other": "{where} does not fit its input (the reason is in detail.reason).",
    "architecture.leaves_nothing": "{where} leaves nothing: its output would be {output}.",
    "architecture.cannot_build": "The architecture cannot be built.",
    "architecture.too_many_params": "This network has {params} parameters; live training allows at most {limit}. Use fewer filters, narrower dense layers, or pooling before the first dense layer.",
    "architecture.too_many_macs": "This network needs {macs} multiply-adds per image; live training allows at most {limit}. Use fewer or smaller filters, a stride of 2, or pooling earlier.",
    "architecture.batch_memory": "One batch of {batch_size} images would need about {mb} MB of memory for this network (at most {cap} MB): use a smaller batch or a smaller network.",
    "error.unknown_param": "Layer {layer} has no parameter {param} (it has: {have}).",
    "error.unknown_param_none": "Layer {layer} has no parameter {param} (it has none).{have}",
    "error.tensor_too_large": "{name} has {size} values: ask for one row at a time with ?row=k.",
    "error.engine_reason": "the engine refused these values ({kind}; the reason is in detail.reason)",
    "sliding.name.image": "image",
    "sliding.name.input": "input",
    "sliding.name.kernel": "kernel",
    "sliding.name.window": "window",
    "sliding.name.stride": "stride",
    "sliding.name.padding": "padding",
    "sliding.name.size": "size",
    "sliding.subject.input": "The input",
    "sliding.subject.kernel": "The kernel",
    "sliding.subject.window": "The window",
    "sliding.subject.stride": "The stride",
    "sliding.subject.padding": "The padding",
    "sliding.subject.size": "The size",
    # -- live training (app/services/jobs/): the queue's API errors, then why a job failed: job_error.<code>[.*] --
    "error.training_disabled": "Live training is turned off on this server (a server with several worker processes turns it off unless CONVSTEP_REDIS_URL gives it a shared queue).",
    "error.training_disabled.classes": "Training is turned off on this server.",
    "error.shutting_down": "The server is shutting down: training is closed.",
    "error.training_unavailable": "Training is unavailable for a moment: the server cannot reach its training queue. Everything else works; try again in a minute.",
    "error.too_many_epochs": "epochs: at most {max_epochs} on this server.",
    "error.init_model_mismatch": "Model '{model}' does not have the architecture of this request: its weights cannot be the start.",
    "error.unknown_data_source": "Extra training data: {reason}.",
    "error.reason_in_detail": "{kind}; the reason is in detail.reason",
    "error.invalid_model_id": "'{model}' cannot name a model: lowercase letters, digits, - and _, not a bundled model.",
    "error.too_many_jobs_for_client": "You already have {active} training job(s) queued or running, the most one browser may have: wait for one to finish, or stop one, and try again.",
    "error.queue_full": "{queued} training jobs are already waiting, the most this server queues: try again in about {retry} s.",
    "error.unknown_job": "No training job '{job}': it never existed, or it ended more than {minutes} min ago and was forgotten (with its model).",
    "error.unknown_job.invalid_id": "No training job with this id (it is not a job id): it never existed, or it ended more than {minutes} min ago and was forgotten (with its model).",
    "job_error.worker_lost": "The training worker running this job stopped without finishing it (killed, out of memory or its machine went down). Start the training again.",
    "job_error.training_diverged": "Training diverged: at epoch {epoch}, batch {batch}, the loss became {what}. The learning rate ({lr}) is too high: each step overshoots, the weights grow until the numbers blow up. Start again with a smaller learning rate, e.g. {suggestion}.",
    "job_error.training_diverged.nan": "NaN (not a number)",
    "job_error.training_diverged.inf": "infinite",
    "job_error.training_diverged.value": "{loss}, far above the {chance} of a blind guess",
    "job_error.out_of_memory": "The server ran out of memory for this run: use a smaller batch, a smaller network or fewer images.",
    "job_error.data_source_error": "The extra training data could not be read: {reason}",
    "job_error.training_error": "Training could not run: {reason}",
    "job_error.internal_error": "Internal error: the training job hit a bug. It has been logged.",
    "job_error.recorded": "{text}",
    # -- classes (app/services/classes.py, app/api/routes/classes.py) --
    "error.unknown_class": "No class with this code: check the code your teacher gave (6 letters and digits), or the class has ended.",
    "error.too_many_classes": "Too many new classes from this address ({limit} an hour): try again later.",
    "error.too_many_attempts": "Too many wrong codes ({limit} a minute): wait a moment, then check the code with your teacher.",
    "error.token_required": "This is the teacher's page: open it with the teacher link (it holds the class's secret token).",
    "error.token_required.drawings": "Send X-Device-Id (a student's own drawings) or the teacher's token.",
    "error.token_required.drawing": "Send X-Device-Id (a student's own drawing) or the teacher's token.",
    "error.wrong_token": "This teacher token does not open this class.",
    "error.training_in_progress": "This class is already learning: wait for the end of the current training.",
    "error.not_enough_drawings": "The class has {drawings} drawing(s): draw at least {min_drawings} first.",
    "error.class_full": "This class already has {count} drawings, the most a class keeps: the teacher can delete some.",
    "error.too_fast": "One drawing at a time: wait a second before sending the next one.",
}
