/**
 * How the pages name a model for people (shared by the drawing lab and the step-by-step view).
 *
 *   modelName(id)   "lenet (LeNet-style)" — the id alone for models without a name in the dictionaries
 *   modelNote(id)   what the model is when its name could mislead (LeNet-style is not LeNet-5), else null
 */
import { t } from "./i18n.js";

export function modelName(id) {
  const key = `model.name.${id}`;
  const name = t(key);
  return name === key ? id : name;
}

export function modelNote(id) {
  const key = `model.note.${id}`;
  const note = t(key);
  return note === key ? null : note;
}
