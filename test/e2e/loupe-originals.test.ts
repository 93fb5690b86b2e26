// End to end in Chromium against `sporeprint serve`: the loupe's 100 % shows the original's pixels (one image pixel
// per CSS pixel, measured from the DOM) for a 2560-px JPEG and for a TIFF the browser cannot show (converted), and
// the original route serves by image id only: an unknown id, a path or a request without the token is refused.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhoto } from '../../src-main/core/demo/synthetic-photos';
import { CHROMIUM_SKIP_REASON, hasChromium } from './support/browser';
import { startBrowserSession, type BrowserSession } from './support/browser-session';
import type { ServeProcess } from './support/serve-process';

if (!hasChromium) console.warn(CHROMIUM_SKIP_REASON);

describe.skipIf(!hasChromium)('the loupe at 100 % shows originals, served by image id only', () => {
  let session: BrowserSession;
  let photos: string, server: ServeProcess, page: Page;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    session = await startBrowserSession({
      name: 'originals',
      viewport: { width: 1440, height: 900 },
      prepare: async (work) => {
        photos = path.join(work, 'photos', 'Amanita muscaria');
        mkdirSync(photos, { recursive: true });
        writeFileSync(path.join(photos, 'wide.jpg'), await makePhoto(501, { width: 2560, height: 1600 }));
        writeFileSync(
          path.join(photos, 'scan.tif'),
          await sharp(await makePhoto(502, { width: 2560, height: 1700 }))
            .tiff()
            .toBuffer(),
        );
      },
    });
    ({ server, page } = session);
    await session.ingest([path.dirname(photos)]);
    for (const name of ['wide.jpg', 'scan.tif']) ids[name] = (await server.call('images.resolve', { ref: path.join(photos, name) })).id;
  }, 240_000);
  afterAll(() => session?.stop());

  for (const [name, width] of [
    ['wide.jpg', 2560],
    ['scan.tif', 2560],
  ] as const) {
    it(`shows one image pixel per CSS pixel at 100 % for ${name}`, async () => {
      // A fresh page: a hash-only navigation would keep the previous test's zoom.
      await page.goto('about:blank');
      await page.goto(`${server.url}#/detail/${ids[name]}`);
      await page.locator('.loupe-img').waitFor();
      await page.keyboard.press('z');
      await page.waitForFunction(
        () => {
          const el = document.querySelector<HTMLImageElement>('.loupe-img');
          return el?.dataset.source === 'original' && el.complete && el.naturalWidth > 0;
        },
        undefined,
        { timeout: 60_000 },
      );
      const measured = await page.locator('.loupe-img').evaluate((el: HTMLImageElement) => ({
        natural: el.naturalWidth,
        naturalHeight: el.naturalHeight,
        css: el.getBoundingClientRect().width,
        cssHeight: el.getBoundingClientRect().height,
        src: el.currentSrc,
      }));
      expect(measured.natural).toBe(width);
      expect(measured.css).toBe(measured.natural);
      expect(measured.cssHeight).toBe(measured.naturalHeight);
      expect(new URL(measured.src).pathname).toBe(`/original/${ids[name]}`);
    }, 90_000);
  }

  it('serves byte ranges, and refuses an unknown id, a path, or a request without the token', async () => {
    const get = (route: string, headers: Record<string, string> = {}) =>
      fetch(`${server.origin}${route}${route.includes('?') ? '&' : '?'}token=${encodeURIComponent(server.token)}`, { headers });
    const part = await get(`/original/${ids['wide.jpg']}`, { range: 'bytes=0-1' });
    expect(part.status).toBe(206);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(new Uint8Array([0xff, 0xd8]));
    const unknown = await get('/original/987654');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe('image 987654 does not exist');
    for (const route of [
      `/original/${encodeURIComponent(path.join(photos, 'wide.jpg'))}`,
      '/original/..%2F..%2Fcatalog.db',
      '/original/1%2F..%2F..%2Fetc%2Fpasswd',
      '/original/abc',
    ]) {
      const res = await get(route);
      expect(res.status, route).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^an original is asked for by image id/);
    }
    expect((await fetch(`${server.origin}/original/${ids['wide.jpg']}`)).status).toBe(401);
  });
});
