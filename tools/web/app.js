// The start of kodbok's page: the documents and a reader. Every text from
// the project goes into the page as text (textContent), never as HTML.
"use strict";

async function api(path) {
  const r = await fetch(path, { credentials: "same-origin" });
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

async function openDocument(name) {
  const d = await api("/api/documents/" + encodeURIComponent(name));
  document.getElementById("doc-title").textContent = d.name;
  const reader = document.getElementById("reader");
  reader.replaceChildren();
  for (const t of d.turns) {
    const p = el("p", null, "turn");
    p.append(el("span", t.speaker || "", "speaker"), el("span", t.text));
    reader.append(p);
  }
}

async function start() {
  const s = await api("/api/session");
  document.getElementById("coder").textContent = s.coder || "";
  const list = document.getElementById("documents");
  for (const d of (await api("/api/documents")).documents) {
    const a = el("a", d.name);
    a.addEventListener("click", () => openDocument(d.name));
    const li = el("li");
    li.append(a);
    list.append(li);
  }
}

start().catch((e) => {
  document.body.append(el("p", e.message, "error"));
});
