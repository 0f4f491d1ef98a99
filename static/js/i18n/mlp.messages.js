/**
 * Registers the multilayer perceptron page's strings (mlp.en.js, mlp.fr.js) with lib/i18n.js. Import it first in the
 * page's view module so that every later module finds its strings.
 */
import { addMessages } from "../lib/i18n.js";
import en from "./mlp.en.js";
import fr from "./mlp.fr.js";

addMessages("en", en);
addMessages("fr", fr);
