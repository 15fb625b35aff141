// The codebook view: the Gioia tree of the last run's codebook (dimension
// → theme → concept) with its quotes per level and in all, collapsible and
// filtered as one types (#/codebook); and a code's page (#/codebook/ID):
// its description, rules and memos and, for a concept, the pattern
// playground: its patterns edited with hits, a sample, and precision and
// recall against a coder as one types, saved into the YAML file.
import { api, busy, el, t, toast } from "./lib.js";
import { memoPanel } from "./memos.js";
import { byteIndex, coders, debounce, fail, num, readerHref, select } from "./parts.js";

export const strings = {
  sv: {
    title: "Kodbok",
    noRun: "Projektet är inte kodat än: kör `kodbok code KODBOK.yaml` först.",
    file: "Fil",
    run: "Körning {run}",
    changed: "Filen har ändrats sedan körningen",
    filter: "Filtrera koder…",
    expand: "Fäll ut alla",
    collapse: "Fäll ihop alla",
    code: "Kod",
    total: "Totalt",
    dimension: "Aggregerad dimension",
    theme: "Tema (andra ordningen)",
    concept: "Begrepp (första ordningen)",
    noMatch: "Inga koder matchar filtret.",
    unknown: "Kodboken har ingen kod {id}.",
    description: "Beskrivning",
    rules: "Regler",
    patterns: "Mönster",
    exclude: "Undantag",
    children: "Innehåll",
    byLevel: "Citat per nivå",
    quotes: "citat",
    memos: "Memon",
    playground: "Mönsterlabb",
    playLead: "Ett mönster per rad (PCRE2). Träffarna räknas om medan du skriver; inget sparas förrän du trycker Spara.",
    coder: "Jämför med kodare",
    auto: "automatiskt",
    hits: "Träffar",
    documents: "Dokument",
    precision: "Precision",
    recall: "Täckning",
    f1: "F1",
    noCoder: "Ingen kodare har kodat begreppet: precision och täckning saknas.",
    against: "Mot {coder}: {tp} rätt, {fp} falska, {fn} missade.",
    sample: "Urval av träffar",
    sampleNote: "(de första 30, i dokumentordning; klicka för att läsa i sammanhang)",
    savedHits: "De sparade mönstren ger {n} träffar.",
    noHits: "Mönstren ger inga träffar.",
    save: "Spara i kodboken",
    reset: "Återställ",
    saving: "Sparar och kodar om…",
    savedRun: "Sparat: körning {run}, {added} nya och {removed} borttagna citat för {concept}.",
    ms: "{ms} ms",
    draft: "Osparade mönster från förra gången återställdes.",
    dirtyKept: "Projektet ändrades; dina osparade mönster finns kvar.",
    patternN: "Mönster {n}",
    emptyPatterns: "Minst ett mönster behövs.",
    openQuote: "Öppna i läsaren",
    scope: "Omfång",
    speakers: "Talare",
    caseless: "Skiftlägesokänslig",
    line: "Rad {line}",
  },
  en: {
    title: "Codebook",
    noRun: "The project is not coded yet: run `kodbok code CODEBOOK.yaml` first.",
    file: "File",
    run: "Run {run}",
    changed: "The file changed since the run",
    filter: "Filter codes…",
    expand: "Expand all",
    collapse: "Collapse all",
    code: "Code",
    total: "Total",
    dimension: "Aggregate dimension",
    theme: "Theme (second order)",
    concept: "Concept (first order)",
    noMatch: "No code matches the filter.",
    unknown: "The codebook has no code {id}.",
    description: "Description",
    rules: "Rules",
    patterns: "Patterns",
    exclude: "Excludes",
    children: "Contents",
    byLevel: "Quotes by level",
    quotes: "quotes",
    memos: "Memos",
    playground: "Pattern playground",
    playLead: "One pattern per line (PCRE2). The hits are counted again as you type; nothing is saved until you press Save.",
    coder: "Compare with coder",
    auto: "automatic",
    hits: "Hits",
    documents: "Documents",
    precision: "Precision",
    recall: "Recall",
    f1: "F1",
    noCoder: "No coder has coded the concept: no precision or recall.",
    against: "Against {coder}: {tp} right, {fp} false, {fn} missed.",
    sample: "Sample of hits",
    sampleNote: "(the first 30, in document order; click to read in context)",
    savedHits: "The saved patterns find {n}.",
    noHits: "The patterns find nothing.",
    save: "Save to the codebook",
    reset: "Reset",
    saving: "Saving and coding again…",
    savedRun: "Saved: run {run}, {added} new and {removed} removed quotes of {concept}.",
    ms: "{ms} ms",
    draft: "Unsaved patterns from last time were restored.",
    dirtyKept: "The project changed; your unsaved patterns are kept.",
    patternN: "Pattern {n}",
    emptyPatterns: "At least one pattern is needed.",
    openQuote: "Open in the reader",
    scope: "Scope",
    speakers: "Speakers",
    caseless: "Case-insensitive",
    line: "Line {line}",
  },
};

