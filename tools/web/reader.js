// The reader (#/doc/NAME?at=START&end=END): a transcript as turns with
// speaker, role and time; its codings as coloured highlights in the text and
// as coding stripes in the right margin (a column per code, a lane per coder);
// filters by concept, theme, coder and source; coding by selecting text
// (snapped to words, `s` sentence, `t` turn) with a concept picker; a
// highlight's codes with removal and memo; undo of the last actions.
// Offsets are code points of the stored text, as the API gives them.
import { api, busy, colourOf, cpCount, cpIndex, el, getSession, keyHelp, t, toast, viewKeys } from "./lib.js";
import { memoPanel } from "./memos.js";

export const strings = {
  sv: {
    memos: "Memon",
    docMemos: "Om dokumentet",
    caseMemos: "Om fallet {name}",
    filters: "Filter",
    concept: "Begrepp",
    theme: "Tema",
    coder: "Kodare",
    source: "Källa",
    all: "Alla",
    rules: "Regler",
    manual: "Manuella",
    accepted: "Godtagna",
    rejected: "Avvisade",
    legend: "Koder i dokumentet",
    stripenote: "Ränder visas för de {n} mest kodade (fetstil); välj ett begrepp för att se andras.",
    coders: "Kodare",
    nocodes: "Inga kodningar med dessa filter.",
    selected: "Markerat: {n} tecken",
    codeit: "Koda…",
    cancel: "Avbryt",
    sentence: "Mening",
    turn: "Tur",
    pick: "Skriv några bokstäver i begreppets namn",
    nomatch: "Inget begrepp matchar.",
    coded: "Kodat som {label}",
    removed: "Kodningen borttagen",
    undone: "Ångrat: {what}",
    nothing: "Inget att ångra",
    notstored: "Inte sparat: {message}",
    remove: "Ta bort",
    feature: "★ Välj ut",
    featuredby: "★ utvalt: {who}",
    featured: "Utvalt: {label}",
    memo: "Memo",
    memosave: "Spara memo",
    memodel: "Ta bort memo",
    memosaved: "Memo sparat",
    memoremoved: "Memo borttaget",
    close: "Stäng",
    codes: "Kodningar här",
    by: "{coder}",
    rulesby: "regler",
    norun: "Projektet är inte kodat än (kodbok code): inga begrepp att välja.",
    help: "Tangenter i läsaren",
    kNext: "nästa / föregående tur",
    kSentence: "markera meningen (igen: nästa mening); Shift+S: ta med nästa mening",
    kTurn: "markera hela turen",
    kWord: "flytta markeringens slut ett ord",
    kPick: "koda markeringen: välj begrepp (skriv, ↑ ↓, Enter)",
    kHl: "nästa / föregående markering (highlight); Enter visar dess koder",
    kUndo: "ångra senaste åtgärden",
    kEsc: "stäng / avmarkera",
    kHelp: "den här hjälpen",
    turnsLabel: "{n} turer",
    time: "{t}",
    interviewer: "intervjuare",
    respondent: "respondent",
  },
  en: {
    memos: "Memos",
    docMemos: "On the document",
    caseMemos: "On case {name}",
    filters: "Filters",
    concept: "Concept",
    theme: "Theme",
    coder: "Coder",
    source: "Source",
    all: "All",
    rules: "Rules",
    manual: "Manual",
    accepted: "Accepted",
    rejected: "Rejected",
    legend: "Codes in the document",
    stripenote: "Stripes show the {n} most coded (bold); pick a concept to see another's.",
    coders: "Coders",
    nocodes: "No codings with these filters.",
    selected: "Selected: {n} characters",
    codeit: "Code…",
    cancel: "Cancel",
    sentence: "Sentence",
    turn: "Turn",
    pick: "Type a few letters of the concept's name",
    nomatch: "No concept matches.",
    coded: "Coded as {label}",
    removed: "Coding removed",
    undone: "Undone: {what}",
    nothing: "Nothing to undo",
    notstored: "Not stored: {message}",
    remove: "Remove",
    feature: "★ Feature",
    featuredby: "★ featured: {who}",
    featured: "Featured: {label}",
    memo: "Memo",
    memosave: "Save memo",
    memodel: "Remove memo",
    memosaved: "Memo saved",
    memoremoved: "Memo removed",
    close: "Close",
    codes: "Codings here",
    by: "{coder}",
    rulesby: "rules",
    norun: "The project is not coded yet (kodbok code): no concepts to pick.",
    help: "Keys in the reader",
    kNext: "next / previous turn",
    kSentence: "select the sentence (again: the next one); Shift+S: add the next sentence",
    kTurn: "select the whole turn",
    kWord: "move the selection's end by a word",
    kPick: "code the selection: pick a concept (type, ↑ ↓, Enter)",
    kHl: "next / previous highlight; Enter shows its codes",
    kUndo: "undo the last action",
    kEsc: "close / clear the selection",
    kHelp: "this help",
    turnsLabel: "{n} turns",
    time: "{t}",
    interviewer: "interviewer",
    respondent: "respondent",
  },
};

const SOURCES = ["rules", "manual", "accepted", "rejected"];
// How many codes get a coding stripe.
const STRIPES = 12;

// What stays while the page is open: filters per view, the undo stack.
const state = {
  filters: { concept: "", theme: "", coder: "", sources: new Set(["rules", "manual", "accepted"]) },
  undo: [],
};

// The open reader: document, codebook, the drawn codings, the selection.
let R = null;

