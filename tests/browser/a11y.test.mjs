// Accessibility of every page type of the built site (issue 5, point 2).
//
// axe-core at WCAG 2.2 A and AA on every page of the manifest at 1280 and 360 px, in the light
// and the dark colour scheme; the skip link, a visible focus indicator on every tab stop and a
// logical tab order; prefers-reduced-motion. Run through `scripts/check-site`, or by hand after
// `cargo run -- build`: `node --test tests/browser/`.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SEARCH_QUERY,
  WIDTHS,
  browser,
  describeViolations,
  fileOf,
  guardedContext,
  hasFootnotesAndTable,
  pagesToCheck,
  readManifest,
  runAxe,
  server,
  useServerAndBrowser,
} from './site.mjs';
import { readFileSync } from 'node:fs';

const manifest = readManifest();
const pages = pagesToCheck(manifest);
const types = [...new Set(manifest.map((p) => p.page_type))];
const byType = (type) => pages.filter((p) => p.page_type === type);
const firstOf = (type) => manifest.find((p) => p.page_type === type);

useServerAndBrowser();

/** The page types issue 5 names; the manifest must still hold each (a rename would hide one). */
const REQUIRED_TYPES = [
  'home', 'dossiers', 'dossier', 'letter', 'exchange', 'correspondent', 'tag', 'year', 'search',
  '404', 'accessibility', 'alias',
];

test('the manifest holds every page type issue 5 names', () => {
  const missing = REQUIRED_TYPES.filter((t) => !types.includes(t));
  assert.deepEqual(missing, [], `page types missing from data/pages.json: ${missing}`);
  assert.ok(
    pages.some((p) => p.page_type === 'letter' && hasFootnotesAndTable(p)),
    'no checked letter page has both footnotes and a table',
  );
});

/** Whether the theme ships a search client: then the search page is also checked with results. */
function searchHasClient() {
  const search = firstOf('search');
  return search && /<script\b[^>]*\bsrc=/.test(readFileSync(fileOf(search.url), 'utf8'));
}

/**
 * Loads a page; for the search page with a client, runs a query and waits for results.
 * ── Search with results showing ──────────────────────────────────────────────────────────
 * The search client (static/search.js) lands with the search issue. Once the built search page
 * loads a script, the search page is checked at `search/?q=SEARCH_QUERY` with its results
 * showing: results must be links to letter pages inside <main>. Until then it is checked as
 * the plain form it is without JavaScript.
 */
async function open(page, p) {
  if (p.page_type === 'search' && searchHasClient()) {
    await page.goto(`${server.url(p.url)}?q=${encodeURIComponent(SEARCH_QUERY)}`, { waitUntil: 'networkidle' });
    await page.waitForFunction(
      () => document.querySelectorAll('main a[href*="/dossiers/"]').length > 0,
      null,
      { timeout: 10_000 },
    );
  } else {
    await page.goto(server.url(p.url), { waitUntil: 'load' });
  }
}

for (const scheme of ['light', 'dark']) {
  // The dark scheme changes colours only: one width is enough for its contrast.
  const widths = scheme === 'light' ? WIDTHS : [WIDTHS[1]];
  for (const width of widths) {
    describe(`axe-core WCAG 2.2 A+AA, ${scheme} scheme, ${width} px`, () => {
      for (const type of types) {
        test(`${type} (${byType(type).length} pages)`, async () => {
          const { context, offHost, failed } = await guardedContext(browser, server, {
            viewport: { width, height: 800 },
            colorScheme: scheme,
          });
          const page = await context.newPage();
          const problems = [];
          try {
            for (const p of byType(type)) {
              await open(page, p);
              const violations = await runAxe(page);
              if (violations.length) problems.push(describeViolations(`/${p.url}`, violations));
              if (!page.url().startsWith(server.url(p.url))) problems.push(`/${p.url}: checked ${page.url()} instead`);
            }
          } finally {
            await context.close();
          }
          assert.deepEqual(offHost, [], 'requests to another host');
          assert.deepEqual(failed, [], 'failed requests');
          assert.equal(problems.length, 0, `axe violations:\n${problems.join('\n')}`);
        });
      }
    });
  }
}

test('search page: checked with results showing once the search client exists', { skip: searchHasClient() ? false : 'no search client in the theme yet (search issue)' }, () => {
  // The axe runs above already load the search page with results when the client exists;
  // this test only makes the state visible in the report.
});

test('the dark colour scheme is applied (prefers-color-scheme)', async () => {
  const colours = {};
  for (const scheme of ['light', 'dark']) {
    const context = (await guardedContext(browser, server, { colorScheme: scheme })).context;
    const page = await context.newPage();
    await page.goto(server.url(firstOf('letter').url));
    colours[scheme] = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await context.close();
  }
  assert.notEqual(colours.light, colours.dark);
});

