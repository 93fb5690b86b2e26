// End to end: Debian's chromium drives the real renderer against `sporeprint serve` on a library built here:
// import, progress, filter, detail, keyboard verify that survives reload, duplicates, text and image search, export.
import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyClipModel } from '../fixtures/tiny-clip-model';
import { CHROMIUM_SKIP_REASON, hasChromium } from './support/browser';
import { startBrowserSession, type BrowserSession } from './support/browser-session';
import { E2E_TAXA, writePhotoFolder, type PhotoFolder } from './support/photo-folder';
import type { ServeProcess } from './support/serve-process';

/** node:http, because fetch will not let a caller choose the Host header. */
function rawGet(origin: string, pathAndQuery: string, hostName?: string): Promise<number> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: pathAndQuery, headers: hostName ? { host: `${hostName}:${port}` } : {} }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

if (!hasChromium) console.warn(CHROMIUM_SKIP_REASON);

describe.skipIf(!hasChromium)('the curation UI in a browser against sporeprint serve', () => {
  let session: BrowserSession;
  let work: string, folder: PhotoFolder, server: ServeProcess, page: Page, pageErrors: string[];
  const shot = (name: string) => session.shot(name);
  const open = (hash: string) => session.open(hash);

  beforeAll(async () => {
    session = await startBrowserSession({
      name: 'curation',
      shotPrefix: '',
      prepare: async (dir) => void (folder = await writePhotoFolder(path.join(dir, 'photos'))),
    });
    ({ work, server, page, pageErrors } = session);
  });
  afterAll(() => session?.stop());

  it('refuses requests without the token or with a foreign Host header', async () => {
    const bare = await fetch(`${server.origin}/`);
    expect(bare.status).toBe(401);
    const noHeader = await fetch(`${server.origin}/api/stats.get`, { method: 'POST', body: '{}' });
    expect(noHeader.status).toBe(401);
    // A POST with the token only in the query is refused: API calls need the header.
    const queryOnly = await fetch(`${server.origin}/api/stats.get?token=${server.token}`, { method: 'POST', body: '{}' });
    expect(queryOnly.status).toBe(401);
    // DNS rebinding: the right token under a foreign host name is still refused.
    const rebound = await rawGet(server.origin, `/?token=${server.token}`, 'attacker.example');
    expect(rebound).toBe(403);
    expect(await rawGet(server.origin, `/?token=${server.token}`)).toBe(200);
  });

  it('shows an empty library that says what to do', async () => {
    await open('#/library');
    await page.getByText('Your library is empty').waitFor();
    await shot('01-empty-library');
  });

  it('imports a folder typed as a path and shows progress to completion and the rejected files', async () => {
    await open('#/import');
    await page.getByLabel('Folder paths').fill(folder.root);
    await page.getByRole('button', { name: /^Import 1 path/ }).click();
    await page.locator('[data-testid="job-status"]', { hasText: 'completed' }).waitFor({ timeout: 120_000 });
    await page.getByRole('table', { name: 'Rejected files' }).getByText(folder.brokenFile).waitFor();
    await shot('02-import');
    const stats = await server.call('stats.get', {});
    expect(stats.images).toBe(folder.images);
  });

  it('lists the images in the grid and filters them by taxon', async () => {
    await open('#/library');
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe(`${folder.images} images`);
    expect(await page.locator('.thumb img').count()).toBe(folder.images);
    const taxon = 'Boletus edulis';
    await page.getByLabel('Taxon', { exact: true }).fill(taxon);
    await page.getByLabel('Taxon', { exact: true }).press('Enter');
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe(`${E2E_TAXA[taxon]!.length} images`);
    await shot('03-library-filtered');
    // Thumbnails really load through the token-guarded media route.
    const loaded = await page
      .locator('.thumb img')
      .first()
      .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
    expect(loaded).toBe(true);
  });

  it('opens an image in the detail view', async () => {
    await page.locator('.thumb').first().dblclick();
    await page.getByTestId('detail-taxon').waitFor();
    expect(await page.getByTestId('detail-taxon').textContent()).toBe('Boletus edulis');
    await page.getByRole('heading', { name: 'Quality' }).waitFor();
    await shot('04-detail');
    // Escape goes back to the grid with the filter still applied.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe(`${E2E_TAXA['Boletus edulis']!.length} images`);
  });

  it('shows the dashboard charts', async () => {
    await open('#/dashboard');
    await page.getByRole('img', { name: 'Quality distribution' }).waitFor();
    await shot('05-dashboard');
  });

  it('verifies a label with the keyboard, and the decision survives a reload', async () => {
    await open('#/verify');
    await page.getByTestId('verify-taxon').waitFor();
    const imageId = Number(await page.locator('.verify-photo').getAttribute('data-image-id'));
    await page.keyboard.press('a');
    await expect.poll(() => page.getByTestId('verify-position').textContent()).toMatch(/^2 \//);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('verify-state').textContent()).toMatch(/human verified · saved/);
    await shot('06-verify');
    await page.reload();
    await open(`#/detail/${imageId}`);
    await expect.poll(() => page.getByTestId('detail-state').textContent()).toBe('human verified');
  });

  it('resolves a duplicate cluster', async () => {
    await open('#/duplicates');
    await page.getByTestId('clusters-left').waitFor();
    const before = await server.call('duplicates.clusters', {});
    expect(before.unresolved).toBeGreaterThan(0);
    await page.getByTestId('card-representative').waitFor();
    await shot('07-duplicates');
    await page.getByRole('button', { name: 'Done with this cluster' }).click();
    await expect.poll(async () => (await server.call('duplicates.clusters', {})).unresolved).toBe(before.unresolved - 1);
    await expect
      .poll(() => page.getByTestId('clusters-left').textContent())
      .toBe(`${before.unresolved - 1} cluster${before.unresolved - 1 === 1 ? '' : 's'} left`);
  });

  it('runs a text search with the tiny model and an image search with a picked file', async () => {
    const modelDir = writeTinyClipModel(path.join(work, 'tiny-clip'));
    await open('#/search');
    // The model is set up through the UI: import the folder, make it active, embed the library.
    await page.locator('.models-panel summary').click();
    await page.getByLabel('Model folder').fill(modelDir);
    await page.getByRole('button', { name: 'Import model' }).click();
    const row = page.getByRole('table', { name: 'Models' }).locator('tr', { has: page.locator('th', { hasText: /tiny/ }) });
    await row.waitFor();
    const use = row.getByRole('button', { name: 'Use' });
    if (await use.isVisible()) await use.click();
    await row.getByText('active').waitFor();
    await page.getByRole('button', { name: 'Embed library' }).click();
    await page.locator('.models-panel [data-testid="job-status"]', { hasText: 'completed' }).waitFor({ timeout: 120_000 });
    await page.locator('.models-panel summary').click();

    await page.getByLabel('Search text').fill('orange mushroom cap');
    await page.getByRole('main').getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByTestId('search-summary').waitFor();
    expect(await page.locator('.result-grid .thumb').count()).toBeGreaterThan(0);

    await page.getByLabel('Search image file').setInputFiles(folder.queryPhoto);
    await expect.poll(() => page.getByTestId('search-summary').textContent()).toContain(path.basename(folder.queryPhoto));
    const first = page.locator('.result-grid .thumb').first();
    await first.waitFor();
    // The query photo itself is in the library: it must be the best hit.
    const best = await server.call('images.resolve', { ref: folder.queryPhoto });
    expect(Number(await first.getAttribute('data-image-id'))).toBe(best.id);
    await shot('08-search');
  });

  it('starts an export from the form and shows it finish', async () => {
    const outDir = path.join(work, 'dataset');
    await open('#/export');
    await page.getByLabel('Output folder').fill(outDir);
    await page.getByLabel('Export view').selectOption('training_general');
    await page.getByRole('button', { name: 'Start export' }).click();
    await page
      .locator('[data-testid="job-status"]')
      .filter({ hasText: /completed|failed/ })
      .waitFor({ timeout: 120_000 });
    await shot('09-export');
    expect(await page.locator('[data-testid="job-status"]').textContent()).toBe('completed');
    const job = (await server.call('jobs.list', { kind: 'export', limit: 1 }))[0]!;
    expect(job.result?.images).toBeGreaterThan(0);
    expect(existsSync(outDir) && readdirSync(outDir).length).toBeGreaterThan(0);
  });

  it('shows the sync form and status', async () => {
    await open('#/sync');
    await page.getByLabel('PostgreSQL URL').waitFor();
    await page.getByText('Waiting to push').waitFor();
    await shot('10-sync');
  });

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
