/** Registers the strings shared by the course pages (course.en.js, course.fr.js) with lib/i18n.js. */
import { addMessages } from "../lib/i18n.js";
import en from "./course.en.js";
import fr from "./course.fr.js";

addMessages("en", en);
addMessages("fr", fr);
