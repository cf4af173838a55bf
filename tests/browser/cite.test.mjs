// "Cite this letter" in a real browser: without JavaScript the citation and the permanent link
// are plain selectable text and no dead button shows; with it, the copy buttons appear, the
// keyboard alone reaches and presses one, the clipboard gets the text, and the live region
// announces it.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, guardedContext, server, useServerAndBrowser } from './site.mjs';

useServerAndBrowser();

const LETTER = 'dossiers/38015/b/';

describe('cite this letter', () => {
  test('without JavaScript: citation and link as text, no buttons', async () => {
    const { context } = await guardedContext(browser, server, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.url(LETTER));
    assert.equal(await page.textContent('#pk-cite-text'), 'Kamerstukken II 2024/25, 38015, B');
    const url = await page.textContent('#pk-cite-url');
    assert.ok(url.endsWith(LETTER), url);
    assert.equal(await page.locator('.copy-button:visible').count(), 0);
    await context.close();
  });

  test('the keyboard copies the citation and the result is announced', async () => {
    const { context, offHost } = await guardedContext(browser, server);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    const page = await context.newPage();
    await page.goto(server.url(LETTER));
    assert.equal(await page.locator('.copy-button:visible').count(), 2);
    assert.equal(await page.getAttribute('.copy-status', 'aria-live'), 'polite');
    // Tab through the page until the first copy button has the focus, then press Enter.
    let reached = false;
    for (let i = 0; i < 80 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.dataset?.copy === 'pk-cite-text');
    }
    assert.ok(reached, 'Tab never reached the copy button');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.copy-status').textContent !== '');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'Kamerstukken II 2024/25, 38015, B');
    assert.match(await page.textContent('.copy-status'), /gekopieerd|copied/i);
    // The link button copies the permanent URL.
    await page.click('button[data-copy="pk-cite-url"]');
    await page.waitForFunction(() => /link/i.test(document.querySelector('.copy-status').textContent));
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(copied.endsWith(LETTER), copied);
    assert.deepEqual(offHost, []);
    await context.close();
  });
});
