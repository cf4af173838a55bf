// Search in a real browser (issue 3): headless Chromium on the built example archive, served
// on 127.0.0.1 under the build's base path (scripts/check-site runs this on the root build and
// on the sub-path build). Typing shows the expected letter, a stemmed query finds the inflected
// form, a filter narrows the results, a shared URL shows results at once, the keyboard alone
// reaches a result, and the bytes a first query fetched are recorded.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_PATH, browser, guardedContext, server, useServerAndBrowser } from './site.mjs';

useServerAndBrowser();

/** A fresh page that may only talk to our server; records every response's size. */
async function openPage() {
  const { context, offHost, failed } = await guardedContext(browser, server, {
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const fetched = [];
  page.on('requestfinished', async (request) => {
    const sizes = await request.sizes().catch(() => null);
    if (sizes) fetched.push({ url: request.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize });
  });
  return { context, page, offHost, failed, fetched };
}

/** The result links once the client has searched (the status line is the live region). */
async function results(page) {
  await page.waitForFunction(() => {
    const status = document.getElementById('search-status');
    return status && status.textContent.trim() !== '' && !status.textContent.includes('…');
  });
  return page.$$eval('#search-results .search-hit-title a', (as) => as.map((a) => a.getAttribute('href')));
}

const letter = (rel) => `${BASE_PATH}${rel}`;

/** Every result link in page order: pinned ones (named by reference) first, then the list. */
async function allResults(page) {
  await results(page);
  return page.$$eval('#search-pinned:not([hidden]) a, #search-results .search-hit-title a',
    (as) => as.map((a) => a.getAttribute('href')));
}

describe('search in the browser', () => {
  test('typing a query shows the expected letter, linked under the base path', async () => {
    const { context, page, offHost } = await openPage();
    await page.goto(server.url('search/'));
    await page.fill('#search-q', 'noodopvanglocaties');
    await page.press('#search-q', 'Enter');
    const hrefs = await results(page);
    assert.ok(hrefs.includes(letter('dossiers/37104/c/')), `no 37104/C in ${hrefs}`);
    assert.ok(hrefs.every((h) => h.startsWith(BASE_PATH)), `a result left ${BASE_PATH}: ${hrefs}`);
    assert.match(page.url(), /[?&]q=noodopvanglocaties/);
    const marked = await page.$$eval('#search-results mark', (ms) => ms.map((m) => m.textContent.toLowerCase()));
    assert.ok(marked.some((m) => m.startsWith('noodopvanglocatie')), `no hit marked: ${marked}`);
    assert.deepEqual(offHost, []);
    await context.close();
  });

  test('a stemmed query finds the inflected form', async () => {
    const { context, page } = await openPage();
    // The archive says "bezwaarschrift" only; the plural must find it.
    await page.goto(server.url('search/?q=bezwaarschriften'));
    const hrefs = await results(page);
    assert.ok(hrefs.includes(letter('dossiers/38740/b/')), `plural missed the singular: ${hrefs}`);
    await context.close();
  });

  test('a filter narrows the results and lives in the URL', async () => {
    const { context, page } = await openPage();
    await page.goto(server.url('search/?q=gemeenten'));
    const all = await results(page);
    await page.goto(server.url('search/?q=gemeenten&dossier=38740'));
    const narrowed = await results(page);
    assert.ok(narrowed.length > 0, 'the filter left nothing');
    assert.ok(narrowed.length < all.length, `${narrowed.length} of ${all.length}: not narrowed`);
    assert.ok(narrowed.every((h) => h.startsWith(letter('dossiers/38740/'))), `${narrowed}`);
    assert.equal(await page.inputValue('#search-dossier'), '38740', 'the filter field does not show the URL value');
    await context.close();
  });

  test('opening a shared URL shows results at once, and the back button restores the query', async () => {
    const { context, page } = await openPage();
    await page.goto(server.url('search/?q=ombudsman'));
    const first = await results(page);
    assert.ok(first.length > 0);
    assert.equal(await page.inputValue('#search-q'), 'ombudsman');
    await page.fill('#search-q', 'herindeling');
    await page.press('#search-q', 'Enter');
    await page.waitForURL(/q=herindeling/);
    await page.goBack();
    await page.waitForURL(/q=ombudsman/);
    await page.waitForFunction(() => document.getElementById('search-q').value === 'ombudsman');
    assert.deepEqual(await results(page), first);
    await context.close();
  });

  test('the keyboard alone reaches a result', async () => {
    const { context, page } = await openPage();
    await page.goto(server.url('search/'));
    await page.focus('#search-q');
    await page.keyboard.type('toegankelijkheid');
    await page.keyboard.press('Enter');
    await results(page);
    // Tab from the search field until a result link has the focus.
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.closest?.('#search-results') !== null
        && document.activeElement?.tagName === 'A');
    }
    assert.ok(reached, 'Tab never reached a result');
    const href = await page.evaluate(() => document.activeElement.getAttribute('href'));
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === href);
    await context.close();
  });

  test('a first query fetches little, and the count is announced', async () => {
    const { context, page, fetched, failed } = await openPage();
    await page.goto(server.url('search/?q=ombudsman'));
    await results(page);
    await page.waitForLoadState('networkidle');
    const total = fetched.reduce((sum, f) => sum + f.bytes, 0);
    const index = fetched.filter((f) => f.url.includes('/search/') && f.url.endsWith('.bin'));
    console.log(`first query "ombudsman": ${fetched.length} requests, ${total} bytes in all, ` +
      `${index.reduce((s, f) => s + f.bytes, 0)} bytes of index in ${index.length} files`);
    assert.ok(index.length > 0, 'no index file fetched');
    assert.ok(total < 150_000, `a first query fetched ${total} bytes`);
    const live = await page.getAttribute('#search-status', 'aria-live');
    assert.equal(live, 'polite');
    assert.match(await page.textContent('#search-status'), /\d/);
    assert.deepEqual(failed, []);
    await context.close();
  });

  test('a kenmerk, a letter id, a citation and its short forms find the letter itself first', async () => {
    const { context, page } = await openPage();
    const cases = [
      ['180577.01U', 'dossiers/37300-vii/a/'],
      ['Kamerstukken I 2025/26, 37104, B', 'dossiers/37104/b/'],
      ['37104 B', 'dossiers/37104/b/'],
      ['kst-37104-B', 'dossiers/37104/b/'],
      ['kst-37300-VII-C', 'dossiers/37300-vii/c/'],
    ];
    for (const [q, expected] of cases) {
      await page.goto(server.url(`search/?q=${encodeURIComponent(q)}`));
      const hrefs = await allResults(page);
      assert.equal(hrefs[0], letter(expected), `${q}: ${hrefs}`);
      assert.ok(await page.isVisible('#search-pinned'), `${q}: the pinned box is hidden`);
    }
    // A citation of B is in other letters too: they follow, B itself comes first once.
    await page.goto(server.url(`search/?q=${encodeURIComponent('Kamerstukken I 2025/26, 37104, B')}`));
    const citing = await allResults(page);
    assert.ok(citing.length > 1, `no citing letters: ${citing}`);
    await context.close();
  });

  test("a correspondent's name finds the correspondent first", async () => {
    const { context, page } = await openPage();
    await page.goto(server.url('search/?q=Brandsema'));
    const hrefs = await allResults(page);
    assert.equal(hrefs[0], letter('correspondents/e-j-brandsema/'), `${hrefs}`);
    assert.ok(hrefs.length > 1, 'her letters follow');
    await context.close();
  });

  test('the last word is a prefix only while typing; a submitted or shared query matches whole words', async () => {
    const { context, page } = await openPage();
    // 37300-VII/A says "briefwisseling", never "brief" or "brieven".
    const onlyCompound = letter('dossiers/37300-vii/a/');
    await page.goto(server.url('search/'));
    await page.focus('#search-q');
    await page.keyboard.type('brief');
    await page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0);
    await page.waitForFunction((href) => [...document.querySelectorAll('#search-results a')]
      .some((a) => a.getAttribute('href') === href), onlyCompound);
    await page.keyboard.press('Enter');
    await page.waitForFunction((href) => document.querySelectorAll('#search-results li').length > 0
      && ![...document.querySelectorAll('#search-results a')].some((a) => a.getAttribute('href') === href), onlyCompound);
    const submitted = await page.textContent('#search-status');
    // The shared URL gives the same whole-word answer.
    await page.goto(page.url());
    const shared = await allResults(page);
    assert.ok(!shared.includes(onlyCompound), `whole words only: ${shared}`);
    assert.equal(await page.textContent('#search-status'), submitted);
    assert.doesNotMatch(page.url(), /prefix=/);
    // The visible option adds prefix=1 and finds the compound.
    const link = page.locator('#search-also a');
    assert.match(await link.textContent(), /brief/);
    await link.click();
    await page.waitForURL(/prefix=1/);
    await page.waitForFunction((href) => [...document.querySelectorAll('#search-results a')]
      .some((a) => a.getAttribute('href') === href), onlyCompound);
    // `kind` is no word of any letter: nothing, although Kinderombudsman starts with it.
    await page.goto(server.url('search/?q=kind'));
    assert.deepEqual(await allResults(page), []);
    await context.close();
  });

  test('a phrase is verified against the whole text: reversed it finds nothing, deep in a long letter it is found', async () => {
    const { context, page } = await openPage();
    // Both letters with these words are longer than their letter file's 2,500 bytes; they used
    // to count as hits of the reversed phrase.
    await page.goto(server.url(`search/?q=${encodeURIComponent('"bereikbaarheid persoonlijke"')}`));
    assert.deepEqual(await allResults(page), []);
    assert.equal((await page.textContent('#search-status')).trim(), 'Geen resultaten');
    await page.goto(server.url(`search/?q=${encodeURIComponent('"persoonlijke bereikbaarheid"')}`));
    assert.ok((await allResults(page)).includes(letter('dossiers/37104/b/')));
    // This phrase stands only after the first 2,500 bytes of 37104/B.
    await page.goto(server.url(`search/?q=${encodeURIComponent('"Bestuurlijk Overleg Dienstverlening"')}`));
    assert.deepEqual(await allResults(page), [letter('dossiers/37104/b/')]);
    await page.goto(server.url(`search/?q=${encodeURIComponent('"dienstverlening overleg bestuurlijk"')}`));
    assert.deepEqual(await allResults(page), []);
    await context.close();
  });

  test('a compound part finds the compound: opvanglocaties finds every noodopvanglocatie', async () => {
    const { context, page } = await openPage();
    await page.goto(server.url('search/?q=noodopvanglocatie'));
    const compounds = await allResults(page);
    assert.ok(compounds.length >= 5, `${compounds}`);
    await page.goto(server.url('search/?q=opvanglocaties'));
    const parts = await allResults(page);
    for (const href of compounds) {
      assert.ok(parts.includes(href), `opvanglocaties missed ${href}: ${parts}`);
    }
    const marked = await page.$$eval('#search-results mark', (ms) => ms.map((m) => m.textContent.toLowerCase()));
    assert.ok(marked.some((m) => m.startsWith('noodopvanglocatie')), `the compound is not marked: ${marked}`);
    await context.close();
  });

  test('OR widens, -word narrows, and the box explains both', async () => {
    const { context, page } = await openPage();
    await page.goto(server.url('search/?q=opvang'));
    const opvang = await allResults(page);
    await page.goto(server.url('search/?q=ombudsman'));
    const ombudsman = await allResults(page);
    await page.goto(server.url(`search/?q=${encodeURIComponent('opvang OR ombudsman')}`));
    const either = await allResults(page);
    for (const href of [...opvang, ...ombudsman].slice(0, 10)) {
      assert.ok(either.includes(href) || either.length === 10, `OR lost ${href}`);
    }
    assert.match(await page.textContent('#search-status'), /12 resultaten/);
    // 37288/C is about both; leaving out "opvang" drops it, and the count with it.
    await page.goto(server.url(`search/?q=${encodeURIComponent('ombudsman -opvang')}`));
    const without = await allResults(page);
    assert.ok(ombudsman.includes(letter('dossiers/37288/c/')));
    assert.ok(!without.includes(letter('dossiers/37288/c/')), `${without}`);
    assert.equal(without.length, ombudsman.length - 1);
    const hint = await page.textContent('#search-hint');
    assert.match(hint, /OR/);
    assert.match(hint, /-ombudsman/);
    await context.close();
  });

  test('a stop word alone says so; a typo gets a suggestion from the archive', async () => {
    const { context, page } = await openPage();
    await page.goto(server.url('search/?q=de'));
    await results(page);
    assert.match(await page.textContent('#search-status'), /veelvoorkomende woorden/);
    await page.goto(server.url('search/?q=toegankelijkhied'));
    await results(page);
    assert.equal((await page.textContent('#search-status')).trim(), 'Geen resultaten');
    const suggestion = page.locator('#search-suggest a');
    assert.equal(await suggestion.textContent(), 'toegankelijkheid');
    await suggestion.click();
    await page.waitForURL(/q=toegankelijkheid/);
    assert.ok((await allResults(page)).length > 0);
    assert.equal(await page.inputValue('#search-q'), 'toegankelijkheid');
    await context.close();
  });

  test('results show kind and status; filters take several values, carried as repeated URL parameters', async () => {
    const { context, page } = await openPage();
    await page.goto(server.url('search/?q=ombudsman&kind=question&kind=answer'));
    const both = await allResults(page);
    const kinds = await page.$$eval('#search-results .search-hit-kind', (ks) => ks.map((k) => k.textContent));
    assert.ok(kinds.length > 0 && kinds.every((k) => k === 'Vraag' || k === 'Antwoord'), `${kinds}`);
    assert.ok(kinds.includes('Vraag') && kinds.includes('Antwoord'), `both kinds: ${kinds}`);
    assert.ok(await page.isChecked('input[name="kind"][value="question"]'));
    assert.ok(await page.isChecked('input[name="kind"][value="answer"]'));
    await page.goto(server.url('search/?q=ombudsman&kind=question'));
    const one = await allResults(page);
    assert.ok(one.length < both.length, `${one.length} of ${both.length}`);
    const statuses = await page.$$eval('#search-results .search-hit-status', (ss) => ss.map((x) => x.textContent));
    assert.ok(statuses.length > 0, 'no status shown');
    // Ticking a second value puts both in the URL.
    await page.check('input[name="kind"][value="answer"]');
    await page.waitForURL((u) => new URL(u).searchParams.getAll('kind').length === 2);
    await page.goto(server.url('search/?q=gemeenten&dossier=38740&dossier=37104'));
    const dossiers = await results(page);
    assert.ok(dossiers.some((h) => h.includes('/38740/')) && dossiers.some((h) => h.includes('/37104/')), `${dossiers}`);
    assert.ok(dossiers.every((h) => h.includes('/38740/') || h.includes('/37104/')), `${dossiers}`);
    await context.close();
  });

  test('on a phone the results come first: set filters stay folded under the box', async () => {
    const { context, page } = await openPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(server.url('search/?q=ombudsman&kind=question&kind=answer&status=answered'));
    await results(page);
    assert.equal(await page.$eval('details.search-more', (d) => d.open), false);
    assert.match(await page.textContent('details.search-more summary'), /\(3\)/);
    const top = await page.$eval('#search-results li', (li) => li.getBoundingClientRect().top);
    assert.ok(top < 740, `the first result starts at ${top}px`);
    await context.close();
  });
});