function fmtTime(ms) {
  if (ms === null || ms === undefined) return "";
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h ? h + ":" + mm + ":" + ss : mm + ":" + ss;
}

// The codebook's codes by id ({kind, id, label, parent}) and its concepts in
// tree order; empty before the first run.
async function loadCodebook() {
  try {
    const cb = await api("/api/codebook?counts=no"); // the codes, not their counts
    const byId = new Map(cb.nodes.map((n) => [n.id, n]));
    return { byId, concepts: cb.nodes.filter((n) => n.kind === "concept"), order: new Map(cb.nodes.map((n, i) => [n.id, i])) };
  } catch (e) {
    if (e.status !== 409) throw e;
    return { byId: new Map(), concepts: [], order: new Map(), missing: true };
  }
}

// The document's codings, one list: automatic quotes of the last run (rules)
// and every coder's manual codings and decisions.
function codingsOf(d, cb) {
  const out = [];
  const themeOf = (code) => {
    const n = cb.byId.get(code);
    if (!n) return "";
    if (n.kind === "concept") return n.parent || "";
    return n.kind === "theme" ? n.id : "";
  };
  for (const q of d.quotes)
    if (q.source === "auto" && !q.rejected && q.concept)
      out.push({ start: q.start, end: q.end, code: q.concept, theme: q.theme || themeOf(q.concept), coder: "", source: "rules", featured: q.featured_by || "" });
  for (const g of d.tags)
    out.push({
      start: g.start,
      end: g.end,
      code: g.code,
      theme: themeOf(g.code),
      coder: g.coder,
      source: g.decision === "accept" ? "accepted" : g.decision === "reject" ? "rejected" : "manual",
      id: g.id,
      memo: g.memo || "",
    });
  return out;
}

const labelOf = (code) => R.cb.byId.get(code)?.label || code;

function visible(c) {
  const f = state.filters;
  return (
    f.sources.has(c.source) &&
    (!f.concept || c.code === f.concept) &&
    (!f.theme || c.theme === f.theme) &&
    (!f.coder || (f.coder === "\u0000rules" ? c.source === "rules" : c.coder === f.coder))
  );
}

// The coders' lanes: rules first, then the coders by name.
function laneOf(c) {
  return c.source === "rules" ? 0 : 1 + R.coders.indexOf(c.coder);
}

function drawTurn(turn, shown, at, end) {
  // The boundaries inside the turn: its ends, every coding's, the flashed passage's.
  const cuts = new Set([turn.start, turn.end]);
  const inside = shown.filter((c) => c.start < turn.end && c.end > turn.start);
  for (const c of inside) {
    if (c.start > turn.start) cuts.add(c.start);
    if (c.end < turn.end) cuts.add(c.end);
  }
  if (at !== null) for (const x of [at, end]) if (x > turn.start && x < turn.end) cuts.add(x);
  const points = [...cuts].sort((a, b) => a - b);
  const text = el("div", { cls: "ttext" });
  let i = 0; // UTF-16 index in turn.text
  for (let p = 0; p + 1 < points.length; p++) {
    const s = points[p];
    const e = points[p + 1];
    const j = i + cpIndex(turn.text.slice(i), e - s);
    const seg = el("span", { text: turn.text.slice(i, j), attrs: { "data-s": s, "data-e": e } });
    i = j;
    const over = inside.filter((c) => c.start <= s && c.end >= e);
    if (at !== null && s >= at && e <= end) seg.classList.add("flash");
    if (over.length) {
      // The shortest coding gives the fill, the others a line each under it.
      const codes = [...new Set(over.filter((c) => c.source !== "rejected").sort((a, b) => a.end - a.start - (b.end - b.start)).map((c) => c.code))];
      seg.classList.add("hl");
      seg.tabIndex = -1;
      seg.dataset.n = new Set(over.map((c) => c.code)).size;
      if (codes.length) {
        seg.style.backgroundColor = colourOf(codes[0]) + "59";
        seg.style.boxShadow = codes
          .slice(1, 4)
          .map((code, k) => "inset 0 -" + 3 * (k + 1) + "px 0 " + colourOf(code))
          .join(", ");
        if (codes.length > 1) seg.classList.add("deep");
      } else seg.classList.add("only-rejected");
      seg.title = [...new Set(over.map((c) => labelOf(c.code)))].join(" · ");
    }
    text.append(seg);
  }
  const role = turn.role ? t(strings, turn.role) : "";
  return el(
    "div",
    { cls: "turn role-" + (turn.role || "none"), attrs: { "data-turn": turn.index, "data-start": turn.start, "data-end": turn.end, tabindex: "-1" } },
    el(
      "div",
      { cls: "tmeta" },
      el("span", { text: turn.speaker || "–", cls: "speaker" }),
      role ? el("span", { text: role, cls: "role" }) : null,
      turn.time_ms !== null ? el("span", { text: fmtTime(turn.time_ms), cls: "time" }) : null,
    ),
    text,
  );
}

// The stripes: one column per code shown, a lane per coder inside it, bars
// where the code's codings are, measured from the drawn text.
// As NVivo's "nodes most coding": the codes with most codings shown get a
// column each (in codebook order); the concept filter shows any other.
function stripedCodes() {
  const most = new Map();
  for (const c of R.shown) most.set(c.code, (most.get(c.code) || 0) + 1);
  return [...most.keys()]
    .sort((a, b) => most.get(b) - most.get(a))
    .slice(0, STRIPES)
    .sort((a, b) => (R.cb.order.get(a) ?? 1e9) - (R.cb.order.get(b) ?? 1e9));
}

