// Shared helpers of the browser checks: serve a built site on 127.0.0.1, read its page
// manifest (data/pages.json, written by `postkamer build`), and drive Debian's chromium
// through playwright-core. No test here downloads anything or talks to another host.

import { after, before } from 'node:test';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

/** The built site under test. `scripts/check-site` sets these; the defaults fit `cargo run -- build`. */
export const SITE_DIR = path.resolve(process.env.PK_SITE_DIR ?? 'public');
/** The base path the site was built with (`/` or `/archief/`). */
export const BASE_PATH = normaliseBase(process.env.PK_BASE_PATH ?? '/');
/** Widths every page is checked at: a desktop and a small phone. */
export const WIDTHS = [1280, 360];
/** At most this many pages of one page type are checked (0: all of them). */
export const PER_TYPE = Number(process.env.PK_PAGES_PER_TYPE ?? 0);

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function normaliseBase(base) {
  let b = base.startsWith('/') ? base : `/${base}`;
  if (!b.endsWith('/')) b += '/';
  return b;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.woff2': 'font/woff2',
};

/**
 * The Content-Security-Policy the README gives for hosting the site (issue 9): the default theme
 * must work under it.
 */
export const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Serves `SITE_DIR` under `BASE_PATH` on 127.0.0.1 like a static host does: pretty URLs end in
 * `/` and map to `index.html`; a missing file answers 404 with the site's `404.html`.
 * `headers` are sent with every response (a Content-Security-Policy, say).
 */
export async function startServer({ headers = {} } = {}) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(BASE_PATH)) return notFound(res);
    rel = rel.slice(BASE_PATH.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.join(SITE_DIR, rel);
    if (!file.startsWith(SITE_DIR + path.sep)) return notFound(res);
    try {
      const info = await stat(file);
      if (info.isDirectory()) {
        res.writeHead(301, { ...headers, Location: `${url.pathname}/` });
        return res.end();
      }
      const body = await readFile(file);
      res.writeHead(200, {
        ...headers,
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store',
      });
      res.end(body);
    } catch {
      notFound(res);
    }
  });
  async function notFound(res) {
    let body = 'not found';
    try {
      body = await readFile(path.join(SITE_DIR, '404.html'));
    } catch {}
    res.writeHead(404, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
    res.end(body);
  }
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    /** The absolute URL of a manifest URL (site-relative, no leading slash). */
    url: (rel) => `http://127.0.0.1:${port}${BASE_PATH}${rel}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** The page manifest: `[{ page_type, url }]` for every HTML page of the build. */
export function readManifest() {
  const file = path.join(SITE_DIR, 'data', 'pages.json');
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The file a manifest URL is written to. */
export function fileOf(rel) {
  return path.join(SITE_DIR, rel === '' || rel.endsWith('/') ? `${rel}index.html` : rel);
}

/**
 * The pages to check: every page of every type, or the first `PER_TYPE` of each type
 * (plus the letter pages with footnotes and a table, which must always be among them).
 */
export function pagesToCheck(manifest = readManifest()) {
  if (!PER_TYPE) return manifest;
  const seen = new Map();
  return manifest.filter((p) => {
    const n = seen.get(p.page_type) ?? 0;
    seen.set(p.page_type, n + 1);
    return n < PER_TYPE || (p.page_type === 'letter' && hasFootnotesAndTable(p));
  });
}

/** Whether a letter page carries both footnotes and a table (issue 5 names such a page). */
export function hasFootnotesAndTable(p) {
  const html = readFileSync(fileOf(p.url), 'utf8');
  return html.includes('class="footnotes"') && html.includes('<table');
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.PK_CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** The site server and the browser of the test file that called `useServerAndBrowser`. */
export let server;
export let browser;

/** Serves the site (with `options` for `startServer`) and starts Chromium before the file's tests; stops both after them. */
export function useServerAndBrowser(options = {}) {
  before(async () => {
    server = await startServer(options);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

/**
 * A browser context that answers only requests to our own server. A request to any other host
 * is aborted and recorded in `offHost`; a same-host response of 400 or above lands in `failed`.
 * An alias page (a redirect stub) is held on itself: the navigation its meta refresh starts is
 * answered with 204 No Content, which leaves the stub in place, so the stub is what gets checked.
 * Every test opens its pages through one of these.
 */
export async function guardedContext(browser, server, options = {}) {
  const context = await browser.newContext(options);
  const offHost = [];
  const failed = [];
  const aliases = new Set(readManifest().filter((p) => p.page_type === 'alias').map((p) => server.url(p.url)));
  await context.route('**/*', (route) => {
    const request = route.request();
    const u = request.url();
    if (u.startsWith(`${server.origin}/`) || u.startsWith('data:') || u.startsWith('blob:')) {
      if (request.isNavigationRequest() && aliases.has(request.headers().referer)) {
        return route.fulfill({ status: 204 });
      }
      return route.continue();
    }
    offHost.push(u);
    return route.abort('blockedbyclient');
  });
  context.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  return { context, offHost, failed };
}

/** A page in a guarded context, for tests that need one page and no request log. */
export async function guardedPage(browser, server, options = {}) {
  const { context } = await guardedContext(browser, server, options);
  const page = await context.newPage();
  page.once('close', () => context.close());
  return page;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
/**
 * Best-practice rules we hold the theme to as well: they are what a screen-reader or keyboard
 * user meets first (one main landmark, everything in a landmark, a skip link that works,
 * headings in order, one h1).
 */
export const EXTRA_RULES = [
  'landmark-one-main',
  'region',
  'skip-link',
  'heading-order',
  'page-has-heading-one',
  'landmark-unique',
  'landmark-no-duplicate-banner',
  'landmark-no-duplicate-contentinfo',
  'empty-table-header',
];

/** Runs axe-core on the loaded page; returns its violations, each with the failing nodes. */
export async function runAxe(page) {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async ({ tags, extra }) => {
      // One run over the rules of the WCAG tags plus the extra rules.
      const rules = window.axe.getRules(tags).map((r) => r.ruleId).concat(extra);
      const result = await window.axe.run(document, {
        runOnly: { type: 'rule', values: [...new Set(rules)] },
        resultTypes: ['violations'],
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
      }));
    },
    { tags: WCAG_TAGS, extra: EXTRA_RULES },
  );
}

/** One readable line per violation node, for an assertion message. */
export function describeViolations(where, violations) {
  return violations
    .flatMap((v) => v.nodes.slice(0, 5).map((n) => `${where} [${v.id}] ${v.help} — ${n}`))
    .join('\n');
}

/** The URL the search page is checked at with results showing, when the theme has a search client. */
export const SEARCH_QUERY = process.env.PK_SEARCH_QUERY ?? 'brief';
