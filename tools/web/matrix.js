// The matrix view (#/matrix?rows=&cols=&count=&unit=): the last run's
// quotes counted by two axes as `kodbok matrix` counts them (theme × level
// unless asked otherwise), shaded by count, with totals; a cell opens its
// quotes in a side panel, each quote a link to its place in the reader.
import { api, el, t } from "./lib.js";
import { fail, num, readerHref, select } from "./parts.js";

export const strings = {
  sv: {
    title: "Matris",
    rows: "Rader",
    cols: "Kolumner",
    count: "Räkna",
    unit: "Enhet",
    attr: "Attribut",
    attrName: "attributets namn",
    total: "Totalt",
    noRun: "Projektet är inte kodat än: kör `kodbok code KODBOK.yaml` först.",
    cooc: "Samförekomst: en cell räknar de enheter som har båda koderna.",
    cellOf: "{row} × {col}",
    quotesN: "{n} citat",
    close: "Stäng",
    noQuotes: "Cellen har inga citat.",
    pick: "Klicka på en cell för att se dess citat.",
    openQuote: "Öppna i läsaren",
    ax_dimension: "Dimension",
    ax_theme: "Tema",
    ax_concept: "Begrepp",
    ax_level: "Nivå",
    ax_speaker: "Talare",
    ax_document: "Dokument",
    ax_case: "Fall",
    ax_attr: "Fallattribut…",
    c_quotes: "citat",
    c_documents: "dokument",
    c_cases: "fall",
    c_words: "ord",
    c_presence: "förekomst",
    u_segment: "mening",
    u_turn: "tur",
    u_document: "dokument",
    u_case: "fall",
    swap: "Byt axlar",
  },
  en: {
    title: "Matrix",
    rows: "Rows",
    cols: "Columns",
    count: "Count",
    unit: "Unit",
    attr: "Attribute",
    attrName: "the attribute's name",
    total: "Total",
    noRun: "The project is not coded yet: run `kodbok code CODEBOOK.yaml` first.",
    cooc: "Co-occurrence: a cell counts the units holding both codes.",
    cellOf: "{row} × {col}",
    quotesN: "{n} quotes",
    close: "Close",
    noQuotes: "The cell has no quotes.",
    pick: "Click a cell to see its quotes.",
    openQuote: "Open in the reader",
    ax_dimension: "Dimension",
    ax_theme: "Theme",
    ax_concept: "Concept",
    ax_level: "Level",
    ax_speaker: "Speaker",
    ax_document: "Document",
    ax_case: "Case",
    ax_attr: "Case attribute…",
    c_quotes: "quotes",
    c_documents: "documents",
    c_cases: "cases",
    c_words: "words",
    c_presence: "presence",
    u_segment: "sentence",
    u_turn: "turn",
    u_document: "document",
    u_case: "case",
    swap: "Swap axes",
  },
};

const AXES = ["dimension", "theme", "concept", "level", "speaker", "document", "case", "attr"];
const CODES = new Set(["dimension", "theme", "concept"]);
const COUNTS = ["quotes", "documents", "cases", "words", "presence"];
const UNITS = ["segment", "turn", "document", "case"];

function go(p) {
  const q = new URLSearchParams();
  for (const k of ["rows", "cols", "count", "unit"]) if (p[k]) q.set(k, p[k]);
  location.hash = "#/matrix?" + q;
}

// An axis picker: the axes `kodbok matrix` has; `attr:NAME` as a name box.
function axisPicker(key, label, value, onPick) {
  const isAttr = value.startsWith("attr:");
  const name = el("input", { cls: "attr-name", attrs: { "data-attr": key, type: "text", placeholder: t(strings, "attrName"), "aria-label": label + ": " + t(strings, "attrName"), size: 10 } });
  name.value = isAttr ? value.slice(5) : "";
  name.hidden = !isAttr;
  const pick = select(
    AXES.map((a) => [a, t(strings, "ax_" + a)]),
    isAttr ? "attr" : value,
    (v) => {
      if (v === "attr") {
        name.hidden = false;
        name.focus();
      } else onPick(v);
    },
    { "aria-label": label, "data-axis": key },
  );
  name.addEventListener("change", () => name.value.trim() && onPick("attr:" + name.value.trim()));
  return el("label", { cls: "picker" }, el("span", { text: label }), pick, name);
}

