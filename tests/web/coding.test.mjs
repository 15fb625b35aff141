// Coding in the reader: a passage selected with the mouse (snapped to whole
// words) coded through the concept picker, checked with `kodbok tags`;
// removed from its highlight; the removal undone; a memo set; a sentence
// coded by keyboard only; a tag the CLI adds while the page is open shown
// without a reload; every text in the page put there as text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { settled, start } from "./harness.mjs";

// anna's manual codings (tags, not review decisions) as `kodbok tags` lists them.
function tagsOf(k, coder = "anna") {
  return JSON.parse(k.kodbok("tags", "--format", "json")).tags.filter((g) => g.coder === coder && g.decision === "tag");
}

// The page's point (x, y) at code point `cp` of the document, from the drawn
// segments (data-s / data-e hold their code points).
function pointAt(page, cp) {
  return page.evaluate((cp) => {
    for (const s of document.querySelectorAll(".ttext [data-s]")) {
      const a = +s.dataset.s;
      if (cp >= a && cp < +s.dataset.e) {
        const node = s.firstChild;
        let i = 0;
        for (let n = 0; n < cp - a; n++) i += node.textContent.codePointAt(i) > 0xffff ? 2 : 1;
        const r = document.createRange();
        r.setStart(node, i);
        r.setEnd(node, i + 1);
        const b = r.getBoundingClientRect();
        // Whole pixels: a drag between fractional points may start no selection.
        return { x: Math.round(b.left + b.width / 2), y: Math.round(b.top + b.height / 2) };
      }
    }
    return null;
  }, cp);
}

// Where `phrase` is in the document: its code points [start, end).
async function find(page, doc, phrase) {
  const d = await page.evaluate((doc) => fetch("/api/documents/" + doc).then((r) => r.json()), doc);
  for (const turn of d.turns) {
    const i = turn.text.indexOf(phrase);
    if (i >= 0) {
      const start = turn.start + [...turn.text.slice(0, i)].length;
      return { start, end: start + [...phrase].length, turn };
    }
  }
  throw new Error("not in " + doc + ": " + phrase);
}

// A toast matching `re`, and the reader drawn again after what it tells.
async function waitToast(page, re) {
  await page.waitForFunction((src) => [...document.querySelectorAll(".toast")].some((e) => new RegExp(src).test(e.textContent)), re.source);
  await settled(page);
}

