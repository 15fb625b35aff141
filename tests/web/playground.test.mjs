// The pattern playground: a concept's page shows its patterns' hits as
// `kodbok codebook try` finds them; typing other patterns counts again (and
// scores against a picked coder as try --coder does); a bad pattern is
// marked where PCRE2 stopped; saving edits the codebook file minimally and
// codes the project again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SRC, start } from "./harness.mjs";
import { count, open } from "./views.mjs";

const CONCEPT = "helheten-viktig";

test("typing patterns counts hits, a bad one is marked, saving edits the YAML", async () => {
  let yaml = null;
  const k = await start({
    coded: false,
    setup: (kodbok, dir) => {
      yaml = join(dir, "kodbok.yaml");
      copyFileSync(join(SRC, "codebooks", "vardsamverkan.yaml"), yaml);
      kodbok("code", "-q", yaml);
    },
  });
  try {
    const { page, base } = k;
    const before = readFileSync(yaml, "utf8");
    const tried = (patterns, ...more) =>
      JSON.parse(k.kodbok("codebook", "try", CONCEPT, ...patterns.flatMap((p) => ["--pattern", p]), ...more, "--format", "json", "--sample", "30"));
    const hits = () => page.textContent(".play-result .stat.hits .stat-n").then(count);

    // The saved patterns' hits.
    await open(page, base, "#/codebook/" + CONCEPT, ".play-result .stat.hits");
    const saved = await page.inputValue("textarea.pattern-editor");
    const first = tried(saved.split("\n"));
    await page.waitForFunction((n) => document.querySelector(".play-result .stat.hits .stat-n")?.textContent === String(n), first.hits);
    await k.shot("web-concept");

    // Other patterns, typed: hits and sample as try gives them.
    const mine = ["\\bröd(?:a)? tråd\\w*", "\\bnivå\\w*"];
    const want = tried(mine);
    assert.notEqual(want.hits, first.hits);
    await page.fill("textarea.pattern-editor", mine.join("\n"));
    await page.waitForFunction((n) => document.querySelector(".play-result .stat.hits .stat-n")?.textContent.replace(/\D/g, "") === String(n), want.hits);
    const links = await page.$$eval("ol.sample li a.doc-link", (as) => as.map((a) => a.getAttribute("href")));
    assert.deepEqual(links, want.sample.map((s) => "#/doc/" + s.document + "?at=" + s.start + "&end=" + s.end));

    // Scored against a coder picked in the page.
    const s = want.sample[0];
    k.as("bo", "tag", s.document, CONCEPT, "--span", s.start + ":" + s.end);
    await page.reload();
    await page.waitForSelector(".play-result .stat.hits");
    assert.equal(await page.inputValue("textarea.pattern-editor"), mine.join("\n"), "the unsaved patterns are kept");
    await page.waitForFunction(() => [...document.querySelectorAll(".panel-head select option")].some((o) => o.value === "bo"));
    await page.selectOption(".panel-head select", "bo");
    const scored = tried(mine, "--coder", "bo");
    const fig = (v) => v.toFixed(2).replace(".", ",");
    await page.waitForFunction((p) => document.querySelector(".play-result .stat.p .stat-n")?.textContent === p, fig(scored.precision));
    assert.equal(await page.textContent(".play-result .stat.r .stat-n"), fig(scored.recall));
    assert.equal(await page.textContent(".play-result .stat.f .stat-n"), fig(scored.f1));
    await page.waitForSelector("#toast .toast", { state: "detached" });
    await page.evaluate(() => document.querySelector(".playground").scrollIntoView());
    await k.shot("web-playground");

    // A bad pattern: the message, and the place in it marked.
    // PCRE2 stops at the "}": its byte offset is one more than its
    // index in the string, for the "å" before it.
    const bad = "\\bnivå{2,1}er";
    await page.fill("textarea.pattern-editor", mine[0] + "\n" + bad);
    await page.waitForSelector(".pattern-error:not([hidden]) mark.err-at");
    assert.match(await page.textContent(".pattern-error"), /pattern 2: .*numbers out of order/);
    assert.equal(await page.textContent(".pattern-error .err-line span:nth-child(2)"), "\\bnivå{2,1");
    assert.equal(await page.textContent(".pattern-error mark.err-at"), "}");
    assert.equal(await page.isDisabled("text=Spara i kodboken"), true);
    // The browser logs the refused request (400) as a console error.
    const refused = k.errors.filter((e) => /status of 400/.test(e));
    assert.ok(refused.length >= 1);
    k.errors.splice(0, k.errors.length, ...k.errors.filter((e) => !refused.includes(e)));

    // Saved: one line of the file changes, and the project is coded again.
    await page.fill("textarea.pattern-editor", mine.join("\n"));
    await page.waitForFunction(() => !document.querySelector("textarea.pattern-editor").classList.contains("bad"));
    const autoQuotes = () =>
      JSON.parse(k.kodbok("quotes", "--concept", CONCEPT, "--format", "json"))
        .filter((q) => q.source === "auto")
        .map((q) => q.document + ":" + q.start + ":" + q.end);
    const old = new Set(autoQuotes());
    await page.click("text=Spara i kodboken");
    await page.waitForSelector(".outcome:not([hidden]):has-text('Sparat')");
    const now = new Set(autoQuotes());
    const added = [...now].filter((q) => !old.has(q)).length;
    const removed = [...old].filter((q) => !now.has(q)).length;
    assert.ok(added > 0);
    assert.match(await page.textContent(".outcome"), new RegExp(`körning 2, ${added} nya och ${removed} borttagna citat`));
    const after = readFileSync(yaml, "utf8");
    const a = before.split("\n");
    const b = after.split("\n");
    assert.equal(b.length, a.length);
    const changed = a.map((l, i) => [l, b[i]]).filter(([x, y]) => x !== y);
    assert.equal(changed.length, 1);
    assert.match(changed[0][0], /patterns:/);
    assert.match(changed[0][1], /nivå\\w\*/);
    assert.equal(now.size, want.hits);
    await page.waitForFunction((p) => document.querySelector("textarea.pattern-editor")?.value === p, mine.join("\n"));
    assert.equal(await page.isDisabled("text=Spara i kodboken"), true);
  } finally {
    await k.close();
  }
});
