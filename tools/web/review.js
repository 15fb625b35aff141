// Review (#/review?concept=ID): the server's coder's automatic quotes not
// decided on, one at a time in context (the question before, the speaker),
// with `a` accept, `f` feature, `r` reject, `s` skip and `u` undo, as
// `kodbok review`.
import { api, colourOf, el, keyHelp, query, t, toast, typing, viewKeys } from "./lib.js";

export const strings = {
  sv: {
    title: "Granska",
    left: "{n} kvar att granska",
    session: "{a} godtagna · {r} avvisade · {s} överhoppade · {f} utvalda",
    concept: "Begrepp",
    all: "Alla begrepp",
    accept: "Godta",
    feature: "★ Välj ut",
    reject: "Avvisa",
    skip: "Hoppa över",
    undo: "Ångra",
    open: "Visa i läsaren",
    question: "Frågan före",
    done: "Inget kvar att granska här.",
    doneskipped: "Inget kvar utom de överhoppade ({n}). Ladda om sidan för att se dem igen.",
    accepted: "Godtaget: {label}",
    featured: "Utvalt: {label}",
    rejected: "Avvisat: {label}",
    undone: "Ångrat: {label}",
    nothing: "Inget att ångra",
    notstored: "Inte sparat: {message}",
    norun: "Projektet är inte kodat än (kodbok code): inget att granska.",
    help: "Tangenter i granskningen",
    kA: "godta citatet",
    kF: "välj ut citatet (godtar det), så att bildspelet visar det först",
    kR: "avvisa citatet",
    kS: "hoppa över (inget sparas)",
    kU: "ångra senaste beslutet",
    kO: "öppna stället i läsaren",
    kHelp: "den här hjälpen",
    close: "Stäng",
    of: "{doc} · tur {turn}",
    next: "Därefter",
  },
  en: {
    title: "Review",
    left: "{n} left to review",
    session: "{a} accepted · {r} rejected · {s} skipped · {f} featured",
    concept: "Concept",
    all: "All concepts",
    accept: "Accept",
    feature: "★ Feature",
    reject: "Reject",
    skip: "Skip",
    undo: "Undo",
    open: "Show in the reader",
    question: "The question before",
    done: "Nothing left to review here.",
    doneskipped: "Nothing left but the skipped ones ({n}). Reload the page to see them again.",
    accepted: "Accepted: {label}",
    featured: "Featured: {label}",
    rejected: "Rejected: {label}",
    undone: "Undone: {label}",
    nothing: "Nothing to undo",
    notstored: "Not stored: {message}",
    norun: "The project is not coded yet (kodbok code): nothing to review.",
    help: "Keys in review",
    kA: "accept the quote",
    kF: "feature the quote (accepting it), so that slides show it first",
    kR: "reject the quote",
    kS: "skip (nothing is stored)",
    kU: "undo the last decision",
    kO: "open the place in the reader",
    kHelp: "this help",
    close: "Close",
    of: "{doc} · turn {turn}",
    next: "Up next",
  },
};

const keyOf = (q) => q.document + "\u0000" + q.start + "\u0000" + q.end + "\u0000" + q.concept;

// The review's state while the page is open: skipped quotes, the decisions
// made (for undo), and the counts of this sitting.
const state = { skipped: new Set(), done: [], counts: { accept: 0, reject: 0, skip: 0, feature: 0 } };
let V = null;

// Asks for the queue again; an answer overtaken by a decision made
// meanwhile is dropped (it may not hold that decision yet).
async function load() {
  const acts = V.acts;
  const r = await api("/api/review" + query({ concept: V.concept, limit: 50 + state.skipped.size }));
  if (acts !== V.acts) return;
  V.total = r.total;
  V.queue = r.quotes.filter((q) => !state.skipped.has(keyOf(q)));
}

function draw() {
  const q = V.queue[0];
  const c = state.counts;
  V.counts.replaceChildren(
    el("span", { text: t(strings, "left", { n: Math.max(0, V.total - state.skipped.size) }), cls: "bigcount" }),
    el("span", { text: t(strings, "session", { a: c.accept, r: c.reject, s: c.skip, f: c.feature }), cls: "muted" }),
  );
  const buttons = [
    ["accept", "a", () => decide("accept")],
    ["feature", "f", () => decide("feature")],
    ["reject", "r", () => decide("reject")],
    ["skip", "s", skip],
    ["undo", "u", undo],
  ].map(([k, key, f]) =>
    el("button", { cls: "btn act-" + k, attrs: { type: "button", "data-act": k, disabled: !q && k !== "undo" }, on: { click: f } }, el("span", { text: t(strings, k) }), el("kbd", { text: key })),
  );
  V.next.replaceChildren(
    el("h3", { text: t(strings, "next") }),
    el(
      "ol",
      {},
      ...V.queue.slice(1, 9).map((x) => {
        const sw = el("span", { cls: "swatch" });
        sw.style.backgroundColor = colourOf(x.concept);
        return el("li", {}, el("div", { cls: "nexthead" }, sw, el("strong", { text: x.label || x.concept }), el("span", { text: x.document, cls: "muted" })), el("div", { text: x.text, cls: "nexttext" }));
      }),
    ),
  );
  if (!q) {
    V.card.replaceChildren(el("p", { text: state.skipped.size ? t(strings, "doneskipped", { n: state.skipped.size }) : t(strings, "done"), cls: "empty" }), el("div", { cls: "actions" }, ...buttons));
    return;
  }
  const sw = el("span", { cls: "swatch" });
  sw.style.backgroundColor = colourOf(q.concept);
  const href = "#/doc/" + encodeURIComponent(q.document) + "?at=" + q.start + "&end=" + q.end;
  V.card.replaceChildren(
    el(
      "div",
      { cls: "rvhead" },
      sw,
      el("strong", { text: q.label || q.concept, cls: "rvlabel" }),
      el("span", { text: q.theme_label || q.theme || "", cls: "muted" }),
      el("span", { cls: "spacer" }),
      el("span", { text: t(strings, "of", { doc: q.document, turn: q.turn ? q.turn.index + 1 : "?" }), cls: "muted" }),
      el("a", { cls: "btn small ghost", attrs: { href, "data-act": "open" } }, el("span", { text: t(strings, "open") }), el("kbd", { text: "o" })),
    ),
    q.before
      ? el(
          "div",
          { cls: "rvbefore" },
          el("div", { cls: "rvwho" }, el("span", { text: q.before.speaker || "–", cls: "speaker" }), el("span", { text: t(strings, "question"), cls: "role" })),
          el("p", { text: q.before.text }),
        )
      : null,
    el("div", { cls: "rvquote" }, el("div", { cls: "rvwho" }, el("span", { text: q.speaker || "–", cls: "speaker" })), el("blockquote", { text: q.text })),
    el("div", { cls: "actions" }, ...buttons),
  );
  V.card.querySelector(".rvquote blockquote").style.borderLeftColor = colourOf(q.concept);
}

