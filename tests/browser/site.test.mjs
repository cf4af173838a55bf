// The built site as a reader's browser meets it (issue 5, points 3 and 5): every page loads
// with no request to another host and no failed request, works with JavaScript off, stays under
// the CSS+JS budget, and a letter prints like a letter. Also: the manifest lists every HTML file.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  SITE_DIR,
  browser,
  fileOf,
  guardedContext,
  guardedPage,
  hasFootnotesAndTable,
  pagesToCheck,
  readManifest,
  server,
  useServerAndBrowser,
} from './site.mjs';

/** CSS + JS of one page, gzip-compressed, in bytes (issue 5: under 30 KB; search excepted). */
const BUDGET = 30 * 1000;
/** Page types allowed more, and to need JavaScript: search loads its client and index. */
const NEEDS_JS = new Set(['search']);

const manifest = readManifest();
/** Pages without scripts are done at `load`; the search page waits for its client's requests. */
const waitFor = (p) => (NEEDS_JS.has(p.page_type) ? 'networkidle' : 'load');
const pages = pagesToCheck(manifest);
const types = [...new Set(manifest.map((p) => p.page_type))];

useServerAndBrowser();

function htmlFiles(dir, rel = '') {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return htmlFiles(dir, r);
    return e.name.endsWith('.html') ? [r] : [];
  });
}

test('data/pages.json lists every HTML file of the build, so none escapes the checks', () => {
  const listed = new Set(manifest.map((p) => path.relative(SITE_DIR, fileOf(p.url))));
  const unlisted = htmlFiles(SITE_DIR).filter((f) => !listed.has(f));
  assert.deepEqual(unlisted, [], 'HTML files missing from the page manifest');
  assert.equal(listed.size, manifest.length, 'the manifest lists a page twice');
});

test('no page shows an unfilled {placeholder} of a translation', () => {
  const left = [];
  for (const f of htmlFiles(SITE_DIR)) {
    // Text only: data- attributes may carry strings with placeholders for search.js to fill.
    const text = readFileSync(path.join(SITE_DIR, f), 'utf8')
      .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, '')
      .replace(/<[^>]*>/g, '');
    for (const m of text.matchAll(/\{[a-z_]+\}/g)) left.push(`${f}: ${m[0]}`);
  }
  assert.deepEqual(left, []);
});

test('the accessibility statement has the parts a Dutch toegankelijkheidsverklaring needs', async () => {
  const p = manifest.find((m) => m.page_type === 'accessibility');
  const page = await guardedPage(browser, server);
  await page.goto(server.url(p.url));
  const parts = await page.evaluate(() => ({
    h1: document.querySelectorAll('main h1').length,
    sections: document.querySelectorAll('main h2').length,
    mailto: !!document.querySelector('main a[href^="mailto:"]'),
    complaint: !!document.querySelector('main a[href^="http"]'),
    text: document.querySelector('main').innerText,
  }));
  await page.close();
  assert.equal(parts.h1, 1);
  // status, date, how it was checked, limitations, contact, complaint
  assert.ok(parts.sections >= 6, `only ${parts.sections} sections`);
  assert.ok(parts.mailto, 'no e-mail link to report a problem');
  assert.ok(parts.complaint, 'no link to complain');
  assert.match(parts.text, /WCAG\)? 2\.1/);
});

test('alias pages send the reader on to their letter', async () => {
  const moved = [];
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const p of manifest.filter((m) => m.page_type === 'alias')) {
    const target = readFileSync(fileOf(p.url), 'utf8').match(/<link rel="canonical" href="([^"]*)"/)[1];
    await page.goto(server.url(p.url));
    await page.waitForURL((u) => !u.href.startsWith(server.url(p.url)), { timeout: 5000 }).catch(() => {});
    if (new URL(page.url()).pathname !== new URL(target, server.origin).pathname) moved.push(`/${p.url} -> ${page.url()}, not ${target}`);
  }
  await context.close();
  assert.deepEqual(moved, []);
});

describe('every page loads from this host only, with no failed request', () => {
  for (const type of types) {
    test(type, async () => {
      const { context, offHost, failed } = await guardedContext(browser, server);
      const page = await context.newPage();
      for (const p of manifest.filter((m) => m.page_type === type)) {
        await page.goto(server.url(p.url), { waitUntil: waitFor(p) });
      }
      await context.close();
      assert.deepEqual(offHost, [], 'requests to another host');
      assert.deepEqual(failed, [], 'failed requests');
    });
  }
});

