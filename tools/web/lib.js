// What the page's views share: the API with its CSRF token, elements made
// from text (never HTML), the interface language, notices, code point
// offsets, keys.
// Every text from the project goes into the page through textContent.

let session = null;

// The session: {coder, csrf, project, read_only}; asked once.
export async function getSession() {
  if (!session) session = await api("/api/session");
  return session;
}

// An API call. `body`, when given, is sent as JSON with the CSRF token.
// Throws an Error with the server's one-line message (and .status).
export async function api(path, { method = "GET", body } = {}) {
  const init = { method, credentials: "same-origin", headers: {} };
  if (method !== "GET") {
    init.headers["X-CSRF-Token"] = (await getSession()).csrf;
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
  }
  const r = await fetch(path, init);
  let data = null;
  try {
    data = await r.json();
  } catch {
    data = null;
  }
  if (!r.ok) {
    const e = new Error((data && data.error) || r.statusText);
    e.status = r.status;
    e.data = data;
    throw e;
  }
  return data;
}

// A query string from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? "?" + s : "";
}

// An element with text content (never parsed as HTML), classes and
// attributes; children appended.
export function el(tag, { text, cls, attrs, on } = {}, ...children) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  if (attrs)
    for (const [k, v] of Object.entries(attrs))
      if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
  if (on) for (const [k, f] of Object.entries(on)) e.addEventListener(k, f);
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// The interface language: "sv" by default, "en" on request (?lang=en once,
// or the button; remembered in localStorage).
export function lang() {
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked === "en" || asked === "sv") localStorage.setItem("kodbok-lang", asked);
  return localStorage.getItem("kodbok-lang") === "en" ? "en" : "sv";
}

export function setLang(l) {
  localStorage.setItem("kodbok-lang", l);
}

// The text of `key` in the interface language from a view's strings
// ({sv: {...}, en: {...}}), with {name} replaced from `args`.
export function t(strings, key, args = {}) {
  const table = strings[lang()] || strings.sv;
  let s = key in table ? table[key] : strings.sv[key] ?? key;
  for (const [k, v] of Object.entries(args)) s = s.split("{" + k + "}").join(String(v));
  return s;
}

// Runs `work` with `node` marked aria-busy: assistive technology (and the
// browser tests) know the region is being drawn again until it is done.
// Nested and overlapping calls keep the mark until the last one ends.
export async function busy(node, work) {
  node.busyCount = (node.busyCount || 0) + 1;
  node.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    if (--node.busyCount === 0) node.removeAttribute("aria-busy");
  }
}

// A short notice at the bottom of the page; errors stay longer.
export function toast(message, { error = false } = {}) {
  const box = document.getElementById("toast");
  const item = el("div", { text: message, cls: error ? "toast error" : "toast" });
  box.append(item);
  setTimeout(() => item.remove(), error ? 8000 : 3000);
}

// A stable colour per name (a code, a coder), from a fixed palette that
// keeps text readable on top.
const PALETTE = ["#f6c85f", "#9dd866", "#6fb7e8", "#f08a8a", "#c39be8", "#ffa056", "#8dddd0", "#e8a0c8", "#b5c45c", "#a7b4f0"];
export function colourOf(name) {
  let h = 0;
  for (const ch of String(name)) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

// Code points: the API's offsets (start, end) count code points of the
// stored text, as `kodbok show` does; JavaScript strings count UTF-16 units.
// The number of code points in the first `index` UTF-16 units of `s`.
export function cpCount(s, index = s.length) {
  let n = 0;
  for (let i = 0; i < index && i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff || i === 0 || s.charCodeAt(i - 1) < 0xd800 || s.charCodeAt(i - 1) > 0xdbff) n++;
  }
  return n;
}

// The UTF-16 index in `s` of code point `cp` (clamped to the end).
export function cpIndex(s, cp) {
  let i = 0;
  for (let n = 0; n < cp && i < s.length; n++) i += s.codePointAt(i) > 0xffff ? 2 : 1;
  return i;
}

// True when a key event is typed into a field (keys of a view stay out).
export function typing(ev) {
  const e = ev.target;
  return e && (e.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.tagName));
}

// A view's keys on the document, dropped once `owner` has left the page
// (the view was replaced): Ctrl+Z (or Cmd+Z) calls `undo`; other keys go
// to `handler` unless typed into a field, held with Ctrl, Cmd or Alt, or
// the key overlay is open.
export function viewKeys(owner, handler, undo) {
  const f = (ev) => {
    if (!owner.isConnected) document.removeEventListener("keydown", f);
    else if (document.getElementById("keyhelp")) return;
    else if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "z" && !typing(ev)) {
      ev.preventDefault();
      undo();
    } else if (!typing(ev) && !ev.ctrlKey && !ev.metaKey && !ev.altKey) handler(ev);
  };
  document.addEventListener("keydown", f);
}

// The keys of a view as an overlay (`?` opens it, Esc or a click closes):
// rows are [keys, what they do].
export function keyHelp(title, rows, closeLabel) {
  const old = document.getElementById("keyhelp");
  if (old) {
    old.remove();
    return;
  }
  const close = () => box.remove();
  const table = el("table", {}, ...rows.map(([k, what]) => el("tr", {}, el("td", {}, ...k.split(" ").map((x) => el("kbd", { text: x }))), el("td", { text: what }))));
  const button = el("button", { text: closeLabel, cls: "btn", on: { click: close } });
  const box = el("div", { cls: "overlay", attrs: { id: "keyhelp", role: "dialog", "aria-modal": "true", "aria-label": title }, on: { click: (e) => e.target === box && close(), keydown: (e) => (e.key === "Escape" || e.key === "?") && (e.preventDefault(), e.stopPropagation(), close()) } }, el("div", { cls: "dialog" }, el("h2", { text: title }), table, button));
  document.body.append(box);
  button.focus();
}