// The levels' labels, as the matrix names its columns (the codebook's
// facet labels).
let levelNames = {};
function levelLabel(level) {
  return levelNames[level] || level;
}

// Collapsed nodes of the tree, kept while the page is open.
const collapsed = new Set();
let filterText = "";
let state = null; // the open code's page: {dirty(), memos, play}
let outcome = null; // {id, text}: what the last save of a concept's patterns did

function noRun(root, e) {
  if (e.status !== 409) throw e;
  root.append(el("h1", { text: t(strings, "title") }), el("p", { cls: "empty", text: t(strings, "noRun") }));
}

export async function show(root, arg) {
  state = null;
  let book;
  try {
    const [b, m] = await Promise.all([api("/api/codebook"), api("/api/matrix?rows=dimension&cols=level")]);
    book = b;
    levelNames = Object.fromEntries(m.col_totals.map((c) => [c.col, c.label]));
  } catch (e) {
    noRun(root, e);
    return;
  }
  if (arg) await showCode(root, book, arg);
  else showTree(root, book);
}

function bookHead(book) {
  return el(
    "div",
    { cls: "book-meta" },
    el("span", { cls: "muted", text: t(strings, "run", { run: book.run }) }),
    el("span", { cls: "mono muted", text: book.path, attrs: { title: t(strings, "file") } }),
    book.changed ? el("span", { cls: "badge warn", text: t(strings, "changed") }) : null,
  );
}

