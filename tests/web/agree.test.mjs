// Agreement: two coders' manual codings in the page as `kodbok agree`
// figures them (by sentence, and by paragraph picked in the page), and a
// disagreement (who marked what) opens the reader at that unit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { routed, start } from "./harness.mjs";
import { atReader, count, open } from "./views.mjs";

// The page's table of figures against `kodbok agree --format json`.
async function sameFigures(page, want) {
  for (const c of want.codes) {
    const cells = await page.$$eval(`tr[data-code="${c.code}"] td`, (tds) => tds.map((td) => td.textContent));
    assert.equal(count(cells[1]), c.present, c.code + " present");
    assert.equal(count(cells[2]), c.units, c.code + " units");
    const figures = [c.agreement, c.kappa, c.alpha, c.positive].map((v) => (v === null ? "–" : v.toFixed(3).replace(".", ",")));
    assert.deepEqual(cells.slice(3, 7), figures, c.code + " figures");
  }
  const o = want.overall;
  const cells = await page.$$eval("tfoot tr.totals td", (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(cells.slice(2, 6), [o.agreement, o.kappa, o.alpha, o.positive].map((v) => (v === null ? "–" : v.toFixed(3).replace(".", ","))), "overall");
}

// Whether kappa and alpha differ where the page shows them.
const parted = (r) => [r.overall, ...r.codes].some((c) => c.kappa !== null && c.kappa.toFixed(3) !== c.alpha.toFixed(3));

test("two coders' agreement and disagreements, one opening the reader", async () => {
  const k = await start();
  try {
    const { page, base } = k;
    // Sentences of one interview coded with one concept: both coders mark
    // the first two, anna alone the third, bo alone the fourth; another
    // concept both on the fifth.
    const quotes = JSON.parse(k.kodbok("quotes", "--doc", "ip05", "--format", "json"));
    const spans = [];
    for (const q of quotes) if (!spans.some((s) => s.start === q.start)) spans.push(q);
    assert.ok(spans.length >= 5, "ip05 has five quotes");
    const concept = spans[0].concept;
    const other = quotes.find((q) => q.concept !== concept).concept;
    const tag = (who, q, code = concept) => k.as(who, "tag", "ip05", code, "--span", q.start + ":" + q.end);
    for (const i of [0, 1, 2]) tag("anna", spans[i]);
    for (const i of [0, 1, 3]) tag("bo", spans[i]);
    tag("anna", spans[4], other);
    tag("bo", spans[4], other);
    const want = JSON.parse(k.kodbok("agree", "--coders", "anna,bo", "--format", "json"));
    assert.ok(want.disagreements.length >= 2);

    await open(page, base, "#/agree?coders=anna,bo", "tr[data-code]");
    assert.equal(await page.inputValue('select[data-coder="a"]'), "anna");
    assert.equal(await page.inputValue('select[data-coder="b"]'), "bo");
    await sameFigures(page, want);

    // By paragraph, picked in the page: there kappa and alpha part at the
    // third decimal, so a column mixed up shows.
    await page.selectOption('select[aria-label="Enhet"]', "paragraph");
    await routed(page, "unit=paragraph");
    const byParagraph = JSON.parse(k.kodbok("agree", "--coders", "anna,bo", "--unit", "paragraph", "--format", "json"));
    assert.ok(parted(byParagraph), "the figures tell kappa from alpha");
    await sameFigures(page, byParagraph);

    await open(page, base, "#/agree?coders=anna,bo", "tr[data-code]");
    const items = page.locator("ol.disagreements li.quote");
    assert.equal(await items.count(), want.disagreements.length);
    const first = want.disagreements[0];
    const who = Array.isArray(first.marked_by) ? first.marked_by : [first.marked_by];
    const meta = await items.first().locator(".quote-meta").textContent();
    for (const c of who) assert.match(meta, new RegExp("markerat av " + c));
    assert.equal(await items.first().locator("a.quote-text").textContent(), first.text);

    // A code picked in the table shows only its disagreements.
    const code = want.disagreements[want.disagreements.length - 1].code;
    await page.click(`tr[data-code="${code}"]`);
    assert.equal(await items.count(), want.disagreements.filter((d) => d.code === code).length);
    await page.click(`tr[data-code="${code}"]`);
    assert.equal(await items.count(), want.disagreements.length);
    await k.shot("web-agree");

    await items.first().locator("a.quote-text").click();
    await atReader(page, first.document, first.start, first.end);

    // The same coder twice is refused in the page, nothing asked.
    await open(page, base, "#/agree?coders=anna,bo", "tr[data-code]");
    await page.selectOption('select[data-coder="b"]', "anna");
    await page.waitForSelector("#view p.error");
  } finally {
    await k.close();
  }
});
