"""Catalogue français : chaque phrase écrite par le serveur, par code (mêmes clés que :mod:`messages.en`).

Why one file of over 400 lines: a catalogue is one table of sentences, read by key; its twin is messages/en.py.
Écrit comme l'écrirait un professeur de mathématiques : virgule décimale (les nombres sont écrits par
:func:`messages.format_number`), « remplissage » pour padding, « lot » pour batch, « exactitude » pour accuracy.
Les espaces insécables avant ; : ? ! % sont posées au chargement (:func:`messages.french_typography`).
"""

MESSAGES: dict[str, str] = {
    # -- l'exemple du cours (engine/worked_example) : les étapes ------------------------------------------------------
    "worked.output_size.title": "Taille de sortie de la convolution",
    "worked.output_size.explanation": "Un filtre 2×2 glisse sur l'entrée 3×3 avec un pas de 1 et sans remplissage : "
    "il tient dans {ho} positions par ligne et {wo} par colonne, donc chaque carte de caractéristiques est {ho}×{wo}.",
    "worked.conv.title": "Convolution O{k} = X ∗ {name}",
    "worked.conv.explanation": "On pose {name} sur chaque fenêtre 2×2 de X, on multiplie case par case et on "
    "additionne les quatre produits. Comme dans le cours, cette « convolution » est une corrélation croisée : le "
    "noyau n'est pas retourné.",
    "worked.relu.title": "Activation ReLU",
    "worked.relu.explanation": "Les valeurs négatives deviennent 0, les autres passent telles quelles.",
    "worked.max_pool.title": "Max pooling (2×2, toute la carte)",
    "worked.max_pool.explanation": "Chaque carte 2×2 garde sa plus grande valeur. La position du maximum est "
    "retenue : la rétropropagation y renverra le gradient (premier maximum dans l'ordre de lecture en cas "
    "d'égalité).",
    "worked.flatten.title": "Aplatissement",
    "worked.flatten.explanation": "Les deux valeurs issues du pooling sont empilées dans le vecteur x.",
    "worked.dense.title": "Couche entièrement connectée z = W·x + b (affine)",
    "worked.dense.explanation": "Chaque neurone de sortie multiplie x par sa ligne de W et ajoute son biais : "
    "{written}.",
    "worked.softmax.title": "Softmax (exponentielle normalisée)",
    "worked.softmax.explanation": "Les exponentielles sont normalisées en probabilités dont la somme vaut 1.",
    "worked.loss.title": "Perte d'entropie croisée",
    "worked.loss.explanation": "Avec une cible « un parmi n » seule la vraie classe compte : L = −ln(ŷ de la vraie "
    "classe). Le logarithme est le logarithme népérien (ln).",
    "worked.dL_dz.title": "Gradient par rapport aux scores z (logits)",
    "worked.dL_dz.explanation": "Softmax et entropie croisée ensemble ont cette dérivée très simple.",
    "worked.dL_dW.title": "Gradient des poids",
    "worked.dL_dW.explanation": "Le poids W[i,j] multiplie x_j dans z_i, donc son gradient est ∂L/∂z_i fois x_j : "
    "∂L/∂W est le produit de la colonne ∂L/∂z par la ligne xᵀ.",
    "worked.dL_db.title": "Gradient des biais",
    "worked.dL_db.explanation": "Un biais est ajouté à z_i avec un poids de 1.",
    "worked.dL_dx.title": "Gradient par rapport au vecteur aplati",
    "worked.dL_dx.explanation": "x_j alimente les deux neurones, son gradient additionne donc les deux chemins : "
    "{written}.",
    "worked.pool_backward.title": "Retour à travers le max pooling",
    "worked.pool_backward.explanation": "Seul le maximum a influencé la sortie : il reçoit tout le gradient, les "
    "autres cases reçoivent 0.",
    "worked.relu_backward.title": "Retour à travers ReLU",
    "worked.relu_backward.explanation_passed": "ReLU laisse passer le gradient là où son entrée était positive et le "
    "bloque ailleurs (le document saute cette étape). Ici les deux maxima sont positifs (O1 = {o1} et O2 = {o2}) : "
    "rien n'est bloqué.",
    "worked.relu_backward.explanation_blocked": "ReLU laisse passer le gradient là où son entrée était positive et le "
    "bloque ailleurs (le document saute cette étape). Ici un maximum n'est pas positif (O1 = {o1} et O2 = {o2}) : "
    "son gradient s'arrête à ReLU et ce filtre n'apprend rien de cette image.",
    "worked.dL_df.title": "Gradient du filtre {name}",
    "worked.dL_df.explanation": "Chaque poids de {name} a rencontré, à chaque position de sortie, un pixel de X : son "
    "gradient additionne ces pixels pondérés par le gradient G{k} de la sortie. C'est X corrélé avec G{k}.",
    "worked.rotate_filters.title": "Filtres tournés de 180°",
    "worked.rotate_filters.explanation": "Pour renvoyer le gradient vers l'image, chaque filtre est retourné haut-bas "
    "et gauche-droite.",
    "worked.dX.title": "X′{k} : convolution complète de G{k} avec rot180({name})",
    "worked.dX.explanation": "On entoure G{k} d'une bordure de zéros (remplissage) et on y fait glisser le filtre "
    "tourné : chaque pixel de X reçoit le gradient de chaque sortie à laquelle il a contribué, pondéré par le "
    "coefficient de {name} qui l'a multiplié.",
    "worked.dL_dX.title": "Gradient par rapport à l'image d'entrée",
    "worked.dL_dX.explanation": "X alimente les deux filtres : les deux contributions s'additionnent.",
    "worked.update_W.title": "Descente de gradient sur W",
    "worked.update_W.explanation": "Chaque poids se déplace à l'opposé de son gradient, de η = {eta} fois celui-ci.",
    "worked.update_b.title": "Descente de gradient sur b",
    "worked.update_b.explanation": "Même règle pour les biais.",
    "worked.update_f.title": "Descente de gradient sur {name}",
    "worked.update_f.explanation": "Les filtres apprennent avec la même règle. Les poids dont le gradient est nul ne "
    "bougent pas.",
    "worked.after_update.title": "Après le pas : la même entrée à nouveau",
    "worked.after_update.explanation": "Refaire la propagation avant avec les poids mis à jour montre l'effet d'un pas "
    "d'apprentissage : la probabilité de la vraie classe monte et la perte baisse (pour un η assez petit).",
    # -- l'exemple du cours : noms imprimés qui sont des mots ---------------------------------------------------------
    "worked.name.height": "hauteur",
    "worked.name.width": "largeur",
    "worked.name.max_pooling_1": "max pooling de la carte 1",
    "worked.name.max_pooling_2": "max pooling de la carte 2",
    "worked.name.dmax_pooling_1": "dmax pooling 1 (gradient après le pooling)",
    "worked.name.dmax_pooling_2": "dmax pooling 2 (gradient après le pooling)",
    "worked.name.gradient_in_f1_prime": "gradient dans F1′ = Conv(X, ·)",
    "worked.name.gradient_in_f2_prime": "gradient dans F2′ = Conv(X, ·)",
    "worked.name.x1_prime_drawing": "X′1 (dernière matrice de la figure)",
    "worked.name.df1_in_update": "∂L/∂f1 utilisé dans la mise à jour",
    "worked.name.df2_in_update": "∂L/∂f2 utilisé dans la mise à jour",
    "worked.name.y_hat_rounded": "ŷ arrondi à {y1} / {y2}",
    "worked.name.z1_expression": "expression de z1",
    "worked.name.z2_expression": "expression de z2",
    "worked.name.dz2_label": "nom de ∂L/∂z2",
    "worked.name.dz_dw": "dérivée ∂z_i/∂w",
    "worked.name.iv3_heading": "titre de IV.3",
    "worked.name.dx_formula": "formule de ∂L/∂x",
    "worked.name.df_operator": "opérateur de ∂L/∂f",
    "worked.name.rot180_f1": "nom de rot180(f1)",
    "worked.name.rot180_f2": "nom de rot180(f2)",
    "worked.name.drawings_unreadable": "figures de X′1 et X′2",
    "worked.name.dx_names": "noms ∂L/∂x_10 …",
    "worked.name.w12_rounding": "nouveau w12",
    "worked.name.add_padding": "fonction add_padding",
    "worked.name.max_pooling_backward": "fonction max_pooling_backward",
    "worked.name.compute_gradients": "fonction compute_gradients",
    "worked.name.conv_backward_dx": "fonction conv_backward (dx)",
    "worked.name.inverse_convolution": "« convolution inverse »",
    "worked.name.epochs": "nombre d'époques",
    # -- l'exemple du cours : nombres imprimés erronés ----------------------------------------------------------------
    "worked.slip.generic": "Le cours donne {document} ; la valeur calculée est {value}.",
    "worked.slip.log10": "Le document prend le logarithme décimal : −log10(0,33) = {doc_log10}. L'entropie croisée "
    "utilise le logarithme népérien (comme le code du cours, np.log) : −ln({y2}) = {loss}.",
    "worked.slip.f1_prime_copy": "Erreur de recopie : F1′ reprend ∂L/∂f1 mais écrit 2,45 au lieu de 2,345 "
    "(= 5 × 0,469) ; la valeur exacte est {value}.",
    "worked.slip.f1_prime_gradient": "F1′ est écrit Conv(X, [[0 ; 0] ; [0,67 ; 0]]), mais 0,67 est ∂L/∂z1, pas le "
    "gradient renvoyé vers O1 : celui-ci vaut ∂L/∂x1 = {value} (0,469 dans le document ; l'autre carte reçoit "
    "−0,67). Avec 0,67 on obtiendrait 1,34 ; 3,35 ; 2,68.",
    "worked.slip.x1_prime_sign": "Signe perdu : X′1(2,1) = 0,469 × f1(1,1) = 0,469 × (−1) = −0,469 (exactement "
    "{value}) ; la dernière matrice de la figure juste au-dessus porte −0,469, et la somme ∂L/∂X utilise le bon signe.",
    "worked.slip.x2_prime_sign": "Signe perdu : X(2,1) a rencontré f2(1,1) = 1 à la sortie (1,0), dont le gradient "
    "vaut −0,67, donc X′2(2,1) = −0,67 × 1 = −0,67 (exactement {value}) ; la somme ∂L/∂X utilise le bon signe.",
    "worked.slip.update_f1_00": "La mise à jour utilise 0,98 là où ∂L/∂f1(0,0) = 2 × 0,469 = 0,938 (exactement "
    "{value}) a été calculé. Le nouveau f1(0,0) s'arrondit quand même à 0,99.",
    "worked.slip.update_f1_01": "La mise à jour utilise 2,45, la valeur mal recopiée dans F1′ : "
    "∂L/∂f1(0,1) = 5 × 0,469 = 2,345 (exactement {value}).",
    "worked.slip.update_f1_10": "La mise à jour utilise 1,98, la valeur donnée pour le nouveau f1(1,0) sur la même "
    "ligne, là où ∂L/∂f1(1,0) = 4 × 0,469 = 1,876 (exactement {value}) a été calculé. Le nouveau f1(1,0) s'arrondit "
    "quand même à 1,98.",
    "worked.slip.f1_new_01": "À cause du gradient erroné 2,45 : 0 − 0,01 × 2,345 = −0,02345 (exactement {value}), "
    "et non −0,0245.",
    # -- l'exemple du cours : l'arrondi de ŷ reporté ------------------------------------------------------------------
    "worked.rounding.instead": "{document} au lieu de {computed}",
    "worked.rounding.explanation": "Le document arrondit ŷ à {y1} / {y2} et reporte cet arrondi dans toutes les "
    "valeurs suivantes ({instead}…). Ces valeurs sont justes pour le ŷ arrondi et ne sont pas comptées comme des "
    "erreurs.",
    "worked.rounding.w22": " Cela se voit surtout là où 4 décimales sont données : le nouveau w22 = {document} vient "
    "du gradient arrondi, la valeur exacte est {computed}.",
    # -- l'exemple du cours : erreurs qui ne sont pas un nombre -------------------------------------------------------
    "worked.text_slip.z1_expression": "Le second poids du neurone 1 vaut −0,3 et non 0,5 : l'expression telle "
    "qu'écrite donne {written} ; le résultat donné, 3,8, est juste.",
    "worked.text_slip.z2_expression": "Le biais du neurone 2 vaut −0,5 et non −1,2 (le biais du neurone 1 avec un "
    "signe moins) : telle qu'écrite l'expression donne {written} ; le résultat donné, 3,1, est juste.",
    "worked.text_slip.dz2_label": "L'indice manque : cette ligne est ∂L/∂z2 (la valeur est juste).",
    "worked.text_slip.dz_dw": "Le poids W[i,j] multiplie x_j, donc ∂z_i/∂W[i,j] = x_j et non x_i (les nombres qui "
    "suivent sont justes).",
    "worked.text_slip.iv3_heading": "Le titre annonce le gradient par rapport à la carte de caractéristiques activée "
    "(après ReLU), mais la section calcule ∂L/∂x pour le vecteur aplati x = [10 ; 8] ; les cartes ne reçoivent leur "
    "gradient que dans les lignes suivantes (dmax pooling).",
    "worked.text_slip.dx_formula": "x_j alimente z1 et z2 : la somme porte sur les deux neurones (∂L/∂z1 et ∂L/∂z2, "
    "pas deux fois ∂L/∂z_i), et les deux résultats n'ont pas d'indice (∂L/∂x1, ∂L/∂x2). Les nombres 0,469 et −0,67 "
    "utilisent la bonne somme.",
    "worked.text_slip.df_operator": "« × » évoque un produit matriciel, qui n'est même pas défini entre une matrice "
    "3×3 et une matrice 2×2 : c'est la même opération de fenêtre glissante que la convolution avant (le document "
    "écrit ensuite Conv(X, ·)).",
    "worked.text_slip.rot180_f1": "Notation approximative : sous le titre « rotation 180° », la matrice {rotated} est "
    "nommée f1 ; c'est f1 tourné de 180° (f1 lui-même vaut {original}). Les valeurs sont justes.",
    "worked.text_slip.rot180_f2": "Notation approximative : sous le même titre, la matrice {rotated} est nommée f2 ; "
    "c'est f2 tourné de 180° (f2 lui-même vaut {original}). Les valeurs sont justes.",
    "worked.text_slip.drawings_unreadable": "Les figures pas à pas de X′1 et X′2 ont été abîmées par la conversion "
    "du document en texte (un 5 entouré se trouve à la place d'une matrice) : on ne peut pas les lire de façon sûre, "
    "elles ne sont donc pas comparées. Seuls les signes perdus dans X′1 et X′2 sont signalés.",
    "worked.text_slip.dx_names": "Le x minuscule désignait plus haut le vecteur aplati [10 ; 8] ; ce sont des "
    "éléments de ∂L/∂X, le gradient de l'image d'entrée.",
    "worked.text_slip.w12_rounding": "Un détail : avec les nombres mêmes du document, −0,3 − 0,01 × 5,36 = {value}, "
    "qui s'arrondit à −0,354 plutôt qu'à −0,353 (la valeur exacte est {exact}).",
    # -- l'exemple du cours : le code et le texte du cours (sections V–VI) -------------------------------------------
    "worked.code.add_padding": "Le remplissage ajoute des zéros autour de l'image pour régler la taille de sortie : "
    "avec P = (F − 1) / 2 ({padding} pour un noyau {kernel}×{kernel}) une image {image}×{image} garde sa taille. Il "
    "ne rend pas les dimensions multiples de la taille du noyau : la taille de sortie est (N − F + 2P) / S + 1 quel "
    "que soit N.",
    "worked.code.max_pooling_backward": "Son `break` ne quitte que la boucle intérieure : quand deux maxima égaux sont "
    "sur deux lignes d'une fenêtre, les deux reçoivent le gradient (ici deux fois le gradient au total). Une seule "
    "position doit le recevoir : la première dans l'ordre de lecture.",
    "worked.code.compute_gradients": "Elle divise dl_dw et dl_db par m = y_true.shape[0], le nombre de classes (10 "
    "pour MNIST, {m} ici), et non une taille de lot : il y a une image par pas. Ses gradients sont donc 10 fois trop "
    "petits sur MNIST, alors que dl_dflattened (donc le gradient du filtre) n'est pas divisé : la couche dense apprend "
    "avec η/10.",
    "worked.code.conv_backward_dx": "Sa boucle dx multiplie dL_dconv[m, n] par kernel_rotated[i − m·S, j − n·S] ; "
    "avec cet indiçage le noyau ne doit pas être tourné (la rotation appartient à la vue « convolution complète » de "
    "la section IV.4). Son dx est faux sauf si le noyau est symétrique ; la boucle d'entraînement ne s'en sort que "
    "parce qu'elle n'utilise pas dx.",
    "worked.code.inverse_convolution": "Le texte appelle l'étape dx une « convolution inverse ». Ce n'est pas une "
    "inverse (elle ne défait pas la convolution) : c'est une convolution complète avec le filtre tourné de 180°, "
    "qu'on appelle aussi convolution transposée.",
    "worked.code.epochs": "Le code et le journal d'entraînement imprimé ne correspondent pas : le journal vient d'une "
    "exécution sur 2 époques.",
    # -- l'exemple du cours : tableaux du terminal (convstep example) -------------------------------------------------
    "worked.table.quantity": "Grandeur",
    "worked.table.computed": "Calculé",
    "worked.table.document": "Cours",
    "worked.table.match": "juste",
    "worked.table.rounding": "≈ arrondi",
    "worked.table.mismatch": "✗ erreur",
    "worked.table.errata": "Errata du document",
    "worked.table.section": "Partie",
    "worked.table.what": "Quoi",
    "worked.table.correct": "Valeur juste",
    "worked.table.edited": "(entrées différentes de celles du document : pas de comparaison avec ses valeurs)",
    "worked.table.title": "L'exemple du cours, recalculé par le moteur (float64)",
    # -- preprocessing step titles (engine/preprocess.py) ------------------------------------------------------------
    "preprocess.grayscale": "Niveaux de gris",
    "preprocess.inverted": "Encre claire sur fond noir",
    "preprocess.denoised": "Bruit supprimé",
    "preprocess.cropped": "Recadré sur l'encre",
    "preprocess.scaled": "Mis à l'échelle (20 px)",
    "preprocess.stroke": "Épaisseur du trait",
    "preprocess.centered": "Centré dans 28×28",
    # -- les errata du chapitre sur le perceptron (engine/perceptron_errata.py) : perceptron.erratum.<erreur>.<champ> --
    # (les accolades comme Σ_{i=1}^m dans les modèles sans paramètre sont les indices du document, écrits comme lui)
    "perceptron.erratum.log_loss_brackets.document": "−(1/m) * Σ y_i * log(a_i) + (1 − y_i) * log(1 − a_i)",
    "perceptron.erratum.log_loss_brackets.computed": "L = −(1/m)·Σ [y_i·ln a_i + (1 − y_i)·ln(1 − a_i)]",
    "perceptron.erratum.log_loss_brackets.explanation": "Sans crochets, la somme (et le facteur −1/m) ne porte que sur "
    "le premier terme, et le second garde un indice i qui n'appartient à aucune somme. Les deux termes sont dans la "
    "somme, comme le montre le code np.sum(y*np.log(A) + (1-y)*np.log(1-A)) ; log est le logarithme népérien ln.",
    "perceptron.erratum.gradient_indices.document": "∂L/∂w_i = −(1/m) Σ_{i=1}^m (y_i − a_i) × x_j^(i) ; "
    "Σ_{m=1}^{m} ; [y_1 … y_n], [a_1 … a_n]",
    "perceptron.erratum.gradient_indices.computed": "∂L/∂w_j = −(1/m) Σ_{i=1}^m (y_i − a_i)·x_j^(i) ; "
    "y, A = [y_1 … y_m], [a_1 … a_m]",
    "perceptron.erratum.gradient_indices.explanation": "i numérote les échantillons (c'est l'indice de sommation), j "
    "les variables : la dérivée est par rapport à w_j. Dans la forme vectorisée, la somme de la dernière ligne porte "
    "sur i (et non m = 1 … m), et y et A ont une composante par échantillon, m en tout, et non n (n compte les "
    "variables). Le résultat −(1/m)·Xᵀ(y − A) est juste.",
    "perceptron.erratum.heaviside_at_zero.document": "H(0) = 1/2 (Heaviside) ; y = 1 si z ≥ 0 (En résumé)",
    "perceptron.erratum.heaviside_at_zero.computed": "ConvStep : H(z) = 1 si z ≥ 0, sinon 0",
    "perceptron.erratum.heaviside_at_zero.explanation": "Le chapitre donne deux valeurs en z = 0 : 1/2 sur la "
    "diapositive des fonctions d'activation, 1 dans le résumé du neurone formel. Les deux conventions existent ; elles "
    "ne diffèrent que sur la frontière elle-même. ConvStep prend celle du résumé.",
    "perceptron.erratum.dL_dA.document": "∂L/∂A = Σ −y/A + (1 − y)/A = {document}  (y = {y} ; A = {a})",
    "perceptron.erratum.dL_dA.computed": "∂L/∂A = −y/A + (1 − y)/(1 − A) = {correct}",
    "perceptron.erratum.dL_dA.explanation": "Le second terme vient de ln(1 − A), dont la dérivée est −1/(1 − A) : "
    "c'est (1 − y)/(1 − A), et non (1 − y)/A. Avec y = {y} et A = {a}, la forme du document donne {document}, la pente "
    "de la perte vaut {correct} (une différence centrée donne {central_difference}). Multipliée par ∂A/∂Z = A(1 − A), "
    "la bonne forme donne A − y, le dZ d'où part le code de l'annexe (et sa bce_derivee écrit bien "
    "(1 − y)/(1 − sortie)). Le Σ n'a pas sa place non plus : la dérivée se prend pour chaque échantillon.",
    "perceptron.erratum.dZ_dW.document": "∂Z/∂W = A",
    "perceptron.erratum.dZ_dW.computed": "∂Z^[l]/∂W^[l] = A^[l−1]  (∂L/∂W^[l] = dZ^[l]·A^[l−1]ᵀ)",
    "perceptron.erratum.dZ_dW.explanation": "Z^[l] = W^[l]·A^[l−1] + B^[l] est multiplié par les activations de la "
    "couche précédente : sans indice, la ligne se lit comme le A de la couche elle-même. Le cas général donné ensuite "
    "(base^[C]·A^[C−1]ᵀ) est juste.",
    "perceptron.erratum.bias_sum.document": "∂L/∂B^[2] = (1/m)·base^[2] = {document}  (XOR, m = {m})",
    "perceptron.erratum.bias_sum.computed": "∂L/∂B^[2] = (1/m)·Σ base^[2] = {correct}",
    "perceptron.erratum.bias_sum.explanation": "base^[C] a une colonne par échantillon (n_C × m) alors que B^[C] n'en a "
    "qu'une : il manque la somme sur les échantillons (pour ∂L/∂W^[C] elle est dans le produit matriciel, comme le "
    "note le document ; pour B il faut l'écrire). Le code de l'annexe fait bien la somme : "
    "np.sum(dZ, axis=1, keepdims=True).",
    "perceptron.erratum.relu_backward.document": "inter[inter <= 0] = 0  →  ∂L/∂x = {document}",
    "perceptron.erratum.relu_backward.computed": "∂L/∂x = ∂L/∂y · 1[x > 0] = {correct}",
    "perceptron.erratum.relu_backward.explanation": "Elle annule le gradient là où le gradient est négatif ; la dérivée "
    "de ReLU dépend de l'entrée de la couche : 1 où x > 0, 0 ailleurs. Avec x = {x} et ∂L/∂y = {grad_output}, le "
    "gradient doit s'arrêter aux deux unités inactives et passer, négatif ou non, par les actives.",
    "perceptron.erratum.dense_backward.document": "np.dot(self.poids.T, grad_sortie) après la mise à jour = {document}",
    "perceptron.erratum.dense_backward.computed": "∂L/∂x = Wᵀ·∂L/∂z (le W de la propagation directe) = {correct}",
    "perceptron.erratum.dense_backward.explanation": "Elle met à jour self.poids avant de calculer le gradient qu'elle "
    "renvoie à la couche précédente : ce gradient utilise donc les nouveaux poids et s'écarte de −η·x·‖∂L/∂z‖² (ici "
    "η = {learning_rate}, x = {x}, ∂L/∂z = {grad_output}). Le gradient de l'entrée doit utiliser les poids qui ont "
    "produit la sortie : le calculer d'abord, mettre à jour ensuite.",
    "perceptron.erratum.dropout_at_test.document": "deux appels sur x = [1 ; … ; 1] : {first} puis {second}",
    "perceptron.erratum.dropout_at_test.computed": "en test : y = x = {x}",
    "perceptron.erratum.dropout_at_test.explanation": "Elle tire un nouveau masque à chaque appel, et Reseau.prediction "
    "et test appellent la propagation_directe de chaque couche : un réseau qui contient cette couche donne des "
    "prédictions aléatoires quand on l'évalue. Le dropout ne sert qu'à l'entraînement, les unités gardées étant "
    "divisées par leur probabilité d'être gardées (dropout inversé) pour que rien ne change en test ; c'est ce que "
    "fait le Dropout du moteur.",
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
    # -- erreurs de l'API (app/) : error.<code>[.n] ; validation des requêtes : validation.<type pydantic> --
    "error.invalid_label": "label doit être entre 0 et {max_label} pour le modèle {model}.",
    "error.unknown_model": "Modèle inconnu {model}. Disponibles : {available}.",
    "error.unknown_layer": "Le modèle {model} n'a pas de couche {layer}. Couches : {layers}.",
    "error.input_too_large": "L'entrée fait {h}×{w} ; ses côtés doivent valoir au plus {side}.",
    "error.stride_too_large": "Le pas doit valoir au plus {side} (le plus grand côté d'entrée).",
    "error.too_many_positions": "Au plus {max_detail_positions} positions par requête.",
    "error.shape_mismatch": "Le noyau est en {ndim}-D mais l'entrée en {ndim2}-D : donnez-leur le même nombre de dimensions.",
    "error.shape_mismatch.2": "Le noyau a {kernel_channels} canaux et l'entrée {input_channels} : il en faut autant.",
    # -- architectures et « votre empilement » (app/services/zoo.py) : error.shape_error[.*], error.shape.<code du
    # moteur>, error.stack_syntax[.<raison>] --
    "error.shape_error": "{what} : la couche {layer} ne convient pas : {reason}.",
    "error.shape_error.at_size": "{what} en {size}×{size} : la couche {layer} ne convient pas : {reason}.",
    "error.shape_error.line": "{what} : ligne {line}, la couche {layer} ne convient pas : {reason}.",
    "error.shape_error.your_stack": "Votre empilement",
    "error.shape.too_large": "son noyau ou sa fenêtre ({f}) dépasse l'entrée avec remplissage ({n} + {p} = {total})",
    "error.shape.needs_image": "une couche {kind} a besoin d'une image (C, H, W) ; elle reçoit {shape} (elle vient "
    "après flatten)",
    "error.shape.needs_vector": "une couche {kind} a besoin d'un vecteur (ajoutez flatten) ; elle reçoit {shape}",
    "error.shape.groups": "{groups} groupes doivent diviser à la fois les {channels} canaux d'entrée et les {filters} "
    "filtres",
    "error.shape.positive": "« {what} » doit être un entier positif (reçu : {value})",
    "error.shape.connections": "la table de connexions doit donner, pour chacun des {filters} filtres, des cartes de 0 "
    "à {last}",
    "error.shape.empty": "sa sortie {shape} serait vide",
    "error.shape.channels": "elle attend {expected} canaux d'entrée et en reçoit {got}",
    "error.shape.unknown_type": "type de couche inconnu « {kind} » ; types connus : {known}",
    "error.shape.unknown_option": "une couche {kind} n'a pas d'option « {options} »",
    "error.shape.residual_shapes": "une addition résiduelle demande des formes égales ; elle reçoit {shapes}",
    "error.shape.concat_sizes": "une concaténation demande des cartes de même taille ; elle reçoit {shapes}",
    "error.shape.branches": "un bloc {kind} demande une liste d'au moins deux branches (une branche [] est l'entrée)",
    "error.shape.no_layers": "une architecture est une liste non vide de couches",
    "error.shape.invalid": "une option de cette couche n'est pas valide",
    "error.shape.and": "{a} et {b}",
    "error.stack_syntax": "Ligne {line} ({text}) : {reason}.",
    "error.stack_syntax.empty": "Tapez au moins une couche (par exemple : conv 32 3).",
    "error.stack_syntax.unknown_type": "type de couche inconnu « {word} » ; types connus : {known}",
    "error.stack_syntax.groups": "seule conv accepte des groupes",
    "error.stack_syntax.dropout_rate": "un taux de dropout est entre 0 et 1",
    "error.stack_syntax.not_understood": "« {word} » n'est pas compris ici",
    "error.stack_syntax.too_big": "les nombres vont jusqu'à {largest}",
    "error.stack_syntax.filters": "indiquez le nombre de filtres (conv 32 3 = 32 filtres 3×3)",
    "error.stack_syntax.units": "indiquez le nombre d'unités ({kind} 10)",
    "error.stack_syntax.too_many_lines": "au plus {largest} couches",
    "error.padding_too_large": "Le remplissage doit valoir au plus {max_kernel_size}.",
    "error.position_out_of_range": "La position [{i}, {j}] est hors de la sortie {ho}×{wo}.",
    "error.unsupported_model": "Le modèle {model} ne prend pas d'images.",
    "error.numerical_overflow": "Les nombres sont devenus trop grands pour être calculés (dépassement) : prenez des valeurs plus petites ou un pas d'apprentissage plus petit.",
    "error.invalid_range": "x_max doit être strictement supérieur à x_min.",
    "error.too_many_steps": "steps (le nombre de pas) doit valoir au plus {max_backward_steps}.",
    "error.not_trainable": "Le modèle {model} ne finit pas par un softmax : pas de perte à rétropropager.",
    "error.too_many_entries": "Au plus {limit} entrées par vérification de gradient.",
    "error.index_out_of_range": "L'indice {idx} est hors de {layer}.{param} de forme {shape}.",
    "error.position_out_of_range.2": "({row}, {col}) est hors de la sortie {height}×{width} de {layer}.",
    "error.row_out_of_range": "row doit être inférieur à {rows}.",
    "error.too_many_images": "Trop d'images : {n_images} envoyées, au plus {limit} par requête.",
    "error.no_model": "L'entraînement {id} s'est terminé sans modèle ({state}).",
    "error.model_not_ready": "Le modèle est encore en entraînement : téléchargez-le quand l'entraînement est terminé.",
    "error.invalid_worked_example": "Entrée invalide pour l'exemple : {reason}",
    "validation.missing": "ce champ est obligatoire",
    "validation.extra_forbidden": "champ inconnu",
    "validation.finite_number": "les valeurs NaN et infinies sont interdites",
    "validation.greater_than_equal": "doit valoir au moins {ge}",
    "validation.greater_than": "doit être strictement supérieur à {gt}",
    "validation.less_than_equal": "doit valoir au plus {le}",
    "validation.less_than": "doit être strictement inférieur à {lt}",
    "validation.float_parsing": "doit être un nombre",
    "validation.float_type": "doit être un nombre",
    "validation.int_parsing": "doit être un nombre entier",
    "validation.int_type": "doit être un nombre entier",
    "validation.int_from_float": "doit être un nombre entier",
    "validation.bool_parsing": "doit valoir true ou false",
    "validation.bool_type": "doit valoir true ou false",
    "validation.string_type": "doit être une chaîne de caractères",
    "validation.string_unicode": "doit être du texte Unicode valide",
    "validation.list_type": "doit être une liste (tableau JSON)",
    "validation.tuple_type": "doit être une liste (tableau JSON)",
    "validation.dict_type": "doit être un objet",
    "validation.model_type": "doit être un objet",
    "validation.model_attributes_type": "doit être un objet",
    "validation.too_short": "doit contenir au moins {min_length} élément(s)",
    "validation.too_long": "doit contenir au plus {max_length} élément(s)",
    "validation.string_too_short": "ne doit pas être vide",
    "validation.string_too_long": "est trop long (au plus {max_length} caractères)",
    "validation.string_pattern_mismatch": "a un format invalide",
    "validation.literal_error": "doit être l'une des valeurs {expected}",
    "validation.enum": "doit être l'une des valeurs {expected}",
    "validation.json_invalid": "le corps de la requête n'est pas du JSON valide ({error})",
    "validation.json_type": "doit être du JSON",
    "validation.model.string_pattern_mismatch": "doit être un identifiant de modèle comme lenet (minuscules, chiffres, - et _)",
    "validation.image.string_type": "doit être une image : une data URL PNG/JPEG ou un tableau 2-D de nombres",
    "error.bad_request": "La requête est illisible (le corps est-il du JSON valide ?).",
    "error.not_found": "Rien ici : vérifiez l'adresse.",
    "error.architecture_not_found": "Architecture inconnue : {name}. Celles que l'on connaît : {known}.",
    "error.drawing_not_found": "Dessin introuvable.",
    "error.method_not_allowed": "Cette méthode n'est pas autorisée ici.",
    "error.body_too_large": "La requête est trop volumineuse.",
    "error.unsupported_media_type": "Envoyez le corps en JSON (Content-Type: application/json).",
    "error.http_error": "Erreur HTTP {status_code}.",
    "error.json_too_deep": "Le JSON est trop imbriqué (au plus {limit} niveaux de tableaux et d'objets).",
    "error.invalid_input": "Entrée invalide : {reason}",
    "error.internal_error": "Erreur interne : ConvStep a rencontré un bogue, qui a été consigné.",
    "error.invalid_request": "Requête invalide — {summary}",
    "validation.invalid_value": "valeur invalide",
    "validation.custom_needs_architecture": "le préréglage custom demande une architecture (une liste de couches ; [] pour une régression softmax)",
    "validation.architecture_only_for_custom": "architecture ne sert qu'au préréglage custom ({preset} a la sienne)",
    "validation.image_or_images": "envoyez soit « image », soit « images » (pas les deux)",
    "validation.points_labels_length": "points et labels doivent avoir la même longueur ({points} ≠ {labels})",
    "validation.mlp_layer_shape": "couche {layer} : W doit être {rows}×{width} et b de longueur {rows}",
    "validation.mlp_last_layer": "la dernière couche doit avoir une unité",
    # -- the worked example: refused inputs (engine/worked_example/inputs.py) --
    "worked.input.label": "y, donné comme étiquette, doit valoir 0 ou 1",
    "worked.input.not_numbers": "{name} doit contenir des nombres, reçu {value}",
    "worked.input.matrix": "{name} doit être une matrice {size}, reçu une forme {shape}",
    "worked.input.vector": "{name} doit être un vecteur de taille {size}, reçu une forme {shape}",
    "worked.input.not_finite": "{name} ne doit contenir que des nombres finis",
    "worked.input.probabilities": "y doit être un vecteur de probabilités (positives ou nulles, de somme 1), par exemple [0 ; 1]",
    "worked.input.eta": "eta (le pas d'apprentissage) doit être un nombre strictement positif, reçu {value}",
    "worked.input.overflow": "les entrées sont trop grandes : le calcul déborde (prenez des nombres plus petits)",
    "validation.invalid_layer_type": "chaque couche doit avoir un type parmi {types}",
    "error.image_prefix": "Image {index} : ",
    "error.blank_image": "{prefix}le dessin est vide : dessinez d'abord un chiffre.",
    "error.image_too_large": "{prefix}image trop grande (au plus {limit} pixels) : envoyez une image plus petite.",
    "error.invalid_image": "{prefix}image illisible : envoyez un PNG ou un JPEG (fichier corrompu, tronqué ou d'un autre type).",
    "error.unusable_image": "{prefix}image inutilisable (la raison est dans detail.reason).",
    "error.ragged_array": "{prefix}les lignes de {what} n'ont pas toutes la même longueur.",
    "error.empty_array": "{prefix}{what} est vide.",
    "error.not_finite": "{prefix}{what} contient des valeurs NaN ou infinies.",
    "error.image_not_2d": "{prefix}un tableau d'image doit être en 2-D (des lignes de nombres).",
    "error.preprocess_unsupported": "{prefix}le modèle {model} prend une entrée {shape} : envoyez-la en tableau avec « preprocess » : false.",
    "error.wrong_image_size": "{prefix}avec « preprocess » : false l'image doit faire {expected}, reçu {got}.",
    "error.out_of_range": "{prefix}les valeurs des pixels doivent être entre 0 et 255 (ou 0 et 1).",
    "error.too_many_channels": "{What} a {channels} canaux ; au plus {limit} sont permis.",
    "error.single_number_for_1d": "Pour une entrée 1-D, {what} est un seul nombre.",
    "error.kernel_too_large": "{What} fait {size} ; ses côtés doivent valoir au plus {limit}.",
    "error.kernel_larger_than_input": "{What} ({size}) est plus grand que l'entrée avec son remplissage ({padded}) : il ne tient nulle part. Prenez une fenêtre plus petite ou plus de remplissage.",
    "sliding.and": " et ",
    "sliding.uneven_note": "Le pas ne tombe pas juste : la division de la formule est arrondie à l'entier inférieur, donc la fenêtre ne couvre jamais {left_out} de l'entrée (avec son remplissage).",
    "sliding.last_rows": "les {n} dernières lignes",
    "sliding.last_columns": "les {n} dernières colonnes",
    "sliding.last_rows_one": "la dernière ligne",
    "sliding.last_columns_one": "la dernière colonne",
    "architecture.after_flatten": "La couche {layer} ({kind}) vient après l'aplatissement de l'image : placez convolutions et pooling avant les couches denses.",
    "architecture.second_flatten": "Couche {layer} : l'image est déjà aplatie (un seul aplatissement suffit).",
    "architecture.layer_n": "La couche {n} ({kind})",
    "architecture.layer_added": "La couche {kind} ajoutée",
    "architecture.kernel": "convolution",
    "architecture.window": "pooling",
    "architecture.does_not_fit": "{where} ne rentre pas : la taille {window} de sa fenêtre de {what} dépasse son entrée {size} (remplissage compris). Prenez un noyau plus petit, plus de remplissage ou moins de pooling.",
    "architecture.does_not_fit_other": "{where} ne convient pas à son entrée (la raison est dans detail.reason).",
    "architecture.leaves_nothing": "{where} ne laisse rien : sa sortie serait {output}.",
    "architecture.cannot_build": "L'architecture ne peut pas être construite.",
    "architecture.too_many_params": "Ce réseau a {params} paramètres ; l'entraînement en direct en permet au plus {limit}. Prenez moins de filtres, des couches denses plus étroites, ou du pooling avant la première couche dense.",
    "architecture.too_many_macs": "Ce réseau demande {macs} multiplications-additions par image ; l'entraînement en direct en permet au plus {limit}. Prenez moins de filtres ou des filtres plus petits, un pas de 2, ou du pooling plus tôt.",
    "architecture.batch_memory": "Un lot de {batch_size} images demanderait environ {mb} Mo de mémoire pour ce réseau (au plus {cap} Mo) : prenez un lot ou un réseau plus petit.",
    "error.unknown_param": "La couche {layer} n'a pas de paramètre {param} (elle a : {have}).",
    "error.unknown_param_none": "La couche {layer} n'a pas de paramètre {param} (elle n'en a aucun).{have}",
    "error.tensor_too_large": "{name} compte {size} valeurs : demandez une ligne à la fois avec ?row=k.",
    "error.engine_reason": "le moteur de calcul a refusé ces valeurs ({kind}) ; la raison, en anglais, est dans detail.reason",
    "sliding.name.image": "l'image",
    "sliding.name.input": "l'entrée",
    "sliding.name.kernel": "le noyau",
    "sliding.name.window": "la fenêtre",
    "sliding.name.stride": "le pas",
    "sliding.name.padding": "le remplissage",
    "sliding.name.size": "la taille",
    "sliding.subject.input": "L'entrée",
    "sliding.subject.kernel": "Le noyau",
    "sliding.subject.window": "La fenêtre",
    "sliding.subject.stride": "Le pas",
    "sliding.subject.padding": "Le remplissage",
    "sliding.subject.size": "La taille",
    # -- live training (app/services/jobs/): the queue's API errors, then why a job failed: job_error.<code>[.*] --
    "error.training_disabled": "L'entraînement en direct est désactivé sur ce serveur (un serveur à plusieurs processus le désactive, sauf si CONVSTEP_REDIS_URL lui donne une file d'attente partagée).",
    "error.training_disabled.classes": "L'entraînement est désactivé sur ce serveur.",
    "error.shutting_down": "Le serveur s'arrête : l'entraînement est fermé.",
    "error.training_unavailable": "L'entraînement est indisponible pour un moment : le serveur n'atteint pas sa file d'entraînement. Tout le reste fonctionne ; réessayez dans une minute.",
    "error.too_many_epochs": "epochs : au plus {max_epochs} sur ce serveur.",
    "error.init_model_mismatch": "Le modèle « {model} » n'a pas l'architecture de cette demande : ses poids ne peuvent pas servir de départ.",
    "error.unknown_data_source": "Données d'entraînement supplémentaires inutilisables : {reason}.",
    "error.reason_in_detail": "{kind} ; la raison, en anglais, est dans detail.reason",
    "error.invalid_model_id": "« {model} » ne peut pas nommer un modèle : minuscules, chiffres, - et _, pas un modèle fourni.",
    "error.too_many_jobs_for_client": "Vous avez déjà {active} entraînement(s) en attente ou en cours, le maximum pour un navigateur : attendez qu'un entraînement se termine, ou arrêtez-en un, puis réessayez.",
    "error.queue_full": "{queued} entraînements attendent déjà, le maximum de ce serveur : réessayez dans {retry} s environ.",
    "error.unknown_job": "Aucun entraînement « {job} » : il n'a jamais existé, ou il s'est terminé il y a plus de {minutes} min et a été oublié (avec son modèle).",
    "error.unknown_job.invalid_id": "Aucun entraînement avec cet identifiant (ce n'est pas un identifiant d'entraînement) : il n'a jamais existé, ou il s'est terminé il y a plus de {minutes} min et a été oublié (avec son modèle).",
    "job_error.worker_lost": "Le processus d'entraînement qui faisait tourner ce travail s'est arrêté sans le terminer (tué, à court de mémoire ou sa machine s'est arrêtée). Relancez l'entraînement.",
    "job_error.training_diverged": "L'entraînement a divergé : à l'époque {epoch}, lot {batch}, la perte est devenue {what}. Le pas d'apprentissage ({lr}) est trop grand : chaque pas dépasse le minimum, les poids grossissent jusqu'à ce que les nombres explosent. Recommencez avec un pas plus petit, par exemple {suggestion}.",
    "job_error.training_diverged.nan": "NaN (pas un nombre)",
    "job_error.training_diverged.inf": "infinie",
    "job_error.training_diverged.value": "{loss}, bien au-dessus des {chance} d'un tirage au hasard",
    "job_error.out_of_memory": "Le serveur a manqué de mémoire pour cet entraînement : prenez un lot plus petit, un réseau plus petit ou moins d'images.",
    "job_error.data_source_error": "Les données d'entraînement supplémentaires n'ont pas pu être lues : {reason}.",
    "job_error.training_error": "L'entraînement n'a pas pu se faire : {reason}.",
    "job_error.internal_error": "Erreur interne : l'entraînement a rencontré un bogue, qui a été consigné.",
    "job_error.recorded": "{text}",
    # -- classes (app/services/classes.py, app/api/routes/classes.py) --
    "error.unknown_class": "Aucune classe avec ce code : vérifiez le code donné par votre professeur (6 lettres et chiffres), ou la classe est terminée.",
    "error.too_many_classes": "Trop de nouvelles classes depuis cette adresse ({limit} par heure) : réessayez plus tard.",
    "error.too_many_attempts": "Trop de codes erronés ({limit} par minute) : attendez un instant, puis vérifiez le code avec votre professeur.",
    "error.token_required": "Cette page est celle du professeur : ouvrez-la avec le lien professeur (il contient le jeton secret de la classe).",
    "error.token_required.drawings": "Envoyez X-Device-Id (les dessins d'un élève) ou le jeton du professeur.",
    "error.token_required.drawing": "Envoyez X-Device-Id (le dessin d'un élève) ou le jeton du professeur.",
    "error.wrong_token": "Ce jeton professeur n'ouvre pas cette classe.",
    "error.training_in_progress": "Cette classe apprend déjà : attendez la fin de l'entraînement en cours.",
    "error.not_enough_drawings": "La classe a {drawings} dessin(s) : dessinez-en d'abord au moins {min_drawings}.",
    "error.class_full": "Cette classe a déjà {count} dessins, le maximum qu'une classe garde : le professeur peut en supprimer.",
    "error.too_fast": "Un dessin à la fois : attendez une seconde avant d'envoyer le suivant.",
}
