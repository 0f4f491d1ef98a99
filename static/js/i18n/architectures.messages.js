/**
 * Registers the famous architectures page's strings (architectures.en.js, architectures.fr.js) with lib/i18n.js.
 * Import it first in the page's view module so that every later module finds its strings.
 */
import { addMessages } from "../lib/i18n.js";
import en from "./architectures.en.js";
import fr from "./architectures.fr.js";

addMessages("en", en);
addMessages("fr", fr);
