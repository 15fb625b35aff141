// Review: three quotes decided with the keys (accept, reject, skip), each
// decision checked in `kodbok tags`; undo takes back the skip and then the
// rejection; while another process holds the project's write lock a
// decision is refused with a notice saying it was not stored, and the quote
// stays to be decided; the concept filter; the link to the passage. f (and
// the ★ button) features a quote, accepting it, and u takes that back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { routed, start } from "./harness.mjs";

// anna's review decisions as `kodbok tags` lists them: "DOC START END CODE decision".
function decisions(k) {
  return JSON.parse(k.kodbok("tags", "--format", "json"))
    .tags.filter((g) => g.coder === "anna" && g.decision !== "tag")
    .map((g) => [g.document, g.start, g.end, g.code, g.decision].join(" "))
    .sort();
}

const key = (q, d) => [q.document, q.start, q.end, q.concept, d].join(" ");

test("review three quotes with a, r, s; undo; filter; to the reader", async () => {
  const k = await start();
  try {
    const { page } = k;
    const first = await page.evaluate(() => fetch("/api/review?limit=3").then((r) => r.json()));
    const [q1, q2, q3] = first.quotes;
    await page.click('#nav a[href="#/review"]');
    await page.waitForSelector(".rvquote");
    assert.equal(await page.locator(".rvquote blockquote").innerText(), q1.text);
    assert.equal(await page.locator(".rvbefore p").innerText(), q1.before.text);
    assert.match(await page.locator(".rvcounts").innerText(), new RegExp(first.total.toLocaleString("sv-SE").replace(/\s/g, "\\s") + " kvar att granska"));
    await k.shot("web-review");

    await page.keyboard.press("a");
    await page.waitForFunction((t) => document.querySelector(".rvquote blockquote")?.textContent === t, q2.text);
    await page.keyboard.press("r");
    await page.waitForFunction((t) => document.querySelector(".rvquote blockquote")?.textContent === t, q3.text);
    await page.keyboard.press("s");
    await page.waitForFunction((t) => document.querySelector(".rvquote blockquote")?.textContent !== t, q3.text);
    assert.match(await page.locator(".rvcounts").innerText(), /1 godtagna · 1 avvisade · 1 överhoppade/);
    assert.deepEqual(decisions(k), [key(q1, "accept"), key(q2, "reject")].sort());
    const left = await page.evaluate(() => fetch("/api/review?limit=1").then((r) => r.json()));
    assert.equal(left.total, first.total - 2);

    // u: the skip back (nothing stored), u again: the rejection removed.
    await page.keyboard.press("u");
    await page.waitForFunction((t) => document.querySelector(".rvquote blockquote")?.textContent === t, q3.text);
    await page.keyboard.press("u");
    await page.waitForFunction((t) => document.querySelector(".rvquote blockquote")?.textContent === t, q2.text);
    assert.deepEqual(decisions(k), [key(q1, "accept")]);

    // The buttons do the same as the keys.
    await page.click("[data-act=reject]");
    await page.waitForFunction((t) => document.querySelector(".rvquote blockquote")?.textContent === t, q3.text);
    assert.deepEqual(decisions(k), [key(q1, "accept"), key(q2, "reject")].sort());

    // Busy: sqlite3 holds the write lock; `a` is refused, said so, nothing stored.
    const sql = spawn("sqlite3", [k.project], { stdio: ["pipe", "pipe", "inherit"] });
    await new Promise((resolve) => {
      sql.stdout.on("data", (b) => String(b).includes("42") && resolve());
      sql.stdin.write("BEGIN IMMEDIATE;\nSELECT 42;\n");
    });
    await page.keyboard.press("a");
    await page.waitForSelector(".toast.error >> text=/Inte sparat: .*busy/");
    assert.equal(await page.locator(".rvquote blockquote").innerText(), q3.text);
    // Chromium logs the refused request; that one is expected.
    const refused = k.errors.findIndex((e) => /status of 503/.test(e));
    assert.ok(refused >= 0);
    k.errors.splice(refused, 1);
    sql.stdin.end("COMMIT;\n");
    await new Promise((r) => sql.on("exit", r));
    assert.deepEqual(decisions(k), [key(q1, "accept"), key(q2, "reject")].sort());
    await page.keyboard.press("a");
    await page.waitForFunction((t) => document.querySelector(".rvquote blockquote")?.textContent !== t, q3.text);
    assert.deepEqual(decisions(k), [key(q1, "accept"), key(q2, "reject"), key(q3, "accept")].sort());

    // The concept filter: only that concept's quotes.
    const concept = q3.concept;
    await page.selectOption("select[data-filter=concept]", concept);
    await routed(page, "concept=");
    await page.waitForSelector(".rvquote");
    const only = await page.evaluate((c) => fetch("/api/review?limit=1&concept=" + c).then((r) => r.json()), concept);
    assert.equal(await page.locator(".rvquote blockquote").innerText(), only.quotes[0].text);
    assert.equal(await page.locator(".rvlabel").innerText(), only.quotes[0].label);

    // o opens the passage in the reader, flashed.
    await page.keyboard.press("o");
    await page.waitForSelector(".ttext .flash");
    const flashed = await page.locator(".ttext .flash").allInnerTexts();
    assert.equal(flashed.join(""), only.quotes[0].text);
  } finally {
    await k.close();
  }
});

test("f features the quote, accepting it; the button the same; u takes it back", async () => {
  const k = await start();
  try {
    const { page } = k;
    const first = await page.evaluate(() => fetch("/api/review?limit=3").then((r) => r.json()));
    const [q1, q2, q3] = first.quotes;
    const featured = () =>
      JSON.parse(k.kodbok("tags", "--format", "json"))
        .tags.filter((g) => g.coder === "anna" && g.featured)
        .map((g) => [g.document, g.start, g.end, g.code, g.decision].join(" "))
        .sort();
    await page.click('#nav a[href="#/review"]');
    await page.waitForSelector(".rvquote");
    assert.match(await page.locator("[data-act=feature]").innerText(), /★/);
    await page.keyboard.press("f");
    await page.waitForFunction((t) => document.querySelector(".rvquote blockquote")?.textContent === t, q2.text);
    await page.click("[data-act=feature]");
    await page.waitForFunction((t) => document.querySelector(".rvquote blockquote")?.textContent === t, q3.text);
    assert.match(await page.locator(".rvcounts").innerText(), /0 godtagna · 0 avvisade · 0 överhoppade · 2 utvalda/);
    assert.deepEqual(featured(), [key(q1, "accept"), key(q2, "accept")].sort());
    const list = JSON.parse(k.kodbok("feature", "--list", "--format", "json")).featured;
    assert.deepEqual(list.map((q) => q.start).sort(), [q1.start, q2.start].sort());

    await page.keyboard.press("u");
    await page.waitForFunction((t) => document.querySelector(".rvquote blockquote")?.textContent === t, q2.text);
    assert.deepEqual(featured(), [key(q1, "accept")]);
    assert.deepEqual(decisions(k), [key(q1, "accept")]);
    assert.match(await page.locator(".rvcounts").innerText(), /1 utvalda/);
  } finally {
    await k.close();
  }
});
