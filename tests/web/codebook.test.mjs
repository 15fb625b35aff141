// The codebook's tree: every code with its quotes per level and in all as
// `kodbok matrix --rows KIND --cols level` counts them, collapsible and
// filtered as one types; a concept's page with its rules and memos.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { SRC, start } from "./harness.mjs";
import { count, open } from "./views.mjs";

const rows = (page) => page.$$eval("table.tree tr.node", (trs) => trs.map((tr) => tr.dataset.id));

test("the codebook's tree counts as the matrix, collapses and filters", async () => {
  const k = await start();
  try {
    const { page, base } = k;
    await open(page, base, "#/codebook", "table.tree tr.node");
    for (const kind of ["dimension", "theme", "concept"]) {
      const m = JSON.parse(k.kodbok("matrix", "--rows", kind, "--cols", "level", "--format", "json"));
      const levels = m.col_totals.map((c) => c.col);
      for (const r of m.row_totals) {
        const cells = await page.$$eval(`tr.node.${kind}[data-id="${r.row}"] td.num`, (tds) => tds.map((td) => td.textContent));
        assert.equal(cells.length, levels.length + 1, r.row);
        levels.forEach((l, i) => {
          const want = m.cells.find((c) => c.row === r.row && c.col === l).count;
          assert.equal(count(cells[i]), want, `${r.row} ${l}`);
        });
        assert.equal(count(cells[levels.length]), r.count, r.row + " in all");
      }
    }
    const all = await rows(page);
    const book = JSON.parse(k.kodbok("codebook", "check", join(SRC, "codebooks", "vardsamverkan.yaml"), "--format", "json"));
    assert.deepEqual(all, book.nodes.map((n) => n.id));
    await k.shot("web-codebook");

    // Collapsing a dimension hides its themes and concepts.
    await page.click('tr[data-id="organisering"] button.twisty');
    const folded = await rows(page);
    assert.ok(folded.includes("organisering") && !folded.includes("struktur") && !folded.includes("helheten-viktig"));
    await page.click('tr[data-id="organisering"] button.twisty');
    assert.deepEqual(await rows(page), all);

    // The filter keeps the codes matching and the way to them.
    await page.fill("input.filter", "röd tråd");
    await page.waitForFunction(() => document.querySelectorAll("table.tree tr.node").length < 10);
    assert.deepEqual(await rows(page), ["organisering", "struktur", "helheten-viktig"]);
    await page.fill("input.filter", "ingen sådan kod");
    await page.waitForSelector("p.empty:not([hidden])");
    await page.fill("input.filter", "");
    assert.deepEqual(await rows(page), all);

    // A concept's page from the tree: its description, patterns and
    // other rules as the codebook has them, and a memo written there.
    const node = book.nodes.find((n) => n.id === "kommuner-i-klam");
    await page.click('tr[data-id="kommuner-i-klam"] a');
    await page.waitForSelector("#view .playground");
    assert.equal(await page.textContent("#view h1"), node.label);
    assert.equal(await page.textContent("#view p.desc"), node.description);
    const listed = await page.$$eval("table.facts ul.patterns li", (lis) => lis.map((li) => li.textContent));
    assert.deepEqual(listed, node.patterns);
    assert.match(await page.textContent("table.facts"), new RegExp("Omfång" + node.scope));
    assert.deepEqual(await page.$$eval("nav.crumbs a", (as) => as.map((a) => a.textContent)), ["Kodbok", "Organisering av samverkan", "Struktur"]);
    await page.fill(".code-grid textarea.memo-input", "Kläm mellan *två* strukturer.");
    await page.click(".code-grid >> text=Lägg till");
    await page.waitForSelector(".code-grid article.memo em");
    const memos = JSON.parse(k.kodbok("memo", "list", "--code", "kommuner-i-klam", "--format", "json")).memos;
    assert.deepEqual(memos.map((m) => m.text), ["Kläm mellan *två* strukturer."]);
    assert.equal(await page.locator(".code-grid select.memo-cell").count(), 0, "a concept's memo has no level to choose");

    // A theme's memo on one level: the lead of that slide of the deck.
    await page.goto(k.base + "/#/codebook/struktur");
    await page.waitForSelector(".code-grid select.memo-cell");
    const options = await page.$$eval(".code-grid select.memo-cell option", (os) => os.map((o) => [o.value, o.textContent]));
    assert.deepEqual(options[0], ["", "Hela koden"]);
    assert.ok(options.some(([v, l]) => v === "level=regional" && l === "Regional nivå"), JSON.stringify(options));
    await page.selectOption(".code-grid select.memo-cell", "level=regional");
    await page.fill(".code-grid textarea.memo-input", "Regionalt ses strukturen inifrån.");
    await page.click(".code-grid >> text=Lägg till");
    await page.waitForSelector(".code-grid article.memo >> text=Regionalt ses strukturen inifrån.");
    const cell = JSON.parse(k.kodbok("memo", "list", "--code", "struktur", "--at", "level=regional", "--format", "json")).memos;
    assert.deepEqual(cell.map((m) => [m.text, m.at]), [["Regionalt ses strukturen inifrån.", "level=regional"]]);
    const md = k.kodbok("slides", "--no-structure", "--no-background", "--no-outline");
    assert.match(md, /# Struktur: Regional nivå\n\n\*Regionalt ses strukturen inifrån\.\*/);
  } finally {
    await k.close();
  }
});
