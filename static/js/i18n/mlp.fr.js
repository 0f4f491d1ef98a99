// Textes français de la page du perceptron multicouche (/mlp) ; mêmes clés que mlp.en.js (un test navigateur le
// vérifie). Enregistrés par mlp.messages.js via lib/i18n.js addMessages(). Paramètres : {nom}.
export default {
  "mlp.title": "Des couches de neurones",
  "mlp.heading": "Des couches de neurones : le perceptron multicouche",
  "mlp.intro":
    "Un neurone trace une seule droite. XOR et deux cercles ne se séparent pas par une droite : une couche cachée de neurones, chacun traçant sa propre droite, peut courber la frontière. La règle de la chaîne ramène ensuite l'erreur à travers les couches.",
  "mlp.chapter":
    "Suit le chapitre « Le Perceptron » du cours, partie « Vers les réseaux de neurones » (propagation avant, rétropropagation, annexes 3 et 4).",

  "mlp.train.title": "Là où un neurone échoue",
  "mlp.train.dataset": "Données",
  "mlp.train.xor": "XOR",
  "mlp.train.circles": "deux cercles",
  "mlp.train.hidden": "Couche cachée",
  "mlp.train.units": "{n} unités",
  "mlp.train.none": "aucune (un neurone)",
  "mlp.train.eta": "η",
  "mlp.train.epochs": "Pas",
  "mlp.train.seed": "Graine",
  "mlp.train.go": "Entraîner",
  "mlp.train.running": "Entraînement…",
  "mlp.train.result":
    "Après {epochs} pas de descente de gradient (η = {eta}) : exactitude {acc}, perte {loss}. Un seul neurone entraîné de la même façon : exactitude {acc1}, perte {loss1}.",
  "mlp.train.plane": "La sortie du réseau sur le plan, les points et les droites des unités cachées",
  "mlp.train.text":
    "Fond : la sortie du réseau A^[L] (rouge : classe 1, bleu : classe 0) ; pointillés : là où chaque unité de la première couche cachée a z = 0.",
  "mlp.train.curve": "perte",
  "mlp.train.step": "pas",

  "mlp.units.title": "Chaque unité cachée trace une droite",
  "mlp.units.text":
    "Chaque unité de la première couche cachée est un neurone de la page précédente : σ(w1·x1 + w2·x2 + b), une frontière droite. Le neurone de sortie combine ensuite ces demi-plans : pour XOR par exemple, une unité peut dire « au moins une entrée vaut 1 », une autre « les deux valent 1 », et la sortie « la première mais pas la seconde ».",
  "mlp.units.unit": "unité {k} : {w1}·x1 + {w2}·x2 + {b}",
  "mlp.units.none": "Pas de couche cachée : le réseau est un seul neurone, une seule droite.",

  "mlp.bp.title": "La rétropropagation en nombres : la récurrence du cours",
  "mlp.bp.text":
    "Les quatre points de XOR en colonnes de X = A^[0] (2 × 4, la disposition du cours), un réseau 2 → 2 → 1 de sigmoïdes. En avant, puis en arrière : dZ^[2] = A^[2] − y, puis dZ^[1] = (W^[2]ᵀ·dZ^[2]) ⊙ A^[1](1 − A^[1]), et pour chaque couche ∂L/∂W = (1/m)·dZ·A^[l−1]ᵀ, ∂L/∂b = (1/m)·Σ dZ. Chaque matrice est recalculée ici et vérifiée par le serveur.",
  "mlp.bp.step": "Un pas",
  "mlp.bp.run": "100 pas",
  "mlp.bp.reset": "Revenir au départ",
  "mlp.bp.status": "Pas {k} : L = {loss} → {next} après ce pas.",
  "mlp.bp.forward": "En avant",
  "mlp.bp.backward": "En arrière",
  "mlp.bp.col": "point {k}",

  "mlp.digits.title": "Le PMC du cours sur des chiffres manuscrits",
  "mlp.digits.text":
    "L'annexe du chapitre entraîne reseau_de_neurone avec hidden_layers = (16, 16, 16) : sur des chiffres de 28 × 28, 784 → 16 → 16 → 16 → 10 avec des sigmoïdes (ici dix sorties et un softmax, une par chiffre). ConvStep le fournit entraîné sur les 5 000 chiffres d'entraînement : ouvrez-le dans le labo de dessin pour suivre chaque nombre en avant et en arrière, parcourez-le pas à pas, ou entraînez-le vous-même.",
  "mlp.digits.lab": "Le PMC dans le labo de dessin",
  "mlp.digits.steps": "Le PMC pas à pas",
  "mlp.digits.train": "L'entraîner en direct",

  "mlp.errata.title": "Les coquilles du chapitre (la partie multicouche)",
  "mlp.errata.text": "Ce qu'écrit le chapitre, la forme correcte, et pourquoi, chaque fois sur des nombres.",
  "mlp.next": "Ensuite : le CNN, dans le labo de dessin →",
};
