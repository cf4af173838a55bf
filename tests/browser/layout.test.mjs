// How the pages sit on a phone and a desktop (issue 12, point 4): at 360 px (and 320) no page
// scrolls sideways and no table of the theme hides a column; headings break between words,
// never inside one; on a desktop the letter page puts its metadata beside the body; the 404 page
// offers the dossier or letter its address names.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_PATH, browser, guardedContext, pagesToCheck, readManifest, server, useServerAndBrowser } from './site.mjs';

const manifest = readManifest();
const pages = pagesToCheck(manifest).filter((p) => p.page_type !== 'search');

useServerAndBrowser();

/** Visits every page at `width` and collects what `probe` (run in the page) reports. */
async function everyPage(width, probe) {
  const found = [];
  const context = (await guardedContext(browser, server, { viewport: { width, height: 700 } })).context;
  const page = await context.newPage();
  for (const p of pages) {
    await page.goto(server.url(p.url), { waitUntil: 'load' });
    for (const problem of await page.evaluate(probe)) found.push(`/${p.url} at ${width} px: ${problem}`);
  }
  await context.close();
  return found;
}

test('at 360 px every page fits and no table of the theme cuts off a column', async () => {
  const problems = await everyPage(360, () => {
    const out = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) out.push(`the page is ${root.scrollWidth} px wide`);
    // Tables inside a letter's text are the letter's own data and scroll in their own box.
    for (const table of document.querySelectorAll('main table')) {
      if (table.closest('.letter-body')) continue;
      const right = table.getBoundingClientRect().right;
      const box = table.closest('.table-wrap') ?? table.parentElement;
      if (box.scrollWidth > box.clientWidth + 1) out.push(`a table scrolls: ${box.scrollWidth} px in ${box.clientWidth} px`);
      if (right > root.clientWidth + 1) out.push(`a table ends at ${Math.round(right)} px`);
      for (const cell of table.querySelectorAll('th, td')) {
        const r = cell.getBoundingClientRect();
        if (r.width > 0 && r.right > box.getBoundingClientRect().right + 1) {
          out.push(`cell "${cell.textContent.trim().slice(0, 30)}" is cut off`);
        }
      }
    }
    return out;
  });
  assert.deepEqual(problems, []);
});

test('headings break between words, never inside one, at 320 and 360 px', async () => {
  const probe = () => {
    const out = [];
    for (const h of document.querySelectorAll('h1, h2, h3')) {
      const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        // Parts between spaces, hyphens, slashes and soft hyphens: a break there is a proper one.
        for (const m of n.data.matchAll(/[^\s\u00ad\-–—/]+/g)) {
          // The first and the last letter of a part on different lines: it broke inside.
          // A letter's line is that of its last box with a width: after a break at a soft
          // hyphen, Chromium gives the next letter an empty box at the end of the line before.
          const top = (at) => {
            const range = document.createRange();
            range.setStart(n, at);
            range.setEnd(n, at + 1);
            const boxes = [...range.getClientRects()].filter((r) => r.width > 0);
            return Math.round((boxes.at(-1) ?? range.getBoundingClientRect()).top);
          };
          if (top(m.index) !== top(m.index + m[0].length - 1)) out.push(`"${m[0]}" breaks inside in <${h.localName}>`);
        }
      }
    }
    return out;
  };
  const problems = [...(await everyPage(320, probe)), ...(await everyPage(360, probe))];
  assert.deepEqual(problems, []);
});

test('a soft hyphen is where a long heading word may break, and the page still fits', async () => {
  // The probe above would pass a page without any long word; this proves the rule it relies on.
  const context = (await guardedContext(browser, server, { viewport: { width: 320, height: 700 } })).context;
  const page = await context.newPage();
  await page.goto(server.url('accessibility/'), { waitUntil: 'load' });
  const h1 = await page.evaluate(() => {
    const h = document.querySelector('main h1');
    return { text: h.textContent, width: h.scrollWidth, box: h.clientWidth };
  });
  await context.close();
  assert.ok(h1.width <= h1.box, `the heading is ${h1.width} px in ${h1.box} px`);
  if (h1.text.replace(/\u00ad/g, '').includes('Toegankelijkheidsverklaring')) {
    assert.ok(h1.text.includes('\u00ad'), 'the Dutch heading carries a soft hyphen');
  }
});

test('on a desktop the letter page puts its metadata beside the body; on a phone above it', async () => {
  const letter = manifest.find((p) => p.page_type === 'letter');
  for (const [width, beside] of [[1280, true], [360, false]]) {
    const context = (await guardedContext(browser, server, { viewport: { width, height: 900 } })).context;
    const page = await context.newPage();
    await page.goto(server.url(letter.url), { waitUntil: 'load' });
    const boxes = await page.evaluate(() => {
      const rect = (s) => document.querySelector(s).getBoundingClientRect().toJSON();
      return { meta: rect('.letter-meta'), body: rect('.letter-body'), main: rect('main') };
    });
    await context.close();
    if (beside) {
      assert.ok(boxes.meta.left >= boxes.body.right, `metadata at ${boxes.meta.left} px, body ends at ${boxes.body.right} px`);
      assert.ok(boxes.meta.top < boxes.body.bottom, 'the metadata stands beside the body, not below it');
      const used = (boxes.meta.right - boxes.body.left) / boxes.main.width;
      assert.ok(used > 0.8, `the letter uses ${Math.round(used * 100)} % of the width`);
    } else {
      assert.ok(boxes.meta.bottom <= boxes.body.top, 'on a phone the metadata comes first');
    }
  }
});

test('the 404 page offers the letter or the dossier its address names', async () => {
  const letter = manifest.find((p) => p.page_type === 'letter' && /^dossiers\/[^/]+\/[^/]+\/$/.test(p.url));
  const [, dossier, id] = letter.url.match(/^dossiers\/([^/]+)\/([^/]+)\/$/);
  const cases = [
    // A typo after a letter's address, and the letter id in capitals: the letter.
    [`dossiers/${dossier}/${id}/bijlage-die-er-niet-is/`, `dossiers/${dossier}/${id}/`],
    [`dossiers/${dossier}/${id.toUpperCase()}/`, `dossiers/${dossier}/${id}/`],
    // A letter the dossier does not have: the dossier.
    [`dossiers/${dossier}/geen-brief-zz/`, `dossiers/${dossier}/`],
    // A dossier that does not exist: nothing to offer.
    ['dossiers/00000-bestaat-niet/a/', null],
  ];
  const context = (await guardedContext(browser, server, { viewport: { width: 360, height: 700 } })).context;
  const page = await context.newPage();
  try {
    for (const [missing, offered] of cases) {
      const response = await page.goto(server.url(missing), { waitUntil: 'networkidle' });
      assert.equal(response.status(), 404, missing);
      const links = await page.locator('#pk-suggest a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
      if (offered === null) {
        assert.deepEqual(links, [], missing);
        assert.ok(await page.locator('#pk-suggest').isHidden(), missing);
      } else {
        assert.equal(links.length, 1, `${missing}: ${JSON.stringify(links)}`);
        assert.equal(links[0][0], `${BASE_PATH}${offered}`, missing);
        assert.ok(links[0][1].length > 0, 'the offer names the page by its heading');
      }
    }
  } finally {
    await context.close();
  }
});
