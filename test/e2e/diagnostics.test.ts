// End to end in Chromium against `sporeprint serve`: the Diagnostics view that Help > Diagnostics opens in the app
// (`#/diagnostics`, see test/unit/electron/app-menu.test.ts) and the Diagnostics link under the views opens in a browser.
// It shows the doctor's checks as the running library sees them: the native modules of this runtime, the library's
// owner lock (held by this serve), the models with the command that installs one.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_SKIP_REASON, hasChromium, SCREENSHOT_DIR } from './support/browser';
import { startBrowserSession, type BrowserSession } from './support/browser-session';

if (!hasChromium) console.warn(CHROMIUM_SKIP_REASON);

describe.skipIf(!hasChromium)('Diagnostics in a browser against sporeprint serve', () => {
  let session: BrowserSession;
  let work: string, page: Page, pageErrors: string[];

  beforeAll(async () => {
    session = await startBrowserSession({ name: 'diagnostics' });
    ({ work, page, pageErrors } = session);
  }, 240_000);
  afterAll(() => session?.stop());

  const row = (section: string, name: string) =>
    page.locator(`section[aria-label="${section}"] tr`).filter({ has: page.getByRole('rowheader', { name, exact: true }) });

  it('opens at the hash Help > Diagnostics sets and shows each section with its checks and fixes', async () => {
    await page.goto(`${session.server.url}#/diagnostics`);
    await page.waitForSelector('section[aria-label="native modules"]', { timeout: 60_000 });
    expect(await page.locator('.view-title h1').textContent()).toBe('Diagnostics');
    const node = `Node ${process.versions.node} (ABI ${process.versions.modules})`;
    for (const name of ['better-sqlite3', 'sharp', 'hnswlib-node', 'onnxruntime-node']) {
      expect(await row('native modules', `${name} for ${node}`).getAttribute('class')).toBe('check-ok');
    }
    const lock = await row('library', 'owner lock').textContent();
    // The library host runs inside the serve process, which the diagnostics run in too.
    expect(lock).toContain('held by this process: sporeprint serve (pid ');
    const clip = row('models', 'CLIP models');
    expect(await clip.getAttribute('class')).toBe('check-warn');
    expect(await clip.locator('.check-fix').textContent()).toContain('sporeprint model install Xenova/clip-vit-base-patch32');
    const status = await page.locator('.diagnostics-view [role="status"]').textContent();
    expect(status).toContain(`library ${path.join(work, 'library')}`);
    // Counted in words: "1 warning", never "1 warnings".
    expect(status).toMatch(/^(no problems found|\d+ errors?, \d+ warnings?) ·/);
    expect(status).not.toMatch(/\b1 (errors|warnings)\b/);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'diagnostics.png'), fullPage: true });
  });

  it('is reached from any view through the Diagnostics link under the views', async () => {
    await session.open('#/import');
    await page.getByRole('button', { name: 'Diagnostics', exact: true }).click();
    await page.waitForSelector('section[aria-label="library"]', { timeout: 60_000 });
    expect(new URL(page.url()).hash).toBe('#/diagnostics');
  });

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
