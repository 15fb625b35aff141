// Memos: a journal entry written, edited and removed in the page is what
// `kodbok memo list` lists; Markdown shows as text with emphasis, markup in
// it runs nothing; every memo listed by target with a link to it; English
// on request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { routed, start } from "./harness.mjs";
import { open } from "./views.mjs";

const list = (k, ...filter) => JSON.parse(k.kodbok("memo", "list", ...filter, "--format", "json")).memos;

test("the journal in the page is kodbok memo list's, Markdown as text", async () => {
  const k = await start();
  try {
    const { page, base } = k;
    k.kodbok("memo", "add", "--journal", "--text", "Första intervjun läst; mandat återkommer.");
    await open(page, base, "#/memos", "article.memo");

    const text = "Beslut: **slå ihop** mandatkoderna.\n\n- se ip03\n- <img src=x onerror=\"window.pwned=1\"> kvar";
    await page.fill("textarea.memo-input", text);
    await page.click("text=Lägg till");
    await page.waitForFunction(() => document.querySelectorAll("article.memo").length === 2);
    const stored = list(k, "--journal");
    assert.equal(stored.length, 2);
    const mine = stored.find((m) => m.text.startsWith("Beslut"));
    assert.equal(mine.text, text);
    assert.equal(mine.author, "anna");

    // Newest first; Markdown as elements, the markup as text.
    const first = page.locator("article.memo").first();
    assert.equal(await first.locator("strong").textContent(), "slå ihop");
    assert.equal(await first.locator("li").count(), 2);
    assert.match(await first.locator("li").last().textContent(), /<img src=x onerror="window\.pwned=1"> kvar/);
    assert.equal(await page.locator("#view img").count(), 0);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    await page.waitForSelector("#toast .toast", { state: "detached" });
    await k.shot("web-memos");

    // Edited, then removed (a second click confirms).
    await first.locator("text=Redigera").click();
    await first.locator("textarea").fill("Beslut: mandatkoderna hålls isär.");
    await first.locator("text=Spara").click();
    await page.waitForFunction(() => document.querySelector("article.memo .md")?.textContent === "Beslut: mandatkoderna hålls isär.");
    assert.equal(list(k, "--journal").find((m) => m.id === mine.id).text, "Beslut: mandatkoderna hålls isär.");
    await page.locator("article.memo").first().locator("text=Ta bort").click();
    await page.locator("article.memo").first().locator("text=Ta bort?").click();
    await page.waitForFunction(() => document.querySelectorAll("article.memo").length === 1);
    assert.deepEqual(list(k, "--journal").map((m) => m.id), stored.filter((m) => m.id !== mine.id).map((m) => m.id));

    // An empty memo is refused in the page, nothing sent.
    await page.fill("textarea.memo-input", "   ");
    await page.click("text=Lägg till");
    await page.waitForSelector(".toast.error");
    assert.equal(list(k, "--journal").length, 1);
  } finally {
    await k.close();
  }
});

test("every memo by target, each linked to what it is about; English", async () => {
  const k = await start();
  try {
    const { page, base } = k;
    k.kodbok("memo", "add", "--doc", "ip02", "--text", "Lång intervju om mandat.");
    k.kodbok("memo", "add", "--code", "vvg-roll-oklar", "--text", "Se även *mandat*.");
    k.kodbok("memo", "add", "--code", "vvg-roll-oklar", "--at", "level=regional", "--text", "Regionalt om VVG.");
    k.kodbok("memo", "add", "--case", "ip03", "--text", "Chef i primärvården.");
    k.kodbok("tag", "ip01", "struktur", "--span", "0:40", "--memo", "Inledningen.");
    await open(page, base, "#/memos?tab=all", "article.memo");
    assert.equal(await page.locator("article.memo").count(), list(k).length);

    await page.selectOption('select[aria-label="Om"]', "code");
    await routed(page, "#/memos?about=code");
    await page.waitForFunction(() => document.querySelectorAll("article.memo").length === 2);
    assert.deepEqual(await page.locator("article.memo .memo-target a").evaluateAll((as) => as.map((a) => a.getAttribute("href"))), [
      "#/codebook/vvg-roll-oklar",
      "#/codebook/vvg-roll-oklar",
    ]);
    // the memo on the concept at a level names its cell; the other none
    assert.deepEqual(await page.locator("article.memo .memo-at").allTextContents(), ["level=regional"]);

    await page.selectOption('select[aria-label="Om"]', "document");
    await routed(page, "#/memos?about=document");
    await page.waitForFunction(() => document.querySelectorAll("article.memo").length === 1);
    await page.click("article.memo .memo-target a");
    await page.waitForFunction(() => document.querySelector("#view h1")?.textContent === "ip02");

    await open(page, base, "#/memos?about=coding", "article.memo");
    assert.equal(await page.getAttribute("article.memo .memo-target a", "href"), "#/doc/ip01");
    assert.match(await page.textContent("article.memo .md"), /Inledningen/);
    await page.fill('input[type="search"]', "ingen sådan");
    await page.waitForSelector("p.empty");

    await page.click("#lang");
    await page.waitForFunction(() => document.querySelector("#view h1")?.textContent === "Memos");
    assert.equal(await page.textContent("#nav a[aria-current=page]"), "Memos");
    await page.click("#lang");
    await page.waitForFunction(() => document.querySelector("#view h1")?.textContent === "Memon");
  } finally {
    await k.close();
  }
});

test("a busy project: the memo is refused with a notice and kept in the box", async () => {
  const k = await start();
  try {
    const { page, base } = k;
    await open(page, base, "#/memos", "textarea.memo-input");
    // Another process holds the project's write lock.
    const sql = spawn("sqlite3", [k.project], { stdio: ["pipe", "pipe", "inherit"] });
    const locked = new Promise((r) => sql.stdout.on("data", (b) => String(b).includes("42") && r()));
    sql.stdin.write("BEGIN IMMEDIATE;\nSELECT 42;\n");
    await locked;
    const text = "Skrivet medan projektet var upptaget.";
    await page.fill("textarea.memo-input", text);
    await page.click("text=Lägg till");
    await page.waitForSelector(".toast.error:has-text('upptaget')");
    assert.equal(await page.inputValue("textarea.memo-input"), text, "the memo is still in the box");
    assert.equal(list(k, "--journal").length, 0);
    const refused = k.errors.filter((e) => /status of 503/.test(e));
    assert.equal(refused.length, 1);
    k.errors.splice(0, k.errors.length, ...k.errors.filter((e) => !refused.includes(e)));

    sql.stdin.end("ROLLBACK;\n");
    await new Promise((r) => sql.on("exit", r));
    await page.click("text=Lägg till");
    await page.waitForSelector("article.memo");
    assert.deepEqual(list(k, "--journal").map((m) => m.text), [text]);
  } finally {
    await k.close();
  }
});
