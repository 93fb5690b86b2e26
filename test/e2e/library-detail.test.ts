// End to end in Chromium against `sporeprint serve` on the demo library: the Library's tile-size slider (remembered
// over a reload), its badges checked against the catalogue, the licence filter offering the licences present, Reset
// emptying every field, taxon sort starting A-Z, keys after a click; the Detail view's previous / next through the
// current list (keys and buttons), its 100 % loupe with pan, long values wrapping with a working copy button, and
// an error of one image gone on the next.
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoFolder } from '../../src-main/core/demo/build-demo-folder';
import type { ImageSummary } from '../../src-shared/model';
import { CHROMIUM_SKIP_REASON, hasChromium } from './support/browser';
import { startBrowserSession, type BrowserSession } from './support/browser-session';
import type { ServeProcess } from './support/serve-process';

if (!hasChromium) console.warn(CHROMIUM_SKIP_REASON);

describe.skipIf(!hasChromium)('library and detail views in a browser against sporeprint serve', () => {
  let session: BrowserSession;
  let server: ServeProcess, browser: BrowserContext, page: Page, pageErrors: string[];
  let all: ImageSummary[];

  // A fresh page each time: a goto that changes only the hash would keep the previous test's filters.
  const open = (hash: string) => session.open(hash, { fresh: true });
  const openLibrary = async () => {
    await open('#/library');
    await page.locator('.thumb[data-image-id]').first().waitFor();
  };
  const total = async () => page.getByTestId('library-total').textContent();
  const tileIds = () => page.locator('.thumb[data-image-id]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-image-id'))));
  const tileWidth = () =>
    page
      .locator('.thumb[data-image-id]')
      .first()
      .evaluate((el) => Math.round(el.getBoundingClientRect().width));
  const setSlider = (value: number) =>
    page.getByLabel('Tile size').evaluate((el: HTMLInputElement, v) => {
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      setter.call(el, String(v));
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, value);
  const shot = (name: string) => session.shot(name);
  const shownId = () => page.evaluate(() => Number(location.hash.split('/')[2]));

  beforeAll(async () => {
    let demoRoot = '';
    session = await startBrowserSession({
      name: 'library-detail',
      viewport: { width: 1440, height: 900 },
      prepare: async (work) => void (demoRoot = (await buildDemoFolder(path.join(work, 'demo-photos'))).root),
    });
    ({ server, browser, page, pageErrors } = session);
    await session.ingest([demoRoot]);
    all = (await server.call('images.list', { limit: 1000 })).items;
  }, 240_000);
  afterAll(() => session?.stop());

  it('sizes tiles with the slider, loads a larger rendition for large tiles, and remembers the size', async () => {
    await openLibrary();
    expect(await tileWidth()).toBe(150);
    expect(await page.locator('.thumb img').first().getAttribute('src')).toMatch(/thumb\.jpg/);
    const columnsAt = async () => page.locator('.grid-row').first().locator('.thumb[data-image-id]').count();
    const smallColumns = await columnsAt();
    await setSlider(300);
    await expect.poll(tileWidth).toBe(300);
    expect(await page.getByTestId('tile-size-value').textContent()).toBe('300 px');
    expect(await columnsAt()).toBeLessThan(smallColumns);
    expect(await page.locator('.thumb img').first().getAttribute('src')).toMatch(/(small|medium)\.jpg/);
    // Tiles below the fold load lazily: wait for the ones on screen.
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('.thumb img')]
        .filter((i) => i.getBoundingClientRect().top < window.innerHeight)
        .every((i) => i.complete),
    );
    await shot('tiles-300');
    await page.reload();
    await page.locator('.thumb[data-image-id]').first().waitFor();
    expect(await page.getByLabel('Tile size').inputValue()).toBe('300');
    expect(await tileWidth()).toBe(300);
    // The slider's bounds are 150 and 400.
    await setSlider(1000);
    await expect.poll(tileWidth).toBe(400);
    await setSlider(150);
    await expect.poll(tileWidth).toBe(150);
  });

  it('badges each tile for its duplicate cluster, HQ and a missing licence, as the catalogue has them', async () => {
    await openLibrary();
    await page.waitForFunction((n) => document.querySelectorAll('.thumb[data-image-id]').length >= n, Math.min(all.length, 24));
    const tiles = await page.locator('.thumb[data-image-id]').evaluateAll((els) =>
      els.map((e) => ({
        id: Number(e.getAttribute('data-image-id')),
        badges: [...e.querySelectorAll('[data-badge]')].map((b) => b.getAttribute('data-badge')).sort(),
      })),
    );
    const byId = new Map(all.map((i) => [i.id, i]));
    for (const tile of tiles) {
      const item = byId.get(tile.id)!;
      const expected = [item.clusterId !== null ? 'cluster' : null, item.isHq ? 'hq' : null, item.license === null ? 'no-license' : null]
        .filter((b): b is string => b !== null)
        .sort();
      expect(tile.badges, `tile ${tile.id}`).toEqual(expected);
    }
    // The demo has all three: the check above saw each kind of badge at least once.
    const seen = new Set(tiles.flatMap((t) => t.badges));
    expect([...seen].sort()).toEqual(['cluster', 'hq', 'no-license']);
    await shot('badges');
  });

  it('offers the licences present with counts, filters by one or by none, and Reset clears every field', async () => {
    await openLibrary();
    const counts = await server.call('images.licenses', {});
    expect(counts.licenses.length).toBeGreaterThan(1);
    const select = page.getByLabel('Licence filter');
    await expect
      .poll(() => select.locator('option').allTextContents())
      .toEqual(['any', `no licence (${counts.missing})`, ...counts.licenses.map((l) => `${l.license} (${l.images})`)]);
    const picked = counts.licenses[1]!;
    await select.selectOption(picked.license);
    await expect.poll(total).toBe(`${picked.images} images`);
    await select.selectOption('none');
    await expect.poll(total).toBe(`${counts.missing} images`);
    expect(await page.locator('.thumb[data-image-id] [data-badge="no-license"]').count()).toBe(counts.missing);

    // Every field set, then Reset: all of them empty again, the taxon text box included.
    await page.getByLabel('Taxon', { exact: true }).fill('Amanita');
    await page.getByLabel('Taxon', { exact: true }).press('Enter');
    await page.getByLabel('Minimum quality').fill('10');
    await page.getByLabel('HQ', { exact: true }).selectOption('no');
    await page.getByLabel('Has duplicates').selectOption('yes');
    await page.getByLabel('Label state').selectOption('source_claimed');
    await page.getByLabel('Format').selectOption('jpeg');
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(total).toBe(`${all.length} images`);
    expect(await page.getByLabel('Taxon', { exact: true }).inputValue()).toBe('');
    for (const label of ['Licence filter', 'HQ', 'Has duplicates', 'Label state', 'Format'])
      expect(await page.getByLabel(label, { exact: true }).inputValue(), label).toBe('');
    expect(await page.getByLabel('Minimum quality').inputValue()).toBe('');
  });

  it('starts the taxon sort at A', async () => {
    await openLibrary();
    await page.getByLabel('Sort', { exact: true }).selectOption('taxon');
    await expect.poll(() => page.getByRole('button', { name: 'Sort order' }).textContent()).toBe('A→Z');
    const taxa = [...new Set(all.map((i) => i.taxon ?? ''))].sort();
    await expect.poll(() => page.locator('.thumb[data-image-id] .taxon').first().textContent()).toBe(taxa[0]);
    await page.getByRole('button', { name: 'Reset' }).click();
  });

  it('keeps the library keys working after a click on a button', async () => {
    await openLibrary();
    await setSlider(150);
    await expect.poll(tileWidth).toBe(150);
    const first = (await tileIds())[0]!;
    await page.locator(`.thumb[data-image-id="${first}"]`).click();
    await page.getByRole('toolbar', { name: 'Bulk actions' }).waitFor();
    // Focus on a filter-bar button: Escape still clears the selection, + still grows the tiles.
    await page.getByRole('button', { name: 'Sort order' }).click();
    await page.getByRole('button', { name: 'Sort order' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('toolbar', { name: 'Bulk actions' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.keyboard.press('+');
    await expect.poll(tileWidth).toBe(200);
    await page.keyboard.press('-');
    await expect.poll(tileWidth).toBe(150);
    // An arrow key from a button moves into the grid, onto the last-selected tile.
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-image-id'))).toBe(String(first));
  });

  it('steps through the current Library list with the arrow keys and the buttons', async () => {
    await openLibrary();
    const ids = all.map((i) => i.id);
    await page.locator(`.thumb[data-image-id="${ids[0]}"]`).dblclick();
    await page.getByTestId('detail-taxon').waitFor();
    await expect.poll(() => page.getByTestId('detail-position').textContent()).toBe(`1 of ${ids.length} in the library`);
    expect(await page.locator('[data-action="previous"]').isDisabled()).toBe(true);
    // Each step shows the image and then where it is; the next key press comes after that, as a curator's would.
    const arrived = async (index: number) => {
      await expect.poll(shownId).toBe(ids[index]);
      await expect.poll(() => page.getByTestId('detail-position').textContent()).toBe(`${index + 1} of ${ids.length} in the library`);
    };
    await page.keyboard.press('ArrowRight');
    await arrived(1);
    // After a click on Next the keys still work (focus is on the button).
    await page.locator('[data-action="next"]').click();
    await arrived(2);
    await page.keyboard.press('ArrowRight');
    await arrived(3);
    await page.keyboard.press('ArrowLeft');
    await arrived(2);
    expect(await page.locator('.loupe-img').getAttribute('data-image-id')).toBe(String(ids[2]));

    // With a filter, the steps follow the filtered list.
    await page.keyboard.press('Escape');
    await page.locator('.thumb[data-image-id]').first().waitFor();
    const licence = (await server.call('images.licenses', {})).licenses[0]!.license;
    await page.getByLabel('Licence filter').selectOption(licence);
    const filtered = (await server.call('images.list', { license: licence, limit: 1000 })).items.map((i) => i.id);
    await expect.poll(total).toBe(`${filtered.length} images`);
    await page.locator(`.thumb[data-image-id="${filtered[0]}"]`).dblclick();
    await expect.poll(() => page.getByTestId('detail-position').textContent()).toBe(`1 of ${filtered.length} in the filtered Library list`);
    for (const [i, id] of filtered.slice(1, 4).entries()) {
      await page.keyboard.press('ArrowRight');
      await expect.poll(shownId).toBe(id);
      await expect.poll(() => page.getByTestId('detail-position').textContent()).toMatch(new RegExp(`^${i + 2} of `));
    }
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Reset' }).click();
  });

  it('zooms to 100 % of the original and pans it by dragging', async () => {
    const big = all.find((i) => i.width >= 2000)!;
    await open(`#/detail/${big.id}`);
    await page.locator('.loupe-img').waitFor();
    const panes = page.locator('.compare-panes');
    expect(await panes.getAttribute('data-zoom')).toBe('fit');
    expect(await page.getByTestId('loupe-scale').textContent()).toBe(
      "Click the picture (or press Z) for 100 %; drag to pan. 100 % shows the original's pixels (2400 × 1600), one image pixel per screen pixel.",
    );
    await page.keyboard.press('z');
    await expect.poll(() => panes.getAttribute('data-zoom')).toBe('actual');
    await page.waitForFunction(() => {
      const el = document.querySelector<HTMLImageElement>('.loupe-img');
      return el?.dataset.source === 'original' && el.complete && el.naturalWidth > 0;
    });
    const img = await page.locator('.loupe-img').evaluate((el: HTMLImageElement) => ({
      shown: Math.round(el.getBoundingClientRect().width),
      natural: el.naturalWidth,
    }));
    expect(img.shown).toBe(img.natural);
    expect(img.natural).toBe(2400);
    await shot('loupe-100');
    const pane = page.locator('.loupe-pane');
    const scroll = () => pane.evaluate((el) => ({ left: el.scrollLeft, top: el.scrollTop, room: el.scrollWidth - el.clientWidth }));
    const before = await scroll();
    expect(before.room).toBeGreaterThan(0);
    const box = (await pane.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2 - 40, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await scroll()).left).toBeGreaterThan(before.left);
    await page.keyboard.press('z');
    await expect.poll(() => panes.getAttribute('data-zoom')).toBe('fit');
  });

  it('wraps long values inside the panel and copies them whole', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    const item = all[0]!;
    await open(`#/detail/${item.id}`);
    await page.getByTestId('detail-taxon').waitFor();
    const side = await page.locator('.detail-side').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(side.scroll).toBeLessThanOrEqual(side.client);
    await shot('detail-1024');
    const sha = page.locator('td[data-row="SHA-256"] .long-value');
    const shaBox = (await sha.boundingBox())!;
    const lineHeight = await sha.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 16);
    expect(shaBox.height, 'the 64-digit hash takes more than one line').toBeGreaterThan(lineHeight * 1.5);
    await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await page.getByRole('button', { name: 'Copy SHA-256' }).click();
    await page.getByText('copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(item.sha256);
    await page.getByRole('button', { name: 'Copy path' }).first().click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(item.primaryPath);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it("clears the previous image's errors on navigation", async () => {
    const ids = all.map((i) => i.id);
    await open(`#/detail/${ids[0]}`);
    await page.getByTestId('detail-taxon').waitFor();
    const fail = async () => {
      // A credit longer than the API accepts (500 characters): a real refusal, shown in the side panel.
      await page.getByLabel('Attribution').fill('x'.repeat(600));
      await page.getByRole('button', { name: 'Set licence' }).click();
      await page.locator('.detail-side [role="alert"]').waitFor();
    };
    await fail();
    await page.locator('[data-action="next"]').click();
    await expect.poll(shownId).toBe(ids[1]);
    await page.getByTestId('detail-taxon').waitFor();
    expect(await page.locator('.detail-side [role="alert"]').count()).toBe(0);
    expect(await page.getByLabel('Attribution').inputValue()).not.toBe('x'.repeat(600));
    await fail();
    // Leave the text field (a click on empty space), then the arrow key.
    await page.getByTestId('detail-position').click();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(shownId).toBe(ids[0]);
    await page.getByTestId('detail-taxon').waitFor();
    expect(await page.locator('.detail-side [role="alert"]').count()).toBe(0);
  });

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
