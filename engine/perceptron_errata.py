"""The slips of the course's perceptron chapter (seed 001), each shown on numbers the engine computes.

Same style as the worked example's errata (``engine/worked_example.py``): what the document writes, the correct
value beside it, and why they differ, in English and French. Every entry::

    {id, page ("neuron" | "mlp"), section (the document's heading), kind ("formula" | "notation" | "code" |
     "note"), name, document {en, fr}, computed {en, fr}, explanation {en, fr}, values {...raw numbers...}}

``document``/``computed`` are display strings (decimal comma in French); ``values`` holds the numbers behind them
for programs and tests. Nothing here is typed in: every number comes from the engine's layers or from the
document's own code run on the example.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from . import mlp
from .activations import ReLU

Text = dict[str, str]


def _num(x: float, lang: str, digits: int = 4) -> str:
    """4 significant digits; French: decimal comma and the true minus sign."""
    s = f"{float(x):.{digits}g}"
    if s in ("-0", "-0.0"):
        s = "0"
    return s.replace("-", "−").replace(".", ",") if lang == "fr" else s.replace("-", "−")


def _vec(v, lang: str) -> str:
    sep = " ; " if lang == "fr" else ", "
    return "[" + sep.join(_num(x, lang) for x in np.asarray(v, dtype=np.float64).reshape(-1)) + "]"


def _both(template: str, fr_template: str | None = None, **values) -> Text:
    """A template with {name} numbers in both languages (the French template defaults to the English one);
    numbers and vectors are formatted per language."""

    def render(text: str, lang: str) -> str:
        return text.format(**{k: _vec(v, lang) if np.ndim(v) else _num(v, lang) for k, v in values.items()})

    return {"en": render(template, "en"), "fr": render(fr_template or template, "fr")}


def _t(en: str, fr: str) -> Text:
    return {"en": en, "fr": fr}


def _dL_dA() -> dict[str, Any]:
    a, y = 0.8, 0.0
    wrong = -y / a + (1 - y) / a
    right = -y / a + (1 - y) / (1 - a)

    def loss(p: float) -> float:
        return -(y * np.log(p) + (1 - y) * np.log(1 - p))

    h = 1e-6
    numeric = (loss(a + h) - loss(a - h)) / (2 * h)
    return {
        "page": "mlp",
        "section": "Back Propagation",
        "kind": "formula",
        "name": "∂L/∂A",
        "document": _both("∂L/∂A = Σ −y/A + (1 − y)/A = {v}  (y = {y}, A = {a})", v=wrong, y=y, a=a),
        "computed": _both("∂L/∂A = −y/A + (1 − y)/(1 − A) = {v}", v=right),
        "explanation": _t(
            f"The second term comes from ln(1 − A), whose derivative is −1/(1 − A): it is (1 − y)/(1 − A), not "
            f"(1 − y)/A. With y = 0 and A = 0.8 the document's form gives {_num(wrong, 'en')}, the loss's slope is "
            f"{_num(right, 'en')} (a central difference gives {_num(numeric, 'en')}). Multiplied by ∂A/∂Z = A(1 − A), "
            "the right form gives A − y, the dZ the annex's code starts from (and its bce_derivee writes (1 − y)/(1 − "
            "sortie) correctly). The Σ does not belong there either: the derivative is taken for each sample.",
            f"Le second terme vient de ln(1 − A), dont la dérivée est −1/(1 − A) : c'est (1 − y)/(1 − A), et non "
            f"(1 − y)/A. Avec y = 0 et A = 0,8, la forme du document donne {_num(wrong, 'fr')}, la pente de la perte "
            f"vaut {_num(right, 'fr')} (une différence centrée donne {_num(numeric, 'fr')}). Multipliée par ∂A/∂Z = "
            "A(1 − A), la bonne forme donne A − y, le dZ d'où part le code de l'annexe (et sa bce_derivee écrit bien "
            "(1 − y)/(1 − sortie)). Le Σ n'a pas sa place non plus : la dérivée se prend pour chaque échantillon.",
        ),
        "values": {"y": y, "A": a, "document": wrong, "correct": right, "central_difference": numeric},
    }


def _relu_backward() -> dict[str, Any]:
    x = np.array([-2.0, 3.0, 1.0, -0.5])
    g = np.array([0.5, -1.0, 2.0, -0.3])
    course = g.copy()
    course[course <= 0] = 0  # the annex's Relu.retropropagation, verbatim
    relu = ReLU()
    relu.training = True
    relu.forward(x[None])
    right = relu.backward(g[None])[0]
    return {
        "page": "mlp",
        "section": "Annexe 4 · Relu",
        "kind": "code",
        "name": "Relu.retropropagation",
        "document": _both("inter[inter <= 0] = 0  →  ∂L/∂x = {v}", v=course),
        "computed": _both("∂L/∂x = ∂L/∂y · 1[x > 0] = {v}", v=right),
        "explanation": _both(
            "It zeroes the gradient where the gradient is negative; ReLU's derivative depends on the layer's input: "
            "1 where x > 0, 0 elsewhere. With x = {x} and ∂L/∂y = {g}, the gradient must stop at the two inactive "
            "units and pass, negative or not, through the active ones.",
            "Elle annule le gradient là où le gradient est négatif ; la dérivée de ReLU dépend de l'entrée de la "
            "couche : 1 où x > 0, 0 ailleurs. Avec x = {x} et ∂L/∂y = {g}, le gradient doit s'arrêter aux deux "
            "unités inactives et passer, négatif ou non, par les actives.",
            x=x,
            g=g,
        ),
        "values": {"x": x.tolist(), "grad_output": g.tolist(), "document": course.tolist(), "correct": right.tolist()},
    }


def _dense_backward() -> dict[str, Any]:
    W = np.array([[0.5, -0.3], [-0.2, 0.7]])
    x = np.array([[1.0], [2.0]])
    g = np.array([[0.4], [-0.6]])
    eta = 0.5
    right = W.T @ g
    updated = W - eta * (g @ x.T)  # the annex updates self.poids first ...
    course = updated.T @ g  # ... then returns np.dot(self.poids.T, grad_sortie)
    return {
        "page": "mlp",
        "section": "Annexe 4 · Dense",
        "kind": "code",
        "name": "Dense.retropropagation",
        "document": _both(
            "np.dot(self.poids.T, grad_sortie) after the update = {v}",
            "np.dot(self.poids.T, grad_sortie) après la mise à jour = {v}",
            v=course,
        ),
        "computed": _both(
            "∂L/∂x = Wᵀ·∂L/∂z (the forward pass's W) = {v}",
            "∂L/∂x = Wᵀ·∂L/∂z (le W de la propagation directe) = {v}",
            v=right,
        ),
        "explanation": _t(
            "It updates self.poids before computing the gradient it sends to the previous layer, so that gradient "
            "uses the new weights: it is off by −η·x·‖∂L/∂z‖² (here η = 0.5, x = [1, 2], ∂L/∂z = [0.4, −0.6]). The "
            "input gradient must use the weights that produced the output; compute it first, then update.",
            "Elle met à jour self.poids avant de calculer le gradient qu'elle renvoie à la couche précédente : ce "
            "gradient utilise donc les nouveaux poids et s'écarte de −η·x·‖∂L/∂z‖² (ici η = 0,5, x = [1 ; 2], "
            "∂L/∂z = [0,4 ; −0,6]). Le gradient de l'entrée doit utiliser les poids qui ont produit la sortie : le "
            "calculer d'abord, mettre à jour ensuite.",
        ),
        "values": {
            "W": W.tolist(),
            "x": x.ravel().tolist(),
            "grad_output": g.ravel().tolist(),
            "learning_rate": eta,
            "document": course.ravel().tolist(),
            "correct": right.ravel().tolist(),
        },
    }


def _bias_sum() -> dict[str, Any]:
    X, y = mlp.xor()
    params = mlp.initialisation([2, 2, 1], seed=0)
    A, _ = mlp.forward_propagation(X, params)
    grads = mlp.back_propagation(y, params, A)
    m = y.shape[1]
    as_written = grads["dZ2"] / m
    right = grads["db2"]
    return {
        "page": "mlp",
        "section": "Back Propagation · Cas général",
        "kind": "formula",
        "name": "∂L/∂B^[C]",
        "document": _both("∂L/∂B^[2] = (1/m)·base^[2] = {v}  (XOR, m = 4)", v=as_written),
        "computed": _both("∂L/∂B^[2] = (1/m)·Σ base^[2] = {v}", v=right),
        "explanation": _t(
            "base^[C] has one column per sample (n_C × m) while B^[C] has one: the sum over the samples is missing "
            "(for ∂L/∂W^[C] it is inside the matrix product, as the document notes; for B it must be written). The "
            "annex's code does sum: np.sum(dZ, axis=1, keepdims=True).",
            "base^[C] a une colonne par échantillon (n_C × m) alors que B^[C] n'en a qu'une : il manque la somme sur "
            "les échantillons (pour ∂L/∂W^[C] elle est dans le produit matriciel, comme le note le document ; pour B "
            "il faut l'écrire). Le code de l'annexe fait bien la somme : np.sum(dZ, axis=1, keepdims=True).",
        ),
        "values": {"document": as_written.ravel().tolist(), "correct": right.ravel().tolist(), "m": m},
    }


def _dZ_dW() -> dict[str, Any]:
    return {
        "page": "mlp",
        "section": "Back Propagation",
        "kind": "notation",
        "name": "∂Z/∂W",
        "document": _t("∂Z/∂W = A", "∂Z/∂W = A"),
        "computed": _t(
            "∂Z^[l]/∂W^[l] = A^[l−1]  (∂L/∂W^[l] = dZ^[l]·A^[l−1]ᵀ)",
            "∂Z^[l]/∂W^[l] = A^[l−1]  (∂L/∂W^[l] = dZ^[l]·A^[l−1]ᵀ)",
        ),
        "explanation": _t(
            "Z^[l] = W^[l]·A^[l−1] + B^[l] is multiplied by the previous layer's activations: without its index the "
            "line reads as the layer's own A. The general case the document gives next (base^[C]·A^[C−1]ᵀ) is right.",
            "Z^[l] = W^[l]·A^[l−1] + B^[l] est multiplié par les activations de la couche précédente : sans indice, la "
            "ligne se lit comme le A de la couche elle-même. Le cas général donné ensuite (base^[C]·A^[C−1]ᵀ) est "
            "juste.",
        ),
        "values": {},
    }


def _log_loss_brackets() -> dict[str, Any]:
    return {
        "page": "neuron",
        "section": "Minimisation de l'erreur",
        "kind": "notation",
        "name": "Log Loss",
        "document": _t(
            "−(1/m) * Σ y_i * log(a_i) + (1 − y_i) * log(1 − a_i)",
            "−(1/m) * Σ y_i * log(a_i) + (1 − y_i) * log(1 − a_i)",
        ),
        "computed": _t(
            "L = −(1/m)·Σ [y_i·ln a_i + (1 − y_i)·ln(1 − a_i)]", "L = −(1/m)·Σ [y_i·ln a_i + (1 − y_i)·ln(1 − a_i)]"
        ),
        "explanation": _t(
            "Without brackets, the sum (and the factor −1/m) only covers the first term, and the second is left with "
            "an index i that belongs to no sum. Both terms are inside the sum, as the code's np.sum(y*np.log(A) + "
            "(1-y)*np.log(1-A)) shows; log is the natural logarithm ln.",
            "Sans crochets, la somme (et le facteur −1/m) ne porte que sur le premier terme, et le second garde un "
            "indice i qui n'appartient à aucune somme. Les deux termes sont dans la somme, comme le montre le code "
            "np.sum(y*np.log(A) + (1-y)*np.log(1-A)) ; log est le logarithme népérien ln.",
        ),
        "values": {},
    }


def _gradient_indices() -> dict[str, Any]:
    return {
        "page": "neuron",
        "section": "Calcule des gradients",
        "kind": "notation",
        "name": "∂L/∂w_j",
        "document": _t(
            "∂L/∂w_i = −(1/m) Σ_{i=1}^m (y_i − a_i) × x_j^(i);  Σ_{m=1}^{m};  [y_1 … y_n], [a_1 … a_n]",
            "∂L/∂w_i = −(1/m) Σ_{i=1}^m (y_i − a_i) × x_j^(i) ; Σ_{m=1}^{m} ; [y_1 … y_n], [a_1 … a_n]",
        ),
        "computed": _t(
            "∂L/∂w_j = −(1/m) Σ_{i=1}^m (y_i − a_i)·x_j^(i);  y, A = [y_1 … y_m], [a_1 … a_m]",
            "∂L/∂w_j = −(1/m) Σ_{i=1}^m (y_i − a_i)·x_j^(i) ; y, A = [y_1 … y_m], [a_1 … a_m]",
        ),
        "explanation": _t(
            "i numbers the samples (it is the summation index), j the features: the derivative is with respect to "
            "w_j. In the vectorised form the last row's sum runs over i (not m = 1 … m), and y and A have one entry "
            "per sample, m of them, not n (n counts the features). The result −(1/m)·Xᵀ(y − A) is right.",
            "i numérote les échantillons (c'est l'indice de sommation), j les variables : la dérivée est par rapport "
            "à w_j. Dans la forme vectorisée, la somme de la dernière ligne porte sur i (et non m = 1 … m), et y et A "
            "ont une composante par échantillon, m en tout, et non n (n compte les variables). Le résultat "
            "−(1/m)·Xᵀ(y − A) est juste.",
        ),
        "values": {},
    }


def _heaviside_at_zero() -> dict[str, Any]:
    return {
        "page": "neuron",
        "section": "Fonction d'activation · En résumé",
        "kind": "note",
        "name": "H(0)",
        "document": _t(
            "H(0) = 1/2  (Heaviside);  y = 1 si z ≥ 0  (En résumé)",
            "H(0) = 1/2 (Heaviside) ; y = 1 si z ≥ 0 (En résumé)",
        ),
        "computed": _t("ConvStep: H(z) = 1 if z ≥ 0, else 0", "ConvStep : H(z) = 1 si z ≥ 0, sinon 0"),
        "explanation": _t(
            "The chapter gives two values at z = 0: 1/2 on the activation slide, 1 in the summary of the formal "
            "neuron. Both conventions exist; they only differ on the boundary itself. ConvStep uses the summary's.",
            "Le chapitre donne deux valeurs en z = 0 : 1/2 sur la diapositive des fonctions d'activation, 1 dans le "
            "résumé du neurone formel. Les deux conventions existent ; elles ne diffèrent que sur la frontière "
            "elle-même. ConvStep prend celle du résumé.",
        ),
        "values": {},
    }


def _dropout_at_test() -> dict[str, Any]:
    rng = np.random.default_rng(0)
    x = np.ones(6)
    q = 0.5
    first = x * rng.binomial(1, 1 - q, size=x.shape)  # the annex's propagation_directe, twice on the same input
    second = x * rng.binomial(1, 1 - q, size=x.shape)
    return {
        "page": "mlp",
        "section": "Annexe 4 · Dropout",
        "kind": "code",
        "name": "Dropout.propagation_directe",
        "document": _both(
            "two calls on x = [1, …, 1]: {a} then {b}",
            "deux appels sur x = [1 ; … ; 1] : {a} puis {b}",
            a=first,
            b=second,
        ),
        "computed": _both("at test time: y = x = {v}", "en test : y = x = {v}", v=x),
        "explanation": _t(
            "It draws a new mask on every call, and Reseau.prediction and test call every layer's "
            "propagation_directe: a network holding this layer gives random predictions when it is evaluated. "
            "Dropout belongs to training only, with the kept units divided by their keep probability (inverted "
            "dropout) so that nothing changes at test time; the engine's Dropout does that.",
            "Elle tire un nouveau masque à chaque appel, et Reseau.prediction et test appellent la "
            "propagation_directe de chaque couche : un réseau qui contient cette couche donne des prédictions "
            "aléatoires quand on l'évalue. Le dropout ne sert qu'à l'entraînement, les unités gardées étant divisées "
            "par leur probabilité d'être gardées (dropout inversé) pour que rien ne change en test ; c'est ce que "
            "fait le Dropout du moteur.",
        ),
        "values": {"first": first.tolist(), "second": second.tolist(), "q": q},
    }


def chapter_errata() -> list[dict[str, Any]]:
    """Every slip of the perceptron chapter, numbered from 1 (neuron page first, then MLP)."""
    errata = [
        _log_loss_brackets(),
        _gradient_indices(),
        _heaviside_at_zero(),
        _dL_dA(),
        _dZ_dW(),
        _bias_sum(),
        _relu_backward(),
        _dense_backward(),
        _dropout_at_test(),
    ]
    for number, erratum in enumerate(errata, start=1):
        erratum["id"] = number
        for field in ("document", "computed", "explanation"):
            erratum[field]["fr"] = _french_spaces(erratum[field]["fr"])
    return errata


def _french_spaces(text: str) -> str:
    """French typography: a no-break space before : ; ? ! and %."""
    return re.sub(r" ([:;?!%])", "\u00a0\\1", text)
