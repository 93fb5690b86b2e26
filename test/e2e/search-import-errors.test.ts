// End to end in Chromium against `sporeprint serve`: Import (the running job's folder, Cancel then Resume, the result in
// words), Search (an empty query said so, no model -> a sentence and a link to the Models panel, the query image,
// the CLI's filters, results that always belong to the query shown), Export's worded checks, error banners that go
// on the next success or navigation, 4xx for user errors, and the favicon.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoFolder } from '../../src-main/core/demo/build-demo-folder';
import { CHROMIUM_SKIP_REASON, hasChromium } from './support/browser';
import { startBrowserSession, type BrowserSession } from './support/browser-session';
import { REPO_ROOT, type ServeProcess } from './support/serve-process';

if (!hasChromium) console.warn(CHROMIUM_SKIP_REASON);

describe.skipIf(!hasChromium)('search, import, export and errors in a browser against sporeprint serve', () => {
  let session: BrowserSession;
  let work: string, demoRoot: string, server: ServeProcess, page: Page, pageErrors: string[];

  // A fresh page load each time: a hash-only change would keep the previous test's query and filters.
  const open = (hash: string) => session.open(hash, { fresh: true });
  const shot = (name: string) => session.shot(name);
  const nav = (name: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }).click();
  const resultIds = () => page.locator('.result-grid .thumb').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-image-id'))));
  const resultTaxa = () => page.locator('.result-grid .thumb .taxon').allTextContents();
  const searchStatus = (method: 'search.text' | 'search.image') =>
    page.waitForResponse((r) => r.url().endsWith(`/api/${method}`)).then((r) => r.status());

  beforeAll(async () => {
    session = await startBrowserSession({
      name: 'search-import',
      // Enough photos that the import is still running when Cancel is pressed.
      prepare: async (dir) => void (demoRoot = (await buildDemoFolder(path.join(dir, 'demo-photos'), 8)).root),
    });
    ({ work, server, page, pageErrors } = session);
  }, 240_000);
  afterAll(() => session?.stop());

  it('shows the running import’s folder, resumes it after Cancel, and words its result', async () => {
    await open('#/import');
    await page.getByLabel('Folder paths').fill(demoRoot);
    await page.getByRole('button', { name: 'Import 1 path' }).click();
    const paths = page.getByTestId('job-paths');
    await expect.poll(() => paths.textContent(), { timeout: 60_000 }).toBe(`Importing ${demoRoot}`);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('job-status').textContent(), { timeout: 60_000 }).toBe('cancelled');
    expect(await paths.textContent()).toBe(`Cancelled while importing ${demoRoot}`);
    await shot('import-cancelled');
    const [cancelled] = await server.call('jobs.list', { kind: 'ingest', limit: 1 });
    expect(cancelled!.status).toBe('cancelled');

    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.getByTestId('job-status').textContent(), { timeout: 300_000, interval: 1000 }).toBe('completed');
    expect(await paths.textContent()).toBe(`Imported ${demoRoot}`);
    const [finished] = await server.call('jobs.list', { kind: 'ingest', limit: 1 });
    // The same job went on from its checkpoint: no second job was made.
    expect(finished!.id).toBe(cancelled!.id);
    const result = await page.getByTestId('job-result').textContent();
    expect(result).toMatch(/\d+ new photos? added from \d+ files? looked at/);
    // Words, not field names: no camelCase key and no ERROR_CODE shows.
    expect(result).not.toMatch(/[a-z][A-Z]|[A-Z]{2,}_[A-Z]/);
    await shot('import-resumed');
    expect((await server.call('stats.get', {})).images).toBeGreaterThan(cancelled!.done);
  }, 420_000);

  it('says so when the query is empty', async () => {
    await open('#/search');
    await page.getByRole('main').getByRole('button', { name: 'Search', exact: true }).click();
    expect(await page.getByTestId('empty-query').textContent()).toMatch(/^Type what you are looking for first/);
    expect(await page.locator('.result-grid .thumb').count()).toBe(0);
  });

  it('shows the query image beside the results of a search by photo', async () => {
    const queryPhoto = path.join(demoRoot, 'Boletus edulis', 'IMG_1050.jpg');
    const status = searchStatus('search.image');
    await page.getByLabel('Search image file').setInputFiles(queryPhoto);
    expect(await status).toBe(200);
    const query = page.getByTestId('query-image');
    await query.waitFor();
    expect(await query.textContent()).toContain('IMG_1050.jpg');
    expect(await query.locator('img').getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="query-image"] img');
      return img?.complete && img.naturalWidth > 0;
    });
    await page.locator('.result-grid .thumb').first().waitFor();
    const best = await server.call('images.resolve', { ref: queryPhoto });
    expect((await resultIds())[0]).toBe(best.id);
    expect(await page.getByTestId('search-summary').textContent()).toMatch(/results for IMG_1050\.jpg$/);

    // An image of the library as the query (Detail's "find similar" opens this address): its thumbnail is shown.
    await open(`#/search/${best.id}`);
    await page.locator(`[data-testid="query-image"][data-image-id="${best.id}"] img`).waitFor();
    await page.waitForFunction(() => document.querySelector<HTMLImageElement>('[data-testid="query-image"] img')?.naturalWidth);
    await expect.poll(async () => (await resultIds())[0]).toBe(best.id);
  });

  it('applies the CLI’s filters (label state, taxon, minimum quality, HQ) and shows only the new query’s results', async () => {
    await open('#/search');
    await page.getByLabel('Search image file').setInputFiles(path.join(demoRoot, 'Amanita muscaria', 'IMG_1000.jpg'));
    await expect.poll(() => page.getByTestId('search-summary').textContent()).toMatch(/results for IMG_1000\.jpg$/);
    const unfiltered = await resultTaxa();
    expect(new Set(unfiltered).size).toBeGreaterThan(1);

    await page.getByLabel('Taxon').fill('Trametes versicolor');
    await page.getByLabel('Taxon').press('Enter');
    await expect.poll(() => page.getByTestId('search-summary').textContent()).toMatch(/\(taxon Trametes versicolor\)$/);
    const trametes = await resultTaxa();
    expect(trametes.length).toBeGreaterThan(0);
    expect(new Set(trametes)).toEqual(new Set(['Trametes versicolor']));
    const expected = await server.call('search.image', {
      path: path.join(demoRoot, 'Amanita muscaria', 'IMG_1000.jpg'),
      limit: 60,
      taxon: 'Trametes versicolor',
    });
    expect(await resultIds()).toEqual(expected.map((h) => h.imageId));

    await page.getByLabel('HQ').selectOption('yes');
    await expect.poll(() => page.getByTestId('search-summary').textContent()).toMatch(/\(taxon Trametes versicolor, HQ only\)$/);
    await shot('search-filters');
    const hq = await server.call('images.list', { taxon: 'Trametes versicolor', hq: true, limit: 100 });
    // The demo's large first photo of each taxon is HQ: the filter has something to find.
    expect(hq.items.length).toBeGreaterThan(0);
    expect((await resultIds()).sort()).toEqual(hq.items.map((i) => i.id).sort());

    await page.getByLabel('HQ').selectOption('');
    await page.getByLabel('Label state').selectOption('human_verified');
    // Nothing is verified yet: the grid empties and says why, rather than keeping the previous results.
    await page.getByText('Nothing matches these filters').waitFor();
    expect(await page.locator('.result-grid .thumb').count()).toBe(0);

    await page.getByLabel('Label state').selectOption('');
    await page.getByLabel('Minimum quality').fill('60');
    await expect.poll(() => page.getByTestId('search-summary').textContent()).toMatch(/quality ≥ 60\)$/);
    const shown = await page.locator('.result-grid .thumb').count();
    const hits = await server.call('search.image', {
      path: path.join(demoRoot, 'Amanita muscaria', 'IMG_1000.jpg'),
      limit: 60,
      taxon: 'Trametes versicolor',
      minQuality: 60,
    });
    expect(shown).toBe(hits.length);
    expect(hits.every((h) => h.qualityScore >= 60)).toBe(true);
  });

  it('says a text search needs a model, links to the Models panel, answers 409, and clears the old results', async () => {
    await open('#/search');
    await page.getByLabel('Search image file').setInputFiles(path.join(demoRoot, 'Amanita muscaria', 'IMG_1000.jpg'));
    await expect.poll(() => page.getByTestId('search-summary').textContent()).toMatch(/results for IMG_1000\.jpg$/);

    const status = searchStatus('search.text');
    await page.getByLabel('Search text').fill('orange cap');
    await page.getByLabel('Search text').press('Enter');
    expect(await status).toBe(409);
    const missing = page.getByTestId('model-missing');
    await missing.waitFor();
    expect(await missing.textContent()).toMatch(/^Text search needs a CLIP model, and none is active in this library\./);
    // The previous query's results and query image are gone: nothing on screen belongs to another query.
    expect(await page.locator('.result-grid .thumb').count()).toBe(0);
    expect(await page.getByTestId('query-image').count()).toBe(0);
    expect(await page.getByTestId('search-summary').count()).toBe(0);

    await shot('search-model-missing');
    expect(await page.locator('details.models-panel').evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
    await missing.getByRole('button', { name: 'Open the Models panel' }).click();
    expect(await page.locator('details.models-panel').evaluate((d: HTMLDetailsElement) => d.open)).toBe(true);
    await page.getByRole('button', { name: 'Import model' }).waitFor();
    await page.locator('.models-panel summary').click();
  });

  it('clears an error banner on the next success and on navigation', async () => {
    await open('#/search');
    await page.getByLabel('Search text').fill('orange cap');
    await page.getByLabel('Search text').press('Enter');
    await page.getByTestId('model-missing').waitFor();
    // A picked file that is not an image: a 422 with a sentence, in its own banner.
    const notImage = path.join(work, 'notes.jpg');
    writeFileSync(notImage, 'field notes, not a photo\n');
    const status = searchStatus('search.image');
    await page.getByLabel('Search image file').setInputFiles(notImage);
    expect(await status).toBe(422);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/^Search failed: .*not a readable image/);
    expect(await page.getByTestId('model-missing').count()).toBe(0);
    // The next success takes the banner away.
    await page.getByLabel('Search image file').setInputFiles(path.join(demoRoot, 'Amanita muscaria', 'IMG_1000.jpg'));
    await expect.poll(() => page.getByTestId('search-summary').textContent()).toMatch(/results for IMG_1000\.jpg$/);
    expect(await page.getByRole('alert').count()).toBe(0);
    // So does going to another view and back.
    await page.getByLabel('Search text').fill('orange cap');
    await page.getByLabel('Search text').press('Enter');
    await page.getByTestId('model-missing').waitFor();
    await nav('Library');
    await nav('Search');
    await page.getByLabel('Search text').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);

    // The same in Import: a refused start's banner goes when the next import starts.
    await nav('Import');
    await page.getByLabel('Folder paths').fill(path.join(work, 'no-such-folder'));
    await page.getByRole('button', { name: 'Import 1 path' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/^Import did not start: .*no-such-folder: no such file or folder/);
    await page.getByLabel('Folder paths').fill(demoRoot);
    await page.getByRole('button', { name: 'Import 1 path' }).click();
    await expect.poll(() => page.getByTestId('job-status').textContent(), { timeout: 120_000 }).toBe('completed');
    await expect.poll(() => page.getByRole('alert').allTextContents()).toEqual([]);
  });

  it('words the export form’s checks and warns about thin splits', async () => {
    await open('#/export');
    await page.getByLabel('Output folder').fill(path.join(work, 'dataset'));
    await page.getByLabel('Export view').selectOption('training_general');
    await page.getByLabel('Split').fill('80/20');
    await page.getByRole('button', { name: 'Preview' }).click();
    expect(await page.getByTestId('export-form-problem').textContent()).toBe(
      'The split needs three numbers, e.g. 80/10/10 (train/validation/test).',
    );
    await page.getByLabel('Split').fill('98/2/0');
    for (const format of ['imagefolder', 'csv']) await page.getByLabel(format, { exact: true }).uncheck();
    await page.getByRole('button', { name: 'Preview' }).click();
    expect(await page.getByTestId('export-form-problem').textContent()).toMatch(/^Choose at least one format/);
    await page.getByLabel('csv', { exact: true }).check();
    await page.getByRole('button', { name: 'Preview' }).click();
    const plan = page.getByRole('region', { name: 'Export plan' });
    await plan.waitFor();
    expect(await page.getByTestId('export-form-problem').count()).toBe(0);
    const warnings = await plan.locator('.warning-note').allTextContents();
    expect(warnings).toContain('The test split would be empty.');
    expect(warnings.some((w) => /^The val split would hold only \d+ of \d+ images \(under 5 %\)\.$/.test(w))).toBe(true);
    // A browser cannot show a folder picker: the form asks for a full path instead (the desktop app shows Choose…).
    expect(await page.getByRole('button', { name: 'Choose…' }).count()).toBe(0);
  });

  it('links and serves the app icon as the favicon', async () => {
    await open('#/library');
    const icon = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
      if (!link) return null;
      const res = await fetch(link.href);
      return { href: link.href, type: link.type, status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
    });
    expect(icon).not.toBeNull();
    expect(icon!.status).toBe(200);
    expect(icon!.contentType).toBe('image/svg+xml');
    expect(icon!.type).toBe('image/svg+xml');
    expect(icon!.body).toBe(readFileSync(path.join(REPO_ROOT, 'resources/icon.svg'), 'utf8'));
  });

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
