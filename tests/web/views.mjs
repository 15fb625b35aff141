// What the codebook, matrix, agreement and memos views' browser tests
// share: numbers read back from the page, waiting for a view to be drawn
// again, and whether a reader passage is on screen.
import assert from "node:assert/strict";
import { settled } from "./harness.mjs";

// A count as the page writes it ("2 477" in Swedish) as a number.
export function count(text) {
  const digits = String(text).replace(/[^\d-]/g, "");
  assert.notEqual(digits, "", "no number in " + JSON.stringify(text));
  return Number(digits);
}

// Goes to `hash` and waits for `selector` in the view drawn for it.
export async function open(page, base, hash, selector) {
  await page.goto(base + "/" + hash);
  await settled(page);
  await page.waitForSelector(selector);
}

// The reader at a passage: the document `name` is shown and the passage
// [start, end) of the route is named in the address.
export async function atReader(page, name, start, end) {
  await page.waitForFunction((h) => location.hash === h, "#/doc/" + encodeURIComponent(name) + "?at=" + start + "&end=" + end);
  await settled(page);
  await page.waitForFunction((n) => document.querySelector("#view h1")?.textContent === n, name);
}

// Whether `text` (its first words) stands in the view within the window:
// found across the reader's elements by a range over its text nodes.
export function passageInView(page, text) {
  return page.evaluate((want) => {
    const root = document.getElementById("view");
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let all = "";
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push([n, all.length]);
      all += n.data;
    }
    const at = all.indexOf(want);
    if (at < 0) return "absent";
    const [node, base] = nodes.filter(([, b]) => b <= at).pop();
    const range = document.createRange();
    range.setStart(node, at - base);
    range.setEnd(node, Math.min(node.data.length, at - base + 1));
    const r = range.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight ? "in view" : "out of view";
  }, text);
}