test("code by selecting, remove, undo, memo, keyboard, the change feed", async () => {
  const k = await start();
  try {
    const { page } = k;
    await page.click('a[href="#/doc/ip01"]');
    await page.waitForSelector(".stripes .sbar");

    // The mouse selects from inside "Uppdraget" to inside "brett": snapped to the words.
    const phrase = "Uppdraget är ganska brett";
    const want = await find(page, "ip01", phrase);
    await page.locator(`.turn[data-turn="${want.turn.index}"]`).scrollIntoViewIfNeeded();
    const from = await pointAt(page, want.start + 3);
    const to = await pointAt(page, want.end - 2);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 8 });
    await page.mouse.up();
    await page.waitForSelector(".dock:not([hidden])");
    assert.match(await page.locator(".dock").innerText(), new RegExp("Markerat: " + [...phrase].length + " tecken"));
    assert.match(await page.locator(".docksnip").innerText(), /^Uppdraget är ganska brett$/);

    // The picker: a few letters, the concept by arrow key and Enter.
    await page.click("#codeit");
    await page.keyboard.type("roll kedj");
    await page.waitForSelector('.pickitem.active[data-code="oklara-roller-kedja"]');
    await k.shot("web-picker");
    await page.keyboard.press("Enter");
    await waitToast(page, /Kodat som Oklara roller/);
    let tags = tagsOf(k);
    assert.equal(tags.length, 1);
    assert.deepEqual([tags[0].document, tags[0].code, tags[0].start, tags[0].end, tags[0].quote], ["ip01", "oklara-roller-kedja", want.start, want.end, phrase]);
    const first = tags[0].id;

    // Its highlight shows the coding; "Ta bort" removes it.
    await page.waitForSelector(`.coding[data-id="${first}"]`, { state: "detached" });
    const mid = await pointAt(page, want.start + 5);
    await page.mouse.click(mid.x, mid.y);
    await page.waitForSelector(`#codes .coding[data-id="${first}"]`);
    assert.match(await page.locator(`#codes .coding[data-id="${first}"]`).innerText(), /Oklara roller[\s\S]*anna[\s\S]*Manuella/);
    await page.click(`#codes .coding[data-id="${first}"] [data-act=remove]`);
    await waitToast(page, /Kodningen borttagen/);
    assert.deepEqual(tagsOf(k), []);

    // `u` undoes the removal: the same coding again.
    await page.keyboard.press("u");
    await waitToast(page, /Ångrat/);
    tags = tagsOf(k);
    assert.deepEqual(
      tags.map((g) => [g.code, g.start, g.end]),
      [["oklara-roller-kedja", want.start, want.end]],
    );

    // A memo on it, by the highlight's panel; Ctrl+Z takes it back.
    await page.mouse.click(mid.x, mid.y);
    await page.waitForSelector(`#codes .coding[data-id="${tags[0].id}"] textarea`);
    await page.fill(`#codes .coding[data-id="${tags[0].id}"] textarea`, "Tydligt exempel på otydligt uppdrag");
    await page.click(`#codes .coding[data-id="${tags[0].id}"] >> text=Spara memo`);
    await waitToast(page, /Memo sparat/);
    assert.equal(tagsOf(k)[0].memo, "Tydligt exempel på otydligt uppdrag");
    await page.keyboard.press("Control+z");
    await waitToast(page, /Ångrat: Memo/);
    assert.equal(tagsOf(k)[0].memo, "");

    // Undo again: the addition goes (the coding, now under its new id).
    await page.keyboard.press("u");
    await waitToast(page, /Ångrat: Oklara/);
    assert.deepEqual(tagsOf(k), []);

    // Keyboard only: k to the first turn, j to the second, s its first sentence, s again
    // the next one, Enter, a few letters, Enter.
    await page.keyboard.press("Escape");
    for (let i = 0; i < 4; i++) await page.keyboard.press("k");
    await page.keyboard.press("j");
    const d = await page.evaluate(() => fetch("/api/documents/ip01").then((r) => r.json()));
    const cb = await page.evaluate(() => fetch("/api/codebook").then((r) => r.json()));
    const turn = d.turns[1];
    const s0 = turn.text.indexOf("Jag är");
    const sentence = turn.text.slice(s0, turn.text.indexOf("år nu.") + 6);
    await page.keyboard.press("s");
    await page.waitForSelector(".dock:not([hidden])");
    assert.equal(await page.locator(".docksnip").innerText(), "Ja, absolut.");
    await page.keyboard.press("s");
    assert.equal(await page.locator(".docksnip").innerText(), sentence);
    await page.keyboard.press("Enter");
    await page.keyboard.type("harmon");
    await page.keyboard.press("Enter");
    await waitToast(page, /Kodat som Behov att harmoniera/);
    const harmon = cb.nodes.find((n) => n.label === "Behov att harmoniera").id;
    const at = turn.start + [...turn.text.slice(0, s0)].length;
    assert.deepEqual(
      tagsOf(k).map((g) => [g.code, g.start, g.end, g.quote]),
      [[harmon, at, at + [...sentence].length, sentence]],
    );

    // `t` takes the whole turn after the next (j j), coded by keyboard as well.
    await page.keyboard.press("Escape");
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await page.keyboard.press("t");
    await page.keyboard.press("Enter");
    await page.keyboard.type("helheten");
    await page.keyboard.press("Enter");
    await waitToast(page, /Kodat som Helheten viktig/);
    const whole = tagsOf(k).find((g) => g.code === "helheten-viktig");
    assert.equal(whole.start, d.turns[3].start);
    assert.equal(whole.quote, d.turns[3].text.trim().replace(/[^\p{L}\p{N}.!?…)”"]+$/u, ""));

    // A tag added by the CLI while the page is open appears without a reload.
    const far = d.turns[5];
    k.as("cecilia", "tag", "ip01", "vvg-roll-oklar", "--span", far.start + ":" + (far.start + 40));
    await page.waitForSelector('.legend.coders >> text=cecilia', { timeout: 8000 });
    await page.waitForSelector(`.sbar.lane-2[data-start="${far.start}"]`);

    // Stripes: a column per code, anna's and cecilia's lanes told apart.
    await page.locator('.turn[data-turn="4"]').evaluate((e) => e.scrollIntoView({ block: "start" }));
    await page.waitForFunction(() => !document.querySelector(".toast"));
    await k.shot("web-reader");
  } finally {
    await k.close();
  }
});
