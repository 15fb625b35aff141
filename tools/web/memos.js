// The memos view (#/memos, #/memos?about=TARGET): the project's analytic
// journal, newest first, to write in, edit and prune; and every memo,
// filtered by what it is about (document, case, code, coding), each with a
// link to that. memoPanel() is also the codebook's memos of a code.
import { api, el, getSession, t, toast } from "./lib.js";
import { fail, markdown, readerHref, select, when } from "./parts.js";

export const strings = {
  sv: {
    title: "Memon",
    journal: "Journal",
    all: "Alla memon",
    journalLead: "Projektets analytiska journal: beslut, idéer och frågor under kodningen, senaste först.",
    allLead: "Alla memon i projektet, med det de handlar om.",
    write: "Skriv ett memo (Markdown: **fet**, *kursiv*, - lista)…",
    add: "Lägg till",
    cell: "Memots plats",
    wholeCode: "Hela koden",
    edit: "Redigera",
    save: "Spara",
    cancel: "Avbryt",
    remove: "Ta bort",
    confirm: "Ta bort?",
    added: "Memot sparades.",
    saved: "Ändringen sparades.",
    removed: "Memot togs bort.",
    none: "Inga memon än.",
    noneHere: "Inga memon om det här än.",
    changedAt: "ändrat {when}",
    about: "Om",
    any: "Alla",
    about_journal: "Journalen",
    about_document: "Dokument",
    about_case: "Fall",
    about_code: "Kod",
    about_coding: "Kodning",
    nameFilter: "Sök namn eller text…",
    count: "{n} memon",
    unsaved: "Projektet ändrades, men ett memo redigeras: vyn uppdateras när du sparat eller avbrutit.",
    empty: "Skriv något först.",
  },
  en: {
    title: "Memos",
    journal: "Journal",
    all: "All memos",
    journalLead: "The project's analytic journal: decisions, ideas and questions while coding, newest first.",
    allLead: "Every memo in the project, with what it is about.",
    write: "Write a memo (Markdown: **bold**, *italic*, - list)…",
    add: "Add",
    cell: "Where the memo goes",
    wholeCode: "The code as a whole",
    edit: "Edit",
    save: "Save",
    cancel: "Cancel",
    remove: "Remove",
    confirm: "Remove?",
    added: "The memo was saved.",
    saved: "The change was saved.",
    removed: "The memo was removed.",
    none: "No memos yet.",
    noneHere: "No memos about this yet.",
    changedAt: "changed {when}",
    about: "About",
    any: "All",
    about_journal: "The journal",
    about_document: "Document",
    about_case: "Case",
    about_code: "Code",
    about_coding: "Coding",
    nameFilter: "Search name or text…",
    count: "{n} memos",
    unsaved: "The project changed, but a memo is being edited: the view refreshes once you save or cancel.",
    empty: "Write something first.",
  },
};

const ABOUTS = ["journal", "document", "case", "code", "coding"];

// Where a memo's target is shown in the page.
function targetLink(m) {
  const label = t(strings, "about_" + m.about);
  if (m.about === "journal") return el("span", { cls: "tag-kind", text: label });
  let href = null;
  let name = m.name;
  if (m.about === "document") href = readerHref(m.name);
  else if (m.about === "code") href = "#/codebook/" + encodeURIComponent(m.name);
  else if (m.about === "coding") {
    href = readerHref(m.name);
    name = m.name + " #" + m.coding + (m.code ? " · " + m.code : "");
  }
  return el(
    "span",
    { cls: "memo-target" },
    el("span", { cls: "tag-kind", text: label }),
    href ? el("a", { text: name, attrs: { href } }) : el("span", { text: name }),
  );
}

// The requests that change memo `m`: a coding's memo lives on the coding.
function memoPath(m) {
  return m.about === "coding" ? "/api/tags/" + m.coding + "/memo" : "/api/memos/" + m.id;
}

