// Textes français communs aux pages du chapitre sur le perceptron (/neuron, /mlp) : la liste des coquilles.
// Mêmes clés que course.en.js (un test navigateur le vérifie) ; enregistrés par course.messages.js.
export default {
  "course.errata.kind.formula": "formule",
  "course.errata.kind.notation": "notation",
  "course.errata.kind.code": "code",
  "course.errata.kind.note": "remarque",
  "course.errata.document": "Le document",
  "course.errata.correct": "Correct",
  "course.errata.loading": "Chargement des coquilles du chapitre…",
  "course.check.server": "serveur",
};
