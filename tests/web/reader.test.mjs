// The reader: a document opens from the list with its turns; a transcript
// holding markup shows it as text and runs none of it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { start, transcript } from "./harness.mjs";

test("a document opens from the list, its turns as text", async () => {
  const k = await start({
    setup: (kodbok, dir) => {
      const evil = transcript(
        dir,
        "ip99.txt",
        "Intervjuare: Vad tänker du om <script>window.pwned=1</script> samverkan?\n\n" +
          'Respondent: Det är svårt <img src=x onerror="window.pwned=2"> att säga, men strukturen finns.\n',
      );
      kodbok("import", "-q", "--name", "ip99", evil);
    },
  });
  try {
    const { page } = k;
    await page.click("text=ip99");
    await page.waitForSelector(".turn");
    const text = await page.locator("#view").innerText();
    assert.match(text, /<script>window\.pwned=1<\/script>/);
    assert.match(text, /<img src=x onerror="window\.pwned=2">/);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    assert.equal(await page.locator("#view script, #view img").count(), 0);
    await k.shot("reader-markup-as-text");
  } finally {
    await k.close();
  }
});

test("the reader writes memos on its document and its case", async () => {
  const k = await start();
  try {
    const { page } = k;
    await page.goto(k.base + "/#/doc/ip01");
    await page.waitForSelector(".turn");
    await page.click(".rmemos summary");
    const boxes = page.locator(".rmemos .memo-input");
    assert.equal(await boxes.count(), 2, "a box for the document and one for its case");
    await boxes.nth(0).fill("Tydlig om **mandat**, jämför ip02.");
    await page.locator(".rmemos .memo-write button").nth(0).click();
    await page.waitForSelector(".rmemos .memo-list >> text=jämför ip02");
    await boxes.nth(1).fill("Fallets roll: regional chef.");
    await page.locator(".rmemos .memo-write button").nth(1).click();
    await page.waitForSelector(".rmemos .memo-list >> text=regional chef");
    const doc = JSON.parse(k.kodbok("memo", "list", "--doc", "ip01", "--format", "json")).memos;
    assert.deepEqual(
      doc.map((m) => [m.author, m.text]),
      [["anna", "Tydlig om **mandat**, jämför ip02."]],
    );
    const kase = JSON.parse(k.kodbok("memo", "list", "--case", "ip01", "--format", "json")).memos;
    assert.deepEqual(
      kase.map((m) => [m.author, m.text]),
      [["anna", "Fallets roll: regional chef."]],
    );
    // A memo the CLI writes meanwhile shows without a reload, even within
    // the page's first poll.
    k.as("bo", "memo", "add", "--doc", "ip01", "--text", "Bo: se även fokusgruppen.");
    await page.waitForSelector(".rmemos .memo-list >> text=se även fokusgruppen", { timeout: 8000 });
    await k.shot("reader-memos");
  } finally {
    await k.close();
  }
});

test("the reader features an automatic quote for the slides", async () => {
  const k = await start();
  try {
    const { page } = k;
    await page.goto(k.base + "/#/doc/ip01");
    await page.waitForSelector(".stripes .sbar.src-rules");
    const bar = page.locator(".stripes .sbar.src-rules").first();
    const [s, e] = [await bar.getAttribute("data-start"), await bar.getAttribute("data-end")];
    await bar.click();
    await page.waitForSelector("#codes [data-act=feature]");
    await page.locator("#codes [data-act=feature]").first().click();
    await page.waitForSelector(".toast >> text=/Utvalt: /");
    // the quote at that place is featured by anna, as `kodbok feature --list` says
    const listed = JSON.parse(k.kodbok("feature", "--list", "--format", "json"));
    const rows = listed.featured;
    assert.equal(rows.length, 1);
    assert.equal(rows[0].document, "ip01");
    assert.match(String(rows[0].featured_by), /anna/);
    assert.ok(rows[0].start >= +s - 1000 && rows[0].end <= +e + 1000);
    // opened again (by the acceptance it now also is), the quote says so
    await page.locator(`.stripes .sbar.src-accepted[data-start="${s}"]`).first().click();
    await page.waitForSelector("#codes .featured");
    assert.match(await page.locator("#codes .featured").first().innerText(), /utvalt: anna/);
  } finally {
    await k.close();
  }
});