// A list of memos with an optional writing box: `about` and `name` choose
// them (and are where a new one goes); `showTarget` adds each one's link.
// `cells` ([{at: "level=regional", label}]) offers to write the memo on the
// code at one of those values instead (a theme's slide of that level leads
// with it). Returns {node, dirty(), reload(), later()}: later() is true
// when a removal waits for its confirming click, and the refresh it asks
// for then comes once that is over.
export function memoPanel({ about, name, showTarget = false, writable = true, filter = null, cells = [] }) {
  const node = el("div", { cls: "memos" });
  const list = el("div", { cls: "memo-list" });
  const editing = new Set();
  let me = null;
  const arming = new Set(); // removals waiting for their confirming click
  let stale = false; // a refresh put off while one waited

  const box = el("textarea", { cls: "memo-input", attrs: { rows: 3, placeholder: t(strings, "write"), "aria-label": t(strings, "write") } });
  const addButton = el("button", {
    text: t(strings, "add"),
    cls: "primary",
    attrs: { type: "button" },
    on: {
      click: async () => {
        const text = box.value.trim();
        if (!text) {
          toast(t(strings, "empty"), { error: true });
          return;
        }
        addButton.disabled = true;
        try {
          const body = { about, text };
          if (about !== "journal") body.name = name;
          if (cell?.value) body.at = cell.value;
          await api("/api/memos", { method: "POST", body });
          box.value = "";
          toast(t(strings, "added"));
          await reload();
        } catch (e) {
          fail(e);
        } finally {
          addButton.disabled = false;
        }
      },
    },
  });
  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) addButton.click();
  });
  // Where the memo goes: the code as a whole, or the code at a value.
  const cell = cells.length
    ? el(
        "select",
        { cls: "memo-cell", attrs: { "aria-label": t(strings, "cell") } },
        el("option", { text: t(strings, "wholeCode"), attrs: { value: "" } }),
        ...cells.map((c) => el("option", { text: c.label, attrs: { value: c.at } })),
      )
    : null;
  if (writable) node.append(el("div", { cls: "memo-write" }, box, el("div", { cls: "row-end" }, cell, addButton)));
  node.append(list);

  function item(m) {
    const key = m.about === "coding" ? "c" + m.coding : "m" + m.id;
    const body = markdown(m.text);
    const meta = el(
      "div",
      { cls: "memo-meta" },
      el("span", { cls: "memo-author", text: m.author || "" }),
      el("time", { text: when(m.created_at), attrs: { datetime: m.created_at } }),
      m.changed_at && m.changed_at !== m.created_at ? el("span", { cls: "muted", text: t(strings, "changedAt", { when: when(m.changed_at) }) }) : null,
      showTarget ? targetLink(m) : null,
      // a memo on a code at one value of a facet: its cell ("level=regional")
      m.at ? el("span", { cls: "tag-kind memo-at", text: m.at }) : null,
    );
    const card = el("article", { cls: "memo", attrs: { "data-memo": key } }, meta, body);
    if (m.author === me) {
      const actions = el("div", { cls: "memo-actions" });
      const edit = el("button", { text: t(strings, "edit"), cls: "link", attrs: { type: "button" } });
      const remove = el("button", { text: t(strings, "remove"), cls: "link danger", attrs: { type: "button" } });
      let armed = null;
      remove.addEventListener("click", async () => {
        if (!armed) {
          remove.textContent = t(strings, "confirm");
          remove.classList.add("armed");
          arming.add(remove);
          armed = setTimeout(() => {
            armed = null;
            remove.textContent = t(strings, "remove");
            remove.classList.remove("armed");
            if (arming.delete(remove) && !arming.size && stale) reload();
          }, 4000);
          return;
        }
        clearTimeout(armed);
        arming.delete(remove);
        try {
          await api(memoPath(m), { method: "DELETE" });
          toast(t(strings, "removed"));
          await reload();
        } catch (e) {
          fail(e);
        }
      });
      edit.addEventListener("click", () => {
        editing.add(key);
        const area = el("textarea", { cls: "memo-input", attrs: { rows: Math.max(3, m.text.split("\n").length + 1) } });
        area.value = m.text;
        const done = () => {
          editing.delete(key);
          editor.replaceWith(body);
          actions.hidden = false;
        };
        const save = el("button", {
          text: t(strings, "save"),
          cls: "primary",
          attrs: { type: "button" },
          on: {
            click: async () => {
              const text = area.value.trim();
              if (!text) {
                toast(t(strings, "empty"), { error: true });
                return;
              }
              try {
                await api(memoPath(m), { method: "PUT", body: { text } });
                editing.delete(key);
                toast(t(strings, "saved"));
                await reload();
              } catch (e) {
                fail(e); // the text stays in the box
              }
            },
          },
        });
        const cancel = el("button", { text: t(strings, "cancel"), attrs: { type: "button" }, on: { click: done } });
        const editor = el("div", { cls: "memo-edit" }, area, el("div", { cls: "row-end" }, cancel, save));
        body.replaceWith(editor);
        actions.hidden = true;
        area.focus();
      });
      actions.append(edit, remove);
      card.append(actions);
    }
    return card;
  }

  async function reload() {
    me = (await getSession()).coder;
    const q = new URLSearchParams();
    if (about) q.set("about", about);
    if (about && about !== "journal" && name) q.set("name", name);
    const { memos } = await api("/api/memos" + (q.toString() ? "?" + q : ""));
    let shown = memos.slice().sort((a, b) => (b.created_at || "").localeCompare(a.created_at || ""));
    if (filter) shown = shown.filter(filter);
    node.dataset.count = shown.length;
    list.replaceChildren(
      ...(shown.length ? shown.map(item) : [el("p", { cls: "empty", text: t(strings, writable && about !== "journal" ? "noneHere" : "none") })]),
    );
    editing.clear();
    arming.clear();
    stale = false;
    return shown.length;
  }

  // A memo being written or edited is not to be wiped by a refresh.
  const dirty = () => editing.size > 0 || box.value.trim() !== "";
  const later = () => arming.size > 0 && (stale = true);
  return { node, reload, dirty, later };
}

