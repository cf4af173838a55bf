// The default theme under the strict Content-Security-Policy the README gives (issue 9, point 5):
// the built example is served with that header, one page of every page type is opened (and
// search with a query, a missing page, print), and the browser reports no violation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CSP, browser, guardedContext, readManifest, server, useServerAndBrowser } from './site.mjs';

useServerAndBrowser({ headers: { 'Content-Security-Policy': CSP } });

/** Opens `url` in a fresh page and returns what the browser refused: violation events and the console's reports. */
async function violationsOf(url, { media, ready } = {}) {
  const { context, failed } = await guardedContext(browser, server);
  const page = await context.newPage();
  const seen = [];
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content.Security.Policy|Refused to/i.test(m.text())) seen.push(m.text());
  });
  if (media) await page.emulateMedia({ media });
  const response = await page.goto(url, { waitUntil: 'networkidle' });
  assert.ok(response.headers()['content-security-policy'], `${url}: served without the policy`);
  if (ready) await ready(page);
  seen.push(...(await page.evaluate(() => window.__cspViolations)));
  await context.close();
  return { seen, failed };
}

test('every page type loads under the strict policy with no violation', async () => {
  const manifest = readManifest();
  const firstOfType = new Map();
  for (const p of manifest) if (!firstOfType.has(p.page_type)) firstOfType.set(p.page_type, p.url);
  for (const type of ['home', 'dossier', 'letter', 'exchange', 'correspondent', 'tag', 'year', 'search', '404', 'accessibility']) {
    assert.ok(firstOfType.has(type), `the example has no ${type} page`);
  }
  const problems = [];
  for (const [type, rel] of firstOfType) {
    const { seen } = await violationsOf(server.url(rel));
    for (const v of seen) problems.push(`${type} /${rel}: ${v}`);
  }
  assert.deepEqual(problems, []);
});

test('search with a query runs its client under the policy', async () => {
  const { seen } = await violationsOf(server.url('search/?q=minister'), {
    ready: (page) =>
      page.waitForFunction(() => document.querySelectorAll('#search-results .search-hit-title a').length > 0),
  });
  assert.deepEqual(seen, []);
});

test('a missing page (the 404 page) and a printed letter load under the policy', async () => {
  const missing = await violationsOf(server.url('geen-pagina/'));
  assert.deepEqual(missing.seen, []);
  assert.ok(missing.failed.some((f) => f.startsWith('404 ')), 'the missing page did not answer 404');
  const letter = readManifest().find((p) => p.page_type === 'letter').url;
  const printed = await violationsOf(server.url(letter), { media: 'print' });
  assert.deepEqual(printed.seen, []);
});

test('the check sees a violation: an inline style on a page is reported', async () => {
  const { context } = await guardedContext(browser, server);
  const page = await context.newPage();
  await page.goto(server.url(''));
  const reported = await page.evaluate(
    () =>
      new Promise((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective));
        const s = document.createElement('style');
        s.textContent = 'body { color: red }';
        document.head.appendChild(s);
      }),
  );
  assert.match(reported, /^style-src/);
  await context.close();
});
