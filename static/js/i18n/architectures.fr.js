// Les textes français de la page des architectures célèbres (/architectures) ; mêmes clés que
// architectures.en.js. Espaces insécables (\u00a0) avant : ; ? ! et fines (\u202f) avant %.
export default {
  "arch.title": "Architectures célèbres",
  "arch.heading": "Les architectures célèbres, mesurées",
  "arch.intro":
    "De LeNet-5 à EfficientNet-B0\u00a0: chaque taille de sortie calculée avec la formule du cours (N − F + 2P)/S + 1, chaque paramètre et chaque multiplication-addition comptés, couche par couche.",
  "arch.chapter":
    "Chapitre du cours\u00a0: le cours sur les CNN (003), chapitre 1, partie 4 «\u00a0Quelques exemples des réseaux à convolution\u00a0».",

  // ---- 1. comparaison
  "arch.compare.title": "Dix réseaux côte à côte",
  "arch.chart.caption":
    "À l'horizontale\u00a0: multiplications-additions pour une image 224×224 (échelle logarithmique). À la verticale\u00a0: exactitude top-1 sur ImageNet des poids de torchvision pour le même réseau. Aire du disque\u00a0: nombre de paramètres.",
  "arch.chart.label":
    "Graphique de {n} réseaux\u00a0: multiplications-additions en fonction de l'exactitude top-1 sur ImageNet, aire du disque selon les paramètres. Les nombres sont dans le tableau ci-dessous.",
  "arch.chart.x": "multiplications-additions par image",
  "arch.chart.y": "top-1 (%)",
  "arch.chart.lenet":
    "LeNet-5 n'est pas sur le graphique\u00a0: il lit des chiffres 32×32 (MNIST), pas des photos d'ImageNet.",
  "arch.compare.caption": "Les nombres du graphique",
  "arch.compare.note":
    "Top-1 publié\u00a0: exactitude sur ImageNet (validation ILSVRC-2012) telle que chaque article la donne, avec sa propre évaluation (un recadrage, 10 recadrages, plusieurs échelles)\u00a0: voir la source sous chaque réseau. Top-1 torchvision\u00a0: un recadrage 224×224 du réseau même compté ici.",
  "arch.compare.show": "Voir les couches de {name}",
  "arch.col.network": "Réseau",
  "arch.col.year": "Année",
  "arch.col.params": "Paramètres",
  "arch.col.macs": "Multiplications-additions",
  "arch.col.memory": "Activations",
  "arch.col.top1": "Top-1 publié",
  "arch.col.tv_top1": "Top-1 torchvision",
  "arch.col.index": "n°",
  "arch.col.layer": "Couche",
  "arch.col.type": "Type",
  "arch.col.output": "Sortie",
  "arch.col.formula": "(N − F + 2P)/S + 1",
  "arch.col.numpy": "NumPy",
  "arch.none": "—",

  // ---- 2. un réseau
  "arch.layers.title": "Un réseau, couche par couche",
  "arch.layers.network": "Réseau",
  "arch.layers.input": "Côté de l'entrée (pixels)",
  "arch.layers.reset": "Taille de l'article",
  "arch.layers.legend":
    "⌊x⌋\u00a0: arrondi à l'entier inférieur (la fenêtre ne rentre pas une dernière fois)\u00a0; ⌈x⌉\u00a0: arrondi à l'entier supérieur (mode ceil). ✓ NumPy\u00a0: le moteur calcule aussi cette couche avec de vrais nombres, en propagation avant et arrière\u00a0; les autres ne sont ici que des formes. Activations\u00a0: la sortie de la couche pour une image, en float32 (4 octets par valeur).",
  "arch.layers.caption": "{name} sur une entrée {shape}\u00a0: {n} lignes",
  "arch.layers.loading": "Calcul en cours…",
  "arch.totals":
    "Total\u00a0: {params} paramètres · {macs} multiplications-additions ({gmacs}) · {memory} d'activations pour une image · sortie {shape}",
  "arch.about.year": "{year}",
  "arch.about.introduced": "Ce qu'il a apporté",
  "arch.about.top1": "Top-1 publié sur ImageNet\u00a0: {top1}",
  "arch.about.no_top1": "Pas de top-1 publié sur ImageNet",
  "arch.about.tv": "Poids de torchvision pour ce réseau\u00a0: {top1} en top-1.",
  "arch.about.variant": "Ce qui est compté ici",
  "arch.about.course": "Ce que dit le cours",
  "arch.lenet5.course":
    "Le cours date LeNet de 1990 et le termine par une couche dense et un softmax. Le LeNet-5 compté ici est celui de l'article de 1998 (les premiers LeNet datent de 1989), dont la sortie est formée de 10 unités RBF euclidiennes\u00a0; les réimplémentations actuelles finissent par dense + softmax, comme le décrit le cours.",
  "arch.alexnet.course":
    "Le cours donne «\u00a0unités 650K, paramètres 60M\u00a0»\u00a0: c'est le réseau de l'article, sur deux GPU. La variante sur un GPU comptée ici a {params} paramètres.",
  "arch.vgg16.course":
    "Le cours donne «\u00a0138 millions de paramètres, environ 500 Mo\u00a0»\u00a0: compté ici, {params} paramètres, soit {memory} en float32 (4 octets chacun). Il dit aussi que toutes les couches de convolution sont suivies d'une couche de sous-échantillonnage, avec des filtres 2x2 et 3x3\u00a0: le tableau compte {convs} convolutions, toutes 3×3, et {pools} max poolings 2×2, un après chaque groupe de 2 ou 3 convolutions (2×2 est la fenêtre du pooling).",
  "arch.vgg19.course":
    "Le cours dit que toutes les couches de convolution sont suivies d'une couche de sous-échantillonnage, avec des filtres 2x2 et 3x3\u00a0: le tableau compte {convs} convolutions, toutes 3×3, et {pools} max poolings 2×2, un après chaque groupe de 2 ou 4 convolutions (2×2 est la fenêtre du pooling).",
  "arch.row.total": "Total",
  "arch.row.residual": "addition des branches",
  "arch.row.concat": "concaténation des branches",
  "arch.row.se": "mise à l'échelle des canaux",
  "arch.row.block_params": "bloc\u00a0: {params} paramètres",
  "arch.row.numpy": "calculée en NumPy",
  "arch.row.shape_only": "forme seulement",
  "arch.detail.maps": "{used} cartes d'entrée sur {all}",

  // ---- les réseaux
  "arch.lenet5.intro":
    "Des convolutions à poids partagés, puis un sous-échantillonnage, puis d'autres convolutions, le tout entraîné de bout en bout par rétropropagation, pour des chiffres manuscrits (chèques, codes postaux). C3 ne voit que certaines cartes de S2 (tableau I de l'article) pour économiser des connexions et casser la symétrie\u00a0; la couche de sortie mesure la distance à un prototype par chiffre (unités RBF).",
  "arch.lenet5.variant":
    "Tel que publié\u00a0: entrée 32×32, sous-échantillonnage avec un coefficient et un biais appris (2 paramètres par carte), écrasement par tanh, table de connexions de C3, 840 paramètres RBF (fixés à la main dans l'article, comptés ici).",
  "arch.lenet5.source":
    "MNIST, pas ImageNet\u00a0: 0,95\u202f% d'erreur en test (0,8\u202f% avec déformations), section III.C de l'article",
  "arch.alexnet.intro":
    "Un CNN profond entraîné sur deux GPU, vainqueur d'ILSVRC-2012 avec une large avance\u00a0: ReLU au lieu de tanh (un apprentissage plusieurs fois plus rapide), dropout dans les couches denses, augmentation des données, normalisation locale de la réponse et pooling avec recouvrement (fenêtres 3×3, pas de 2).",
  "arch.alexnet.variant":
    "L'AlexNet de torchvision est la variante sur un GPU de «\u00a0One weird trick\u00a0» (Krizhevsky, 2014)\u00a0: 64-192-384-256-256 filtres, sans LRN ni découpage en deux groupes. Sa première couche a un remplissage de 2\u00a0: (224 − 11 + 4)/4 = 54,25 ne tombe pas juste, la taille est donc ⌊54,25⌋ + 1 = 55.",
  "arch.alexnet.source": "Tableau 2\u00a0: un seul CNN, 40,7\u202f% d'erreur top-1 en validation ILSVRC-2012",
  "arch.vgg16.intro":
    "Uniquement des convolutions 3×3 (pas de 1, remplissage de 1, ce qui garde la taille) et du max pooling 2×2, empilés en profondeur\u00a0: deux couches 3×3 voient aussi loin qu'une 5×5 avec moins de paramètres et une ReLU de plus. L'essentiel des paramètres est dans la première couche dense (25\u202f088 × 4\u202f096).",
  "arch.vgg16.variant": "Configuration D de l'article, telle que torchvision la construit.",
  "arch.vgg16.source": "Tableau 4\u00a0: configuration D, évaluation multi-échelle, 24,8\u202f% d'erreur top-1",
  "arch.vgg19.intro":
    "VGG-16 avec une convolution 3×3 de plus dans chacun des trois derniers étages\u00a0: 19 couches à poids, 5 M de paramètres et 27\u202f% de multiplications-additions en plus pour à peu près la même exactitude.",
  "arch.vgg19.variant": "Configuration E de l'article, telle que torchvision la construit.",
  "arch.vgg19.source": "Tableau 4\u00a0: configuration E, évaluation multi-échelle, 24,8\u202f% d'erreur top-1",
  "arch.googlenet.intro":
    "Le module Inception\u00a0: des convolutions 1×1, 3×3 et 5×5 et un pooling côte à côte, concaténés\u00a0; des convolutions 1×1 réduisent d'abord les canaux pour que les grands noyaux restent bon marché. 22 couches, 12 fois moins de paramètres qu'AlexNet selon l'article, et un pooling moyen global au lieu de grandes couches denses.",
  "arch.googlenet.variant":
    "Tel que torchvision le construit\u00a0: normalisation par lot après chaque convolution, sans classifieurs auxiliaires, et un noyau 3×3 dans la branche «\u00a05×5\u00a0» (une erreur connue que torchvision garde pour que ses poids se chargent encore). Les poolings arrondissent à l'entier supérieur (mode ceil).",
  "arch.googlenet.source":
    "l'article ne donne que le top-5\u00a0: 6,67\u202f% d'erreur (7 modèles, 144 recadrages, test ILSVRC-2014)",
  "arch.resnet18.intro":
    "Les connexions résiduelles\u00a0: chaque bloc apprend F(x) et renvoie F(x) + x, si bien que le gradient passe aussi par l'identité et que des réseaux très profonds s'entraînent. Normalisation par lot après chaque convolution\u00a0; une convolution 1×1 sur le raccourci quand la forme change.",
  "arch.resnet18.variant":
    "Deux convolutions 3×3 par bloc (bloc de base), 2-2-2-2 blocs, tel que torchvision le construit.",
  "arch.resnet18.source": "Tableau 2\u00a0: 27,88\u202f% d'erreur top-1, 10 recadrages, validation ILSVRC-2012",
  "arch.resnet50.intro":
    "Des blocs en goulot d'étranglement\u00a0: une convolution 1×1 divise les canaux par 4, une 3×3 travaille sur moins de canaux, une 1×1 les rétablit, et l'entrée est ajoutée. 3-4-6-3 blocs, 50 couches à poids.",
  "arch.resnet50.variant":
    "La v1.5 de torchvision\u00a0: le pas est sur la convolution 3×3 du goulot (sur la première 1×1 dans l'article)\u00a0; mêmes paramètres, quelques multiplications-additions de plus.",
  "arch.resnet50.source": "Tableau 3\u00a0: 22,85\u202f% d'erreur top-1, 10 recadrages, validation ILSVRC-2012",
  "arch.resnet152.intro":
    "Les mêmes blocs en goulot, 3-8-36-3 cette fois\u00a0: 152 couches à poids, encore moins de multiplications-additions que VGG-16, et la victoire à ILSVRC-2015.",
  "arch.resnet152.variant": "La v1.5 de torchvision (pas sur la convolution 3×3 du goulot).",
  "arch.resnet152.source": "Tableau 3\u00a0: 21,43\u202f% d'erreur top-1, 10 recadrages, validation ILSVRC-2012",
  "arch.densenet121.intro":
    "La connectivité dense\u00a0: dans un bloc, chaque couche reçoit la concaténation de toutes les cartes précédentes et n'en ajoute que 32 nouvelles (le taux de croissance)\u00a0; les transitions divisent par deux les canaux et la taille. Les caractéristiques sont réutilisées au lieu d'être recalculées\u00a0: 8 M de paramètres.",
  "arch.densenet121.variant":
    "Des blocs de 6-12-24-16 couches, taux de croissance 32, goulots 1×1 de 128 cartes, tel que torchvision le construit.",
  "arch.densenet121.source": "Tableau 3\u00a0: 25,02\u202f% d'erreur top-1, un recadrage, validation ILSVRC-2012",
  "arch.efficientnet_b0.intro":
    "Un réseau de base trouvé par recherche d'architecture, fait pour être agrandi à la fois en profondeur, en largeur et en résolution (mise à l'échelle composée). Des blocs MBConv\u00a0: expansion 1×1, convolution en profondeur (un filtre par canal), compression-excitation, projection 1×1, et l'activation SiLU (swish).",
  "arch.efficientnet_b0.variant":
    "Tel que torchvision le construit\u00a0: compression-excitation jusqu'au quart des canaux d'entrée du bloc, une addition résiduelle là où la forme le permet.",
  "arch.efficientnet_b0.source":
    "Tableau 2 d'arXiv:1905.11946v5 (2020)\u00a0: 77,1\u202f% en top-1, validation ILSVRC-2012 (76,3\u202f% dans la version d'ICML 2019)",

  // ---- types de couches
  "arch.type.conv2d": "convolution",
  "arch.type.dwconv2d": "conv. en profondeur",
  "arch.type.maxpool": "max pooling",
  "arch.type.avgpool": "pooling moyen",
  "arch.type.subsample": "sous-échantillonnage",
  "arch.type.adaptive_avgpool": "pooling moyen adaptatif",
  "arch.type.global_avgpool": "pooling moyen global",
  "arch.type.batchnorm": "normalisation par lot",
  "arch.type.lrn": "LRN",
  "arch.type.relu": "ReLU",
  "arch.type.leaky_relu": "ReLU avec fuite",
  "arch.type.tanh": "tanh",
  "arch.type.sigmoid": "sigmoïde",
  "arch.type.silu": "SiLU",
  "arch.type.softmax": "softmax",
  "arch.type.dropout": "dropout",
  "arch.type.flatten": "aplatissement",
  "arch.type.dense": "dense",
  "arch.type.rbf": "sortie RBF",
  "arch.type.residual": "addition résiduelle",
  "arch.type.concat": "concaténation",
  "arch.type.se": "compression-excitation",

  // ---- 3. votre empilement
  "arch.stack.title": "Votre empilement",
  "arch.stack.input": "Entrée (canaux × hauteur × largeur)",
  "arch.stack.channels": "Canaux",
  "arch.stack.height": "Hauteur",
  "arch.stack.width": "Largeur",
  "arch.stack.layers": "Couches, une par ligne",
  "arch.stack.help": "Tapez un type de couche, puis ses nombres\u00a0:",
  "arch.stack.help_conv": "64 filtres 3×3, pas de 2, remplissage de 1 (g4\u00a0: 4 groupes\u00a0; same\u00a0; nobias)",
  "arch.stack.help_dw": "convolution en profondeur 3×3\u00a0: un filtre par canal",
  "arch.stack.help_pool": "fenêtre 3 (aussi avgpool\u00a0; ceil arrondit à l'entier supérieur)",
  "arch.stack.help_se": "compression-excitation par 16 unités",
  "arch.stack.run": "Mesurer",
  "arch.stack.example": "Les premières couches de ResNet",
  "arch.stack.caption": "Votre empilement, couche par couche",
  "arch.stack.line": "ligne {line}",

  // ---- unités
  "arch.unit.bytes": "{n}\u00a0o",
  "arch.unit.kb": "{n}\u00a0ko",
  "arch.unit.mb": "{n}\u00a0Mo",
  "arch.unit.gb": "{n}\u00a0Go",
  "arch.unit.k": "{n}\u00a0k",
  "arch.unit.m": "{n}\u00a0M",
  "arch.unit.g": "{n}\u00a0G",
};
