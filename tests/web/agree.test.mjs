// Agreement: two coders' manual codings in the page as `kodbok agree`
// figures them, and a disagreement (who marked what) opens the reader at
// that unit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { start } from "./harness.mjs";
import { atReader, count, open } from "./views.mjs";

test("two coders' agreement and disagreements, one opening the reader", async () => {
  const k = await start();
  try {
    const { page, base } = k;
    // Three automatic quotes of one interview: both coders code the first,
    // anna alone the second, bo alone the third.
    const quotes = JSON.parse(k.kodbok("quotes", "--doc", "ip05", "--format", "json"));
    const spans = [];
    for (const q of quotes) if (!spans.some((s) => s.start === q.start)) spans.push(q);
    assert.ok(spans.length >= 3, "ip05 has three quotes");
    const [both, anna, bo] = spans;
    const tag = (who, q) => k.as(who, "tag", "ip05", q.concept, "--span", q.start + ":" + q.end);
    tag("anna", both);
    tag("bo", both);
    tag("anna", anna);
    tag("bo", bo);
    const want = JSON.parse(k.kodbok("agree", "--coders", "anna,bo", "--format", "json"));
    assert.ok(want.disagreements.length >= 2);

    await open(page, base, "#/agree?coders=anna,bo", "tr[data-code]");
    assert.equal(await page.inputValue('select[data-coder="a"]'), "anna");
    assert.equal(await page.inputValue('select[data-coder="b"]'), "bo");
    for (const c of want.codes) {
      const cells = await page.$$eval(`tr[data-code="${c.code}"] td`, (tds) => tds.map((td) => td.textContent));
      assert.equal(count(cells[1]), c.present, c.code + " present");
      assert.equal(count(cells[2]), c.units, c.code + " units");
      const figures = [c.agreement, c.kappa, c.alpha, c.positive].map((v) => (v === null ? "–" : v.toFixed(3).replace(".", ",")));
      assert.deepEqual(cells.slice(3, 7), figures, c.code + " figures");
    }
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

    // The coders are picked in the page: the same coder twice is refused.
    await open(page, base, "#/agree?coders=anna,bo", "tr[data-code]");
    await page.selectOption('select[data-coder="b"]', "anna");
    await page.waitForSelector("#view p.error");
  } finally {
    await k.close();
  }
});
