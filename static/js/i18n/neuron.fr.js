// Textes français de la page du neurone (/neuron) ; mêmes clés que neuron.en.js (un test navigateur le vérifie).
// Enregistrés par neuron.messages.js via lib/i18n.js addMessages(). Paramètres : {nom}.
export default {
  "neuron.title": "Un neurone",
  "neuron.heading": "Un neurone : le perceptron qui apprend",
  "neuron.intro":
    "Avant les convolutions, un seul neurone artificiel : il pondère ses entrées, ajoute un biais, écrase le résultat en une probabilité, et apprend ses poids par descente de gradient. Chaque nombre ci-dessous est calculé ici et vérifié par le serveur.",
  "neuron.chapter":
    "Suit le chapitre « Le Perceptron » du cours (neurone formel, sigmoïde, log loss, descente de gradient, l'étude de cas).",

  "neuron.data.title": "Deux nuages de points",
  "neuron.data.text":
    "Chaque point est un échantillon x = (x1, x2) avec sa classe y : bleu pour 0, rouge pour 1. La droite est l'endroit où le neurone hésite : w1·x1 + w2·x2 + b = 0 (z = 0, σ(z) = 0,5) ; en pointillés, là où elle était un pas plus tôt. Le fond montre σ(z), la probabilité de la classe 1 selon le neurone.",
  "neuron.data.add_class": "Un clic ajoute un point de la classe",
  "neuron.data.class0": "0 (bleu)",
  "neuron.data.class1": "1 (rouge)",
  "neuron.data.add_at": "Ou ajoutez le point",
  "neuron.data.add": "Ajouter",
  "neuron.data.new": "Nouveaux nuages",
  "neuron.data.reset": "Recommencer",
  "neuron.data.count": "{m} points : {n0} de la classe 0, {n1} de la classe 1.",
  "neuron.data.plane": "Le plan (x1, x2) : {m} points et la frontière du neurone",

  "neuron.outputs.title": "Heaviside ou sigmoïde : la sortie du neurone",
  "neuron.outputs.text":
    "Le neurone formel répond par une marche : H(z) = 1 si z ≥ 0, sinon 0. Le perceptron du cours utilise plutôt la sigmoïde σ(z) = 1/(1 + e^(−z)) : la même décision à 0,5, mais une probabilité lisse dont la dérivée σ(z)(1 − σ(z)) n'est jamais nulle, si bien que la descente de gradient sait dans quel sens déplacer les poids. La dérivée de la marche est nulle partout (et non définie en 0) : elle ne donne rien à la descente.",
  "neuron.outputs.point": "Point {k} : z = {z}, H(z) = {h}, σ(z) = {a}, classe y = {y}",
  "neuron.outputs.heaviside": "Heaviside H(z)",
  "neuron.outputs.sigmoid": "Sigmoïde σ(z)",
  "neuron.outputs.agree":
    "Les deux prennent la même décision (σ(z) ≥ 0,5 exactement quand z ≥ 0) : {c} des {m} points sont du bon côté. Seule σ dit à quel point le neurone est sûr : en moyenne, il donne à la vraie classe une probabilité de {p}.",

  "neuron.loss.title": "La log loss, depuis la vraisemblance d'une variable de Bernoulli",
  "neuron.loss.p1":
    "Le neurone dit que a = σ(z) est la probabilité que la classe soit 1. Sachant a, la classe y est une variable de Bernoulli : P(Y = y) = a^y·(1 − a)^(1 − y) (a si y = 1, 1 − a si y = 0).",
  "neuron.loss.p2":
    "Les échantillons étant indépendants, la vraisemblance de tout le jeu de données est le produit Π a_i^(y_i)·(1 − a_i)^(1 − y_i). De bons poids la rendent grande. Son logarithme change le produit en somme, Σ [y_i·ln a_i + (1 − y_i)·ln(1 − a_i)], et la maximiser revient à minimiser son opposé, en moyenne sur les m échantillons :",
  "neuron.loss.p3":
    "Chaque terme est −ln de la probabilité que le neurone a donnée à la vraie classe : 0 quand il était sûr et avait raison, grand quand il était sûr et avait tort. Le cours ajoute ε = 1e−10 dans les logarithmes pour ne jamais calculer ln 0 ; écrite à partir de z, L = (1/m)·Σ [ln(1 + e^z) − y·z] (la dérivation du cours elle-même) n'a pas besoin de ε.",
  "neuron.loss.now": "Ici : L = {loss} (m = {m}).",

  "neuron.gd.title": "La descente de gradient, pas à pas",
  "neuron.gd.text":
    "Les formules vectorisées du cours, remplies avec les nombres du moment (X a un point par ligne). Le navigateur recalcule chaque résultat et le compare à celui du serveur.",
  "neuron.gd.eta": "Pas d'apprentissage η",
  "neuron.gd.step": "Un pas",
  "neuron.gd.run": "10 pas",
  "neuron.gd.reset": "Revenir au départ",
  "neuron.gd.status": "Pas {k} : W = {W}, b = {b}, L = {loss}, exactitude {acc}.",
  "neuron.gd.rows": "(les {n} premières des {m} lignes)",
  "neuron.gd.update": "La mise à jour",

  "neuron.curves.title": "La courbe de coût et la surface de coût",
  "neuron.curves.text":
    "À gauche : le coût après chaque pas. À droite : le coût pour chaque (w1, w2), b restant à sa valeur actuelle (couleur : ln L, sombre = faible) ; le chemin blanc est la descente jusqu'ici. La descente de gradient suit la pente, à travers les lignes de niveau.",
  "neuron.curves.loss": "coût L",
  "neuron.curves.step": "pas",
  "neuron.curves.surface": "Surface de coût sur (w1, w2), b = {b}, et le chemin de la descente ({k} pas)",
  "neuron.curves.w1": "w1 →",
  "neuron.curves.w2": "w2 ↑",
  "neuron.curves.critical":
    "Ici le coût est courbé de λ_max = 2/{c} (la plus grande valeur propre de la hessienne) : un pas η·∂L/∂W plus grand que la largeur de la vallée la franchit dès que η > 2/λ_max ≈ {c}. Avec η = {eta}, le coût {verdict}",
  "neuron.curves.calm": "baisse à chaque pas.",
  "neuron.curves.bounce":
    "rebondit : chaque pas saute par-dessus le fond de la vallée, de l'autre côté, comme sur la figure du cours.",
  "neuron.curves.try_big": "Essayer η = 60",
  "neuron.curves.try_small": "Essayer η = 1",
  "neuron.curves.bouncing": "Le coût est remonté {n} fois en {k} pas.",

  "neuron.scaling.title": "Des entrées non normalisées : l'exponentielle déborde",
  "neuron.scaling.text":
    "L'étude de cas du cours entraîne le neurone sur des images dont les pixels vont de 0 à 255. Ici : {m} chiffres manuscrits ({d0} contre {d1}), {n} pixels chacun, des poids tirés selon N(0, 1) comme dans le cours, η = {eta}.",
  "neuron.scaling.raw": "pixels bruts 0–255",
  "neuron.scaling.scaled": "mis à l'échelle MinMax, 0–1",
  "neuron.scaling.cost": "la LogLoss du cours",
  "neuron.scaling.raw_stats":
    "Bruts : au premier pas |z| atteint {z}, bien au-delà de {t} = ln(plus grand double) : e^(−z) déborde vers ∞ pour {o} des {m} images (le « overflow encountered in exp » de NumPy). σ vaut alors exactement 0 ou 1 pour {s} images, ln(0) exige le ε du cours, et le coût ne compte plus que −ln ε ≈ 23 par image mal classée : il saute entre de telles valeurs au lieu de baisser doucement.",
  "neuron.scaling.scaled_stats":
    "Mis à l'échelle : X′ = (X − Xmin)/(Xmax − Xmin) = X/255 met chaque entrée entre 0 et 1 ; |z| reste sous {z}, aucune exponentielle ne déborde ({o} débordements, {s} sorties saturées) et le coût baisse doucement jusqu'à {c}.",
  "neuron.scaling.loading": "Entraînement du neurone sur {m} chiffres, deux fois…",

  "neuron.errata.title": "Les coquilles du chapitre (le neurone)",
  "neuron.errata.text":
    "Là où le texte du chapitre s'écarte de la formule juste, voici ce qu'il écrit, la forme correcte et pourquoi. Les coquilles de la partie multicouche sont sur la page suivante.",
  "neuron.next": "Ensuite : des couches de neurones →",
};
