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
