// The browser tests' harness: a fresh project from the sample corpus, `kodbok
// serve` on it, Debian's chromium driven by playwright-core at 1280 x 800,
// every console error and page error collected (a test fails on any), and
// screenshots kept in $KODBOK_SHOTS (ctest: build/tests/web-shots).
// Run by ctest as `node tests/web/NAME.test.mjs KODBOK SRC`.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

export const KODBOK = process.argv[2];
export const SRC = process.argv[3];
const CHROMIUM = process.env.KODBOK_CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.KODBOK_SHOTS || join(process.cwd(), "web-shots");

// Runs kodbok on the test's project; returns its stdout (throws on failure).
function run(project, coder, args, input) {
  return execFileSync(KODBOK, ["-p", project, ...args], {
    encoding: "utf8",
    input,
    env: { ...process.env, KODBOK_CODER: coder, KODBOK_PROJECT: project },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

// Starts the server and a browser. `setup(kodbok, dir)` may add to the
// project before the server starts (documents, tags). Returns the context:
// {page, base, kodbok(...args), shot(name), errors, close()}.
export async function start({ coder = "anna", setup, coded = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "kodbok-web-"));
  const project = join(dir, "p.db");
  const kodbok = (...args) => run(project, coder, args);
  const corpus = join(SRC, "corpora", "vardsamverkan");
  const texts = readdirSync(corpus)
    .filter((f) => f.endsWith(".txt"))
    .map((f) => join(corpus, f));
  kodbok("init");
  kodbok("import", "-q", "--attrs", join(corpus, "cases.csv"), ...texts);
  if (setup) await setup(kodbok, dir);
  if (coded) kodbok("code", "-q", join(SRC, "codebooks", "vardsamverkan.yaml"));

  const server = spawn(KODBOK, ["-p", project, "serve", "--port", "0"], {
    env: { ...process.env, KODBOK_CODER: coder },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error("no link printed: " + out + err)), 10000);
    server.stdout.on("data", (b) => {
      out += b;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    server.stderr.on("data", (b) => (err += b));
    server.on("exit", (code) => reject(new Error("serve exited " + code + ": " + err)));
  });
  const base = url.replace(/\/\?token=.*/, "");

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "sv-SE" });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push("console: " + m.text());
  });
  page.on("pageerror", (e) => errors.push("page: " + e.message));
  page.on("dialog", (d) => {
    errors.push("dialog: " + d.message());
    d.dismiss();
  });
  await page.goto(url);
  await settled(page);

  mkdirSync(SHOTS, { recursive: true });
  return {
    page,
    base,
    url,
    project,
    dir,
    errors,
    kodbok,
    // kodbok as another coder.
    as: (who, ...args) => run(project, who, args),
    shot: (name) => page.screenshot({ path: join(SHOTS, name + ".png") }),
    async close() {
      await browser.close();
      server.kill("SIGTERM");
      await new Promise((r) => (server.exitCode !== null ? r() : server.on("exit", r)));
      rmSync(dir, { recursive: true, force: true });
      assert.deepEqual(errors, [], "the page reported errors");
    },
  };
}

// Waits until the page has drawn the view its address names and nothing in
// it is being drawn again (#view's data-drawn and aria-busy, set by the
// router and by views that reload in place).
export function settled(page) {
  return page.waitForFunction(() => {
    const v = document.getElementById("view");
    return v.dataset.drawn === location.hash && !v.hasAttribute("aria-busy");
  });
}

// Waits until the address holds `part` and the view it names is drawn.
export async function routed(page, part) {
  await page.waitForFunction((p) => location.hash.includes(p), part);
  await settled(page);
}

// Writes a transcript into the test's folder and returns its path.
export function transcript(dir, name, text) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
