// Live reload in a real browser: headless Chromium sees the page reload by
// itself after an edit, shows the error overlay for broken front matter, and
// drops it once the letter is fixed; the overlay works under the strict
// Content-Security-Policy the README gives (no inline <style>).
//
// Needs the postkamer binary (cargo build) and Chromium (Debian's `chromium`).
// Environment: POSTKAMER_BIN (default: $CARGO_TARGET_DIR or target/, then
// debug/postkamer), CHROMIUM (default /usr/bin/chromium), SCREENSHOT_DIR
// (optional: where to save a picture of the overlay).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CSP } from "./site.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const binary =
  process.env.POSTKAMER_BIN ||
  path.join(process.env.CARGO_TARGET_DIR || path.join(repo, "target"), "debug", "postkamer");
const PATIENCE = 20_000;
const LETTER_PAGE = "dossiers/37104/b/";

let site;
let server;
let browser;
let base;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts `postkamer serve` and resolves with the address it prints. */
function startServer(root, port) {
  const child = spawn(binary, ["serve", "--root", root, "--port", String(port), "--today", "2026-11-28"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stderr.on("data", (d) => (log += d));
  const address = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${log}`)), PATIENCE);
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/Serving the site at (\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}:\n${log}`)));
  });
  return { child, address, log: () => log };
}

before(async () => {
  assert.ok(fs.existsSync(binary), `no postkamer binary at ${binary}: run cargo build first`);
  site = fs.mkdtempSync(path.join(os.tmpdir(), "postkamer-browser-"));
  fs.cpSync(path.join(repo, "content"), path.join(site, "content"), { recursive: true });
  const toml = fs.readFileSync(path.join(repo, "site.toml"), "utf8");
  fs.writeFileSync(
    path.join(site, "site.toml"),
    toml.replace('base_url = "/"', 'base_url = "https://example.org/archief/"'),
  );
  server = startServer(site, await freePort());
  base = await server.address;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.child.kill();
  if (site) fs.rmSync(site, { recursive: true, force: true });
});

function editLetter(change) {
  const file = path.join(site, "content", "37104", "B.md");
  const text = fs.readFileSync(file, "utf8");
  fs.writeFileSync(file, change(text));
  return text;
}

test("the page reloads by itself after an edit, shows errors, and recovers", async () => {
  const page = await browser.newPage();
  try {
    const response = await page.goto(base + LETTER_PAGE);
    assert.equal(response.status(), 200);
    await page.waitForFunction(() => typeof window.__postkamerServer === "string", null, {
      timeout: PATIENCE,
    });
    await page.evaluate(() => {
      window.__beforeReload = true;
    });

    const good = editLetter((t) => t.replace("Geachte", "Bewerkt-in-de-browser. Geachte"));
    await page.waitForFunction(() => document.body.innerText.includes("Bewerkt-in-de-browser"), null, {
      timeout: PATIENCE,
    });
    assert.equal(await page.evaluate(() => window.__beforeReload), undefined, "the page was reloaded");

    await page.waitForFunction(() => typeof window.__postkamerServer === "string", null, {
      timeout: PATIENCE,
    });
    editLetter(() => good.replace("date:", "date: 2025-13-45\nold_date:"));
    const overlay = page.locator("#postkamer-errors .where");
    await overlay.first().waitFor({ timeout: PATIENCE });
    const where = await overlay.allTextContents();
    assert.ok(where.some((w) => /^content\/37104\/B\.md:\d+:\d+$/.test(w)), where.join(", "));
    const messages = (await page.locator("#postkamer-errors .message").allTextContents()).join("\n");
    assert.match(messages, /not a real date/);
    // The overlay speaks the site's language (nl), from its translation file.
    const chrome = await page.evaluate(() => {
      const root = document.getElementById("postkamer-errors").shadowRoot;
      return { lang: root.host.lang, title: root.querySelector("h2").textContent, hide: root.querySelector("button").textContent };
    });
    assert.equal(chrome.lang, "nl");
    assert.match(chrome.title, /^postkamer: de site heeft \d+ fout(en)?$/);
    assert.equal(chrome.hide, "Verbergen");
    assert.ok(
      await page.evaluate(() => document.body.innerText.includes("Bewerkt-in-de-browser")),
      "the last good page stays under the overlay",
    );
    if (process.env.SCREENSHOT_DIR) {
      await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, "postkamer-overlay.png") });
    }

    editLetter(() => good.replace("Geachte", "Hersteld-in-de-browser. Geachte"));
    await page.waitForFunction(
      () =>
        document.body.innerText.includes("Hersteld-in-de-browser") &&
        !document.getElementById("postkamer-errors"),
      null,
      { timeout: PATIENCE },
    );
  } finally {
    await page.close();
  }
});

test("the error overlay is styled under a strict Content-Security-Policy", async () => {
  const context = await browser.newContext();
  // serve sends no policy: the test adds the README's to every page, as a host would.
  await context.route("**/*", async (route) => {
    if (route.request().resourceType() !== "document") return route.continue();
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": CSP } });
  });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  try {
    await page.goto(base + LETTER_PAGE);
    await page.waitForFunction(() => typeof window.__postkamerServer === "string", null, {
      timeout: PATIENCE,
    });
    const good = editLetter((t) => t.replace("date:", "date: 2025-13-45\nold_date:"));
    try {
      await page.locator("#postkamer-errors .where").first().waitFor({ timeout: PATIENCE });
      const position = await page.evaluate(() => {
        const box = document.getElementById("postkamer-errors").shadowRoot.querySelector(".box");
        return getComputedStyle(box).position;
      });
      assert.equal(position, "fixed", "the overlay's stylesheet did not apply");
      assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
    } finally {
      editLetter(() => good);
    }
    await page.waitForFunction(() => !document.getElementById("postkamer-errors"), null, {
      timeout: PATIENCE,
    });
  } finally {
    await context.close();
  }
});
