// The page's shell: the views' navigation, the router on location.hash
// (#/VIEW/ARG?PARAMS), the language switch, and the change feed that
// refreshes the open view when the project changes (by the page or the CLI).
import { api, busy, el, getSession, lang, setLang, t, toast } from "./lib.js";

// Each view is a module exporting `show(root, arg, params)` and `strings`;
// it may export `changed(root, arg, params)` to refresh in place when the
// project changed (else it is shown again).
const VIEWS = {
  documents: () => import("./documents.js"),
  doc: () => import("./reader.js"),
  review: () => import("./review.js"),
  codebook: () => import("./codebook.js"),
  matrix: () => import("./matrix.js"),
  agree: () => import("./agree.js"),
  memos: () => import("./memos.js"),
};

// The navigation, in order: [view, label key].
const NAV = [
  ["documents", "documents"],
  ["review", "review"],
  ["codebook", "codebook"],
  ["matrix", "matrix"],
  ["agree", "agree"],
  ["memos", "memos"],
];

export const strings = {
  sv: { documents: "Dokument", review: "Granska", codebook: "Kodbok", matrix: "Matris", agree: "Samstämmighet", memos: "Memon", other: "English", otherLang: "en", error: "Fel: {message}", readOnly: "Skrivskyddat", readOnlyTitle: "Projektet kan bara läsas här: ändringar sparas inte" },
  en: { documents: "Documents", review: "Review", codebook: "Codebook", matrix: "Matrix", agree: "Agreement", memos: "Memos", other: "Svenska", otherLang: "sv", error: "Error: {message}", readOnly: "Read-only", readOnlyTitle: "The project can only be read here: changes are not saved" },
};

let current = null; // {name, module, arg, params, box}

function parseHash() {
  const hash = location.hash.replace(/^#\/?/, "") || "documents";
  const [path, search] = hash.split("?", 2);
  const parts = path.split("/");
  const name = parts[0];
  const arg = parts.length > 1 ? decodeURIComponent(parts.slice(1).join("/")) : "";
  return { name, arg, params: new URLSearchParams(search || "") };
}

function drawNav(active) {
  const nav = document.getElementById("nav");
  nav.replaceChildren(
    ...NAV.map(([view, key]) =>
      el("a", {
        text: t(strings, key),
        attrs: { href: "#/" + view, "aria-current": view === active ? "page" : null },
      }),
    ),
  );
  const b = document.getElementById("lang");
  b.textContent = t(strings, "other");
  const ro = document.getElementById("readonly");
  ro.textContent = t(strings, "readOnly");
  ro.title = t(strings, "readOnlyTitle");
  document.documentElement.lang = lang();
}

// Each route draws into a box of its own in #view: a view still waiting for
// the server when the user has moved on draws into its box, no longer in
// the page, and never into the next view. #view is aria-busy while a view
// is drawn and names the route drawn (data-drawn) when it is done.
let routes = 0;
async function route() {
  const root = document.getElementById("view");
  const hash = location.hash;
  const n = ++routes;
  await busy(root, async () => {
    const { name, arg, params } = parseHash();
    const load = VIEWS[name] || VIEWS.documents;
    const module = await load();
    if (n !== routes) return;
    drawNav(VIEWS[name] ? (name === "doc" ? "documents" : name) : "documents");
    const box = el("div", { cls: "viewbox" });
    current = { name, module, arg, params, box };
    root.replaceChildren(box);
    try {
      await module.show(box, arg, params);
    } catch (e) {
      box.append(el("p", { text: t(strings, "error", { message: e.message }), cls: "error" }));
    }
    if (n === routes) root.dataset.drawn = hash;
  });
}

// The project's version now; null when the server has no feed.
async function version() {
  try {
    return (await api("/api/version")).version;
  } catch {
    return null;
  }
}

// Polls the project's version; a change since `seen` (read before the first
// view was loaded, so that nothing written meanwhile is missed) refreshes
// the open view.
async function watch(seen) {
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    let v;
    try {
      v = (await api("/api/version")).version;
    } catch (e) {
      if (e.status === 404) return; // a server without the feed
      continue;
    }
    if (v !== seen && current) {
      const { module, arg, params, box } = current;
      const y = window.scrollY;
      try {
        await busy(document.getElementById("view"), async () => {
          if (module.changed) await module.changed(box, arg, params);
          else {
            box.replaceChildren();
            await module.show(box, arg, params);
            window.scrollTo(0, y);
          }
        });
      } catch (e) {
        toast(t(strings, "error", { message: e.message }), { error: true });
      }
    }
    seen = v;
  }
}

async function start() {
  const s = await getSession();
  document.getElementById("coder").textContent = s.coder || "";
  document.getElementById("readonly").hidden = !s.read_only;
  document.getElementById("lang").addEventListener("click", () => {
    setLang(t(strings, "otherLang"));
    route();
  });
  window.addEventListener("hashchange", route);
  const seen = await version();
  await route();
  if (seen !== null) watch(seen);
}

start().catch((e) => {
  document.getElementById("view").append(el("p", { text: e.message, cls: "error" }));
});