test('no page references another host for a resource (static scan of every HTML and CSS file)', () => {
  const offenders = [];
  const resource = /<(?:link|script|img|iframe|source|video|audio|embed|object)\b[^>]*?\b(?:src|href|data|srcset)="(?:https?:)?\/\/[^"]*"/gi;
  for (const f of htmlFiles(SITE_DIR)) {
    for (const m of readFileSync(path.join(SITE_DIR, f), 'utf8').matchAll(resource)) {
      // <link rel="canonical"> and rel="alternate" name an address; they load nothing.
      if (/rel="(canonical|alternate)"/.test(m[0])) continue;
      offenders.push(`${f}: ${m[0]}`);
    }
  }
  const assets = path.join(SITE_DIR, 'assets');
  for (const f of readdirSync(assets).filter((n) => n.endsWith('.css'))) {
    const css = readFileSync(path.join(assets, f), 'utf8');
    for (const m of css.matchAll(/(?:url\(\s*["']?|@import\s+["'])(?:https?:)?\/\/[^)"']*/gi)) offenders.push(`assets/${f}: ${m[0]}`);
  }
  assert.deepEqual(offenders, []);
});

test('reflow: no page scrolls sideways at 320 or 360 px (WCAG 1.4.10; wide tables scroll in their own box)', async () => {
  const wide = [];
  for (const width of [320, 360]) {
    const context = (await guardedContext(browser, server, { viewport: { width, height: 640 } })).context;
    const page = await context.newPage();
    for (const p of pages) {
      await page.goto(server.url(p.url), { waitUntil: waitFor(p) });
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scrollWidth > width) wide.push(`/${p.url} at ${width} px is ${scrollWidth} px wide`);
    }
    await context.close();
  }
  assert.deepEqual(wide, []);
});

describe('CSS + JS under 30 KB compressed (search excepted)', () => {
  for (const type of types.filter((t) => !NEEDS_JS.has(t))) {
    test(type, async () => {
      const page = await guardedPage(browser, server);
      const assets = new Set();
      page.on('request', (r) => {
        const kind = r.resourceType();
        if (kind === 'stylesheet' || kind === 'script') assets.add(r.url());
      });
      let worst = { total: 0 };
      for (const p of pages.filter((m) => m.page_type === type)) {
        assets.clear();
        await page.goto(server.url(p.url), { waitUntil: waitFor(p) });
        let total = 0;
        for (const url of assets) total += gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer())).length;
        if (total > worst.total) worst = { url: p.url, total, files: [...assets] };
      }
      await page.close();
      if (type === 'letter') console.log(`letter page CSS+JS: ${worst.total} bytes gzipped (${worst.files?.length ?? 0} files)`);
      assert.ok(worst.total < BUDGET, `/${worst.url}: ${worst.total} bytes of CSS+JS compressed (${worst.files})`);
    });
  }
});

describe('works with JavaScript off (except search)', () => {
  for (const type of types.filter((t) => !NEEDS_JS.has(t))) {
    test(type, async () => {
      // A page that loads no script is the same with JavaScript off; compare the others.
      const scripted = pages
        .filter((m) => m.page_type === type)
        .filter((m) => /<script\b/i.test(readFileSync(fileOf(m.url), 'utf8')));
      if (!scripted.length) return;
      const on = (await guardedContext(browser, server, { javaScriptEnabled: true })).context;
      const off = (await guardedContext(browser, server, { javaScriptEnabled: false })).context;
      const [pageOn, pageOff] = [await on.newPage(), await off.newPage()];
      const differ = [];
      // Controls that only a script can work (copy buttons, marked data-js-only) are left out:
      // without JavaScript they are rightly absent; the content must be the same.
      const content = (pg) => pg.evaluate(() => {
        for (const el of document.querySelectorAll('[data-js-only]')) el.hidden = true;
        return {
          text: document.querySelector('main')?.innerText.trim() ?? '',
          links: document.querySelectorAll('a[href]').length,
        };
      });
      for (const p of scripted) {
        await pageOn.goto(server.url(p.url), { waitUntil: 'networkidle' });
        await pageOff.goto(server.url(p.url), { waitUntil: 'load' });
        const [a, b] = [await content(pageOn), await content(pageOff)];
        if (!b.text) differ.push(`/${p.url}: no content without JavaScript`);
        else if (a.text !== b.text || a.links !== b.links) differ.push(`/${p.url}: differs without JavaScript`);
      }
      await on.close();
      await off.close();
      assert.deepEqual(differ, []);
    });
  }

  test('search: the form works without JavaScript (a GET to search/)', async () => {
    const context = (await guardedContext(browser, server, { javaScriptEnabled: false })).context;
    const page = await context.newPage();
    const search = manifest.find((p) => p.page_type === 'search');
    await page.goto(server.url(search.url));
    const form = await page.evaluate(() => {
      const f = document.querySelector('main form');
      return f && { action: f.getAttribute('action'), method: f.method, field: !!f.querySelector('input[name="q"]') };
    });
    await context.close();
    assert.ok(form, 'no form in main');
    assert.equal(form.method, 'get');
    assert.ok(form.field, 'no q field');
  });
});

