// The agreement view (#/agree?coders=A,B&unit=&kind=): two coders' manual
// codings compared as `kodbok agree` compares them, per code (kappa,
// alpha, observed and positive agreement) and overall, and the units they
// disagree on (who marked what), each a link to that place in the reader.
import { api, el, t } from "./lib.js";
import { coders, num, readerHref, select } from "./parts.js";

export const strings = {
  sv: {
    title: "Samstämmighet",
    coderA: "Kodare A",
    coderB: "Kodare B",
    unit: "Enhet",
    kind: "Per",
    u_sentence: "mening",
    u_turn: "tur",
    u_paragraph: "stycke",
    k_concept: "begrepp",
    k_theme: "tema",
    need2: "Samstämmighet kräver två kodare med manuella kodningar (kodbok tag, review).",
    overall: "Totalt",
    code: "Kod",
    present: "Markerade",
    units: "Enheter",
    observed: "Observerad",
    kappa: "Cohens κ",
    alpha: "Krippendorffs α",
    kappaShort: "κ",
    alphaShort: "α",
    positive: "Positiv",
    disagreements: "Oenigheter",
    disN: "{n} enheter där kodarna skiljer sig",
    noDis: "Kodarna är helt eniga.",
    markedBy: "markerat av {who}",
    notBy: "inte av {who}",
    showing: "Visar {code}",
    showAll: "Visa alla",
    openAt: "Öppna i läsaren",
    hint: "Klicka på en kod för att bara se dess oenigheter.",
    same: "Välj två olika kodare.",
  },
  en: {
    title: "Agreement",
    coderA: "Coder A",
    coderB: "Coder B",
    unit: "Unit",
    kind: "By",
    u_sentence: "sentence",
    u_turn: "turn",
    u_paragraph: "paragraph",
    k_concept: "concept",
    k_theme: "theme",
    need2: "Agreement needs two coders with manual codings (kodbok tag, review).",
    overall: "Overall",
    code: "Code",
    present: "Marked",
    units: "Units",
    observed: "Observed",
    kappa: "Cohen's κ",
    alpha: "Krippendorff's α",
    kappaShort: "κ",
    alphaShort: "α",
    positive: "Positive",
    disagreements: "Disagreements",
    disN: "{n} units where the coders differ",
    noDis: "The coders agree fully.",
    markedBy: "marked by {who}",
    notBy: "not by {who}",
    showing: "Showing {code}",
    showAll: "Show all",
    openAt: "Open in the reader",
    hint: "Click a code to see only its disagreements.",
    same: "Pick two different coders.",
  },
};

function go(p) {
  const q = new URLSearchParams();
  if (p.coders) q.set("coders", p.coders);
  if (p.unit) q.set("unit", p.unit);
  if (p.kind) q.set("kind", p.kind);
  location.hash = "#/agree" + (q.toString() ? "?" + q : "");
}

// A figure's cell, shaded from red (none or less) to green (full).
function figure(v) {
  const td = el("td", { cls: "num fig", text: num(v, 3) });
  if (v !== null && v !== undefined) td.dataset.band = v >= 0.8 ? "good" : v >= 0.6 ? "fair" : v >= 0.4 ? "weak" : "poor";
  return td;
}

