// The matrix: its counts are `kodbok matrix`'s for the default axes and for
// others picked in the page; a cell opens its quotes, and a quote opens the
// reader at its place.
import { test } from "node:test";
import assert from "node:assert/strict";
import { routed, start } from "./harness.mjs";
import { atReader, count, open, passageInView } from "./views.mjs";

// The page's matrix against `kodbok matrix ARGS --format json`.
async function sameAsCli(k, args) {
  const want = JSON.parse(k.kodbok("matrix", ...args, "--format", "json"));
  const got = await k.page.$$eval("table.matrix td.cell", (tds) => tds.map((td) => [td.dataset.row, td.dataset.col, td.textContent]));
  assert.equal(got.length, want.cells.length, "cells");
  const cells = new Map(want.cells.map((c) => [c.row + "|" + c.col, c.count]));
  for (const [row, col, text] of got) assert.equal(count(text), cells.get(row + "|" + col), `cell ${row} × ${col}`);
  for (const r of want.row_totals)
    assert.equal(count(await k.page.textContent(`td[data-total-row="${r.row}"]`)), r.count, "row total " + r.row);
  for (const c of want.col_totals)
    assert.equal(count(await k.page.textContent(`td[data-total-col="${c.col}"]`)), c.count, "column total " + c.col);
  assert.equal(count(await k.page.textContent("td.grand")), want.total, "grand total");
  return want;
}

let passage = null;

test("the matrix counts as kodbok matrix; a cell's quote opens the reader", async () => {
  const k = await start();
  try {
    const { page, base } = k;
    await open(page, base, "#/matrix", "table.matrix td.cell");
    const m = await sameAsCli(k, []);
    assert.equal(m.rows, "theme");
    assert.equal(m.cols, "level");

    // Other axes and counts, picked in the page.
    await page.selectOption('select[data-axis="rows"]', "concept");
    await page.waitForSelector('th.row-head[data-row="helheten-viktig"]');
    await page.selectOption('select[data-axis="cols"]', "document");
    await page.waitForSelector('th.col-head[data-col="ip01"]');
    await page.selectOption('select[aria-label="Räkna"]', "cases");
    await routed(page, "count=cases");
    await sameAsCli(k, ["--rows", "concept", "--cols", "document", "--count", "cases"]);
    await page.selectOption('select[data-axis="cols"]', "attr");
    await page.fill(`input[data-attr="cols"]`, "gender");
    await page.press(`input[data-attr="cols"]`, "Enter");
    await page.waitForSelector('th.col-head[data-col="kvinna"]');
    await sameAsCli(k, ["--rows", "concept", "--cols", "attr:gender", "--count", "cases"]);

    // A cell's quotes, as `matrix --quotes` lists them.
    await open(page, base, "#/matrix?rows=theme&cols=level", 'td.cell[data-row="struktur"][data-col="lokal"]');
    const cell = page.locator('td.cell[data-row="struktur"][data-col="lokal"]');
    const n = count(await cell.textContent());
    await cell.click();
    await page.waitForSelector(".side-panel li.quote");
    const shown = await page.$$eval(".side-panel a.quote-text", (as) => as.map((a) => [a.getAttribute("href"), a.textContent]));
    assert.equal(shown.length, n);
    const want = JSON.parse(k.kodbok("matrix", "--quotes", "--format", "json")).cells.find((c) => c.row === "struktur" && c.col === "lokal");
    assert.deepEqual(
      shown.map(([href]) => href),
      want.quotes.map((q) => "#/doc/" + q.document + "?at=" + q.start + "&end=" + q.end),
    );
    await k.shot("web-matrix");

    // The last quote of the cell (far into its document) opens the reader.
    const last = want.quotes[want.quotes.length - 1];
    await page.locator(".side-panel a.quote-text").last().click();
    await atReader(page, last.document, last.start, last.end);
    await page.waitForFunction((t) => document.getElementById("view").textContent.includes(t), last.text.slice(0, 40));
    assert.deepEqual(k.errors, [], "the page reported errors");
    passage = { k, text: last.text.slice(0, 40) };
  } finally {
    if (!passage) await k.close();
  }
});

// The reader scrolls to the passage ?at= names.
test("the quote's passage is in view in the reader", async () => {
  assert.ok(passage, "the matrix test reached the reader");
  try {
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(await passageInView(passage.k.page, passage.text), "in view");
  } finally {
    await passage.k.close();
  }
});
