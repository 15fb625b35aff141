// The documents view: per coder, their own codings, accepted, rejected and
// left to review as `kodbok tags` and `kodbok review` count them; the
// English switch and back; the reader's filters.
import { test } from "node:test";
import assert from "node:assert/strict";
import { start } from "./harness.mjs";

test("documents with progress per coder; English; the reader's filters", async () => {
  const k = await start();
  try {
    const { page } = k;
    k.as("bo", "tag", "ip02", "helheten-viktig", "--quote", "kommunstyrelseordförande i en mellanstor kommun");
    const api = await page.evaluate(() => fetch("/api/review?limit=1&doc=ip02").then((r) => r.json()));
    await page.reload();
    await page.waitForSelector('tr[data-doc="ip02"] .prow[data-coder="bo"]');
    const bo = await page.locator('tr[data-doc="ip02"] .prow[data-coder="bo"]').innerText();
    assert.match(bo, /1 egna/);
    assert.match(bo, /0 ✓/);
    const anna = await page.locator('tr[data-doc="ip02"] .prow[data-coder="anna"]').innerText();
    assert.match(anna, new RegExp(api.total + " kvar"));
    const cases = JSON.parse(k.kodbok("cases", "--format", "json")).cases;
    const ip02 = cases.find((c) => c.case === "ip02");
    const chips = await page.locator('tr[data-doc="ip02"] .chip').allInnerTexts();
    assert.deepEqual(chips, Object.entries(ip02.attributes).map(([a, v]) => a + ": " + v));
    assert.ok(chips.length > 2);
    const docs = JSON.parse(k.kodbok("docs", "--format", "json")).documents;
    assert.equal(await page.locator("table.docs tbody tr").count(), docs.length);
    // anna decides a few of ip01's quotes (the bars fill).
    await page.evaluate(async () => {
      const { csrf } = await fetch("/api/session").then((r) => r.json());
      const { quotes } = await fetch("/api/review?doc=ip01&limit=12").then((r) => r.json());
      for (const [i, q] of quotes.entries())
        await fetch("/api/review", {
          method: "POST",
          headers: { "X-CSRF-Token": csrf, "Content-Type": "application/json" },
          body: JSON.stringify({ document: q.document, start: q.start, end: q.end, concept: q.concept, decision: i % 4 ? "accept" : "reject" }),
        });
    });
    await page.reload();
    await page.waitForSelector('tr[data-doc="ip01"] .prow[data-coder="anna"] .pbar-accepted');
    assert.match(await page.locator('tr[data-doc="ip01"] .prow[data-coder="anna"]').innerText(), /9 ✓\s+3 ✗/);
    await k.shot("web-documents");

    // English, and back to Swedish.
    await page.click("#lang");
    await page.waitForSelector("text=Coding per coder");
    assert.match(await page.locator('tr[data-doc="ip02"] .prow[data-coder="bo"]').innerText(), /1 own/);
    assert.equal(await page.locator("#nav").innerText(), "Documents\nReview\nCodebook\nMatrix\nAgreement\nMemos");
    await page.click("#lang");
    await page.waitForSelector("text=Kodning per kodare");
    assert.equal(await page.locator("#nav").innerText(), "Dokument\nGranska\nKodbok\nMatris\nSamstämmighet\nMemon");

    // The reader's filters: bo's coding only, then the concept.
    await page.click('a[href="#/doc/ip02"]');
    await page.waitForSelector(".stripes .sbar");
    const all = await page.locator(".sbar").count();
    await page.selectOption("select[data-filter=coder]", "bo");
    await page.waitForFunction(() => document.querySelectorAll(".sbar").length === 1);
    assert.equal(await page.locator(".sbar.src-manual").count(), 1);
    await page.selectOption("select[data-filter=coder]", "");
    await page.selectOption("select[data-filter=concept]", "helheten-viktig");
    await page.waitForFunction(() => [...document.querySelectorAll(".sbar")].every((b) => b.closest(".scol").dataset.code === "helheten-viktig"));
    await page.uncheck("input[value=rules]");
    await page.waitForFunction(() => document.querySelectorAll(".sbar").length === 1);
    await page.check("input[value=rules]");
    await page.selectOption("select[data-filter=concept]", "");
    await page.waitForFunction((n) => document.querySelectorAll(".sbar").length === n, all);
  } finally {
    await k.close();
  }
});