export async function show(root, _arg, params) {
  const p = { coders: params.get("coders") || "", unit: params.get("unit") || "", kind: params.get("kind") || "" };
  root.append(el("div", { cls: "view-head" }, el("h1", { text: t(strings, "title") })));
  const known = await coders();
  const q = new URLSearchParams();
  if (p.coders) q.set("coders", p.coders);
  if (p.unit) q.set("unit", p.unit);
  if (p.kind) q.set("kind", p.kind);
  let r = null;
  let problem = null;
  const asked = p.coders.split(",");
  if (asked.length === 2 && asked[0] === asked[1]) problem = { status: 400, message: t(strings, "same") };
  else
    try {
      r = await api("/api/agree" + (q.toString() ? "?" + q : ""));
    } catch (e) {
      problem = e;
    }
  const [a, b] = r ? r.coders : p.coders ? p.coders.split(",") : [known[0] || "", known[1] || ""];
  const options = known.map((c) => [c, c]);
  const pickA = select(options, a, (v) => go({ ...p, coders: v + "," + b }), { "aria-label": t(strings, "coderA"), "data-coder": "a" });
  const pickB = select(options, b, (v) => go({ ...p, coders: a + "," + v }), { "aria-label": t(strings, "coderB"), "data-coder": "b" });
  const unit = r ? r.unit : p.unit || "sentence";
  const kind = r ? r.kind : p.kind || "concept";
  root.append(
    el(
      "div",
      { cls: "toolbar" },
      el("label", { cls: "picker" }, el("span", { cls: "coder-dot a", text: t(strings, "coderA") }), pickA),
      el("span", { cls: "muted", text: "↔" }),
      el("label", { cls: "picker" }, el("span", { cls: "coder-dot b", text: t(strings, "coderB") }), pickB),
      el("label", { cls: "picker" }, el("span", { text: t(strings, "unit") }), select(["sentence", "turn", "paragraph"].map((u) => [u, t(strings, "u_" + u)]), unit, (v) => go({ ...p, unit: v }), { "aria-label": t(strings, "unit") })),
      el("label", { cls: "picker" }, el("span", { text: t(strings, "kind") }), select(["concept", "theme"].map((k) => [k, t(strings, "k_" + k)]), kind, (v) => go({ ...p, kind: v }), { "aria-label": t(strings, "kind") })),
    ),
  );
  if (!r) {
    const msg = problem.status === 409 ? t(strings, "need2") : problem.message;
    root.append(el("p", { cls: problem.status === 409 ? "empty" : "error", text: msg }));
    return;
  }

  const o = r.overall || {};
  const card = (label, value, digits = 3) => el("div", { cls: "stat" }, el("span", { cls: "stat-n", text: num(value, digits) }), el("span", { cls: "stat-l", text: label }));
  root.append(
    el(
      "section",
      { cls: "panel" },
      el("div", { cls: "stats" }, card(t(strings, "kappa"), o.kappa), card(t(strings, "alpha"), o.alpha), card(t(strings, "observed"), o.agreement), card(t(strings, "positive"), o.positive), card(t(strings, "units"), o.units, 0), card(t(strings, "disagreements"), r.disagreements.length, 0)),
    ),
  );

  let only = null;
  const disTitle = el("h2", { text: t(strings, "disagreements") });
  const disNote = el("span", { cls: "muted" });
  const showAll = el("button", { cls: "link", text: t(strings, "showAll"), attrs: { type: "button", hidden: true } });
  const disList = el("ol", { cls: "quotes disagreements" });
  const rows = new Map();
  const names = (m) => (Array.isArray(m) ? m : String(m || "").split(",")).filter(Boolean);

  function drawDis() {
    const shown = only ? r.disagreements.filter((d) => d.code === only) : r.disagreements;
    disNote.textContent = only ? t(strings, "showing", { code: (r.codes.find((c) => c.code === only) || {}).label || only }) : t(strings, "disN", { n: num(r.disagreements.length) });
    showAll.hidden = !only;
    for (const [code, tr] of rows) tr.classList.toggle("active", code === only);
    disList.replaceChildren(
      ...(shown.length
        ? shown.map((d) => {
            const by = names(d.marked_by);
            const not = r.coders.filter((c) => !by.includes(c));
            const href = readerHref(d.document, d.start, d.end);
            return el(
              "li",
              { cls: "quote" },
              el(
                "div",
                { cls: "quote-meta" },
                el("a", { cls: "doc-link", text: d.document, attrs: { href, title: t(strings, "openAt") } }),
                el("span", { cls: "chip", text: d.label || d.code }),
                ...by.map((c) => el("span", { cls: "chip coder " + (c === r.coders[0] ? "a" : "b"), text: t(strings, "markedBy", { who: c }) })),
                ...not.map((c) => el("span", { cls: "muted", text: t(strings, "notBy", { who: c }) })),
              ),
              el("a", { cls: "quote-text", text: d.text, attrs: { href } }),
            );
          })
        : [el("li", { cls: "empty", text: t(strings, "noDis") })]),
    );
  }
  showAll.addEventListener("click", () => {
    only = null;
    drawDis();
  });

  const head = el("tr", {}, ...["code", "present", "units", "observed", "kappaShort", "alphaShort", "positive"].map((k, i) => el("th", { cls: i ? "num" : "", text: t(strings, k), attrs: { title: t(strings, k.replace("Short", "")) } })), el("th", { cls: "num", text: t(strings, "disagreements") }));
  const counts = new Map();
  for (const d of r.disagreements) counts.set(d.code, (counts.get(d.code) || 0) + 1);
  const body = r.codes.map((c) => {
    const tr = el(
      "tr",
      { cls: "clickable", attrs: { tabindex: 0, "data-code": c.code } },
      el("td", {}, el("span", { text: c.label || c.code }), el("span", { cls: "mono muted id", text: c.code })),
      el("td", { cls: "num", text: num(c.present) }),
      el("td", { cls: "num", text: num(c.units) }),
      figure(c.agreement),
      figure(c.kappa),
      figure(c.alpha),
      figure(c.positive),
      el("td", { cls: "num", text: num(counts.get(c.code) || 0) }),
    );
    const pick = () => {
      only = only === c.code ? null : c.code;
      drawDis();
    };
    tr.addEventListener("click", pick);
    tr.addEventListener("keydown", (e) => {
      if (e.key === "Enter") pick();
    });
    rows.set(c.code, tr);
    return tr;
  });
  const foot = el("tr", { cls: "totals" }, el("th", { text: t(strings, "overall") }), el("td", { cls: "num", text: num(o.present) }), el("td", { cls: "num", text: num(o.units) }), figure(o.agreement), figure(o.kappa), figure(o.alpha), figure(o.positive), el("td", { cls: "num", text: num(r.disagreements.length) }));
  root.append(
    el(
      "div",
      { cls: "agree-layout" },
      el("section", { cls: "panel flush scroll" }, el("table", { cls: "grid" }, el("thead", {}, head), el("tbody", {}, ...body), el("tfoot", {}, foot)), el("p", { cls: "muted small pad", text: t(strings, "hint") })),
      el("section", { cls: "panel" }, el("div", { cls: "panel-head" }, el("div", {}, disTitle, disNote), el("span", { cls: "spacer" }), showAll), disList),
    ),
  );
  drawDis();
}