function drawStripes() {
  const margin = R.margin;
  const shown = R.shown;
  const codes = R.striped;
  const lanes = R.coders.length;
  const w = 12;
  const x0 = 14; // the density column
  margin.replaceChildren();
  // The width first: the text reflows to it before it is measured.
  margin.style.width = x0 + codes.length * (w + 3) + "px";
  const box = R.text.getBoundingClientRect();
  const segs = [...R.text.querySelectorAll("[data-s]")];
  // The index of the first segment ending after `cp` (they are in order).
  const segFrom = (cp) => {
    let lo = 0;
    let hi = segs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (+segs[mid].dataset.e > cp) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  margin.style.height = R.text.offsetHeight + "px";
  // Coding density: a grey bar per highlight, darker the more codes it has.
  const density = el("div", { cls: "sdensity" });
  for (const seg of segs) {
    const n = +(seg.dataset.n || 0);
    if (!n) continue;
    const r = seg.getBoundingClientRect();
    const bar = el("div");
    bar.style.top = r.top - box.top + "px";
    bar.style.height = r.height + "px";
    bar.style.opacity = Math.min(1, 0.2 + 0.2 * n);
    density.append(bar);
  }
  margin.append(density);
  codes.forEach((code, col) => {
    const column = el("div", { cls: "scol", attrs: { "data-code": code, title: labelOf(code) } });
    column.style.setProperty("--c", colourOf(code));
    column.style.left = x0 + col * (w + 3) + "px";
    column.style.width = w + "px";
    for (const c of shown.filter((x) => x.code === code)) {
      const first = segs[segFrom(c.start)];
      const last = segs[segFrom(c.end) - 1];
      if (!first || !last) continue;
      const a = first.getBoundingClientRect();
      const b = last.getBoundingClientRect();
      const bar = el("div", {
        cls: "sbar src-" + c.source + " lane-" + Math.min(laneOf(c), 4),
        attrs: { "data-label": labelOf(c.code) + " · " + (c.coder || t(strings, "rulesby")) + " · " + t(strings, c.source), "data-start": c.start, "data-end": c.end },
        on: { click: () => openCodes(first, c.start, c.end) },
      });
      bar.style.top = a.top - box.top + "px";
      bar.style.height = Math.max(4, b.bottom - a.top) + "px";
      // Rules take the column's width behind; each coder a lane of it.
      const lane = laneOf(c);
      const lw = lanes ? w / lanes : w;
      bar.style.left = (lane ? (lane - 1) * lw : 0) + "px";
      bar.style.width = (lane ? Math.max(2, lw - (lanes > 1 ? 1 : 0)) : w) + "px";
      column.append(bar);
    }
    margin.append(column);
  });
}

// The drawn segment holding code point `cp`.
function segAt(cp) {
  for (const s of R.text.querySelectorAll("[data-s]")) if (+s.dataset.s <= cp && cp < +s.dataset.e) return s;
  return null;
}

function drawLegend() {
  const codes = [...new Set(R.shown.map((c) => c.code))].sort((a, b) => (R.cb.order.get(a) ?? 1e9) - (R.cb.order.get(b) ?? 1e9));
  const list = el("ul", { cls: "legend" });
  for (const code of codes) {
    const sw = el("span", { cls: "swatch" });
    sw.style.backgroundColor = colourOf(code);
    const n = R.shown.filter((c) => c.code === code).length;
    list.append(
      el(
        "li",
        {},
        el(
          "button",
          { cls: "linklike", attrs: { type: "button", title: code }, on: { click: () => setFilter("concept", state.filters.concept === code ? "" : code) } },
          sw,
          el("span", { text: labelOf(code), cls: "lname" }),
          el("span", { text: String(n), cls: "count" }),
        ),
      ),
    );
  }
  const coders = el("ul", { cls: "legend coders" });
  ["", ...R.coders].forEach((coder, k) => {
    const sw = el("span", { cls: "lanesw lane-" + Math.min(k, 4) });
    coders.append(el("li", {}, sw, el("span", { text: coder || t(strings, "rules") })));
  });
  for (const li of list.children) if (!R.striped.includes(li.firstChild.title)) li.classList.add("unstriped");
  R.legend.replaceChildren(
    el("h3", { text: t(strings, "coders") }),
    coders,
    el("h3", { text: t(strings, "legend") }),
    codes.length ? list : el("p", { text: t(strings, "nocodes"), cls: "muted" }),
    codes.length > STRIPES ? el("p", { text: t(strings, "stripenote", { n: STRIPES }), cls: "muted note" }) : null,
  );
}

function setFilter(k, v) {
  state.filters[k] = v;
  redraw();
}

function drawFilters() {
  const f = state.filters;
  const present = (pick) => [...new Set(R.codings.map(pick).filter(Boolean))].sort((a, b) => (R.cb.order.get(a) ?? 1e9) - (R.cb.order.get(b) ?? 1e9));
  const select = (key, options) =>
    el(
      "label",
      { cls: "field" },
      el("span", { text: t(strings, key) }),
      el(
        "select",
        { attrs: { "data-filter": key }, on: { change: (e) => setFilter(key, e.target.value) } },
        el("option", { text: t(strings, "all"), attrs: { value: "" } }),
        ...options.map(([v, label]) => el("option", { text: label, attrs: { value: v, selected: f[key] === v } })),
      ),
    );
  const sources = el(
    "fieldset",
    { cls: "sources" },
    el("legend", { text: t(strings, "source") }),
    ...SOURCES.map((s) =>
      el(
        "label",
        { cls: "check src-" + s },
        el("input", {
          attrs: { type: "checkbox", value: s, checked: f.sources.has(s) },
          on: {
            change: (e) => {
              if (e.target.checked) f.sources.add(s);
              else f.sources.delete(s);
              redraw();
            },
          },
        }),
        el("span", { text: t(strings, s) }),
      ),
    ),
  );
  R.filters.replaceChildren(
    el("h3", { text: t(strings, "filters") }),
    select("concept", present((c) => c.code).map((c) => [c, labelOf(c)])),
    select("theme", present((c) => c.theme).map((c) => [c, labelOf(c)])),
    select("coder", [["\u0000rules", t(strings, "rules")], ...R.coders.map((c) => [c, c])]),
    sources,
  );
}

// Draws the text, stripes and legend for the current filters.
function redraw() {
  R.shown = R.codings.filter(visible);
  const at = R.at;
  R.text.replaceChildren(...R.doc.turns.map((turn) => drawTurn(turn, R.shown, at, R.end)));
  R.striped = stripedCodes();
  drawFilters();
  drawLegend();
  requestAnimationFrame(() => R && R.text.isConnected && drawStripes());
  if (R.sel) selectRange(R.sel.start, R.sel.end, false);
  // The keys go on from the turn last worked in, when the focus was lost with the old text.
  const a = document.activeElement;
  if ((!a || a === document.body) && R.lastTurn !== undefined) R.text.querySelector('.turn[data-turn="' + R.lastTurn + '"]')?.focus({ preventScroll: true });
}

// ---- selection ------------------------------------------------------------

const WORD = /[\p{L}\p{N}_'’-]/u;

function turnAt(cp) {
  return R.doc.turns.find((x) => x.start <= cp && cp <= x.end) || null;
}

// The code point of a DOM point (node, offset) in the text; `edge` is
// "start" or "end" for points outside a turn's text.
function cpOfPoint(node, offset) {
  const elNode = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  const seg = elNode.closest("[data-s]");
  if (seg && node.nodeType === Node.TEXT_NODE) return +seg.dataset.s + cpCount(node.textContent, offset);
  if (seg) return offset ? +seg.dataset.e : +seg.dataset.s;
  const text = elNode.closest(".ttext");
  if (text && node === text) {
    const kids = text.children;
    return offset < kids.length ? +kids[offset].dataset.s : +kids[kids.length - 1].dataset.e;
  }
  const turn = elNode.closest(".turn");
  if (turn) return +turn.dataset.start;
  return null;
}

// The DOM point of code point `cp`.
function pointOf(cp, isEnd) {
  for (const s of R.text.querySelectorAll("[data-s]")) {
    const a = +s.dataset.s;
    const b = +s.dataset.e;
    if ((cp >= a && cp < b) || (isEnd && cp === b)) {
      const node = s.firstChild || s;
      return [node, node.nodeType === Node.TEXT_NODE ? cpIndex(node.textContent, cp - a) : 0];
    }
  }
  return null;
}

// The words the passage [start, end) touches, without space around.
function snapWords(start, end) {
  const a = turnAt(start);
  const b = turnAt(end) || a;
  if (!a || !b) return null;
  const ta = [...a.text];
  const tb = [...b.text];
  let s = start - a.start;
  let e = end - b.start;
  while (s < ta.length && !WORD.test(ta[s]) && !(a === b && s >= e)) s++;
  while (s > 0 && WORD.test(ta[s - 1]) && WORD.test(ta[s] ?? " ")) s--;
  while (e > 0 && !WORD.test(tb[e - 1]) && !/[.!?…)”"]/.test(tb[e - 1])) e--;
  while (e < tb.length && WORD.test(tb[e]) && e > 0 && WORD.test(tb[e - 1])) e++;
  const S = a.start + s;
  const E = b.start + e;
  return E > S ? { start: S, end: E } : null;
}

// The sentences of a turn as [start, end) code points of the document.
function sentencesOf(turn) {
  const cps = [...turn.text];
  const out = [];
  let s = 0;
  while (s < cps.length && /\s/.test(cps[s])) s++;
  for (let i = s; i < cps.length; i++) {
    const endHere = /[.!?…]/.test(cps[i]) && (i + 1 === cps.length || /\s/.test(cps[i + 1])) && !/^(bl|t|ca|dvs|osv|etc|mm|s|fr|o|resp|ev|ang|jfr|kap|nr)$/i.test(lastWord(cps, i));
    if (endHere || cps[i] === "\n" || i + 1 === cps.length) {
      let e = cps[i] === "\n" ? i : i + 1;
      while (e > s && /\s/.test(cps[e - 1])) e--;
      if (e > s) out.push({ start: turn.start + s, end: turn.start + e });
      s = i + 1;
      while (s < cps.length && /\s/.test(cps[s])) s++;
      i = s - 1;
    }
  }
  return out;
}

function lastWord(cps, i) {
  let k = i;
  while (k > 0 && /[\p{L}.]/u.test(cps[k - 1])) k--;
  return cps.slice(k, i).join("").split(".").pop();
}

function selectRange(start, end, scroll = true) {
  R.sel = { start, end };
  R.lastTurn = turnAt(start)?.index ?? R.lastTurn;
  const a = pointOf(start, false);
  const b = pointOf(end, true);
  const s = window.getSelection();
  if (a && b) {
    const r = document.createRange();
    r.setStart(a[0], a[1]);
    r.setEnd(b[0], b[1]);
    // While the picker is open the page's selection is left to its field.
    if (!R.picker) {
      s.removeAllRanges();
      s.addRange(r);
    }
    // Marked also while the focus is in the picker (the page's selection is then grey).
    if (window.CSS && CSS.highlights) CSS.highlights.set("kb-pending", new Highlight(r.cloneRange()));
    if (scroll) (a[0].parentElement || a[0]).scrollIntoView({ block: "nearest" });
  }
  drawDock();
}

function clearSelection() {
  R.sel = null;
  window.getSelection().removeAllRanges();
  if (window.CSS && CSS.highlights) CSS.highlights.delete("kb-pending");
  closePicker();
  drawDock();
}

// A mouse or keyboard selection in the text becomes the snapped selection.
function takeSelection() {
  const s = window.getSelection();
  if (!s.rangeCount || s.isCollapsed) {
    if (R.sel && !R.picker) clearSelection();
    return;
  }
  const r = s.getRangeAt(0);
  if (!R.text.contains(r.commonAncestorContainer)) return;
  const a = cpOfPoint(r.startContainer, r.startOffset);
  const b = cpOfPoint(r.endContainer, r.endOffset);
  if (a === null || b === null || b <= a) return;
  const snapped = snapWords(a, b);
  if (snapped) selectRange(snapped.start, snapped.end, false);
}

function focusedTurn() {
  const f = document.activeElement && document.activeElement.closest && document.activeElement.closest(".turn");
  if (f && R.text.contains(f)) return R.doc.turns[+f.dataset.turn];
  if (R.sel) return turnAt(R.sel.start);
  // The focus gone with a closed picker or a redrawn text: the turn last worked in.
  return R.lastTurn !== undefined ? R.doc.turns[R.lastTurn] ?? null : null;
}

function moveTurn(step) {
  const cur = focusedTurn();
  const turns = R.doc.turns;
  let i = cur ? turns.indexOf(cur) + step : step > 0 ? 0 : turns.length - 1;
  i = Math.max(0, Math.min(turns.length - 1, i));
  const node = R.text.querySelector('.turn[data-turn="' + turns[i].index + '"]');
  clearSelection();
  R.lastTurn = turns[i].index;
  node.focus();
  node.scrollIntoView({ block: "nearest" });
}

// `s`: the sentences the selection touches; again: the next sentence;
// `extend`: add the sentence after the selection.
function sentenceKey(extend) {
  const turn = focusedTurn();
  if (!turn) return;
  const list = R.doc.turns.slice(R.doc.turns.indexOf(turn)).flatMap((x) => sentencesOf(x));
  if (!list.length) return;
  if (!R.sel) return selectRange(list[0].start, list[0].end);
  const touching = list.filter((x) => x.end > R.sel.start && x.start < R.sel.end);
  const aligned = touching.length && touching[0].start === R.sel.start && touching[touching.length - 1].end === R.sel.end;
  if (!touching.length) return selectRange(list[0].start, list[0].end);
  if (!aligned) return selectRange(touching[0].start, touching[touching.length - 1].end);
  const next = list.find((x) => x.start >= R.sel.end);
  if (!next) return;
  if (extend) selectRange(R.sel.start, next.end);
  else selectRange(next.start, next.end);
}

function turnKey() {
  const turn = focusedTurn();
  if (!turn) return;
  const b = R.sel ? turnAt(R.sel.end) || turn : turn;
  const words = snapWords(turn.start, b.end);
  if (words) selectRange(words.start, words.end);
}

// Moves the selection's end a word on (+1) or back (-1).
function wordKey(step) {
  if (!R.sel) return;
  const turn = turnAt(R.sel.end - 1);
  const cps = [...turn.text];
  let e = R.sel.end - turn.start;
  if (step > 0) {
    while (e < cps.length && !WORD.test(cps[e])) e++;
    while (e < cps.length && WORD.test(cps[e])) e++;
  } else {
    while (e > 0 && WORD.test(cps[e - 1])) e--;
    while (e > 0 && !WORD.test(cps[e - 1])) e--;
  }
  const end = turn.start + e;
  if (end > R.sel.start) selectRange(R.sel.start, end);
}

// ---- the dock: the selection, the picker ------------------------------

function drawDock() {
  const dock = R.dock;
  if (!R.sel) {
    dock.hidden = true;
    R.dockRow.replaceChildren();
    return;
  }
  const text = R.doc.turns
    .filter((x) => x.end > R.sel.start && x.start < R.sel.end)
    .map((x) => {
      const cps = [...x.text];
      return cps.slice(Math.max(0, R.sel.start - x.start), Math.min(cps.length, R.sel.end - x.start)).join("");
    })
    .join(" … ");
  const snippet = text.length > 140 ? text.slice(0, 70) + " … " + text.slice(-60) : text;
  dock.hidden = false;
  // Only the row is drawn again: an open picker keeps its focus and text.
  R.dockRow.replaceChildren(
    el("span", { text: t(strings, "selected", { n: R.sel.end - R.sel.start }), cls: "dockn" }),
    el("q", { text: snippet, cls: "docksnip" }),
    el("button", { text: t(strings, "sentence"), cls: "btn small", attrs: { type: "button", title: "s" }, on: { click: () => sentenceKey(false) } }),
    el("button", { text: t(strings, "turn"), cls: "btn small", attrs: { type: "button", title: "t" }, on: { click: turnKey } }),
    el("button", { text: t(strings, "codeit"), cls: "btn primary", attrs: { type: "button", title: "Enter", id: "codeit" }, on: { click: openPicker } }),
    el("button", { text: t(strings, "cancel"), cls: "btn small ghost", attrs: { type: "button", title: "Esc" }, on: { click: clearSelection } }),
  );
}

const fold = (s) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

function openPicker() {
  if (!R.sel) return;
  if (!R.cb.concepts.length) {
    toast(t(strings, "norun"), { error: true });
    return;
  }
  closePicker();
  const input = el("input", { cls: "pickin", attrs: { type: "text", placeholder: t(strings, "pick"), "aria-label": t(strings, "pick"), role: "combobox", "aria-expanded": "true", "aria-controls": "picklist", autocomplete: "off" } });
  const list = el("ul", { cls: "picklist", attrs: { id: "picklist", role: "listbox" } });
  const box = el("div", { cls: "picker" }, input, list);
  R.picker = { box, input, list, active: 0, items: [] };
  const render = () => {
    const q = fold(input.value.trim());
    const words = q.split(/\s+/).filter(Boolean);
    const items = R.cb.concepts.filter((c) => {
      const hay = fold(c.label + " " + c.id + " " + labelOf(c.parent || ""));
      return words.every((w) => hay.includes(w));
    });
    R.picker.items = items;
    R.picker.active = Math.min(R.picker.active, Math.max(0, items.length - 1));
    list.replaceChildren();
    if (!items.length) list.append(el("li", { text: t(strings, "nomatch"), cls: "muted" }));
    let theme = null;
    items.forEach((c, k) => {
      if (c.parent !== theme) {
        theme = c.parent;
        list.append(el("li", { text: labelOf(theme), cls: "pickgroup", attrs: { role: "presentation" } }));
      }
      const sw = el("span", { cls: "swatch" });
      sw.style.backgroundColor = colourOf(c.id);
      list.append(
        el(
          "li",
          {
            cls: "pickitem" + (k === R.picker.active ? " active" : ""),
            attrs: { role: "option", "aria-selected": k === R.picker.active ? "true" : "false", id: "pick-" + k, "data-code": c.id },
            on: { mousedown: (e) => (e.preventDefault(), choose(c)) },
          },
          sw,
          el("span", { text: c.label }),
          el("span", { text: c.id, cls: "pickid" }),
        ),
      );
    });
    input.setAttribute("aria-activedescendant", items.length ? "pick-" + R.picker.active : "");
    const act = list.querySelector(".active");
    if (act) act.scrollIntoView({ block: "nearest" });
  };
  input.addEventListener("input", () => {
    R.picker.active = 0;
    render();
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const n = R.picker.items.length;
      if (n) R.picker.active = (R.picker.active + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
      render();
    } else if (e.key === "Enter") {
      e.preventDefault();
      const c = R.picker.items[R.picker.active];
      if (c) choose(c);
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      closePicker();
      document.getElementById("codeit")?.focus();
    }
  });
  R.dock.prepend(box);
  render();
  input.focus();
}

function closePicker() {
  if (R && R.picker) {
    R.picker.box.remove();
    R.picker = null;
  }
}

async function choose(concept) {
  const { start, end } = R.sel;
  const body = { document: R.doc.name, code: concept.id, start, end };
  try {
    const g = await api("/api/tags", { method: "POST", body });
    state.undo.push({ kind: "add", id: g.id, body, label: concept.label });
    toast(t(strings, "coded", { label: concept.label }));
    clearSelection();
    await reload();
  } catch (e) {
    toast(t(strings, "notstored", { message: e.message }), { error: true });
  }
}

// ---- a highlight's codes ------------------------------------------------

function closeCodes() {
  document.getElementById("codes")?.remove();
}

// The codings over [s, e) (a highlight), with removal and memo for the
// server's coder's own.
function openCodes(anchor, s, e) {
  closeCodes();
  const over = R.shown.filter((c) => c.start < e && c.end > s);
  if (!over.length) return;
  const items = over.map((c) => {
    const sw = el("span", { cls: "swatch" });
    sw.style.backgroundColor = colourOf(c.code);
    const own = c.id !== undefined && c.coder === R.me;
    const row = el(
      "li",
      { cls: "coding", attrs: { "data-id": c.id ?? "" } },
      el(
        "div",
        { cls: "codinghead" },
        sw,
        el("strong", { text: labelOf(c.code) }),
        el("span", { text: c.coder, cls: "who" }),
        el("span", { text: t(strings, c.source), cls: "badge src-" + c.source }),
      ),
    );
    if (c.memo) row.append(el("p", { text: c.memo, cls: "memo" }));
    // An automatic quote: featured by whom, or the button that features it
    // (accepting it) for the slides.
    if (c.source === "rules" && c.featured) row.append(el("p", { text: t(strings, "featuredby", { who: c.featured.replaceAll(",", ", ") }), cls: "featured" }));
    if (c.source === "rules" && R.me && !c.featured.split(",").includes(R.me))
      row.append(
        el("div", { cls: "codingact" }, el("button", { text: t(strings, "feature"), cls: "btn small", attrs: { type: "button", "data-act": "feature" }, on: { click: () => featureQuote(c) } })),
      );
    if (own) {
      const area = el("textarea", { attrs: { rows: "2", "aria-label": t(strings, "memo"), placeholder: t(strings, "memo") } });
      area.value = c.memo;
      const actions = el(
        "div",
        { cls: "codingact" },
        el("button", { text: t(strings, "memosave"), cls: "btn small", attrs: { type: "button" }, on: { click: () => setMemo(c, area.value) } }),
        c.memo ? el("button", { text: t(strings, "memodel"), cls: "btn small ghost", attrs: { type: "button" }, on: { click: () => setMemo(c, "") } }) : null,
        el("button", { text: t(strings, "remove"), cls: "btn small danger", attrs: { type: "button", "data-act": "remove" }, on: { click: () => removeCoding(c) } }),
      );
      row.append(area, actions);
    }
    return row;
  });
  const closeBtn = el("button", { text: "×", cls: "btn ghost small", attrs: { type: "button", "aria-label": t(strings, "close") }, on: { click: () => (closeCodes(), anchor.focus?.()) } });
  const box = el(
    "div",
    {
      cls: "popover",
      attrs: { id: "codes", role: "dialog", "aria-label": t(strings, "codes") },
      on: {
        keydown: (ev) => {
          if (ev.key === "Escape") {
            ev.stopPropagation();
            closeCodes();
            anchor.focus?.();
          }
        },
      },
    },
    el("div", { cls: "pophead" }, el("h3", { text: t(strings, "codes") }), closeBtn),
    el("ul", { cls: "codings" }, ...items),
  );
  const host = R.body;
  const a = anchor.getBoundingClientRect();
  const h = host.getBoundingClientRect();
  box.style.top = a.bottom - h.top + 6 + "px";
  box.style.left = Math.max(0, Math.min(a.left - h.left, h.width - 380)) + "px";
  host.append(box);
  // Above the highlight when it would reach past the window's bottom.
  if (a.bottom + box.offsetHeight + 12 > window.innerHeight && a.top - box.offsetHeight - 6 > 60) box.style.top = a.top - h.top - box.offsetHeight - 6 + "px";
  (box.querySelector("textarea, button[data-act]") || closeBtn).focus({ preventScroll: true });
}

async function removeCoding(c) {
  try {
    await api("/api/tags/" + c.id, { method: "DELETE" });
    state.undo.push({ kind: "remove", id: c.id, body: { document: R.doc.name, code: c.code, start: c.start, end: c.end }, label: labelOf(c.code) });
    toast(t(strings, "removed"));
    closeCodes();
    await reload();
  } catch (e) {
    toast(t(strings, "notstored", { message: e.message }), { error: true });
  }
}

// Features an automatic quote for the coder (accepting it), so that the
// slides show it first (`kodbok feature`).
async function featureQuote(c) {
  try {
    await api("/api/review", { method: "POST", body: { document: R.doc.name, start: c.start, end: c.end, concept: c.code, decision: "feature" } });
    toast(t(strings, "featured", { label: labelOf(c.code) }));
    closeCodes();
    await reload();
  } catch (e) {
    toast(t(strings, "notstored", { message: e.message }), { error: true });
  }
}

async function setMemo(c, text) {
  const before = c.memo;
  try {
    await putMemo(c.id, text);
    state.undo.push({ kind: "memo", id: c.id, before, label: t(strings, "memo") });
    toast(t(strings, text.trim() ? "memosaved" : "memoremoved"));
    closeCodes();
    await reload();
  } catch (e) {
    toast(t(strings, "notstored", { message: e.message }), { error: true });
  }
}

function putMemo(id, text) {
  return text.trim() ? api("/api/tags/" + id + "/memo", { method: "PUT", body: { text } }) : api("/api/tags/" + id + "/memo", { method: "DELETE" });
}

// Undoes the last action: an addition removed, a removal added again, a
// memo put back.
async function undo() {
  const last = state.undo.pop();
  if (!last) {
    toast(t(strings, "nothing"));
    return;
  }
  try {
    if (last.kind === "add") await api("/api/tags/" + last.id, { method: "DELETE" });
    else if (last.kind === "remove") {
      const g = await api("/api/tags", { method: "POST", body: last.body });
      // The coding is back under a new id: the actions before it follow.
      for (const u of state.undo) if (u.id === last.id) u.id = g.id;
    } else await putMemo(last.id, last.before);
    toast(t(strings, "undone", { what: last.label }));
    if (R) await reload();
  } catch (e) {
    state.undo.push(last);
    toast(t(strings, "notstored", { message: e.message }), { error: true });
  }
}

// Moves the focus to the next (+1) or previous (-1) highlight.
function moveHighlight(step) {
  const all = [...R.text.querySelectorAll(".hl")];
  if (!all.length) return;
  const cur = all.indexOf(document.activeElement);
  let i = cur < 0 ? (step > 0 ? 0 : all.length - 1) : cur + step;
  i = (i + all.length) % all.length;
  all[i].focus();
  all[i].scrollIntoView({ block: "nearest" });
}

function help() {
  keyHelp(
    t(strings, "help"),
    [
      ["j k", t(strings, "kNext")],
      ["s", t(strings, "kSentence")],
      ["t", t(strings, "kTurn")],
      ["Shift+→ Shift+←", t(strings, "kWord")],
      ["Enter c", t(strings, "kPick")],
      ["] [", t(strings, "kHl")],
      ["u Ctrl+Z", t(strings, "kUndo")],
      ["Esc", t(strings, "kEsc")],
      ["?", t(strings, "kHelp")],
    ],
    t(strings, "close"),
  );
}

function onKey(ev) {
  if (document.activeElement && document.activeElement.closest("#codes")) return;
  const k = ev.key;
  const act = {
    j: () => moveTurn(1),
    k: () => moveTurn(-1),
    s: () => sentenceKey(false),
    S: () => sentenceKey(true),
    t: turnKey,
    c: openPicker,
    u: undo,
    "]": () => moveHighlight(1),
    "[": () => moveHighlight(-1),
    "?": help,
    Escape: () => (document.getElementById("codes") ? closeCodes() : clearSelection()),
  }[k];
  if (act) {
    ev.preventDefault();
    act();
    return;
  }
  if (k === "Enter") {
    const a = document.activeElement;
    if (a && a.classList && a.classList.contains("hl")) {
      ev.preventDefault();
      openCodes(a, +a.dataset.s, +a.dataset.e);
    } else if (R.sel && !(a && a.tagName === "BUTTON")) {
      ev.preventDefault();
      openPicker();
    }
  } else if (ev.shiftKey && (k === "ArrowRight" || k === "ArrowLeft") && R.sel) {
    ev.preventDefault();
    wordKey(k === "ArrowRight" ? 1 : -1);
  }
}

// Fetches the document and codebook again and redraws them where they
// were; #view is busy meanwhile.
function reload() {
  return busy(document.getElementById("view"), async () => {
    const y = window.scrollY;
    const seq = (R.seq = (R.seq || 0) + 1);
    const [d, cb] = await Promise.all([api("/api/documents/" + encodeURIComponent(R.doc.name)), loadCodebook()]);
    if (seq !== R.seq) return; // a later reload is under way
    R.doc = d;
    R.cb = cb;
    R.codings = codingsOf(d, cb);
    R.coders = [...new Set(d.tags.map((g) => g.coder))].sort();
    if (R.me && !R.coders.includes(R.me)) R.coders.unshift(R.me);
    R.head.replaceChildren(...head(d));
    redraw();
    window.scrollTo(0, y);
  });
}

function head(d) {
  return [
    el("h1", { text: d.name }),
    el("span", { cls: "muted", text: [d.case, t(strings, "turnsLabel", { n: d.turns.length })].filter(Boolean).join(" · ") }),
    el("button", { text: "?", cls: "btn small ghost helpbtn", attrs: { type: "button", title: t(strings, "help"), "aria-label": t(strings, "help") }, on: { click: help } }),
  ];
}

export async function show(root, name, params) {
  const [d, cb, session] = await Promise.all([api("/api/documents/" + encodeURIComponent(name)), loadCodebook(), getSession()]);
  const at = params && params.has("at") ? +params.get("at") : null;
  const end = params && params.has("end") ? +params.get("end") : at !== null ? at + 1 : null;
  R = { doc: d, cb, me: session.coder, at, end, sel: null, picker: null };
  R.codings = codingsOf(d, cb);
  R.coders = [...new Set(d.tags.map((g) => g.coder))].sort();
  if (R.me && !R.coders.includes(R.me)) R.coders.unshift(R.me);
  R.head = el("div", { cls: "viewhead" }, ...head(d));
  R.filters = el("div", { cls: "rfilters" });
  R.legend = el("div", { cls: "rlegend" });
  R.text = el("div", { cls: "rtext", on: { mouseup: () => setTimeout(takeSelection, 0), keyup: (e) => e.shiftKey && !R.sel && takeSelection() } });
  R.margin = el("div", { cls: "stripes", attrs: { "aria-hidden": "true" } });
  R.dockRow = el("div", { cls: "dockrow" });
  R.dock = el("div", { cls: "dock", attrs: { role: "region", "aria-label": t(strings, "codeit") } }, R.dockRow);
  R.dock.hidden = true;
  R.body = el("div", { cls: "rbody" }, R.text, R.margin);
  R.text.addEventListener("click", (e) => {
    const seg = e.target.closest(".hl");
    if (seg && window.getSelection().isCollapsed) openCodes(seg, +seg.dataset.s, +seg.dataset.e);
  });
  // The memos on the document and on its case, as the memos view writes them.
  R.memos = [memoPanel({ about: "document", name: d.name })];
  if (d.case) R.memos.push(memoPanel({ about: "case", name: d.case }));
  const memos = el(
    "details",
    { cls: "rmemos" },
    el("summary", { text: t(strings, "memos") }),
    el("h3", { text: t(strings, "docMemos") }),
    R.memos[0].node,
    d.case ? el("h3", { text: t(strings, "caseMemos", { name: d.case }) }) : null,
    d.case ? R.memos[1].node : null,
  );
  root.append(R.head, el("div", { cls: "reader" }, el("aside", { cls: "rside" }, R.filters, R.legend, memos), el("div", { cls: "rmain" }, R.body, R.dock)));
  await Promise.all(R.memos.map((m) => m.reload()));
  viewKeys(R.text, onKey, undo);
  const text = R.text;
  const resized = () => {
    if (!text.isConnected) window.removeEventListener("resize", resized);
    else requestAnimationFrame(drawStripes);
  };
  window.addEventListener("resize", resized);
  redraw();
  if (at !== null) {
    const f = R.text.querySelector(".flash") || segAt(at);
    if (f) requestAnimationFrame(() => f.scrollIntoView({ block: "center" }));
  }
}

// The project changed (the CLI, another tab): drawn again, the selection kept.
export async function changed() {
  if (!R || !R.text.isConnected) return;
  await reload();
  await Promise.all(R.memos.filter((m) => !m.dirty()).map((m) => m.reload()));
}
