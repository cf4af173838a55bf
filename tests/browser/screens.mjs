// Screenshots of every page type at 1280 and 360 px, full page, into target/screens/ (or
// PK_SCREENS_DIR): <type>-<width>.png in the light scheme, <type>-<width>-dark.png for the
// letter, home and exchange pages, and letter-print.png (the print stylesheet, as on A4 paper).
// Run through scripts/screens.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { SEARCH_QUERY, WIDTHS, fileOf, guardedContext, hasFootnotesAndTable, launch, readManifest, startServer } from './site.mjs';
import { readFileSync } from 'node:fs';

const OUT = path.resolve(process.env.PK_SCREENS_DIR ?? 'target/screens');
mkdirSync(OUT, { recursive: true });

const manifest = readManifest();
const types = [...new Set(manifest.map((p) => p.page_type))];
/** The most telling page of a type: a letter with footnotes and a table, a dossier with several exchanges. */
function pick(type) {
  const of = manifest.filter((p) => p.page_type === type);
  if (type === 'letter') return of.find(hasFootnotesAndTable) ?? of[0];
  const size = (p) => readFileSync(fileOf(p.url)).length;
  return of.reduce((a, b) => (size(b) > size(a) ? b : a));
}

const server = await startServer();
const browser = await launch();
const shots = [];
try {
  for (const scheme of ['light', 'dark']) {
    for (const width of WIDTHS) {
      const context = (await guardedContext(browser, server, { viewport: { width, height: 900 }, colorScheme: scheme, deviceScaleFactor: 1 })).context;
      const page = await context.newPage();
      for (const type of types) {
        if (scheme === 'dark' && !['home', 'letter', 'exchange', 'search'].includes(type)) continue;
        const p = pick(type);
        if (type === 'search') {
          // With results showing, when the theme has its search client.
          await page.goto(`${server.url(p.url)}?q=${encodeURIComponent(SEARCH_QUERY)}`, { waitUntil: 'networkidle' });
        } else {
          await page.goto(server.url(p.url));
        }
        const file = path.join(OUT, `${type}-${width}${scheme === 'dark' ? '-dark' : ''}.png`);
        await page.screenshot({ path: file, fullPage: true });
        shots.push(file);
      }
      await context.close();
    }
  }
  // The letter as printed: A4 width at 96 dpi minus 2 cm margins on each side.
  const context = (await guardedContext(browser, server, { viewport: { width: 643, height: 900 } })).context;
  const page = await context.newPage();
  await page.goto(server.url(pick('letter').url));
  await page.emulateMedia({ media: 'print' });
  const file = path.join(OUT, 'letter-print.png');
  await page.screenshot({ path: file, fullPage: true });
  await page.pdf({ path: path.join(OUT, 'letter-print.pdf'), format: 'A4' });
  shots.push(file);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
console.log(`${shots.length} screenshots in ${path.relative(process.cwd(), OUT)}/`);
