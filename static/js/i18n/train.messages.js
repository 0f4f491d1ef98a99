/**
 * Registers the live training page's strings (train.en.js, train.fr.js) with lib/i18n.js. Import it first in the
 * page's view module (`import "../i18n/train.messages.js";`) so that every later module finds its strings.
 */
import { addMessages } from "../lib/i18n.js";
import en from "./train.en.js";
import fr from "./train.fr.js";

addMessages("en", en);
addMessages("fr", fr);