async function decide(decision) {
  const q = V.queue[0];
  if (!q || V.busy) return;
  V.busy = true;
  V.acts++;
  try {
    await api("/api/review", { method: "POST", body: { document: q.document, start: q.start, end: q.end, concept: q.concept, decision } });
    state.done.push({ q, decision });
    state.counts[decision]++;
    toast(t(strings, { accept: "accepted", feature: "featured", reject: "rejected" }[decision], { label: q.label || q.concept }));
    V.queue.shift();
    V.total--;
    if (V.queue.length < 5) await load();
  } catch (e) {
    toast(t(strings, "notstored", { message: e.message }), { error: true });
  } finally {
    V.busy = false;
  }
  draw();
}

function skip() {
  const q = V.queue.shift();
  if (!q) return;
  V.acts++;
  state.skipped.add(keyOf(q));
  state.done.push({ q, decision: "skip" });
  state.counts.skip++;
  draw();
}

async function undo() {
  const last = state.done.pop();
  if (!last) {
    toast(t(strings, "nothing"));
    return;
  }
  const { q, decision } = last;
  V.acts++;
  if (decision === "skip") state.skipped.delete(keyOf(q));
  else
    try {
      await api("/api/review", { method: "POST", body: { document: q.document, start: q.start, end: q.end, concept: q.concept, decision: "undo" } });
      V.total++;
    } catch (e) {
      state.done.push(last);
      toast(t(strings, "notstored", { message: e.message }), { error: true });
      return;
    }
  state.counts[decision]--;
  V.queue = [q, ...V.queue.filter((x) => keyOf(x) !== keyOf(q))];
  toast(t(strings, "undone", { label: q.label || q.concept }));
  draw();
}

function help() {
  keyHelp(
    t(strings, "help"),
    [
      ["a", t(strings, "kA")],
      ["f", t(strings, "kF")],
      ["r", t(strings, "kR")],
      ["s", t(strings, "kS")],
      ["u Ctrl+Z", t(strings, "kU")],
      ["o", t(strings, "kO")],
      ["?", t(strings, "kHelp")],
    ],
    t(strings, "close"),
  );
}

function onKey(ev) {
  const act = {
    a: () => decide("accept"),
    f: () => decide("feature"),
    r: () => decide("reject"),
    s: skip,
    u: undo,
    o: () => V.queue[0] && (location.hash = V.card.querySelector("[data-act=open]").getAttribute("href")),
    "?": help,
  }[ev.key];
  if (act) {
    ev.preventDefault();
    act();
  }
}

async function concepts() {
  try {
    const cb = await api("/api/codebook");
    return cb.nodes.filter((n) => n.kind === "concept");
  } catch (e) {
    if (e.status === 409) return null;
    throw e;
  }
}

export async function show(root, _arg, params) {
  const list = await concepts();
  root.append(el("div", { cls: "viewhead" }, el("h1", { text: t(strings, "title") })));
  if (!list) {
    root.append(el("p", { text: t(strings, "norun"), cls: "empty" }));
    return;
  }
  V = { concept: params.get("concept") || "", queue: [], total: 0, acts: 0 };
  const select = el(
    "select",
    {
      attrs: { "aria-label": t(strings, "concept"), "data-filter": "concept" },
      on: { change: (e) => (location.hash = "#/review" + query({ concept: e.target.value })) },
    },
    el("option", { text: t(strings, "all"), attrs: { value: "" } }),
    ...list.map((c) => el("option", { text: c.label + " (" + c.quotes + ")", attrs: { value: c.id, selected: c.id === V.concept } })),
  );
  V.counts = el("div", { cls: "rvcounts" });
  V.card = el("section", { cls: "rvcard", attrs: { "aria-live": "polite" } });
  root.firstChild.append(
    el("label", { cls: "field" }, el("span", { text: t(strings, "concept") }), select),
    el("span", { cls: "spacer" }),
    el("button", { text: "?", cls: "btn small ghost helpbtn", attrs: { type: "button", title: t(strings, "help"), "aria-label": t(strings, "help") }, on: { click: help } }),
  );
  V.next = el("aside", { cls: "rvnext" });
  root.append(V.counts, el("div", { cls: "rvlayout" }, V.card, V.next));
  await load();
  draw();
  viewKeys(V.card, onKey, undo);
}

// The project changed (the CLI decided some, or ran again): the queue asked again.
export async function changed() {
  if (!V || !V.card.isConnected) return;
  await load();
  draw();
}
