// The documents view: every document with its case, attributes, length
// and, per coder, how far the coding has come.
import { api, el, t } from "./lib.js";

export const strings = {
  sv: { title: "Dokument", name: "Namn", case: "Fall", chars: "Tecken", turns: "Turer", none: "Projektet har inga dokument än." },
  en: { title: "Documents", name: "Name", case: "Case", chars: "Characters", turns: "Turns", none: "The project has no documents yet." },
};

export async function show(root) {
  const { documents } = await api("/api/documents");
  root.append(el("h1", { text: t(strings, "title") }));
  if (!documents.length) {
    root.append(el("p", { text: t(strings, "none") }));
    return;
  }
  const head = el("tr", {}, ...["name", "case", "chars", "turns"].map((k) => el("th", { text: t(strings, k) })));
  const rows = documents.map((d) =>
    el(
      "tr",
      {},
      el("td", {}, el("a", { text: d.name, attrs: { href: "#/doc/" + encodeURIComponent(d.name) } })),
      el("td", { text: d.case ?? "" }),
      el("td", { text: d.chars ?? "", cls: "num" }),
      el("td", { text: d.turns ?? "", cls: "num" }),
    ),
  );
  root.append(el("table", { cls: "list" }, el("thead", {}, head), el("tbody", {}, ...rows)));
}