function showTree(root, book) {
  const levels = book.levels || [];
  const kids = new Map();
  for (const n of book.nodes) {
    const p = n.parent || "";
    if (!kids.has(p)) kids.set(p, []);
    kids.get(p).push(n);
  }
  const max = Math.max(1, ...book.nodes.filter((n) => n.kind === "concept").map((n) => n.quotes || 0));

  const filterBox = el("input", {
    cls: "filter",
    attrs: { type: "search", placeholder: t(strings, "filter"), "aria-label": t(strings, "filter") },
  });
  filterBox.value = filterText;
  const toolbar = el(
    "div",
    { cls: "toolbar" },
    filterBox,
    el("button", { text: t(strings, "expand"), attrs: { type: "button" }, on: { click: () => { collapsed.clear(); draw(); } } }),
    el("button", {
      text: t(strings, "collapse"),
      attrs: { type: "button" },
      on: { click: () => { for (const n of book.nodes) if (n.kind !== "concept") collapsed.add(n.id); draw(); } },
    }),
    el("span", { cls: "spacer" }),
    el("span", { cls: "legend" }, ...["dimension", "theme", "concept"].map((k) => el("span", { cls: "kind-dot " + k, text: t(strings, k) }))),
  );
  root.append(el("div", { cls: "view-head" }, el("h1", { text: book.name || t(strings, "title") }), bookHead(book)), toolbar);

  const body = el("tbody");
  const table = el(
    "table",
    { cls: "grid tree" },
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", { text: t(strings, "code") }),
        ...levels.map((l) => el("th", { cls: "num", text: levelLabel(l) })),
        el("th", { cls: "num", text: t(strings, "total") }),
        el("th", { cls: "bar-col" }),
      ),
    ),
    body,
  );
  root.append(el("div", { cls: "panel flush" }, table));
  const empty = el("p", { cls: "empty", text: t(strings, "noMatch"), attrs: { hidden: true } });
  root.append(empty);

  const matches = (n, needle) =>
    [n.id, n.label, n.description].some((s) => s && String(s).toLowerCase().includes(needle));

  function draw() {
    const needle = filterText.trim().toLowerCase();
    const keep = new Set();
    if (needle) {
      const byId = new Map(book.nodes.map((n) => [n.id, n]));
      for (const n of book.nodes)
        if (matches(n, needle)) for (let p = n; p; p = byId.get(p.parent)) keep.add(p.id);
    }
    const rows = [];
    const walk = (parent, depth) => {
      for (const n of kids.get(parent) || []) {
        if (needle && !keep.has(n.id)) continue;
        const hasKids = (kids.get(n.id) || []).length > 0;
        const open = needle ? true : !collapsed.has(n.id);
        const toggle = hasKids
          ? el("button", {
              cls: "twisty",
              text: open ? "▾" : "▸",
              attrs: { type: "button", "aria-expanded": open ? "true" : "false", "aria-label": n.label },
              on: {
                click: () => {
                  if (collapsed.has(n.id)) collapsed.delete(n.id);
                  else collapsed.add(n.id);
                  draw();
                },
              },
            })
          : el("span", { cls: "twisty" });
        const bar = el("span", { cls: "bar" });
        bar.style.width = Math.round((100 * Math.min(n.quotes || 0, max)) / max) + "%";
        rows.push(
          el(
            "tr",
            { cls: "node " + n.kind + (needle && matches(n, needle) ? " hit" : ""), attrs: { "data-id": n.id } },
            el(
              "td",
              { cls: "label" },
              el(
                "div",
                { cls: "tl depth-" + depth },
                toggle,
                el(
                  "div",
                  { cls: "tl-text" },
                  el("a", { text: n.label || n.id, attrs: { href: "#/codebook/" + encodeURIComponent(n.id), title: n.description || "" } }),
                  el("span", { cls: "mono muted id", text: n.id }),
                ),
              ),
            ),
            ...levels.map((l) => {
              const c = (n.by_level || {})[l] || 0;
              return el("td", { cls: "num" + (c ? "" : " zero"), text: num(c) });
            }),
            el("td", { cls: "num strong", text: num(n.quotes || 0) }),
            el("td", { cls: "bar-col" }, n.kind === "concept" ? bar : null),
          ),
        );
        if (open) walk(n.id, depth + 1);
      }
    };
    walk("", 0);
    body.replaceChildren(...rows);
    empty.hidden = rows.length > 0;
  }
  filterBox.addEventListener("input", () => {
    filterText = filterBox.value;
    draw();
  });
  draw();
}

// The settings of a concept's rule other than its patterns, as the
// codebook JSON gives them.
const SHOWN = new Set(["kind", "id", "label", "description", "parent", "line", "patterns", "rules_hash", "quotes", "by_level"]);

function ruleRows(n) {
  const rows = [];
  const names = { scope: "scope", speakers: "speakers", caseless: "caseless", exclude: "exclude" };
  for (const [k, v] of Object.entries(n)) {
    if (SHOWN.has(k)) continue;
    const label = names[k] ? t(strings, names[k]) : k;
    const value = Array.isArray(v)
      ? el("ul", { cls: "patterns" }, ...v.map((p) => el("li", { cls: "mono", text: typeof p === "string" ? p : JSON.stringify(p) })))
      : el("span", { cls: "mono", text: typeof v === "string" ? v : JSON.stringify(v) });
    rows.push(el("tr", {}, el("th", { text: label }), el("td", {}, value)));
  }
  return rows;
}

