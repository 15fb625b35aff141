// What the codebook, matrix, agreement and memos views share: links into
// the reader, numbers and dates in the interface language, errors as
// notices, the coders the project knows, a pattern's byte offsets, and
// Markdown shown safely (elements made from text, never HTML).
import { api, el, lang, toast } from "./lib.js";

// The reader at a passage: #/doc/NAME?at=START&end=END (code points).
export function readerHref(document, start, end) {
  let h = "#/doc/" + encodeURIComponent(document);
  if (start !== undefined && start !== null) h += "?at=" + start + "&end=" + end;
  return h;
}

// A number as the interface language writes it; `digits` after the point
// for figures (kappa, precision), none for counts; "–" for none.
export function num(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(n)) return "–";
  return n.toLocaleString(lang() === "en" ? "en-GB" : "sv-SE", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

// A stored time (ISO 8601) as date and time in the interface language.
export function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang() === "en" ? "en-GB" : "sv-SE", { dateStyle: "medium", timeStyle: "short" });
}

const BUSY = {
  sv: "Projektet är upptaget (en annan kodbok skriver); inget sparades, försök igen.",
  en: "The project is busy (another kodbok is writing); nothing was saved, try again.",
};

// An API failure as an error notice (busy said in the interface language).
export function fail(e) {
  toast(e.status === 503 ? BUSY[lang()] : e.message, { error: true });
}

// The coders the project knows: those with manual codings and the server's
// coder (the documents' progress), sorted.
export async function coders() {
  const { documents } = await api("/api/documents");
  const names = new Set();
  for (const d of documents) for (const c of Object.keys(d.progress || {})) names.add(c);
  return [...names].sort();
}

// A <select> of `options` ([value, label]) with `value` chosen.
export function select(options, value, on, attrs = {}) {
  const s = el("select", { attrs, on: on ? { change: (e) => on(e.target.value) } : undefined });
  for (const [v, label] of options) {
    const o = el("option", { text: label, attrs: { value: v } });
    if (v === value) o.selected = true;
    s.append(o);
  }
  return s;
}

// The UTF-16 index in `s` of UTF-8 byte offset `bytes` (a regex error's
// place in a pattern, as PCRE2 gives it).
export function byteIndex(s, bytes) {
  const enc = new TextEncoder();
  let b = 0;
  let i = 0;
  for (const ch of s) {
    if (b >= bytes) break;
    b += enc.encode(ch).length;
    i += ch.length;
  }
  return i;
}

// Calls `f` once `ms` have passed without another call.
export function debounce(f, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => f(...args), ms);
  };
}

// Inline Markdown: **bold**, *emphasis*, `code`; the rest as text.
function inline(text) {
  const out = [];
  const re = /(\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|`([^`]+)`)/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(document.createTextNode(text.slice(last, m.index)));
    if (m[2] !== undefined) out.push(el("strong", { text: m[2] }));
    else if (m[3] !== undefined) out.push(el("em", { text: m[3] }));
    else out.push(el("code", { text: m[4] }));
    last = re.lastIndex;
  }
  if (last < text.length) out.push(document.createTextNode(text.slice(last)));
  return out;
}

// A memo's Markdown as elements: headings (#), lists (- or *), quotes (>)
// and paragraphs, with inline emphasis and code. No HTML is ever parsed.
export function markdown(text) {
  const box = el("div", { cls: "md" });
  let list = null;
  let para = [];
  const flush = () => {
    if (para.length) box.append(el("p", {}, ...inline(para.join(" "))));
    para = [];
  };
  for (const raw of String(text).split("\n")) {
    const line = raw.trimEnd();
    const item = line.match(/^\s*[-*]\s+(.*)$/);
    const head = line.match(/^(#{1,3})\s+(.*)$/);
    const quote = line.match(/^>\s?(.*)$/);
    if (item) {
      flush();
      if (!list) box.append((list = el("ul")));
      list.append(el("li", {}, ...inline(item[1])));
      continue;
    }
    list = null;
    if (!line.trim()) flush();
    else if (head) {
      flush();
      box.append(el("h" + (head[1].length + 2), {}, ...inline(head[2])));
    } else if (quote) {
      flush();
      box.append(el("blockquote", {}, ...inline(quote[1])));
    } else para.push(line.trim());
  }
  flush();
  return box;
}