test('prefers-reduced-motion: no smooth scrolling, no animation', async () => {
  for (const reducedMotion of ['reduce', 'no-preference']) {
    const context = (await guardedContext(browser, server, { reducedMotion })).context;
    const page = await context.newPage();
    await page.goto(server.url(firstOf('exchange').url));
    const motion = await page.evaluate(() => {
      const all = [document.documentElement, ...document.querySelectorAll('body *')];
      return {
        scroll: getComputedStyle(document.documentElement).scrollBehavior,
        animated: all.filter((el) => {
          const s = getComputedStyle(el);
          return s.animationName !== 'none' || parseFloat(s.transitionDuration) > 0;
        }).length,
      };
    });
    await context.close();
    if (reducedMotion === 'reduce') {
      assert.equal(motion.scroll, 'auto', 'smooth scrolling despite prefers-reduced-motion');
      assert.equal(motion.animated, 0, 'animations or transitions despite prefers-reduced-motion');
    }
  }
});

/** Relative luminance contrast of two `rgb(…)` colours (WCAG 2 formula). */
function contrast(a, b) {
  const lum = (rgb) => {
    const [r, g, bl] = rgb.match(/[\d.]+/g).slice(0, 3).map(Number).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m);
  return (x + 0.05) / (y + 0.05);
}

describe('keyboard', () => {
  for (const width of WIDTHS) {
    for (const scheme of ['light', 'dark']) {
      test(`skip link, visible focus and tab order on every page type, ${width} px, ${scheme}`, async () => {
        // Reduced motion: focus scrolls its element into view at once, with no smooth scrolling
        // to wait for before measuring (smooth scrolling is checked on its own above).
        const context = (await guardedContext(browser, server, { viewport: { width, height: 800 }, colorScheme: scheme, reducedMotion: 'reduce' })).context;
        const page = await context.newPage();
        const problems = [];
        try {
          // An alias page is a redirect stub with one link: it has no navigation to skip.
          for (const type of types.filter((t) => t !== 'alias')) {
            const p = firstOf(type);
            await open(page, p);
            problems.push(...(await checkKeyboard(page, `/${p.url} (${type})`, width, () => open(page, p))));
          }
        } finally {
          await context.close();
        }
        assert.equal(problems.length, 0, problems.join('\n'));
      });
    }
  }
});

/** Tabs through a page; returns what is wrong with its skip link, focus indicators and order. */
async function checkKeyboard(page, where, width, reload) {
  const problems = [];
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    return {
      isSkip: el.classList.contains('skip-link'),
      href: el.getAttribute('href'),
      visible: r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight,
    };
  });
  if (!skip.isSkip) {
    problems.push(`${where}: the first tab stop is not the skip link`);
    return problems;
  }
  if (!skip.visible) problems.push(`${where}: the focused skip link is not visible in the viewport`);
  await page.keyboard.press('Enter');
  const target = await page.evaluate(() => document.activeElement.id);
  if (`#${target}` !== skip.href) problems.push(`${where}: the skip link does not move focus to ${skip.href} (focus on #${target})`);
  await page.keyboard.press('Tab');
  const inMain = await page.evaluate(() => !!document.activeElement.closest('main'));
  // A page whose main holds nothing focusable (rare) sends focus to the footer instead.
  const mainFocusable = await page.evaluate(() => document.querySelector('main a[href], main input, main button, main select, main textarea') !== null);
  if (mainFocusable && !inMain) problems.push(`${where}: after the skip link, Tab does not land in main`);

  // From the top: every tab stop, in order.
  await reload();
  const stops = [];
  for (let i = 0; i < 600; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      // The colour the focus outline is drawn on: the nearest ancestor with an opaque background.
      let bg = 'rgb(255, 255, 255)';
      for (let n = el.parentElement; n; n = n.parentElement) {
        const c = getComputedStyle(n).backgroundColor;
        if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { bg = c; break; }
      }
      return {
        label: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''} "${(el.textContent || el.value || '').trim().slice(0, 30)}"`,
        // Document order: the number of elements before this one.
        index: document.evaluate('count(preceding::*) + count(ancestor::*)', el, null, XPathResult.NUMBER_TYPE, null).numberValue,
        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
        outlineColor: s.outlineColor,
        bg,
        shadow: s.boxShadow !== 'none',
        top: r.top + scrollY,
        inView: r.bottom > 0 && r.top < innerHeight && r.width > 0 && r.height > 0,
        tabindex: el.tabIndex,
      };
    });
    if (!stop) break;
    if (stops.length && stop.index === stops[0].index) break; // wrapped around
    stops.push(stop);
  }
  if (stops.length === 0) problems.push(`${where}: nothing is focusable`);
  for (const [i, s] of stops.entries()) {
    if (!s.outline && !s.shadow) problems.push(`${where}: no visible focus indicator on ${s.label}`);
    else if (s.outline && contrast(s.outlineColor, s.bg) < 3) {
      problems.push(`${where}: focus outline ${s.outlineColor} on ${s.bg} has contrast ${contrast(s.outlineColor, s.bg).toFixed(2)} < 3 on ${s.label}`);
    }
    if (!s.inView) problems.push(`${where}: focused ${s.label} is not scrolled into view`);
    if (s.tabindex > 0) problems.push(`${where}: positive tabindex on ${s.label}`);
    if (i > 0 && s.index < stops[i - 1].index) problems.push(`${where}: tab order goes back in the document at ${s.label}`);
    // On a phone everything is one column: the tab order must run down the page.
    if (width < 600 && i > 0 && s.top < stops[i - 1].top - 48) {
      problems.push(`${where}: at ${width} px tab order jumps up the page from ${stops[i - 1].label} to ${s.label}`);
    }
  }
  return problems;
}