describe('print', () => {
  const letter = pages.find((p) => p.page_type === 'letter' && hasFootnotesAndTable(p));

  test('a letter prints like a letter: metadata, body, footnotes, citation and permanent URL; no navigation', async () => {
    const page = await guardedPage(browser, server);
    await page.goto(server.url(letter.url));
    await page.emulateMedia({ media: 'print' });
    const layout = await page.evaluate(() => {
      const shown = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
      const top = (sel) => document.querySelector(sel)?.getBoundingClientRect().top ?? NaN;
      const hiddenAll = (sel) => [...document.querySelectorAll(sel)].every((el) => !shown(el));
      return {
        navigationHidden: hiddenAll('nav, .site-header, .site-footer, .skip-link, form'),
        shown: Object.fromEntries(
          ['h1', '.letter-meta', '.letter-body', '.footnotes', '.letter-foot cite', '.letter-foot .permalink']
            .map((sel) => [sel, shown(document.querySelector(sel))]),
        ),
        order: ['h1', '.letter-meta', '.letter-body', '.footnotes', '.letter-foot'].map(top),
        permalink: document.querySelector('.letter-foot .permalink')?.textContent,
        canonical: document.querySelector('link[rel="canonical"]')?.getAttribute('href'),
        font: getComputedStyle(document.body).fontFamily,
        colour: getComputedStyle(document.body).color,
        background: getComputedStyle(document.body).backgroundColor,
      };
    });
    await page.close();
    assert.ok(layout.navigationHidden, 'navigation, header, footer or forms are printed');
    for (const [sel, ok] of Object.entries(layout.shown)) assert.ok(ok, `${sel} is not printed`);
    const sorted = [...layout.order].sort((a, b) => a - b);
    assert.deepEqual(layout.order, sorted, 'print order is not title, metadata, body, footnotes, citation');
    assert.equal(layout.permalink, layout.canonical, 'the printed permanent URL is not the canonical URL');
    if ((process.env.PK_BASE_URL ?? '').includes('://')) {
      assert.ok(layout.permalink.startsWith(process.env.PK_BASE_URL), `the printed permanent URL ${layout.permalink} is not absolute`);
    }
    assert.equal(layout.colour, 'rgb(0, 0, 0)', 'print text is not black');
    assert.equal(layout.background, 'rgb(255, 255, 255)', 'print background is not white');
  });

  test('letters and exchanges print black on white, also in the dark colour scheme', async () => {
    const context = (await guardedContext(browser, server, { colorScheme: 'dark' })).context;
    const page = await context.newPage();
    await page.emulateMedia({ media: 'print' });
    const light = [];
    for (const p of pages.filter((m) => m.page_type === 'letter' || m.page_type === 'exchange')) {
      await page.goto(server.url(p.url));
      const found = await page.evaluate(() => [...document.querySelectorAll('main, main *')]
        .filter((el) => el.getClientRects().length > 0)
        .flatMap((el) => {
          const s = getComputedStyle(el);
          const [r, g, b] = s.color.match(/\d+/g).map(Number);
          const bg = s.backgroundColor.match(/\d+/g).map(Number);
          const problems = [];
          if (r + g + b > 3 * 100) problems.push(`${el.tagName.toLowerCase()}.${el.className} color ${s.color}`);
          if (bg.length === 3 || bg[3] > 0) if (bg[0] + bg[1] + bg[2] < 3 * 200) problems.push(`${el.tagName.toLowerCase()}.${el.className} background ${s.backgroundColor}`);
          return problems;
        }));
      light.push(...new Set(found.map((f) => `/${p.url}: ${f}`)));
    }
    const pdf = await page.pdf({ format: 'A4' });
    await context.close();
    assert.ok(pdf.length > 1000);
    assert.deepEqual(light, [], 'light text or dark backgrounds in print');
  });
});