async function showCode(root, book, id) {
  const byId = new Map(book.nodes.map((n) => [n.id, n]));
  const n = byId.get(id);
  if (!n) {
    root.append(el("p", { cls: "error", text: t(strings, "unknown", { id }) }));
    return;
  }
  const trail = [];
  for (let p = byId.get(n.parent); p; p = byId.get(p.parent)) trail.unshift(p);
  root.append(
    el(
      "nav",
      { cls: "crumbs", attrs: { "aria-label": t(strings, "title") } },
      el("a", { text: t(strings, "title"), attrs: { href: "#/codebook" } }),
      ...trail.flatMap((p) => [el("span", { cls: "sep", text: "›" }), el("a", { text: p.label || p.id, attrs: { href: "#/codebook/" + encodeURIComponent(p.id) } })]),
    ),
    el(
      "div",
      { cls: "view-head" },
      el("h1", {}, el("span", { cls: "kind-dot " + n.kind }), n.label || n.id),
      el("div", { cls: "book-meta" }, el("span", { cls: "mono muted", text: n.id }), el("span", { cls: "muted", text: t(strings, n.kind) }), n.line ? el("span", { cls: "muted", text: t(strings, "line", { line: n.line }) }) : null),
    ),
  );

  const levels = book.levels || [];
  const facts = el(
    "section",
    { cls: "panel" },
    el("h2", { text: t(strings, "description") }),
    el("p", { cls: "desc", text: n.description || "–" }),
    el("h2", { text: t(strings, "byLevel") }),
    el(
      "div",
      { cls: "stats" },
      ...levels.map((l) => el("div", { cls: "stat" }, el("span", { cls: "stat-n", text: num((n.by_level || {})[l] || 0) }), el("span", { cls: "stat-l", text: levelLabel(l) }))),
      el("div", { cls: "stat total" }, el("span", { cls: "stat-n", text: num(n.quotes || 0) }), el("span", { cls: "stat-l", text: t(strings, "total") })),
    ),
  );
  if (n.kind === "concept") {
    const rr = ruleRows(n);
    facts.append(
      el("h2", { text: t(strings, "rules") }),
      el(
        "table",
        { cls: "facts" },
        el("tbody", {}, el("tr", {}, el("th", { text: t(strings, "patterns") }), el("td", {}, el("ul", { cls: "patterns" }, ...(n.patterns || []).map((p) => el("li", { cls: "mono", text: p }))))), ...rr),
      ),
    );
  } else {
    const kids = book.nodes.filter((c) => c.parent === n.id);
    facts.append(
      el("h2", { text: t(strings, "children") }),
      el("ul", { cls: "children" }, ...kids.map((c) => el("li", {}, el("a", { text: c.label || c.id, attrs: { href: "#/codebook/" + encodeURIComponent(c.id) } }), el("span", { cls: "muted", text: " " + num(c.quotes || 0) + " " + t(strings, "quotes") })))),
    );
  }
  // A theme's memo may be on one level: the lead of that slide of the deck.
  const cells =
    n.kind === "theme"
      ? book.nodes.filter((v) => v.kind === "value" && v.parent === "level").map((v) => ({ at: "level=" + v.id, label: v.label || v.id }))
      : [];
  const memos = memoPanel({ about: "code", name: n.id, cells });
  const side = el("section", { cls: "panel" }, el("h2", { text: t(strings, "memos") }), memos.node);
  const grid = el("div", { cls: "code-grid" }, facts, side);
  root.append(grid);
  const memosLoaded = memos.reload().catch(fail);
  if (n.kind === "concept") {
    const play = await playground(root, n);
    root.append(play.node);
    state = { dirty: () => play.dirty() || memos.dirty(), play, memos };
  } else state = { dirty: () => memos.dirty(), memos };
  await memosLoaded;
}

