// English strings shared by the course's perceptron-chapter pages (/neuron, /mlp): the errata list.
// Same keys as course.fr.js (a browser test checks it); registered by course.messages.js.
export default {
  "course.errata.kind.formula": "formula",
  "course.errata.kind.notation": "notation",
  "course.errata.kind.code": "code",
  "course.errata.kind.note": "note",
  "course.errata.document": "The document",
  "course.errata.correct": "Correct",
  "course.errata.loading": "Loading the chapter's slips…",
  "course.check.server": "server",
};
