// The documents view: every document with its case, its case's attributes
// (GET /api/cases), length
// and, per coder, how far the coding has come (their own codings, the
// automatic quotes they accepted or rejected, and those left to review).
import { api, el, t } from "./lib.js";

export const strings = {
  sv: {
    title: "Dokument",
    summary: "{docs} dokument · {chars} tecken · {turns} turer",
    name: "Dokument",
    case: "Fall",
    attrs: "Attribut",
    length: "Längd",
    progress: "Kodning per kodare",
    key: "egna · godtagna ✓ · avvisade ✗ · kvar att granska",
    chars: "{n} tecken",
    turns: "{n} turer",
    tags: "{n} egna",
    accepted: "{n} ✓",
    rejected: "{n} ✗",
    unreviewed: "{n} kvar",
    tagsLong: "{n} egna kodningar",
    acceptedLong: "{n} godtagna citat",
    rejectedLong: "{n} avvisade citat",
    unreviewedLong: "{n} citat kvar att granska",
    reviewed: "{pct} % granskat",
    nocoder: "ingen kodare än",
    none: "Projektet har inga dokument än. Importera med kodbok import.",
    changed: "ändrad sedan körningen",
    open: "Öppna {name}",
    cases: "{n} fall (talare)",
  },
  en: {
    title: "Documents",
    summary: "{docs} documents · {chars} characters · {turns} turns",
    name: "Document",
    case: "Case",
    attrs: "Attributes",
    length: "Length",
    progress: "Coding per coder",
    key: "own · accepted ✓ · rejected ✗ · left to review",
    chars: "{n} characters",
    turns: "{n} turns",
    tags: "{n} own",
    accepted: "{n} ✓",
    rejected: "{n} ✗",
    unreviewed: "{n} left",
    tagsLong: "{n} own codings",
    acceptedLong: "{n} quotes accepted",
    rejectedLong: "{n} quotes rejected",
    unreviewedLong: "{n} quotes left to review",
    reviewed: "{pct} % reviewed",
    nocoder: "no coder yet",
    none: "The project has no documents yet. Import them with kodbok import.",
    changed: "changed since the run",
    open: "Open {name}",
    cases: "{n} cases (speakers)",
  },
};

const fmt = (n) => Number(n || 0).toLocaleString(document.documentElement.lang === "en" ? "en-GB" : "sv-SE");

// One coder's progress: name, a bar (accepted, rejected, unreviewed) and figures.
function progressRow(coder, p) {
  const decided = p.accepted + p.rejected;
  const all = decided + p.unreviewed;
  const bar = el("div", { cls: "pbar", attrs: { role: "img", "aria-label": t(strings, "reviewed", { pct: all ? Math.round((100 * decided) / all) : 100 }) } });
  for (const k of ["accepted", "rejected", "unreviewed"]) {
    if (!p[k]) continue;
    const part = el("span", { cls: "pbar-" + k });
    part.style.width = (100 * p[k]) / all + "%";
    bar.append(part);
  }
  const figs = el(
    "span",
    { cls: "pfigs" },
    ...["tags", "accepted", "rejected", "unreviewed"].map((k) => el("span", { text: t(strings, k, { n: fmt(p[k]) }), cls: "f-" + k, attrs: { title: t(strings, k + "Long", { n: fmt(p[k]) }) } })),
  );
  return el("div", { cls: "prow", attrs: { "data-coder": coder } }, el("span", { text: coder, cls: "pcoder" }), bar, figs);
}

export async function show(root) {
  const [{ documents }, { cases }] = await Promise.all([api("/api/documents"), api("/api/cases")]);
  const byCase = new Map(cases.map((c) => [c.case, c]));
  // A document's attributes: its case's; a focus group's cases counted.
  const attrsOf = (d) => {
    if (d.case && byCase.has(d.case)) return Object.entries(byCase.get(d.case).attributes).map(([a, v]) => a + ": " + v);
    const n = cases.filter((c) => c.document === d.name).length;
    return n ? [t(strings, "cases", { n })] : [];
  };
  const sum = (k) => documents.reduce((a, d) => a + (d[k] || 0), 0);
  root.append(
    el(
      "div",
      { cls: "viewhead" },
      el("h1", { text: t(strings, "title") }),
      el("span", { cls: "muted", text: t(strings, "summary", { docs: fmt(documents.length), chars: fmt(sum("chars")), turns: fmt(sum("turns")) }) }),
    ),
  );
  if (!documents.length) {
    root.append(el("p", { text: t(strings, "none"), cls: "empty" }));
    return;
  }
  const head = el(
    "tr",
    {},
    ...["name", "case", "attrs", "length"].map((k) => el("th", { text: t(strings, k), cls: k === "length" ? "num" : null })),
    el("th", {}, el("span", { text: t(strings, "progress") }), el("span", { text: t(strings, "key"), cls: "thkey" })),
  );
  const rows = documents.map((d) => {
    const attrs = attrsOf(d);
    const coders = Object.entries(d.progress || {});
    return el(
      "tr",
      { attrs: { "data-doc": d.name } },
      el(
        "td",
        {},
        el("a", { text: d.name, cls: "docname", attrs: { href: "#/doc/" + encodeURIComponent(d.name), "aria-label": t(strings, "open", { name: d.name }) } }),
        d.changed ? el("span", { text: t(strings, "changed"), cls: "badge warn" }) : null,
      ),
      el("td", { text: d.case ?? "–", cls: d.case ? null : "muted" }),
      el("td", { cls: "attrs" }, ...attrs.map((a) => el("span", { cls: "chip", text: a, attrs: { title: a } }))),
      el("td", { cls: "num" }, el("div", { text: t(strings, "chars", { n: fmt(d.chars) }) }), el("div", { text: t(strings, "turns", { n: fmt(d.turns) }), cls: "muted" })),
      el("td", { cls: "progress" }, ...(coders.length ? coders.map(([c, p]) => progressRow(c, p)) : [el("span", { text: t(strings, "nocoder"), cls: "muted" })])),
    );
  });
  root.append(el("table", { cls: "list docs" }, el("thead", {}, head), el("tbody", {}, ...rows)));
}