// The pattern playground of concept `n`: returns {node, dirty()}.
async function playground(root, n) {
  const saved = (n.patterns || []).join("\n");
  const draftKey = "kodbok-draft:" + n.id + ":" + n.rules_hash;
  const editor = el("textarea", {
    cls: "pattern-editor mono",
    attrs: { rows: Math.max(4, (n.patterns || []).length + 1), spellcheck: "false", "aria-label": t(strings, "patterns"), wrap: "off" },
  });
  const draft = sessionStorage.getItem(draftKey);
  editor.value = draft !== null ? draft : saved;
  if (draft !== null && draft !== saved) toast(t(strings, "draft"));

  const names = await coders();
  let coder = "";
  const coderPick = select([["", t(strings, "auto")], ...names.map((c) => [c, c])], coder, (v) => {
    coder = v;
    run();
  }, { "aria-label": t(strings, "coder") });

  const errorBox = el("div", { cls: "pattern-error", attrs: { hidden: true, role: "alert" } });
  const stats = el("div", { cls: "stats" });
  const against = el("p", { cls: "muted against" });
  const sample = el("ol", { cls: "sample" });
  const timing = el("span", { cls: "muted timing" });
  const saveButton = el("button", { text: t(strings, "save"), cls: "primary", attrs: { type: "button" } });
  const resetButton = el("button", { text: t(strings, "reset"), attrs: { type: "button" } });
  const result = el("p", { cls: "outcome", attrs: { hidden: true } });
  if (outcome && outcome.id === n.id) {
    result.hidden = false;
    result.textContent = outcome.text;
  }

  const patterns = () => editor.value.split("\n").map((p) => p.replace(/\r$/, "")).filter((p) => p.trim() !== "");
  const dirty = () => editor.value !== saved;
  const mark = () => {
    saveButton.disabled = !dirty();
    resetButton.disabled = !dirty();
    if (dirty()) sessionStorage.setItem(draftKey, editor.value);
    else sessionStorage.removeItem(draftKey);
  };

  const stat = (label, value, cls = "") => el("div", { cls: "stat " + cls }, el("span", { cls: "stat-n", text: value }), el("span", { cls: "stat-l", text: label }));
  let asked = 0;
  let savedHits = null; // the saved patterns' hits, once asked
  const baseline = el("p", { cls: "muted small baseline" });
  const resultBox = el("div", { cls: "play-result" }, stats, baseline, against);
  async function run() {
    const ps = patterns();
    const mine = ++asked;
    if (!ps.length) {
      errorBox.hidden = false;
      errorBox.replaceChildren(el("span", { text: t(strings, "emptyPatterns") }));
      return;
    }
    let r;
    try {
      r = await api("/api/playground", { method: "POST", body: { concept: n.id, patterns: ps, coder: coder || null } });
    } catch (e) {
      if (mine !== asked) return;
      if (e.status === 400 && e.data && Number.isInteger(e.data.pattern)) {
        const p = ps[e.data.pattern] ?? "";
        const at = byteIndex(p, e.data.offset || 0);
        errorBox.hidden = false;
        errorBox.replaceChildren(
          el("div", { cls: "err-msg", text: e.message }),
          el(
            "div",
            { cls: "err-line mono" },
            el("span", { cls: "err-n", text: t(strings, "patternN", { n: e.data.pattern + 1 }) }),
            el("span", { text: p.slice(0, at) }),
            el("mark", { cls: "err-at", text: p.slice(at, at + 1) || " " }),
            el("span", { text: p.slice(at + 1) }),
          ),
        );
        editor.classList.add("bad");
        resultBox.classList.add("stale");
        sample.classList.add("stale");
        saveButton.disabled = true;
        return;
      }
      fail(e);
      return;
    }
    if (mine !== asked) return;
    editor.classList.remove("bad");
    resultBox.classList.remove("stale");
    sample.classList.remove("stale");
    errorBox.hidden = true;
    mark();
    if (ps.join("\n") === (n.patterns || []).join("\n")) savedHits = r.hits;
    const withCoder = r.precision !== null && r.precision !== undefined;
    stats.replaceChildren(
      stat(t(strings, "hits"), num(r.hits), "hits"),
      stat(t(strings, "documents"), num(r.documents)),
      stat(t(strings, "precision"), withCoder ? num(r.precision, 2) : "–", "p"),
      stat(t(strings, "recall"), withCoder ? num(r.recall, 2) : "–", "r"),
      stat(t(strings, "f1"), withCoder ? num(r.f1, 2) : "–", "f"),
    );
    baseline.textContent = savedHits === null ? "" : t(strings, "savedHits", { n: num(savedHits) });
    against.textContent = withCoder ? t(strings, "against", { coder: r.coder, tp: r.tp, fp: r.fp, fn: r.fn }) : t(strings, "noCoder");
    timing.textContent = t(strings, "ms", { ms: num(r.ms, 0) });
    sample.replaceChildren(
      ...(r.sample.length
        ? r.sample.map((s) =>
            el(
              "li",
              {},
              el("a", { cls: "doc-link", text: s.document, attrs: { href: readerHref(s.document, s.start, s.end), title: t(strings, "openQuote") } }),
              el("span", { cls: "quote-text", text: s.text }),
            ),
          )
        : [el("li", { cls: "empty", text: t(strings, "noHits") })]),
    );
  }
  const later = debounce(run, 150);
  editor.addEventListener("input", () => {
    mark();
    later();
  });
  resetButton.addEventListener("click", () => {
    editor.value = saved;
    mark();
    run();
  });
  saveButton.addEventListener("click", async () => {
    const ps = patterns();
    if (!ps.length) {
      toast(t(strings, "emptyPatterns"), { error: true });
      return;
    }
    saveButton.disabled = true;
    result.hidden = false;
    result.textContent = t(strings, "saving");
    try {
      const r = await api("/api/codebook/concepts/" + encodeURIComponent(n.id), { method: "PUT", body: { patterns: ps } });
      sessionStorage.removeItem(draftKey);
      const msg = t(strings, "savedRun", { run: r.run, added: r.added, removed: r.removed, concept: n.label || n.id });
      toast(msg);
      outcome = { id: n.id, text: msg };
      // The page is drawn again from the new run (its patterns, its counts).
      await busy(document.getElementById("view"), async () => {
        root.replaceChildren();
        await show(root, n.id);
      });
    } catch (e) {
      result.hidden = true;
      saveButton.disabled = false;
      fail(e); // the patterns stay in the editor (and in the draft)
    }
  });

  const node = el(
    "section",
    { cls: "panel playground" },
    el("div", { cls: "panel-head" }, el("h2", { text: t(strings, "playground") }), el("span", { cls: "spacer" }), el("label", { cls: "inline", text: t(strings, "coder") }, coderPick)),
    el("p", { cls: "muted small", text: t(strings, "playLead") }),
    el(
      "div",
      { cls: "play-grid" },
      el("div", { cls: "play-edit" }, editor, errorBox, el("div", { cls: "row-end" }, timing, el("span", { cls: "spacer" }), resetButton, saveButton), result),
      resultBox,
    ),
    el("h3", {}, t(strings, "sample"), el("span", { cls: "muted small", text: " " + t(strings, "sampleNote") })),
    sample,
  );
  mark();
  run();
  return { node, dirty };
}

// The project changed (a run, a memo, the CLI): the view is drawn again,
// unless patterns or a memo are being edited: then they are kept and the
// view says so.
export async function changed(root, arg) {
  if (state && state.dirty()) {
    toast(t(strings, "dirtyKept"));
    if (state.memos && !state.memos.dirty()) await state.memos.reload();
    return;
  }
  const y = window.scrollY;
  root.replaceChildren();
  await show(root, arg);
  window.scrollTo(0, y);
}
