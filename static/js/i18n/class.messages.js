/**
 * Registers the class pages' strings (class.en.js, class.fr.js) with lib/i18n.js. Import it first in each class view
 * module (`import "../i18n/class.messages.js";`) so that every later module finds its strings.
 */
import { addMessages } from "../lib/i18n.js";
import en from "./class.en.js";
import fr from "./class.fr.js";

addMessages("en", en);
addMessages("fr", fr);
