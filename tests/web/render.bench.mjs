// make bench (tests/bench/serve.sh): the reader in Chromium, until a
// document's turns and coding stripes are drawn and the browser has painted
// them: opened from the documents list (the view changes, the page stays),
// and as a fresh page load (the page's files, session, codebook and all).
//   node render.bench.mjs LINK DOCUMENT ROUNDS   (LINK: the printed ?token= one)
// Prints the two medians of ROUNDS in milliseconds: "OPEN LOAD".
import { chromium } from "playwright-core";

const [link, doc, rounds = "5"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.KODBOK_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(link); // leaves the token's cookie
await page.waitForSelector("#view > *");
const url = link.replace(/\/\?token=.*/, "/#/doc/" + encodeURIComponent(doc));
const painted = async () => {
  await page.waitForFunction(
    () => document.querySelector(".turn") && document.querySelector(".stripes .sbar"),
    null,
    { polling: "raf", timeout: 30000 },
  );
  // Two frames: the one that lays the page out and the one painted.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
};
const median = (v) => {
  v.sort((a, b) => a - b);
  const n = v.length;
  return (n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2).toFixed(0);
};
const open = [];
const load = [];
for (let i = 0; i < +rounds; i++) {
  await page.evaluate(() => (location.hash = "#/documents"));
  await page.waitForSelector("table");
  let t0 = Date.now();
  await page.evaluate((d) => (location.hash = "#/doc/" + encodeURIComponent(d)), doc);
  await painted();
  open.push(Date.now() - t0);
  await page.goto("about:blank");
  t0 = Date.now();
  await page.goto(url);
  await painted();
  load.push(Date.now() - t0);
}
await browser.close();
console.log(median(open) + " " + median(load));
