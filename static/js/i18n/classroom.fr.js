// Why one file of over 400 lines: data, one string a line — the words of three pages.
// Textes français des pages de classe (/steps, /example, /playground) ; mêmes clés que classroom.en.js (un test du
// navigateur le vérifie). Enregistrés par classroom.messages.js via addMessages() de lib/i18n.js. Paramètres : {nom}.
export default {
  // ---- le déroulé pas à pas (/steps et /example)
  "deck.step_of": "Étape {k} / {n}",
  "deck.prev": "Précédent",
  "deck.next": "Suivant",
  "deck.jump": "Aller à l'étape",
  "deck.nav": "Étapes",
  "deck.progress": "Progression dans les étapes",
  "deck.explanation": "Explication",
  "deck.presenter": "Mode présentation",
  "deck.fullscreen": "Plein écran",
  "deck.keys": "← → ou Espace · P présentation · F plein écran",
  "deck.forward": "propagation avant",
  "deck.backward": "rétropropagation",

  // ---- /steps
  "steps.title": "Pas à pas",
  "steps.toolbar": "Réglages de la leçon",
  "steps.digit": "Chiffre",
  "steps.true_label": "Vraie classe",
  "steps.sample_option": "Exemple n° {n} — un {d}",
  "steps.drawing_option": "Votre dessin",
  "steps.label_predicted": "{d} (prédit)",
  "steps.loading": "Chargement…",
  "steps.ready": "{n} étapes · modèle {model} · tout est chargé : plus besoin du réseau à partir d'ici.",
  "steps.unknown_digit": "Il n'y a pas d'exemple n° {n} : voici un autre chiffre.",
  "steps.render_error": "Cette étape n'a pas pu être dessinée : {message}",
  "steps.source.sample":
    "Exemple n° {n} : un vrai {d} manuscrit de MNIST, que le réseau n'a jamais vu pendant l'entraînement. Vraie classe utilisée pour la rétropropagation : {y}.",
  "steps.source.drawing":
    "Votre propre dessin. Vraie classe utilisée pour la rétropropagation : {y} (changez-la en haut : « et si c'était un 3 ? »).",
  "steps.draw.open": "Dessiner le vôtre…",
  "steps.draw.title": "Dessinez un chiffre",
  "steps.draw.hint": "Dessinez un chiffre de 0 à 9 à la souris, au doigt ou au stylet.",
  "steps.draw.pad": "Zone de dessin",
  "steps.draw.cancel": "Annuler",
  "steps.draw.use": "Utiliser ce chiffre",
  "steps.draw.empty": "Dessinez d'abord un chiffre.",

  "steps.input.title": "Le chiffre, tel que le réseau le voit",
  "steps.input.map": "Entrée {h}×{w}",
  "steps.input.patch": "Les nombres, à partir de la ligne {r}, colonne {c}",
  "steps.input.text":
    "Le réseau ne voit jamais une image : il voit {h}×{w} = {n} nombres entre 0 (papier) et 1 (encre). Tout ce qui suit n'est que du calcul sur ces nombres.",
  "steps.input.formula": "x[i, j] = niveau de gris / 255 ∈ [0, 1]",

  "steps.prep.title": "Prétraitement : ressembler à MNIST",
  "steps.prep.text":
    "Avant le réseau, l'image est rendue semblable aux chiffres appris : niveaux de gris, encre claire sur fond noir, recadrée, mise à l'échelle pour tenir dans 20×20 pixels, puis centrée par son centre de masse dans un carré 28×28.",
  "steps.prep.none":
    "Ce chiffre a été dessiné et prétraité plus tôt (recadrage, mise à 20 px, centre de masse) : le lien porte le résultat 28×28, utilisé tel quel. L'atelier de dessin montre chaque sous-étape.",
  "steps.prep.final": "L'entrée 28×28",
  "steps.prep.kept": "déjà bon : conservé",
  "steps.prep.formula": "recadrer → mettre à 20×20 → centre de masse en (14, 14) dans 28×28",

  "steps.conv.formula": "O[f, i, j] = Σ_c Σ_m Σ_n X[c, i·S + m − P, j·S + n − P] · K[f, c, m, n] + b[f]",
  "steps.conv_slide.title": "Convolution {layer} : le filtre {f} glisse sur l'image",
  "steps.conv_slide.input": "Entrée (remplissage de zéros P = {p})",
  "steps.conv_slide.output": "Carte de caractéristiques O[{f}]",
  "steps.conv_slide.window": "Fenêtre de l'image",
  "steps.conv_slide.same_kernel": "le même noyau",
  "steps.conv_slide.products": "Produits, case par case",
  "steps.conv_slide.play": "Le filtre glisse sur l'image",
  "steps.conv_slide.text":
    "Le filtre {f} est une grille {kh}×{kw} de poids appris pendant l'entraînement. Posé sur une fenêtre {kh}×{kw} de l'image, chaque poids multiplie le pixel en dessous ; on additionne les {n} produits et un biais : c'est un nombre de la carte de caractéristiques.",
  "steps.conv_slide.text2":
    "Puis la fenêtre se décale de S = {s} pixel et on recommence : {ho}×{wo} positions, une sortie chacune (la remplissage de zéros P = {p} conserve la taille). Appuyez sur Lecture, ou cliquez sur la carte, pour la déplacer.",

  "steps.conv_maps.title": "Convolution {layer} : {n} filtres, {n} cartes",
  "steps.conv_maps.kernels": "Les {n} filtres ({kh}×{kw} poids chacun)",
  "steps.conv_maps.maps": "Leurs cartes de caractéristiques : {shape}",
  "steps.conv_maps.text":
    "Chacun des {n} filtres glisse sur la même image et produit sa propre carte : un filtre qui ressemble à un bord s'allume (rouge) là où l'image a ce bord, et devient négatif (bleu) là où elle a l'inverse.",
  "steps.conv_maps.text2":
    "Personne n'a choisi ces filtres : l'entraînement les a trouvés, par descente de gradient, à partir des exemples.",
  "steps.conv_maps.params": "Paramètres",

  "steps.conv_channels.title": "Convolution {layer} : {c} cartes en entrée, une somme chacune",
  "steps.conv_channels.inputs": "Les {c} cartes d'entrée, fenêtre en ({i}, {j})",
  "steps.conv_channels.detail": "Canal {c} : fenêtre ⊙ K[{f}, {c}] = produits → somme",
  "steps.conv_channels.text":
    "L'entrée a maintenant {c} cartes : le filtre {f} est donc une pile de {c} noyaux {kh}×{kw}, un par carte. Chaque noyau donne une somme sur sa carte (cliquez sur une somme pour voir ses produits).",
  "steps.conv_channels.text2":
    "On additionne les sommes de tous les canaux, plus le biais : exactement comme l'exemple RGB du cours, 30 + 18 + 111 = 159.",

  "steps.relu.title": "ReLU ({layer}) : les négatifs deviennent 0",
  "steps.relu.before": "Avant : O[{f}]",
  "steps.relu.after": "Après : max(0, O[{f}])",
  "steps.relu.text":
    "ReLU garde les valeurs positives et remplace les négatives par 0. Sans ce coude, empiler des couches ne calculerait jamais qu'une seule grande fonction affine (linéaire plus biais).",
  "steps.relu.stats": "Dans {layer}, {zeros} des valeurs valent maintenant 0.",

  "steps.pool.title": "{mode} {layer} : 4 nombres deviennent 1",
  "steps.pool.input": "Carte {c} ({shape})",
  "steps.pool.window": "Fenêtre {k}",
  "steps.pool.output": "Carte réduite {c} ({shape})",
  "steps.pool.all": "Toutes les cartes réduites : {shape}",
  "steps.pool.text_max":
    "Chaque fenêtre {k} ne garde que sa plus grande valeur, puis la fenêtre saute de S = {s} : la carte garde où le motif était fort, en plus basse résolution.",
  "steps.pool.text_avg": "Chaque fenêtre {k} garde la moyenne de ses valeurs, puis saute de S = {s}.",
  "steps.pool.text_sum": "Chaque fenêtre {k} garde la somme de ses valeurs, puis saute de S = {s}.",
  "steps.pool.text2": "{a} devient {b} : {n} fois moins de nombres, et les petits décalages du chiffre comptent moins.",

  "steps.flatten.title": "Aplatissement : les cartes deviennent un vecteur de {n}",
  "steps.flatten.maps": "{shape}",
  "steps.flatten.vector": "x : {n} nombres",
  "steps.flatten.text":
    "Les couches entièrement connectées prennent une liste de nombres : les {c} cartes {h}×{w} sont lues l'une après l'autre, ligne par ligne, dans un vecteur de {n}. Rien n'est calculé, les nombres sont seulement mis en ligne.",

  "steps.dense.title": "Couche entièrement connectée {layer} : {n} neurones, chacun voit les {m} entrées",
  "steps.dense.title_last": "Couche entièrement connectée {layer} : les {n} scores (logits)",
  "steps.dense.input": "Entrée x ({n})",
  "steps.dense.terms": "Neurone {k} : ses {top} termes les plus forts",
  "steps.dense.rest": "… et {n} autres termes, qui totalisent {v}",
  "steps.dense.output": "Sortie de {layer} ({n})",
  "steps.dense.logits": "Scores z des 10 chiffres",
  "steps.dense.text":
    "Le neurone {k} multiplie chacune des {m} entrées par son propre poids, additionne le tout avec son biais, puis applique ReLU. Les {n} neurones de la couche font de même avec leurs poids. Affiché : le plus actif.",
  "steps.dense.text_last":
    "La dernière couche donne un score par chiffre. Le neurone {k}, le chiffre au plus haut score, est affiché : ses {m} entrées pondérées plus son biais.",
  "steps.dense.params": "Paramètres",

  "steps.softmax.title": "Softmax : des scores aux probabilités",
  "steps.softmax.table": "Des scores aux probabilités",
  "steps.softmax.bars": "Probabilité de chaque chiffre",
  "steps.softmax.text": "Le réseau répond {k}, avec une probabilité de {p}.",
  "steps.softmax.text2":
    "Softmax prend l'exponentielle de chaque score (toutes positives) et divise par leur somme (elles totalisent 1). Retrancher d'abord le plus grand score ne change rien au résultat et garde les exponentielles finies.",

  "steps.loss.title": "La perte : à quel point le réseau s'est-il trompé ?",
  "steps.loss.target": "La vraie classe : {y}",
  "steps.loss.one_hot": "codage « un parmi n »",
  "steps.loss.probs": "Ce que le réseau a répondu",
  "steps.loss.text":
    "L'entropie croisée ne regarde que la probabilité donnée au vrai chiffre {y} : {p}. Son opposé du logarithme est petit quand cette probabilité est proche de 1, et grandit sans limite quand elle tombe vers 0.",
  "steps.loss.ln_note": "log désigne le logarithme népérien ln (comme np.log dans le code du cours), pas log10.",
  "steps.loss.extremes": "ŷ = 1 → L = 0 ;  ŷ = 0,5 → L = 0,693 ;  ŷ = 0,1 → L = 2,303",

  "steps.dz.title": "Le gradient des scores : ∂L/∂z = ŷ − y",
  "steps.dz.text":
    "Softmax et entropie croisée ensemble ont une dérivée très simple : les probabilités moins la classe codée « un parmi n ». Le vrai chiffre {y} reçoit un gradient négatif : augmenter son score fait baisser la perte.",
  "steps.dz.text2":
    "Chaque autre chiffre reçoit sa propre probabilité : plus le réseau y croyait, plus son score sera poussé vers le bas. Ce vecteur lance la rétropropagation.",

  "steps.dw.title": "Gradients de {layer} : ∂L/∂W et ∂L/∂b",
  "steps.dw.text":
    "Le poids W[i, j] de {layer} multipliait x[j] dans z[i] : son gradient est ∂L/∂z[i] fois x[j]. Toute la matrice est le produit d'une colonne par une ligne : la colonne ∂L/∂z fois la ligne xᵀ.",
  "steps.dw.text2": "Une entrée nulle donne un gradient nul : ce poids n'a joué aucun rôle et ne bougera pas.",

  "steps.dx.title": "Retour à travers les couches entièrement connectées : Wᵀ · ∂L/∂z",
  "steps.dx.input_of": "entrée de {layer}",
  "steps.dx.maps": "Remis en forme de cartes : {shape}",
  "steps.dx.text":
    "Chaque entrée x[j] de {layer} alimentait tous les neurones : son gradient les additionne tous, pondérés par les poids qu'elle a traversés : Wᵀ·∂L/∂z.",
  "steps.dx.text2":
    "En redescendant chaque couche cachée de la même façon, ReLU ne laisse passer le gradient que là où son unité était active (z > 0). En bas, le vecteur reprend la forme des cartes qui avaient été aplaties.",

  "steps.dx.text2_generic":
    "En redescendant chaque couche cachée de la même façon, chaque activation multiplie le gradient par sa dérivée f′(z) (les étapes précédentes l'ont montré couche par couche). En bas, le vecteur reprend la forme qu'il avait avant l'aplatissement.",
  "steps.hidden.title": "Retour à travers {layer} : dZ = (Wᵀ·dZ) ⊙ f′(Z)",
  "steps.hidden.text":
    "La récurrence du cours : le gradient qui arrive à la sortie de {act} est le Wᵀ·dZ de {next} (chaque unité de {layer} alimentait toutes les unités de {next}) ; multiplié terme à terme par la dérivée de l'activation en cette unité, il devient dZ, le gradient du z de {layer}. Ensuite, comme pour la dernière couche, ∂L/∂W = dZ·xᵀ et ∂L/∂b = dZ.",
  "steps.hidden.sigmoid":
    "La dérivée de la sigmoïde, σ(z)(1 − σ(z)), ne dépasse jamais 0,25 : chaque couche sigmoïde divise le gradient par au moins 4 en redescendant ; c'est pourquoi les premières couches d'un réseau profond de sigmoïdes apprennent lentement (l'évanouissement du gradient).",
  "steps.hidden.formula": "dZ^[l] = (W^[l+1]ᵀ · dZ^[l+1]) ⊙ f′(Z^[l])",
  "steps.pool_back.title": "Retour à travers {pool} et {act}",
  "steps.pool_back.title_pool": "Retour à travers {pool}",
  "steps.pool_back.routed": "Renvoyé vers les maxima, carte {c}",
  "steps.pool_back.mask": "{layer} était actif (x > 0)",
  "steps.pool_back.after": "Gradient à la sortie de la convolution, carte {c}",
  "steps.pool_back.text":
    "Seule la plus grande valeur de chaque fenêtre {k} est montée : elle seule reçoit le gradient de la fenêtre, les autres cases reçoivent 0. La carte est donc presque partout nulle.",
  "steps.pool_back.text_relu":
    "Puis ReLU : là où son entrée était négative, la sortie n'en dépendait pas, donc le gradient s'arrête.",

  "steps.dk.title": "Gradient des filtres de {layer} : ∂L/∂K",
  "steps.dk.input": "Carte d'entrée {c}, décalée",
  "steps.dk.upstream": "∂L/∂O[{f}]",
  "steps.dk.products": "Produits",
  "steps.dk.all_kernels": "∂L/∂K de chaque filtre",
  "steps.dk.text":
    "Le poids (m, n) = ({m}, {n}) d'un filtre a rencontré, à chaque position de sortie (i, j), le pixel d'entrée (i + m, j + n). Son gradient additionne ces pixels, chacun pondéré par le gradient de la sortie qu'il a produite : l'entrée corrélée avec ∂L/∂O.",
  "steps.dk.text2": "Le biais était ajouté à chaque position : son gradient est la somme de ∂L/∂O.",
  "steps.dk.text_first":
    "La même règle, un cran plus loin, donne le gradient de l'image elle-même (à droite) : plus d'encre sur les pixels rouges augmenterait la perte, sur les bleus elle la diminuerait.",

  "steps.dxconv.title": "Retour à travers {layer} : ∂L/∂X, les noyaux retournés",
  "steps.dxconv.map": "∂L/∂X, carte {c}",
  "steps.dxconv.upstream": "∂L/∂O d'un filtre",
  "steps.dxconv.per_filter": "Contribution de chaque filtre",
  "steps.dxconv.detail": "Filtre {f} : fenêtre de ∂L/∂O ⊙ K[{f}, {c}] tourné de 180°",
  "steps.dxconv.text":
    "Un pixel de l'entrée a servi à toutes les sorties dont la fenêtre le couvrait, dans chacun des {f} filtres. Son gradient les rassemble : pour chaque filtre, la fenêtre de ∂L/∂O autour de lui fois le noyau tourné de 180° (une convolution complète), puis la somme sur les filtres.",
  "steps.dxconv.text2":
    "Cliquez sur un filtre pour voir sa part. Ce gradient continue de descendre, vers la couche de pooling précédente.",

  "steps.sgd.title": "Apprendre : un pas de descente de gradient",
  "steps.sgd.after": "après",
  "steps.sgd.shape": "forme",
  "steps.sgd.table": "De combien chaque paramètre a bougé",
  "steps.sgd.text":
    "Chaque poids bouge un peu à l'opposé de son gradient : θ ← θ − η·∂L/∂θ avec η = {eta}. Affiché : le filtre de la première convolution dont le gradient est le plus grand (la case en gras est celle de la formule).",

  "steps.effect.title": "L'effet : le même chiffre, après le pas",
  "steps.effect.text":
    "Après ce seul pas, le réseau donne au vrai chiffre {y} une probabilité de {b} au lieu de {a} (en pointillé : avant).",
  "steps.effect.text2":
    "L'entraînement répète cela pour des milliers d'images, un peu à chaque fois : les filtres vus au début en sont le résultat.",
  "steps.effect.more": "Faire {n} pas sur ce chiffre",
  "steps.effect.history": "ŷ[{y}] au fil de {n} pas sur ce seul chiffre",

  // ---- /example
  "example.title": "Exemple détaillé",
  "example.inputs.title": "Les entrées",
  "example.inputs.hint": "Changez n'importe quel nombre (puis Entrée ou Tab) : chaque étape est recalculée.",
  "example.inputs.reset": "Revenir aux valeurs du document",
  "example.status.document": "Les entrées du document : chaque résultat est comparé à la valeur qu'il donne.",
  "example.status.edited":
    "Entrées modifiées (marquées) : chaque étape est recalculée ; les valeurs données par le document ne s'appliquent plus.",
  "example.badge.match": "✓ conforme au document",
  "example.badge.rounding": "≈ arrondi du document",
  "example.badge.mismatch": "✗ le document se trompe",
  "example.document_prints": "Le document donne {name}",
  "example.slip.value": "{name}{index} : le document donne {doc}, la valeur exacte est {ours}.",
  "example.kind.value": "valeur fausse",
  "example.kind.formula": "formule fausse",
  "example.kind.notation": "notation",
  "example.kind.label": "étiquette fausse",
  "example.kind.drawing": "dessin",
  "example.kind.code": "bogue du code",
  "example.kind.text": "texte",
  "example.kind.rounding": "arrondi",
  "example.kind.unreadable": "figure illisible",
  "example.kind.nit": "détail",
  "example.window": "Fenêtre",
  "example.products": "Produits",
  "example.slide": "La fenêtre, position par position",
  "example.edited_note":
    "Ce sont vos entrées, pas celles du document : chaque nombre est recalculé, et les valeurs données par le document ne sont pas comparées. « Revenir » les rétablit.",
  "example.rounding_hint":
    "Cases orange : le document a arrondi ŷ à 0,67 / 0,33 et a reporté cet arrondi. Ces valeurs sont justes pour le ŷ arrondi ; les valeurs calculées utilisent le ŷ exact.",
  "example.all_match": "✓ Toutes les valeurs données ici par le document sont justes.",
  "example.errata.title": "Les erreurs du document",
  "example.errata.kicker": "bilan",
  "example.errata.text":
    "{n} remarques sur le document, rassemblées : les erreurs des sections III–IV (chacune montrée à son étape), l'arrondi qu'il reporte, et les bogues de son code écrit à la main (sections V–VI), chacun vérifié par le moteur.",
  "example.errata.formula": "L = −Σ y_i · ln ŷ_i  (logarithme népérien)",

  // ---- /playground
  "play.title": "Bac à sable",
  "play.intro": "Les petites expériences du cours, en direct : changez un nombre, tout est recalculé.",
  "play.tabs": "Expériences",
  "play.tab.convolution": "Convolution",
  "play.tab.course": "Les convolutions du cours",
  "play.tab.pooling": "Pooling",
  "play.tab.activations": "Activations",
  "play.tab.cross_entropy": "Entropie croisée",

  "play.conv.title": "Un noyau sur une vraie image",
  "play.conv.intro":
    "Choisissez un chiffre ou une photo, puis un des noyaux du cours : le serveur le fait glisser sur l'image. Cliquez sur le résultat pour voir comment une valeur a été obtenue.",
  "play.conv.image": "Image",
  "play.conv.upload": "Photo…",
  "play.conv.photo_option": "Photo : {name}",
  "play.conv.kernels": "Noyaux",
  "play.conv.custom_size": "Taille du noyau personnalisé",
  "play.conv.stride": "Pas S",
  "play.conv.padding": "Remplissage P",
  "play.conv.same": "Même taille : P = (F − 1)/2",
  "play.conv.bad_stride":
    "Le pas S = {s} est impossible : la fenêtre se déplace d'un nombre entier de pixels, au moins 1.",
  "play.conv.bad_padding":
    "Le remplissage P = {p} est impossible : c'est un nombre entier de lignes et de colonnes de zéros, 0 ou plus (P = (F − 1)/2 n'est entier que pour F impair).",
  "play.conv.big_padding":
    "P = {p} dépasse ce que permet ce bac à sable ({max}) : avec autant de remplissage, la sortie serait surtout faite de zéros.",
  "play.conv.input_label": "Entrée avec son remplissage",
  "play.conv.input_digit": "Chiffre {h}×{w}, remplissage P = {p}",
  "play.conv.input_photo": "Photo en gris {h}×{w}, remplissage P = {p}",
  "play.conv.kernel": "Noyau {n}×{n} (modifiable)",
  "play.conv.sobel_hint":
    "Sobel X est affiché ; Sobel Y (sa transposée) est aussi appliqué, et chaque sortie vaut √(gx² + gy²).",
  "play.conv.output": "Sortie {h}×{w}",
  "play.conv.output_sobel": "Norme du gradient {h}×{w}",
  "play.conv.output_label": "Sortie de la convolution",
  "play.conv.click": "Cliquez sur une valeur pour voir son calcul.",
  "play.conv.size": "Taille de sortie",
  "play.conv.grey_note":
    "La photo a été passée en gris comme dans le cours : gris = (R + V + B) / 3 pour chaque pixel.",
  "play.conv.window": "Fenêtre",
  "play.conv.kernel_short": "Noyau",
  "play.conv.products": "Produits",
  "play.conv.at": "Sortie ({i}, {j})",

  "play.k.edge": "Bords",
  "play.k.sharpen": "Netteté",
  "play.k.sobel_x": "Sobel X",
  "play.k.sobel_y": "Sobel Y",
  "play.k.sobel": "Sobel √(gx² + gy²)",
  "play.k.line1": "Filtre de lignes 1",
  "play.k.line2": "Filtre de lignes 2",
  "play.k.line3": "Filtre de lignes 3",
  "play.k.line4": "Filtre de lignes 4",
  "play.k.identity": "Identité",
  "play.k.blur": "Filtre moyenneur (flou)",
  "play.k.custom": "Personnalisé",

  "play.course.title": "Les convolutions du cours, vérifiées",
  "play.course.intro":
    "Chaque petite convolution que le cours fait à la main, calculée par le serveur et comparée à ce que le cours donne. Lecture pour voir la fenêtre glisser.",
  "play.course.input": "Entrée",
  "play.course.kernel": "Noyau",
  "play.course.channel": "Canal {c}",
  "play.course.kernel_c": "Noyau {c}",
  "play.course.output": "Résultat",
  "play.course.animate": "La fenêtre, position par position",
  "play.course.position": "Position ({i}, {j})",
  "play.course.padded": "Zéros ajoutés autour de l'entrée : P = {p} (visibles dans l'entrée).",
  "play.course.printed": "Le cours donne",
  "play.course.printed_first": "Le cours donne :",
  "play.course.printed_size": "La formule du cours donne {n}",
  "play.course.computed": "calculé :",
  "play.course.match": "✓ Mêmes nombres que le cours.",
  "play.course.verified": "✓ conforme au cours",
  "play.course.differs": "✗ diffère du cours",
  "play.course.misprint": "✗ le résultat du cours est faux",
  "play.course.five.title": "Convolution 2D : une image 5×5 et un noyau 3×3",
  "play.course.five.source":
    "Cours, chapitre 1, « Couche de convolution 2D » : les neuf positions calculées une à une.",
  "play.course.rgb.title": "Image RGB : un noyau par canal, les sommes additionnées",
  "play.course.rgb.source":
    "Cours, chapitre 1, « Couche de convolution 2D », images RGB : première position, 30 + 18 + 111 = 159 (le cours ne donne que cette valeur).",
  "play.course.portion.title": "Une portion d'image et un filtre 3×3",
  "play.course.portion.source": "Cours (du perceptron au CNN), « Opération de convolution » : la première valeur, 134.",
  "play.course.stride1d.title": "Convolution 1D avec un pas de 2",
  "play.course.stride1d.source": "Cours, chapitre 1, « Couche de convolution 1D : Pas de convolution ».",
  "play.course.padding1d.title": "Convolution 1D avec remplissage",
  "play.course.padding1d.source":
    "Cours, chapitre 1, « Couche de convolution 1D : Remplissage » : entrée de taille 7, pas 1, noyau [2, 1, −3].",
  "play.course.padding1d.why":
    "Le cours donne [−1, −2, 2, 1, 2, 1, −3] comme résultat : c'est l'entrée elle-même, recopiée. Avec un zéro de chaque côté, le noyau [2, 1, −3] donne {correct} (première position : 2·0 + 1·(−1) + (−3)·(−2) = 5). La taille, 7, est juste : (7 − 3 + 2·1)/1 + 1 = 7.",
  "play.course.stride2d.title": "Taille de sortie avec un pas de 2 : (5 − 3)/2 + 1 = 2",
  "play.course.stride2d.source": "Cours, chapitre 1, « Pas de convolution » : N = 5, F = 3, S = 2.",
  "play.course.same2d.title": "Le remplissage conserve la taille : (5 − 3 + 2·1)/1 + 1 = 5",
  "play.course.same2d.source": "Cours, chapitre 1, « Remplissage » : P = (F − 1)/2 = 1.",

  "play.pool.title": "Pooling",
  "play.pool.intro":
    "Une fenêtre glisse sur la carte et garde un seul nombre : le plus grand (max), la moyenne ou la somme. La carte est modifiable ; l'exemple du cours est chargé.",
  "play.pool.mode": "Pooling",
  "play.pool.max": "Max",
  "play.pool.avg": "Moyenne",
  "play.pool.sum": "Somme",
  "play.pool.size": "Fenêtre F",
  "play.pool.course": "La carte 4×4 du cours",
  "play.pool.random": "6×6 au hasard",
  "play.pool.bad_numbers": "La fenêtre et le pas sont des nombres entiers, au moins 1.",
  "play.pool.input": "Carte {h}×{w} (modifiable)",
  "play.pool.output": "Résultat {h}×{w}",
  "play.pool.click": "Cliquez sur un résultat pour voir sa fenêtre.",
  "play.pool.course_ok": "✓ [[2, 50], [20, 20]], comme le donne le cours",
  "play.pool.at": "Résultat ({i}, {j})",
  "play.pool.argmax":
    "Le maximum est ligne {r}, colonne {c} (en gras) : à la rétropropagation, seule cette case reçoit le gradient.",
  "play.pool.avg_hint": "La moyenne des {n} valeurs : chacune recevra 1/{n} du gradient.",

  "play.act.title": "Fonctions d'activation et leurs dérivées",
  "play.act.intro":
    "Le coude non linéaire après chaque couche. Sa dérivée est ce par quoi la rétropropagation multiplie : là où elle vaut 0, le gradient s'arrête.",
  "play.act.kind": "Fonction",
  "play.act.alpha": "α",
  "play.act.chart": "La fonction et sa dérivée",
  "play.act.slider": "x",
  "play.act.no_derivative": "pas de dérivée à tracer",
  "play.act.course_relu": "L'exemple du cours : ReLU sur une carte 4×4",
  "play.act.relu": "ReLU",
  "play.act.leaky_relu": "Leaky ReLU",
  "play.act.elu": "ELU",
  "play.act.sigmoid": "Sigmoïde",
  "play.act.tanh": "tanh",
  "play.act.heaviside": "Échelon (Heaviside)",
  "play.act.f.relu": "ReLU(x) = max(0, x)",
  "play.act.df.relu": "ReLU′(x) = 1 si x > 0, sinon 0",
  "play.act.f.leaky_relu": "LeakyReLU(x) = max({a}·x, x)",
  "play.act.df.leaky_relu": "LeakyReLU′(x) = 1 si x > 0, sinon {a}",
  "play.act.f.elu": "ELU(x) = x si x ≥ 0, sinon {a}·(eˣ − 1)",
  "play.act.df.elu": "ELU′(x) = 1 si x > 0, sinon {a}·eˣ",
  "play.act.f.sigmoid": "σ(x) = 1 / (1 + e⁻ˣ)",
  "play.act.df.sigmoid": "σ′(x) = σ(x) · (1 − σ(x))",
  "play.act.f.tanh": "tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ)",
  "play.act.df.tanh": "tanh′(x) = 1 − tanh²(x)",
  "play.act.f.heaviside": "H(x) = 1 si x ≥ 0, sinon 0",
  "play.act.df.heaviside": "H′(x) = 0 pour x ≠ 0, non définie en 0",
  "play.act.note.relu":
    "Les entrées négatives donnent 0 et une dérivée nulle : ces unités ne transmettent aucun gradient (le « ReLU mort »).",
  "play.act.note.leaky_relu": "Une petite pente α pour x < 0 laisse passer un peu de gradient là où ReLU l'arrêterait.",
  "play.act.note.elu": "Lisse pour x < 0, tend vers −α : les sorties sont en moyenne plus proches de 0.",
  "play.act.note.sigmoid":
    "Écrase tout dans ]0, 1[. Sa dérivée vaut au plus 0,25 : empilés, les gradients rétrécissent vite.",
  "play.act.note.tanh": "Comme la sigmoïde mais centrée sur 0, dans (−1, 1) ; sa dérivée vaut au plus 1.",
  "play.act.note.heaviside":
    "La marche du perceptron. Sa dérivée vaut 0 partout où elle existe : la descente de gradient ne peut pas apprendre à travers elle, d'où la sigmoïde. Le cours pose H(0) = ½ ; ici, comme dans la plupart des bibliothèques, H(0) = 1.",

  "play.ce.title": "Calculateur d'entropie croisée",
  "play.ce.intro":
    "L'exemple du cours : une image de chien, cinq classes. Q est la prédiction du modèle, P la vraie classe ; la perte ne regarde que la probabilité de la vraie classe.",
  "play.ce.case_before": "Avant l'entraînement (cours)",
  "play.ce.case_after": "Après l'entraînement (cours)",
  "play.ce.animal": "Classe",
  "play.ce.true": "Vraie",
  "play.ce.true_of": "{a} est la vraie classe",
  "play.ce.dog": "Chien",
  "play.ce.fox": "Renard",
  "play.ce.horse": "Cheval",
  "play.ce.eagle": "Aigle",
  "play.ce.squirrel": "Écureuil",
  "play.ce.ln_note":
    "log est le logarithme népérien ln : H = {ln}. Avec log10 la même somme donnerait {l10}, avec log2 {l2} — les 0,916 et 0,02 du cours sont des logarithmes népériens.",
  "play.ce.infinite":
    "La vraie classe a une probabilité nulle : −ln 0 = ∞. Le modèle se trompe infiniment ; le vrai code ajoute un petit ε (1e-9 dans le cours) pour l'éviter.",
  "play.ce.not_distribution":
    "Q totalise {s}, pas 1 : ce n'est pas une distribution de probabilité (softmax en donne toujours une). La somme est quand même calculée, mais a peu de sens.",
  "play.ce.course_prints": "Le cours donne ≈ {v}.",
  "play.ce.zero_terms":
    "Les termes où P(i) = 0 comptent pour 0, même si Q(i) = 0 (0 · ln 0 est pris comme sa limite, 0).",
  "play.course.nf1.title": "Taille de sortie N − F + 1 : une image 7×7 et un filtre 3×3 donnent 5×5",
  "play.course.nf1.source": "Cours, chapitre 1, « Couche de convolution 2D » : O = (7 − 3 + 1) × (7 − 3 + 1) = 5 × 5.",
  "play.course.depth.title": "Profondeur : une image 32×32×3, dix filtres 5×5×3, remplissage « same » → 32×32×10",
  "play.course.depth.source":
    "Cours, chapitre 1, « Couche de convolution 2D : Profondeur » : un filtre donne une carte, dix filtres en donnent dix.",
  "play.course.depth.params":
    "Un filtre (calculé ici) donne une carte {h}×{h} ; {f} filtres donnent {f} cartes : {h}×{h}×{f}. Paramètres : {f} × ({c}×{kh}×{kw} poids + 1 biais) = {f} × {weights} + {f} = {params}.",
  "play.course.sobel_typo_y.title": "Carnet : le noyau de Sobel de la cellule [6], mal recopié",
  "play.course.sobel_typo_y.source":
    "Carnet (seed 004), cellule [6] : kernel = [[−1 ; −2 ; −1] ; [−2 ; 0 ; 2] ; [1 ; 2 ; 1]]. Ci-dessus : le vrai Sobel Y sur un bord vertical.",
  "play.course.sobel_typo_y.doc_kernel": "Le noyau du carnet",
  "play.course.sobel_typo_y.doc": "Ce qu'il donne ({h}×{w})",
  "play.course.sobel_typo_y.why":
    "Sa ligne du milieu devrait être [0 ; 0 ; 0] : avec [−2 ; 0 ; 2] le noyau est Sobel Y plus un morceau de Sobel X, il répond donc aussi aux bords verticaux, là où Sobel Y donne 0.",
  "play.course.sobel_typo_x.title": "Carnet : le noyau Sobel X de la cellule [8], mal recopié",
  "play.course.sobel_typo_x.source":
    "Carnet (seed 004), cellule [8] : kernel = [[−1 ; 0 ; 1] ; [−2 ; 0 ; 2] ; [−1 ; 0 ; 0]]. Ci-dessus : le vrai Sobel X sur une zone uniforme.",
  "play.course.sobel_typo_x.doc_kernel": "Le noyau du carnet",
  "play.course.sobel_typo_x.doc": "Ce qu'il donne ({h}×{w})",
  "play.course.sobel_typo_x.why":
    "Sa dernière case devrait valoir 1 (la cellule [10] l'écrit bien) : avec 0 les poids n'ont plus une somme nulle, et une zone uniforme, sans aucun bord, donne −5 au lieu de 0.",
  "play.course.convol.title": "Carnet : convol() écrit r[i, j] au lieu de r[i − k, j − k]",
  "play.course.convol.source":
    "Carnet (seed 004), cellule [8], avec le noyau 5×5 (k = 2) sur une image 8×8. Ci-dessus : la vraie convolution « valid », 4×4.",
  "play.course.convol.doc": "Ce que renvoie convol() ({h}×{w})",
  "play.course.convol.why":
    "convol() crée r de (n − k − 1) × (m − k − 1) cases et écrit r[i, j] pour i, j à partir de k : les k premières lignes et colonnes restent à 0, chaque valeur est décalée de k, et les dernières positions valides ne sont jamais calculées. La vraie sortie a (n − 2k) × (m − 2k) cases, r[i − k, j − k] = Σ f · kernel.",
  "play.course.global_gimg.title": "Carnet : convolution() lit la variable globale gimg, pas son argument",
  "play.course.global_gimg.source":
    "Carnet (seed 004), cellule [6] : def convolution(img, kernel): … np.sum(gimg[i-1:i+2, j-1:j+2] * kernel). Ci-dessus : la convolution de l'image passée en argument.",
  "play.course.global_gimg.doc": "Ce que renvoie convolution(img, kernel) : la convolution de gimg ({h}×{w})",
  "play.course.global_gimg.why":
    "La fonction reçoit img mais lit la variable globale gimg : appelée avec une autre image, elle renvoie encore la convolution de gimg (seule sa taille vient de img). Le carnet ne l'appelle qu'avec gimg : son image est juste par chance.",
  "play.slip.title": "Le texte du cours, corrigé",
  "play.slip.badge": "erreur",
  "play.slip.cross_validation.doc": "« H : validation croisée »",
  "play.slip.cross_validation.correct": "H est l'entropie croisée",
  "play.slip.cross_validation.why":
    "Dans l'exemple de l'entropie croisée (seed 003), H = −Σ P·ln Q désigne la perte. La validation croisée est tout autre chose : découper les données de plusieurs façons pour évaluer un modèle.",
  "play.slip.vgg.doc":
    "VGG : « filtres de plus petites tailles (2x2 et 3x3) », « toutes les couches de convolution sont suivies d'une couche de sous-échantillonnage »",
  "play.slip.vgg.correct": "des filtres 3×3 seulement ; un max pooling 2×2 après chaque bloc de 2 à 4 convolutions",
  "play.slip.vgg.why":
    "VGG (Simonyan et Zisserman, 2014) n'utilise que des convolutions 3×3 (pas de 1, remplissage de 1) ; 2×2 est la taille de ses fenêtres de max pooling (pas de 2), placées après chaque bloc de 2 à 4 convolutions : VGG-16 a 13 convolutions et 5 poolings.",
  "play.pool.notebook.title": "Le pooling du carnet : 168×300 → 42×75",
  "play.pool.notebook.source":
    "Carnet (seed 004), cellule [63] : maxpooling(r, 4) sur son image 168×300 affiche (42, 75) (168, 300). Le serveur réduit une image de cette taille avec des fenêtres 4×4 :",
  "play.pool.notebook.result": "Calculé : {h}×{w} ; le carnet donne ({ph}, {pw}).",
};
