"""English catalogue: every sentence the server writes, keyed by code (same keys as :mod:`messages.fr`)."""

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
    # -- quotes of the (French) course document, verbatim in every language --------------------------------------------
    "worked.quote.iv3_heading": "IV.3 : « Gradient de la perte par rapport à la carte de caractéristiques activée (ReLU) » puis ∂L/∂x_i = …",
    "worked.quote.inverse_convolution": "dx : « une opération de convolution inverse en utilisant le filtre retourné »",
    "worked.quote.add_padding": "add_padding : « … pour assurer que les dimensions de l'image sont multiples de la taille du noyau »",
}