export async function show(root, _arg, params) {
  const p = {
    rows: params.get("rows") || "theme",
    cols: params.get("cols") || "level",
    count: params.get("count") || "quotes",
    unit: params.get("unit") || "",
  };
  const cooc = CODES.has(p.rows) && CODES.has(p.cols);
  const bar = el(
    "div",
    { cls: "toolbar" },
    axisPicker("rows", t(strings, "rows"), p.rows, (v) => go({ ...p, rows: v })),
    el("button", { cls: "icon", text: "⇄", attrs: { type: "button", title: t(strings, "swap"), "aria-label": t(strings, "swap") }, on: { click: () => go({ ...p, rows: p.cols, cols: p.rows }) } }),
    axisPicker("cols", t(strings, "cols"), p.cols, (v) => go({ ...p, cols: v })),
    el("label", { cls: "picker" }, el("span", { text: t(strings, "count") }), select(COUNTS.map((c) => [c, t(strings, "c_" + c)]), p.count, (v) => go({ ...p, count: v }), { "aria-label": t(strings, "count") })),
    cooc
      ? el("label", { cls: "picker" }, el("span", { text: t(strings, "unit") }), select(UNITS.map((u) => [u, t(strings, "u_" + u)]), p.unit || "segment", (v) => go({ ...p, unit: v }), { "aria-label": t(strings, "unit") }))
      : null,
  );
  root.append(el("div", { cls: "view-head" }, el("h1", { text: t(strings, "title") })), bar);

  const q = new URLSearchParams({ rows: p.rows, cols: p.cols, count: p.count });
  if (p.unit) q.set("unit", p.unit);
  let m;
  try {
    m = await api("/api/matrix?" + q);
  } catch (e) {
    root.append(el("p", { cls: e.status === 409 ? "empty" : "error", text: e.status === 409 ? t(strings, "noRun") : e.message }));
    return;
  }

  const cells = new Map(m.cells.map((c) => [c.row + "\u0000" + c.col, c]));
  const rowLabel = new Map(m.row_totals.map((r) => [r.row, r.label ?? r.row]));
  const colLabel = new Map(m.col_totals.map((c) => [c.col, c.label ?? c.col]));
  const max = Math.max(1, ...m.cells.map((c) => c.count));

  const side = el("aside", { cls: "side-panel", attrs: { "aria-live": "polite", hidden: true } });
  const layout = el("div", { cls: "matrix-layout" });
  let active = null;
  async function open(td, row, col) {
    if (active) active.classList.remove("active");
    active = td;
    td.classList.add("active");
    const cq = new URLSearchParams(q);
    cq.set("row", row);
    cq.set("col", col);
    let r;
    try {
      r = await api("/api/matrix/quotes?" + cq);
    } catch (e) {
      fail(e);
      return;
    }
    if (active !== td) return;
    side.hidden = false;
    layout.classList.add("open");
    const list = r.quotes.map((x) =>
      el(
        "li",
        { cls: "quote" },
        el(
          "div",
          { cls: "quote-meta" },
          el("a", { cls: "doc-link", text: x.document, attrs: { href: readerHref(x.document, x.start, x.end), title: t(strings, "openQuote") } }),
          x.speaker ? el("span", { cls: "muted", text: x.speaker }) : null,
          el("span", { cls: "chip", text: x.label || x.concept || "" }),
          x.source === "manual" ? el("span", { cls: "chip manual", text: x.coder || "manual" }) : null,
        ),
        el("a", { cls: "quote-text", text: x.text, attrs: { href: readerHref(x.document, x.start, x.end) } }),
      ),
    );
    side.replaceChildren(
      el(
        "div",
        { cls: "panel-head" },
        el("div", {}, el("h2", { text: t(strings, "cellOf", { row: rowLabel.get(row) ?? row, col: colLabel.get(col) ?? col }) }), el("span", { cls: "muted", text: t(strings, "quotesN", { n: num(r.quotes.length) }) })),
        el("span", { cls: "spacer" }),
        el(
          "button",
          {
            cls: "icon",
            text: "×",
            attrs: { type: "button", title: t(strings, "close"), "aria-label": t(strings, "close") },
            on: {
              click: () => {
                td.classList.remove("active");
                active = null;
                side.hidden = true;
                layout.classList.remove("open");
                td.focus();
              },
            },
          },
        ),
      ),
      list.length ? el("ol", { cls: "quotes" }, ...list) : el("p", { cls: "empty", text: t(strings, "noQuotes") }),
    );
  }

  const head = el(
    "tr",
    {},
    el("th", { cls: "corner", text: t(strings, "ax_" + (p.rows.startsWith("attr:") ? "attr" : p.rows)).replace("…", "") + " \\ " + t(strings, "ax_" + (p.cols.startsWith("attr:") ? "attr" : p.cols)).replace("…", "") }),
    ...m.col_totals.map((c) => el("th", { cls: "num col-head", text: c.label ?? c.col, attrs: { title: c.col, "data-col": c.col } })),
    el("th", { cls: "num total", text: t(strings, "total") }),
  );
  const body = m.row_totals.map((r) =>
    el(
      "tr",
      {},
      el("th", { cls: "row-head", text: r.label ?? r.row, attrs: { title: r.row, "data-row": r.row } }),
      ...m.col_totals.map((c) => {
        const cell = cells.get(r.row + "\u0000" + c.col);
        const n = cell ? cell.count : 0;
        const td = el("td", {
          cls: "num cell" + (n ? "" : " zero"),
          text: num(n),
          attrs: {
            tabindex: n ? 0 : null,
            "data-row": r.row,
            "data-col": c.col,
            title: cell && cell.jaccard !== undefined ? "Jaccard " + num(cell.jaccard, 2) : null,
          },
        });
        const share = n / max;
        td.style.setProperty("--heat", share.toFixed(3));
        if (share > 0.62) td.classList.add("hot");
        if (n) {
          td.addEventListener("click", () => open(td, r.row, c.col));
          td.addEventListener("keydown", (e) => {
            if (e.key === "Enter" || e.key === " ") {
              e.preventDefault();
              open(td, r.row, c.col);
            }
          });
        }
        return td;
      }),
      el("td", { cls: "num total", text: num(r.count), attrs: { "data-total-row": r.row } }),
    ),
  );
  const foot = el(
    "tr",
    { cls: "totals" },
    el("th", { text: t(strings, "total") }),
    ...m.col_totals.map((c) => el("td", { cls: "num total", text: num(c.count), attrs: { "data-total-col": c.col } })),
    el("td", { cls: "num total grand", text: num(m.total) }),
  );
  const table = el("table", { cls: "grid matrix" }, el("thead", {}, head), el("tbody", {}, ...body), el("tfoot", {}, foot));
  layout.append(el("div", { cls: "panel flush scroll" }, table), side);
  root.append(el("p", { cls: "muted small hint", text: (cooc ? t(strings, "cooc") + " " : "") + t(strings, "pick") }), layout);
}
