/**
 * Registers the one-neuron page's strings (neuron.en.js, neuron.fr.js) with lib/i18n.js. Import it first in the
 * page's view module so that every later module finds its strings.
 */
import { addMessages } from "../lib/i18n.js";
import en from "./neuron.en.js";
import fr from "./neuron.fr.js";

addMessages("en", en);
addMessages("fr", fr);
