/**
 * Registers the live training page's strings (train.en.js, train.fr.js) with lib/i18n.js. Import it first in the
 * page's view module (`import "../i18n/train.messages.js";`) so that every later module finds its strings.
 */
import { addMessageLoaders } from "../lib/i18n.js";

// only the current language's dictionary is fetched (the other on the first switch to it): see lib/i18n.js
await addMessageLoaders({ en: () => import("./train.en.js"), fr: () => import("./train.fr.js") });
