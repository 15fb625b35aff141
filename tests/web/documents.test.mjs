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
    assert.match(bo, /0 godtagna/);
    const anna = await page.locator('tr[data-doc="ip02"] .prow[data-coder="anna"]').innerText();
    assert.match(anna, new RegExp(api.total + " kvar att granska"));
    const docs = JSON.parse(k.kodbok("docs", "--format", "json")).documents;
    assert.equal(await page.locator("table.docs tbody tr").count(), docs.length);
    await k.shot("web-documents");

    // English, and back to Swedish.
    await page.click("#lang");
    await page.waitForSelector("text=Coding per coder");
    assert.match(await page.locator('tr[data-doc="ip02"] .prow[data-coder="bo"]').innerText(), /1 own/);
    assert.equal(await page.locator("#nav").innerText(), "Documents\nReview");
    await page.click("#lang");
    await page.waitForSelector("text=Kodning per kodare");

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
