/**
 * The perceptron chapter's slips (GET /api/neuron/errata), in the worked example's errata style: the document's
 * text struck through, the correct form beside it, and why — in the reader's language. `page` keeps the entries of
 * one page ("neuron" or "mlp").
 */
import "../i18n/course.messages.js";
import { h } from "./dom.js";
import { get } from "./api.js";
import { getLang, onLangChange, t } from "./i18n.js";

export class ErrataList {
  constructor(root, page) {
    this.root = root;
    this.page = page;
    this.errata = null;
    root.replaceChildren(h("p", { class: "hint", text: t("course.errata.loading") }));
    get("/api/neuron/errata").then(
      (json) => {
        this.errata = json.errata.filter((e) => e.page === page);
        this.render();
      },
      (err) => root.replaceChildren(h("p", { class: "error-box", text: err.message })),
    );
    onLangChange(() => this.render());
  }

  render() {
    if (!this.errata) return;
    const lang = getLang();
    const pick = (text) => (text ? text[lang] || text.en : "");
    this.root.replaceChildren(
      h(
        "ol",
        { class: "course-errata" },
        this.errata.map((e) =>
          h(
            "li",
            { class: "course-slip", dataset: { name: e.name, kind: e.kind } },
            h("span", {
              class: ["badge", e.kind === "note" ? "badge--accent" : "badge--bad"],
              text: t(`course.errata.kind.${e.kind}`),
            }),
            " ",
            h("strong", { text: `${e.section} · ${e.name}` }),
            h(
              "dl",
              { class: "course-slip__values" },
              h("dt", { text: t("course.errata.document") }),
              h("dd", {}, h("s", { class: "course-slip__doc", text: pick(e.document) })),
              h("dt", { text: t("course.errata.correct") }),
              h("dd", {}, h("code", { class: "course-slip__ok", text: pick(e.computed) })),
            ),
            h("p", { text: pick(e.explanation) }),
          ),
        ),
      ),
    );
  }
}
