/**
 * Registers the classroom pages' strings (classroom.en.js, classroom.fr.js) with lib/i18n.js. Import it first in a
 * classroom view module (`import "../i18n/classroom.messages.js";`) so that every later module finds its strings.
 */
import { addMessages } from "../lib/i18n.js";
import en from "./classroom.en.js";
import fr from "./classroom.fr.js";

addMessages("en", en);
addMessages("fr", fr);
