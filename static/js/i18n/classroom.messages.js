/**
 * Registers the classroom pages' strings (classroom.en.js, classroom.fr.js) with lib/i18n.js. Import it first in a
 * classroom view module (`import "../i18n/classroom.messages.js";`) so that every later module finds its strings.
 */
import { addMessageLoaders } from "../lib/i18n.js";

// only the current language's dictionary is fetched (the other on the first switch to it): see lib/i18n.js
await addMessageLoaders({ en: () => import("./classroom.en.js"), fr: () => import("./classroom.fr.js") });