let panel = null;

export async function show(root, _arg, params) {
  const tab = params.get("about") ? "all" : params.get("tab") === "all" ? "all" : "journal";
  const about = params.get("about") || "";
  const tabs = el(
    "div",
    { cls: "tabs", attrs: { role: "tablist" } },
    ...["journal", "all"].map((k) =>
      el("a", {
        text: t(strings, k),
        attrs: { href: k === "journal" ? "#/memos" : "#/memos?tab=all", role: "tab", "aria-selected": k === tab ? "true" : "false" },
      }),
    ),
  );
  const head = el("div", { cls: "view-head" }, el("h1", { text: t(strings, "title") }), tabs);
  root.append(head);
  if (tab === "journal") {
    root.append(el("p", { cls: "lead", text: t(strings, "journalLead") }));
    panel = memoPanel({ about: "journal" });
    root.append(el("section", { cls: "journal" }, panel.node));
    await panel.reload();
    return;
  }
  root.append(el("p", { cls: "lead", text: t(strings, "allLead") }));
  const nameBox = el("input", { attrs: { type: "search", placeholder: t(strings, "nameFilter"), "aria-label": t(strings, "nameFilter") } });
  nameBox.value = params.get("name") || "";
  const count = el("span", { cls: "muted" });
  const pick = select(
    [["", t(strings, "any")], ...ABOUTS.map((a) => [a, t(strings, "about_" + a)])],
    about,
    (v) => {
      location.hash = "#/memos" + (v ? "?about=" + v : "?tab=all");
    },
    { "aria-label": t(strings, "about") },
  );
  const bar = el("div", { cls: "toolbar memo-bar" }, el("label", { text: t(strings, "about") }, pick), nameBox, el("span", { cls: "spacer" }), count);
  root.append(bar);
  const holder = el("section", { cls: "all-memos" });
  root.append(holder);
  const draw = async () => {
    const needle = nameBox.value.trim().toLowerCase();
    panel = memoPanel({
      about: about || null,
      showTarget: true,
      writable: false,
      filter: needle ? (m) => String(m.name || "").toLowerCase().includes(needle) || m.text.toLowerCase().includes(needle) : null,
    });
    holder.replaceChildren(panel.node);
    const n = await panel.reload();
    count.textContent = t(strings, "count", { n });
  };
  nameBox.addEventListener("input", () => draw().catch(fail));
  await draw();
}

// The project changed: the lists are drawn again unless a memo is being
// written or edited (then the view says so and waits).
export async function changed(root, arg, params) {
  if (panel && panel.later()) return;
  if (panel && panel.dirty()) {
    toast(t(strings, "unsaved"));
    return;
  }
  root.replaceChildren();
  await show(root, arg, params);
}
